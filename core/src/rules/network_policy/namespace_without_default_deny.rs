//! `namespace-without-default-deny`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::netpol::Direction;
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::{
    is_default_deny, pod_text, pods_by_namespace, type_name, Objects, DIRECTIONS,
};

declare_rule! {
    /// ## What it does
    /// Reports a namespace that has pods in the bundle but no default-deny policy for ingress,
    /// egress or both (one finding per namespace, naming the missing directions and how many
    /// of its pods are open in each today). A default deny is a NetworkPolicy of the namespace with `podSelector: {}`,
    /// the direction among its (effective) `policyTypes`, and no rule of that direction that
    /// allows everything (rules for some peers or ports are fine: the policy still isolates
    /// every pod). The finding is placed on the Namespace manifest when the bundle has one,
    /// otherwise on the namespace's first workload.
    ///
    /// ## Why it matters
    /// Pods no policy selects accept every connection and may open any. Without a namespace
    /// baseline, every new workload starts wide open and stays so until someone writes its
    /// policy; the Kubernetes security checklist recommends a default deny in both
    /// directions, with explicit allows (including DNS) on top.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: shop
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: example/web:1.0
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: shop
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: example/web:1.0
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
    /// - Kubernetes documentation, "Network Policies", "Default policies"
    /// - Kubernetes security checklist, "Network security"
    /// - kubeaudit `MissingDefaultDenyIngressAndEgressNetworkPolicy`
    pub RULE {
        code: "NW3006",
        name: "namespace-without-default-deny",
        category: Security,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "A namespace with pods has no default-deny policy for ingress or for egress.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let objects = Objects::new(ctx);
    for (namespace, pods) in pods_by_namespace(ctx).iter().enumerate() {
        let Some(first) = pods.first() else {
            continue;
        };
        let Some(ns) = ctx.cluster.namespace(namespace) else {
            continue;
        };
        let missing: Vec<Direction> = DIRECTIONS
            .into_iter()
            .filter(|&direction| {
                !ctx.cluster
                    .policies
                    .iter()
                    .any(|p| p.namespace == namespace && is_default_deny(p, direction))
            })
            .collect();
        if missing.is_empty() {
            continue;
        }
        // One finding per namespace; for each missing direction, how many pods are open now.
        let parts: Vec<String> = missing
            .iter()
            .map(|&direction| {
                let open = pods
                    .iter()
                    .filter(|&&pod| ctx.evaluator.policies_for(pod, direction).is_empty())
                    .count();
                let effect = match (direction, open) {
                    (_, 0) => "every pod is selected by some policy today".to_owned(),
                    (Direction::Ingress, n) => {
                        format!(
                            "{n} of {} pods accept connections from anywhere",
                            pods.len()
                        )
                    }
                    (Direction::Egress, n) => {
                        format!("{n} of {} pods may connect anywhere", pods.len())
                    }
                };
                format!("{} ({effect})", direction.field())
            })
            .collect();
        let mut message = format!(
            "namespace {} has no default-deny policy for {}: new workloads start unprotected",
            ns.name,
            parts.join(" and "),
        );
        let location = match ns.declared_at {
            Some(location) => location,
            None => {
                message.push_str(&format!(
                    " (reported on {}, the namespace has no manifest in the bundle)",
                    pod_text(ctx, *first)
                ));
                match ctx.cluster.pods.get(*first) {
                    Some(pod) => pod.origin,
                    None => continue,
                }
            }
        };
        let types: Vec<&str> = missing.iter().map(|&d| type_name(d)).collect();
        let help = format!(
            "add a NetworkPolicy in {} with `podSelector: {{}}`, `policyTypes: [{}]` and no rules, then allow what each workload needs{}",
            ns.name,
            types.join(", "),
            if missing.contains(&Direction::Egress) {
                " (DNS first)"
            } else {
                ""
            }
        );
        out.push(
            objects
                .report(
                    &RULE,
                    location,
                    FieldPath::new(["metadata", "name"]),
                    message,
                )
                .with_help(help),
        );
    }
}
