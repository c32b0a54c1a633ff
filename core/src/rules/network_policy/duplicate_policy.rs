//! `duplicate-policy`.

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Label};
use crate::path::FieldPath;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Reports a NetworkPolicy whose `spec` is identical (after defaulting) to that of an
    /// earlier policy of the same namespace with another name.
    ///
    /// ## Why it matters
    /// Two copies of one policy are a copy-paste or GitOps leftover: deleting one changes
    /// nothing, and editing one changes nothing either, which surprises whoever edits it.
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
    ///   policyTypes: [Ingress]
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: deny-all
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Ingress]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
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
    /// - `rule-catalog.md` §1.K (`np-duplicate-policy`)
    pub RULE {
        code: "NW3026",
        name: "duplicate-policy",
        category: Style,
        severity: Info,
        scope: Workspace,
        fix: false,
        summary: "Two NetworkPolicies of one namespace have the same spec.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let valid: Vec<_> = ctx.policies.iter().filter(|p| p.valid).collect();
    for (i, policy) in valid.iter().enumerate() {
        let first = valid.iter().take(i).find(|other| {
            other.namespace == policy.namespace
                && other.name != policy.name
                && other.value.spec == policy.value.spec
        });
        let Some(first) = first else {
            continue;
        };
        let message = format!(
            "{} has the same spec as {}: one of them is redundant",
            policy.qualified_name(),
            first.qualified_name()
        );
        let name = FieldPath::new(["metadata", "name"]);
        out.push(
            policy
                .report(&RULE, name.clone(), message)
                .with_help("delete one of the two policies")
                .with_label(Label {
                    file: first.file.id,
                    span: first.span(&name),
                    message: "the same spec".to_owned(),
                }),
        );
    }
}
