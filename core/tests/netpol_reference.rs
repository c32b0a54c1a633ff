#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! The compiled NetworkPolicy evaluator against a deliberately simple reference evaluator
//! (`support/reference_eval.rs`), on random small clusters written as YAML text so the whole
//! loader / decoder / validation / defaulting stack is exercised.
//!
//! For every ordered pod pair and every probe (TCP, UDP, SCTP × a few ports) the matrix, the
//! single-connection check, the allowed-ports answer and the reference must agree; for a few
//! addresses inside and outside the generated CIDRs, in both directions, the check and the
//! reference must agree. Three properties: the default options; the non-default ones
//! (self traffic evaluated, ipBlocks blind to pods, host-network pods as pods, endPort not
//! enforced); and egress to the own node exempt with IPv6 as the connection family. 256
//! clusters each (`PROPTEST_CASES` overrides); a failure prints the minimal YAML, the
//! connection, every answer and the engine's explanation.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use netward_core::netpol::{
    AddressFamily, Cluster, Connection, Endpoint, Evaluator, HostNetwork, Protocol, ReachOptions,
    SelfTraffic,
};
use netward_core::{LoadLimits, Workspace};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Map, Value};

#[path = "support/reference_eval.rs"]
mod reference_eval;

// ---------------------------------------------------------------------------------------------
// Vocabulary

const NAMESPACES: [&str; 3] = ["alpha", "beta", "gamma"];
const NS_LABELS: [(&str, &[&str]); 3] = [
    ("env", &["prod", "dev"]),
    ("team", &["red", "blue"]),
    (
        "kubernetes.io/metadata.name",
        &["alpha", "beta", "gamma", "default"],
    ),
];
const POD_LABELS: [(&str, &[&str]); 3] = [
    ("app", &["a", "b", "c"]),
    ("tier", &["web", "db"]),
    ("role", &["x"]),
];
const CONTAINER_PORTS: [u16; 5] = [80, 81, 443, 8080, 53];
const PORT_NAMES: [&str; 3] = ["http", "dns", "metrics"];
const POLICY_PORT_NAMES: [&str; 4] = ["http", "dns", "metrics", "grpc"];
const POLICY_PORTS: [u16; 7] = [53, 80, 81, 443, 8080, 9999, 1];
const END_DELTAS: [u16; 5] = [0, 1, 2, 363, 9000];
const PROTOCOLS: [Option<&str>; 4] = [None, Some("TCP"), Some("UDP"), Some("SCTP")];
/// Last octet of the pods' IPv4 addresses (10.0.0.x).
const V4_HOSTS: [u8; 12] = [1, 2, 3, 4, 5, 6, 7, 9, 17, 33, 130, 200];
/// Last group of the pods' IPv6 addresses (fd00::x).
const V6_HOSTS: [u16; 4] = [1, 5, 0xa, 0x1_00];
/// Anchors for ipBlock CIDRs and excepts.
const V4_ANCHORS: [[u8; 4]; 8] = [
    [10, 0, 0, 1],
    [10, 0, 0, 5],
    [10, 0, 0, 9],
    [10, 0, 0, 130],
    [10, 0, 1, 7],
    [192, 168, 0, 1],
    [192, 168, 0, 2],
    [8, 8, 8, 8],
];
const V4_PREFIXES: [u32; 9] = [0, 8, 16, 24, 25, 28, 29, 30, 32];
const V6_ANCHORS: [u128; 4] = [
    0xfd00_0000_0000_0000_0000_0000_0000_0001,
    0xfd00_0000_0000_0000_0000_0000_0000_0005,
    0xfd00_0000_0000_0000_0000_0000_0000_0100,
    0x2001_0db8_0000_0000_0000_0000_0000_0001,
];
const V6_PREFIXES: [u32; 6] = [0, 8, 64, 120, 124, 128];

/// Probes asked of every pair.
const PROBE_PORTS: [u16; 6] = [53, 80, 81, 443, 8080, 9999];
const PROBE_PROTOCOLS: [Protocol; 3] = [Protocol::Tcp, Protocol::Udp, Protocol::Sctp];
/// Addresses asked about in both directions: inside and outside the generated blocks, node
/// addresses (`status.hostIP`), both families.
const EXTERNAL: [&str; 9] = [
    "10.0.0.3",
    "10.0.0.5",
    "10.0.0.250",
    "10.0.1.7",
    "192.168.0.1",
    "8.8.8.8",
    "fd00::1",
    "fd00::1:0",
    "2001:db8::7",
];

// ---------------------------------------------------------------------------------------------
// Generated cluster

#[derive(Debug, Clone)]
struct Gen {
    namespaces: Vec<NsGen>,
    pods: Vec<PodGen>,
    policies: Vec<PolicyGen>,
    /// Short maps and lists written in flow style (`{app: a}`) rather than block style.
    flow: bool,
}

#[derive(Debug, Clone)]
struct NsGen {
    declared: bool,
    labels: Vec<(usize, usize)>,
}

#[derive(Debug, Clone)]
enum IpGen {
    None,
    V4(usize),
    V6(usize),
    /// `podIPs` with both families, IPv4 first or not.
    Dual(usize, usize, bool),
}

#[derive(Debug, Clone)]
struct CPortGen {
    number: usize,
    name: Option<usize>,
    protocol: usize,
}

#[derive(Debug, Clone)]
struct PodGen {
    /// `None`: no `metadata.namespace` (the engine's default namespace, `default`).
    namespace: Option<usize>,
    labels: Vec<(usize, usize)>,
    containers: Vec<Vec<CPortGen>>,
    ip: IpGen,
    host_network: bool,
    node: Option<usize>,
    finished: bool,
}

#[derive(Debug, Clone)]
struct SelGen {
    labels: Vec<(usize, usize)>,
    exprs: Vec<(usize, usize, Vec<usize>)>,
    /// How an empty selector is written: `{}`, `matchLabels: {}`, `matchExpressions: []`.
    empty_style: usize,
}

#[derive(Debug, Clone)]
struct CidrGen {
    v6: bool,
    anchor: usize,
    prefix: usize,
    host_bits: bool,
    excepts: Vec<(usize, usize)>,
}

#[derive(Debug, Clone)]
enum PeerGen {
    Pods(SelGen),
    Namespaces(SelGen),
    Both(SelGen, SelGen),
    Block(CidrGen),
}

#[derive(Debug, Clone)]
enum PortTargetGen {
    Absent,
    Number(usize, Option<usize>),
    Named(usize),
}

#[derive(Debug, Clone)]
struct PortGen {
    protocol: usize,
    target: PortTargetGen,
}

#[derive(Debug, Clone)]
struct RuleGen {
    peers: Option<Vec<PeerGen>>,
    ports: Option<Vec<PortGen>>,
}

#[derive(Debug, Clone)]
struct PolicyGen {
    namespace: Option<usize>,
    pod_selector: Option<SelGen>,
    policy_types: Option<Vec<&'static str>>,
    ingress: Option<Vec<RuleGen>>,
    egress: Option<Vec<RuleGen>>,
}

/// An optional list: absent (weight 1), `[]` (weight 1) or 1..=max elements (weight 4).
fn opt_list<T: std::fmt::Debug + Clone>(
    element: impl Strategy<Value = T> + Clone,
    max: usize,
) -> impl Strategy<Value = Option<Vec<T>>> + Clone {
    prop_oneof![
        1 => Just(None),
        1 => Just(Some(Vec::new())),
        4 => proptest::collection::vec(element, 1..=max).prop_map(Some),
    ]
}

fn selector(
    vocabulary: &'static [(&'static str, &'static [&'static str])],
) -> impl Strategy<Value = SelGen> + Clone {
    let keys = vocabulary.len();
    let pair = (0..keys, 0..4usize);
    let expr = (
        0..keys,
        0..4usize,
        proptest::collection::vec(0..4usize, 1..=2),
    );
    (
        proptest::collection::vec(pair, 0..=2),
        prop_oneof![
            2 => Just(Vec::new()),
            1 => proptest::collection::vec(expr, 1..=2),
        ],
        0..3usize,
    )
        .prop_map(|(labels, exprs, empty_style)| SelGen {
            labels,
            exprs,
            empty_style,
        })
}

fn cidr() -> impl Strategy<Value = CidrGen> + Clone {
    (
        prop::bool::weighted(0.2),
        0..8usize,
        0..9usize,
        prop::bool::weighted(0.15),
        prop_oneof![
            2 => Just(Vec::new()),
            3 => proptest::collection::vec((0..8usize, 0..32usize), 1..=2),
        ],
    )
        .prop_map(|(v6, anchor, prefix, host_bits, excepts)| CidrGen {
            v6,
            anchor,
            prefix,
            host_bits,
            excepts,
        })
}

fn peer() -> impl Strategy<Value = PeerGen> + Clone {
    prop_oneof![
        3 => selector(&POD_LABELS).prop_map(PeerGen::Pods),
        2 => selector(&NS_LABELS).prop_map(PeerGen::Namespaces),
        2 => (selector(&NS_LABELS), selector(&POD_LABELS)).prop_map(|(n, p)| PeerGen::Both(n, p)),
        3 => cidr().prop_map(PeerGen::Block),
    ]
}

fn policy_port() -> impl Strategy<Value = PortGen> + Clone {
    let target = prop_oneof![
        1 => Just(PortTargetGen::Absent),
        3 => (0..POLICY_PORTS.len(), prop_oneof![2 => Just(None), 1 => (0..END_DELTAS.len()).prop_map(Some)])
            .prop_map(|(n, end)| PortTargetGen::Number(n, end)),
        2 => (0..POLICY_PORT_NAMES.len()).prop_map(PortTargetGen::Named),
    ];
    (0..4usize, target).prop_map(|(protocol, target)| PortGen { protocol, target })
}

fn rule() -> impl Strategy<Value = RuleGen> + Clone {
    (opt_list(peer(), 3), opt_list(policy_port(), 3))
        .prop_map(|(peers, ports)| RuleGen { peers, ports })
}

/// One of the generated namespaces, or (rarely) none written.
fn namespace_choice() -> impl Strategy<Value = Option<usize>> {
    prop_oneof![9 => (0..3usize).prop_map(Some), 1 => Just(None)]
}

fn policy() -> impl Strategy<Value = PolicyGen> {
    let types = prop_oneof![
        3 => Just(None),
        1 => Just(Some(Vec::new())),
        2 => Just(Some(vec!["Ingress"])),
        2 => Just(Some(vec!["Egress"])),
        2 => Just(Some(vec!["Ingress", "Egress"])),
        1 => Just(Some(vec!["Egress", "Egress"])),
    ];
    (
        namespace_choice(),
        prop_oneof![1 => Just(None), 3 => selector(&POD_LABELS).prop_map(Some)],
        types,
        opt_list(rule(), 3),
        opt_list(rule(), 3),
    )
        .prop_map(
            |(namespace, pod_selector, policy_types, ingress, egress)| PolicyGen {
                namespace,
                pod_selector,
                policy_types,
                ingress,
                egress,
            },
        )
}

fn pod() -> impl Strategy<Value = PodGen> {
    let cport = (
        0..CONTAINER_PORTS.len(),
        prop_oneof![1 => Just(None), 2 => (0..PORT_NAMES.len()).prop_map(Some)],
        0..4usize,
    )
        .prop_map(|(number, name, protocol)| CPortGen {
            number,
            name,
            protocol,
        });
    let ip = prop_oneof![
        1 => Just(IpGen::None),
        8 => (0..V4_HOSTS.len()).prop_map(IpGen::V4),
        1 => (0..V6_HOSTS.len()).prop_map(IpGen::V6),
        2 => (0..V4_HOSTS.len(), 0..V6_HOSTS.len(), any::<bool>())
            .prop_map(|(a, b, v4_first)| IpGen::Dual(a, b, v4_first)),
    ];
    (
        namespace_choice(),
        proptest::collection::vec((0..POD_LABELS.len(), 0..3usize), 0..=3),
        proptest::collection::vec(proptest::collection::vec(cport, 0..=3), 1..=2),
        ip,
        prop::bool::weighted(0.1),
        prop_oneof![1 => Just(None), 1 => (0..2usize).prop_map(Some)],
        prop::bool::weighted(0.03),
    )
        .prop_map(
            |(namespace, labels, containers, ip, host_network, node, finished)| PodGen {
                namespace,
                labels,
                containers,
                ip,
                host_network,
                node,
                finished,
            },
        )
}

fn cluster_gen() -> impl Strategy<Value = Gen> {
    let namespace = (
        prop::bool::weighted(0.8),
        proptest::collection::vec((0..2usize, 0..2usize), 0..=2),
    )
        .prop_map(|(declared, labels)| NsGen { declared, labels });
    (
        proptest::collection::vec(namespace, 2..=3),
        proptest::collection::vec(pod(), 3..=8),
        proptest::collection::vec(policy(), 0..=5),
        any::<bool>(),
    )
        .prop_map(|(namespaces, pods, policies, flow)| Gen {
            namespaces,
            pods,
            policies,
            flow,
        })
}

/// Random clusters as YAML text.
fn cluster_yaml() -> impl Strategy<Value = String> {
    cluster_gen().prop_map(|g| render(&g))
}

// ---------------------------------------------------------------------------------------------
// Rendering

fn pick<T: Copy>(list: &[T], index: usize) -> T {
    list[index % list.len()]
}

fn label_pair(
    vocabulary: &[(&'static str, &'static [&'static str])],
    (key, value): (usize, usize),
) -> (&'static str, &'static str) {
    let (key, values) = pick(vocabulary, key);
    (key, pick(values, value))
}

fn labels_value(
    vocabulary: &[(&'static str, &'static [&'static str])],
    pairs: &[(usize, usize)],
) -> Value {
    let map: BTreeMap<&str, &str> = pairs.iter().map(|&p| label_pair(vocabulary, p)).collect();
    json!(map)
}

fn selector_value(vocabulary: &[(&'static str, &'static [&'static str])], s: &SelGen) -> Value {
    let mut out = Map::new();
    if !s.labels.is_empty() {
        out.insert("matchLabels".into(), labels_value(vocabulary, &s.labels));
    }
    if !s.exprs.is_empty() {
        let exprs: Vec<Value> = s
            .exprs
            .iter()
            .map(|(key, op, values)| {
                let (key, choices) = pick(vocabulary, *key);
                let op = pick(&["In", "NotIn", "Exists", "DoesNotExist"], *op);
                let mut e = json!({"key": key, "operator": op});
                if op == "In" || op == "NotIn" {
                    let values: Vec<&str> = values.iter().map(|&v| pick(choices, v)).collect();
                    e["values"] = json!(values);
                }
                e
            })
            .collect();
        out.insert("matchExpressions".into(), Value::Array(exprs));
    }
    if out.is_empty() {
        match s.empty_style {
            1 => {
                out.insert("matchLabels".into(), json!({}));
            }
            2 => {
                out.insert("matchExpressions".into(), json!([]));
            }
            _ => {}
        }
    }
    Value::Object(out)
}

fn v4(address: u32) -> String {
    std::net::Ipv4Addr::from(address).to_string()
}

fn v6(address: u128) -> String {
    std::net::Ipv6Addr::from(address).to_string()
}

fn ip_block_value(c: &CidrGen) -> Value {
    let (bits, anchor, prefix): (u32, u128, u32) = if c.v6 {
        (
            128,
            pick(&V6_ANCHORS, c.anchor),
            pick(&V6_PREFIXES, c.prefix),
        )
    } else {
        let a = pick(&V4_ANCHORS, c.anchor);
        (
            32,
            u128::from(u32::from_be_bytes(a)),
            pick(&V4_PREFIXES, c.prefix),
        )
    };
    let mask = |len: u32| -> u128 {
        let all = if bits == 32 {
            u128::from(u32::MAX)
        } else {
            u128::MAX
        };
        if len == 0 {
            0
        } else {
            (all << (bits - len)) & all
        }
    };
    let show = |address: u128, len: u32| -> String {
        if bits == 32 {
            format!("{}/{len}", v4(u32::try_from(address).unwrap()))
        } else {
            format!("{}/{len}", v6(address))
        }
    };
    let network = anchor & mask(prefix);
    let written = if c.host_bits { anchor } else { network };
    let mut block = json!({"cidr": show(written, prefix)});
    if prefix < bits && !c.excepts.is_empty() {
        let excepts: Vec<String> = c
            .excepts
            .iter()
            .map(|&(other, extra)| {
                let other = if c.v6 {
                    pick(&V6_ANCHORS, other)
                } else {
                    u128::from(u32::from_be_bytes(pick(&V4_ANCHORS, other)))
                };
                let len = prefix + 1 + u32::try_from(extra).unwrap() % (bits - prefix);
                // The other anchor's host bits under this prefix: always strictly inside.
                let inside = network | (other & !mask(prefix) & mask(bits));
                show(inside & mask(len), len)
            })
            .collect();
        block["except"] = json!(excepts);
    }
    json!({ "ipBlock": block })
}

fn peer_value(p: &PeerGen) -> Value {
    match p {
        PeerGen::Pods(s) => json!({"podSelector": selector_value(&POD_LABELS, s)}),
        PeerGen::Namespaces(s) => json!({"namespaceSelector": selector_value(&NS_LABELS, s)}),
        PeerGen::Both(n, s) => json!({
            "namespaceSelector": selector_value(&NS_LABELS, n),
            "podSelector": selector_value(&POD_LABELS, s),
        }),
        PeerGen::Block(c) => ip_block_value(c),
    }
}

fn port_value(p: &PortGen) -> Value {
    let mut out = Map::new();
    if let Some(protocol) = pick(&PROTOCOLS, p.protocol) {
        out.insert("protocol".into(), json!(protocol));
    }
    match &p.target {
        PortTargetGen::Absent => {}
        PortTargetGen::Number(n, end) => {
            let port = pick(&POLICY_PORTS, *n);
            out.insert("port".into(), json!(port));
            if let Some(delta) = end {
                let end = port.saturating_add(pick(&END_DELTAS, *delta));
                out.insert("endPort".into(), json!(end));
            }
        }
        PortTargetGen::Named(n) => {
            out.insert("port".into(), json!(pick(&POLICY_PORT_NAMES, *n)));
        }
    }
    Value::Object(out)
}

fn rules_value(rules: &[RuleGen], peers_field: &str) -> Value {
    Value::Array(
        rules
            .iter()
            .map(|r| {
                let mut out = Map::new();
                if let Some(peers) = &r.peers {
                    out.insert(
                        peers_field.into(),
                        Value::Array(peers.iter().map(peer_value).collect()),
                    );
                }
                if let Some(ports) = &r.ports {
                    out.insert(
                        "ports".into(),
                        Value::Array(ports.iter().map(port_value).collect()),
                    );
                }
                Value::Object(out)
            })
            .collect(),
    )
}

fn render(g: &Gen) -> String {
    let ns_count = g.namespaces.len();
    let mut objects = Vec::new();
    for (i, ns) in g.namespaces.iter().enumerate() {
        if !ns.declared {
            continue;
        }
        let mut meta = json!({"name": NAMESPACES[i]});
        if !ns.labels.is_empty() {
            meta["labels"] = labels_value(&NS_LABELS[..2], &ns.labels);
        }
        objects.push(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": meta}));
    }
    for (i, p) in g.pods.iter().enumerate() {
        let mut meta = json!({"name": format!("p{i}")});
        if let Some(ns) = p.namespace {
            meta["namespace"] = json!(NAMESPACES[ns % ns_count]);
        }
        if !p.labels.is_empty() {
            meta["labels"] = labels_value(&POD_LABELS, &p.labels);
        }
        let containers: Vec<Value> = p
            .containers
            .iter()
            .enumerate()
            .map(|(c, ports)| {
                let mut container = json!({"name": format!("c{c}"), "image": "img"});
                if !ports.is_empty() {
                    let ports: Vec<Value> = ports
                        .iter()
                        .map(|port| {
                            let mut v =
                                json!({"containerPort": pick(&CONTAINER_PORTS, port.number)});
                            if let Some(name) = port.name {
                                v["name"] = json!(pick(&PORT_NAMES, name));
                            }
                            if let Some(protocol) = pick(&PROTOCOLS, port.protocol) {
                                v["protocol"] = json!(protocol);
                            }
                            v
                        })
                        .collect();
                    container["ports"] = json!(ports);
                }
                container
            })
            .collect();
        let mut spec = json!({"containers": containers});
        let node_ip = p.node.map(|n| format!("192.168.0.{}", n + 1));
        if let Some(n) = p.node {
            spec["nodeName"] = json!(format!("node-{}", n + 1));
        }
        if p.host_network {
            spec["hostNetwork"] = json!(true);
        }
        let mut status = Map::new();
        if p.finished {
            status.insert("phase".into(), json!("Succeeded"));
        }
        if let Some(ip) = &node_ip {
            status.insert("hostIP".into(), json!(ip));
        }
        let v4_of = |k: usize| format!("10.0.0.{}", pick(&V4_HOSTS, k));
        let v6_of = |k: usize| format!("fd00::{:x}", pick(&V6_HOSTS, k));
        if p.host_network {
            // A host-network pod has its node's address.
            let ip = node_ip.clone().unwrap_or_else(|| "192.168.0.9".to_owned());
            status.insert("podIP".into(), json!(ip));
        } else {
            match p.ip {
                IpGen::None => {}
                IpGen::V4(k) => {
                    status.insert("podIP".into(), json!(v4_of(k)));
                }
                IpGen::V6(k) => {
                    status.insert("podIP".into(), json!(v6_of(k)));
                }
                IpGen::Dual(a, b, v4_first) => {
                    let (first, second) = if v4_first {
                        (v4_of(a), v6_of(b))
                    } else {
                        (v6_of(b), v4_of(a))
                    };
                    status.insert("podIP".into(), json!(first));
                    status.insert("podIPs".into(), json!([{"ip": first}, {"ip": second}]));
                }
            }
        }
        let mut pod = json!({"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec});
        if !status.is_empty() {
            pod["status"] = Value::Object(status);
        }
        objects.push(pod);
    }
    for (i, p) in g.policies.iter().enumerate() {
        let mut spec = Map::new();
        if let Some(s) = &p.pod_selector {
            spec.insert("podSelector".into(), selector_value(&POD_LABELS, s));
        }
        if let Some(types) = &p.policy_types {
            spec.insert("policyTypes".into(), json!(types));
        }
        if let Some(rules) = &p.ingress {
            spec.insert("ingress".into(), rules_value(rules, "from"));
        }
        if let Some(rules) = &p.egress {
            spec.insert("egress".into(), rules_value(rules, "to"));
        }
        let mut meta = json!({"name": format!("np{i}")});
        if let Some(ns) = p.namespace {
            meta["namespace"] = json!(NAMESPACES[ns % ns_count]);
        }
        objects.push(json!({
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": meta,
            "spec": Value::Object(spec),
        }));
    }
    let mut out = String::new();
    for object in &objects {
        out.push_str("---\n");
        emit_map(object.as_object().unwrap(), 0, g.flow, &mut out);
    }
    out
}

/// A scalar (or an empty / flow collection) on one line.
fn inline(value: &Value, flow: bool) -> Option<String> {
    match value {
        Value::String(s) => {
            let plain = s.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '-' | '_'))
                && !matches!(
                    s.to_ascii_lowercase().as_str(),
                    "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n"
                );
            Some(if plain {
                s.clone()
            } else {
                serde_json::to_string(s).unwrap()
            })
        }
        Value::Object(m) if m.is_empty() => Some("{}".to_owned()),
        Value::Array(a) if a.is_empty() => Some("[]".to_owned()),
        Value::Object(_) | Value::Array(_) => {
            let text = serde_json::to_string(value).unwrap();
            (flow && text.len() <= 48).then_some(text)
        }
        other => Some(other.to_string()),
    }
}

fn emit_map(map: &Map<String, Value>, indent: usize, flow: bool, out: &mut String) {
    for (key, value) in map {
        let key = inline(&Value::String(key.clone()), false).unwrap();
        let pad = " ".repeat(indent);
        match inline(value, flow) {
            Some(text) => {
                let _ = writeln!(out, "{pad}{key}: {text}");
            }
            None => {
                let _ = writeln!(out, "{pad}{key}:");
                match value {
                    Value::Object(m) => emit_map(m, indent + 2, flow, out),
                    Value::Array(a) => emit_seq(a, indent, flow, out),
                    _ => unreachable!(),
                }
            }
        }
    }
}

fn emit_seq(items: &[Value], indent: usize, flow: bool, out: &mut String) {
    let pad = " ".repeat(indent);
    for item in items {
        match (inline(item, flow), item) {
            (Some(text), _) => {
                let _ = writeln!(out, "{pad}- {text}");
            }
            (None, Value::Object(m)) => {
                let mut nested = String::new();
                emit_map(m, indent + 2, flow, &mut nested);
                let _ = write!(out, "{pad}- {}", &nested[indent + 2..]);
            }
            (None, Value::Array(a)) => {
                let _ = writeln!(out, "{pad}-");
                emit_seq(a, indent + 2, flow, out);
            }
            (None, _) => unreachable!(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Comparison

#[derive(Debug, Default, Clone, Copy)]
struct Stats {
    clusters: usize,
    policies: usize,
    rejected_policies: usize,
    pod_questions: usize,
    pod_allowed: usize,
    external_questions: usize,
    external_allowed: usize,
}

fn non_default_options() -> ReachOptions {
    ReachOptions {
        self_traffic: SelfTraffic::Evaluate,
        ip_block_matches_pods: false,
        host_network: HostNetwork::Pod,
        enforce_end_port: false,
        ..ReachOptions::default()
    }
}

fn other_options() -> ReachOptions {
    ReachOptions {
        exempt_egress_to_own_node: true,
        family: Some(AddressFamily::V6),
        ..ReachOptions::default()
    }
}

fn pod_or_ip(cluster: &Cluster, endpoint: Endpoint) -> String {
    match endpoint {
        Endpoint::Pod(p) => cluster.pod_name(p).to_string(),
        Endpoint::External(ip) => ip.to_string(),
    }
}

/// Compares the engine and the reference on one cluster; the error is a reproducible report.
fn compare(yaml: &str, options: &ReachOptions, stats: &mut Stats) -> Result<(), String> {
    let mut workspace = Workspace::new(LoadLimits::default());
    workspace.add_file("cluster.yaml", yaml.as_bytes());
    let cluster = Cluster::from_workspace(&workspace, options);
    let ev = Evaluator::compile(&cluster, options);
    stats.clusters += 1;
    stats.policies += cluster.policies.len();
    stats.rejected_policies += cluster
        .notes
        .iter()
        .filter(|n| n.message.starts_with("not evaluated"))
        .count();
    let n = cluster.pods.len();
    let fail = |what: String, connection: &Connection| -> String {
        let verdict = ev.check(connection);
        let notes: Vec<&str> = cluster.notes.iter().map(|n| n.message.as_str()).collect();
        format!(
            "engine and reference disagree\n  options: {options:?}\n  connection: {} -> {} {}/{}\n  {what}\n  engine verdict: {verdict:#?}\n  cluster notes: {notes:#?}\n--- cluster.yaml ---\n{yaml}",
            pod_or_ip(&cluster, connection.from),
            pod_or_ip(&cluster, connection.to),
            connection.protocol,
            connection.port,
        )
    };
    let ports: Vec<Vec<_>> = (0..n)
        .map(|s| {
            (0..n)
                .map(|d| ev.allowed_ports(Endpoint::Pod(s), Endpoint::Pod(d)))
                .collect()
        })
        .collect();
    for protocol in PROBE_PROTOCOLS {
        for port in PROBE_PORTS {
            let matrix = ev.matrix(protocol, port);
            for (s, row) in ports.iter().enumerate() {
                for (d, pair_ports) in row.iter().enumerate() {
                    let connection = Connection {
                        from: Endpoint::Pod(s),
                        to: Endpoint::Pod(d),
                        protocol,
                        port,
                    };
                    let by_matrix = matrix.allows(s, d);
                    let by_check = ev.check(&connection).allowed;
                    let by_ports = pair_ports.get(protocol).contains(port);
                    let expected = reference_eval::allowed(
                        &cluster,
                        options,
                        connection.from,
                        connection.to,
                        protocol,
                        port,
                    );
                    stats.pod_questions += 1;
                    stats.pod_allowed += usize::from(expected);
                    if by_matrix != expected || by_check != expected || by_ports != expected {
                        return Err(fail(
                            format!(
                                "reference: {expected}; matrix: {by_matrix}; check: {by_check}; allowed_ports: {by_ports} (all ports: {})",
                                pair_ports
                            ),
                            &connection,
                        ));
                    }
                }
            }
            for ip in EXTERNAL {
                let ip = ip.parse().unwrap();
                for p in 0..n {
                    for (from, to) in [
                        (Endpoint::Pod(p), Endpoint::External(ip)),
                        (Endpoint::External(ip), Endpoint::Pod(p)),
                    ] {
                        let connection = Connection {
                            from,
                            to,
                            protocol,
                            port,
                        };
                        let by_check = ev.check(&connection).allowed;
                        let expected =
                            reference_eval::allowed(&cluster, options, from, to, protocol, port);
                        stats.external_questions += 1;
                        stats.external_allowed += usize::from(expected);
                        if by_check != expected {
                            return Err(fail(
                                format!("reference: {expected}; check: {by_check}"),
                                &connection,
                            ));
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// Clusters per property run (each: every pod pair × 18 probes, and 9 addresses × 2
/// directions × every pod × 18 probes).
const CASES: u32 = 256;
/// Clusters sampled to check the generator's health.
const DIVERSITY_SAMPLE: usize = 96;

/// `PROPTEST_CASES` overrides [`CASES`] for longer soak runs.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(CASES);
    ProptestConfig {
        cases,
        failure_persistence: None,
        rng_algorithm: proptest::test_runner::RngAlgorithm::XorShift,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn engine_agrees_with_reference_default_options(yaml in cluster_yaml()) {
        let mut stats = Stats::default();
        if let Err(report) = compare(&yaml, &ReachOptions::default(), &mut stats) {
            return Err(TestCaseError::fail(report));
        }
    }

    #[test]
    fn engine_agrees_with_reference_non_default_options(yaml in cluster_yaml()) {
        let mut stats = Stats::default();
        if let Err(report) = compare(&yaml, &non_default_options(), &mut stats) {
            return Err(TestCaseError::fail(report));
        }
    }

    #[test]
    fn engine_agrees_with_reference_own_node_and_ipv6(yaml in cluster_yaml()) {
        let mut stats = Stats::default();
        if let Err(report) = compare(&yaml, &other_options(), &mut stats) {
            return Err(TestCaseError::fail(report));
        }
    }
}

/// The generator is worth something: its policies are accepted by validation, the loader
/// reads what was written (§3 policy-type defaulting checked independently here, since the
/// reference takes `affects_ingress` / `affects_egress` from the loader), and the questions
/// get both answers in healthy proportions.
#[test]
fn generated_clusters_are_valid_and_varied() {
    let mut runner = TestRunner::new(Config {
        failure_persistence: None,
        ..Config::default()
    });
    let strategy = cluster_gen();
    let mut stats = Stats::default();
    for _ in 0..DIVERSITY_SAMPLE {
        let generated = strategy.new_tree(&mut runner).unwrap().current();
        let yaml = render(&generated);
        check_loaded(&generated, &yaml);
        compare(&yaml, &ReachOptions::default(), &mut stats).unwrap_or_else(|e| panic!("{e}"));
    }
    eprintln!("{stats:?}");
    assert_eq!(stats.rejected_policies, 0, "{stats:?}");
    assert!(stats.policies >= DIVERSITY_SAMPLE, "{stats:?}");
    let share = |part: usize, all: usize| part as f64 / all as f64;
    let pods = share(stats.pod_allowed, stats.pod_questions);
    let external = share(stats.external_allowed, stats.external_questions);
    assert!((0.2..0.95).contains(&pods), "{stats:?}");
    assert!((0.2..0.95).contains(&external), "{stats:?}");
}

/// The snapshot holds what the generator wrote: every unfinished pod, every policy with the
/// effective policy types of §3.
fn check_loaded(generated: &Gen, yaml: &str) {
    let mut workspace = Workspace::new(LoadLimits::default());
    workspace.add_file("cluster.yaml", yaml.as_bytes());
    let cluster = Cluster::from_workspace(&workspace, &ReachOptions::default());
    let unfinished = generated.pods.iter().filter(|p| !p.finished).count();
    assert_eq!(cluster.pods.len(), unfinished, "{yaml}");
    assert_eq!(cluster.policies.len(), generated.policies.len(), "{yaml}");
    for (i, (written, loaded)) in generated.policies.iter().zip(&cluster.policies).enumerate() {
        assert_eq!(loaded.name, format!("np{i}"));
        let (ingress, egress) = match &written.policy_types {
            Some(types) if !types.is_empty() => {
                (types.contains(&"Ingress"), types.contains(&"Egress"))
            }
            _ => (true, written.egress.as_ref().is_some_and(|r| !r.is_empty())),
        };
        assert_eq!(
            (loaded.affects_ingress, loaded.affects_egress),
            (ingress, egress),
            "policy np{i} in\n{yaml}"
        );
    }
}

/// The reference itself on hand-written points of the spec, so a shared misreading is less
/// likely to hide behind agreement.
#[test]
fn reference_on_spec_examples() {
    let yaml = r#"
apiVersion: v1
kind: Namespace
metadata: {name: x, labels: {env: prod}}
---
apiVersion: v1
kind: Pod
metadata: {name: a, namespace: x, labels: {app: a}}
spec:
  containers:
  - name: c
    ports: [{containerPort: 8080, name: http}, {containerPort: 53, name: dns, protocol: UDP}]
status: {podIP: 10.0.0.1}
---
apiVersion: v1
kind: Pod
metadata: {name: b, namespace: x, labels: {app: b}}
spec: {containers: [{name: c}]}
status: {podIP: 10.0.0.2}
---
apiVersion: v1
kind: Pod
metadata: {name: c, namespace: y, labels: {app: c}}
spec: {containers: [{name: c}]}
status: {podIP: 10.0.0.3}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: only-egress-rules, namespace: x}
spec:
  podSelector: {matchLabels: {app: a}}
  egress: [{to: [{ipBlock: {cidr: 10.0.0.0/24, except: [10.0.0.3/32]}}], ports: [{protocol: UDP}]}]
  ingress: [{from: [{podSelector: {}}], ports: [{port: http}, {protocol: UDP, port: dns}]}]
"#;
    let mut workspace = Workspace::new(LoadLimits::default());
    workspace.add_file("c.yaml", yaml.as_bytes());
    let options = ReachOptions::default();
    let cluster = Cluster::from_workspace(&workspace, &options);
    assert_eq!(cluster.pods.len(), 3);
    assert_eq!(cluster.policies.len(), 1, "{:?}", cluster.notes);
    let allowed = |from: Endpoint, to: Endpoint, protocol, port| {
        reference_eval::allowed(&cluster, &options, from, to, protocol, port)
    };
    let (a, b, c) = (Endpoint::Pod(0), Endpoint::Pod(1), Endpoint::Pod(2));
    let ip = |t: &str| Endpoint::External(t.parse().unwrap());
    // §3: egress rules without policyTypes: [Ingress, Egress].
    // Ingress to a: named ports resolved on a, same namespace only.
    assert!(allowed(b, a, Protocol::Tcp, 8080));
    assert!(!allowed(b, a, Protocol::Tcp, 80));
    assert!(allowed(b, a, Protocol::Udp, 53));
    assert!(!allowed(b, a, Protocol::Tcp, 53));
    assert!(!allowed(c, a, Protocol::Tcp, 8080));
    assert!(!allowed(ip("10.0.0.2"), a, Protocol::Tcp, 8080));
    // Egress from a: UDP to the block minus the except, pods included (A4).
    assert!(allowed(a, b, Protocol::Udp, 9));
    assert!(!allowed(a, b, Protocol::Tcp, 9));
    assert!(!allowed(a, c, Protocol::Udp, 9));
    assert!(allowed(a, ip("10.0.0.200"), Protocol::Udp, 1));
    assert!(!allowed(a, ip("10.0.0.3"), Protocol::Udp, 1));
    assert!(!allowed(a, ip("fd00::1"), Protocol::Udp, 1));
    // Loopback (A1), unisolated pods.
    assert!(allowed(a, a, Protocol::Sctp, 1));
    assert!(allowed(c, b, Protocol::Sctp, 1));
    assert!(allowed(ip("8.8.8.8"), b, Protocol::Tcp, 1));
    let evaluate = ReachOptions {
        self_traffic: SelfTraffic::Evaluate,
        ..ReachOptions::default()
    };
    assert!(!reference_eval::allowed(
        &cluster,
        &evaluate,
        a,
        a,
        Protocol::Sctp,
        1
    ));
}
