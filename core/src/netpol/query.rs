//! Single questions: is one connection allowed, and why; which ports one pair may use.

use std::net::IpAddr;

use serde::Serialize;

use super::cluster::{PodId, PolicyId};
use super::compile::{CompiledPort, CompiledRule, Direction, Evaluator, Peers, PortTarget, Ports};
use super::options::SelfTraffic;
use super::ports::{PortRange, PortSet, Protocol, ProtocolPorts};

/// One side of a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "value", rename_all = "lowercase")]
pub enum Endpoint {
    /// A pod of the cluster.
    Pod(PodId),
    /// An address outside the cluster.
    External(IpAddr),
}

/// A connection to ask about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Connection {
    /// Who opens it.
    pub from: Endpoint,
    /// Who receives it.
    pub to: Endpoint,
    /// Protocol.
    pub protocol: Protocol,
    /// Destination port (the pod's port, after any Service translation).
    pub port: u16,
}

/// A rule of a policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RuleRef {
    /// The policy.
    pub policy: PolicyId,
    /// Which list.
    pub direction: Direction,
    /// Index in the list.
    pub rule: usize,
}

/// A rule that allowed a connection, and the entries that matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleMatch {
    /// The rule.
    pub rule: RuleRef,
    /// The matching `from`/`to` entry (`None`: the rule has no peer restriction).
    pub peer: Option<usize>,
    /// The matching `ports` entry (`None`: the rule has no port restriction).
    pub port: Option<usize>,
}

/// Why one `ports` entry does not match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortMismatch {
    /// The entry is for another protocol.
    Protocol(Protocol),
    /// The port is not the number or outside the range.
    Number(PortRange),
    /// The destination does not declare a container port of that name and protocol.
    NamedPortUndefined(String),
    /// The destination's container port of that name has another number.
    NamedPortElsewhere(String, Vec<u16>),
    /// Named ports only exist on pods; the destination is not one.
    NamedPortNotAPod(String),
}

/// Why a rule did not allow a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuleMiss {
    /// No peer entry matches the other endpoint.
    Peer {
        /// The rule.
        rule: RuleRef,
        /// For each ipBlock entry that contains the address but excludes it: its index.
        excepted_by: Vec<usize>,
    },
    /// The peer matches but no port entry does.
    Ports {
        /// The rule.
        rule: RuleRef,
        /// For each entry: its index and why.
        entries: Vec<(usize, PortMismatch)>,
    },
    /// The policy has no rules in this direction: it only isolates.
    NoRules {
        /// The policy.
        policy: PolicyId,
    },
}

/// The decision of one side (the source's egress or the destination's ingress).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SideVerdict {
    /// The endpoint is not a pod NetworkPolicy applies to (external address, or a
    /// host-network pod seen as its node): this side is not evaluated.
    NotEvaluated,
    /// No policy isolates the pod in this direction.
    NotIsolated,
    /// Exempt: ingress from the pod's own node, or (by option) egress to it.
    OwnNode,
    /// Isolated; allowed by at least one rule.
    Allowed {
        /// Policies applying in this direction.
        isolating: Vec<PolicyId>,
        /// Every rule that matched.
        matches: Vec<RuleMatch>,
    },
    /// Isolated; no rule matched.
    Denied {
        /// Policies applying in this direction.
        isolating: Vec<PolicyId>,
        /// Why each rule did not match.
        misses: Vec<RuleMiss>,
    },
}

impl SideVerdict {
    /// Whether this side lets the connection through.
    pub fn allows(&self) -> bool {
        !matches!(self, SideVerdict::Denied { .. })
    }
}

/// The answer to one connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Allowed.
    pub allowed: bool,
    /// A pod's connection to itself, allowed without evaluation (plugin-dependent).
    pub self_traffic: bool,
    /// The source's egress side.
    pub egress: SideVerdict,
    /// The destination's ingress side.
    pub ingress: SideVerdict,
}

impl Evaluator<'_> {
    /// The address an endpoint connects with.
    pub fn address_of(&self, endpoint: Endpoint) -> Option<IpAddr> {
        match endpoint {
            Endpoint::Pod(pod) => self.cluster.pods.get(pod)?.address(&self.options),
            Endpoint::External(ip) => Some(ip),
        }
    }

    fn is_pod_endpoint(&self, endpoint: Endpoint) -> Option<PodId> {
        match endpoint {
            Endpoint::Pod(pod) if self.on_pod_network(pod) => Some(pod),
            _ => None,
        }
    }

    /// Whether `peer` is the node `pod` runs on: a host-network pod on the same node (by
    /// `spec.nodeName` or address), or an address equal to the pod's `status.hostIP`.
    pub(super) fn is_own_node(&self, peer: Endpoint, pod: PodId) -> bool {
        let Some(pod) = self.cluster.pods.get(pod) else {
            return false;
        };
        match peer {
            Endpoint::External(ip) => pod.host_ip == Some(ip),
            Endpoint::Pod(node) if !self.on_pod_network(node) => {
                let Some(node) = self.cluster.pods.get(node) else {
                    return false;
                };
                let same_name = node.node_name.is_some() && node.node_name == pod.node_name;
                let node_address = node.host_ip.or_else(|| node.addresses.first().copied());
                same_name || (node_address.is_some() && node_address == pod.host_ip)
            }
            Endpoint::Pod(_) => false,
        }
    }

    /// A pod's connection to itself, allowed without evaluation (option `self_traffic`).
    fn is_allowed_self_traffic(&self, from: Endpoint, to: Endpoint) -> bool {
        from == to
            && matches!(from, Endpoint::Pod(_))
            && self.options.self_traffic == SelfTraffic::Allowed
    }

    /// Whether `pod`'s side of a connection with `peer` is exempt from its policies: ingress
    /// from its own node always, egress to it by option.
    pub(super) fn is_exempt(&self, direction: Direction, peer: Endpoint, pod: PodId) -> bool {
        let applies = match direction {
            Direction::Ingress => true,
            Direction::Egress => self.options.exempt_egress_to_own_node,
        };
        applies && self.is_own_node(peer, pod)
    }

    /// `ns/pod`, `ns/kind/name`, or the address.
    pub fn endpoint_name(&self, endpoint: Endpoint) -> String {
        match endpoint {
            Endpoint::Pod(pod) => self.cluster.pod_name(pod).to_string(),
            Endpoint::External(ip) => ip.to_string(),
        }
    }

    /// Decides one connection and explains the decision.
    pub fn check(&self, connection: &Connection) -> Verdict {
        if self.is_allowed_self_traffic(connection.from, connection.to) {
            return Verdict {
                allowed: true,
                self_traffic: true,
                egress: SideVerdict::NotEvaluated,
                ingress: SideVerdict::NotEvaluated,
            };
        }
        let egress = self.side(connection, Direction::Egress);
        let ingress = self.side(connection, Direction::Ingress);
        Verdict {
            allowed: egress.allows() && ingress.allows(),
            self_traffic: false,
            egress,
            ingress,
        }
    }

    fn side(&self, connection: &Connection, direction: Direction) -> SideVerdict {
        let (subject, peer) = match direction {
            Direction::Egress => (connection.from, connection.to),
            Direction::Ingress => (connection.to, connection.from),
        };
        let Some(pod) = self.is_pod_endpoint(subject) else {
            return SideVerdict::NotEvaluated;
        };
        if self.is_exempt(direction, peer, pod) {
            return SideVerdict::OwnNode;
        }
        let isolating = self.policies_for(pod, direction);
        if isolating.is_empty() {
            return SideVerdict::NotIsolated;
        }
        let mut matches = Vec::new();
        let mut misses = Vec::new();
        for &policy in isolating {
            let rules = self
                .policies
                .get(policy)
                .map_or(&[][..], |p| p.rules(direction));
            if rules.is_empty() {
                misses.push(RuleMiss::NoRules { policy });
            }
            for (index, rule) in rules.iter().enumerate() {
                let rule_ref = RuleRef {
                    policy,
                    direction,
                    rule: index,
                };
                match self.match_rule(rule, rule_ref, peer, connection) {
                    Ok(found) => matches.push(found),
                    Err(miss) => misses.push(miss),
                }
            }
        }
        let isolating = isolating.to_vec();
        if matches.is_empty() {
            SideVerdict::Denied { isolating, misses }
        } else {
            SideVerdict::Allowed { isolating, matches }
        }
    }

    fn match_rule(
        &self,
        rule: &CompiledRule,
        rule_ref: RuleRef,
        peer: Endpoint,
        connection: &Connection,
    ) -> Result<RuleMatch, RuleMiss> {
        let peer_index = match self.matching_peer(rule, peer) {
            Ok(index) => index,
            Err(excepted_by) => {
                return Err(RuleMiss::Peer {
                    rule: rule_ref,
                    excepted_by,
                });
            }
        };
        let port_index = match &rule.ports {
            Ports::Any => None,
            Ports::List(entries) => {
                let mut mismatches = Vec::new();
                let mut found = None;
                for (k, entry) in entries.iter().enumerate() {
                    match self.port_matches(
                        entry,
                        connection.to,
                        connection.protocol,
                        connection.port,
                    ) {
                        Ok(()) => {
                            found = Some(k);
                            break;
                        }
                        Err(why) => mismatches.push((k, why)),
                    }
                }
                match found {
                    Some(k) => Some(k),
                    None => {
                        return Err(RuleMiss::Ports {
                            rule: rule_ref,
                            entries: mismatches,
                        });
                    }
                }
            }
        };
        Ok(RuleMatch {
            rule: rule_ref,
            peer: peer_index,
            port: port_index,
        })
    }

    /// The first peer entry matching `peer` (`Ok(None)` when the rule has no peer list), or
    /// the ipBlock entries whose `except` excluded it.
    fn matching_peer(
        &self,
        rule: &CompiledRule,
        peer: Endpoint,
    ) -> Result<Option<usize>, Vec<usize>> {
        let Peers::List { peers, .. } = &rule.peers else {
            return Ok(None);
        };
        let address = match peer {
            Endpoint::External(ip) => Some(ip),
            Endpoint::Pod(_) => None,
        };
        let mut excepted = Vec::new();
        for (j, entry) in peers.iter().enumerate() {
            let hit = match peer {
                Endpoint::Pod(pod) => entry.pods.contains(pod),
                Endpoint::External(ip) => entry.ip_block.as_ref().is_some_and(|b| b.contains(ip)),
            };
            if hit {
                return Ok(Some(j));
            }
            let address = address.or_else(|| self.address_of(peer));
            if let (Some(block), Some(address)) = (&entry.ip_block, address) {
                if block.excepts(address) {
                    excepted.push(j);
                }
            }
        }
        Err(excepted)
    }

    fn port_matches(
        &self,
        entry: &CompiledPort,
        destination: Endpoint,
        protocol: Protocol,
        port: u16,
    ) -> Result<(), PortMismatch> {
        if entry.protocol != protocol {
            return Err(PortMismatch::Protocol(entry.protocol));
        }
        match &entry.target {
            PortTarget::All => Ok(()),
            PortTarget::Range(range) if range.contains(port) => Ok(()),
            PortTarget::Range(range) => Err(PortMismatch::Number(*range)),
            PortTarget::Named(name) => {
                let numbers = self.named_port_numbers(destination, protocol, name)?;
                if numbers.contains(&port) {
                    Ok(())
                } else if numbers.is_empty() {
                    Err(PortMismatch::NamedPortUndefined(name.clone()))
                } else {
                    Err(PortMismatch::NamedPortElsewhere(name.clone(), numbers))
                }
            }
        }
    }

    /// The numbers a named port has on the destination.
    fn named_port_numbers(
        &self,
        destination: Endpoint,
        protocol: Protocol,
        name: &str,
    ) -> Result<Vec<u16>, PortMismatch> {
        let Some(pod) = self.is_pod_endpoint(destination) else {
            return Err(PortMismatch::NamedPortNotAPod(name.to_owned()));
        };
        let pod = self.cluster.pods.get(pod);
        Ok(pod
            .into_iter()
            .flat_map(|p| &p.ports)
            .filter(|p| p.protocol == protocol && p.name.as_deref() == Some(name))
            .map(|p| p.port)
            .collect())
    }

    /// Every protocol and port `from` may open to `to`.
    pub fn allowed_ports(&self, from: Endpoint, to: Endpoint) -> ProtocolPorts {
        if self.is_allowed_self_traffic(from, to) {
            return ProtocolPorts::all();
        }
        let egress = self.side_ports(from, to, to, Direction::Egress);
        if egress.is_empty() {
            return egress;
        }
        egress.intersection(&self.side_ports(to, from, to, Direction::Ingress))
    }

    fn side_ports(
        &self,
        subject: Endpoint,
        peer: Endpoint,
        destination: Endpoint,
        direction: Direction,
    ) -> ProtocolPorts {
        let Some(pod) = self.is_pod_endpoint(subject) else {
            return ProtocolPorts::all();
        };
        let isolating = self.policies_for(pod, direction);
        if self.is_exempt(direction, peer, pod) || isolating.is_empty() {
            return ProtocolPorts::all();
        }
        let mut allowed = ProtocolPorts::none();
        for &policy in isolating {
            let rules = self
                .policies
                .get(policy)
                .map_or(&[][..], |p| p.rules(direction));
            for rule in rules {
                if self.matching_peer(rule, peer).is_err() {
                    continue;
                }
                match &rule.ports {
                    Ports::Any => return ProtocolPorts::all(),
                    Ports::List(entries) => {
                        for entry in entries {
                            self.add_entry_ports(entry, destination, &mut allowed);
                        }
                    }
                }
            }
        }
        allowed
    }

    fn add_entry_ports(
        &self,
        entry: &CompiledPort,
        destination: Endpoint,
        into: &mut ProtocolPorts,
    ) {
        let set: &mut PortSet = into.get_mut(entry.protocol);
        match &entry.target {
            PortTarget::All => *set = PortSet::all(),
            PortTarget::Range(range) => set.insert(*range),
            PortTarget::Named(name) => {
                for number in self
                    .named_port_numbers(destination, entry.protocol, name)
                    .unwrap_or_default()
                {
                    set.insert(PortRange::single(number));
                }
            }
        }
    }
}
