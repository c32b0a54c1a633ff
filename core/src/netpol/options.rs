//! The reachability engine's choices on points Kubernetes leaves to the network plugin
//! (`netpol-semantics.md` §15). Every default is the documented common behaviour.

use serde::{Deserialize, Serialize};

use crate::validate::ip::IpFamily;

/// How the engine answers the implementation-defined questions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default, rename_all = "snake_case", deny_unknown_fields)]
pub struct ReachOptions {
    /// A pod's traffic to itself (A1).
    pub self_traffic: SelfTraffic,
    /// What `hostNetwork` pods are (A2).
    pub host_network: HostNetwork,
    /// Egress from a pod to the node it runs on is exempt from egress rules (A3; default no).
    pub exempt_egress_to_own_node: bool,
    /// ipBlock peers match pod addresses too, in both directions (A4; default yes).
    pub ip_block_matches_pods: bool,
    /// `endPort` is enforced (A7; default yes). When off, only `port` is, as plugins without
    /// endPort support do.
    pub enforce_end_port: bool,
    /// The address family connections use; `None` is each pod's primary (first) address (A13).
    pub family: Option<AddressFamily>,
    /// Namespace of objects that do not set `metadata.namespace` (A12).
    pub default_namespace: String,
}

impl Default for ReachOptions {
    fn default() -> Self {
        Self {
            self_traffic: SelfTraffic::Allowed,
            host_network: HostNetwork::Node,
            exempt_egress_to_own_node: false,
            ip_block_matches_pods: true,
            enforce_end_port: true,
            family: None,
            default_namespace: "default".to_owned(),
        }
    }
}

/// A pod's connections to itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SelfTraffic {
    /// Always allowed, flagged as plugin-dependent (the documented behaviour for direct
    /// loopback; hairpin through a Service varies).
    Allowed,
    /// Evaluated like any other connection.
    Evaluate,
}

/// What a `hostNetwork` pod is to NetworkPolicy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HostNetwork {
    /// Its node: invisible to pod and namespace selectors, never a policy subject, matched
    /// only by ipBlock (the common plugin behaviour).
    Node,
    /// An ordinary pod (plugins that can tell host-network pods apart).
    Pod,
}

/// An address family a reachability question is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub enum AddressFamily {
    /// IPv4.
    #[serde(rename = "IPv4")]
    V4,
    /// IPv6.
    #[serde(rename = "IPv6")]
    V6,
}

impl AddressFamily {
    /// The validation module's family value.
    pub fn ip_family(self) -> IpFamily {
        match self {
            AddressFamily::V4 => IpFamily::V4,
            AddressFamily::V6 => IpFamily::V6,
        }
    }
}
