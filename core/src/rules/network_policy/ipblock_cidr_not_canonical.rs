//! `ipblock-cidr-not-canonical`.

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::path::FieldPath;
use crate::rules::Context;
use crate::source::Span;
use crate::validate::ip::parse_cidr_sloppy;

use super::support::{node_at, peer_path, peers, rule_name, rules, DIRECTIONS};

declare_rule! {
    /// ## What it does
    /// Reports an ipBlock `cidr` or `except` entry that the API server accepts but does not
    /// write canonically: bits set beyond the prefix (`10.1.2.3/8`), leading zeros
    /// (`010.0.0.0/8`), or an IPv4-mapped IPv6 spelling (`::ffff:10.0.0.0/104`). Recent API
    /// servers answer such values with a warning; with the `StrictIPCIDRValidation` feature
    /// they are rejected (and reported by validation instead).
    ///
    /// The fix writes the network the value actually means.
    ///
    /// ## Why it matters
    /// `10.1.2.3/8` means all of 10.0.0.0/8, not the host 10.1.2.3: the author usually meant a
    /// `/32`, and the policy allows sixteen million addresses instead of one. Leading zeros
    /// are read as decimal by Kubernetes but as octal by some other tools.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: backup
    ///   namespace: shop
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: db
    ///   policyTypes: [Egress]
    ///   egress:
    ///     - to:
    ///         - ipBlock:
    ///             cidr: 10.1.2.3/8
    ///       ports:
    ///         - port: 873
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: backup
    ///   namespace: shop
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: db
    ///   policyTypes: [Egress]
    ///   egress:
    ///     - to:
    ///         - ipBlock:
    ///             cidr: 10.1.2.3/32
    ///       ports:
    ///         - port: 873
    /// ```
    ///
    /// ## References
    /// - KEP-4858 "IP/CIDR validation improvements" (StrictIPCIDRValidation)
    /// - `k8s-validation.md` (PRIM-CIDR-LEGACY)
    pub RULE {
        code: "NW3023",
        name: "ipblock-cidr-not-canonical",
        category: Suspicious,
        severity: Warning,
        scope: Object,
        fix: true,
        summary: "An ipBlock CIDR has host bits set, leading zeros or an IPv4-mapped spelling; it means a different, canonical network.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for policy in ctx.policies.iter().filter(|p| p.valid) {
        for direction in DIRECTIONS {
            for (i, rule) in rules(&policy.value.spec, direction).iter().enumerate() {
                for (j, peer) in peers(rule).iter().enumerate() {
                    let Some(block) = &peer.ip_block else {
                        continue;
                    };
                    let block_path = peer_path(direction, i, j).child("ipBlock");
                    let values = std::iter::once((block_path.child("cidr"), &block.cidr)).chain(
                        block
                            .except
                            .iter()
                            .enumerate()
                            .map(|(k, e)| (block_path.child("except").index(k), e)),
                    );
                    for (path, value) in values {
                        if let Some(diagnostic) = finding(policy, &path, value, direction, i) {
                            out.push(diagnostic);
                        }
                    }
                }
            }
        }
    }
}

fn finding(
    policy: &crate::rules::Decoded<'_, crate::model::NetworkPolicy>,
    path: &FieldPath,
    value: &str,
    direction: crate::netpol::Direction,
    rule: usize,
) -> Option<Diagnostic> {
    let cidr = parse_cidr_sloppy(value)?;
    let problem = if cidr.host_bits_set {
        "has bits set beyond the prefix length"
    } else if cidr.leading_zeros {
        "has leading zeros"
    } else if cidr.ipv4_mapped && cidr.addr.is_ipv4() {
        "is an IPv4-mapped IPv6 spelling"
    } else {
        return None;
    };
    let canonical = format!("{}/{}", cidr.network(), cidr.prefix_len);
    let message = format!(
        "{} {} ipBlock {value} {problem}: it means {canonical}",
        policy.qualified_name(),
        rule_name(direction, rule)
    );
    let help = if cidr.host_bits_set {
        format!(
            "write {canonical}, or the host's own prefix (/32, /128) if a single address was meant"
        )
    } else {
        format!("write {canonical}")
    };
    let mut diagnostic = policy.report(&RULE, path.clone(), message).with_help(help);
    if let Some(node) = node_at(policy.object.node, path) {
        let text = policy.file.text.get(node.span.range()).unwrap_or_default();
        let quoted = text.starts_with('"') || text.starts_with('\'');
        let span = if quoted && node.span.end > node.span.start + 1 {
            Span::new(node.span.start as usize + 1, node.span.end as usize - 1)
        } else {
            node.span
        };
        diagnostic = diagnostic.with_fix(Fix {
            title: format!("Write {canonical}"),
            edits: vec![Edit {
                file: policy.file.id,
                span,
                replacement: canonical,
            }],
        });
    }
    Some(diagnostic)
}
