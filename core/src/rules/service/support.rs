//! What several Service rules share: the pods a Service selects (Pods, workload templates and
//! the pod templates of custom workloads such as Argo Rollouts), target-port resolution,
//! exposure and the cloud providers' internal-load-balancer annotations.

use std::collections::{BTreeMap, HashMap};

use crate::diagnostic::Label;
use crate::model::decode::Decoder;
use crate::model::{workload_kind, IntOrString, ObjectMeta, Pod, Service, ServicePort};
use crate::netpol::cluster::{served_ports, ServedPort};
use crate::netpol::Protocol;
use crate::path::FieldPath;
use crate::rules::{Context, Decoded};
use crate::source::{FileId, Node, Span};
use crate::validate::service::SOURCE_RANGES_ANNOTATION;

/// A pod of the bundle a Service may select: a Pod, the pod a workload's template creates, or
/// the pod template of an unknown kind (`spec.template.spec.containers`, e.g. Argo Rollout,
/// OpenShift DeploymentConfig).
#[derive(Debug, Clone)]
pub struct Backend {
    /// Namespace name.
    pub namespace: String,
    /// The Pod's or workload's name.
    pub name: String,
    /// `ns/name` for Pods, `ns/kind/name` for workloads.
    pub display: String,
    /// The kind (`Pod`, `Deployment`, `Rollout`, ...).
    pub kind: String,
    /// Pod labels.
    pub labels: BTreeMap<String, String>,
    /// Ports its containers and sidecars declare.
    pub ports: Vec<ServedPort>,
    /// The image repositories of its containers (see [`image_repository`]), without repeats.
    pub images: Vec<String>,
    /// `hostNetwork`.
    pub host_network: bool,
    /// The file of its manifest.
    pub file: FileId,
    /// The pod labels in the manifest (the object when they are not written).
    pub labels_span: Span,
}

impl Backend {
    /// Whether a Service selector picks these pods (see [`service_selects`]).
    pub fn selected_by(&self, selector: &BTreeMap<String, String>) -> bool {
        service_selects(selector, &self.labels, &self.kind, &self.name)
    }

    /// A secondary location on its labels.
    pub fn label(&self, message: impl Into<String>) -> Label {
        Label {
            file: self.file,
            span: self.labels_span,
            message: message.into(),
        }
    }

    /// `8080/TCP (http), 9090/TCP (metrics)`.
    pub fn ports_text(&self) -> String {
        if self.ports.is_empty() {
            return "no ports".to_owned();
        }
        self.ports
            .iter()
            .map(port_text)
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Whether a Service selector picks the pods of `kind`/`name` with `labels`. Labels the
/// workload's controller adds to the pods it creates (and the template does not show) count:
/// `job-name` of a Job's pods, `statefulset.kubernetes.io/pod-name` of a StatefulSet's,
/// revision hashes.
pub fn service_selects(
    selector: &BTreeMap<String, String>,
    labels: &BTreeMap<String, String>,
    kind: &str,
    name: &str,
) -> bool {
    selector.iter().all(|(key, value)| match labels.get(key) {
        Some(label) => label == value,
        None => controller_label(kind, name, key, value),
    })
}

/// Whether the controller of `kind` sets `key` to a value that can be `value` on the pods of
/// the workload `name`.
fn controller_label(kind: &str, name: &str, key: &str, value: &str) -> bool {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    match (kind, key) {
        ("Job", "job-name" | "batch.kubernetes.io/job-name") => value == name,
        ("CronJob", "job-name" | "batch.kubernetes.io/job-name") => value
            .strip_prefix(name)
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(digits),
        ("Job" | "CronJob", "controller-uid" | "batch.kubernetes.io/controller-uid") => true,
        ("Job" | "CronJob", "batch.kubernetes.io/job-completion-index") => digits(value),
        ("StatefulSet", "statefulset.kubernetes.io/pod-name") => value
            .strip_prefix(name)
            .and_then(|rest| rest.strip_prefix('-'))
            .is_some_and(digits),
        ("StatefulSet", "apps.kubernetes.io/pod-index") => digits(value),
        ("StatefulSet" | "DaemonSet", "controller-revision-hash") => true,
        ("DaemonSet", "pod-template-generation") => digits(value),
        ("Deployment" | "ReplicaSet", "pod-template-hash") => true,
        _ => false,
    }
}

/// `8080/TCP (http)`.
pub fn port_text(port: &ServedPort) -> String {
    match &port.name {
        Some(name) => format!("{}/{} ({name})", port.port, port.protocol),
        None => format!("{}/{}", port.port, port.protocol),
    }
}

/// The pods of the bundle, indexed by namespace.
#[derive(Debug, Default)]
pub struct Backends {
    /// Every pod, in manifest order.
    pub all: Vec<Backend>,
    /// Indices into `all`, per namespace.
    by_namespace: HashMap<String, Vec<usize>>,
    /// Indices into `all`, per written label (`key`, `value`).
    by_label: HashMap<(String, String), Vec<usize>>,
    /// Indices into `all` of the pods each Service of the bundle selects in its namespace,
    /// by where the Service is written (file, start): computed once, read by many rules.
    by_service: HashMap<(FileId, u32), Vec<usize>>,
}

/// Labels controllers add to the pods they create (a template does not show them).
const CONTROLLER_LABELS: &[&str] = &[
    "job-name",
    "batch.kubernetes.io/job-name",
    "controller-uid",
    "batch.kubernetes.io/controller-uid",
    "batch.kubernetes.io/job-completion-index",
    "statefulset.kubernetes.io/pod-name",
    "apps.kubernetes.io/pod-index",
    "controller-revision-hash",
];

impl Backends {
    /// The pods of every namespace a Service selector picks, found through the label index.
    pub fn selected_anywhere<'b>(
        &'b self,
        selector: &'b BTreeMap<String, String>,
    ) -> impl Iterator<Item = &'b Backend> + 'b {
        // The rarest written label of the selector narrows the search; keys controllers add
        // are not in the index, so a selector made only of those scans everything.
        let narrowest = selector
            .iter()
            .filter(|(k, _)| !CONTROLLER_LABELS.contains(&k.as_str()))
            .map(|(k, v)| {
                self.by_label
                    .get(&(k.clone(), v.clone()))
                    .map_or(&[][..], Vec::as_slice)
            })
            .min_by_key(|list| list.len());
        let candidates: Box<dyn Iterator<Item = &'b Backend> + 'b> = match narrowest {
            Some(list) => Box::new(list.iter().filter_map(|&i| self.all.get(i))),
            None => Box::new(self.all.iter()),
        };
        candidates.filter(move |b| b.selected_by(selector))
    }

    /// The pods of a namespace, in manifest order.
    pub fn in_namespace<'b>(&'b self, namespace: &str) -> impl Iterator<Item = &'b Backend> {
        self.by_namespace
            .get(namespace)
            .into_iter()
            .flatten()
            .filter_map(|&i| self.all.get(i))
    }
}

/// Every pod of the bundle (built once per check).
pub fn backends<'c>(ctx: &'c Context<'_>) -> &'c Backends {
    ctx.service_backends.get_or_init(|| index_backends(ctx))
}

fn index_backends(ctx: &Context<'_>) -> Backends {
    let all = all_backends(ctx);
    let mut by_namespace: HashMap<String, Vec<usize>> = HashMap::new();
    let mut by_label: HashMap<(String, String), Vec<usize>> = HashMap::new();
    for (i, backend) in all.iter().enumerate() {
        by_namespace
            .entry(backend.namespace.clone())
            .or_default()
            .push(i);
        for (key, value) in &backend.labels {
            by_label
                .entry((key.clone(), value.clone()))
                .or_default()
                .push(i);
        }
    }
    let mut by_service = HashMap::new();
    for service in &ctx.services {
        let Some(selector) = selector(&service.value) else {
            continue;
        };
        let picked: Vec<usize> = by_namespace
            .get(&service.namespace)
            .into_iter()
            .flatten()
            .copied()
            .filter(|&i| all.get(i).is_some_and(|b| b.selected_by(selector)))
            .collect();
        by_service.insert((service.file.id, service.object.node.span.start), picked);
    }
    Backends {
        all,
        by_namespace,
        by_label,
        by_service,
    }
}

/// Every Pod, workload template and custom pod template of the bundle, without merging
/// objects written twice (the same Deployment in two overlays counts twice, so a Service
/// matching either copy is satisfied).
fn all_backends(ctx: &Context<'_>) -> Vec<Backend> {
    let mut out = Vec::new();
    for &(file, object) in &ctx.objects {
        {
            let (group, kind) = (object.group(), object.kind());
            let mut d = Decoder::new(&file.text);
            let (pod, kind, template): (Pod, &str, Vec<&str>) = if group.is_empty() && kind == "Pod"
            {
                let pod = Pod::decode(object.node, &mut d);
                // Finished pods take part in no connection.
                if matches!(pod.status.phase.as_deref(), Some("Succeeded" | "Failed")) {
                    continue;
                }
                (pod, "Pod", Vec::new())
            } else if let Some(workload) = workload_kind(group, kind) {
                (
                    workload.representative_pod(object.node, &mut d),
                    workload.kind,
                    workload.template_path.to_vec(),
                )
            } else {
                let template = object.node.get("spec").and_then(|s| s.get("template"));
                let has_containers = template
                    .and_then(|t| t.get("spec"))
                    .and_then(|s| s.get("containers"))
                    .and_then(Node::as_seq)
                    .is_some_and(|c| !c.is_empty());
                if !has_containers {
                    continue;
                }
                let owner = ObjectMeta::decode(object.node, &mut d);
                let path = FieldPath::new(["spec", "template"]);
                (
                    Pod::from_template(&owner, template, &path, &mut d),
                    kind,
                    vec!["spec", "template"],
                )
            };
            let Some(name) = pod.metadata.name.clone().filter(|n| !n.is_empty()) else {
                continue;
            };
            let namespace = pod
                .metadata
                .namespace
                .clone()
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| ctx.options.reach.default_namespace.clone());
            let display = if kind == "Pod" {
                format!("{namespace}/{name}")
            } else {
                format!("{namespace}/{}/{name}", kind.to_ascii_lowercase())
            };
            let labels_path = FieldPath::new(template.iter().copied())
                .child("metadata")
                .child("labels");
            let mut images: Vec<String> = pod
                .spec
                .containers
                .iter()
                .filter_map(|c| c.image.as_deref().map(image_repository))
                .filter(|r| !r.is_empty())
                .map(str::to_owned)
                .collect();
            crate::sort::sort(&mut images);
            images.dedup();
            out.push(Backend {
                display,
                name,
                namespace,
                kind: kind.to_owned(),
                ports: served_ports(&pod),
                images,
                host_network: pod.spec.host_network,
                labels: pod.metadata.labels,
                file: file.id,
                labels_span: object.node.locate(&labels_path).0,
            });
        }
    }
    out
}

/// The repository of a container image, without registry host, tag or digest, and without
/// Docker Hub's `library/` prefix: `registry.example:5000/shop/web:3` is `shop/web`,
/// `docker.io/library/nginx@sha256:...` is `nginx`.
pub fn image_repository(image: &str) -> &str {
    let image = image.trim();
    let image = image.split_once('@').map_or(image, |(name, _)| name);
    let last_slash = image.rfind('/').map_or(0, |i| i + 1);
    let image = match image.get(last_slash..).and_then(|last| last.find(':')) {
        Some(colon) => image.get(..last_slash + colon).unwrap_or(image),
        None => image,
    };
    let image = match image.split_once('/') {
        Some((host, rest)) if host.contains(['.', ':']) || host == "localhost" => rest,
        _ => image,
    };
    image.strip_prefix("library/").unwrap_or(image)
}

/// `spec.type`, defaulted.
pub fn service_type(service: &Service) -> &str {
    service
        .spec
        .type_
        .as_deref()
        .filter(|t| !t.is_empty())
        .unwrap_or("ClusterIP")
}

/// `clusterIP: None` (or `clusterIPs: [None]`).
pub fn is_headless(service: &Service) -> bool {
    service.spec.cluster_ip.as_deref() == Some("None")
        || (service.spec.cluster_ip.is_none()
            && service.spec.cluster_ips.len() == 1
            && service
                .spec
                .cluster_ips
                .first()
                .is_some_and(|ip| ip == "None"))
}

/// The selector that picks the Service's endpoints: `None` for ExternalName Services and for
/// Services without one (an empty selector is stored as none).
pub fn selector(service: &Service) -> Option<&BTreeMap<String, String>> {
    if service_type(service) == "ExternalName" {
        return None;
    }
    service.spec.selector.as_ref().filter(|s| !s.is_empty())
}

/// Whether a Service selector (a plain map) selects these labels.
pub fn selects(selector: &BTreeMap<String, String>, labels: &BTreeMap<String, String>) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// Every Service of the bundle that selects at least one pod, with those pods.
pub fn services_with_pods<'c, 'a>(
    ctx: &'c Context<'a>,
) -> impl Iterator<Item = (&'c Decoded<'a, Service>, Vec<&'c Backend>)> + 'c {
    let backends = backends(ctx);
    ctx.services
        .iter()
        .map(move |service| (service, selected(service, backends)))
        .filter(|(_, pods)| !pods.is_empty())
}

/// The pods of the Service's namespace its selector picks (empty without a selector).
pub fn selected<'b>(service: &Decoded<'_, Service>, backends: &'b Backends) -> Vec<&'b Backend> {
    backends
        .by_service
        .get(&(service.file.id, service.object.node.span.start))
        .into_iter()
        .flatten()
        .filter_map(|&i| backends.all.get(i))
        .collect()
}

/// `{a: b, c: d}` as `a=b, c=d`.
pub fn selector_text(selector: &BTreeMap<String, String>) -> String {
    selector
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Where a Service port sends traffic on the pods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target<'s> {
    /// A port number (`targetPort`, or `port` when it is absent or 0).
    Number(u16),
    /// A named container port.
    Name(&'s str),
}

/// The target of a Service port, and the field that decides it (`targetPort`, or `port` when
/// `targetPort` is not written). `None` for values the API server rejects.
pub fn target<'s>(port: &'s ServicePort, path: &FieldPath) -> Option<(Target<'s>, FieldPath)> {
    let number = |n: i32| u16::try_from(n).ok().filter(|n| *n > 0);
    match &port.target_port {
        Some(IntOrString::String(name)) if !name.is_empty() => {
            Some((Target::Name(name), path.child("targetPort")))
        }
        Some(IntOrString::Int(n)) if *n != 0 => {
            Some((Target::Number(number(*n)?), path.child("targetPort")))
        }
        _ => Some((Target::Number(number(port.port?)?), path.child("port"))),
    }
}

/// The protocol of a Service port (TCP when absent; `None` when invalid).
pub fn protocol(port: &ServicePort) -> Option<Protocol> {
    Protocol::from_field(port.protocol.as_deref().filter(|p| !p.is_empty()))
}

/// Annotations that make a cloud load balancer internal (reachable only from the private
/// network), with the values that mean "internal" (`None`: any value but `false`).
const INTERNAL_LB_ANNOTATIONS: &[(&str, Option<&str>)] = &[
    // AWS (in-tree and AWS Load Balancer Controller).
    (
        "service.beta.kubernetes.io/aws-load-balancer-internal",
        None,
    ),
    (
        "service.beta.kubernetes.io/aws-load-balancer-scheme",
        Some("internal"),
    ),
    // Google Cloud.
    ("networking.gke.io/load-balancer-type", Some("internal")),
    ("cloud.google.com/load-balancer-type", Some("internal")),
    // Azure.
    (
        "service.beta.kubernetes.io/azure-load-balancer-internal",
        None,
    ),
    // Oracle Cloud.
    (
        "service.beta.kubernetes.io/oci-load-balancer-internal",
        None,
    ),
    ("oci-network-load-balancer.oraclecloud.com/internal", None),
    // OpenStack.
    (
        "service.beta.kubernetes.io/openstack-internal-load-balancer",
        None,
    ),
    // IBM Cloud.
    (
        "service.kubernetes.io/ibm-load-balancer-cloud-provider-ip-type",
        Some("private"),
    ),
    // Alibaba Cloud.
    (
        "service.beta.kubernetes.io/alibaba-cloud-loadbalancer-address-type",
        Some("intranet"),
    ),
    // Tencent Cloud.
    (
        "service.kubernetes.io/qcloud-loadbalancer-internal-subnetid",
        None,
    ),
    // Hetzner Cloud.
    ("load-balancer.hetzner.cloud/disable-public-network", None),
];

/// Whether a provider annotation makes the load balancer internal.
pub fn internal_load_balancer(service: &Service) -> bool {
    INTERNAL_LB_ANNOTATIONS.iter().any(|(key, wanted)| {
        service.metadata.annotations.get(*key).is_some_and(|value| {
            let value = value.trim();
            match wanted {
                Some(wanted) => value.eq_ignore_ascii_case(wanted),
                None => !value.is_empty() && !value.eq_ignore_ascii_case("false"),
            }
        })
    })
}

/// The source ranges in effect: the field, or the legacy annotation when the field is empty,
/// each with its path.
pub fn source_ranges(service: &Service) -> Vec<(String, FieldPath)> {
    let field = &service.spec.load_balancer_source_ranges;
    if !field.is_empty() {
        let path = FieldPath::new(["spec", "loadBalancerSourceRanges"]);
        return field
            .iter()
            .enumerate()
            .map(|(i, r)| (r.trim().to_owned(), path.index(i)))
            .collect();
    }
    let path = FieldPath::new(["metadata", "annotations"]).key(SOURCE_RANGES_ANNOTATION);
    service
        .metadata
        .annotations
        .get(SOURCE_RANGES_ANNOTATION)
        .map(|value| {
            value
                .split(',')
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(|r| (r.to_owned(), path.clone()))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether a source range admits every address of its family (`0.0.0.0/0`, `::/0`).
pub fn is_open_range(range: &str) -> bool {
    crate::validate::ip::parse_cidr_sloppy(range).is_some_and(|c| c.prefix_len == 0)
}

/// How a Service is reachable from outside the cluster, if it is: `NodePort`, an external
/// `LoadBalancer` (not internal and not limited to some source ranges) or `externalIPs`.
pub fn external_exposure(service: &Service) -> Option<&'static str> {
    if !service.spec.external_ips.is_empty() {
        return Some("externalIPs");
    }
    match service_type(service) {
        "NodePort" => Some("a NodePort"),
        "LoadBalancer" => {
            let ranges = source_ranges(service);
            let restricted = !ranges.is_empty() && !ranges.iter().any(|(r, _)| is_open_range(r));
            (!internal_load_balancer(service) && !restricted).then_some("a public LoadBalancer")
        }
        _ => None,
    }
}

/// How the selected pods serve one port of a Service.
#[derive(Debug)]
pub struct PortUse<'s, 'b> {
    /// Index in `spec.ports`.
    pub index: usize,
    /// The field deciding the target (`targetPort`, or `port` when targetPort is absent).
    pub path: FieldPath,
    /// `port`.
    pub port: i32,
    /// `targetPort` is written (otherwise the target is `port`).
    pub target_written: bool,
    /// The target.
    pub target: Target<'s>,
    /// The Service port's protocol.
    pub protocol: Protocol,
    /// Pods declaring the target with this protocol.
    pub serving: Vec<&'b Backend>,
    /// Pods declaring the target only with another protocol, and that port.
    pub other_protocol: Vec<(&'b Backend, &'b ServedPort)>,
    /// Pods not declaring the target at all.
    pub missing: Vec<&'b Backend>,
}

/// Each valid port of the Service, with how the `selected` pods serve it.
pub fn port_uses<'s, 'b>(service: &'s Service, selected: &[&'b Backend]) -> Vec<PortUse<'s, 'b>> {
    let ports_path = FieldPath::new(["spec", "ports"]);
    let mut out = Vec::new();
    for (index, port) in service.spec.ports.iter().enumerate() {
        let Some(protocol) = protocol(port) else {
            continue;
        };
        let Some((target, path)) = target(port, &ports_path.index(index)) else {
            continue;
        };
        let target_written =
            path.segments().last() == Some(&crate::path::Segment::Field("targetPort".into()));
        let mut use_ = PortUse {
            index,
            path,
            port: port.port.unwrap_or_default(),
            target_written,
            target,
            protocol,
            serving: Vec::new(),
            other_protocol: Vec::new(),
            missing: Vec::new(),
        };
        for backend in selected {
            let is_target = |p: &&ServedPort| match target {
                Target::Number(n) => p.port == n,
                Target::Name(name) => p.name.as_deref() == Some(name),
            };
            let mut declared = backend.ports.iter().filter(is_target);
            if declared.clone().any(|p| p.protocol == protocol) {
                use_.serving.push(backend);
            } else if let Some(other) = declared.next() {
                use_.other_protocol.push((backend, other));
            } else {
                use_.missing.push(backend);
            }
        }
        out.push(use_);
    }
    out
}

/// `a, b and c`.
pub fn join_names<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    let names: Vec<&str> = names.into_iter().collect();
    match names.split_last() {
        None => String::new(),
        Some((last, [])) => (*last).to_owned(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
    }
}

/// An edit inserting `field: value` as a new entry of the block or flow mapping `map`, just
/// before its entry `before` (so it gets that entry's indentation).
pub fn insert_entry_before(
    file: &crate::source::SourceFile,
    map: &Node,
    before: &str,
    text: &str,
) -> Option<crate::diagnostic::Edit> {
    let entry = map.entry(before)?;
    let start = entry.key.span.start as usize;
    let flow = file
        .text
        .get(map.span.range())
        .is_some_and(|t| t.starts_with('{'));
    let replacement = if flow {
        format!("{text}, ")
    } else {
        let line_start = file.text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
        let prefix = file.text.get(line_start..start)?;
        if !prefix.chars().all(|c| c == ' ' || c == '-') {
            return None;
        }
        format!("{text}\n{}", " ".repeat(prefix.len()))
    };
    Some(crate::diagnostic::Edit {
        file: file.id,
        span: Span::at(start),
        replacement,
    })
}

#[cfg(test)]
mod tests {
    use super::image_repository;

    #[test]
    fn image_repositories_drop_registry_tag_and_digest() {
        assert_eq!(
            image_repository("registry.example:5000/shop/web:3"),
            "shop/web"
        );
        assert_eq!(
            image_repository("docker.io/library/nginx@sha256:abc"),
            "nginx"
        );
        assert_eq!(image_repository("nginx:1.27"), "nginx");
        assert_eq!(image_repository("localhost/web"), "web");
        assert_eq!(
            image_repository("kubernetesui/dashboard:v2.7.0"),
            "kubernetesui/dashboard"
        );
        assert_eq!(image_repository("ghcr.io/org/app"), "org/app");
    }
}
