//! NetworkPolicy defaulting and validation (reference §5), plus the update-only metadata
//! rules every kind shares (§3, end).

use std::collections::BTreeSet;

use super::error::{invalid_each, BadValue, FieldError};
use super::ip::{parse_cidr_sloppy, validate_legacy_cidr};
use super::meta::{validate_object_meta, validate_object_meta_update};
use super::primitives::{dns1123_subdomain, port_name, port_number};
use super::profile::ValidationProfile;
use crate::model::{
    IntOrString, IpBlock, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicyRule,
    NetworkPolicySpec,
};
use crate::path::FieldPath;
use crate::selector::{LabelSelector, SelectorValidation};

/// The `Ingress` policy type.
pub const POLICY_TYPE_INGRESS: &str = "Ingress";
/// The `Egress` policy type.
pub const POLICY_TYPE_EGRESS: &str = "Egress";
/// The protocols a NetworkPolicy port may name.
pub const NETWORK_POLICY_PROTOCOLS: [&str; 3] = ["TCP", "UDP", "SCTP"];
/// The protocol a port entry without one gets.
const DEFAULT_PROTOCOL: &str = "TCP";
/// Most entries `spec.policyTypes` may have.
const MAX_POLICY_TYPES: usize = 2;

/// Applies v1 defaulting (NP-DEF-PROTOCOL, NP-DEF-POLICYTYPES): ports without a protocol get
/// `TCP`; an absent or empty `policyTypes` becomes `[Ingress]`, plus `Egress` when `egress`
/// has at least one rule.
pub fn apply_network_policy_defaults(np: &mut NetworkPolicy) {
    default_protocols(&mut np.spec);
    default_policy_types(&mut np.spec);
}

fn default_protocols(spec: &mut NetworkPolicySpec) {
    let rules = spec
        .ingress
        .iter_mut()
        .chain(spec.egress.iter_mut())
        .flatten();
    for port in rules.flat_map(|rule| rule.ports.iter_mut().flatten()) {
        port.protocol
            .get_or_insert_with(|| DEFAULT_PROTOCOL.to_owned());
    }
}

fn default_policy_types(spec: &mut NetworkPolicySpec) {
    if !spec.policy_types.as_ref().is_none_or(Vec::is_empty) {
        return;
    }
    let mut types = vec![POLICY_TYPE_INGRESS.to_owned()];
    if spec.egress.as_ref().is_some_and(|rules| !rules.is_empty()) {
        types.push(POLICY_TYPE_EGRESS.to_owned());
    }
    spec.policy_types = Some(types);
}

/// Validates a defaulted NetworkPolicy as the API server does: a create when `old` is `None`,
/// otherwise an update of `old` (metadata immutability, NP-UPD-* ratcheting). Errors come in
/// upstream order: metadata, podSelector, each ingress rule (ports, then peers), each egress
/// rule, policyTypes.
pub fn validate_network_policy(
    np: &NetworkPolicy,
    old: Option<&NetworkPolicy>,
    profile: &ValidationProfile,
) -> Vec<FieldError> {
    let mut errors = match old {
        None => validate_object_meta(&np.metadata, dns1123_subdomain, profile),
        Some(old) => validate_object_meta_update(&np.metadata, &old.metadata, profile),
    };
    let options = SpecOptions::new(old, profile);
    errors.extend(validate_spec(&np.spec, &FieldPath::new(["spec"]), &options));
    errors
}

/// What the old object relaxes on update (§5.3); nothing on create.
#[derive(Debug)]
struct SpecOptions<'a> {
    /// NP-UPD-ALLOW-INVALID-VALUES: skip matchExpressions value checks.
    allow_invalid_selector_values: bool,
    /// The profile's `StrictIPCIDRValidation`.
    strict_cidrs: bool,
    /// NP-UPD-RATCHET-CIDR: every `cidr` / `except` string of the old object.
    ratcheted_cidrs: BTreeSet<&'a str>,
}

impl<'a> SpecOptions<'a> {
    fn new(old: Option<&'a NetworkPolicy>, profile: &ValidationProfile) -> Self {
        Self {
            allow_invalid_selector_values: old.is_some_and(has_invalid_pod_selector),
            strict_cidrs: profile.strict_ip_cidr_validation,
            ratcheted_cidrs: old.map(cidrs_of).unwrap_or_default(),
        }
    }

    fn selector_validation(&self) -> SelectorValidation {
        SelectorValidation {
            allow_invalid_label_values_in_expressions: self.allow_invalid_selector_values,
        }
    }

    /// PRIM-CIDR-LEGACY; a value the old object already held is checked sloppily only.
    fn validate_cidr(&self, path: &FieldPath, value: &str) -> Vec<FieldError> {
        let strict = self.strict_cidrs && !self.ratcheted_cidrs.contains(value);
        validate_legacy_cidr(path, value, strict)
    }
}

/// True when the stored `spec.podSelector` fails selector validation in any way.
fn has_invalid_pod_selector(old: &NetworkPolicy) -> bool {
    old.spec.pod_selector.as_ref().is_some_and(|selector| {
        let strict = SelectorValidation {
            allow_invalid_label_values_in_expressions: false,
        };
        !selector
            .validate(&FieldPath::new(["spec", "podSelector"]), strict)
            .is_empty()
    })
}

/// Every `cidr` and `except` string in the ipBlocks of `np`.
fn cidrs_of(np: &NetworkPolicy) -> BTreeSet<&str> {
    let rules = np
        .spec
        .ingress
        .iter()
        .chain(np.spec.egress.iter())
        .flatten();
    crate::sort::set(
        rules
            .flat_map(|rule| rule.peers.iter().flatten())
            .filter_map(|peer| peer.ip_block.as_ref())
            .flat_map(|block| std::iter::once(&block.cidr).chain(block.except.iter()))
            .map(String::as_str),
    )
}

/// Which list of rules, and how its peers are called.
#[derive(Debug, Clone, Copy)]
enum Direction {
    Ingress,
    Egress,
}

impl Direction {
    fn rules_field(self) -> &'static str {
        match self {
            Direction::Ingress => "ingress",
            Direction::Egress => "egress",
        }
    }

    fn peers_field(self) -> &'static str {
        match self {
            Direction::Ingress => "from",
            Direction::Egress => "to",
        }
    }
}

fn validate_spec(
    spec: &NetworkPolicySpec,
    path: &FieldPath,
    options: &SpecOptions<'_>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Some(selector) = &spec.pod_selector {
        errors.extend(selector.validate(&path.child("podSelector"), options.selector_validation()));
    }
    for (direction, rules) in [
        (Direction::Ingress, &spec.ingress),
        (Direction::Egress, &spec.egress),
    ] {
        let rules_path = path.child(direction.rules_field());
        for (i, rule) in rules.iter().flatten().enumerate() {
            errors.extend(validate_rule(
                rule,
                direction,
                &rules_path.index(i),
                options,
            ));
        }
    }
    if let Some(types) = &spec.policy_types {
        errors.extend(validate_policy_types(types, &path.child("policyTypes")));
    }
    errors
}

/// One ingress or egress rule: its ports, then its peers.
fn validate_rule(
    rule: &NetworkPolicyRule,
    direction: Direction,
    path: &FieldPath,
    options: &SpecOptions<'_>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let ports_path = path.child("ports");
    for (j, port) in rule.ports.iter().flatten().enumerate() {
        errors.extend(validate_port(port, &ports_path.index(j)));
    }
    let peers_path = path.child(direction.peers_field());
    for (j, peer) in rule.peers.iter().flatten().enumerate() {
        errors.extend(validate_peer(peer, &peers_path.index(j), options));
    }
    errors
}

/// NP-PORT-PROTOCOL, NP-PORT-NUM, NP-PORT-NAME and the endPort rules.
fn validate_port(port: &NetworkPolicyPort, path: &FieldPath) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Some(protocol) = &port.protocol {
        if !NETWORK_POLICY_PROTOCOLS.contains(&protocol.as_str()) {
            errors.push(FieldError::not_supported(
                &path.child("protocol"),
                protocol,
                &NETWORK_POLICY_PROTOCOLS,
            ));
        }
    }
    let port_path = path.child("port");
    let end_path = path.child("endPort");
    match &port.port {
        Some(IntOrString::Int(number)) => {
            errors.extend(invalid_each(
                &port_path,
                *number,
                port_number(i64::from(*number)),
            ));
            if let Some(end) = port.end_port {
                errors.extend(validate_end_port(*number, end, &end_path));
            }
        }
        Some(IntOrString::String(name)) => {
            if let Some(end) = port.end_port {
                errors.push(FieldError::invalid(
                    &end_path,
                    end,
                    "may not be specified when `port` is non-numeric",
                ));
            }
            errors.extend(invalid_each(&port_path, name, port_name(name)));
        }
        None => {
            if let Some(end) = port.end_port {
                errors.push(FieldError::invalid(
                    &end_path,
                    end,
                    "may not be specified when `port` is not specified",
                ));
            }
        }
    }
    errors
}

/// NP-ENDPORT-GE and NP-ENDPORT-RANGE (both may fire).
fn validate_end_port(port: i32, end: i32, path: &FieldPath) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if end < port {
        errors.push(FieldError::invalid(
            path,
            port,
            "must be greater than or equal to `port`",
        ));
    }
    errors.extend(invalid_each(path, end, port_number(i64::from(end))));
    errors
}

/// NP-PEER-SELECTORS, the ipBlock rules, then NP-PEER-REQUIRED / NP-PEER-IPBLOCK-EXCLUSIVE on
/// the peer itself.
fn validate_peer(
    peer: &NetworkPolicyPeer,
    path: &FieldPath,
    options: &SpecOptions<'_>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let selectors: [(&str, &Option<LabelSelector>); 2] = [
        ("podSelector", &peer.pod_selector),
        ("namespaceSelector", &peer.namespace_selector),
    ];
    for (field, selector) in selectors {
        if let Some(selector) = selector {
            errors.extend(selector.validate(&path.child(field), options.selector_validation()));
        }
    }
    if let Some(block) = &peer.ip_block {
        errors.extend(validate_ip_block(block, &path.child("ipBlock"), options));
    }
    let kinds_set = [
        peer.pod_selector.is_some(),
        peer.namespace_selector.is_some(),
        peer.ip_block.is_some(),
    ]
    .into_iter()
    .filter(|set| *set)
    .count();
    if kinds_set == 0 {
        errors.push(FieldError::required(path, "must specify a peer"));
    } else if kinds_set > 1 && peer.ip_block.is_some() {
        errors.push(FieldError::forbidden(
            path,
            "may not specify both ipBlock and another peer",
        ));
    }
    errors
}

/// NP-IPBLOCK-*: `cidr` required and a legacy CIDR; each `except` a legacy CIDR strictly
/// inside `cidr`. Nothing past an empty `cidr`, no `except` check past an unparsable one.
fn validate_ip_block(
    block: &IpBlock,
    path: &FieldPath,
    options: &SpecOptions<'_>,
) -> Vec<FieldError> {
    let cidr_path = path.child("cidr");
    if block.cidr.is_empty() {
        return vec![FieldError::required(&cidr_path, "")];
    }
    let mut errors = options.validate_cidr(&cidr_path, &block.cidr);
    let Some(outer) = parse_cidr_sloppy(&block.cidr) else {
        return errors;
    };
    let except_path = path.child("except");
    for (k, except) in block.except.iter().enumerate() {
        let entry_path = except_path.index(k);
        errors.extend(options.validate_cidr(&entry_path, except));
        let outside =
            parse_cidr_sloppy(except).is_some_and(|inner| !inner.is_strict_subset_of(&outer));
        if outside {
            errors.push(FieldError::invalid(
                &entry_path,
                except,
                "must be a strict subset of `cidr`",
            ));
        }
    }
    errors
}

/// NP-POLICYTYPES-MAX and NP-POLICYTYPES-VALUE (duplicates are fine).
fn validate_policy_types(types: &[String], path: &FieldPath) -> Vec<FieldError> {
    if types.len() > MAX_POLICY_TYPES {
        return vec![FieldError::invalid(
            path,
            BadValue(format!("{types:?}")),
            "may not specify more than two policyTypes",
        )];
    }
    let supported = [POLICY_TYPE_INGRESS, POLICY_TYPE_EGRESS];
    types
        .iter()
        .enumerate()
        .filter(|(_, policy_type)| !supported.contains(&policy_type.as_str()))
        .map(|(i, policy_type)| FieldError::not_supported(&path.index(i), policy_type, &supported))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::ObjectMeta;
    use crate::selector::LabelSelectorRequirement;

    // ---- builders -------------------------------------------------------------------------

    fn meta(name: &str, namespace: &str) -> ObjectMeta {
        ObjectMeta {
            name: Some(name.to_owned()),
            namespace: Some(namespace.to_owned()),
            resource_version: Some("1".to_owned()),
            ..ObjectMeta::default()
        }
    }

    fn policy(spec: NetworkPolicySpec) -> NetworkPolicy {
        NetworkPolicy {
            metadata: meta("foo", "bar"),
            spec,
        }
    }

    fn match_labels(pairs: &[(&str, &str)]) -> LabelSelector {
        LabelSelector {
            match_labels: pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect::<BTreeMap<_, _>>(),
            match_expressions: Vec::new(),
        }
    }

    fn match_expression(key: &str, operator: &str, values: &[&str]) -> LabelSelector {
        LabelSelector {
            match_labels: BTreeMap::new(),
            match_expressions: vec![LabelSelectorRequirement {
                key: key.to_owned(),
                operator: operator.to_owned(),
                values: values.iter().map(|v| (*v).to_owned()).collect(),
            }],
        }
    }

    fn ab() -> Option<LabelSelector> {
        Some(match_labels(&[("a", "b")]))
    }

    fn spec_with(
        ingress: Option<Vec<NetworkPolicyRule>>,
        egress: Option<Vec<NetworkPolicyRule>>,
    ) -> NetworkPolicySpec {
        NetworkPolicySpec {
            pod_selector: ab(),
            ingress,
            egress,
            policy_types: None,
        }
    }

    fn ports_rule(ports: Vec<NetworkPolicyPort>) -> NetworkPolicyRule {
        NetworkPolicyRule {
            ports: Some(ports),
            peers: None,
        }
    }

    fn peers_rule(peers: Vec<NetworkPolicyPeer>) -> NetworkPolicyRule {
        NetworkPolicyRule {
            ports: None,
            peers: Some(peers),
        }
    }

    fn port(
        protocol: Option<&str>,
        port: Option<IntOrString>,
        end_port: Option<i32>,
    ) -> NetworkPolicyPort {
        NetworkPolicyPort {
            protocol: protocol.map(str::to_owned),
            port,
            end_port,
        }
    }

    fn block(cidr: &str, except: &[&str]) -> IpBlock {
        IpBlock {
            cidr: cidr.to_owned(),
            except: except.iter().map(|e| (*e).to_owned()).collect(),
        }
    }

    fn ip_peer(cidr: &str, except: &[&str]) -> NetworkPolicyPeer {
        NetworkPolicyPeer {
            ip_block: Some(block(cidr, except)),
            ..NetworkPolicyPeer::default()
        }
    }

    fn ingress_peers(peers: Vec<NetworkPolicyPeer>) -> NetworkPolicy {
        policy(spec_with(Some(vec![peers_rule(peers)]), None))
    }

    fn strict() -> ValidationProfile {
        ValidationProfile {
            strict_ip_cidr_validation: true,
            ..ValidationProfile::upstream_validation()
        }
    }

    /// Defaults `np` (and `old`) the way the server does, validates, returns the paths.
    fn paths_with(
        np: &NetworkPolicy,
        old: Option<&NetworkPolicy>,
        profile: &ValidationProfile,
    ) -> Vec<String> {
        let mut np = np.clone();
        apply_network_policy_defaults(&mut np);
        let old = old.cloned().map(|mut old| {
            apply_network_policy_defaults(&mut old);
            old
        });
        validate_network_policy(&np, old.as_ref(), profile)
            .iter()
            .map(|e| e.path.to_string())
            .collect()
    }

    fn paths(np: &NetworkPolicy) -> Vec<String> {
        paths_with(np, None, &ValidationProfile::upstream_validation())
    }

    fn errors(np: &NetworkPolicy) -> Vec<FieldError> {
        let mut np = np.clone();
        apply_network_policy_defaults(&mut np);
        validate_network_policy(&np, None, &ValidationProfile::upstream_validation())
    }

    // ---- defaulting -----------------------------------------------------------------------

    fn defaulted(spec: NetworkPolicySpec) -> NetworkPolicySpec {
        let mut np = policy(spec);
        apply_network_policy_defaults(&mut np);
        np.spec
    }

    fn types(list: &[&str]) -> Option<Vec<String>> {
        Some(list.iter().map(|t| (*t).to_owned()).collect())
    }

    #[test]
    fn policy_types_default_to_ingress_only() {
        assert_eq!(
            defaulted(spec_with(None, None)).policy_types,
            types(&["Ingress"])
        );
        let ingress_only = spec_with(Some(vec![NetworkPolicyRule::default()]), None);
        assert_eq!(defaulted(ingress_only).policy_types, types(&["Ingress"]));
    }

    #[test]
    fn empty_egress_list_does_not_add_egress() {
        assert_eq!(
            defaulted(spec_with(None, Some(vec![]))).policy_types,
            types(&["Ingress"])
        );
    }

    #[test]
    fn one_egress_rule_adds_egress_and_keeps_ingress() {
        let spec = spec_with(None, Some(vec![NetworkPolicyRule::default()]));
        assert_eq!(defaulted(spec).policy_types, types(&["Ingress", "Egress"]));
    }

    #[test]
    fn empty_policy_types_list_is_defaulted_but_a_set_one_is_kept() {
        let mut spec = spec_with(None, Some(vec![NetworkPolicyRule::default()]));
        spec.policy_types = Some(vec![]);
        assert_eq!(
            defaulted(spec.clone()).policy_types,
            types(&["Ingress", "Egress"])
        );
        spec.policy_types = types(&["Egress"]);
        assert_eq!(defaulted(spec).policy_types, types(&["Egress"]));
    }

    #[test]
    fn missing_protocols_default_to_tcp_in_both_directions() {
        let rule = || {
            ports_rule(vec![
                port(None, Some(IntOrString::Int(80)), None),
                port(Some("UDP"), None, None),
            ])
        };
        let spec = defaulted(spec_with(Some(vec![rule()]), Some(vec![rule()])));
        for rules in [spec.ingress, spec.egress] {
            let protocols: Vec<_> = rules
                .unwrap_or_default()
                .iter()
                .flat_map(|r| r.ports.clone().unwrap_or_default())
                .map(|p| p.protocol)
                .collect();
            assert_eq!(
                protocols,
                vec![Some("TCP".to_owned()), Some("UDP".to_owned())]
            );
        }
    }

    #[test]
    fn defaulting_leaves_port_and_end_port_alone() {
        let spec = defaulted(spec_with(
            Some(vec![ports_rule(vec![port(None, None, None)])]),
            None,
        ));
        let ports = spec.ingress.unwrap_or_default()[0]
            .ports
            .clone()
            .unwrap_or_default();
        assert_eq!(ports, vec![port(Some("TCP"), None, None)]);
    }

    // ---- public vectors (validation-public.json), re-expressed ----------------------------

    #[test]
    fn vector_np_valid_base() {
        assert!(paths(&policy(spec_with(None, None))).is_empty());
    }

    #[test]
    fn vector_np_empty_podselector() {
        let mut spec = spec_with(None, None);
        spec.pod_selector = Some(match_labels(&[]));
        assert!(paths(&policy(spec)).is_empty());
    }

    #[test]
    fn vector_np_allow_all_ingress() {
        assert!(paths(&policy(spec_with(
            Some(vec![NetworkPolicyRule::default()]),
            None
        )))
        .is_empty());
    }

    #[test]
    fn vector_np_port_zero() {
        let np = policy(spec_with(
            Some(vec![ports_rule(vec![port(
                None,
                Some(IntOrString::Int(0)),
                None,
            )])]),
            None,
        ));
        assert_eq!(paths(&np), ["spec.ingress[0].ports[0].port"]);
    }

    #[test]
    fn vector_np_endport_equal() {
        let np = policy(spec_with(
            None,
            Some(vec![ports_rule(vec![port(
                None,
                Some(IntOrString::Int(8080)),
                Some(8080),
            )])]),
        ));
        assert!(paths(&np).is_empty());
    }

    #[test]
    fn vector_np_endport_no_port() {
        let np = policy(spec_with(
            None,
            Some(vec![ports_rule(vec![port(Some("TCP"), None, Some(32768))])]),
        ));
        assert_eq!(paths(&np), ["spec.egress[0].ports[0].endPort"]);
    }

    #[test]
    fn vector_np_endport_too_big() {
        let np = policy(spec_with(
            None,
            Some(vec![ports_rule(vec![port(
                Some("TCP"),
                Some(IntOrString::Int(32000)),
                Some(65536),
            )])]),
        ));
        assert_eq!(paths(&np), ["spec.egress[0].ports[0].endPort"]);
    }

    #[test]
    fn vector_np_peer_ipblock_and_pod() {
        let peer = NetworkPolicyPeer {
            pod_selector: Some(match_labels(&[("c", "d")])),
            ip_block: Some(block("192.168.0.0/16", &[])),
            ..NetworkPolicyPeer::default()
        };
        let np = policy(spec_with(None, Some(vec![peers_rule(vec![peer])])));
        let errors = errors(&np);
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].path.to_string(), "spec.egress[0].to[0]");
        assert_eq!(errors[0].kind, crate::validate::ErrorKind::Forbidden);
    }

    #[test]
    fn vector_np_ipblock_missing_cidr() {
        let np = ingress_peers(vec![ip_peer("", &["192.168.8.0/24", "192.168.9.0/24"])]);
        let errors = errors(&np);
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].path.to_string(),
            "spec.ingress[0].from[0].ipBlock.cidr"
        );
        assert_eq!(errors[0].kind, crate::validate::ErrorKind::Required);
    }

    #[test]
    fn vector_np_ipblock_bare_ip() {
        let np = ingress_peers(vec![ip_peer(
            "192.168.5.6",
            &["192.168.1.0/24", "192.168.2.0/24"],
        )]);
        assert_eq!(paths(&np), ["spec.ingress[0].from[0].ipBlock.cidr"]);
    }

    #[test]
    fn vector_np_ipblock_ipv6_no_prefix() {
        let np = ingress_peers(vec![ip_peer(
            "fd00:192:168::",
            &["fd00:192:168:3::/64", "fd00:192:168:4::/64"],
        )]);
        assert_eq!(paths(&np), ["spec.ingress[0].from[0].ipBlock.cidr"]);
    }

    #[test]
    fn vector_np_ipblock_except_equal() {
        let np = ingress_peers(vec![ip_peer("192.168.0.0/24", &["192.168.0.0/24"])]);
        assert_eq!(paths(&np), ["spec.ingress[0].from[0].ipBlock.except[0]"]);
    }

    #[test]
    fn vector_np_ipblock_except_wider() {
        let np = ingress_peers(vec![ip_peer("192.168.1.0/24", &["192.168.0.0/16"])]);
        assert_eq!(paths(&np), ["spec.ingress[0].from[0].ipBlock.except[0]"]);
    }

    #[test]
    fn vector_np_ipblock_all() {
        let peers = vec![
            ip_peer("0.0.0.0/0", &["169.254.169.254/32"]),
            ip_peer("::/0", &[]),
        ];
        let np = policy(spec_with(None, Some(vec![peers_rule(peers)])));
        assert!(paths(&np).is_empty());
    }

    #[test]
    fn vector_np_policytypes_duplicate() {
        let mut spec = spec_with(None, None);
        spec.policy_types = types(&["Ingress", "Ingress"]);
        assert!(paths(&policy(spec)).is_empty());
    }

    #[test]
    fn vector_np_podselector_invalid_key() {
        let peer = NetworkPolicyPeer {
            namespace_selector: Some(match_labels(&[("c", "d")])),
            ..NetworkPolicyPeer::default()
        };
        let mut np = ingress_peers(vec![peer]);
        np.spec.pod_selector = Some(match_labels(&[(
            "NoUppercaseOrSpecialCharsLike=Equals",
            "b",
        )]));
        assert_eq!(paths(&np), ["spec.podSelector.matchLabels"]);
    }

    #[test]
    fn vector_np_to_podselector_invalid() {
        let peer = NetworkPolicyPeer {
            pod_selector: Some(match_labels(&[(
                "NoUppercaseOrSpecialCharsLike=Equals",
                "b",
            )])),
            ..NetworkPolicyPeer::default()
        };
        let mut np = policy(spec_with(None, Some(vec![peers_rule(vec![peer])])));
        np.spec.pod_selector = Some(match_labels(&[]));
        assert_eq!(paths(&np), ["spec.egress[0].to[0].podSelector.matchLabels"]);
    }

    #[test]
    fn vector_np_meta_name_253_and_254() {
        let label = "a".repeat(63);
        let name_253 = format!("{label}.{label}.{label}.{}", "a".repeat(61));
        assert_eq!(name_253.len(), 253);
        let mut np = policy(spec_with(None, None));
        np.metadata.name = Some(name_253.clone());
        assert!(paths(&np).is_empty());
        np.metadata.name = Some(format!("{name_253}a"));
        assert_eq!(paths(&np), ["metadata.name"]);
    }

    #[test]
    fn vector_sel_expr_in_no_values() {
        let mut np = policy(spec_with(None, None));
        np.spec.pod_selector = Some(match_expression("app", "In", &[]));
        assert_eq!(paths(&np), ["spec.podSelector.matchExpressions[0].values"]);
    }

    #[test]
    fn vector_sel_expr_operator_lowercase_and_missing() {
        let cases: [(&str, &[&str]); 2] = [("in", &["a"]), ("", &[])];
        for (operator, values) in cases {
            let mut np = policy(spec_with(None, None));
            np.spec.pod_selector = Some(match_expression("app", operator, values));
            assert_eq!(
                paths(&np),
                ["spec.podSelector.matchExpressions[0].operator"],
                "{operator:?}"
            );
        }
    }

    #[test]
    fn vector_sel_expr_invalid_value_and_key() {
        let mut np = policy(spec_with(None, None));
        np.spec.pod_selector = Some(match_expression("app", "In", &["a b"]));
        assert_eq!(
            paths(&np),
            ["spec.podSelector.matchExpressions[0].values[0]"]
        );
        np.spec.pod_selector = Some(match_expression("-app", "Exists", &[]));
        assert_eq!(paths(&np), ["spec.podSelector.matchExpressions[0].key"]);
    }

    #[test]
    fn vector_label_keys_and_values_in_match_labels() {
        let prefix_253 = format!("{0}.{0}.{0}.{1}", "a".repeat(63), "a".repeat(61));
        let valid = [
            ("example.com/app", "v"),
            ("example.com/App_Name.v1", "v"),
            ("k", "V1.2_beta-3"),
            (&*format!("{prefix_253}/x"), "v"),
        ];
        for (key, value) in valid {
            let mut np = policy(spec_with(None, None));
            np.spec.pod_selector = Some(match_labels(&[(key, value)]));
            assert!(paths(&np).is_empty(), "{key}={value}");
        }
        let name_64 = "a".repeat(64);
        let invalid = [
            ("example.com/", "v"),
            ("a/b/c", "v"),
            (name_64.as_str(), "v"),
            ("my_org.com/app", "v"),
            ("k", "v."),
        ];
        for (key, value) in invalid {
            let mut np = policy(spec_with(None, None));
            np.spec.pod_selector = Some(match_labels(&[(key, value)]));
            assert_eq!(
                paths(&np),
                ["spec.podSelector.matchLabels"],
                "{key}={value}"
            );
        }
    }

    fn updated(name: &str) -> NetworkPolicy {
        let mut np = policy(spec_with(None, None));
        np.metadata.name = Some(name.to_owned());
        np
    }

    #[test]
    fn vector_np_update_ratchet_new_bad_cidr() {
        let old = ingress_peers(vec![ip_peer("192.168.1.5/24", &[])]);
        let new = ingress_peers(vec![
            ip_peer("192.168.1.5/24", &[]),
            ip_peer("10.0.0.1/8", &[]),
        ]);
        assert_eq!(
            paths_with(&new, Some(&old), &strict()),
            ["spec.ingress[0].from[1].ipBlock.cidr"]
        );
    }

    #[test]
    fn vector_np_update_rename() {
        let errors = validate_network_policy(
            &updated("baz"),
            Some(&updated("foo")),
            &ValidationProfile::upstream_validation(),
        );
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].path.to_string(), "metadata.name");
        assert_eq!(errors[0].detail, "field is immutable");
    }

    #[test]
    fn vector_np_update_ratchet_selector_values() {
        let mut old = policy(spec_with(None, None));
        old.spec.pod_selector = Some(match_expression("app", "In", &["bad value"]));
        let mut new = old.clone();
        new.spec.ingress = Some(vec![NetworkPolicyRule::default()]);
        assert!(paths_with(&new, Some(&old), &ValidationProfile::upstream_validation()).is_empty());
        assert_eq!(
            paths(&new),
            ["spec.podSelector.matchExpressions[0].values[0]"]
        );
    }

    #[test]
    fn vector_np_ipblock_prefix_leading_zero_strict() {
        let np = ingress_peers(vec![ip_peer("10.0.0.0/08", &[])]);
        assert_eq!(
            paths_with(&np, None, &strict()),
            ["spec.ingress[0].from[0].ipBlock.cidr"]
        );
        assert!(paths(&np).is_empty());
    }

    // ---- ports ----------------------------------------------------------------------------

    fn one_port(p: NetworkPolicyPort) -> NetworkPolicy {
        policy(spec_with(Some(vec![ports_rule(vec![p])]), None))
    }

    #[test]
    fn protocol_must_be_tcp_udp_or_sctp() {
        for ok in NETWORK_POLICY_PROTOCOLS {
            assert!(
                paths(&one_port(port(Some(ok), None, None))).is_empty(),
                "{ok}"
            );
        }
        let errors = errors(&one_port(port(Some("tcp"), None, None)));
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].path.to_string(),
            "spec.ingress[0].ports[0].protocol"
        );
        assert_eq!(errors[0].kind, crate::validate::ErrorKind::NotSupported);
    }

    #[test]
    fn port_entry_without_protocol_or_port_is_valid() {
        assert!(paths(&one_port(port(None, None, None))).is_empty());
        assert!(paths(&policy(spec_with(Some(vec![ports_rule(vec![])]), None))).is_empty());
    }

    #[test]
    fn numeric_port_range() {
        for ok in [1, 80, 65535] {
            assert!(
                paths(&one_port(port(None, Some(IntOrString::Int(ok)), None))).is_empty(),
                "{ok}"
            );
        }
        for bad in [-1, 0, 65536] {
            assert_eq!(
                paths(&one_port(port(None, Some(IntOrString::Int(bad)), None))),
                ["spec.ingress[0].ports[0].port"],
                "{bad}"
            );
        }
    }

    #[test]
    fn quoted_number_is_a_named_port_and_fails() {
        let np = one_port(port(None, Some(IntOrString::String("80".to_owned())), None));
        assert_eq!(paths(&np), ["spec.ingress[0].ports[0].port"]);
        let named = one_port(port(
            None,
            Some(IntOrString::String("http".to_owned())),
            None,
        ));
        assert!(paths(&named).is_empty());
    }

    #[test]
    fn each_broken_port_name_rule_is_its_own_error() {
        let np = one_port(port(
            None,
            Some(IntOrString::String("-a--B-".to_owned())),
            None,
        ));
        assert_eq!(paths(&np), vec!["spec.ingress[0].ports[0].port"; 3]);
    }

    #[test]
    fn end_port_below_port_is_invalid() {
        let np = one_port(port(None, Some(IntOrString::Int(8080)), Some(80)));
        let errors = errors(&np);
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].path.to_string(),
            "spec.ingress[0].ports[0].endPort"
        );
        assert_eq!(errors[0].detail, "must be greater than or equal to `port`");
    }

    #[test]
    fn end_port_below_port_and_out_of_range_both_fire() {
        let np = one_port(port(None, Some(IntOrString::Int(80)), Some(0)));
        assert_eq!(paths(&np), vec!["spec.ingress[0].ports[0].endPort"; 2]);
    }

    #[test]
    fn end_port_with_named_port_is_invalid_before_the_name_check() {
        let named = one_port(port(
            None,
            Some(IntOrString::String("http".to_owned())),
            Some(90),
        ));
        assert_eq!(paths(&named), ["spec.ingress[0].ports[0].endPort"]);
        let bad_name = one_port(port(
            None,
            Some(IntOrString::String("80".to_owned())),
            Some(90),
        ));
        assert_eq!(
            paths(&bad_name),
            [
                "spec.ingress[0].ports[0].endPort",
                "spec.ingress[0].ports[0].port"
            ]
        );
    }

    // ---- peers ----------------------------------------------------------------------------

    #[test]
    fn empty_peer_is_required_on_the_peer_path() {
        let errors = errors(&ingress_peers(vec![NetworkPolicyPeer::default()]));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].path.to_string(), "spec.ingress[0].from[0]");
        assert_eq!(errors[0].kind, crate::validate::ErrorKind::Required);
    }

    #[test]
    fn empty_or_absent_peer_lists_allow_everything() {
        let rule = NetworkPolicyRule {
            ports: None,
            peers: Some(vec![]),
        };
        assert!(paths(&policy(spec_with(
            Some(vec![rule.clone()]),
            Some(vec![rule])
        )))
        .is_empty());
    }

    #[test]
    fn pod_and_namespace_selectors_together_are_allowed() {
        let peer = NetworkPolicyPeer {
            pod_selector: Some(match_labels(&[])),
            namespace_selector: Some(match_labels(&[])),
            ip_block: None,
        };
        assert!(paths(&ingress_peers(vec![peer])).is_empty());
    }

    #[test]
    fn ip_block_with_an_empty_namespace_selector_is_forbidden() {
        let peer = NetworkPolicyPeer {
            namespace_selector: Some(match_labels(&[])),
            ..ip_peer("10.0.0.0/8", &[])
        };
        assert_eq!(
            paths(&ingress_peers(vec![peer])),
            ["spec.ingress[0].from[0]"]
        );
    }

    #[test]
    fn peer_errors_come_before_the_peer_level_error() {
        let peer = NetworkPolicyPeer {
            namespace_selector: Some(match_labels(&[("k", "v.")])),
            ..ip_peer("", &[])
        };
        assert_eq!(
            paths(&ingress_peers(vec![peer])),
            [
                "spec.ingress[0].from[0].namespaceSelector.matchLabels",
                "spec.ingress[0].from[0].ipBlock.cidr",
                "spec.ingress[0].from[0]",
            ]
        );
    }

    // ---- ipBlock --------------------------------------------------------------------------

    #[test]
    fn cidr_is_not_trimmed() {
        let np = ingress_peers(vec![
            ip_peer(" 10.0.0.0/8", &[]),
            ip_peer("10.0.0.0/8 ", &[]),
        ]);
        assert_eq!(
            paths(&np),
            [
                "spec.ingress[0].from[0].ipBlock.cidr",
                "spec.ingress[0].from[1].ipBlock.cidr"
            ]
        );
    }

    #[test]
    fn sloppy_cidr_forms_pass_without_strict_mode_and_fail_with_it() {
        for cidr in ["192.168.1.5/24", "010.0.0.0/8", "::ffff:1.2.3.0/120"] {
            let np = ingress_peers(vec![ip_peer(cidr, &[])]);
            assert!(paths(&np).is_empty(), "{cidr}");
            assert_eq!(
                paths_with(&np, None, &strict()),
                ["spec.ingress[0].from[0].ipBlock.cidr"],
                "{cidr}"
            );
        }
    }

    #[test]
    fn except_entries_are_skipped_when_cidr_does_not_parse() {
        let np = ingress_peers(vec![ip_peer("nonsense", &["also nonsense", ""])]);
        assert_eq!(paths(&np), ["spec.ingress[0].from[0].ipBlock.cidr"]);
    }

    #[test]
    fn bad_except_entries_are_each_reported() {
        let np = ingress_peers(vec![ip_peer("10.0.0.0/8", &["", "10.1.0.0/16", "bogus"])]);
        assert_eq!(
            paths(&np),
            [
                "spec.ingress[0].from[0].ipBlock.except[0]",
                "spec.ingress[0].from[0].ipBlock.except[2]"
            ]
        );
    }

    #[test]
    fn except_must_be_a_strict_subset() {
        let inside_with_host_bits =
            ingress_peers(vec![ip_peer("192.168.8.0/24", &["192.168.8.7/25"])]);
        assert!(paths(&inside_with_host_bits).is_empty());
        for bad in [
            "192.168.9.0/25",
            "fd00::/64",
            "192.168.8.0/24",
            "192.168.0.0/16",
        ] {
            let np = ingress_peers(vec![ip_peer("192.168.8.0/24", &[bad])]);
            assert_eq!(
                paths(&np),
                ["spec.ingress[0].from[0].ipBlock.except[0]"],
                "{bad}"
            );
        }
    }

    #[test]
    fn strict_mode_reports_both_the_form_and_the_subset_problem() {
        let np = ingress_peers(vec![ip_peer("10.0.0.0/16", &["10.1.0.5/24"])]);
        assert_eq!(paths(&np), ["spec.ingress[0].from[0].ipBlock.except[0]"]);
        assert_eq!(
            paths_with(&np, None, &strict()),
            vec!["spec.ingress[0].from[0].ipBlock.except[0]"; 2]
        );
    }

    #[test]
    fn old_except_values_are_ratcheted_but_still_subset_checked() {
        let old = ingress_peers(vec![ip_peer("10.0.0.0/8", &["10.1.0.5/16", "11.0.0.5/16"])]);
        let new = policy(spec_with(
            None,
            Some(vec![peers_rule(vec![ip_peer(
                "10.0.0.0/8",
                &["10.1.0.5/16", "11.0.0.5/16"],
            )])]),
        ));
        assert_eq!(
            paths_with(&new, Some(&old), &strict()),
            ["spec.egress[0].to[0].ipBlock.except[1]"]
        );
        assert_eq!(paths_with(&new, None, &strict()).len(), 3);
    }

    // ---- policyTypes ----------------------------------------------------------------------

    #[test]
    fn more_than_two_policy_types_is_one_list_error() {
        let mut spec = spec_with(None, None);
        spec.policy_types = types(&["Ingress", "Egress", "bogus"]);
        let errors = errors(&policy(spec));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].path.to_string(), "spec.policyTypes");
        assert_eq!(errors[0].kind, crate::validate::ErrorKind::Invalid);
    }

    #[test]
    fn policy_types_are_case_sensitive() {
        let mut spec = spec_with(None, None);
        spec.policy_types = types(&["Egress", "ingress"]);
        let errors = errors(&policy(spec));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].path.to_string(), "spec.policyTypes[1]");
        assert_eq!(errors[0].kind, crate::validate::ErrorKind::NotSupported);
    }

    #[test]
    fn rules_for_an_absent_policy_type_are_accepted() {
        let mut spec = spec_with(
            Some(vec![NetworkPolicyRule::default()]),
            Some(vec![NetworkPolicyRule::default()]),
        );
        spec.policy_types = types(&["Egress"]);
        assert!(paths(&policy(spec)).is_empty());
    }

    // ---- order, metadata, update ----------------------------------------------------------

    #[test]
    fn errors_come_in_upstream_order() {
        let bad_rule = || NetworkPolicyRule {
            ports: Some(vec![port(Some("ICMP"), None, None)]),
            peers: Some(vec![NetworkPolicyPeer::default()]),
        };
        let mut np = policy(NetworkPolicySpec {
            pod_selector: Some(match_labels(&[("k", "v.")])),
            ingress: Some(vec![bad_rule(), bad_rule()]),
            egress: Some(vec![bad_rule()]),
            policy_types: types(&["Ingress", "Egress", "Both"]),
        });
        np.metadata.name = Some("Foo".to_owned());
        assert_eq!(
            paths(&np),
            [
                "metadata.name",
                "spec.podSelector.matchLabels",
                "spec.ingress[0].ports[0].protocol",
                "spec.ingress[0].from[0]",
                "spec.ingress[1].ports[0].protocol",
                "spec.ingress[1].from[0]",
                "spec.egress[0].ports[0].protocol",
                "spec.egress[0].to[0]",
                "spec.policyTypes",
            ]
        );
    }

    #[test]
    fn metadata_uses_the_dns_subdomain_rule() {
        let mut np = policy(spec_with(None, None));
        np.metadata.name = Some("a.b-c".to_owned());
        assert!(paths(&np).is_empty());
        np.metadata.name = Some("a_b".to_owned());
        np.metadata.namespace = Some("Bar".to_owned());
        assert_eq!(paths(&np), ["metadata.name", "metadata.namespace"]);
    }

    #[test]
    fn namespace_is_immutable() {
        let old = policy(spec_with(None, None));
        let mut new = old.clone();
        new.metadata.namespace = Some("other".to_owned());
        assert_eq!(
            paths_with(&new, Some(&old), &ValidationProfile::upstream_validation()),
            ["metadata.namespace"]
        );
        new.metadata.namespace = None;
        assert_eq!(
            paths_with(&new, Some(&old), &ValidationProfile::upstream_validation()),
            ["metadata.namespace"]
        );
        assert!(paths_with(&new, Some(&old), &ValidationProfile::default()).is_empty());
    }

    #[test]
    fn update_revalidates_labels_and_the_spec() {
        let old = policy(spec_with(None, None));
        let mut new = one_port(port(None, Some(IntOrString::Int(0)), None));
        new.metadata.labels.insert("k".to_owned(), "v.".to_owned());
        assert_eq!(
            paths_with(&new, Some(&old), &ValidationProfile::upstream_validation()),
            ["metadata.labels", "spec.ingress[0].ports[0].port"]
        );
    }

    #[test]
    fn selector_value_ratchet_covers_peer_selectors_but_not_match_labels() {
        let mut old = policy(spec_with(None, None));
        old.spec.pod_selector = Some(match_expression("app", "NotIn", &["bad value"]));
        let peer = NetworkPolicyPeer {
            namespace_selector: Some(match_expression("team", "In", &["also bad"])),
            pod_selector: Some(match_labels(&[("k", "bad value")])),
            ip_block: None,
        };
        let new = ingress_peers(vec![peer]);
        assert_eq!(
            paths_with(&new, Some(&old), &ValidationProfile::upstream_validation()),
            ["spec.ingress[0].from[0].podSelector.matchLabels"]
        );
        assert_eq!(
            paths(&new),
            [
                "spec.ingress[0].from[0].podSelector.matchLabels",
                "spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].values[0]",
            ]
        );
    }

    #[test]
    fn a_valid_old_selector_grants_no_ratchet() {
        let old = policy(spec_with(None, None));
        let mut new = old.clone();
        new.spec.pod_selector = Some(match_expression("app", "In", &["bad value"]));
        assert_eq!(
            paths_with(&new, Some(&old), &ValidationProfile::upstream_validation()),
            ["spec.podSelector.matchExpressions[0].values[0]"]
        );
    }
}
