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
    /// Reports a namespace that has pods in the bundle but no default-deny policy, once per
    /// direction. A default deny is a NetworkPolicy of the namespace with `podSelector: {}`,
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
        for direction in DIRECTIONS {
            let covered = ctx
                .cluster
                .policies
                .iter()
                .any(|p| p.namespace == namespace && is_default_deny(p, direction));
            if covered {
                continue;
            }
            let effect = match direction {
                Direction::Ingress => "accept connections from anywhere",
                Direction::Egress => "may connect anywhere",
            };
            let mut message = format!(
                "namespace {} has no default-deny {} policy: its pods {effect} unless a policy selects them, and new workloads start unprotected",
                ns.name,
                direction.field(),
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
            let help = format!(
                "add a NetworkPolicy in {} with `podSelector: {{}}`, `policyTypes: [{}]` and no {} rules, then allow what each workload needs{}",
                ns.name,
                type_name(direction),
                direction.field(),
                match direction {
                    Direction::Egress => " (DNS first)",
                    Direction::Ingress => "",
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
}
