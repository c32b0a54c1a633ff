//! The cluster snapshot reachability is computed on, built from manifests: namespaces (always
//! labelled with `kubernetes.io/metadata.name`), pods (Pods, and one representative pod per
//! workload template), and the NetworkPolicies the API server would accept, defaulted.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::net::IpAddr;

use crate::diagnostic::ObjectRef;
use crate::model::decode::Decoder;
use crate::model::{workload_kind, NetworkPolicy, NetworkPolicySpec, ObjectMeta, Pod};
use crate::object::ManifestObject;
use crate::path::FieldPath;
use crate::source::{FileId, SourceFile, Span};
use crate::validate::ip::parse_ip_sloppy;
use crate::validate::network_policy::{
    apply_network_policy_defaults, validate_network_policy, POLICY_TYPE_EGRESS, POLICY_TYPE_INGRESS,
};
use crate::validate::ValidationProfile;
use crate::workspace::{ApiRejections, DecodedModel, DecodedObjects, Workspace};

use super::options::{HostNetwork, ReachOptions};
use super::ports::Protocol;

/// The label the API server sets on every namespace to its name.
pub const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// Index of a namespace in [`Cluster::namespaces`].
pub type NamespaceId = usize;
/// Index of a pod in [`Cluster::pods`].
pub type PodId = usize;
/// Index of a policy in [`Cluster::policies`].
pub type PolicyId = usize;

/// Where something is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Location {
    /// The file.
    pub file: FileId,
    /// The bytes.
    pub span: Span,
}

/// A namespace.
#[derive(Debug, Clone, PartialEq)]
pub struct Namespace {
    /// Name.
    pub name: String,
    /// Labels, including `kubernetes.io/metadata.name`.
    pub labels: BTreeMap<String, String>,
    /// Where the Namespace manifest is; `None` when the namespace is only referenced, so its
    /// other labels are unknown.
    pub declared_at: Option<Location>,
}

/// A port a pod's container declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServedPort {
    /// `name`, what named ports in policies refer to.
    pub name: Option<String>,
    /// `containerPort`.
    pub port: u16,
    /// `protocol`.
    pub protocol: Protocol,
    /// The container declaring it.
    pub container: String,
}

/// A pod: a Pod manifest, or the pod a workload's template would create.
#[derive(Debug, Clone, PartialEq)]
pub struct ClusterPod {
    /// Its namespace.
    pub namespace: NamespaceId,
    /// Pod name, or the workload's name.
    pub name: String,
    /// The workload kind (`Deployment`, ...) when this is a template's representative pod.
    pub workload: Option<&'static str>,
    /// Labels.
    pub labels: BTreeMap<String, String>,
    /// Ports of its containers (and sidecar init containers).
    pub ports: Vec<ServedPort>,
    /// Addresses from `status.podIPs` / `status.podIP`, primary first.
    pub addresses: Vec<IpAddr>,
    /// `spec.hostNetwork`.
    pub host_network: bool,
    /// `spec.nodeName`.
    pub node_name: Option<String>,
    /// `status.hostIP`: the address of its node.
    pub host_ip: Option<IpAddr>,
    /// Where the manifest is.
    pub origin: Location,
}

/// Spans of one rule of a policy, for explanations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSpans {
    /// The rule.
    pub rule: Span,
    /// Each entry of `from` / `to`.
    pub peers: Vec<Span>,
    /// Each entry of `ports`.
    pub ports: Vec<Span>,
}

/// A NetworkPolicy the API server would accept, with its defaults applied.
#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    /// Its namespace.
    pub namespace: NamespaceId,
    /// Name.
    pub name: String,
    /// The defaulted spec (protocols filled in, `policyTypes` effective).
    pub spec: NetworkPolicySpec,
    /// `policyTypes` was written (not defaulted).
    pub policy_types_written: bool,
    /// Ingress is an effective policy type.
    pub affects_ingress: bool,
    /// Egress is an effective policy type.
    pub affects_egress: bool,
    /// The object.
    pub origin: Location,
    /// Spans of the ingress rules.
    pub ingress_spans: Vec<RuleSpans>,
    /// Spans of the egress rules.
    pub egress_spans: Vec<RuleSpans>,
}

/// Something about the snapshot a reader should know (an object left out, an assumption).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// The object concerned.
    pub object: Option<ObjectRef>,
    /// Where.
    pub location: Option<Location>,
    /// What.
    pub message: String,
}

/// A cluster snapshot.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cluster {
    /// Namespaces, declared first, then referenced ones in order of first reference.
    pub namespaces: Vec<Namespace>,
    /// Pods in manifest order.
    pub pods: Vec<ClusterPod>,
    /// Policies in manifest order.
    pub policies: Vec<Policy>,
    /// What was left out or assumed.
    pub notes: Vec<Note>,
}

impl ClusterPod {
    /// Whether NetworkPolicy sees this pod as a pod (not as its node).
    pub fn on_pod_network(&self, options: &ReachOptions) -> bool {
        !self.host_network || options.host_network == HostNetwork::Pod
    }

    /// The address connections use, in the family the options ask for.
    pub fn address(&self, options: &ReachOptions) -> Option<IpAddr> {
        match options.family {
            None => self.addresses.first().copied(),
            Some(family) => {
                let wanted = family.ip_family();
                self.addresses.iter().copied().find(|a| match a {
                    IpAddr::V4(_) => wanted == crate::validate::ip::IpFamily::V4,
                    IpAddr::V6(_) => wanted == crate::validate::ip::IpFamily::V6,
                })
            }
        }
    }
}

impl Cluster {
    /// Builds the snapshot from every object of the workspace (policies are validated with
    /// the default profile to leave out those the API server would reject).
    pub fn from_workspace(workspace: &Workspace, options: &ReachOptions) -> Cluster {
        Self::build(workspace, options, None)
    }

    /// Builds the snapshot after a check of the same workspace: its decoded policies are
    /// reused, and the check (with its options' profile) says which ones are rejected.
    pub fn from_checked(
        workspace: &Workspace,
        options: &ReachOptions,
        decoded: &DecodedObjects,
        rejections: &ApiRejections,
    ) -> Cluster {
        Self::build(workspace, options, Some((decoded, rejections)))
    }

    fn build(
        workspace: &Workspace,
        options: &ReachOptions,
        checked: Option<(&DecodedObjects, &ApiRejections)>,
    ) -> Cluster {
        let mut builder = Builder {
            cluster: Cluster::default(),
            namespace_ids: HashMap::new(),
            pod_ids: HashMap::new(),
            policy_ids: HashMap::new(),
            options,
            profile: ValidationProfile::default(),
            checked,
        };
        for file in workspace.files() {
            for object in crate::object::objects_of(file).0 {
                builder.add(file, &object);
            }
        }
        builder.finish()
    }

    /// The namespace of a pod or policy.
    pub fn namespace(&self, id: NamespaceId) -> Option<&Namespace> {
        self.namespaces.get(id)
    }

    /// `namespace/name`, or `namespace/kind/name` for a workload's representative pod.
    pub fn pod_name(&self, id: PodId) -> PodName<'_> {
        PodName { cluster: self, id }
    }

    /// Every pod's name, indexed like [`Cluster::pods`].
    pub fn pod_names(&self) -> Vec<String> {
        (0..self.pods.len())
            .map(|p| self.pod_name(p).to_string())
            .collect()
    }

    /// `namespace/name` of a policy.
    pub fn policy_name(&self, id: PolicyId) -> String {
        match self.policies.get(id) {
            Some(p) => format!("{}/{}", self.namespace_name(p.namespace), p.name),
            None => String::new(),
        }
    }

    fn namespace_name(&self, id: NamespaceId) -> &str {
        self.namespaces.get(id).map_or("", |n| n.name.as_str())
    }

    /// Finds a pod by `ns/name`, `ns/kind/name` (kind case-insensitive), or by one of its
    /// addresses. A bare `ns/name` also finds a workload of that name when no Pod has it.
    pub fn find_pod(&self, text: &str) -> Option<PodId> {
        if let Some(ip) = parse_ip_sloppy(text) {
            return self
                .pods
                .iter()
                .position(|p| p.addresses.contains(&ip.addr));
        }
        let parts: Vec<&str> = text.split('/').collect();
        let matches = |pod: &ClusterPod, ns: &str, kind: Option<&str>, name: &str| {
            self.namespace_name(pod.namespace) == ns
                && pod.name == name
                && match (kind, pod.workload) {
                    (None, None) => true,
                    (Some(k), Some(w)) => k.eq_ignore_ascii_case(w),
                    _ => false,
                }
        };
        match parts.as_slice() {
            [ns, name] => self
                .pods
                .iter()
                .position(|p| matches(p, ns, None, name))
                .or_else(|| {
                    let mut workloads = self.pods.iter().enumerate().filter(|(_, p)| {
                        p.workload.is_some() && {
                            self.namespace_name(p.namespace) == *ns && p.name == *name
                        }
                    });
                    match (workloads.next(), workloads.next()) {
                        (Some((id, _)), None) => Some(id),
                        _ => None,
                    }
                }),
            [ns, kind, name] => self
                .pods
                .iter()
                .position(|p| matches(p, ns, Some(kind), name)),
            _ => None,
        }
    }
}

/// Displays a pod's identity.
#[derive(Debug, Clone, Copy)]
pub struct PodName<'c> {
    cluster: &'c Cluster,
    id: PodId,
}

impl fmt::Display for PodName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Some(pod) = self.cluster.pods.get(self.id) else {
            return Ok(());
        };
        let ns = self.cluster.namespace_name(pod.namespace);
        match pod.workload {
            Some(kind) => write!(f, "{ns}/{}/{}", kind.to_ascii_lowercase(), pod.name),
            None => write!(f, "{ns}/{}", pod.name),
        }
    }
}

struct Builder<'o> {
    cluster: Cluster,
    namespace_ids: HashMap<String, NamespaceId>,
    pod_ids: HashMap<(NamespaceId, Option<&'static str>, String), PodId>,
    policy_ids: HashMap<(NamespaceId, String), PolicyId>,
    options: &'o ReachOptions,
    profile: ValidationProfile,
    /// A check's decoded objects and rejections, when built after one.
    checked: Option<(&'o DecodedObjects, &'o ApiRejections)>,
}

impl Builder<'_> {
    /// The policy defaulted, and whether the API server would reject it: from the check when
    /// there was one, else decoded and validated here.
    fn defaulted_policy(
        &self,
        file: &SourceFile,
        object: &ManifestObject<'_>,
    ) -> (NetworkPolicy, bool) {
        let from_check = self.checked.and_then(|(decoded, rejections)| {
            match decoded.get(file.id, object.node.span.start) {
                Some(DecodedModel::NetworkPolicy(policy)) => Some((
                    policy.clone(),
                    rejections.rejects(file.id, object.node.span),
                )),
                _ => None,
            }
        });
        from_check.unwrap_or_else(|| {
            let mut d = Decoder::new(&file.text);
            let mut policy = NetworkPolicy::decode(object.node, &mut d);
            apply_network_policy_defaults(&mut policy);
            let errors = validate_network_policy(&policy, None, &self.profile);
            let rejected = !d.into_errors().is_empty() || !errors.is_empty();
            (policy, rejected)
        })
    }

    fn add(&mut self, file: &SourceFile, object: &ManifestObject<'_>) {
        let location = Location {
            file: file.id,
            span: object.node.span,
        };
        match (object.group(), object.kind()) {
            ("", "Namespace") => {
                let mut d = Decoder::new(&file.text);
                let meta = ObjectMeta::decode(object.node, &mut d);
                self.declare_namespace(meta, object, location);
            }
            ("", "Pod") => {
                let mut d = Decoder::new(&file.text);
                let pod = Pod::decode(object.node, &mut d);
                self.note_decode_errors(object, location, d);
                let phase = pod.status.phase.as_deref();
                if matches!(phase, Some("Succeeded" | "Failed")) {
                    self.note(
                        object,
                        location,
                        format!(
                        "left out: the pod has finished (phase {}) and takes part in no connection",
                        phase.unwrap_or_default()
                    ),
                    );
                    return;
                }
                self.add_pod(pod, None, object, location);
            }
            ("networking.k8s.io", "NetworkPolicy")
                if object.api_version() == "networking.k8s.io/v1" =>
            {
                self.add_policy(file, object, location)
            }
            (group, kind) => {
                if let Some(workload) = workload_kind(group, kind) {
                    let mut d = Decoder::new(&file.text);
                    let pod = workload.representative_pod(object.node, &mut d);
                    self.note_decode_errors(object, location, d);
                    self.add_pod(pod, Some(workload.kind), object, location);
                }
            }
        }
    }

    fn note(&mut self, object: &ManifestObject<'_>, location: Location, message: String) {
        self.cluster.notes.push(Note {
            object: Some(object.reference()),
            location: Some(location),
            message,
        });
    }

    fn note_decode_errors(
        &mut self,
        object: &ManifestObject<'_>,
        location: Location,
        d: Decoder<'_>,
    ) {
        for error in d.into_errors() {
            let location = Location {
                span: error.span,
                ..location
            };
            self.note(object, location, format!("ignored: {}", error.message));
        }
    }

    fn namespace_id(&mut self, name: Option<&str>) -> NamespaceId {
        let name = name
            .filter(|n| !n.is_empty())
            .unwrap_or(&self.options.default_namespace);
        if let Some(&id) = self.namespace_ids.get(name) {
            return id;
        }
        let id = self.cluster.namespaces.len();
        self.cluster.namespaces.push(Namespace {
            name: name.to_owned(),
            labels: crate::sort::map([(NAMESPACE_NAME_LABEL.to_owned(), name.to_owned())]),
            declared_at: None,
        });
        self.namespace_ids.insert(name.to_owned(), id);
        id
    }

    fn declare_namespace(
        &mut self,
        meta: ObjectMeta,
        object: &ManifestObject<'_>,
        location: Location,
    ) {
        let Some(name) = meta.name.filter(|n| !n.is_empty()) else {
            self.note(
                object,
                location,
                "left out: a Namespace without a name".to_owned(),
            );
            return;
        };
        let id = self.namespace_id(Some(&name));
        let mut labels = meta.labels;
        if let Some(written) = labels.get(NAMESPACE_NAME_LABEL).filter(|v| **v != name) {
            let message = format!(
                "the API server overwrites label {NAMESPACE_NAME_LABEL}={written} with the namespace's name {name:?}"
            );
            self.note(object, location, message);
        }
        labels.insert(NAMESPACE_NAME_LABEL.to_owned(), name);
        if let Some(namespace) = self.cluster.namespaces.get_mut(id) {
            namespace.labels = labels;
            namespace.declared_at = Some(location);
        }
    }

    fn add_pod(
        &mut self,
        pod: Pod,
        workload: Option<&'static str>,
        object: &ManifestObject<'_>,
        location: Location,
    ) {
        let Some(name) = pod.metadata.name.clone().filter(|n| !n.is_empty()) else {
            let what = workload.unwrap_or("Pod");
            self.note(
                object,
                location,
                format!("left out: a {what} without a name"),
            );
            return;
        };
        let namespace = self.namespace_id(pod.metadata.namespace.as_deref());
        let ports = served_ports(&pod);
        for (i, port) in ports.iter().enumerate() {
            let clash = ports.iter().skip(i + 1).find(|other| {
                other.name.is_some()
                    && other.name == port.name
                    && other.protocol == port.protocol
                    && other.port != port.port
            });
            if let (Some(other), Some(name)) = (clash, &port.name) {
                let message = format!(
                    "containers {} and {} both declare a {} port named {name:?} ({} and {}); policies naming it match either",
                    port.container, other.container, port.protocol, port.port, other.port
                );
                self.note(object, location, message);
            }
        }
        let addresses = addresses(&pod);
        let entry = ClusterPod {
            namespace,
            name: name.clone(),
            workload,
            labels: pod.metadata.labels,
            ports,
            addresses,
            host_network: pod.spec.host_network,
            node_name: pod.spec.node_name,
            host_ip: pod
                .status
                .host_ip
                .as_deref()
                .and_then(parse_ip_sloppy)
                .map(|ip| ip.addr),
            origin: location,
        };
        match self.pod_ids.get(&(namespace, workload, name.clone())) {
            Some(&id) => {
                self.note(
                    object,
                    location,
                    "replaces an earlier manifest of the same pod".to_owned(),
                );
                if let Some(slot) = self.cluster.pods.get_mut(id) {
                    *slot = entry;
                }
            }
            None => {
                self.pod_ids
                    .insert((namespace, workload, name), self.cluster.pods.len());
                self.cluster.pods.push(entry);
            }
        }
    }

    fn add_policy(&mut self, file: &SourceFile, object: &ManifestObject<'_>, location: Location) {
        let (policy, rejected) = self.defaulted_policy(file, object);
        if rejected {
            self.note(
                object,
                location,
                "not evaluated: the API server would reject this policy (`netward check` lists why)"
                    .to_owned(),
            );
            return;
        }
        let policy_types_written = object
            .node
            .get("spec")
            .and_then(|spec| spec.get("policyTypes"))
            .and_then(|types| types.as_seq())
            .is_some_and(|types| !types.is_empty());
        let types = policy.spec.policy_types.clone().unwrap_or_default();
        let Some(name) = policy.metadata.name.clone() else {
            return;
        };
        let namespace = self.namespace_id(policy.metadata.namespace.as_deref());
        if policy.metadata.namespace.is_none() {
            let ns = self.options.default_namespace.clone();
            self.note(
                object,
                location,
                format!(
                "the policy sets no metadata.namespace; assumed to be applied in namespace {ns:?}"
            ),
            );
        }
        let spans =
            |field: &str, peers: &str, rules: &Option<Vec<crate::model::NetworkPolicyRule>>| {
                let path = FieldPath::new(["spec", field]);
                rules
                    .iter()
                    .flatten()
                    .enumerate()
                    .map(|(i, rule)| {
                        let rule_path = path.index(i);
                        let span = |p: &FieldPath| object.node.locate(p).0;
                        RuleSpans {
                            rule: span(&rule_path),
                            peers: (0..rule.peers.as_ref().map_or(0, Vec::len))
                                .map(|j| span(&rule_path.child(peers).index(j)))
                                .collect(),
                            ports: (0..rule.ports.as_ref().map_or(0, Vec::len))
                                .map(|k| span(&rule_path.child("ports").index(k)))
                                .collect(),
                        }
                    })
                    .collect()
            };
        let entry = Policy {
            namespace,
            ingress_spans: spans("ingress", "from", &policy.spec.ingress),
            egress_spans: spans("egress", "to", &policy.spec.egress),
            name: name.clone(),
            affects_ingress: types.iter().any(|t| t == POLICY_TYPE_INGRESS),
            affects_egress: types.iter().any(|t| t == POLICY_TYPE_EGRESS),
            spec: policy.spec,
            policy_types_written,
            origin: location,
        };
        match self.policy_ids.get(&(namespace, name.clone())) {
            Some(&id) => {
                self.note(
                    object,
                    location,
                    "replaces an earlier policy of the same name".to_owned(),
                );
                if let Some(slot) = self.cluster.policies.get_mut(id) {
                    *slot = entry;
                }
            }
            None => {
                self.policy_ids
                    .insert((namespace, name), self.cluster.policies.len());
                self.cluster.policies.push(entry);
            }
        }
    }

    fn finish(self) -> Cluster {
        self.cluster
    }
}

/// The ports of regular containers and of sidecar (restartable init) containers.
pub fn served_ports(pod: &Pod) -> Vec<ServedPort> {
    let sidecars = pod
        .spec
        .init_containers
        .iter()
        .filter(|c| c.restart_policy.as_deref() == Some("Always"));
    pod.spec
        .containers
        .iter()
        .chain(sidecars)
        .flat_map(|container| {
            container.ports.iter().filter_map(|port| {
                Some(ServedPort {
                    name: port.name.clone().filter(|n| !n.is_empty()),
                    port: u16::try_from(port.container_port).ok().filter(|p| *p > 0)?,
                    protocol: Protocol::from_field(port.protocol.as_deref())?,
                    container: container.name.clone(),
                })
            })
        })
        .collect()
}

/// `status.podIPs` (or `status.podIP`), parsed, without repeats.
fn addresses(pod: &Pod) -> Vec<IpAddr> {
    let mut addresses = Vec::new();
    let written = pod.status.pod_ips.iter().chain(pod.status.pod_ip.iter());
    for ip in written.filter_map(|text| parse_ip_sloppy(text)) {
        if !addresses.contains(&ip.addr) {
            addresses.push(ip.addr);
        }
    }
    addresses
}
