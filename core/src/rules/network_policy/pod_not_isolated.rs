//! `pod-not-isolated`.

use std::collections::HashMap;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::netpol::Direction;
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::{affects, pod_text, Objects, DIRECTIONS};

declare_rule! {
    /// ## What it does
    /// Reports a workload (or Pod) whose pods no NetworkPolicy selects for ingress, or for
    /// egress (each direction separately; `policyTypes` defaulting is honoured, so an
    /// ingress-only policy does not count for egress). It is only reported in namespaces
    /// where some policy does isolate pods in that direction: a namespace with no policy
    /// for the direction at all is reported once by `namespace-without-default-deny`.
    /// `hostNetwork` pods are not considered (NetworkPolicy does not apply to them).
    ///
    /// ## Why it matters
    /// The namespace has policies, so its owners expect isolation, but this workload was
    /// left out (a new Deployment, a renamed label): it accepts connections from every pod
    /// of the cluster and every address that can route to it, or may connect anywhere.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: shop
    ///   annotations:
    ///     netward.dev/ignore: namespace-without-default-deny
    ///     netward.dev/ignore-reason: each workload of shop has its own policy
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: web
    ///   namespace: shop
    ///   labels:
    ///     app: web
    /// spec:
    ///   containers:
    ///     - name: web
    ///       image: example/web:1.0
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: worker
    ///   namespace: shop
    ///   labels:
    ///     app: worker
    /// spec:
    ///   containers:
    ///     - name: worker
    ///       image: example/worker:1.0
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: web
    ///   ingress:
    ///     - from:
    ///         - podSelector:
    ///             matchLabels:
    ///               app: worker
    ///       ports:
    ///         - port: 8080
    /// ```
    ///
    /// ## Use instead
    /// A namespace default deny selects every pod:
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: worker
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: worker
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: worker
    ///     spec:
    ///       containers:
    ///         - name: worker
    ///           image: example/worker:1.0
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: default-deny
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Ingress, Egress]
    /// ```
    ///
    /// ## References
    /// - kube-score `pod-networkpolicy`; kube-linter `non-isolated-pod`; polaris `missingNetworkPolicy`
    /// - `netpol-semantics.md` §3, §4
    pub RULE {
        code: "NW3007",
        name: "pod-not-isolated",
        category: Security,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "No NetworkPolicy selects the workload's pods for ingress (or egress), while policies isolate other pods of its namespace.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let objects = Objects::new(ctx);
    // Per namespace and direction: the first policy isolating pods there.
    let mut first_policy: HashMap<(usize, Direction), &str> = HashMap::new();
    for policy in &ctx.cluster.policies {
        for direction in DIRECTIONS {
            if affects(policy, direction) {
                first_policy
                    .entry((policy.namespace, direction))
                    .or_insert(policy.name.as_str());
            }
        }
    }
    for (id, pod) in ctx.cluster.pods.iter().enumerate() {
        if !ctx.evaluator.on_pod_network(id) {
            continue;
        }
        for direction in DIRECTIONS {
            if !ctx.evaluator.policies_for(id, direction).is_empty() {
                continue;
            }
            let Some(first) = first_policy.get(&(pod.namespace, direction)) else {
                continue;
            };
            let effect = match direction {
                Direction::Ingress => "accept connections from every pod and address",
                Direction::Egress => "may connect to every pod and address",
            };
            let message = format!(
                "{} is selected by no {} policy: its pods {effect}, while {} policies of its namespace (such as {first}) isolate other pods",
                pod_text(ctx, id),
                direction.field(),
                direction.field()
            );
            out.push(
                objects
                    .report(&RULE, pod.origin, FieldPath::new(["metadata", "name"]), message)
                    .with_help(format!(
                        "add a policy selecting its pod labels for {}, or a namespace default deny (`podSelector: {{}}`)",
                        direction.field()
                    )),
            );
        }
    }
}
