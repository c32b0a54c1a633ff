//! `rule-ports-split-from-peers`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Context;

use super::support::{enforced_rule_lists, peers, ports_text, rule_name, rule_path};

declare_rule! {
    /// ## What it does
    /// Reports a rule that has `ports` but no peers (`from`/`to`) directly after a rule that
    /// has peers but no `ports`. That is what a mis-indented `ports:` (or one `-` too many)
    /// turns "these peers on these ports" into: the first rule allows the peers on every
    /// port, the second allows everyone on the ports.
    ///
    /// No fix is offered: merging the rules narrows what the policy allows.
    ///
    /// ## Why it matters
    /// Both halves are wider than intended; the second usually opens the ports to every pod,
    /// node and external address (for egress DNS: to every DNS server on the internet).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: allow-dns
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Egress]
    ///   egress:
    ///     - to:
    ///         - namespaceSelector:
    ///             matchLabels:
    ///               kubernetes.io/metadata.name: kube-system
    ///     - ports:
    ///         - protocol: UDP
    ///           port: 53
    ///         - protocol: TCP
    ///           port: 53
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: allow-dns
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Egress]
    ///   egress:
    ///     - to:
    ///         - namespaceSelector:
    ///             matchLabels:
    ///               kubernetes.io/metadata.name: kube-system
    ///       ports:
    ///         - protocol: UDP
    ///           port: 53
    /// ```
    ///
    /// ## References
    /// - kubernetes/website#50012
    /// - `netpol-semantics.md` §6
    pub RULE {
        code: "NW3014",
        name: "rule-ports-split-from-peers",
        category: Suspicious,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "A rule with peers but no ports is followed by a rule with ports but no peers: probably one rule split in two.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (policy, direction, list) in enforced_rule_lists(ctx) {
        for (i, pair) in list.windows(2).enumerate() {
            let [first, second] = pair else {
                continue;
            };
            let first_split =
                !peers(first).is_empty() && first.ports.as_ref().is_none_or(Vec::is_empty);
            let second_split =
                peers(second).is_empty() && second.ports.as_ref().is_some_and(|p| !p.is_empty());
            if !(first_split && second_split) {
                continue;
            }
            let field = direction.peer_field();
            let message = format!(
                    "{} {} has `{field}` but no `ports` and {} has `ports` but no `{field}`: together they allow those peers on every port, and every peer on {}",
                    policy.qualified_name(),
                    rule_name(direction, i),
                    rule_name(direction, i + 1),
                    ports_text(second)
                );
            out.push(
                    policy
                        .report(&RULE, rule_path(direction, i + 1), message)
                        .with_help(format!(
                            "if the ports belong to those peers, make them one rule: remove the `-` before `ports` and indent it like `{field}`"
                        )),
                );
        }
    }
}
