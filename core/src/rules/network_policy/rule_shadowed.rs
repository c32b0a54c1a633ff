//! `rule-shadowed`.

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Fix, Severity};
use crate::model::{IntOrString, IpBlock, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicyRule};
use crate::netpol::NAMESPACE_NAME_LABEL;
use crate::rules::Context;
use crate::selector::LabelSelector;
use crate::validate::ip::parse_cidr_sloppy;

use super::support::{
    allows_everything, delete_item, enforced_rule_lists, node_at, peers, rule_name, rule_path,
};

declare_rule! {
    /// ## What it does
    /// Reports a rule whose every allowance is already granted by another rule of the same
    /// policy and direction: its peers are contained in the other rule's peers and its ports
    /// in the other rule's ports. Containment is decided on the text, soundly but not
    /// completely: no peers (or no ports) contains everything; an ipBlock contains a
    /// narrower ipBlock unless one of its `except` ranges cuts into it; a selector contains
    /// another that has all of its requirements and more; a port range contains the ports
    /// inside it. Identical rules are `duplicate-rule-entry`'s finding. It is a warning when
    /// the broader rule allows everything, info otherwise.
    ///
    /// The fix deletes the contained rule, which changes nothing the policy allows.
    ///
    /// ## Why it matters
    /// The contained rule is dead code. Often the broader rule is the mistake (a stray `{}`
    /// or a forgotten port list), and the narrow one shows what was meant.
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
    ///         - podSelector:
    ///             matchLabels:
    ///               app: web
    ///     - from:
    ///         - podSelector:
    ///             matchLabels:
    ///               app: web
    ///               tier: frontend
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
    ///         - podSelector:
    ///             matchLabels:
    ///               app: web
    ///       ports:
    ///         - port: 8080
    /// ```
    ///
    /// ## References
    /// - `netpol-semantics.md` §5 (rules are a union), §7-§10
    pub RULE {
        code: "NW3018",
        name: "rule-shadowed",
        category: Suspicious,
        severity: Info,
        scope: Object,
        fix: true,
        summary: "A rule allows nothing that another rule of the same policy does not already allow.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (policy, direction, list) in enforced_rule_lists(ctx) {
        for (i, rule) in list.iter().enumerate() {
            let broader = list.iter().enumerate().find(|&(j, other)| {
                j != i
                    && other != rule
                    && rule_within(rule, other, &policy.namespace)
                    && (!rule_within(other, rule, &policy.namespace) || i > j)
            });
            let Some((j, other)) = broader else {
                continue;
            };
            let everything = allows_everything(other);
            let message = format!(
                "{} {} allows nothing that {} does not already allow{}",
                policy.qualified_name(),
                rule_name(direction, i),
                rule_name(direction, j),
                if everything {
                    " (it allows everything)"
                } else {
                    ""
                }
            );
            let path = rule_path(direction, i);
            let mut diagnostic = policy.report(&RULE, path.clone(), message).with_help(
                    if everything {
                        "the broader rule admits every peer on every port: if that is a mistake, fix it; otherwise delete this rule"
                    } else {
                        "delete this rule, or narrow the broader one if it allows more than meant"
                    },
                );
            if everything {
                diagnostic.severity = Severity::Warning;
            }
            if let Some(edit) =
                node_at(policy.object.node, &path).and_then(|node| delete_item(policy.file, node))
            {
                diagnostic = diagnostic.with_fix(Fix {
                    title: "Delete the shadowed rule".to_owned(),
                    edits: vec![edit],
                });
            }
            out.push(diagnostic);
        }
    }
}

/// Whether every connection `inner` allows, `outer` allows too.
fn rule_within(inner: &NetworkPolicyRule, outer: &NetworkPolicyRule, namespace: &str) -> bool {
    peers_within(peers(inner), peers(outer), namespace)
        && ports_within(
            inner.ports.as_deref().unwrap_or_default(),
            outer.ports.as_deref().unwrap_or_default(),
        )
}

fn peers_within(inner: &[NetworkPolicyPeer], outer: &[NetworkPolicyPeer], namespace: &str) -> bool {
    if outer.is_empty() {
        return true;
    }
    !inner.is_empty()
        && inner
            .iter()
            .all(|a| outer.iter().any(|b| peer_within(a, b, namespace)))
}

fn peer_within(inner: &NetworkPolicyPeer, outer: &NetworkPolicyPeer, namespace: &str) -> bool {
    match (&inner.ip_block, &outer.ip_block) {
        (Some(a), Some(b)) => block_within(a, b),
        (None, None) => selectors_within(inner, outer, namespace),
        _ => false,
    }
}

fn block_within(inner: &IpBlock, outer: &IpBlock) -> bool {
    let (Some(a), Some(b)) = (
        parse_cidr_sloppy(&inner.cidr),
        parse_cidr_sloppy(&outer.cidr),
    ) else {
        return false;
    };
    if a.family() != b.family() || b.prefix_len > a.prefix_len || !b.contains(a.network()) {
        return false;
    }
    let inner_except: Vec<_> = inner
        .except
        .iter()
        .filter_map(|e| parse_cidr_sloppy(e))
        .collect();
    outer.except.iter().all(|e| {
        let Some(e) = parse_cidr_sloppy(e) else {
            return false;
        };
        let disjoint = !e.contains(a.network()) && !a.contains(e.network());
        disjoint
            || inner_except
                .iter()
                .any(|x| x.prefix_len <= e.prefix_len && x.contains(e.network()))
    })
}

fn selectors_within(inner: &NetworkPolicyPeer, outer: &NetworkPolicyPeer, namespace: &str) -> bool {
    let own = crate::sort::map([(NAMESPACE_NAME_LABEL.to_owned(), namespace.to_owned())]);
    let names_own = |s: &LabelSelector| s.match_expressions.is_empty() && s.match_labels == own;
    let namespaces = match (&inner.namespace_selector, &outer.namespace_selector) {
        (None, None) => true,
        (Some(a), None) => names_own(a),
        (None, Some(b)) => b.is_empty() || names_own(b),
        (Some(a), Some(b)) => requires_all_of(a, b),
    };
    let pods = match (&inner.pod_selector, &outer.pod_selector) {
        (_, None) => true,
        (_, Some(b)) if b.is_empty() => true,
        (None, Some(_)) => false,
        (Some(a), Some(b)) => requires_all_of(a, b),
    };
    namespaces && pods
}

/// Whether `inner` has every requirement of `outer` (so it selects a subset).
fn requires_all_of(inner: &LabelSelector, outer: &LabelSelector) -> bool {
    outer
        .match_labels
        .iter()
        .all(|(k, v)| inner.match_labels.get(k) == Some(v))
        && outer
            .match_expressions
            .iter()
            .all(|e| inner.match_expressions.contains(e))
}

fn ports_within(inner: &[NetworkPolicyPort], outer: &[NetworkPolicyPort]) -> bool {
    if outer.is_empty() {
        return true;
    }
    !inner.is_empty()
        && inner
            .iter()
            .all(|a| outer.iter().any(|b| port_within(a, b)))
}

fn port_within(inner: &NetworkPolicyPort, outer: &NetworkPolicyPort) -> bool {
    let protocol = |p: &NetworkPolicyPort| p.protocol.clone().unwrap_or_else(|| "TCP".to_owned());
    if protocol(inner) != protocol(outer) {
        return false;
    }
    match (&inner.port, &outer.port) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(IntOrString::String(a)), Some(IntOrString::String(b))) => a == b,
        (Some(IntOrString::Int(a)), Some(IntOrString::Int(b))) => {
            let a_end = inner.end_port.unwrap_or(*a);
            let b_end = outer.end_port.unwrap_or(*b);
            b <= a && a_end <= b_end
        }
        _ => false,
    }
}
