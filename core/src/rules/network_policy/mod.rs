//! NetworkPolicy rules (and the coverage rules reported on namespaces and workloads).

pub mod allow_all_overrides_default_deny;
mod dns;
pub mod dns_allowed_on_one_protocol;
pub mod dns_rule_misses_cluster_dns;
pub mod duplicate_policy;
pub mod duplicate_rule_entry;
pub mod egress_allows_cloud_metadata;
pub mod egress_blocks_dns;
pub mod egress_policy_also_denies_ingress;
pub mod ingress_ipblock_behind_snat;
pub mod ipblock_allows_all_addresses;
pub mod ipblock_cidr_not_canonical;
pub mod ipblock_targets_cluster;
pub mod named_port_not_declared;
pub mod namespace_and_pod_selectors_split;
pub mod namespace_selector_uses_unset_label;
pub mod namespace_without_default_deny;
pub mod peer_allows_all_namespaces;
pub mod peer_selects_no_pods;
pub mod pod_not_isolated;
pub mod pod_selector_peer_matches_other_namespaces;
pub mod policy_selects_host_network_pods;
pub mod policy_selects_no_pods;
pub mod rule_allows_any_peer;
pub mod rule_ports_split_from_peers;
pub mod rule_shadowed;
pub mod rules_ignored_by_policy_types;
pub mod service_port_blocked_by_policy;
mod support;
pub mod udp_port_without_protocol;

/// The NetworkPolicy rules.
pub const RULES: &[&crate::rules::LintRule] = &[
    &rule_allows_any_peer::RULE,
    &ipblock_allows_all_addresses::RULE,
    &egress_allows_cloud_metadata::RULE,
    &policy_selects_no_pods::RULE,
    &peer_selects_no_pods::RULE,
    &namespace_without_default_deny::RULE,
    &pod_not_isolated::RULE,
    &egress_blocks_dns::RULE,
    &dns_allowed_on_one_protocol::RULE,
    &udp_port_without_protocol::RULE,
    &egress_policy_also_denies_ingress::RULE,
    &rules_ignored_by_policy_types::RULE,
    &namespace_and_pod_selectors_split::RULE,
    &rule_ports_split_from_peers::RULE,
    &pod_selector_peer_matches_other_namespaces::RULE,
    &namespace_selector_uses_unset_label::RULE,
    &duplicate_rule_entry::RULE,
    &rule_shadowed::RULE,
    &policy_selects_host_network_pods::RULE,
    &allow_all_overrides_default_deny::RULE,
    &peer_allows_all_namespaces::RULE,
    &named_port_not_declared::RULE,
    &ipblock_cidr_not_canonical::RULE,
    &ingress_ipblock_behind_snat::RULE,
    &service_port_blocked_by_policy::RULE,
    &duplicate_policy::RULE,
    &dns_rule_misses_cluster_dns::RULE,
    &ipblock_targets_cluster::RULE,
];

#[cfg(test)]
mod tests;
