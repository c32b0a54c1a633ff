//! `namespace-and-pod-selectors-split`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Context;

use super::support::{
    applies, compiled_peer_pods, peer_path, peer_text, peers, rule_name, rules, split_partner,
    PolicyIds, DIRECTIONS,
};

declare_rule! {
    /// ## What it does
    /// Reports, in one `from`/`to` list, an entry with only a `podSelector` next to an entry
    /// with only a `namespaceSelector`. Two entries mean OR: every pod of the selected
    /// namespaces, plus the selected pods of the policy's own namespace. One entry with both
    /// selectors means AND: the selected pods within the selected namespaces. An empty
    /// `podSelector: {}` ("my namespace too") is not reported, nor a `podSelector` that
    /// matches pods of the policy's namespace in the bundle (the OR then looks meant).
    ///
    /// No fix is offered: merging the entries narrows what the rule allows and may cut
    /// traffic that currently works; only the author knows which reading is meant.
    ///
    /// ## Why it matters
    /// The difference is one `-`, and it is the most documented NetworkPolicy mistake. Read
    /// as OR, the rule admits every pod of the selected namespaces (not only the monitoring
    /// server, say), while the `podSelector` entry matches nothing in the policy's own
    /// namespace.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: metrics
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   ingress:
    ///     - from:
    ///         - namespaceSelector:
    ///             matchLabels:
    ///               kubernetes.io/metadata.name: monitoring
    ///         - podSelector:
    ///             matchLabels:
    ///               app: prometheus
    ///       ports:
    ///         - port: 9090
    /// ```
    ///
    /// ## Use instead
    /// One entry, both selectors (AND):
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: metrics
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   ingress:
    ///     - from:
    ///         - namespaceSelector:
    ///             matchLabels:
    ///               kubernetes.io/metadata.name: monitoring
    ///           podSelector:
    ///             matchLabels:
    ///               app: prometheus
    ///       ports:
    ///         - port: 9090
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, "Network Policies", "Behavior of to and from selectors"
    /// - `netpol-semantics.md` §7
    pub RULE {
        code: "NW3013",
        name: "namespace-and-pod-selectors-split",
        category: Suspicious,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "A namespaceSelector-only entry next to a podSelector-only entry means OR; one entry with both would mean AND.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let ids = PolicyIds::new(ctx);
    for policy in ctx.policies.iter().filter(|p| p.valid) {
        let id = ids.get(policy);
        for direction in DIRECTIONS {
            if !applies(&policy.value.spec, direction) {
                continue;
            }
            for (i, rule) in rules(&policy.value.spec, direction).iter().enumerate() {
                let list = peers(rule);
                // A list that also names an ipBlock enumerates alternatives on purpose (the
                // Kubernetes documentation's own example): the OR is meant.
                if list.iter().any(|p| p.ip_block.is_some()) {
                    continue;
                }
                for (j, peer) in list.iter().enumerate() {
                    let Some(partner) = split_partner(list, j) else {
                        continue;
                    };
                    let local = id
                        .and_then(|id| compiled_peer_pods(ctx, id, direction, i, j))
                        .is_some_and(|pods| !pods.is_empty());
                    if local {
                        continue;
                    }
                    let Some(other) = list.get(partner) else {
                        continue;
                    };
                    let field = direction.peer_field();
                    let (first, second) = if partner < j {
                        ((partner, other), (j, peer))
                    } else {
                        ((j, peer), (partner, other))
                    };
                    let message = format!(
                        "{} {} {field}[{}] ({}) and {field}[{}] ({}) are separate entries, so they mean OR: every pod of those namespaces, or those pods of namespace {}; one entry with both selectors would mean AND",
                        policy.qualified_name(),
                        rule_name(direction, i),
                        first.0,
                        peer_text(first.1),
                        second.0,
                        peer_text(second.1),
                        policy.namespace
                    );
                    out.push(
                        policy
                            .report(&RULE, peer_path(direction, i, j), message)
                            .with_help("if you meant those pods within those namespaces, remove the `-` before `podSelector` so both selectors are in one entry; if the OR is meant, say so with a `# netward-ignore:` comment"),
                    );
                }
            }
        }
    }
}
