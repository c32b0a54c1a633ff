//! `egress-policy-also-denies-ingress`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::netpol::Direction;
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::PolicyIds;

declare_rule! {
    /// ## What it does
    /// Reports a policy written as an egress policy (it has `egress` rules and no `ingress`
    /// field) that does not set `policyTypes`. The API server then defaults `policyTypes` to
    /// `[Ingress, Egress]`: the policy also isolates its pods for ingress, with no ingress
    /// rule, so it denies all their inbound traffic. In a workspace, the finding is dropped
    /// when every pod the policy selects is already isolated for ingress by another policy
    /// (the defaulting then changes nothing).
    ///
    /// ## Why it matters
    /// A classic outage: someone adds "let the API reach the database" as an egress policy
    /// and the API stops receiving requests. `policyTypes` defaulting is invisible in the
    /// manifest.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api-egress
    ///   namespace: shop
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: api
    ///   egress:
    ///     - to:
    ///         - podSelector:
    ///             matchLabels:
    ///               app: db
    ///       ports:
    ///         - port: 5432
    /// ```
    ///
    /// ## Use instead
    /// Say which directions the policy is about:
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api-egress
    ///   namespace: shop
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: api
    ///   policyTypes: [Egress]
    ///   egress:
    ///     - to:
    ///         - podSelector:
    ///             matchLabels:
    ///               app: db
    ///       ports:
    ///         - port: 5432
    /// ```
    ///
    /// ## References
    /// - Kubernetes API reference, NetworkPolicySpec `policyTypes` (defaulting)
    /// - `netpol-semantics.md` §3
    pub RULE {
        code: "NW3011",
        name: "egress-policy-also-denies-ingress",
        category: Correctness,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "An egress policy without `policyTypes` also denies all ingress to its pods (policyTypes defaults to Ingress and Egress).",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let ids = PolicyIds::new(ctx);
    for policy in ctx.policies.iter().filter(|p| p.valid) {
        let spec = &policy.value.spec;
        let written = policy
            .object
            .node
            .get("spec")
            .and_then(|s| s.get("policyTypes"))
            .and_then(|t| t.as_seq())
            .is_some_and(|t| !t.is_empty());
        if written
            || spec.ingress.is_some()
            || spec.egress.as_ref().is_none_or(Vec::is_empty)
            || already_isolated(ctx, ids.get(policy))
        {
            continue;
        }
        let message = format!(
            "{} has egress rules and no `policyTypes`, so it defaults to [Ingress, Egress]: it also denies all ingress to the pods it selects",
            policy.qualified_name()
        );
        out.push(
            policy
                .report(&RULE, FieldPath::new(["spec", "policyTypes"]), message)
                .with_help("add `policyTypes: [Egress]` if the policy is only about egress, or `policyTypes: [Ingress, Egress]` (with the ingress rules the pods need) if the ingress deny is meant"),
        );
    }
}

/// Whether every pod the policy selects (at least one) is isolated for ingress by another
/// policy anyway.
fn already_isolated(ctx: &Context<'_>, id: Option<usize>) -> bool {
    let Some(id) = id else {
        return false;
    };
    let Some(selected) = ctx.evaluator.selected_by(id) else {
        return false;
    };
    !selected.is_empty()
        && selected.iter().all(|pod| {
            ctx.evaluator
                .policies_for(pod, Direction::Ingress)
                .iter()
                .any(|&other| other != id)
        })
}
