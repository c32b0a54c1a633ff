//! Service rules.

pub mod cluster_ip_hard_coded;
pub mod endpoints_in_cluster_network;
pub mod endpoints_special_address;
pub mod exposed_without_selector;
pub mod exposes_admin_interface;
pub mod external_dns_conflict;
pub mod external_ip_conflict;
pub mod external_ip_public;
pub mod external_ips;
mod external_name;
pub mod external_name_cluster_internal;
pub mod external_name_ignored_fields;
pub mod external_name_ip_address;
pub mod external_name_loopback;
pub mod external_name_metadata;
pub mod headless_target_port;
pub mod internal_local_traffic;
pub mod load_balancer_ip;
pub mod load_balancer_opens_node_ports;
pub mod load_balancer_source_ranges_open;
pub mod load_balancer_without_source_ranges;
mod local_traffic_policy;
pub mod node_port_conflict;
pub mod node_port_local_traffic;
pub mod node_port_static_band;
pub mod node_port_type;
pub mod port_protocol_mismatch;
pub mod publish_not_ready;
pub mod selector_matches_no_pods;
pub mod selector_too_broad;
pub mod selector_volatile_label;
pub mod selector_with_manual_endpoints;
pub mod selects_host_network_pods;
pub mod selects_job_pods;
pub mod selects_unrelated_workloads;
pub mod sensitive_port_exposed;
pub mod session_affinity_across_nodes;
pub mod session_affinity_no_effect;
pub mod source_ranges_annotation_ignored;
pub mod statefulset_service;
pub(crate) mod support;
pub mod target_port_could_use_name;
pub mod target_port_name_not_found;
pub mod target_port_name_partial;
pub mod target_port_not_declared;
pub mod uses_external_name;
pub mod without_selector_or_endpoints;

/// The Service rules, ordered by code.
pub const RULES: &[&crate::rules::LintRule] = &[
    &external_ips::RULE,
    &selector_matches_no_pods::RULE,
    &target_port_not_declared::RULE,
    &target_port_name_not_found::RULE,
    &target_port_name_partial::RULE,
    &port_protocol_mismatch::RULE,
    &node_port_conflict::RULE,
    &load_balancer_without_source_ranges::RULE,
    &load_balancer_source_ranges_open::RULE,
    &external_name_loopback::RULE,
    &external_name_metadata::RULE,
    &external_name_ip_address::RULE,
    &external_name_cluster_internal::RULE,
    &headless_target_port::RULE,
    &sensitive_port_exposed::RULE,
    &selector_volatile_label::RULE,
    &selector_too_broad::RULE,
    &source_ranges_annotation_ignored::RULE,
    &load_balancer_ip::RULE,
    &external_ip_public::RULE,
    &external_name_ignored_fields::RULE,
    &session_affinity_no_effect::RULE,
    &publish_not_ready::RULE,
    &cluster_ip_hard_coded::RULE,
    &exposed_without_selector::RULE,
    &node_port_type::RULE,
    &without_selector_or_endpoints::RULE,
    &external_ip_conflict::RULE,
    &external_dns_conflict::RULE,
    &node_port_local_traffic::RULE,
    &internal_local_traffic::RULE,
    &statefulset_service::RULE,
    &selects_job_pods::RULE,
    &selector_with_manual_endpoints::RULE,
    &target_port_could_use_name::RULE,
    &selects_host_network_pods::RULE,
    &node_port_static_band::RULE,
    &selects_unrelated_workloads::RULE,
    &load_balancer_opens_node_ports::RULE,
    &uses_external_name::RULE,
    &session_affinity_across_nodes::RULE,
    &exposes_admin_interface::RULE,
    &endpoints_special_address::RULE,
    &endpoints_in_cluster_network::RULE,
];
