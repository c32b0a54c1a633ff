//! `policy-selects-host-network-pods`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::netpol::HostNetwork;
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::{evaluated, name_list, pod_text, selector_text, Objects};

declare_rule! {
    /// ## What it does
    /// Reports a policy whose (non-empty) `podSelector` matches `hostNetwork` pods of its
    /// namespace. Most network plugins cannot tell such pods from their node, so the policy
    /// does not apply to them (`reach.host_network: node`, the default; with `pod` the rule
    /// is silent). Namespace-wide policies (`podSelector: {}`) are not reported.
    ///
    /// ## Why it matters
    /// The policy gives a false sense of isolation: the host-network pods keep accepting and
    /// opening any connection the node's firewall allows.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: node-exporter
    ///   namespace: monitoring
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: node-exporter
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: node-exporter
    ///     spec:
    ///       hostNetwork: true
    ///       containers:
    ///         - name: node-exporter
    ///           image: example/node-exporter:1.0
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: node-exporter
    ///   namespace: monitoring
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: node-exporter
    ///   ingress:
    ///     - from:
    ///         - namespaceSelector:
    ///             matchLabels:
    ///               kubernetes.io/metadata.name: prometheus
    /// ```
    ///
    /// ## Use instead
    /// Run the pods on the pod network, or protect the node (host firewall, cloud security
    /// groups) instead:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: node-exporter
    ///   namespace: monitoring
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: node-exporter
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: node-exporter
    ///     spec:
    ///       containers:
    ///         - name: node-exporter
    ///           image: example/node-exporter:1.0
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: node-exporter
    ///   namespace: monitoring
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: node-exporter
    ///   ingress:
    ///     - from:
    ///         - podSelector:
    ///             matchLabels:
    ///               app: prometheus
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, "Network Policies", "What you can't do with network policies" (hostNetwork pods)
    /// - `netpol-semantics.md` §11.4
    pub RULE {
        code: "NW3019",
        name: "policy-selects-host-network-pods",
        category: Suspicious,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "The policy selects hostNetwork pods, which most network plugins do not isolate.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    if ctx.evaluator.options().host_network == HostNetwork::Pod {
        return;
    }
    let objects = Objects::new(ctx);
    for (policy, id) in evaluated(ctx) {
        let Some(selector) = policy
            .value
            .spec
            .pod_selector
            .as_ref()
            .filter(|s| !s.is_empty())
        else {
            continue;
        };
        let Some(namespace) = ctx.cluster.policies.get(id).map(|p| p.namespace) else {
            continue;
        };
        let matched: Vec<usize> = ctx
            .cluster
            .pods
            .iter()
            .enumerate()
            .filter(|(pod, p)| {
                p.namespace == namespace
                    && !ctx.evaluator.on_pod_network(*pod)
                    && selector.matches(&p.labels)
            })
            .map(|(pod, _)| pod)
            .collect();
        if matched.is_empty() {
            continue;
        }
        let names: Vec<String> = matched.iter().map(|&p| pod_text(ctx, p)).collect();
        let message = format!(
            "{} podSelector {} selects hostNetwork pods ({}): network plugins usually see them as their node and do not apply the policy to them",
            policy.qualified_name(),
            selector_text(selector),
            name_list(&names, 3)
        );
        let mut diagnostic = policy
            .report(&RULE, FieldPath::new(["spec", "podSelector"]), message)
            .with_help("protect host-network pods with the node's firewall, or run them on the pod network");
        for &pod in &matched {
            if let Some(p) = ctx.cluster.pods.get(pod) {
                diagnostic = diagnostic.with_label(objects.label(
                    p.origin,
                    &FieldPath::new(["metadata", "name"]),
                    "runs with hostNetwork",
                ));
            }
        }
        out.push(diagnostic);
    }
}
