//! Whole reachability matrices: for one protocol and port, which pod may open a connection to
//! which pod, computed with pod sets rather than pair by pair.

use super::cluster::PodId;
use super::compile::{CompiledRule, Direction, Evaluator, PortTarget, Ports};
use super::options::SelfTraffic;
use super::podset::{transpose, PodSet};
use super::ports::{Protocol, ProtocolPorts};
use super::query::Endpoint;

/// Pod-by-pod verdicts: `rows[s].contains(d)` ⇔ pod `s` may open a connection to pod `d`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    /// One row per source pod.
    pub rows: Vec<PodSet>,
}

impl Matrix {
    /// Whether `from` may connect to `to`.
    pub fn allows(&self, from: PodId, to: PodId) -> bool {
        self.rows.get(from).is_some_and(|row| row.contains(to))
    }
}

/// Which destinations a rule's ports admit for one protocol and port.
enum PortMatch {
    None,
    All,
    Pods(PodSet),
}

impl Evaluator<'_> {
    /// The full matrix for one protocol and destination port.
    pub fn matrix(&self, protocol: Protocol, port: u16) -> Matrix {
        let n = self.cluster.pods.len();
        let everyone = PodSet::full(n);

        // Ingress, destination-major: sources each destination admits.
        let mut admitted: Vec<PodSet> = (0..n)
            .map(|d| {
                if self.is_isolated(d, Direction::Ingress) {
                    PodSet::empty(n)
                } else {
                    everyone.clone()
                }
            })
            .collect();
        // Egress, source-major: destinations each source may reach.
        let mut reachable: Vec<PodSet> = (0..n)
            .map(|s| {
                if self.is_isolated(s, Direction::Egress) {
                    PodSet::empty(n)
                } else {
                    everyone.clone()
                }
            })
            .collect();
        for policy in &self.policies {
            for rule in &policy.ingress {
                let sources = peer_pods(rule, &everyone);
                let destinations = match self.port_match(rule, protocol, port) {
                    PortMatch::None => continue,
                    PortMatch::All => policy.selected.clone(),
                    PortMatch::Pods(mut pods) => {
                        pods.intersect_with(&policy.selected);
                        pods
                    }
                };
                for d in destinations.iter() {
                    if let Some(row) = admitted.get_mut(d) {
                        row.union_with(sources);
                    }
                }
            }
            for rule in &policy.egress {
                let mut destinations = peer_pods(rule, &everyone).clone();
                match self.port_match(rule, protocol, port) {
                    PortMatch::None => continue,
                    PortMatch::All => {}
                    PortMatch::Pods(pods) => destinations.intersect_with(&pods),
                }
                for s in policy.selected.iter() {
                    if let Some(row) = reachable.get_mut(s) {
                        row.union_with(&destinations);
                    }
                }
            }
        }
        self.apply_node_exemptions(&mut admitted, &mut reachable);
        let admitted_by = transpose(&admitted);
        let mut rows = reachable;
        for (s, row) in rows.iter_mut().enumerate() {
            if let Some(column) = admitted_by.get(s) {
                row.intersect_with(column);
            }
            if self.options.self_traffic == SelfTraffic::Allowed {
                row.insert(s);
            }
        }
        Matrix { rows }
    }

    fn is_isolated(&self, pod: PodId, direction: Direction) -> bool {
        self.on_pod_network(pod) && !self.policies_for(pod, direction).is_empty()
    }

    /// Connections between a pod and its own node that its policies do not govern.
    fn apply_node_exemptions(&self, admitted: &mut [PodSet], reachable: &mut [PodSet]) {
        let nodes: Vec<PodId> = (0..self.cluster.pods.len())
            .filter(|&p| !self.on_pod_network(p))
            .collect();
        for node in nodes {
            for pod in self.pod_network.iter() {
                let node_endpoint = Endpoint::Pod(node);
                if self.is_exempt(Direction::Ingress, node_endpoint, pod) {
                    if let Some(row) = admitted.get_mut(pod) {
                        row.insert(node);
                    }
                }
                if self.is_exempt(Direction::Egress, node_endpoint, pod) {
                    if let Some(row) = reachable.get_mut(pod) {
                        row.insert(node);
                    }
                }
            }
        }
    }

    fn port_match(&self, rule: &CompiledRule, protocol: Protocol, port: u16) -> PortMatch {
        let Ports::List(entries) = &rule.ports else {
            return PortMatch::All;
        };
        let mut named: Option<PodSet> = None;
        for entry in entries.iter().filter(|e| e.protocol == protocol) {
            match &entry.target {
                PortTarget::All => return PortMatch::All,
                PortTarget::Range(range) if range.contains(port) => return PortMatch::All,
                PortTarget::Range(_) => {}
                PortTarget::Named(name) => {
                    let pods = named.get_or_insert_with(|| PodSet::empty(self.cluster.pods.len()));
                    let declared = self.named_ports.get(&(protocol, name.clone()));
                    for &(pod, number) in declared.into_iter().flatten() {
                        if number == port && self.on_pod_network(pod) {
                            pods.insert(pod);
                        }
                    }
                }
            }
        }
        match named {
            Some(pods) if !pods.is_empty() => PortMatch::Pods(pods),
            _ => PortMatch::None,
        }
    }

    /// For every ordered pair of pods, every protocol and port allowed (pair by pair; meant
    /// for clusters of up to a few thousand pods).
    pub fn connections(&self) -> Vec<Vec<ProtocolPorts>> {
        let n = self.cluster.pods.len();
        (0..n)
            .map(|s| {
                (0..n)
                    .map(|d| self.allowed_ports(Endpoint::Pod(s), Endpoint::Pod(d)))
                    .collect()
            })
            .collect()
    }
}

/// One allowed flow between two endpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    /// Source.
    pub from: Endpoint,
    /// Destination.
    pub to: Endpoint,
    /// What is allowed.
    pub ports: ProtocolPorts,
}

impl Evaluator<'_> {
    /// The allowed flows from `from` (every pod when `None`) to `to` (likewise), leaving out
    /// a pod's flows to itself unless both ends are given; with `port`, only the flows that
    /// allow that protocol and port. "Who can reach the api?" is `flows(None, Some(api), ..)`.
    pub fn flows(
        &self,
        from: Option<Endpoint>,
        to: Option<Endpoint>,
        port: Option<(Protocol, u16)>,
    ) -> Vec<Flow> {
        let pods = || (0..self.cluster.pods.len()).map(Endpoint::Pod);
        let sources: Vec<Endpoint> = from.map_or_else(|| pods().collect(), |e| vec![e]);
        let destinations: Vec<Endpoint> = to.map_or_else(|| pods().collect(), |e| vec![e]);
        let mut flows = Vec::new();
        for &source in &sources {
            for &destination in &destinations {
                if source == destination && (from.is_none() || to.is_none()) {
                    continue;
                }
                let ports = self.allowed_ports(source, destination);
                let keep = match port {
                    Some((protocol, number)) => ports.get(protocol).contains(number),
                    None => !ports.is_empty(),
                };
                if keep {
                    flows.push(Flow {
                        from: source,
                        to: destination,
                        ports,
                    });
                }
            }
        }
        flows
    }
}

/// The pods a rule's peers match (every pod when it has no peer restriction).
fn peer_pods<'a>(rule: &'a CompiledRule, everyone: &'a PodSet) -> &'a PodSet {
    match &rule.peers {
        super::compile::Peers::Any => everyone,
        super::compile::Peers::List { pods, .. } => pods,
    }
}
