//! `peer-allows-all-namespaces`.

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::netpol::Direction;
use crate::rules::Context;

use super::support::{enforced_peers, ports_text, rule_name, EnforcedRule};

declare_rule! {
    /// ## What it does
    /// Reports a `from`/`to` entry with `namespaceSelector: {}` and no `podSelector` (or
    /// `podSelector: {}`): it matches every pod of every namespace of the cluster. A warning
    /// in ingress rules; info in egress rules, where "any pod of the cluster, but not the
    /// internet" is a common deliberate baseline. An empty `namespaceSelector` next to a
    /// non-empty `podSelector` (say, the monitoring server wherever it runs) is not reported.
    ///
    /// ## Why it matters
    /// The entry reads like a namespace restriction but is the opposite: every workload of
    /// every tenant, present and future, may connect. Usually a specific namespace was
    /// meant, or the `podSelector` of the entry was lost.
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
    ///   ingress:
    ///     - from:
    ///         - namespaceSelector: {}
    ///       ports:
    ///         - port: 8080
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
    ///   ingress:
    ///     - from:
    ///         - namespaceSelector:
    ///             matchLabels:
    ///               kubernetes.io/metadata.name: storefront
    ///       ports:
    ///         - port: 8080
    /// ```
    ///
    /// ## References
    /// - `netpol-semantics.md` §7 (`namespaceSelector: {}` matches every pod endpoint)
    pub RULE {
        code: "NW3021",
        name: "peer-allows-all-namespaces",
        category: Security,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "A from/to entry with an empty namespaceSelector (and no podSelector) matches every pod of the cluster.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for entry in enforced_peers(ctx) {
        let EnforcedRule {
            policy,
            direction,
            index: i,
            rule,
        } = entry.rule;
        let peer = entry.peer;
        let every_namespace = peer
            .namespace_selector
            .as_ref()
            .is_some_and(|s| s.is_empty());
        let every_pod = peer.pod_selector.as_ref().is_none_or(|s| s.is_empty());
        if !every_namespace || !every_pod {
            continue;
        }
        let (what, severity) = match direction {
            Direction::Ingress => ("admits every pod of every namespace", Severity::Warning),
            Direction::Egress => (
                "allows connections to every pod of every namespace",
                Severity::Info,
            ),
        };
        let message = format!(
            "{} {} entry {}[{}] has an empty namespaceSelector: it {what} in the cluster on {}",
            policy.qualified_name(),
            rule_name(direction, i),
            direction.peer_field(),
            entry.index,
            ports_text(rule)
        );
        let mut diagnostic = policy
                        .report(&RULE, entry.path().child("namespaceSelector"), message)
                        .with_help("select the namespaces meant (by `kubernetes.io/metadata.name` or a team label), or add a podSelector to the same entry");
        diagnostic.severity = severity;
        out.push(diagnostic);
    }
}
