//! What validation depends on besides the object: the cluster version's feature gates and the
//! API server's flags.

use serde::{Deserialize, Serialize};

/// Cluster-dependent switches for API-server validation. The defaults describe a 1.34/1.35
/// cluster with default flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct ValidationProfile {
    /// Gate `StrictIPCIDRValidation`: reject leading zeros, IPv4-mapped IPv6 addresses and
    /// CIDRs with host bits in IP/CIDR fields (off before 1.36).
    pub strict_ip_cidr_validation: bool,
    /// Gate `PreferSameTrafficDistribution`: accept `PreferSameZone` and `PreferSameNode` in
    /// `spec.trafficDistribution` (on from 1.34).
    pub prefer_same_traffic_distribution: bool,
    /// Gate `RelaxedServiceNameValidation`: Service names may be RFC 1123 labels (alpha in 1.34).
    pub relaxed_service_name_validation: bool,
    /// Also apply the registry's allocator checks that do not depend on live cluster state
    /// (node-port range, single-stack with two families).
    pub allocator_checks: bool,
    /// `--service-node-port-range` of the API server, inclusive.
    pub node_port_range: NodePortRange,
    /// Report an empty `metadata.namespace` as the API server's validation does. Off for raw
    /// manifests, where the namespace comes from the request (kubectl's context).
    pub require_namespace: bool,
    /// Report every problem at once. The API server stops after the first stage that fails
    /// (the allocator's pre-checks, then validation) and reports one bad node port; a linter
    /// serves people better by showing all of them.
    pub exhaustive: bool,
}

impl Default for ValidationProfile {
    fn default() -> Self {
        Self {
            strict_ip_cidr_validation: false,
            prefer_same_traffic_distribution: true,
            relaxed_service_name_validation: false,
            allocator_checks: true,
            node_port_range: NodePortRange::default(),
            require_namespace: false,
            exhaustive: true,
        }
    }
}

impl ValidationProfile {
    /// The profile of the upstream validation functions themselves, as the published test
    /// vectors assume it: no allocator checks, namespace required.
    pub fn upstream_validation() -> Self {
        Self {
            allocator_checks: false,
            require_namespace: true,
            exhaustive: false,
            ..Self::default()
        }
    }
}

/// An inclusive node-port range such as `30000-32767`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct NodePortRange {
    /// First port of the range.
    pub first: u16,
    /// Last port of the range (inclusive).
    pub last: u16,
}

impl Default for NodePortRange {
    fn default() -> Self {
        Self {
            first: 30000,
            last: 32767,
        }
    }
}

impl NodePortRange {
    /// True when `port` lies in the range.
    pub fn contains(self, port: i32) -> bool {
        (i32::from(self.first)..=i32::from(self.last)).contains(&port)
    }
}

impl std::str::FromStr for NodePortRange {
    type Err = String;

    /// Parses `30000-32767` (or a single port).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (first, last) = s.split_once('-').unwrap_or((s, s));
        let parse = |p: &str| {
            p.trim().parse::<u16>().map_err(|_| {
                format!("invalid node-port range {s:?}: expected FIRST-LAST, e.g. 30000-32767")
            })
        };
        let (first, last) = (parse(first)?, parse(last)?);
        if first == 0 || first > last {
            return Err(format!(
                "invalid node-port range {s:?}: the first port must be between 1 and the last"
            ));
        }
        Ok(Self { first, last })
    }
}
