//! `dns-allowed-on-one-protocol`.

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Fix};
use crate::model::{IntOrString, NetworkPolicy, NetworkPolicyRule};
use crate::netpol::Direction;
use crate::rules::{Context, Decoded};

use super::support::{
    applies, insert_item_after, node_at, numeric_range, port_path, rule_admits_port, rule_name,
    rules,
};

declare_rule! {
    /// ## What it does
    /// Reports an egress rule that allows port 53 with an explicit `protocol: UDP` when
    /// nothing allows TCP port 53 to the same peers, or with an explicit `protocol: TCP` when
    /// nothing allows UDP port 53 to them. "Nothing" means no rule of this policy, nor of a
    /// policy of the same namespace with an empty or identical `podSelector`, whose peers are
    /// the same (or absent) and whose ports admit the other protocol on port 53. (A port 53
    /// entry without `protocol` is TCP; `udp-port-without-protocol` reports it.)
    ///
    /// The fix adds the missing protocol next to the entry.
    ///
    /// ## Why it matters
    /// DNS uses both. Resolvers ask over UDP and retry over TCP when an answer does not fit
    /// in a datagram (DNSSEC, long TXT or many A records), so UDP-only DNS fails
    /// intermittently, for some names only. TCP-only DNS fails on every lookup.
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
    ///       ports:
    ///         - protocol: UDP
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
    ///         - protocol: TCP
    ///           port: 53
    /// ```
    ///
    /// ## References
    /// - RFC 7766, "DNS Transport over TCP - Implementation Requirements"
    /// - `netpol-semantics.md` §11.5 (DNS: UDP and TCP 53)
    pub RULE {
        code: "NW3009",
        name: "dns-allowed-on-one-protocol",
        category: Correctness,
        severity: Warning,
        scope: Object,
        fix: true,
        summary: "DNS (port 53) is allowed over UDP only, or over TCP only.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for policy in ctx.policies.iter().filter(|p| p.valid) {
        if !applies(&policy.value.spec, Direction::Egress) {
            continue;
        }
        for (i, rule) in rules(&policy.value.spec, Direction::Egress)
            .iter()
            .enumerate()
        {
            for (k, entry) in rule.ports.iter().flatten().enumerate() {
                let path = port_path(Direction::Egress, i, k);
                if !numeric_range(entry).is_some_and(|(start, end)| (start..=end).contains(&53))
                    || !policy.has(&path.child("protocol"))
                {
                    continue;
                }
                let (has, missing) = match entry.protocol.as_deref() {
                    Some("UDP") => ("UDP", "TCP"),
                    Some("TCP") => ("TCP", "UDP"),
                    _ => continue,
                };
                if allowed_elsewhere(ctx, policy, rule, missing) {
                    continue;
                }
                let why = if has == "UDP" {
                    "answers too large for a datagram (DNSSEC, many records) are retried over TCP and fail"
                } else {
                    "resolvers query over UDP, so every lookup times out"
                };
                let message = format!(
                    "{} {} allows DNS (port 53) over {has} only: {why}",
                    policy.qualified_name(),
                    rule_name(Direction::Egress, i)
                );
                let mut diagnostic = policy
                    .report(&RULE, path.clone(), message)
                    .with_help(format!("also allow {missing} port 53 to the same peers"));
                let edit = node_at(policy.object.node, &path).and_then(|node| {
                    insert_item_after(
                        policy.file,
                        node,
                        &[format!("protocol: {missing}"), "port: 53".to_owned()],
                    )
                });
                if let Some(edit) = edit {
                    diagnostic = diagnostic.with_fix(Fix {
                        title: format!("Also allow {missing} port 53"),
                        edits: vec![edit],
                    });
                }
                out.push(diagnostic);
                break;
            }
        }
    }
}

/// Whether this policy, or a policy of the namespace selecting at least the same pods,
/// allows `protocol` port 53 to the rule's peers (or to everyone).
fn allowed_elsewhere(
    ctx: &Context<'_>,
    policy: &Decoded<'_, NetworkPolicy>,
    rule: &NetworkPolicyRule,
    protocol: &str,
) -> bool {
    let own_selector = policy.value.spec.pod_selector.clone().unwrap_or_default();
    ctx.policies
        .iter()
        .filter(|p| p.valid && p.namespace == policy.namespace)
        .filter(|p| applies(&p.value.spec, Direction::Egress))
        .filter(|p| {
            let selector = p.value.spec.pod_selector.clone().unwrap_or_default();
            std::ptr::eq(*p, policy) || selector.is_empty() || selector == own_selector
        })
        .flat_map(|p| rules(&p.value.spec, Direction::Egress))
        .any(|other| {
            let same_peers =
                other.peers.as_ref().is_none_or(Vec::is_empty) || other.peers == rule.peers;
            let named = other.ports.iter().flatten().any(|entry| {
                entry.protocol.as_deref() == Some(protocol)
                    && matches!(entry.port, Some(IntOrString::String(_)))
            });
            same_peers && (rule_admits_port(other, protocol, 53) || named)
        })
}
