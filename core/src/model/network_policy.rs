//! `networking.k8s.io/v1` NetworkPolicy.

use super::{IntOrString, ObjectMeta};
use crate::selector::LabelSelector;

/// A `networking.k8s.io/v1` NetworkPolicy.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NetworkPolicy {
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// `spec`.
    pub spec: NetworkPolicySpec,
}

/// `spec` of a NetworkPolicy.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NetworkPolicySpec {
    /// `podSelector` (absent means `{}`: every pod of the namespace).
    pub pod_selector: Option<LabelSelector>,
    /// `ingress` (`None` when absent, `Some(vec![])` for `ingress: []`).
    pub ingress: Option<Vec<NetworkPolicyRule>>,
    /// `egress`.
    pub egress: Option<Vec<NetworkPolicyRule>>,
    /// `policyTypes`.
    pub policy_types: Option<Vec<String>>,
}

/// One ingress or egress rule: `ports` plus `from` (ingress) or `to` (egress).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct NetworkPolicyRule {
    /// `ports` (`None` or empty: all ports).
    pub ports: Option<Vec<NetworkPolicyPort>>,
    /// `from` / `to` (`None` or empty: all peers).
    pub peers: Option<Vec<NetworkPolicyPeer>>,
}

/// One entry of a rule's `ports`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct NetworkPolicyPort {
    /// `protocol` (defaults to TCP).
    pub protocol: Option<String>,
    /// `port`: a number or a named port; absent means every port.
    pub port: Option<IntOrString>,
    /// `endPort`: the end of a port range starting at `port`.
    pub end_port: Option<i32>,
}

/// One entry of `from` / `to`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct NetworkPolicyPeer {
    /// `podSelector`.
    pub pod_selector: Option<LabelSelector>,
    /// `namespaceSelector`.
    pub namespace_selector: Option<LabelSelector>,
    /// `ipBlock`.
    pub ip_block: Option<IpBlock>,
}

/// `ipBlock` of a peer.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct IpBlock {
    /// `cidr` (empty when absent).
    pub cidr: String,
    /// `except`.
    pub except: Vec<String>,
}

use super::decode::Decoder;
use super::meta::decode_top;
use crate::path::FieldPath;
use crate::source::Node;

const SPEC_FIELDS: &[&str] = &["podSelector", "ingress", "egress", "policyTypes"];
const PORT_FIELDS: &[&str] = &["protocol", "port", "endPort"];
const PEER_FIELDS: &[&str] = &["podSelector", "namespaceSelector", "ipBlock"];

impl NetworkPolicy {
    /// Decodes a NetworkPolicy document.
    pub fn decode(object: &Node, d: &mut Decoder<'_>) -> Self {
        let (metadata, spec) = decode_top(object, d);
        let path = FieldPath::new(["spec"]);
        let spec = d
            .object(spec, &path, SPEC_FIELDS)
            .map(|node| NetworkPolicySpec {
                pod_selector: decode_label_selector(node, "podSelector", &path, d),
                ingress: decode_rules(node, "ingress", "from", &path, d),
                egress: decode_rules(node, "egress", "to", &path, d),
                policy_types: d.string_list(node, "policyTypes", &path),
            })
            .unwrap_or_default();
        Self { metadata, spec }
    }
}

fn decode_rules(
    spec: &Node,
    field: &str,
    peers_field: &str,
    path: &FieldPath,
    d: &mut Decoder<'_>,
) -> Option<Vec<NetworkPolicyRule>> {
    d.list(spec, field, path, |d, item, path| {
        let rule = d.object(Some(item), path, &["ports", peers_field])?;
        Some(NetworkPolicyRule {
            ports: d.list(rule, "ports", path, |d, item, path| {
                d.object(Some(item), path, PORT_FIELDS)
                    .map(|port| NetworkPolicyPort {
                        protocol: d.string(port, "protocol", path),
                        port: d.int_or_string(port, "port", path),
                        end_port: d.int32(port, "endPort", path),
                    })
            }),
            peers: d.list(rule, peers_field, path, |d, item, path| {
                d.object(Some(item), path, PEER_FIELDS)
                    .map(|peer| NetworkPolicyPeer {
                        pod_selector: decode_label_selector(peer, "podSelector", path, d),
                        namespace_selector: decode_label_selector(
                            peer,
                            "namespaceSelector",
                            path,
                            d,
                        ),
                        ip_block: decode_ip_block(peer, path, d),
                    })
            }),
        })
    })
}

fn decode_ip_block(peer: &Node, path: &FieldPath, d: &mut Decoder<'_>) -> Option<IpBlock> {
    let path = path.child("ipBlock");
    let node = d.object(peer.get("ipBlock"), &path, &["cidr", "except"])?;
    Some(IpBlock {
        cidr: d.string(node, "cidr", &path).unwrap_or_default(),
        except: d.string_list(node, "except", &path).unwrap_or_default(),
    })
}

/// Decodes a `metav1.LabelSelector` field of `parent`.
pub fn decode_label_selector(
    parent: &Node,
    field: &str,
    path: &FieldPath,
    d: &mut Decoder<'_>,
) -> Option<crate::selector::LabelSelector> {
    let path = path.child(field);
    let node = d.object(
        parent.get(field),
        &path,
        &["matchLabels", "matchExpressions"],
    )?;
    Some(crate::selector::LabelSelector {
        match_labels: d.string_map(node, "matchLabels", &path).unwrap_or_default(),
        match_expressions: d
            .list(node, "matchExpressions", &path, |d, item, path| {
                d.object(Some(item), path, &["key", "operator", "values"])
                    .map(|req| crate::selector::LabelSelectorRequirement {
                        key: d.string(req, "key", path).unwrap_or_default(),
                        operator: d.string(req, "operator", path).unwrap_or_default(),
                        values: d.string_list(req, "values", path).unwrap_or_default(),
                    })
            })
            .unwrap_or_default(),
    })
}
