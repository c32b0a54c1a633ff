//! Compiling a cluster's policies once into pod sets and port matchers, so single questions
//! and whole matrices are answered without walking the policies' text again.

use std::collections::HashMap;
use std::net::IpAddr;

use crate::diagnostic::ObjectRef;
use crate::model::{IntOrString, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicyRule};
use crate::selector::LabelSelector;
use crate::validate::ip::{parse_cidr_sloppy, ParsedCidr};

use super::cluster::{
    Cluster, ClusterPod, NamespaceId, Note, PodId, PolicyId, NAMESPACE_NAME_LABEL,
};
use super::options::ReachOptions;
use super::podset::PodSet;
use super::ports::{PortRange, Protocol};

/// The direction of a rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// Connections arriving at the selected pods (`spec.ingress`).
    Ingress,
    /// Connections the selected pods open (`spec.egress`).
    Egress,
}

impl Direction {
    /// The spec field: `ingress` or `egress`.
    pub fn field(self) -> &'static str {
        match self {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        }
    }

    /// The peer field of a rule: `from` or `to`.
    pub fn peer_field(self) -> &'static str {
        match self {
            Direction::Ingress => "from",
            Direction::Egress => "to",
        }
    }
}

/// An `ipBlock`, parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct IpBlockMatcher {
    cidr: ParsedCidr,
    except: Vec<ParsedCidr>,
}

impl IpBlockMatcher {
    /// Whether `address` is inside the CIDR and outside every exception.
    pub fn contains(&self, address: IpAddr) -> bool {
        self.cidr.contains(address) && !self.except.iter().any(|e| e.contains(address))
    }

    /// Whether `address` is inside the CIDR but excluded by an exception.
    pub fn excepts(&self, address: IpAddr) -> bool {
        self.cidr.contains(address) && self.except.iter().any(|e| e.contains(address))
    }
}

/// One entry of `from` / `to`.
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledPeer {
    /// The pods it matches.
    pub pods: PodSet,
    /// Its ipBlock, for endpoints outside the cluster.
    pub ip_block: Option<IpBlockMatcher>,
}

/// The peer part of a rule.
#[derive(Debug, Clone, PartialEq)]
pub enum Peers {
    /// No `from` / `to` (or an empty list): every endpoint.
    Any,
    /// At least one peer must match.
    List {
        /// Each peer.
        peers: Vec<CompiledPeer>,
        /// The union of the peers' pods.
        pods: PodSet,
    },
}

/// What a port entry's `port` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortTarget {
    /// No `port`: every port of the protocol.
    All,
    /// A number or a `port`..`endPort` range.
    Range(PortRange),
    /// A named container port, resolved on the destination pod.
    Named(String),
}

/// One entry of `ports`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompiledPort {
    /// Protocol (TCP when not written).
    pub protocol: Protocol,
    /// Port(s).
    pub target: PortTarget,
}

/// The port part of a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ports {
    /// No `ports` (or an empty list): every protocol and port.
    Any,
    /// At least one entry must match.
    List(Vec<CompiledPort>),
}

/// A compiled rule.
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledRule {
    /// Peers.
    pub peers: Peers,
    /// Ports.
    pub ports: Ports,
}

/// A compiled policy.
#[derive(Debug, Clone, PartialEq)]
pub struct CompiledPolicy {
    /// The pods it selects (its subjects).
    pub selected: PodSet,
    /// Ingress rules (empty when Ingress is not an effective policy type).
    pub ingress: Vec<CompiledRule>,
    /// Egress rules (empty when Egress is not an effective policy type).
    pub egress: Vec<CompiledRule>,
}

impl CompiledPolicy {
    /// The rules of one direction.
    pub fn rules(&self, direction: Direction) -> &[CompiledRule] {
        match direction {
            Direction::Ingress => &self.ingress,
            Direction::Egress => &self.egress,
        }
    }
}

/// The compiled form of a cluster's policies; answers reachability questions.
#[derive(Debug, Clone)]
pub struct Evaluator<'c> {
    pub(super) cluster: &'c Cluster,
    pub(super) options: ReachOptions,
    pub(super) policies: Vec<CompiledPolicy>,
    /// Per pod: the policies applying to it for ingress.
    pub(super) ingress_policies: Vec<Vec<PolicyId>>,
    /// Per pod: the policies applying to it for egress.
    pub(super) egress_policies: Vec<Vec<PolicyId>>,
    /// Per (protocol, port name): the pods declaring it, with the number.
    pub(super) named_ports: HashMap<(Protocol, String), Vec<(PodId, u16)>>,
    /// Pods NetworkPolicy sees as pods (not host-network pods seen as their node).
    pub(super) pod_network: PodSet,
    /// Caveats found while compiling (answers that depend on unknowns).
    pub(super) notes: Vec<Note>,
}

impl<'c> Evaluator<'c> {
    /// Compiles the cluster's policies.
    pub fn compile(cluster: &'c Cluster, options: &ReachOptions) -> Self {
        let n = cluster.pods.len();
        let mut pod_network = PodSet::empty(n);
        let mut pods_by_namespace: Vec<Vec<PodId>> = vec![Vec::new(); cluster.namespaces.len()];
        let mut host_network_pods = pods_by_namespace.clone();
        for (id, pod) in cluster.pods.iter().enumerate() {
            let list = if pod.on_pod_network(options) {
                pod_network.insert(id);
                pods_by_namespace.get_mut(pod.namespace)
            } else {
                host_network_pods.get_mut(pod.namespace)
            };
            if let Some(list) = list {
                list.push(id);
            }
        }
        let mut compiler = Compiler {
            cluster,
            options,
            pods_by_namespace,
            host_network_pods,
            selections: HashMap::new(),
            policy: None,
            notes: Vec::new(),
        };
        let mut ingress_policies = vec![Vec::new(); n];
        let mut egress_policies = vec![Vec::new(); n];
        let mut policies = Vec::with_capacity(cluster.policies.len());
        for (id, policy) in cluster.policies.iter().enumerate() {
            compiler.policy = Some(id);
            let selected = compiler.select(
                Some(policy.namespace),
                None,
                policy.spec.pod_selector.as_ref(),
            );
            let rules = |compiler: &mut Compiler<'_>,
                         applies: bool,
                         rules: &Option<Vec<NetworkPolicyRule>>| {
                if !applies {
                    return Vec::new();
                }
                rules
                    .iter()
                    .flatten()
                    .map(|rule| compiler.rule(policy.namespace, rule))
                    .collect()
            };
            let compiled = CompiledPolicy {
                ingress: rules(&mut compiler, policy.affects_ingress, &policy.spec.ingress),
                egress: rules(&mut compiler, policy.affects_egress, &policy.spec.egress),
                selected,
            };
            for pod in compiled.selected.iter() {
                if policy.affects_ingress {
                    if let Some(list) = ingress_policies.get_mut(pod) {
                        list.push(id);
                    }
                }
                if policy.affects_egress {
                    if let Some(list) = egress_policies.get_mut(pod) {
                        list.push(id);
                    }
                }
            }
            policies.push(compiled);
        }
        let mut named_ports: HashMap<(Protocol, String), Vec<(PodId, u16)>> = HashMap::new();
        for (id, pod) in cluster.pods.iter().enumerate() {
            for port in &pod.ports {
                if let Some(name) = &port.name {
                    let entry = named_ports
                        .entry((port.protocol, name.clone()))
                        .or_default();
                    if !entry.contains(&(id, port.port)) {
                        entry.push((id, port.port));
                    }
                }
            }
        }
        let notes = compiler.notes;
        Evaluator {
            notes,
            cluster,
            options: options.clone(),
            policies,
            ingress_policies,
            egress_policies,
            named_ports,
            pod_network,
        }
    }

    /// The cluster.
    pub fn cluster(&self) -> &'c Cluster {
        self.cluster
    }

    /// The options.
    pub fn options(&self) -> &ReachOptions {
        &self.options
    }

    /// The compiled policies, indexed like [`Cluster::policies`].
    pub fn policies(&self) -> &[CompiledPolicy] {
        &self.policies
    }

    /// The pods a policy selects.
    pub fn selected_by(&self, policy: PolicyId) -> Option<&PodSet> {
        self.policies.get(policy).map(|p| &p.selected)
    }

    /// The policies isolating a pod in a direction.
    pub fn policies_for(&self, pod: PodId, direction: Direction) -> &[PolicyId] {
        let lists = match direction {
            Direction::Ingress => &self.ingress_policies,
            Direction::Egress => &self.egress_policies,
        };
        lists.get(pod).map_or(&[], Vec::as_slice)
    }

    /// Pods on the pod network selected by no policy in either direction.
    pub fn unselected_pods(&self) -> Vec<PodId> {
        self.pod_network
            .iter()
            .filter(|&p| {
                self.policies_for(p, Direction::Ingress).is_empty()
                    && self.policies_for(p, Direction::Egress).is_empty()
            })
            .collect()
    }

    /// Caveats found while compiling: selectors that would match host-network pods, namespace
    /// selectors evaluated against namespaces whose labels are unknown.
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    /// Whether NetworkPolicy sees the pod as a pod.
    pub fn on_pod_network(&self, pod: PodId) -> bool {
        self.pod_network.contains(pod)
    }
}

/// Key of a memoised selection: namespace (or namespace selector) and pod selector.
type SelectionKey = (Option<NamespaceId>, Option<String>, Option<String>);

struct Compiler<'a> {
    cluster: &'a Cluster,
    options: &'a ReachOptions,
    pods_by_namespace: Vec<Vec<PodId>>,
    /// Host-network pods seen as nodes, by namespace (only to warn about selectors matching them).
    host_network_pods: Vec<Vec<PodId>>,
    /// Real policies repeat the same selectors many times; each selection keeps its caveats.
    selections: HashMap<SelectionKey, (PodSet, Vec<String>)>,
    /// The policy being compiled.
    policy: Option<PolicyId>,
    notes: Vec<Note>,
}

impl Compiler<'_> {
    /// The pods on the pod network in `namespace` (or in the namespaces `namespace_selector`
    /// matches) whose labels `pod_selector` matches (absent matches all).
    fn select(
        &mut self,
        namespace: Option<NamespaceId>,
        namespace_selector: Option<&LabelSelector>,
        pod_selector: Option<&LabelSelector>,
    ) -> PodSet {
        let key = (
            namespace,
            namespace_selector.map(selector_key),
            pod_selector.map(selector_key),
        );
        if let Some((set, caveats)) = self.selections.get(&key) {
            let (set, caveats) = (set.clone(), caveats.clone());
            self.note_caveats(caveats);
            return set;
        }
        let mut caveats = Vec::new();
        let mut set = PodSet::empty(self.cluster.pods.len());
        let namespaces: Vec<NamespaceId> = match (namespace, namespace_selector) {
            (_, Some(selector)) => self
                .cluster
                .namespaces
                .iter()
                .enumerate()
                .filter(|(_, ns)| {
                    let unknown_labels_matter = ns.declared_at.is_none()
                        && selector_reads_other_labels(selector);
                    if unknown_labels_matter {
                        caveats.push(format!(
                            "namespace {:?} has no Namespace manifest, so only its {NAMESPACE_NAME_LABEL} label is known; the namespaceSelector may match it in the cluster",
                            ns.name
                        ));
                    }
                    selector.matches(&ns.labels)
                })
                .map(|(id, _)| id)
                .collect(),
            (Some(ns), None) => vec![ns],
            (None, None) => Vec::new(),
        };
        let matches = |pod: PodId| {
            let labels = self.cluster.pods.get(pod).map(|p| &p.labels);
            pod_selector
                .zip(labels)
                .is_none_or(|(selector, labels)| selector.matches(labels))
        };
        for &ns in &namespaces {
            for &pod in self.pods_by_namespace.get(ns).into_iter().flatten() {
                if matches(pod) {
                    set.insert(pod);
                }
            }
            for &pod in self.host_network_pods.get(ns).into_iter().flatten() {
                if matches(pod) {
                    caveats.push(format!(
                        "the selector matches hostNetwork pod {}, which NetworkPolicy sees as its node: it is not selected",
                        self.cluster.pod_name(pod)
                    ));
                }
            }
        }
        self.note_caveats(caveats.clone());
        self.selections.insert(key, (set.clone(), caveats));
        set
    }

    /// Records the caveats of a selection against the policy being compiled, once each.
    fn note_caveats(&mut self, caveats: Vec<String>) {
        let Some(policy) = self.policy.and_then(|id| self.cluster.policies.get(id)) else {
            return;
        };
        for caveat in caveats {
            let namespace = self
                .cluster
                .namespace(policy.namespace)
                .map(|n| n.name.clone());
            let note = Note {
                object: Some(ObjectRef {
                    api_version: "networking.k8s.io/v1".to_owned(),
                    kind: "NetworkPolicy".to_owned(),
                    namespace,
                    name: Some(policy.name.clone()),
                }),
                location: Some(policy.origin),
                message: caveat,
            };
            if !self.notes.contains(&note) {
                self.notes.push(note);
            }
        }
    }

    fn rule(&mut self, namespace: NamespaceId, rule: &NetworkPolicyRule) -> CompiledRule {
        let peers = match rule.peers.as_deref() {
            None | Some([]) => Peers::Any,
            Some(list) => {
                let peers: Vec<CompiledPeer> =
                    list.iter().map(|peer| self.peer(namespace, peer)).collect();
                let mut pods = PodSet::empty(self.cluster.pods.len());
                for peer in &peers {
                    pods.union_with(&peer.pods);
                }
                Peers::List { peers, pods }
            }
        };
        let ports = match rule.ports.as_deref() {
            None | Some([]) => Ports::Any,
            Some(list) => Ports::List(list.iter().filter_map(|p| self.port(p)).collect()),
        };
        CompiledRule { peers, ports }
    }

    fn peer(&mut self, namespace: NamespaceId, peer: &NetworkPolicyPeer) -> CompiledPeer {
        if let Some(block) = &peer.ip_block {
            let matcher = parse_cidr_sloppy(&block.cidr).map(|cidr| IpBlockMatcher {
                cidr,
                except: block
                    .except
                    .iter()
                    .filter_map(|e| parse_cidr_sloppy(e))
                    .collect(),
            });
            let mut pods = PodSet::empty(self.cluster.pods.len());
            if let Some(matcher) = &matcher {
                for (id, pod) in self.cluster.pods.iter().enumerate() {
                    if self.ip_block_sees(pod)
                        && pod
                            .address(self.options)
                            .is_some_and(|a| matcher.contains(a))
                    {
                        pods.insert(id);
                    }
                }
            }
            return CompiledPeer {
                pods,
                ip_block: matcher,
            };
        }
        let pods = match &peer.namespace_selector {
            Some(selector) => self.select(None, Some(selector), peer.pod_selector.as_ref()),
            None => self.select(Some(namespace), None, peer.pod_selector.as_ref()),
        };
        CompiledPeer {
            pods,
            ip_block: None,
        }
    }

    /// ipBlocks see host-network pods (as their node's address) always, and pod-network pods
    /// when the options say pod addresses are matched.
    fn ip_block_sees(&self, pod: &ClusterPod) -> bool {
        !pod.on_pod_network(self.options) || self.options.ip_block_matches_pods
    }

    fn port(&self, port: &NetworkPolicyPort) -> Option<CompiledPort> {
        let protocol = Protocol::from_field(port.protocol.as_deref())?;
        let target = match &port.port {
            None => PortTarget::All,
            Some(IntOrString::String(name)) => PortTarget::Named(name.clone()),
            Some(IntOrString::Int(number)) => {
                let start = u16::try_from(*number).ok()?;
                let end = match port.end_port {
                    Some(end) if self.options.enforce_end_port => u16::try_from(end).ok()?,
                    _ => start,
                };
                PortTarget::Range(PortRange { start, end })
            }
        };
        Some(CompiledPort { protocol, target })
    }
}

/// A canonical text of a selector, to memoise selections.
fn selector_key(selector: &LabelSelector) -> String {
    selector
        .to_selector()
        .map(|s| s.to_string())
        .unwrap_or_else(|e| format!("invalid: {e}"))
}

/// Whether a namespace selector looks at labels other than the name label the API server
/// sets (those are unknown for namespaces without a manifest).
fn selector_reads_other_labels(selector: &LabelSelector) -> bool {
    selector
        .match_labels
        .keys()
        .any(|k| k != NAMESPACE_NAME_LABEL)
        || selector
            .match_expressions
            .iter()
            .any(|e| e.key != NAMESPACE_NAME_LABEL)
}
