//! A deliberately simple NetworkPolicy evaluator written straight from `netpol-semantics.md`
//! (§2-§11, §15 defaults), to check the compiled engine against. It reads only the plain data
//! of a [`Cluster`] and walks every policy for every question: no pod sets, no caching, no
//! code from the engine's compiler or query modules (the `Endpoint` and `Protocol` types are
//! only the vocabulary of the question). CIDRs are parsed here, not with the crate's ip module.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use netward_core::model::{IntOrString, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicyRule};
use netward_core::netpol::cluster::ClusterPod;
use netward_core::netpol::{
    AddressFamily, Cluster, Endpoint, HostNetwork, Policy, Protocol, ReachOptions, SelfTraffic,
};
use netward_core::selector::LabelSelector;

/// Whether `from` may open a connection to `to` on `protocol`/`port`.
pub fn allowed(
    cluster: &Cluster,
    options: &ReachOptions,
    from: Endpoint,
    to: Endpoint,
    protocol: Protocol,
    port: u16,
) -> bool {
    // §11.1 / A1: a pod's traffic to itself cannot be blocked (unless asked to evaluate it).
    if from == to
        && matches!(from, Endpoint::Pod(_))
        && options.self_traffic == SelfTraffic::Allowed
    {
        return true;
    }
    // §5: both sides must allow.
    egress_side_allows(cluster, options, from, to, protocol, port)
        && ingress_side_allows(cluster, options, from, to, protocol, port)
}

/// §5.1: the source's egress.
fn egress_side_allows(
    cluster: &Cluster,
    options: &ReachOptions,
    from: Endpoint,
    to: Endpoint,
    protocol: Protocol,
    port: u16,
) -> bool {
    // §5.4: a side whose endpoint is not a pod endpoint is not evaluated.
    let Some(source) = pod_endpoint(cluster, options, from) else {
        return true;
    };
    // A3: egress to the pod's own node is exempt only by option.
    if options.exempt_egress_to_own_node && is_own_node(cluster, options, to, source) {
        return true;
    }
    let mut isolated = false;
    for policy in &cluster.policies {
        if !policy.affects_egress || !selects(policy, source) {
            continue;
        }
        isolated = true;
        for rule in policy.spec.egress.iter().flatten() {
            if rule_matches(cluster, options, policy, rule, to, to, protocol, port) {
                return true;
            }
        }
    }
    !isolated
}

/// §5.2: the destination's ingress.
fn ingress_side_allows(
    cluster: &Cluster,
    options: &ReachOptions,
    from: Endpoint,
    to: Endpoint,
    protocol: Protocol,
    port: u16,
) -> bool {
    let Some(destination) = pod_endpoint(cluster, options, to) else {
        return true;
    };
    // §11.3: ingress from the pod's own node is always allowed.
    if is_own_node(cluster, options, from, destination) {
        return true;
    }
    let mut isolated = false;
    for policy in &cluster.policies {
        if !policy.affects_ingress || !selects(policy, destination) {
            continue;
        }
        isolated = true;
        for rule in policy.spec.ingress.iter().flatten() {
            if rule_matches(cluster, options, policy, rule, from, to, protocol, port) {
                return true;
            }
        }
    }
    !isolated
}

/// The pod behind an endpoint, when NetworkPolicy sees it as a pod (§11.4: host-network pods
/// are their node unless the options say otherwise).
fn pod_endpoint<'c>(
    cluster: &'c Cluster,
    options: &ReachOptions,
    endpoint: Endpoint,
) -> Option<&'c ClusterPod> {
    match endpoint {
        Endpoint::Pod(id) => {
            let pod = cluster.pods.get(id)?;
            if is_seen_as_pod(pod, options) {
                Some(pod)
            } else {
                None
            }
        }
        Endpoint::External(_) => None,
    }
}

fn is_seen_as_pod(pod: &ClusterPod, options: &ReachOptions) -> bool {
    !pod.host_network || options.host_network == HostNetwork::Pod
}

/// The address a pod connects with: its first address, or its first of the family asked for.
fn pod_address(pod: &ClusterPod, options: &ReachOptions) -> Option<IpAddr> {
    match options.family {
        None => pod.addresses.first().copied(),
        Some(AddressFamily::V4) => pod.addresses.iter().copied().find(IpAddr::is_ipv4),
        Some(AddressFamily::V6) => pod.addresses.iter().copied().find(IpAddr::is_ipv6),
    }
}

/// §11.3: whether `peer` is the node `pod` runs on (its `status.hostIP`, or a host-network
/// pod seen as a node on the same node).
fn is_own_node(
    cluster: &Cluster,
    options: &ReachOptions,
    peer: Endpoint,
    pod: &ClusterPod,
) -> bool {
    match peer {
        Endpoint::External(ip) => pod.host_ip == Some(ip),
        Endpoint::Pod(id) => {
            let Some(node) = cluster.pods.get(id) else {
                return false;
            };
            if is_seen_as_pod(node, options) {
                return false;
            }
            let same_node_name = node.node_name.is_some() && node.node_name == pod.node_name;
            // A host-network pod shares its node's address.
            let node_address = node.host_ip.or_else(|| node.addresses.first().copied());
            let same_address = pod.host_ip.is_some() && node_address == pod.host_ip;
            same_node_name || same_address
        }
    }
}

/// §2: the policy is in the pod's namespace and its podSelector (absent = `{}`) matches.
fn selects(policy: &Policy, pod: &ClusterPod) -> bool {
    policy.namespace == pod.namespace
        && selector_matches(policy.spec.pod_selector.as_ref(), &pod.labels)
}

fn selector_matches(selector: Option<&LabelSelector>, labels: &BTreeMap<String, String>) -> bool {
    match selector {
        None => true,
        Some(selector) => selector.matches(labels),
    }
}

/// §6: a rule matches when its peer part and its port part both match. `destination` is the
/// pod named ports are resolved on (§9).
#[allow(clippy::too_many_arguments)]
fn rule_matches(
    cluster: &Cluster,
    options: &ReachOptions,
    policy: &Policy,
    rule: &NetworkPolicyRule,
    peer: Endpoint,
    destination: Endpoint,
    protocol: Protocol,
    port: u16,
) -> bool {
    let peers_ok = match &rule.peers {
        None => true,
        Some(list) if list.is_empty() => true,
        Some(list) => list
            .iter()
            .any(|element| peer_matches(cluster, options, policy, element, peer)),
    };
    let ports_ok = match &rule.ports {
        None => true,
        Some(list) if list.is_empty() => true,
        Some(list) => list
            .iter()
            .any(|entry| port_matches(cluster, options, entry, destination, protocol, port)),
    };
    peers_ok && ports_ok
}

/// §7: one element of `from` / `to`.
fn peer_matches(
    cluster: &Cluster,
    options: &ReachOptions,
    policy: &Policy,
    element: &NetworkPolicyPeer,
    peer: Endpoint,
) -> bool {
    if let Some(block) = &element.ip_block {
        // §10 / A4: any endpoint's address, pods included (pods only when the option says so;
        // host-network pods seen as their node always, an external address always).
        let address = match peer {
            Endpoint::External(ip) => Some(ip),
            Endpoint::Pod(id) => match cluster.pods.get(id) {
                Some(pod) if !is_seen_as_pod(pod, options) || options.ip_block_matches_pods => {
                    pod_address(pod, options)
                }
                _ => None,
            },
        };
        let Some(address) = address else {
            return false;
        };
        return cidr_contains(&block.cidr, address)
            && !block.except.iter().any(|e| cidr_contains(e, address));
    }
    if element.pod_selector.is_none() && element.namespace_selector.is_none() {
        // Invalid (a peer must set something); validation keeps these out.
        return false;
    }
    // Selector peers match only pod endpoints.
    let Some(pod) = pod_endpoint(cluster, options, peer) else {
        return false;
    };
    let namespace_ok = match &element.namespace_selector {
        None => pod.namespace == policy.namespace,
        Some(selector) => cluster
            .namespaces
            .get(pod.namespace)
            .is_some_and(|ns| selector.matches(&ns.labels)),
    };
    namespace_ok && selector_matches(element.pod_selector.as_ref(), &pod.labels)
}

/// §9: one element of `ports`.
fn port_matches(
    cluster: &Cluster,
    options: &ReachOptions,
    entry: &NetworkPolicyPort,
    destination: Endpoint,
    protocol: Protocol,
    port: u16,
) -> bool {
    let entry_protocol = match entry.protocol.as_deref() {
        None | Some("TCP") => Protocol::Tcp,
        Some("UDP") => Protocol::Udp,
        Some("SCTP") => Protocol::Sctp,
        Some(_) => return false,
    };
    if entry_protocol != protocol {
        return false;
    }
    match &entry.port {
        None => true,
        Some(IntOrString::Int(start)) => {
            let end = match entry.end_port {
                Some(end) if options.enforce_end_port => end,
                _ => *start,
            };
            *start <= i32::from(port) && i32::from(port) <= end
        }
        Some(IntOrString::String(name)) => {
            // Resolved on the destination pod; nothing when it is not a pod.
            let Some(pod) = pod_endpoint(cluster, options, destination) else {
                return false;
            };
            pod.ports.iter().any(|served| {
                served.name.as_deref() == Some(name.as_str())
                    && served.protocol == protocol
                    && served.port == port
            })
        }
    }
}

/// A CIDR's address and prefix length, parsed the plain way.
enum Cidr {
    V4(u32, u32),
    V6(u128, u32),
}

fn parse_cidr(text: &str) -> Option<Cidr> {
    let (address, prefix) = text.split_once('/')?;
    let prefix: u32 = prefix.parse().ok()?;
    if let Ok(v4) = address.parse::<Ipv4Addr>() {
        return (prefix <= 32).then_some(Cidr::V4(u32::from(v4), prefix));
    }
    let v6 = address.parse::<Ipv6Addr>().ok()?;
    (prefix <= 128).then_some(Cidr::V6(u128::from(v6), prefix))
}

/// Whether `address` is inside the prefix (host bits of the written address are ignored; an
/// address of the other family never matches).
fn cidr_contains(cidr: &str, address: IpAddr) -> bool {
    match (parse_cidr(cidr), address) {
        (Some(Cidr::V4(network, prefix)), IpAddr::V4(a)) => {
            let mask = if prefix == 0 {
                0
            } else {
                u32::MAX << (32 - prefix)
            };
            network & mask == u32::from(a) & mask
        }
        (Some(Cidr::V6(network, prefix)), IpAddr::V6(a)) => {
            let mask = if prefix == 0 {
                0
            } else {
                u128::MAX << (128 - prefix)
            };
            network & mask == u128::from(a) & mask
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cidr_matching() {
        let ip = |t: &str| t.parse::<IpAddr>().unwrap();
        assert!(cidr_contains("10.0.0.0/24", ip("10.0.0.77")));
        assert!(!cidr_contains("10.0.0.0/24", ip("10.0.1.1")));
        assert!(cidr_contains("0.0.0.0/0", ip("8.8.8.8")));
        assert!(!cidr_contains("0.0.0.0/0", ip("fd00::1")));
        assert!(cidr_contains("10.0.0.5/32", ip("10.0.0.5")));
        assert!(cidr_contains("10.0.0.5/24", ip("10.0.0.9")));
        assert!(cidr_contains("fd00::/64", ip("fd00::abcd")));
        assert!(!cidr_contains("fd00::/120", ip("fd00::1:0")));
        assert!(cidr_contains("::/0", ip("2001:db8::1")));
        assert!(!cidr_contains("fd00::1/128", ip("10.0.0.1")));
    }
}
