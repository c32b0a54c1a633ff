//! `egress-allows-cloud-metadata`.

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::model::{IntOrString, NetworkPolicyRule};
use crate::netpol::Direction;
use crate::rules::Context;
use crate::validate::ip::{parse_cidr_sloppy, parse_ip_sloppy};

use super::support::{applies, peer_path, peers, rule_name, rules};

declare_rule! {
    /// ## What it does
    /// Reports an egress `ipBlock` that contains a cloud instance-metadata address (the
    /// `cluster.metadata_addresses` option: 169.254.169.254, fd00:ec2::254, 100.100.100.200
    /// and 169.254.170.2 by default) without excepting it, in a rule that allows TCP port 80
    /// (where the metadata services listen). A block naming the address itself (`/32`,
    /// `/128`) is an error; a wider block that happens to contain it (`0.0.0.0/0`,
    /// `169.254.0.0/16`) is a warning.
    ///
    /// ## Why it matters
    /// The metadata endpoint hands out the node's cloud credentials, bootstrap tokens and
    /// user data to anyone who asks from the node's network. A compromised pod that can reach
    /// it can act as the node in the cloud account. The usual egress baseline is "the
    /// internet, except the metadata address"; an `except` is easy to forget.
    ///
    /// Do not except all of `169.254.0.0/16`: NodeLocal DNSCache listens on 169.254.20.10.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: internet
    ///   namespace: shop
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: crawler
    ///   policyTypes: [Egress]
    ///   egress:
    ///     - to:
    ///         # netward-ignore: NW3002 the crawler fetches pages from the internet
    ///         - ipBlock:
    ///             cidr: 0.0.0.0/0
    ///             except:
    ///               - 10.0.0.0/8
    /// ```
    ///
    /// ## Use instead
    /// Except the metadata address:
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: internet
    ///   namespace: shop
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: crawler
    ///   policyTypes: [Egress]
    ///   egress:
    ///     - to:
    ///         - ipBlock:
    ///             cidr: 0.0.0.0/0
    ///             except:
    ///               - 10.0.0.0/8
    ///               - 169.254.169.254/32
    ///               - 169.254.170.2/32
    ///               - 100.100.100.200/32
    /// ```
    ///
    /// ## References
    /// - AWS, "Use IMDSv2" / EKS best practices, "Restrict access to the instance profile"
    /// - GKE, "Protect cluster metadata"; Azure IMDS documentation
    /// - `rule-catalog.md` §1.H and §1.N (cloud metadata)
    pub RULE {
        code: "NW3003",
        name: "egress-allows-cloud-metadata",
        category: Security,
        severity: Error,
        scope: Object,
        fix: false,
        summary: "An egress ipBlock lets the pods reach the cloud instance-metadata endpoint.",
        check: check,
    }
}

/// The port the metadata services listen on.
const METADATA_PORT: i32 = 80;

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let addresses: Vec<_> = ctx
        .options
        .cluster
        .metadata_addresses
        .iter()
        .filter_map(|a| parse_ip_sloppy(a).map(|ip| (a.as_str(), ip.addr)))
        .collect();
    if addresses.is_empty() {
        return;
    }
    for policy in ctx.policies.iter().filter(|p| p.valid) {
        if !applies(&policy.value.spec, Direction::Egress) {
            continue;
        }
        for (i, rule) in rules(&policy.value.spec, Direction::Egress)
            .iter()
            .enumerate()
        {
            if !allows_http(rule) {
                continue;
            }
            for (j, peer) in peers(rule).iter().enumerate() {
                let Some(block) = &peer.ip_block else {
                    continue;
                };
                let Some(cidr) = parse_cidr_sloppy(&block.cidr) else {
                    continue;
                };
                let except: Vec<_> = block
                    .except
                    .iter()
                    .filter_map(|e| parse_cidr_sloppy(e))
                    .collect();
                let reached: Vec<&str> = addresses
                    .iter()
                    .filter(|(_, ip)| cidr.contains(*ip) && !except.iter().any(|e| e.contains(*ip)))
                    .map(|(text, _)| *text)
                    .collect();
                if reached.is_empty() {
                    continue;
                }
                let full = match cidr.addr {
                    std::net::IpAddr::V4(_) => 32,
                    std::net::IpAddr::V6(_) => 128,
                };
                let explicit = cidr.prefix_len == full;
                let path = peer_path(Direction::Egress, i, j)
                    .child("ipBlock")
                    .child("cidr");
                let message = if explicit {
                    format!(
                        "{} {} explicitly allows the cloud metadata endpoint {}: the pods can fetch the node's cloud credentials",
                        policy.qualified_name(),
                        rule_name(Direction::Egress, i),
                        block.cidr
                    )
                } else {
                    format!(
                        "{} {} ipBlock {} contains the cloud metadata address{} {} and does not except {}: the pods can fetch the node's cloud credentials",
                        policy.qualified_name(),
                        rule_name(Direction::Egress, i),
                        block.cidr,
                        if reached.len() == 1 { "" } else { "es" },
                        reached.join(", "),
                        if reached.len() == 1 { "it" } else { "them" }
                    )
                };
                let help = if explicit {
                    "remove this peer; pods that need cloud APIs should use workload identity (IRSA, GKE Workload Identity, Azure Workload Identity) instead of the node's metadata endpoint".to_owned()
                } else {
                    format!(
                        "add {} to the ipBlock's `except`",
                        reached
                            .iter()
                            .map(|a| if a.contains(':') {
                                format!("{a}/128")
                            } else {
                                format!("{a}/32")
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                };
                let mut diagnostic = policy.report(&RULE, path, message).with_help(help);
                if !explicit {
                    diagnostic.severity = Severity::Warning;
                }
                out.push(diagnostic);
            }
        }
    }
}

/// Whether the rule's ports admit TCP port 80.
fn allows_http(rule: &NetworkPolicyRule) -> bool {
    let entries = rule.ports.as_deref().unwrap_or_default();
    entries.is_empty()
        || entries.iter().any(|p| {
            p.protocol.as_deref().unwrap_or("TCP") == "TCP"
                && match &p.port {
                    None => true,
                    Some(IntOrString::Int(start)) => {
                        let end = p.end_port.unwrap_or(*start);
                        (*start..=end).contains(&METADATA_PORT)
                    }
                    Some(IntOrString::String(_)) => false,
                }
        })
}
