//! `allow-all-overrides-default-deny`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::{
    affects, allows_everything, applies, evaluated, rule_name, rule_path, rules,
    selects_whole_namespace, Objects, DIRECTIONS,
};

declare_rule! {
    /// ## What it does
    /// Reports a rule that allows everything (no peers, no ports) in a policy selecting
    /// every pod of its namespace (`podSelector: {}`), when another policy of the namespace
    /// is a default deny for the same direction (`podSelector: {}`, the direction in its
    /// `policyTypes`, no rules of that direction).
    ///
    /// ## Why it matters
    /// Policies are a union: the allow-all cancels the default deny completely, for every
    /// pod of the namespace, while both policies stay in place and the namespace looks
    /// protected.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: default-deny
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Ingress, Egress]
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: allow-egress
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Egress]
    ///   egress:
    ///     - {} # netward-ignore: NW3001 the batch jobs of shop call arbitrary partner APIs
    /// ```
    ///
    /// ## Use instead
    /// Allow what the pods need:
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: default-deny
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Ingress, Egress]
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: allow-egress
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Egress]
    ///   egress:
    ///     - ports:
    ///         - protocol: UDP
    ///           port: 53
    ///         - protocol: TCP
    ///           port: 53
    /// ```
    ///
    /// ## References
    /// - gardener/diki#439; `netpol-semantics.md` §5 ("allow-all policy taking precedence")
    pub RULE {
        code: "NW3020",
        name: "allow-all-overrides-default-deny",
        category: Security,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "A namespace-wide allow-all rule cancels the namespace's default-deny policy.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let objects = Objects::new(ctx);
    for (policy, id) in evaluated(ctx) {
        let spec = &policy.value.spec;
        if !selects_whole_namespace(spec) {
            continue;
        }
        let Some(namespace) = ctx.cluster.policies.get(id).map(|p| p.namespace) else {
            continue;
        };
        for direction in DIRECTIONS {
            if !applies(spec, direction) {
                continue;
            }
            let Some(i) = rules(spec, direction).iter().position(allows_everything) else {
                continue;
            };
            let deny = ctx.cluster.policies.iter().enumerate().find(|(other, p)| {
                *other != id
                    && p.namespace == namespace
                    && affects(p, direction)
                    && selects_whole_namespace(&p.spec)
                    && rules(&p.spec, direction).is_empty()
            });
            let Some((_, deny)) = deny else {
                continue;
            };
            let message = format!(
                "{} {} allows every {} connection of every pod in namespace {}, which cancels the default deny {}/{}",
                policy.qualified_name(),
                rule_name(direction, i),
                direction.field(),
                policy.namespace,
                policy.namespace,
                deny.name
            );
            out.push(
                policy
                    .report(&RULE, rule_path(direction, i), message)
                    .with_help(
                        "list the peers and ports the pods need instead of allowing everything",
                    )
                    .with_label(objects.label(
                        deny.origin,
                        &FieldPath::new(["metadata", "name"]),
                        "the default deny it cancels",
                    )),
            );
        }
    }
}
