//! Service defaulting, create-time normalisation, allocator pre-checks and validation
//! (reference §4), in the API server's order.

use std::collections::HashSet;

use super::error::FieldError;
use super::ip::{
    parse_ip_sloppy, validate_legacy_cidr, validate_legacy_ip, validate_non_special_ip, IpFamily,
};
use super::meta::{validate_labels, validate_object_meta, validate_object_meta_update};
use super::primitives::{
    dns1035_label, dns1123_label, dns1123_subdomain, port_name, port_number, qualified_name,
};
use super::profile::ValidationProfile;
use crate::model::{ClientIpConfig, IntOrString, Service, SessionAffinityConfig};
use crate::path::FieldPath;

const TYPES: &[&str] = &["ClusterIP", "ExternalName", "LoadBalancer", "NodePort"];
const PROTOCOLS: &[&str] = &["SCTP", "TCP", "UDP"];
const AFFINITIES: &[&str] = &["ClientIP", "None"];
const TRAFFIC_POLICIES: &[&str] = &["Cluster", "Local"];
const FAMILY_POLICIES: &[&str] = &["PreferDualStack", "RequireDualStack", "SingleStack"];
const FAMILIES: &[&str] = &["IPv4", "IPv6"];
const DEFAULT_AFFINITY_TIMEOUT: i32 = 10_800;
const MAX_AFFINITY_TIMEOUT: i32 = 86_400;
/// The legacy annotation that predates `spec.loadBalancerSourceRanges`.
pub const SOURCE_RANGES_ANNOTATION: &str = "service.beta.kubernetes.io/load-balancer-source-ranges";
const TOPOLOGY_MODE_ANNOTATION: &str = "service.kubernetes.io/topology-mode";
const TOPOLOGY_HINTS_ANNOTATION: &str = "service.kubernetes.io/topology-aware-hints";

/// Applies the v1 defaults (SetDefaults_Service).
pub fn apply_service_defaults(service: &mut Service) {
    let spec = &mut service.spec;
    if spec
        .session_affinity
        .as_deref()
        .unwrap_or_default()
        .is_empty()
    {
        spec.session_affinity = Some("None".to_owned());
    }
    match spec.session_affinity.as_deref() {
        Some("None") => spec.session_affinity_config = None,
        Some("ClientIP") => {
            let has_timeout = spec
                .session_affinity_config
                .as_ref()
                .and_then(|c| c.client_ip.as_ref())
                .and_then(|c| c.timeout_seconds)
                .is_some();
            if !has_timeout {
                spec.session_affinity_config = Some(SessionAffinityConfig {
                    client_ip: Some(ClientIpConfig {
                        timeout_seconds: Some(DEFAULT_AFFINITY_TIMEOUT),
                    }),
                });
            }
        }
        _ => {}
    }
    if spec.type_.as_deref().unwrap_or_default().is_empty() {
        spec.type_ = Some("ClusterIP".to_owned());
    }
    for port in &mut spec.ports {
        if port.protocol.as_deref().unwrap_or_default().is_empty() {
            port.protocol = Some("TCP".to_owned());
        }
        let unset = matches!(&port.target_port, None | Some(IntOrString::Int(0)))
            || matches!(&port.target_port, Some(IntOrString::String(s)) if s.is_empty());
        if unset {
            port.target_port = Some(IntOrString::Int(port.port.unwrap_or(0)));
        }
    }
    let type_ = spec.type_.clone().unwrap_or_default();
    if externally_accessible(&type_, spec.external_ips.len())
        && spec
            .external_traffic_policy
            .as_deref()
            .unwrap_or_default()
            .is_empty()
    {
        spec.external_traffic_policy = Some("Cluster".to_owned());
    }
    if matches!(type_.as_str(), "ClusterIP" | "NodePort" | "LoadBalancer")
        && spec.internal_traffic_policy.is_none()
    {
        spec.internal_traffic_policy = Some("Cluster".to_owned());
    }
    if type_ == "LoadBalancer" && spec.allocate_load_balancer_node_ports.is_none() {
        spec.allocate_load_balancer_node_ports = Some(true);
    }
}

/// The registry's clusterIP normalisation: on create a lone `clusterIP` is copied into
/// `clusterIPs`; on update values the client omitted are taken from the stored object.
pub fn normalize_service(service: &mut Service, old: Option<&Service>) {
    let spec = &mut service.spec;
    let cluster_ip = spec.cluster_ip.clone().unwrap_or_default();
    match old {
        None => {
            if !cluster_ip.is_empty() && spec.cluster_ips.is_empty() {
                spec.cluster_ips = vec![cluster_ip];
            }
        }
        Some(old) => {
            let old_ip = old.spec.cluster_ip.clone().unwrap_or_default();
            let mut old_ips = old.spec.cluster_ips.clone();
            if old_ips.is_empty() && !old_ip.is_empty() {
                old_ips = vec![old_ip.clone()];
            }
            let to_external_name = spec.type_.as_deref() == Some("ExternalName");
            if cluster_ip.is_empty() && spec.cluster_ips.is_empty() && !to_external_name {
                spec.cluster_ip = old.spec.cluster_ip.clone();
                spec.cluster_ips = old_ips;
            } else if spec.cluster_ips.is_empty() && !cluster_ip.is_empty() {
                spec.cluster_ips = if cluster_ip == old_ip {
                    old_ips
                } else {
                    vec![cluster_ip]
                };
            } else if spec.cluster_ips == old_ips && cluster_ip != old_ip {
                if let Some(first) = spec.cluster_ips.first_mut() {
                    first.clone_from(&cluster_ip);
                }
            }
            for port in &mut spec.ports {
                if port.node_port.is_none() {
                    port.node_port = old
                        .spec
                        .ports
                        .iter()
                        .find(|o| {
                            o.port == port.port
                                && o.protocol.as_deref().unwrap_or("TCP")
                                    == port.protocol.as_deref().unwrap_or("TCP")
                        })
                        .and_then(|o| o.node_port);
                }
            }
            if spec.health_check_node_port.is_none() {
                spec.health_check_node_port = old.spec.health_check_node_port;
            }
        }
    }
}

/// Defaults, normalises and validates a Service as the API server does on create (`old` is
/// `None`) or update. Returns what the server would reject.
pub fn check_service(
    mut service: Service,
    old: Option<Service>,
    profile: &ValidationProfile,
) -> Vec<FieldError> {
    apply_service_defaults(&mut service);
    let old = old.map(|mut old| {
        apply_service_defaults(&mut old);
        normalize_service(&mut old, None);
        old
    });
    normalize_service(&mut service, old.as_ref());
    let mut errors = Vec::new();
    if profile.allocator_checks {
        let allocator_errors = allocator_checks(&service, old.as_ref(), profile);
        if !profile.exhaustive && !allocator_errors.is_empty() {
            return allocator_errors;
        }
        // Exhaustive: validation below repeats the cluster-IP pre-checks; keep the rest.
        let cluster_ips = FieldPath::new(["spec", "clusterIPs"]);
        errors.extend(
            allocator_errors
                .into_iter()
                .filter(|e| !e.path.segments().starts_with(cluster_ips.segments())),
        );
    }
    if let Some(old) = &old {
        errors.extend(validate_object_meta_update(
            &service.metadata,
            &old.metadata,
            profile,
        ));
        errors.extend(validate_service_update(&service, old));
    }
    errors.extend(validate_service(&service, old.as_ref(), profile));
    errors
}

fn externally_accessible(type_: &str, external_ips: usize) -> bool {
    matches!(type_, "NodePort" | "LoadBalancer") || (type_ == "ClusterIP" && external_ips > 0)
}

fn is_headless(service: &Service) -> bool {
    service.spec.cluster_ips.len() == 1
        && service
            .spec
            .cluster_ips
            .first()
            .is_some_and(|ip| ip == "None")
}

fn service_name_rule(profile: &ValidationProfile) -> fn(&str) -> Vec<String> {
    if profile.relaxed_service_name_validation {
        dns1123_label
    } else {
        dns1035_label
    }
}

/// ValidateService: the rules of §4.4 on a defaulted, normalised Service.
pub fn validate_service(
    service: &Service,
    old: Option<&Service>,
    profile: &ValidationProfile,
) -> Vec<FieldError> {
    let spec = &service.spec;
    let spec_path = FieldPath::new(["spec"]);
    let ports_path = spec_path.child("ports");
    let type_ = spec.type_.as_deref().unwrap_or_default();
    let headless = is_headless(service);
    let strict = profile.strict_ip_cidr_validation;
    let mut errors = validate_object_meta(&service.metadata, service_name_rule(profile), profile);

    let annotations = &service.metadata.annotations;
    if let (Some(mode), Some(hints)) = (
        annotations.get(TOPOLOGY_MODE_ANNOTATION),
        annotations.get(TOPOLOGY_HINTS_ANNOTATION),
    ) {
        if mode != hints {
            errors.push(FieldError::invalid(
                &FieldPath::new(["metadata", "annotations"]).key(TOPOLOGY_MODE_ANNOTATION),
                mode,
                format!(
                    "must match annotations[{TOPOLOGY_HINTS_ANNOTATION}] when both are specified"
                ),
            ));
        }
    }

    if spec.ports.is_empty() && !headless && type_ != "ExternalName" {
        errors.push(FieldError::required(&ports_path, ""));
    }
    let first_cluster_ip = spec_path.child("clusterIPs").index(0);
    match type_ {
        "LoadBalancer" if headless => errors.push(FieldError::invalid(
            &first_cluster_ip,
            "None",
            "may not be set to 'None' for LoadBalancer services",
        )),
        "NodePort" if headless => errors.push(FieldError::invalid(
            &first_cluster_ip,
            "None",
            "may not be set to 'None' for NodePort services",
        )),
        "ExternalName" => {
            if !spec.cluster_ips.is_empty() {
                errors.push(FieldError::forbidden(
                    &spec_path.child("clusterIPs"),
                    "may not be set for ExternalName services",
                ));
            }
            if !spec.ip_families.is_empty() {
                errors.push(FieldError::forbidden(
                    &spec_path.child("ipFamilies"),
                    "may not be set for ExternalName services",
                ));
            }
            if spec.ip_family_policy.is_some() {
                errors.push(FieldError::forbidden(
                    &spec_path.child("ipFamilyPolicy"),
                    "may not be set for ExternalName services",
                ));
            }
            let external_name = spec.external_name.as_deref().unwrap_or_default();
            let cname = external_name.strip_suffix('.').unwrap_or(external_name);
            let path = spec_path.child("externalName");
            if cname.is_empty() {
                errors.push(FieldError::required(&path, ""));
            } else {
                for problem in dns1123_subdomain(cname) {
                    errors.push(FieldError::invalid(&path, cname, problem));
                }
            }
        }
        _ => {}
    }

    let mut port_names = HashSet::new();
    for (i, port) in spec.ports.iter().enumerate() {
        let path = ports_path.index(i);
        let name = port.name.as_deref().unwrap_or_default();
        if spec.ports.len() > 1 && name.is_empty() {
            errors.push(FieldError::required(&path.child("name"), ""));
        } else if !name.is_empty() {
            for problem in dns1123_label(name) {
                errors.push(FieldError::invalid(&path.child("name"), name, problem));
            }
            if !port_names.insert(name) {
                errors.push(FieldError::duplicate(&path.child("name"), name));
            }
        }
        let number = port.port.unwrap_or(0);
        for problem in port_number(i64::from(number)) {
            errors.push(FieldError::invalid(&path.child("port"), number, problem));
        }
        let protocol = port.protocol.as_deref().unwrap_or_default();
        if !PROTOCOLS.contains(&protocol) {
            errors.push(FieldError::not_supported(
                &path.child("protocol"),
                protocol,
                PROTOCOLS,
            ));
        }
        errors.extend(validate_port_num_or_name(
            port.target_port.as_ref(),
            &path.child("targetPort"),
        ));
        if let Some(app_protocol) = &port.app_protocol {
            for problem in qualified_name(app_protocol) {
                errors.push(FieldError::invalid(
                    &path.child("appProtocol"),
                    app_protocol,
                    problem,
                ));
            }
        }
    }

    if let Some(selector) = &spec.selector {
        errors.extend(validate_labels(selector, &spec_path.child("selector")));
    }

    let affinity = spec.session_affinity.as_deref().unwrap_or_default();
    let affinity_path = spec_path.child("sessionAffinity");
    if !affinity.is_empty() && !AFFINITIES.contains(&affinity) {
        errors.push(FieldError::not_supported(
            &affinity_path,
            affinity,
            AFFINITIES,
        ));
    }
    if affinity == "ClientIP" {
        let timeout = spec
            .session_affinity_config
            .as_ref()
            .and_then(|c| c.client_ip.as_ref())
            .and_then(|c| c.timeout_seconds);
        if let Some(timeout) = timeout.filter(|t| *t <= 0 || *t > MAX_AFFINITY_TIMEOUT) {
            errors.push(FieldError::invalid(
                &spec_path
                    .child("sessionAffinityConfig")
                    .child("clientIP")
                    .child("timeoutSeconds"),
                timeout,
                format!("must be greater than 0 and less than {MAX_AFFINITY_TIMEOUT}"),
            ));
        }
    }

    let old_cluster_ips: Vec<&String> = old
        .map(|o| o.spec.cluster_ips.iter().collect())
        .unwrap_or_default();
    errors.extend(validate_cluster_ips(service, &old_cluster_ips, strict));

    let old_external_ips: Vec<&String> = old
        .map(|o| o.spec.external_ips.iter().collect())
        .unwrap_or_default();
    for (i, ip) in spec.external_ips.iter().enumerate() {
        let path = spec_path.child("externalIPs").index(i);
        let problems = validate_legacy_ip(&path, ip, strict && !old_external_ips.contains(&ip));
        if problems.is_empty() {
            if let Some(parsed) = parse_ip_sloppy(ip) {
                errors.extend(validate_non_special_ip(&path, ip, &parsed));
            }
        } else {
            errors.extend(problems);
        }
    }

    if !type_.is_empty() && !TYPES.contains(&type_) {
        errors.push(FieldError::not_supported(
            &spec_path.child("type"),
            type_,
            TYPES,
        ));
    }
    if type_ == "ClusterIP" {
        for (i, port) in spec.ports.iter().enumerate() {
            if port.node_port.unwrap_or(0) != 0 {
                errors.push(FieldError::forbidden(
                    &ports_path.index(i).child("nodePort"),
                    "may not be used when `type` is 'ClusterIP'",
                ));
            }
        }
    }
    let mut node_ports = HashSet::new();
    for (i, port) in spec.ports.iter().enumerate() {
        let node_port = port.node_port.unwrap_or(0);
        if node_port != 0 && !node_ports.insert((port.protocol.as_deref(), node_port)) {
            errors.push(FieldError::duplicate(
                &ports_path.index(i).child("nodePort"),
                node_port,
            ));
        }
    }
    let mut ports = HashSet::new();
    for (i, port) in spec.ports.iter().enumerate() {
        let key = (port.protocol.as_deref(), port.port.unwrap_or(0));
        if !ports.insert(key) {
            errors.push(FieldError::duplicate(
                &ports_path.index(i),
                format!("{}/{}", key.1, key.0.unwrap_or_default()).as_str(),
            ));
        }
    }

    errors.extend(validate_source_ranges(service, old, strict));
    errors.extend(validate_traffic_policies(service, profile));

    let class_path = spec_path.child("loadBalancerClass");
    if let Some(class) = &spec.load_balancer_class {
        if type_ == "LoadBalancer" {
            for problem in qualified_name(class) {
                errors.push(FieldError::invalid(&class_path, class, problem));
            }
        } else {
            errors.push(FieldError::forbidden(
                &class_path,
                "may only be used when `type` is 'LoadBalancer'",
            ));
        }
    }
    if type_ != "LoadBalancer" && spec.allocate_load_balancer_node_ports.is_some() {
        errors.push(FieldError::forbidden(
            &spec_path.child("allocateLoadBalancerNodePorts"),
            "may only be used when `type` is 'LoadBalancer'",
        ));
    }
    errors
}

/// A targetPort: a port number, or an IANA port name.
fn validate_port_num_or_name(value: Option<&IntOrString>, path: &FieldPath) -> Vec<FieldError> {
    match value {
        Some(IntOrString::Int(number)) => port_number(i64::from(*number))
            .into_iter()
            .map(|p| FieldError::invalid(path, *number, p))
            .collect(),
        Some(IntOrString::String(name)) => port_name(name)
            .into_iter()
            .map(|p| FieldError::invalid(path, name, p))
            .collect(),
        None => Vec::new(),
    }
}

/// ValidateServiceClusterIPsRelatedFields (skipped for ExternalName).
fn validate_cluster_ips(service: &Service, old_ips: &[&String], strict: bool) -> Vec<FieldError> {
    let spec = &service.spec;
    let mut errors = Vec::new();
    if spec.type_.as_deref() == Some("ExternalName") {
        return errors;
    }
    let spec_path = FieldPath::new(["spec"]);
    let ips_path = spec_path.child("clusterIPs");
    let shown = || format!("{:?}", spec.cluster_ips);
    let cluster_ip = spec.cluster_ip.as_deref().unwrap_or_default();
    if !cluster_ip.is_empty() {
        match spec.cluster_ips.first() {
            None => errors.push(FieldError::required(&ips_path, "")),
            Some(first) if first != cluster_ip => errors.push(FieldError::invalid(
                &ips_path,
                super::error::BadValue(shown()),
                "first value must match `clusterIP`",
            )),
            Some(_) => {}
        }
    } else if !spec.cluster_ips.is_empty() {
        errors.push(FieldError::invalid(
            &ips_path,
            super::error::BadValue(shown()),
            "must be empty when `clusterIP` is not specified",
        ));
    }
    if let Some(policy) = &spec.ip_family_policy {
        if !FAMILY_POLICIES.contains(&policy.as_str()) {
            errors.push(FieldError::not_supported(
                &spec_path.child("ipFamilyPolicy"),
                policy,
                FAMILY_POLICIES,
            ));
        }
    }
    let mut seen = HashSet::new();
    for (i, family) in spec.ip_families.iter().enumerate() {
        let path = spec_path.child("ipFamilies").index(i);
        if !FAMILIES.contains(&family.as_str()) {
            errors.push(FieldError::not_supported(&path, family, FAMILIES));
        }
        if !seen.insert(family) {
            errors.push(FieldError::duplicate(&path, family));
        }
    }
    let mut has_invalid = false;
    for (i, ip) in spec.cluster_ips.iter().enumerate() {
        if i == 0 && ip == "None" {
            if spec.cluster_ips.len() > 1 {
                has_invalid = true;
                errors.push(FieldError::invalid(
                    &ips_path,
                    super::error::BadValue(shown()),
                    "'None' must be the first and only value",
                ));
            }
            continue;
        }
        let problems = validate_legacy_ip(&ips_path.index(i), ip, strict && !old_ips.contains(&ip));
        has_invalid |= !problems.is_empty();
        errors.extend(problems);
    }
    if spec.cluster_ips.len() > 2 {
        errors.push(FieldError::invalid(
            &ips_path,
            super::error::BadValue(shown()),
            "may only hold up to 2 values",
        ));
    }
    if has_invalid {
        return errors;
    }
    let families: Vec<Option<IpFamily>> = spec
        .cluster_ips
        .iter()
        .map(|ip| parse_ip_sloppy(ip).map(|p| p.family()))
        .collect();
    if spec.cluster_ips.len() > 1 {
        let dual = families.len() == 2
            && families.first().copied().flatten().is_some()
            && families.first() != families.get(1);
        if !dual {
            errors.push(FieldError::invalid(
                &ips_path,
                super::error::BadValue(shown()),
                "may specify no more than one IP for each IP family",
            ));
        }
    }
    if !is_headless(service) {
        for (i, (family, declared)) in families.iter().zip(spec.ip_families.iter()).enumerate() {
            let ip = spec
                .cluster_ips
                .get(i)
                .map(String::as_str)
                .unwrap_or_default();
            match (declared.as_str(), family) {
                ("IPv4", Some(IpFamily::V6)) => errors.push(FieldError::invalid(
                    &ips_path.index(i),
                    ip,
                    format!("expected an IPv4 value as indicated by `ipFamilies[{i}]`"),
                )),
                ("IPv6", Some(IpFamily::V4)) => errors.push(FieldError::invalid(
                    &ips_path.index(i),
                    ip,
                    format!("expected an IPv6 value as indicated by `ipFamilies[{i}]`"),
                )),
                _ => {}
            }
        }
    }
    errors
}

/// `spec.loadBalancerSourceRanges`, or the legacy annotation when the field is empty.
fn validate_source_ranges(
    service: &Service,
    old: Option<&Service>,
    strict: bool,
) -> Vec<FieldError> {
    let spec = &service.spec;
    let is_lb = spec.type_.as_deref() == Some("LoadBalancer");
    let mut errors = Vec::new();
    let old_ranges: Vec<&str> = old
        .map(|o| {
            o.spec
                .load_balancer_source_ranges
                .iter()
                .map(|r| r.trim())
                .collect()
        })
        .unwrap_or_default();
    if !spec.load_balancer_source_ranges.is_empty() {
        // Upstream reports these under a mis-capitalised field name.
        let path = FieldPath::new(["spec", "LoadBalancerSourceRanges"]);
        if !is_lb {
            errors.push(FieldError::forbidden(
                &path,
                "may only be used when `type` is 'LoadBalancer'",
            ));
        }
        for (i, range) in spec.load_balancer_source_ranges.iter().enumerate() {
            let range = range.trim();
            errors.extend(validate_legacy_cidr(
                &path.index(i),
                range,
                strict && !old_ranges.contains(&range),
            ));
        }
    } else if let Some(value) = service.metadata.annotations.get(SOURCE_RANGES_ANNOTATION) {
        let path = FieldPath::new(["metadata", "annotations"]).key(SOURCE_RANGES_ANNOTATION);
        if !is_lb {
            errors.push(FieldError::forbidden(
                &path,
                "may only be used when `type` is 'LoadBalancer'",
            ));
        }
        let value = value.trim();
        if !value.is_empty() {
            for range in value.split(',') {
                errors.extend(validate_legacy_cidr(&path, range.trim(), strict));
            }
        }
    }
    errors
}

/// externalTrafficPolicy, healthCheckNodePort, internalTrafficPolicy, trafficDistribution.
fn validate_traffic_policies(service: &Service, profile: &ValidationProfile) -> Vec<FieldError> {
    let spec = &service.spec;
    let spec_path = FieldPath::new(["spec"]);
    let type_ = spec.type_.as_deref().unwrap_or_default();
    let mut errors = Vec::new();
    let etp = spec.external_traffic_policy.as_deref().unwrap_or_default();
    let etp_path = spec_path.child("externalTrafficPolicy");
    if !externally_accessible(type_, spec.external_ips.len()) {
        if !etp.is_empty() {
            errors.push(FieldError::invalid(
                &etp_path,
                etp,
                "may only be set for externally-accessible services",
            ));
        }
    } else if !etp.is_empty() && !TRAFFIC_POLICIES.contains(&etp) {
        errors.push(FieldError::not_supported(&etp_path, etp, TRAFFIC_POLICIES));
    }
    let hcnp = spec.health_check_node_port.unwrap_or(0);
    let hcnp_path = spec_path.child("healthCheckNodePort");
    if type_ == "LoadBalancer" && etp == "Local" {
        // Zero is filled in by the allocator, so "Required" cannot be observed.
        if hcnp != 0 {
            for problem in port_number(i64::from(hcnp)) {
                errors.push(FieldError::invalid(&hcnp_path, hcnp, problem));
            }
        }
    } else if hcnp != 0 {
        errors.push(FieldError::invalid(
            &hcnp_path,
            hcnp,
            "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
        ));
    }
    if let Some(itp) = &spec.internal_traffic_policy {
        if !TRAFFIC_POLICIES.contains(&itp.as_str()) {
            errors.push(FieldError::not_supported(
                &spec_path.child("internalTrafficPolicy"),
                itp,
                TRAFFIC_POLICIES,
            ));
        }
    }
    if let Some(distribution) = &spec.traffic_distribution {
        let allowed: &[&str] = if profile.prefer_same_traffic_distribution {
            &["PreferClose", "PreferSameNode", "PreferSameZone"]
        } else {
            &["PreferClose"]
        };
        if !allowed.contains(&distribution.as_str()) {
            errors.push(FieldError::not_supported(
                &spec_path.child("trafficDistribution"),
                distribution,
                allowed,
            ));
        }
    }
    errors
}

/// The registry checks that run before validation and, when they fail, alone (§4.3).
fn allocator_checks(
    service: &Service,
    old: Option<&Service>,
    profile: &ValidationProfile,
) -> Vec<FieldError> {
    let spec = &service.spec;
    let type_ = spec.type_.as_deref().unwrap_or_default();
    if type_ != "ExternalName" {
        let old_ips: Vec<&String> = old
            .map(|o| o.spec.cluster_ips.iter().collect())
            .unwrap_or_default();
        let errors = validate_cluster_ips(service, &old_ips, profile.strict_ip_cidr_validation);
        if !errors.is_empty() {
            return errors;
        }
        let policy = spec.ip_family_policy.clone().unwrap_or_else(|| {
            let old_policy = old.and_then(|o| o.spec.ip_family_policy.clone());
            let selectorless = spec.selector.as_ref().is_none_or(|s| s.is_empty());
            old_policy.unwrap_or_else(|| {
                if is_headless(service) && selectorless {
                    "RequireDualStack".to_owned()
                } else {
                    "SingleStack".to_owned()
                }
            })
        });
        let policy_path = FieldPath::new(["spec", "ipFamilyPolicy"]);
        if policy == "SingleStack" && spec.cluster_ips.len() > 1 {
            return vec![FieldError::invalid(&policy_path, policy.as_str(), "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified")];
        }
        if policy == "SingleStack" && spec.ip_families.len() > 1 {
            return vec![FieldError::invalid(&policy_path, policy.as_str(), "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified")];
        }
    }
    let mut errors = Vec::new();
    if matches!(type_, "NodePort" | "LoadBalancer") {
        let range = profile.node_port_range;
        for (i, port) in spec.ports.iter().enumerate() {
            let node_port = port.node_port.unwrap_or(0);
            if node_port != 0 && !range.contains(node_port) {
                let error = FieldError::invalid(
                    &FieldPath::new(["spec", "ports"]).index(i).child("nodePort"),
                    node_port,
                    format!(
                        "provided port is not in the valid range. The range of valid ports is {}-{}",
                        range.first, range.last
                    ),
                );
                if !profile.exhaustive {
                    // Allocation stops at the first port it cannot allocate.
                    return vec![error];
                }
                errors.push(error);
            }
        }
    }
    errors
}

/// The update-only rules (§4.5).
fn validate_service_update(new: &Service, old: &Service) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let spec_path = FieldPath::new(["spec"]);
    let new_type = new.spec.type_.as_deref().unwrap_or_default();
    let old_type = old.spec.type_.as_deref().unwrap_or_default();
    let external_name = new_type == "ExternalName" || old_type == "ExternalName";
    let both_headless = is_headless(new) && is_headless(old);
    if !external_name && !both_headless {
        let (new_ips, old_ips) = (&new.spec.cluster_ips, &old.spec.cluster_ips);
        let ips_path = spec_path.child("clusterIPs");
        if !old_ips.is_empty() {
            match new_ips.first() {
                None => errors.push(FieldError::invalid(
                    &ips_path.index(0),
                    "",
                    "primary clusterIP can not be unset",
                )),
                Some(first) if Some(first) != old_ips.first() => {
                    errors.push(FieldError::invalid(
                        &ips_path.index(0),
                        first,
                        "may not change once set",
                    ));
                }
                Some(_) => {
                    if new_ips.len() == old_ips.len() {
                        for (i, (n, o)) in new_ips.iter().zip(old_ips.iter()).enumerate() {
                            if n != o {
                                errors.push(FieldError::invalid(
                                    &ips_path.index(i),
                                    n,
                                    "may not change once set",
                                ));
                            }
                        }
                    } else if new_ips.len() < old_ips.len()
                        && new.spec.ip_family_policy.as_deref() != Some("SingleStack")
                    {
                        errors.push(FieldError::invalid(
                            &spec_path.child("ipFamilyPolicy"),
                            new.spec.ip_family_policy.as_deref().unwrap_or_default(),
                            "must be set to 'SingleStack' when releasing the secondary clusterIP",
                        ));
                    }
                }
            }
        }
    }
    if new_type == "LoadBalancer"
        && old_type == "LoadBalancer"
        && new.spec.load_balancer_class != old.spec.load_balancer_class
    {
        errors.push(FieldError::invalid(
            &spec_path.child("loadBalancerClass"),
            new.spec.load_balancer_class.as_deref().unwrap_or_default(),
            "may not change once set",
        ));
    }
    let needs_health_check = |s: &Service| {
        s.spec.type_.as_deref() == Some("LoadBalancer")
            && s.spec.external_traffic_policy.as_deref() == Some("Local")
    };
    if needs_health_check(new)
        && needs_health_check(old)
        && new.spec.health_check_node_port != old.spec.health_check_node_port
    {
        errors.push(FieldError::forbidden(
            &spec_path.child("healthCheckNodePort"),
            "field is immutable",
        ));
    }
    errors
}
