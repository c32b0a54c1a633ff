//! `policy-selects-no-pods`.

use std::collections::BTreeMap;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;
use crate::selector::LabelSelector;

use super::support::{
    certain, evaluated, name_list, pods_by_namespace, selector_text, Objects, Unserved,
};

declare_rule! {
    /// ## What it does
    /// Reports a NetworkPolicy whose `podSelector` matches none of the pods (Pods and
    /// workload templates) of its namespace in the bundle. `podSelector: {}` is never
    /// reported: a namespace-wide policy is meant for whatever pods come. Without
    /// `bundle_complete`, a policy is only judged when the bundle has pods in its namespace
    /// (otherwise they are probably deployed from elsewhere); with it, the finding is an
    /// error. A selector that only matches `hostNetwork` pods is left to
    /// `policy-selects-host-network-pods`.
    ///
    /// ## Why it matters
    /// A policy that selects nothing protects nothing, and its author believes the workload
    /// is isolated. The usual cause is a label typo or a selector written against the
    /// Deployment's own labels instead of its pod template's labels.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: api
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: api
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: example/api:1.0
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: default-deny
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   policyTypes:
    ///     - Ingress
    ///     - Egress
    ///   egress:
    ///     - to:
    ///         - namespaceSelector:
    ///             matchLabels:
    ///               kubernetes.io/metadata.name: kube-system
    ///           podSelector:
    ///             matchLabels:
    ///               k8s-app: kube-dns
    ///       ports:
    ///         - protocol: UDP
    ///           port: 53
    ///         - protocol: TCP
    ///           port: 53
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api
    ///   namespace: shop
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: shop-api
    ///   ingress:
    ///     - from:
    ///         - namespaceSelector:
    ///             matchLabels:
    ///               kubernetes.io/metadata.name: ingress-nginx
    /// ```
    ///
    /// ## Use instead
    /// Select the labels of the pod template:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: api
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: api
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: example/api:1.0
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api
    ///   namespace: shop
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: api
    ///   ingress:
    ///     - from:
    ///         - podSelector:
    ///             matchLabels:
    ///               app: web
    /// ```
    ///
    /// ## References
    /// - kube-linter `dangling-networkpolicy`, kube-score `networkpolicy-targets-pod`
    /// - `netpol-semantics.md` §2
    pub RULE {
        code: "NW3004",
        name: "policy-selects-no-pods",
        category: Correctness,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "The policy's podSelector matches no pod of its namespace in the bundle.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let pods = pods_by_namespace(ctx);
    let objects = Objects::new(ctx);
    let unserved = Unserved::new(ctx);
    let mut workloads = None;
    for (policy, id) in evaluated(ctx) {
        let Some(selector) = policy.value.spec.pod_selector.as_ref() else {
            continue;
        };
        let Some(cluster_policy) = ctx.cluster.policies.get(id) else {
            continue;
        };
        if selector.is_empty() || ctx.evaluator.selected_by(id).is_none_or(|s| !s.is_empty()) {
            continue;
        }
        let namespace = cluster_policy.namespace;
        let in_namespace = pods.get(namespace).map_or(0, Vec::len);
        if !ctx.options.bundle_complete
            && (in_namespace == 0 || unserved.may_select(&[namespace], Some(selector)))
        {
            continue;
        }
        let host_network_match = ctx.cluster.pods.iter().enumerate().any(|(pod, p)| {
            !ctx.evaluator.on_pod_network(pod)
                && p.namespace == namespace
                && selector.matches(&p.labels)
        });
        if host_network_match {
            continue;
        }
        let message = format!(
            "{} selects no pod: podSelector {} matches none of the pods of namespace {} in the bundle",
            policy.qualified_name(),
            selector_text(selector),
            policy.namespace
        );
        let path = FieldPath::new(["spec", "podSelector"]);
        let mut diagnostic = policy.report(&RULE, path, message);
        let workloads = matching_workloads(
            ctx,
            workloads.get_or_insert_with(|| workload_labels(ctx, &objects)),
            namespace,
            selector,
        );
        diagnostic = if workloads.is_empty() {
            diagnostic.with_help(
                "check the selector against the pods' labels (a workload's spec.template.metadata.labels); the policy protects nothing as written",
            )
        } else {
            diagnostic.with_help(format!(
                "the selector matches the labels of {} itself, not of its pods: select the labels of spec.template.metadata.labels",
                name_list(&workloads, 3)
            ))
        };
        out.push(certain(ctx, diagnostic));
    }
}

/// Workloads of the namespace whose own `metadata.labels` match the selector (a common
/// confusion with their pod template labels).
fn matching_workloads(
    ctx: &Context<'_>,
    workloads: &[Vec<(usize, BTreeMap<String, String>)>],
    namespace: usize,
    selector: &LabelSelector,
) -> Vec<String> {
    workloads
        .get(namespace)
        .into_iter()
        .flatten()
        .filter(|(_, labels)| selector.matches(labels))
        .map(|(id, _)| ctx.cluster.pod_name(*id).to_string())
        .collect()
}

/// Per namespace: each workload's own `metadata.labels` (decoded once per check).
fn workload_labels(
    ctx: &Context<'_>,
    objects: &Objects<'_>,
) -> Vec<Vec<(usize, BTreeMap<String, String>)>> {
    let mut by_namespace = vec![Vec::new(); ctx.cluster.namespaces.len()];
    for (id, pod) in ctx.cluster.pods.iter().enumerate() {
        if pod.workload.is_none() {
            continue;
        }
        if let (Some(list), Some(meta)) = (
            by_namespace.get_mut(pod.namespace),
            objects.meta(pod.origin),
        ) {
            list.push((id, meta.labels));
        }
    }
    by_namespace
}
