//! `v1` Service.

use std::collections::BTreeMap;

use super::{IntOrString, ObjectMeta};

/// A `v1` Service.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Service {
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// `spec`.
    pub spec: ServiceSpec,
}

/// `spec` of a Service.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceSpec {
    /// `type`: ClusterIP, NodePort, LoadBalancer or ExternalName.
    pub type_: Option<String>,
    /// `ports`.
    pub ports: Vec<ServicePort>,
    /// `selector` (a plain map; `None` when absent).
    pub selector: Option<BTreeMap<String, String>>,
    /// `clusterIP`.
    pub cluster_ip: Option<String>,
    /// `clusterIPs`.
    pub cluster_ips: Vec<String>,
    /// `ipFamilies`.
    pub ip_families: Vec<String>,
    /// `ipFamilyPolicy`.
    pub ip_family_policy: Option<String>,
    /// `externalIPs`.
    pub external_ips: Vec<String>,
    /// `sessionAffinity`.
    pub session_affinity: Option<String>,
    /// `sessionAffinityConfig`.
    pub session_affinity_config: Option<SessionAffinityConfig>,
    /// `loadBalancerIP` (deprecated, not validated).
    pub load_balancer_ip: Option<String>,
    /// `loadBalancerSourceRanges`.
    pub load_balancer_source_ranges: Vec<String>,
    /// `loadBalancerClass`.
    pub load_balancer_class: Option<String>,
    /// `externalName`.
    pub external_name: Option<String>,
    /// `externalTrafficPolicy`.
    pub external_traffic_policy: Option<String>,
    /// `internalTrafficPolicy`.
    pub internal_traffic_policy: Option<String>,
    /// `healthCheckNodePort`.
    pub health_check_node_port: Option<i32>,
    /// `publishNotReadyAddresses`.
    pub publish_not_ready_addresses: Option<bool>,
    /// `allocateLoadBalancerNodePorts`.
    pub allocate_load_balancer_node_ports: Option<bool>,
    /// `trafficDistribution`.
    pub traffic_distribution: Option<String>,
}

/// One entry of `spec.ports`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServicePort {
    /// `name`.
    pub name: Option<String>,
    /// `protocol`: TCP, UDP or SCTP.
    pub protocol: Option<String>,
    /// `appProtocol`.
    pub app_protocol: Option<String>,
    /// `port`.
    pub port: Option<i32>,
    /// `targetPort`.
    pub target_port: Option<IntOrString>,
    /// `nodePort`.
    pub node_port: Option<i32>,
}

/// `spec.sessionAffinityConfig`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SessionAffinityConfig {
    /// `clientIP`.
    pub client_ip: Option<ClientIpConfig>,
}

/// `spec.sessionAffinityConfig.clientIP`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClientIpConfig {
    /// `timeoutSeconds`.
    pub timeout_seconds: Option<i32>,
}

use super::decode::Decoder;
use super::meta::decode_top;
use crate::path::FieldPath;
use crate::source::Node;

const SPEC_FIELDS: &[&str] = &[
    "ports",
    "selector",
    "clusterIP",
    "clusterIPs",
    "type",
    "externalIPs",
    "sessionAffinity",
    "loadBalancerIP",
    "loadBalancerSourceRanges",
    "externalName",
    "externalTrafficPolicy",
    "healthCheckNodePort",
    "publishNotReadyAddresses",
    "sessionAffinityConfig",
    "ipFamilies",
    "ipFamilyPolicy",
    "allocateLoadBalancerNodePorts",
    "loadBalancerClass",
    "internalTrafficPolicy",
    "trafficDistribution",
];
const PORT_FIELDS: &[&str] = &[
    "name",
    "protocol",
    "appProtocol",
    "port",
    "targetPort",
    "nodePort",
];

impl Service {
    /// Decodes a Service document.
    pub fn decode(object: &Node, d: &mut Decoder<'_>) -> Self {
        let (metadata, spec) = decode_top(object, d);
        let path = FieldPath::new(["spec"]);
        let spec = d
            .object(spec, &path, SPEC_FIELDS)
            .map(|node| ServiceSpec::decode(node, &path, d))
            .unwrap_or_default();
        Self { metadata, spec }
    }
}

impl ServiceSpec {
    fn decode(node: &Node, path: &FieldPath, d: &mut Decoder<'_>) -> Self {
        Self {
            type_: d.string(node, "type", path),
            ports: d
                .list(node, "ports", path, |d, item, path| {
                    d.object(Some(item), path, PORT_FIELDS)
                        .map(|item| ServicePort {
                            name: d.string(item, "name", path),
                            protocol: d.string(item, "protocol", path),
                            app_protocol: d.string(item, "appProtocol", path),
                            port: d.int32(item, "port", path),
                            target_port: d.int_or_string(item, "targetPort", path),
                            node_port: d.int32(item, "nodePort", path),
                        })
                })
                .unwrap_or_default(),
            selector: d.string_map(node, "selector", path),
            cluster_ip: d.string(node, "clusterIP", path),
            cluster_ips: d.string_list(node, "clusterIPs", path).unwrap_or_default(),
            ip_families: d.string_list(node, "ipFamilies", path).unwrap_or_default(),
            ip_family_policy: d.string(node, "ipFamilyPolicy", path),
            external_ips: d.string_list(node, "externalIPs", path).unwrap_or_default(),
            session_affinity: d.string(node, "sessionAffinity", path),
            session_affinity_config: SessionAffinityConfig::decode(node, path, d),
            load_balancer_ip: d.string(node, "loadBalancerIP", path),
            load_balancer_source_ranges: d
                .string_list(node, "loadBalancerSourceRanges", path)
                .unwrap_or_default(),
            load_balancer_class: d.string(node, "loadBalancerClass", path),
            external_name: d.string(node, "externalName", path),
            external_traffic_policy: d.string(node, "externalTrafficPolicy", path),
            internal_traffic_policy: d.string(node, "internalTrafficPolicy", path),
            health_check_node_port: d.int32(node, "healthCheckNodePort", path),
            publish_not_ready_addresses: d.boolean(node, "publishNotReadyAddresses", path),
            allocate_load_balancer_node_ports: d.boolean(
                node,
                "allocateLoadBalancerNodePorts",
                path,
            ),
            traffic_distribution: d.string(node, "trafficDistribution", path),
        }
    }
}

impl SessionAffinityConfig {
    fn decode(spec: &Node, path: &FieldPath, d: &mut Decoder<'_>) -> Option<Self> {
        let path = path.child("sessionAffinityConfig");
        let node = d.object(spec.get("sessionAffinityConfig"), &path, &["clientIP"])?;
        let client_path = path.child("clientIP");
        let client_ip = d
            .object(node.get("clientIP"), &client_path, &["timeoutSeconds"])
            .map(|client| ClientIpConfig {
                timeout_seconds: d.int32(client, "timeoutSeconds", &client_path),
            });
        Some(Self { client_ip })
    }
}
