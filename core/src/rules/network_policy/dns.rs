//! Does an egress rule let pods reach cluster DNS? Shared by the DNS rules.
//!
//! The DNS servers are the pods of `options.cluster.dns` (namespace and labels) found in the
//! bundle, or, when the bundle has none, a hypothetical pod with the configured labels in the
//! configured namespace. Whatever the bundle cannot tell (labels of a namespace without a
//! manifest, the DNS pods' addresses, named ports on a hypothetical pod) is assumed to match:
//! the rules built on this report only what is certainly missing.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};

use crate::model::{IntOrString, NetworkPolicyPeer, NetworkPolicyRule};
use crate::netpol::cluster::{NamespaceId, PodId, ServedPort};
use crate::netpol::{Direction, Protocol, NAMESPACE_NAME_LABEL};
use crate::object::ManifestObject;
use crate::rules::Context;
use crate::validate::ip::{parse_cidr_sloppy, ParsedCidr};

use super::support::{namespace_id, rules, Objects, PartialLabels};

/// The DNS port.
pub(super) const DNS_PORT: u16 = 53;

/// NodeLocal DNSCache's link-local address.
const NODE_LOCAL_DNS: IpAddr = IpAddr::V4(Ipv4Addr::new(169, 254, 20, 10));

/// Where pod addresses usually are when the pod CIDRs are not configured.
const PRIVATE_RANGES: &[&str] = &[
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "fc00::/7",
];

/// A DNS server pod, real or hypothetical.
pub(super) struct DnsTarget<'c> {
    /// The bundle's pod, when real.
    pub(super) pod: Option<PodId>,
    /// Its namespace, when the bundle knows it.
    namespace: Option<NamespaceId>,
    namespace_labels: BTreeMap<String, String>,
    namespace_complete: bool,
    pod_labels: BTreeMap<String, String>,
    pod_complete: bool,
    address: Option<IpAddr>,
    ports: Option<&'c [ServedPort]>,
}

/// What the rules need to judge DNS reachability.
pub(super) struct Dns<'c> {
    /// The DNS servers.
    pub(super) targets: Vec<DnsTarget<'c>>,
    pod_ranges: Vec<ParsedCidr>,
}

impl<'c> Dns<'c> {
    /// The DNS servers the options describe.
    pub(super) fn new(ctx: &'c Context<'_>) -> Self {
        let config = &ctx.options.cluster.dns;
        let namespace = namespace_id(ctx, &config.namespace);
        let mut targets: Vec<DnsTarget<'c>> = Vec::new();
        for (id, pod) in ctx.cluster.pods.iter().enumerate() {
            let is_dns = Some(pod.namespace) == namespace
                && ctx.evaluator.on_pod_network(id)
                && config
                    .pod_labels
                    .iter()
                    .all(|(k, v)| pod.labels.get(k) == Some(v));
            if !is_dns {
                continue;
            }
            let ns = ctx.cluster.namespace(pod.namespace);
            targets.push(DnsTarget {
                pod: Some(id),
                namespace,
                namespace_labels: ns.map(|n| n.labels.clone()).unwrap_or_default(),
                namespace_complete: ns.is_some_and(|n| n.declared_at.is_some()),
                pod_labels: pod.labels.clone(),
                pod_complete: true,
                address: pod.address(ctx.evaluator.options()),
                ports: Some(&pod.ports),
            });
        }
        if targets.is_empty() {
            let ns = namespace.and_then(|n| ctx.cluster.namespace(n));
            targets.push(DnsTarget {
                pod: None,
                namespace,
                namespace_labels: ns.map_or_else(
                    || {
                        crate::sort::map([(
                            NAMESPACE_NAME_LABEL.to_owned(),
                            config.namespace.clone(),
                        )])
                    },
                    |n| n.labels.clone(),
                ),
                namespace_complete: ns.is_some_and(|n| n.declared_at.is_some()),
                pod_labels: config.pod_labels.clone(),
                pod_complete: false,
                address: None,
                ports: None,
            });
        }
        let configured: Vec<ParsedCidr> = ctx
            .options
            .cluster
            .pod_cidrs
            .iter()
            .filter_map(|c| parse_cidr_sloppy(c))
            .collect();
        let pod_ranges = if configured.is_empty() {
            PRIVATE_RANGES
                .iter()
                .filter_map(|c| parse_cidr_sloppy(c))
                .collect()
        } else {
            configured
        };
        Dns {
            targets,
            pod_ranges,
        }
    }

    /// Whether the pod is one of the DNS servers.
    pub(super) fn is_server(&self, pod: PodId) -> bool {
        self.targets.iter().any(|t| t.pod == Some(pod))
    }

    /// Whether an egress rule of a policy in `namespace` may let pods reach DNS over
    /// `protocol`.
    pub(super) fn rule_allows(
        &self,
        namespace: NamespaceId,
        rule: &NetworkPolicyRule,
        protocol: Protocol,
    ) -> bool {
        self.targets.iter().any(|target| {
            let ports = target.dns_ports(protocol);
            let ports_match = match rule.ports.as_deref() {
                None | Some([]) => true,
                Some(entries) => entries.iter().any(|entry| {
                    Protocol::from_field(entry.protocol.as_deref()) == Some(protocol)
                        && match &entry.port {
                            None => true,
                            Some(IntOrString::Int(start)) => {
                                let end = entry.end_port.unwrap_or(*start).max(*start);
                                ports
                                    .iter()
                                    .any(|p| (*start..=end).contains(&i32::from(*p)))
                            }
                            Some(IntOrString::String(name)) => target.ports.is_none_or(|served| {
                                served.iter().any(|p| {
                                    p.protocol == protocol && p.name.as_deref() == Some(name)
                                })
                            }),
                        }
                }),
            };
            let explicit_port = rule.ports.as_deref().is_some_and(|p| !p.is_empty());
            ports_match
                && match rule.peers.as_deref() {
                    None | Some([]) => true,
                    Some(peers) => peers
                        .iter()
                        .any(|peer| self.peer_reaches(namespace, peer, target, explicit_port)),
                }
        })
    }

    fn peer_reaches(
        &self,
        namespace: NamespaceId,
        peer: &NetworkPolicyPeer,
        target: &DnsTarget<'_>,
        explicit_port: bool,
    ) -> bool {
        if let Some(block) = &peer.ip_block {
            let Some(cidr) = parse_cidr_sloppy(&block.cidr) else {
                return false;
            };
            let except: Vec<ParsedCidr> = block
                .except
                .iter()
                .filter_map(|e| parse_cidr_sloppy(e))
                .collect();
            let contains = |ip: IpAddr| cidr.contains(ip) && !except.iter().any(|e| e.contains(ip));
            return match target.address {
                Some(address) => contains(address) || contains(NODE_LOCAL_DNS),
                None => {
                    explicit_port
                        || contains(NODE_LOCAL_DNS)
                        || self.pod_ranges.iter().any(|range| {
                            range.contains(cidr.network()) || cidr.contains(range.network())
                        })
                }
            };
        }
        let namespace_ok = match &peer.namespace_selector {
            Some(selector) => PartialLabels {
                labels: &target.namespace_labels,
                complete: target.namespace_complete,
            }
            .may_match(selector),
            None => target.namespace == Some(namespace),
        };
        namespace_ok
            && peer.pod_selector.as_ref().is_none_or(|selector| {
                PartialLabels {
                    labels: &target.pod_labels,
                    complete: target.pod_complete,
                }
                .may_match(selector)
            })
    }
}

impl DnsTarget<'_> {
    /// The ports the server answers DNS on: its declared ports numbered 53 or named like
    /// `dns`, else 53.
    pub(super) fn dns_ports(&self, protocol: Protocol) -> Vec<u16> {
        let declared: Vec<u16> = self
            .ports
            .into_iter()
            .flatten()
            .filter(|p| {
                p.protocol == protocol
                    && (p.port == DNS_PORT || p.name.as_deref().is_some_and(|n| n.contains("dns")))
            })
            .map(|p| p.port)
            .collect();
        if declared.is_empty() {
            vec![DNS_PORT]
        } else {
            declared
        }
    }
}

/// Whether some egress rule of the policies isolating `pod` for egress may reach DNS over
/// `protocol`.
pub(super) fn pod_reaches_dns(
    ctx: &Context<'_>,
    dns: &Dns<'_>,
    pod: PodId,
    protocol: Protocol,
) -> bool {
    ctx.evaluator
        .policies_for(pod, Direction::Egress)
        .iter()
        .filter_map(|&id| ctx.cluster.policies.get(id))
        .any(|policy| {
            rules(&policy.spec, Direction::Egress)
                .iter()
                .any(|rule| dns.rule_allows(policy.namespace, rule, protocol))
        })
}

/// The pod's `dnsPolicy` (from its manifest or its workload's pod template).
pub(super) fn dns_policy(ctx: &Context<'_>, objects: &Objects<'_>, pod: PodId) -> Option<String> {
    let origin = ctx.cluster.pods.get(pod)?.origin;
    let (_, object) = objects.at(origin)?;
    let spec = pod_spec(&object)?;
    spec.get("dnsPolicy")?.as_str().map(str::to_owned)
}

fn pod_spec<'a>(object: &ManifestObject<'a>) -> Option<&'a crate::source::Node> {
    let root = object.node;
    if object.group().is_empty() && object.kind() == "Pod" {
        return root.get("spec");
    }
    let kind = crate::model::workload_kind(object.group(), object.kind())?;
    kind.template_path
        .iter()
        .try_fold(root, |node, field| node.get(field))?
        .get("spec")
}

/// A `podSelector`-only peer, in a policy outside the DNS namespace, whose labels look like
/// the DNS pods' (it shares a key with them and does not contradict them): it looks for the
/// DNS pods in the policy's own namespace.
pub(super) fn dns_peer_without_namespace(
    ctx: &Context<'_>,
    policy_namespace: &str,
    peer: &NetworkPolicyPeer,
) -> bool {
    let config = &ctx.options.cluster.dns;
    let Some(selector) = peer.pod_selector.as_ref().filter(|s| !s.is_empty()) else {
        return false;
    };
    peer.namespace_selector.is_none()
        && peer.ip_block.is_none()
        && policy_namespace != config.namespace
        && shares_key(selector, &config.pod_labels)
        && PartialLabels {
            labels: &config.pod_labels,
            complete: false,
        }
        .may_match(selector)
}

/// Whether the selector reads one of the labels' keys.
pub(super) fn shares_key(
    selector: &crate::selector::LabelSelector,
    labels: &BTreeMap<String, String>,
) -> bool {
    selector.match_labels.keys().any(|k| labels.contains_key(k))
        || selector
            .match_expressions
            .iter()
            .any(|e| labels.contains_key(&e.key))
}
