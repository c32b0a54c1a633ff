//! What is under a cursor: the label selector and the pods it matches, the Service and where
//! its ports route, the pod or workload as a reachability endpoint. Editors build hovers and
//! commands from these answers.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::diagnostic::ObjectRef;
use crate::model::decode::Decoder;
use crate::model::{Service, ServicePort};
use crate::netpol::compile::Peers;
use crate::netpol::{Cluster, Direction, Evaluator, PodSet, Protocol};
use crate::object::{objects_of, ManifestObject};
use crate::path::{FieldPath, Segment};
use crate::report::{locate, PositionStyle, Range};
use crate::rules::service::support::{self, service_selects, Target};
use crate::selector::LabelSelector;
use crate::source::{FileId, Node, Span, Value};
use crate::workspace::Workspace;

/// How many names a summary lists before "and N more".
const SUMMARY_NAMES: usize = 5;

/// A label selector under the cursor and the pods it matches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SelectorMatch {
    /// The object holding the selector.
    pub object: ObjectRef,
    /// The selector's field (`spec.selector`, `spec.podSelector`, `spec.ingress[0].from[1]`).
    pub field: String,
    /// Where the selector is written.
    pub range: Range,
    /// The selector in kubectl's `-l` form (`{}` selects everything).
    pub selector: String,
    /// Every pod matched: `ns/pod`, or `ns/kind/name` for a workload's pods.
    pub pods: Vec<String>,
    /// The workloads among them (`ns/deployment/web`).
    pub workloads: Vec<String>,
    /// In a sentence: "matches 3 pods: ...".
    pub summary: String,
}

/// Where one port of a Service sends traffic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PortRoute {
    /// `80/TCP (http)`.
    pub port: String,
    /// The target as written (`8080`, `http`), or the port when `targetPort` is absent.
    pub target_port: String,
    /// Where it arrives: `deployment/web port 8080 (http)`.
    pub backends: Vec<String>,
    /// The selected pods it cannot reach, and why: `deployment/web: no TCP container port
    /// named "http"`.
    pub unreachable: Vec<String>,
}

/// The Service under the cursor and where its ports route.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ServiceRoutes {
    /// `ns/name`.
    pub service: String,
    /// In a sentence: "routes to deployment/web port 8080".
    pub summary: String,
    /// One entry per `spec.ports` entry.
    pub routes: Vec<PortRoute>,
}

/// A namespace of the cluster the manifests describe.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct NamespaceView {
    /// Name.
    pub name: String,
    /// Labels (with `kubernetes.io/metadata.name`, as the API server sets it).
    pub labels: BTreeMap<String, String>,
}

/// A container port of a pod.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PortView {
    /// `name`, when the port has one.
    pub name: Option<String>,
    /// `containerPort`.
    pub port: u16,
    /// Protocol.
    pub protocol: Protocol,
}

/// A pod, or the pods of a workload's template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PodView {
    /// The name to use as a reach endpoint: `ns/pod` or `ns/deployment/web`.
    pub name: String,
    /// Namespace.
    pub namespace: String,
    /// The workload kind (`Deployment`, ...), or `None` for a Pod.
    pub workload: Option<String>,
    /// Labels.
    pub labels: BTreeMap<String, String>,
    /// Container ports.
    pub ports: Vec<PortView>,
    /// The file of its manifest.
    pub file: String,
    /// Where its manifest is.
    pub range: Range,
}

/// A NetworkPolicy the API server would accept.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PolicyView {
    /// `ns/name`.
    pub name: String,
    /// The file of its manifest.
    pub file: String,
    /// Where its manifest is.
    pub range: Range,
}

/// The cluster the manifests describe: what a reachability graph draws.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ClusterView {
    /// Namespaces: declared, or implied by the pods and policies in them.
    pub namespaces: Vec<NamespaceView>,
    /// Pods and workloads.
    pub pods: Vec<PodView>,
    /// NetworkPolicies.
    pub policies: Vec<PolicyView>,
}

/// The cluster the manifests describe, compiled once for several cursor questions.
#[allow(missing_debug_implementations)]
pub struct Inspector<'w, 'c> {
    workspace: &'w Workspace,
    evaluator: &'c Evaluator<'c>,
    style: PositionStyle,
}

impl<'w, 'c> Inspector<'w, 'c> {
    /// Answers about `workspace`, whose cluster `evaluator` was compiled from; ranges are
    /// written in `style`.
    pub fn new(
        workspace: &'w Workspace,
        evaluator: &'c Evaluator<'c>,
        style: PositionStyle,
    ) -> Self {
        Self {
            workspace,
            evaluator,
            style,
        }
    }

    fn cluster(&self) -> &'c Cluster {
        self.evaluator.cluster()
    }

    /// The namespaces, pods and policies of the cluster.
    pub fn cluster_view(&self) -> ClusterView {
        let cluster = self.cluster();
        let place = |origin: &crate::netpol::cluster::Location| {
            (
                crate::report::file_name(self.workspace, origin.file),
                locate(self.workspace, origin.file, origin.span, self.style),
            )
        };
        ClusterView {
            namespaces: cluster
                .namespaces
                .iter()
                .map(|n| NamespaceView {
                    name: n.name.clone(),
                    labels: n.labels.clone(),
                })
                .collect(),
            pods: cluster
                .pods
                .iter()
                .enumerate()
                .map(|(id, pod)| {
                    let (file, range) = place(&pod.origin);
                    PodView {
                        name: cluster.pod_name(id).to_string(),
                        namespace: self.namespace_name(pod.namespace).to_owned(),
                        workload: pod.workload.map(str::to_owned),
                        labels: pod.labels.clone(),
                        ports: pod
                            .ports
                            .iter()
                            .map(|p| PortView {
                                name: p.name.clone(),
                                port: p.port,
                                protocol: p.protocol,
                            })
                            .collect(),
                        file,
                        range,
                    }
                })
                .collect(),
            policies: cluster
                .policies
                .iter()
                .enumerate()
                .map(|(id, policy)| {
                    let (file, range) = place(&policy.origin);
                    PolicyView {
                        name: cluster.policy_name(id),
                        file,
                        range,
                    }
                })
                .collect(),
        }
    }

    /// The selector at byte `offset` of `file`, and what it matches.
    pub fn selector_at(&self, file: FileId, offset: usize) -> Option<SelectorMatch> {
        let (object, path) = self.at(file, offset)?;
        let segments = path.segments();
        match (object.group(), object.kind()) {
            ("", "Service") if starts_with(segments, &["spec", "selector"]) => {
                self.service_selector(&object)
            }
            ("networking.k8s.io", "NetworkPolicy") => self.policy_selector(&object, segments),
            _ => None,
        }
    }

    /// The Service whose manifest contains byte `offset` of `file`, and its routes.
    pub fn service_at(&self, file: FileId, offset: usize) -> Option<ServiceRoutes> {
        let (object, _) = self.at(file, offset)?;
        if (object.group(), object.kind()) != ("", "Service") {
            return None;
        }
        let ServicePods {
            service,
            namespace,
            selected,
        } = self.service_pods(&object)?;
        let service_name = format!(
            "{namespace}/{}",
            service.metadata.name.as_deref().unwrap_or("")
        );
        let Some((selector, pods)) = selected else {
            return Some(ServiceRoutes {
                service: service_name,
                summary: "has no selector: its endpoints are managed outside the Service"
                    .to_owned(),
                routes: Vec::new(),
            });
        };
        let pods: Vec<usize> = pods.iter().collect();
        let routes: Vec<PortRoute> = service
            .spec
            .ports
            .iter()
            .map(|port| self.route(port, &pods))
            .collect();
        let summary = if pods.is_empty() {
            format!(
                "selects no pod in namespace {namespace} (selector {})",
                map_selector_text(&selector)
            )
        } else {
            let mut reached: Vec<String> = routes
                .iter()
                .flat_map(|r| r.backends.iter().cloned())
                .collect();
            let mut unreached: Vec<String> = routes
                .iter()
                .flat_map(|r| r.unreachable.iter().cloned())
                .collect();
            reached.dedup();
            unreached.dedup();
            match (reached.is_empty(), unreached.is_empty()) {
                (false, true) => format!("routes to {}", names_summary(&reached)),
                (false, false) => format!(
                    "routes to {}; but {}",
                    names_summary(&reached),
                    names_summary(&unreached)
                ),
                _ => format!("routes nowhere: {}", names_summary(&unreached)),
            }
        };
        Some(ServiceRoutes {
            service: service_name,
            summary,
            routes,
        })
    }

    /// The pod or workload whose manifest contains byte `offset` of `file`, written as a
    /// reachability endpoint (`ns/pod`, `ns/deployment/web`).
    pub fn endpoint_at(&self, file: FileId, offset: usize) -> Option<String> {
        let (object, _) = self.at(file, offset)?;
        let cluster = self.cluster();
        let pod = cluster
            .pods
            .iter()
            .position(|p| p.origin.file == file && p.origin.span == object.node.span)?;
        Some(cluster.pod_name(pod).to_string())
    }

    /// The object around `offset`, and the path of the deepest field there.
    fn at(&self, file: FileId, offset: usize) -> Option<(ManifestObject<'w>, FieldPath)> {
        let source = self.workspace.file(file)?;
        let (objects, _) = objects_of(source);
        let object = objects
            .into_iter()
            .filter(|o| contains(o.node, offset))
            .min_by_key(|o| o.node.span.end - o.node.span.start)?;
        let path = descend(object.node, offset);
        Some((object, path))
    }

    fn service_selector(&self, object: &ManifestObject<'_>) -> Option<SelectorMatch> {
        let (selector, pods) = self.service_pods(object)?.selected?;
        let path = FieldPath::new(["spec", "selector"]);
        Some(self.selector_match(object, &path, map_selector_text(&selector), &pods))
    }

    /// A Service object decoded, its namespace, and its selector with the pods it selects
    /// (as the lint rules select them: labels the pods' controller adds count); `None` for a
    /// Service without a selector (`selector: {}` included: no endpoints are managed for it).
    fn service_pods(&self, object: &ManifestObject<'_>) -> Option<ServicePods> {
        let source = self.workspace.file(object.file)?;
        let service = Service::decode(object.node, &mut Decoder::new(&source.text));
        let namespace = self.namespace_of(object);
        let selected = service
            .spec
            .selector
            .clone()
            .filter(|s| !s.is_empty())
            .map(|selector| {
                let cluster = self.cluster();
                let mut pods = PodSet::empty(cluster.pods.len());
                for (id, pod) in cluster.pods.iter().enumerate() {
                    let kind = pod.workload.unwrap_or("Pod");
                    if self.namespace_name(pod.namespace) == namespace
                        && service_selects(&selector, &pod.labels, kind, &pod.name)
                    {
                        pods.insert(id);
                    }
                }
                (selector, pods)
            });
        Some(ServicePods {
            service,
            namespace,
            selected,
        })
    }

    fn policy_selector(
        &self,
        object: &ManifestObject<'_>,
        segments: &[Segment],
    ) -> Option<SelectorMatch> {
        let cluster = self.cluster();
        let id = cluster
            .policies
            .iter()
            .position(|p| p.origin.file == object.file && p.origin.span == object.node.span)?;
        let policy = cluster.policies.get(id)?;
        let compiled = self.evaluator.policies().get(id)?;
        if starts_with(segments, &["spec", "podSelector"]) {
            let text = selector_text(policy.spec.pod_selector.as_ref());
            let path = FieldPath::new(["spec", "podSelector"]);
            return Some(self.selector_match(object, &path, text, &compiled.selected));
        }
        let (direction, rules) = match segments.get(1) {
            Some(Segment::Field(f)) if f == "ingress" => (Direction::Ingress, &policy.spec.ingress),
            Some(Segment::Field(f)) if f == "egress" => (Direction::Egress, &policy.spec.egress),
            _ => return None,
        };
        let (Some(Segment::Index(rule)), Some(Segment::Field(field)), Some(Segment::Index(peer))) =
            (segments.get(2), segments.get(3), segments.get(4))
        else {
            return None;
        };
        if field != direction.peer_field() {
            return None;
        }
        let written = rules.as_ref()?.get(*rule)?.peers.as_ref()?.get(*peer)?;
        let Peers::List { peers, .. } = &compiled.rules(direction).get(*rule)?.peers else {
            return None;
        };
        let compiled_peer = peers.get(*peer)?;
        let path = FieldPath::new(["spec", direction.field()])
            .index(*rule)
            .child(direction.peer_field())
            .index(*peer);
        let text = match (&written.pod_selector, &written.namespace_selector) {
            (_, _) if written.ip_block.is_some() => "ipBlock".to_owned(),
            (pods, None) => format!(
                "pods {} in the policy's namespace",
                selector_text(pods.as_ref())
            ),
            (pods, Some(namespaces)) => format!(
                "pods {} in namespaces {}",
                selector_text(pods.as_ref()),
                selector_text(Some(namespaces))
            ),
        };
        Some(self.selector_match(object, &path, text, &compiled_peer.pods))
    }

    fn selector_match(
        &self,
        object: &ManifestObject<'_>,
        path: &FieldPath,
        selector: String,
        pods: &PodSet,
    ) -> SelectorMatch {
        let cluster = self.cluster();
        let names: Vec<String> = pods
            .iter()
            .map(|p| cluster.pod_name(p).to_string())
            .collect();
        let workloads = pods
            .iter()
            .filter(|&p| {
                cluster
                    .pods
                    .get(p)
                    .is_some_and(|pod| pod.workload.is_some())
            })
            .map(|p| cluster.pod_name(p).to_string())
            .collect();
        let summary = match names.len() {
            0 => "matches no pod in these manifests".to_owned(),
            1 => format!("matches 1 pod: {}", names_summary(&names)),
            n => format!("matches {n} pods: {}", names_summary(&names)),
        };
        SelectorMatch {
            object: object.reference(),
            field: path.to_string(),
            range: locate(
                self.workspace,
                object.file,
                entry_span(object.node, path),
                self.style,
            ),
            selector,
            pods: names,
            workloads,
            summary,
        }
    }

    fn route(&self, port: &ServicePort, pods: &[usize]) -> PortRoute {
        let cluster = self.cluster();
        let protocol = support::protocol(port).unwrap_or(Protocol::Tcp);
        let number = port.port.unwrap_or_default();
        let label = match &port.name {
            Some(name) if !name.is_empty() => format!("{number}/{protocol} ({name})"),
            _ => format!("{number}/{protocol}"),
        };
        let target = support::target(port, &FieldPath::root()).map(|(target, _)| target);
        let mut backends = Vec::new();
        let mut unreachable = Vec::new();
        for (p, pod) in pods
            .iter()
            .filter_map(|&p| cluster.pods.get(p).map(|pod| (p, pod)))
        {
            let who = short_pod_name(cluster, p);
            match target {
                Some(Target::Number(n)) => backends.push(format!("{who} port {n}")),
                Some(Target::Name(name)) => match pod
                    .ports
                    .iter()
                    .find(|s| s.name.as_deref() == Some(name) && s.protocol == protocol)
                {
                    Some(served) => backends.push(format!("{who} port {} ({name})", served.port)),
                    None => unreachable.push(format!(
                        "{who}: no {protocol} container port named {name:?}"
                    )),
                },
                None => unreachable.push(format!("{who}: the port is not valid")),
            }
        }
        PortRoute {
            port: label,
            target_port: match target {
                Some(Target::Number(n)) => n.to_string(),
                Some(Target::Name(name)) => name.to_owned(),
                None => String::new(),
            },
            backends,
            unreachable,
        }
    }

    fn namespace_of(&self, object: &ManifestObject<'_>) -> String {
        object
            .reference()
            .namespace
            .unwrap_or_else(|| self.evaluator.options().default_namespace.clone())
    }

    fn namespace_name(&self, id: usize) -> &str {
        self.cluster().namespace(id).map_or("", |n| n.name.as_str())
    }
}

/// A Service, its namespace, and its selector with the pods it selects (`None` without a
/// selector).
struct ServicePods {
    service: Service,
    namespace: String,
    selected: Option<(BTreeMap<String, String>, PodSet)>,
}

/// `deployment/web` or `pod/api-0`: a pod named without its namespace.
fn short_pod_name(cluster: &Cluster, pod: usize) -> String {
    match cluster.pods.get(pod) {
        Some(p) => match p.workload {
            Some(kind) => format!("{}/{}", kind.to_ascii_lowercase(), p.name),
            None => format!("pod/{}", p.name),
        },
        None => String::new(),
    }
}

/// `a, b, c, d, e and 3 more`.
fn names_summary(names: &[String]) -> String {
    let shown: Vec<&str> = names
        .iter()
        .take(SUMMARY_NAMES)
        .map(String::as_str)
        .collect();
    match names.len().checked_sub(SUMMARY_NAMES) {
        Some(more) if more > 0 => format!("{} and {more} more", shown.join(", ")),
        _ => shown.join(", "),
    }
}

/// A structured selector in kubectl's form; `{}` when it selects everything.
fn selector_text(selector: Option<&LabelSelector>) -> String {
    match selector.map(LabelSelector::to_selector) {
        None => "{}".to_owned(),
        Some(Ok(s)) if s.to_string().is_empty() => "{}".to_owned(),
        Some(Ok(s)) => s.to_string(),
        Some(Err(e)) => format!("(invalid: {e})"),
    }
}

/// A Service's map selector in kubectl's form.
fn map_selector_text(selector: &BTreeMap<String, String>) -> String {
    selector_text(Some(&LabelSelector {
        match_labels: selector.clone(),
        match_expressions: Vec::new(),
    }))
}

/// The range of the field at `path`, key and value: what a cursor can be on.
fn entry_span(root: &Node, path: &FieldPath) -> Span {
    let mut node = root;
    let mut span = root.span;
    for segment in path.segments() {
        let next = match segment {
            Segment::Field(name) => node
                .entry(name)
                .map(|e| (e.key.span.cover(e.value.span), &e.value)),
            Segment::Index(i) => node
                .as_seq()
                .and_then(|items| items.get(*i))
                .map(|n| (n.span, n)),
            Segment::Key(_) => None,
        };
        match next {
            Some((covered, child)) => {
                span = covered;
                node = child;
            }
            None => return span,
        }
    }
    span
}

fn starts_with(segments: &[Segment], fields: &[&str]) -> bool {
    fields.len() <= segments.len()
        && fields
            .iter()
            .zip(segments)
            .all(|(f, s)| matches!(s, Segment::Field(name) if name == f))
}

/// Whether `offset` is inside `node` (its end included: a cursor right after a value is on it).
fn contains(node: &Node, offset: usize) -> bool {
    (node.span.start as usize..=node.span.end as usize).contains(&offset)
}

/// The path of the deepest field holding `offset`; a cursor on a key counts as on its value.
fn descend(root: &Node, offset: usize) -> FieldPath {
    let mut path = FieldPath::root();
    let mut node = root;
    loop {
        let next = match &node.value {
            Value::Map(entries) => entries.iter().find_map(|e| {
                let hit = contains(&e.key, offset) || contains(&e.value, offset);
                let key = e.key.key_text()?;
                hit.then(|| (path.child(&key), &e.value))
            }),
            Value::Seq(items) => items
                .iter()
                .enumerate()
                .find(|(_, item)| contains(item, offset))
                .map(|(i, item)| (path.index(i), item)),
            _ => None,
        };
        match next {
            Some((deeper, child)) if !std::ptr::eq(child, node) => {
                path = deeper;
                node = child;
            }
            _ => return path,
        }
    }
}
