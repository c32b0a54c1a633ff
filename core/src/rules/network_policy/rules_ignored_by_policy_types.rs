//! `rules-ignored-by-policy-types`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::{applies, rules, type_name, DIRECTIONS};

declare_rule! {
    /// ## What it does
    /// Reports `ingress` (or `egress`) rules in a policy whose written `policyTypes` does not
    /// list `Ingress` (or `Egress`). The API server accepts them and ignores them.
    ///
    /// ## Why it matters
    /// The author believes the direction is restricted to those rules, while the policy does
    /// not touch it at all: the pods stay open in that direction (or stay governed by other
    /// policies only).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api
    ///   namespace: shop
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: api
    ///   policyTypes: [Ingress]
    ///   ingress:
    ///     - from:
    ///         - podSelector:
    ///             matchLabels:
    ///               app: web
    ///   egress:
    ///     - to:
    ///         - podSelector:
    ///             matchLabels:
    ///               app: db
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api
    ///   namespace: shop
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: api
    ///   policyTypes: [Ingress, Egress]
    ///   ingress:
    ///     - from:
    ///         - podSelector:
    ///             matchLabels:
    ///               app: web
    ///   egress:
    ///     - to:
    ///         - podSelector:
    ///             matchLabels:
    ///               app: db
    /// ```
    ///
    /// ## References
    /// - Kubernetes API reference, NetworkPolicySpec `policyTypes`
    /// - `netpol-semantics.md` §3
    pub RULE {
        code: "NW3012",
        name: "rules-ignored-by-policy-types",
        category: Correctness,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "The policy has ingress (or egress) rules but its policyTypes omits that direction, so they are ignored.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for policy in ctx.policies.iter().filter(|p| p.valid) {
        let spec = &policy.value.spec;
        for direction in DIRECTIONS {
            let count = rules(spec, direction).len();
            if count == 0 || applies(spec, direction) {
                continue;
            }
            let types = spec.policy_types.as_deref().unwrap_or_default().join(", ");
            let message = format!(
                "{} has {count} {} rule{} but policyTypes [{types}] does not list {}: {} ignored and {} is not restricted by this policy",
                policy.qualified_name(),
                direction.field(),
                if count == 1 { "" } else { "s" },
                type_name(direction),
                if count == 1 { "it is" } else { "they are" },
                direction.field()
            );
            out.push(
                policy
                    .report(&RULE, FieldPath::new(["spec", direction.field()]), message)
                    .with_help(format!(
                        "add {} to policyTypes to enforce the rules, or delete them",
                        type_name(direction)
                    )),
            );
        }
    }
}
