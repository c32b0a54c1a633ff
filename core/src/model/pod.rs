//! The parts of Pods and workload pod templates that network reachability needs: labels,
//! container ports, host networking, and the addresses and phase from `status`.
//!
//! Pod specs are large and evolve quickly, so unknown fields are not reported here; only the
//! fields read are type-checked.

use super::decode::Decoder;
use super::meta::ObjectMeta;
use crate::path::FieldPath;
use crate::source::Node;

/// A `v1` Pod, or the pod a workload's template would create.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pod {
    /// `metadata` (for a template: the workload's name and namespace, the template's labels).
    pub metadata: ObjectMeta,
    /// `spec`.
    pub spec: PodSpec,
    /// `status`.
    pub status: PodStatus,
}

/// The parts of `spec` netward reads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PodSpec {
    /// `containers`.
    pub containers: Vec<Container>,
    /// `initContainers` (those with `restartPolicy: Always` are sidecars that serve ports).
    pub init_containers: Vec<Container>,
    /// `hostNetwork`.
    pub host_network: bool,
    /// `nodeName`.
    pub node_name: Option<String>,
}

/// A container: its name, image, ports and (for init containers) restart policy.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Container {
    /// `name`.
    pub name: String,
    /// `image`.
    pub image: Option<String>,
    /// `ports`.
    pub ports: Vec<ContainerPort>,
    /// `restartPolicy` (only valid on init containers: `Always` marks a sidecar).
    pub restart_policy: Option<String>,
}

/// One entry of a container's `ports`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContainerPort {
    /// `name`: what NetworkPolicy named ports and Service `targetPort` names refer to.
    pub name: Option<String>,
    /// `containerPort`.
    pub container_port: i32,
    /// `protocol` (defaults to TCP).
    pub protocol: Option<String>,
}

/// The parts of `status` netward reads.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PodStatus {
    /// `phase`.
    pub phase: Option<String>,
    /// `podIP`.
    pub pod_ip: Option<String>,
    /// `podIPs[].ip`.
    pub pod_ips: Vec<String>,
    /// `hostIP`.
    pub host_ip: Option<String>,
}

impl Pod {
    /// Decodes a Pod document.
    pub fn decode(object: &Node, d: &mut Decoder<'_>) -> Self {
        let metadata = ObjectMeta::decode(object, d);
        let spec = decode_pod_spec(object.get("spec"), &FieldPath::new(["spec"]), d);
        let path = FieldPath::new(["status"]);
        let status = d
            .object(object.get("status"), &path, &[])
            .map(|status| PodStatus {
                phase: d.string(status, "phase", &path),
                pod_ip: d.string(status, "podIP", &path),
                pod_ips: d
                    .list(status, "podIPs", &path, |d, item, path| {
                        let item = d.object(Some(item), path, &[])?;
                        d.string(item, "ip", path)
                    })
                    .unwrap_or_default(),
                host_ip: d.string(status, "hostIP", &path),
            })
            .unwrap_or_default();
        Self {
            metadata,
            spec,
            status,
        }
    }

    /// The pod described by `template` (a `PodTemplateSpec` at `path`) of a workload whose
    /// metadata is `owner`: the owner's name and namespace, the template's labels.
    pub fn from_template(
        owner: &ObjectMeta,
        template: Option<&Node>,
        path: &FieldPath,
        d: &mut Decoder<'_>,
    ) -> Self {
        let template = d.object(template, path, &[]);
        let labels = template
            .and_then(|t| {
                let meta_path = path.child("metadata");
                let meta = d.object(t.get("metadata"), &meta_path, &[])?;
                d.string_map(meta, "labels", &meta_path)
            })
            .unwrap_or_default();
        let spec = decode_pod_spec(template.and_then(|t| t.get("spec")), &path.child("spec"), d);
        Self {
            metadata: ObjectMeta {
                name: owner.name.clone(),
                namespace: owner.namespace.clone(),
                labels,
                ..ObjectMeta::default()
            },
            spec,
            status: PodStatus::default(),
        }
    }
}

fn decode_pod_spec(node: Option<&Node>, path: &FieldPath, d: &mut Decoder<'_>) -> PodSpec {
    let Some(spec) = d.object(node, path, &[]) else {
        return PodSpec::default();
    };
    PodSpec {
        containers: decode_containers(spec, "containers", path, d),
        init_containers: decode_containers(spec, "initContainers", path, d),
        host_network: d.boolean(spec, "hostNetwork", path).unwrap_or(false),
        node_name: d.string(spec, "nodeName", path),
    }
}

fn decode_containers(
    spec: &Node,
    field: &str,
    path: &FieldPath,
    d: &mut Decoder<'_>,
) -> Vec<Container> {
    d.list(spec, field, path, |d, item, path| {
        let container = d.object(Some(item), path, &[])?;
        Some(Container {
            name: d.string(container, "name", path).unwrap_or_default(),
            image: d.string(container, "image", path),
            ports: d
                .list(container, "ports", path, |d, item, path| {
                    let port = d.object(Some(item), path, &[])?;
                    Some(ContainerPort {
                        name: d.string(port, "name", path),
                        container_port: d.int32(port, "containerPort", path)?,
                        protocol: d.string(port, "protocol", path),
                    })
                })
                .unwrap_or_default(),
            restart_policy: d.string(container, "restartPolicy", path),
        })
    })
    .unwrap_or_default()
}

/// A workload kind that creates pods from a template, and where its template is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkloadKind {
    /// API group (`apps`, `batch`, or `""` for ReplicationController).
    pub group: &'static str,
    /// Kind.
    pub kind: &'static str,
    /// Field path of the pod template from the object root.
    pub template_path: &'static [&'static str],
}

/// Where most workloads keep their pod template.
const SPEC_TEMPLATE: &[&str] = &["spec", "template"];

impl WorkloadKind {
    const fn new(
        group: &'static str,
        kind: &'static str,
        template_path: &'static [&'static str],
    ) -> Self {
        Self {
            group,
            kind,
            template_path,
        }
    }
}

/// The workload kinds whose pod templates become representative pods.
pub const WORKLOAD_KINDS: &[WorkloadKind] = &[
    WorkloadKind::new("apps", "Deployment", SPEC_TEMPLATE),
    WorkloadKind::new("apps", "StatefulSet", SPEC_TEMPLATE),
    WorkloadKind::new("apps", "DaemonSet", SPEC_TEMPLATE),
    WorkloadKind::new("apps", "ReplicaSet", SPEC_TEMPLATE),
    WorkloadKind::new("", "ReplicationController", SPEC_TEMPLATE),
    WorkloadKind::new("batch", "Job", SPEC_TEMPLATE),
    WorkloadKind::new(
        "batch",
        "CronJob",
        &["spec", "jobTemplate", "spec", "template"],
    ),
];

/// The workload kind of an object with this group and kind, if it has a pod template.
pub fn workload_kind(group: &str, kind: &str) -> Option<&'static WorkloadKind> {
    WORKLOAD_KINDS
        .iter()
        .find(|w| w.group == group && w.kind == kind)
}

impl WorkloadKind {
    /// Decodes the representative pod of a workload object.
    pub fn representative_pod(&self, object: &Node, d: &mut Decoder<'_>) -> Pod {
        let owner = ObjectMeta::decode(object, d);
        let template = self
            .template_path
            .iter()
            .try_fold(object, |node, field| node.get(field));
        Pod::from_template(
            &owner,
            template,
            &FieldPath::new(self.template_path.iter().copied()),
            d,
        )
    }
}
