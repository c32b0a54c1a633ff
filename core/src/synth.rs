//! A deterministic generator of synthetic clusters: Namespaces, Pods and NetworkPolicies as
//! one multi-document YAML text, for benchmarks, the `netward gen` command and comparisons
//! with other analyzers.
//!
//! The same [`SynthSpec`] (seed included) always gives byte-identical text. Everything
//! generated is valid for the Kubernetes API server, and the policies exercise every feature
//! of `networking.k8s.io/v1` NetworkPolicy: default-deny in each direction, pod and namespace
//! selectors alone, together in one peer (AND) and as separate peers (OR), every
//! `matchExpressions` operator, `ipBlock` with `except` (inside the cluster's pod ranges and
//! outside, IPv4 and IPv6), numeric, named and ranged (`endPort`) ports over TCP, UDP and
//! SCTP, rules without peers or without ports, and `policyTypes` written or defaulted.
//!
//! Layout:
//! - `kube-system` (CoreDNS pods, `k8s-app: kube-dns`, ports `dns` UDP 53 and `dns-tcp` TCP
//!   53) and `monitoring` (Prometheus pods), both labelled `tier: platform`, then the
//!   application namespaces `team-<team>-<env>` labelled `team`, `env` and sometimes
//!   `tier: platform`. Every Namespace carries `kubernetes.io/metadata.name`, as the API
//!   server sets it.
//! - Pods spread unevenly over the application namespaces, each namespace running three to
//!   seven apps (at least one frontend, one backend and one db or cache), pods named
//!   `<app>-<n>`, with container ports whose names map to different numbers on different
//!   apps (`http` is 80, 8080 or 8000). Pod IPs are unique: namespace `i` gets the block
//!   `10.i.0.0/16` (smaller blocks when there are more than 256 namespaces).
//! - NetworkPolicies in the application namespaces: the first ones go through every kind of
//!   policy once, later ones are drawn from a realistic mix.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt::{Display, Write as _};
use std::net::Ipv4Addr;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SynthSpec {
    /// Pods in all (DNS and monitoring pods included).
    pub pods: usize,
    /// NetworkPolicies in all.
    pub policies: usize,
    /// Application namespaces (at least 1); `None` means `max(3, pods / 100)`. `kube-system`
    /// and `monitoring` come on top.
    pub namespaces: Option<usize>,
    /// The seed: the same spec gives the same text.
    pub seed: u64,
}

impl Default for SynthSpec {
    fn default() -> Self {
        Self {
            pods: 100,
            policies: 20,
            namespaces: None,
            seed: 1,
        }
    }
}

/// Generates manifests: Namespaces, then Pods, then NetworkPolicies, as one multi-document
/// YAML string.
#[must_use]
pub fn generate(spec: &SynthSpec) -> String {
    let mut rng = Rng::new(spec.seed);
    let cluster = Cluster::plan(spec, &mut rng);
    let mut yaml = Yaml {
        out: String::with_capacity(
            cluster.namespaces.len() * 300 + spec.pods * 720 + spec.policies * 800,
        ),
        item: false,
    };
    for ns in &cluster.namespaces {
        write_namespace(&mut yaml, ns);
    }
    for (index, ns) in cluster.namespaces.iter().enumerate() {
        write_pods(
            &mut yaml,
            ns,
            Rng::new(spec.seed ^ ((index as u64 + 1) << 40)),
        );
    }
    let mut names = HashSet::new();
    let mut per_namespace = vec![0usize; cluster.namespaces.len()];
    let weights: Vec<usize> = cluster
        .namespaces
        .iter()
        .map(|ns| if ns.system { 0 } else { ns.pods + 1 })
        .collect();
    let table = CumulativeWeights::new(&weights);
    let apps = cluster.namespaces.len().saturating_sub(FIRST_APP_NAMESPACE);
    for i in 0..spec.policies {
        let index = if i < apps {
            FIRST_APP_NAMESPACE + i
        } else {
            table.pick(&mut rng)
        };
        let Some(ns) = cluster.namespaces.get(index) else {
            continue;
        };
        let count = per_namespace.get(index).copied().unwrap_or(0);
        let template = match SCHEDULE.get(i) {
            Some(template) => *template,
            None if count == 0 => {
                if rng.chance(70) {
                    Template::DenyIngress
                } else {
                    Template::DenyAll
                }
            }
            None => pick_template(&mut rng),
        };
        if let Some(slot) = per_namespace.get_mut(index) {
            *slot += 1;
        }
        let mut policy = build(template, &cluster, index, ns, &mut rng);
        policy.name = unique_name(&mut names, &ns.name, policy.name);
        write_policy(&mut yaml, ns, &policy);
    }
    yaml.out
}

// ---------------------------------------------------------------------------------------------
// Random numbers

/// xorshift64* seeded through splitmix64: small, fast, and the same on every platform.
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Self(if z == 0 { 0x2545_F491_4F6C_DD1D } else { z })
    }

    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..n` (0 when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }

    /// True with the given percentage.
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// A random element, `None` only for an empty slice.
    fn pick<'a, T>(&mut self, items: &'a [T]) -> Option<&'a T> {
        items.get(self.below(items.len()))
    }

    /// A random string of a list ("" for an empty list).
    fn word(&mut self, items: &[&'static str]) -> &'static str {
        self.pick(items).copied().unwrap_or_default()
    }
}

/// Weighted choice by binary search over running totals.
#[derive(Debug)]
struct CumulativeWeights {
    totals: Vec<usize>,
}

impl CumulativeWeights {
    fn new(weights: &[usize]) -> Self {
        let mut sum = 0;
        let totals = weights
            .iter()
            .map(|w| {
                sum += w;
                sum
            })
            .collect();
        Self { totals }
    }

    fn pick(&self, rng: &mut Rng) -> usize {
        let total = self.totals.last().copied().unwrap_or(0);
        let target = rng.below(total);
        self.totals.partition_point(|t| *t <= target)
    }
}

// ---------------------------------------------------------------------------------------------
// The cluster

const TEAMS: &[&str] = &[
    "payments",
    "checkout",
    "search",
    "identity",
    "ledger",
    "catalog",
    "shipping",
    "billing",
    "fraud",
    "inventory",
    "pricing",
    "reviews",
    "messaging",
    "analytics",
    "growth",
    "support",
    "accounts",
    "loyalty",
    "media",
    "recommendations",
    "notifications",
    "partners",
    "reporting",
    "risk",
];
const ENVS: &[&str] = &["prod", "staging", "dev"];
const HTTP_PORTS: &[u16] = &[80, 8080, 8000];

/// Index of the first application namespace (after kube-system and monitoring).
const FIRST_APP_NAMESPACE: usize = 2;

// Container ports an app exposes.
const HTTP: u16 = 1;
const GRPC: u16 = 1 << 1;
const METRICS: u16 = 1 << 2;
const POSTGRES: u16 = 1 << 3;
const MYSQL: u16 = 1 << 4;
const REDIS: u16 = 1 << 5;
const MEMCACHED: u16 = 1 << 6;
const STATSD: u16 = 1 << 7;
const SCTP: u16 = 1 << 8;
const DNS: u16 = 1 << 9;
const PROMETHEUS: u16 = 1 << 10;

/// A kind of workload.
#[derive(Debug)]
struct AppKind {
    name: &'static str,
    tier: &'static str,
    ports: u16,
}

const fn kind(name: &'static str, tier: &'static str, ports: u16) -> AppKind {
    AppKind { name, tier, ports }
}

const CATALOG: &[AppKind] = &[
    kind("web", "frontend", HTTP | METRICS),
    kind("storefront", "frontend", HTTP),
    kind("admin-ui", "frontend", HTTP),
    kind("api", "backend", HTTP | GRPC | METRICS),
    kind("checkout", "backend", HTTP | GRPC),
    kind("orders", "backend", HTTP | METRICS),
    kind("ledger", "backend", GRPC | METRICS),
    kind("auth", "backend", HTTP | GRPC),
    kind("search", "backend", HTTP),
    kind("signaling", "backend", SCTP | METRICS),
    kind("postgres", "db", POSTGRES | METRICS),
    kind("mysql", "db", MYSQL),
    kind("redis", "cache", REDIS),
    kind("memcached", "cache", MEMCACHED),
    kind("worker", "worker", METRICS),
    kind("kafka-consumer", "worker", METRICS),
    kind("statsd", "worker", STATSD | METRICS),
];
const COREDNS: AppKind = kind("coredns", "backend", DNS);
const PROMETHEUS_APP: AppKind = kind("prometheus", "backend", PROMETHEUS);

/// A workload of a namespace.
#[derive(Debug)]
struct App {
    kind: &'static AppKind,
    /// The number behind the port named `http`.
    http: u16,
    version: usize,
    sidecar: bool,
    /// Its first pod's index in the namespace.
    first: usize,
    pods: usize,
}

/// A namespace and what runs in it.
#[derive(Debug)]
struct Ns {
    name: String,
    team: &'static str,
    env: &'static str,
    platform: bool,
    system: bool,
    /// Its pods' IPv4 block (`None` when the cluster is too big for per-namespace blocks).
    block: Option<(u32, u8)>,
    /// The address of its first pod; the others follow.
    first_ip: u32,
    apps: Vec<App>,
    pods: usize,
}

impl Ns {
    fn cidr(&self) -> Option<String> {
        self.block.map(|(base, prefix)| cidr(base, prefix))
    }

    fn pod_ip(&self, index: usize) -> Ipv4Addr {
        Ipv4Addr::from(self.first_ip.wrapping_add(index as u32))
    }

    fn app(&self, rng: &mut Rng, test: impl Fn(&App) -> bool) -> Option<&App> {
        let matching: Vec<&App> = self.apps.iter().filter(|a| test(a)).collect();
        match rng.pick(&matching) {
            Some(app) => Some(*app),
            None => rng.pick(&self.apps),
        }
    }
}

#[derive(Debug)]
struct Cluster {
    namespaces: Vec<Ns>,
}

impl Cluster {
    fn plan(spec: &SynthSpec, rng: &mut Rng) -> Self {
        let app_namespaces = spec.namespaces.unwrap_or((spec.pods / 100).max(3)).max(1);
        let dns_pods = if spec.pods >= 10 { 2 } else { spec.pods.min(1) };
        let monitoring_pods = if spec.pods >= 20 { 2 } else { 0 };
        let app_pods = spec.pods - dns_pods - monitoring_pods;

        let mut namespaces = Vec::with_capacity(app_namespaces + FIRST_APP_NAMESPACE);
        namespaces.push(system_ns("kube-system", &COREDNS, dns_pods));
        namespaces.push(system_ns("monitoring", &PROMETHEUS_APP, monitoring_pods));
        let offset = rng.below(TEAMS.len());
        let weights: Vec<usize> = (0..app_namespaces)
            .map(|_| (1 + rng.below(6)) * (1 + rng.below(4)))
            .collect();
        let counts = spread(app_pods, &weights, rng);
        for (a, pods) in counts.into_iter().enumerate() {
            let round = a / (TEAMS.len() * ENVS.len());
            let team = TEAMS
                .get((a + offset) % TEAMS.len())
                .copied()
                .unwrap_or_default();
            let env = ENVS
                .get((a + a / TEAMS.len()) % ENVS.len())
                .copied()
                .unwrap_or_default();
            let name = if round == 0 {
                format!("team-{team}-{env}")
            } else {
                format!("team-{team}-{env}-{}", round + 1)
            };
            let apps = plan_apps(pods, rng);
            namespaces.push(Ns {
                name,
                team,
                env,
                platform: rng.chance(20),
                system: false,
                block: None,
                first_ip: 0,
                apps,
                pods,
            });
        }
        assign_addresses(&mut namespaces);
        Self { namespaces }
    }

    fn app_namespaces(&self) -> &[Ns] {
        self.namespaces
            .get(FIRST_APP_NAMESPACE..)
            .unwrap_or_default()
    }

    /// Another application namespace than `index` when there is one.
    fn other(&self, index: usize, rng: &mut Rng) -> &Ns {
        let apps = self.app_namespaces();
        let pick = FIRST_APP_NAMESPACE + rng.below(apps.len().saturating_sub(1).max(1));
        let pick = if pick >= index && apps.len() > 1 {
            pick + 1
        } else {
            pick
        };
        self.namespaces
            .get(pick)
            .or_else(|| self.namespaces.get(index))
            .or_else(|| self.namespaces.first())
            .unwrap_or(&EMPTY_NS)
    }
}

static EMPTY_NS: Ns = Ns {
    name: String::new(),
    team: "",
    env: "",
    platform: false,
    system: true,
    block: None,
    first_ip: 0,
    apps: Vec::new(),
    pods: 0,
};

fn system_ns(name: &str, kind: &'static AppKind, pods: usize) -> Ns {
    Ns {
        name: name.to_owned(),
        team: "",
        env: "",
        platform: true,
        system: true,
        block: None,
        first_ip: 0,
        apps: vec![App {
            kind,
            http: 0,
            version: 1,
            sidecar: false,
            first: 0,
            pods,
        }],
        pods,
    }
}

/// Splits `total` into `weights.len()` parts roughly proportional to the weights, each part at
/// least 1 while there is enough to go round.
fn spread(total: usize, weights: &[usize], rng: &mut Rng) -> Vec<usize> {
    let floor = usize::from(total >= weights.len());
    let mut counts = vec![floor; weights.len()];
    let rest = total - floor * weights.len();
    let sum: usize = weights.iter().sum::<usize>().max(1);
    let mut given = 0;
    for (count, weight) in counts.iter_mut().zip(weights) {
        let share = rest * weight / sum;
        *count += share;
        given += share;
    }
    let table = CumulativeWeights::new(weights);
    for _ in given..rest {
        if let Some(count) = counts.get_mut(table.pick(rng)) {
            *count += 1;
        }
    }
    counts
}

/// Three to seven apps (a frontend, a backend, a db or cache, then any) sharing `pods` pods.
fn plan_apps(pods: usize, rng: &mut Rng) -> Vec<App> {
    let mut kinds: Vec<&'static AppKind> = Vec::with_capacity(7);
    let tiers: [&[&str]; 3] = [&["frontend"], &["backend"], &["db", "cache"]];
    for tier in tiers {
        let options: Vec<&'static AppKind> =
            CATALOG.iter().filter(|k| tier.contains(&k.tier)).collect();
        if let Some(kind) = rng.pick(&options) {
            kinds.push(kind);
        }
    }
    for _ in 0..rng.below(5) {
        if let Some(kind) = rng.pick(CATALOG) {
            if !kinds.iter().any(|k| k.name == kind.name) {
                kinds.push(kind);
            }
        }
    }
    let weights: Vec<usize> = kinds
        .iter()
        .map(|k| match k.tier {
            "db" | "cache" => 1,
            "frontend" => 2 + rng.below(5),
            _ => 1 + rng.below(5),
        })
        .collect();
    let counts = spread(pods, &weights, rng);
    let mut first = 0;
    kinds
        .into_iter()
        .zip(counts)
        .map(|(kind, pods)| {
            let app = App {
                kind,
                http: HTTP_PORTS
                    .get(rng.below(HTTP_PORTS.len()))
                    .copied()
                    .unwrap_or(8080),
                version: 1 + rng.below(3),
                sidecar: rng.chance(25),
                first,
                pods,
            };
            first += pods;
            app
        })
        .collect()
}

/// Gives each namespace an aligned IPv4 block in 10.0.0.0/8 (a /16 while there are at most 256
/// namespaces of at most 65,534 pods), or numbers all pods in a row when blocks do not fit.
fn assign_addresses(namespaces: &mut [Ns]) {
    const BASE: u32 = 10 << 24;
    let bits = |n: usize| usize::BITS - n.leading_zeros();
    let most = namespaces.iter().map(|ns| ns.pods).max().unwrap_or(0);
    let pod_need = bits(most + 1);
    let ns_need = bits(namespaces.len().saturating_sub(1));
    let pod_bits = if ns_need <= 8 && pod_need <= 16 {
        Some(16)
    } else if ns_need + pod_need <= 24 {
        Some(24 - ns_need)
    } else {
        None
    };
    let mut next = BASE + 1;
    for (i, ns) in namespaces.iter_mut().enumerate() {
        match pod_bits {
            Some(pod_bits) => {
                let base = BASE | ((i as u32) << pod_bits);
                ns.block = Some((base, (32 - pod_bits) as u8));
                ns.first_ip = base + 1;
            }
            None => {
                ns.first_ip = next;
                next = next.wrapping_add(ns.pods as u32);
            }
        }
    }
}

fn cidr(base: u32, prefix: u8) -> String {
    format!("{}/{prefix}", Ipv4Addr::from(base))
}

// ---------------------------------------------------------------------------------------------
// Policies

/// A label selector; empty means `{}`.
#[derive(Debug, Default)]
struct Selector<'a> {
    labels: Vec<(&'a str, &'a str)>,
    exprs: Vec<Expr<'a>>,
}

impl<'a> Selector<'a> {
    fn all() -> Self {
        Self::default()
    }

    fn label(key: &'a str, value: &'a str) -> Self {
        Self {
            labels: vec![(key, value)],
            exprs: Vec::new(),
        }
    }

    fn and(mut self, key: &'a str, value: &'a str) -> Self {
        self.labels.push((key, value));
        self
    }

    fn expr(mut self, key: &'a str, operator: &'static str, values: &[&'a str]) -> Self {
        self.exprs.push(Expr {
            key,
            operator,
            values: values.to_vec(),
        });
        self
    }
}

#[derive(Debug)]
struct Expr<'a> {
    key: &'a str,
    operator: &'static str,
    values: Vec<&'a str>,
}

#[derive(Debug)]
enum Peer<'a> {
    Pods(Selector<'a>),
    Namespaces(Selector<'a>),
    /// Both selectors in one peer: pods matching the first in namespaces matching the second.
    PodsIn(Selector<'a>, Selector<'a>),
    Block(String, Vec<String>),
}

#[derive(Debug, Clone, Copy)]
enum PortRef {
    Number(u16),
    Name(&'static str),
}

#[derive(Debug, Clone, Copy)]
struct Port {
    protocol: Option<&'static str>,
    port: Option<PortRef>,
    end: Option<u16>,
}

const fn tcp(number: u16) -> Port {
    Port {
        protocol: Some("TCP"),
        port: Some(PortRef::Number(number)),
        end: None,
    }
}

const fn named(protocol: &'static str, name: &'static str) -> Port {
    Port {
        protocol: Some(protocol),
        port: Some(PortRef::Name(name)),
        end: None,
    }
}

const fn numbered(protocol: &'static str, number: u16) -> Port {
    Port {
        protocol: Some(protocol),
        port: Some(PortRef::Number(number)),
        end: None,
    }
}

const fn range(protocol: &'static str, first: u16, last: u16) -> Port {
    Port {
        protocol: Some(protocol),
        port: Some(PortRef::Number(first)),
        end: Some(last),
    }
}

/// One ingress or egress rule; `None` leaves the field out.
#[derive(Debug, Default)]
struct Rule<'a> {
    peers: Option<Vec<Peer<'a>>>,
    ports: Option<Vec<Port>>,
}

impl<'a> Rule<'a> {
    fn new(peers: Vec<Peer<'a>>, ports: Vec<Port>) -> Self {
        Self {
            peers: Some(peers),
            ports: Some(ports),
        }
    }

    fn peers_only(peers: Vec<Peer<'a>>) -> Self {
        Self {
            peers: Some(peers),
            ports: None,
        }
    }

    fn ports(ports: Vec<Port>) -> Self {
        Self {
            peers: None,
            ports: Some(ports),
        }
    }
}

#[derive(Debug)]
struct Policy<'a> {
    name: String,
    selector: Selector<'a>,
    types: Option<&'static [&'static str]>,
    /// Write `policyTypes` as a flow sequence.
    flow: bool,
    ingress: Option<Vec<Rule<'a>>>,
    egress: Option<Vec<Rule<'a>>>,
}

impl<'a> Policy<'a> {
    fn new(name: String, selector: Selector<'a>) -> Self {
        Self {
            name,
            selector,
            types: None,
            flow: false,
            ingress: None,
            egress: None,
        }
    }

    fn types(mut self, types: &'static [&'static str], flow: bool) -> Self {
        self.types = Some(types);
        self.flow = flow;
        self
    }

    fn ingress(mut self, rules: Vec<Rule<'a>>) -> Self {
        self.ingress = Some(rules);
        self
    }

    fn egress(mut self, rules: Vec<Rule<'a>>) -> Self {
        self.egress = Some(rules);
        self
    }
}

const INGRESS: &[&str] = &["Ingress"];
const EGRESS: &[&str] = &["Egress"];
const BOTH: &[&str] = &["Ingress", "Egress"];
const NAME_KEY: &str = "kubernetes.io/metadata.name";

/// The kinds of policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Template {
    DenyIngress,
    DenyEgress,
    DenyAll,
    DnsEgress,
    SameNamespaceApp,
    FromEnv,
    FromNamespaceName,
    NamespaceAndPod,
    NamespaceOrPod,
    Expressions,
    ClusterBlocks,
    Internet,
    PortRanges,
    Udp,
    Sctp,
    AllowAllIngress,
    PortsOnlyEgress,
    Metrics,
    FrontBackDb,
    SameNamespace,
    AllNamespaces,
}

/// The first policies, one of each kind.
const SCHEDULE: &[Template] = &[
    Template::DenyIngress,
    Template::DnsEgress,
    Template::SameNamespaceApp,
    Template::NamespaceAndPod,
    Template::Expressions,
    Template::FromNamespaceName,
    Template::ClusterBlocks,
    Template::Internet,
    Template::PortRanges,
    Template::Sctp,
    Template::Udp,
    Template::FromEnv,
    Template::NamespaceOrPod,
    Template::Metrics,
    Template::FrontBackDb,
    Template::DenyEgress,
    Template::AllowAllIngress,
    Template::PortsOnlyEgress,
    Template::DenyAll,
    Template::SameNamespace,
    Template::AllNamespaces,
];

/// How common each kind is after the schedule.
const MIX: &[(Template, usize)] = &[
    (Template::DenyIngress, 6),
    (Template::DenyEgress, 3),
    (Template::DenyAll, 3),
    (Template::DnsEgress, 6),
    (Template::SameNamespaceApp, 16),
    (Template::FromEnv, 6),
    (Template::FromNamespaceName, 6),
    (Template::NamespaceAndPod, 9),
    (Template::NamespaceOrPod, 4),
    (Template::Expressions, 6),
    (Template::ClusterBlocks, 4),
    (Template::Internet, 5),
    (Template::PortRanges, 3),
    (Template::Udp, 3),
    (Template::Sctp, 2),
    (Template::AllowAllIngress, 2),
    (Template::PortsOnlyEgress, 3),
    (Template::Metrics, 6),
    (Template::FrontBackDb, 8),
    (Template::SameNamespace, 3),
    (Template::AllNamespaces, 2),
];

fn pick_template(rng: &mut Rng) -> Template {
    let total: usize = MIX.iter().map(|(_, w)| w).sum();
    let mut target = rng.below(total);
    for (template, weight) in MIX {
        if target < *weight {
            return *template;
        }
        target -= weight;
    }
    Template::DenyIngress
}

/// The ports a client uses to reach `app`: named or numeric, protocol sometimes left to
/// default to TCP.
fn service_ports(app: &App, rng: &mut Rng) -> Vec<Port> {
    let mut ports = Vec::with_capacity(2);
    let flags = app.kind.ports;
    if flags & HTTP != 0 {
        ports.push(if rng.chance(50) {
            named("TCP", "http")
        } else {
            tcp(app.http)
        });
    }
    if flags & GRPC != 0 && (ports.is_empty() || rng.chance(50)) {
        ports.push(named("TCP", "grpc"));
    }
    if flags & POSTGRES != 0 {
        ports.push(tcp(5432));
    }
    if flags & MYSQL != 0 {
        ports.push(named("TCP", "mysql"));
    }
    if flags & REDIS != 0 {
        ports.push(named("TCP", "redis"));
    }
    if flags & MEMCACHED != 0 {
        ports.push(tcp(11211));
        ports.push(numbered("UDP", 11211));
    }
    if flags & STATSD != 0 {
        ports.push(named("UDP", "statsd"));
    }
    if flags & SCTP != 0 {
        ports.push(numbered("SCTP", 38412));
    }
    if ports.is_empty() {
        ports.push(if rng.chance(50) {
            named("TCP", "metrics")
        } else {
            tcp(9090)
        });
    }
    if rng.chance(30) {
        for port in &mut ports {
            if port.protocol == Some("TCP") {
                port.protocol = None;
            }
        }
    }
    ports
}

/// The policy of kind `template` for namespace `ns` (at `index`).
fn build<'a>(
    template: Template,
    cluster: &'a Cluster,
    index: usize,
    ns: &'a Ns,
    rng: &mut Rng,
) -> Policy<'a> {
    let any = |_: &App| true;
    let Some(target) = ns.app(rng, any) else {
        return Policy::new("default-deny-ingress".to_owned(), Selector::all())
            .types(INGRESS, false);
    };
    let target_name = target.kind.name;
    match template {
        Template::DenyIngress => Policy::new("default-deny-ingress".to_owned(), Selector::all())
            .types(INGRESS, rng.chance(50)),
        Template::DenyEgress => {
            Policy::new("default-deny-egress".to_owned(), Selector::all()).types(EGRESS, false)
        }
        Template::DenyAll => {
            Policy::new("default-deny-all".to_owned(), Selector::all()).types(BOTH, rng.chance(50))
        }
        Template::DnsEgress => {
            let ports = if rng.chance(50) {
                vec![named("UDP", "dns"), named("TCP", "dns-tcp")]
            } else {
                vec![numbered("UDP", 53), numbered("TCP", 53)]
            };
            let dns = Peer::PodsIn(
                Selector::label("k8s-app", "kube-dns"),
                Selector::label(NAME_KEY, "kube-system"),
            );
            Policy::new("allow-dns-egress".to_owned(), Selector::all())
                .types(EGRESS, false)
                .egress(vec![Rule::new(vec![dns], ports)])
        }
        Template::SameNamespaceApp => {
            let source = ns
                .app(rng, |a| a.kind.name != target_name)
                .unwrap_or(target);
            let policy = Policy::new(
                format!("allow-{}-to-{target_name}", source.kind.name),
                Selector::label("app", target_name),
            )
            .ingress(vec![Rule::new(
                vec![Peer::Pods(Selector::label("app", source.kind.name))],
                service_ports(target, rng),
            )]);
            if rng.chance(50) {
                policy
            } else {
                policy.types(INGRESS, false)
            }
        }
        Template::FromEnv => {
            let target = ns.app(rng, |a| a.kind.tier == "frontend").unwrap_or(target);
            let env = rng.word(ENVS);
            Policy::new(
                format!("allow-{env}-to-{}", target.kind.name),
                Selector::label("app", target.kind.name).and("tier", target.kind.tier),
            )
            .types(INGRESS, false)
            .ingress(vec![Rule::new(
                vec![Peer::Namespaces(Selector::label("env", env))],
                service_ports(target, rng),
            )])
        }
        Template::FromNamespaceName => {
            let other = cluster.other(index, rng);
            Policy::new(
                format!("allow-from-{}", other.name),
                Selector::label("app", target_name),
            )
            .ingress(vec![Rule::peers_only(vec![Peer::Namespaces(
                Selector::label(NAME_KEY, &other.name),
            )])])
        }
        Template::NamespaceAndPod => {
            let target = ns.app(rng, |a| a.kind.tier == "backend").unwrap_or(target);
            let other = cluster.other(index, rng);
            let source = other.app(rng, any).map_or("api", |a| a.kind.name);
            let namespaces = if rng.chance(50) {
                Selector::label("team", other.team)
            } else {
                Selector::label("team", other.team).and("env", other.env)
            };
            Policy::new(
                format!("allow-{}-{source}-to-{}", other.team, target.kind.name),
                Selector::label("app", target.kind.name),
            )
            .types(INGRESS, false)
            .ingress(vec![Rule::new(
                vec![Peer::PodsIn(Selector::label("app", source), namespaces)],
                service_ports(target, rng),
            )])
        }
        Template::NamespaceOrPod => {
            let env = rng.word(ENVS);
            Policy::new(
                format!("allow-{env}-or-frontend-to-{target_name}"),
                Selector::label("app", target_name),
            )
            .ingress(vec![Rule::new(
                vec![
                    Peer::Namespaces(Selector::label("env", env)),
                    Peer::Pods(Selector::label("tier", "frontend")),
                ],
                service_ports(target, rng),
            )])
        }
        Template::Expressions => {
            let mut selected = Selector::all().expr("tier", "In", &["backend", "worker"]);
            let mut namespaces = Selector::all().expr("env", "NotIn", &["dev"]);
            if rng.chance(50) {
                selected = selected.expr("track", "DoesNotExist", &[]);
            } else {
                namespaces = namespaces.expr("tier", "DoesNotExist", &[]);
            }
            let source = ns.app(rng, |a| a.kind.tier == "frontend").unwrap_or(target);
            let from = vec![
                Peer::PodsIn(Selector::all().expr("role", "Exists", &[]), namespaces),
                Peer::Pods(Selector::label("app", source.kind.name).expr(
                    "version",
                    "In",
                    &["v1", "v2"],
                )),
            ];
            let ports = if rng.chance(50) {
                vec![named("TCP", "http"), named("TCP", "grpc")]
            } else {
                vec![named("TCP", "metrics")]
            };
            Policy::new("restrict-backend-workers".to_owned(), selected)
                .types(BOTH, rng.chance(50))
                .ingress(vec![Rule::new(from, ports)])
                .egress(vec![Rule::peers_only(vec![Peer::Pods(
                    Selector::all().expr("tier", "In", &["db", "cache"]),
                )])])
        }
        Template::ClusterBlocks => {
            let other = cluster.other(index, rng);
            let mut peers = Vec::with_capacity(2);
            match other.block {
                Some((base, prefix)) => {
                    let inner = (prefix + 8).min(32);
                    peers.push(Peer::Block(cidr(base, prefix), vec![cidr(base, inner)]));
                }
                None => peers.push(Peer::Block("10.0.0.0/8".to_owned(), Vec::new())),
            }
            if other.pods > 0 {
                let ip = other.pod_ip(rng.below(other.pods));
                peers.push(Peer::Block(format!("{ip}/32"), Vec::new()));
            }
            Policy::new(
                format!("allow-{}-cidr-to-{target_name}", other.team),
                Selector::label("app", target_name),
            )
            .types(INGRESS, false)
            .ingress(vec![Rule::new(peers, service_ports(target, rng))])
        }
        Template::Internet => {
            let target = ns
                .app(rng, |a| matches!(a.kind.tier, "frontend" | "backend"))
                .unwrap_or(target);
            let mut except = vec!["10.0.0.0/8".to_owned(), "169.254.169.254/32".to_owned()];
            if rng.chance(50) {
                except.push("172.16.0.0/12".to_owned());
                except.push("192.168.0.0/16".to_owned());
            }
            let mut peers = vec![Peer::Block("0.0.0.0/0".to_owned(), except)];
            if rng.chance(40) {
                peers.push(Peer::Block("::/0".to_owned(), vec!["fc00::/7".to_owned()]));
            }
            Policy::new(
                format!("allow-{}-egress-internet", target.kind.name),
                Selector::label("app", target.kind.name),
            )
            .types(EGRESS, false)
            .egress(vec![Rule::new(peers, vec![tcp(443), tcp(80)])])
        }
        Template::PortRanges => {
            let block = match ns.cidr() {
                Some(own) => Peer::Block("10.0.0.0/8".to_owned(), vec![own]),
                None => Peer::Block("10.0.0.0/8".to_owned(), Vec::new()),
            };
            let ports = vec![
                range("TCP", 8000, 8100),
                range("UDP", 30000, 32767),
                range("TCP", 9090, 9090),
            ];
            Policy::new(
                format!("allow-port-ranges-to-{target_name}"),
                Selector::label("app", target_name),
            )
            .types(INGRESS, false)
            .ingress(vec![Rule::new(vec![block], ports)])
        }
        Template::Udp => {
            let sink = ns.apps.iter().find(|a| a.kind.ports & STATSD != 0);
            let (peer, port) = match sink {
                Some(sink) => (
                    Peer::Pods(Selector::label("app", sink.kind.name)),
                    named("UDP", "statsd"),
                ),
                None => (
                    Peer::Pods(Selector::label("tier", "worker")),
                    numbered("UDP", 8125),
                ),
            };
            let mut policy = Policy::new(
                format!("allow-{target_name}-statsd"),
                Selector::label("app", target_name),
            )
            .types(EGRESS, false)
            .egress(vec![Rule::new(vec![peer], vec![port])]);
            if let Some(cache) = ns.apps.iter().find(|a| a.kind.ports & MEMCACHED != 0) {
                policy = Policy::new(
                    format!("allow-{}-udp", cache.kind.name),
                    Selector::label("app", cache.kind.name),
                )
                .types(BOTH, true)
                .ingress(vec![Rule::new(
                    vec![Peer::Pods(Selector::label("tier", "backend"))],
                    vec![numbered("UDP", 11211), named("UDP", "memcache-udp")],
                )])
                .egress(policy.egress.unwrap_or_default());
            }
            policy
        }
        Template::Sctp => {
            let target = ns.app(rng, |a| a.kind.ports & SCTP != 0).unwrap_or(target);
            let env = rng.word(ENVS);
            Policy::new(
                format!("allow-sctp-to-{}", target.kind.name),
                Selector::label("app", target.kind.name),
            )
            .types(INGRESS, false)
            .ingress(vec![
                Rule::new(
                    vec![Peer::Namespaces(Selector::label("env", env))],
                    vec![numbered("SCTP", 38412), named("SCTP", "diameter")],
                ),
                Rule::new(
                    vec![Peer::Block("192.0.2.0/24".to_owned(), Vec::new())],
                    vec![range("SCTP", 36412, 36422)],
                ),
            ])
        }
        Template::AllowAllIngress => {
            let target = ns.app(rng, |a| a.kind.tier == "frontend").unwrap_or(target);
            Policy::new(
                format!("allow-all-to-{}", target.kind.name),
                Selector::label("app", target.kind.name),
            )
            .types(INGRESS, false)
            .ingress(vec![Rule::default()])
        }
        Template::PortsOnlyEgress => {
            let policy = Policy::new(
                format!("allow-{target_name}-egress-https"),
                Selector::label("app", target_name),
            )
            .egress(vec![Rule::ports(vec![tcp(443), numbered("TCP", 8443)])]);
            // Without policyTypes an egress rule makes this policy isolate ingress too.
            if rng.chance(30) {
                policy
            } else {
                policy.types(EGRESS, true)
            }
        }
        Template::Metrics => {
            let scraper = if rng.chance(70) {
                Peer::PodsIn(
                    Selector::label("app", "prometheus"),
                    Selector::label(NAME_KEY, "monitoring"),
                )
            } else {
                Peer::Namespaces(Selector::label("tier", "platform"))
            };
            let mut ports = vec![named("TCP", "metrics")];
            if rng.chance(40) {
                ports.push(tcp(9090));
            }
            Policy::new("allow-prometheus-scrape".to_owned(), Selector::all())
                .types(INGRESS, false)
                .ingress(vec![Rule::new(vec![scraper], ports)])
        }
        Template::FrontBackDb => {
            let target = ns.app(rng, |a| a.kind.tier == "backend").unwrap_or(target);
            let stores = if rng.chance(50) {
                Selector::all().expr("tier", "In", &["db", "cache"])
            } else {
                Selector::label("tier", "db")
            };
            let store_ports = vec![
                tcp(5432),
                Port {
                    protocol: None,
                    port: Some(PortRef::Name("redis")),
                    end: None,
                },
                tcp(3306),
            ];
            Policy::new(
                format!("{}-ingress-egress", target.kind.name),
                Selector::label("app", target.kind.name).and("tier", target.kind.tier),
            )
            .ingress(vec![Rule::new(
                vec![Peer::Pods(Selector::label("tier", "frontend"))],
                service_ports(target, rng),
            )])
            .egress(vec![Rule::new(vec![Peer::Pods(stores)], store_ports)])
        }
        Template::SameNamespace => Policy::new("allow-same-namespace".to_owned(), Selector::all())
            .types(INGRESS, false)
            .ingress(vec![Rule::peers_only(vec![Peer::Pods(Selector::all())])]),
        Template::AllNamespaces => Policy::new(
            format!("allow-all-namespaces-to-{target_name}"),
            Selector::label("app", target_name),
        )
        .ingress(vec![Rule::new(
            vec![Peer::Namespaces(Selector::all())],
            service_ports(target, rng),
        )]),
    }
}

/// `name`, or `name-2`, `name-3`… when the namespace already has a policy by that name.
fn unique_name(taken: &mut HashSet<String>, namespace: &str, name: String) -> String {
    let mut candidate = name.clone();
    let mut n = 1;
    while !taken.insert(format!("{namespace}/{candidate}")) {
        n += 1;
        candidate = format!("{name}-{n}");
    }
    candidate
}

// ---------------------------------------------------------------------------------------------
// Writing

/// Block-style YAML out: sequences at their key's indentation, as kubectl writes them.
#[derive(Debug)]
struct Yaml {
    out: String,
    /// The next line starts a sequence item (`- `).
    item: bool,
}

impl Yaml {
    /// Starts a line whose content is at `indent`.
    fn start(&mut self, indent: usize) {
        if self.item {
            self.item = false;
            self.out
                .extend(std::iter::repeat_n(' ', indent.saturating_sub(2)));
            self.out.push_str("- ");
        } else {
            self.out.extend(std::iter::repeat_n(' ', indent));
        }
    }

    /// `key: value`.
    fn kv(&mut self, indent: usize, key: &str, value: impl Display) {
        self.start(indent);
        // Writing to a String cannot fail.
        let _ = writeln!(self.out, "{key}: {value}");
    }

    /// `key:` opening a block.
    fn key(&mut self, indent: usize, key: &str) {
        self.start(indent);
        self.out.push_str(key);
        self.out.push_str(":\n");
    }

    /// `- value` of a sequence whose key is at `indent - 2`.
    fn scalar_item(&mut self, indent: usize, value: impl Display) {
        self.item = true;
        self.start(indent);
        let _ = writeln!(self.out, "{value}");
    }

    fn document(&mut self, api_version: &str, kind: &str) {
        self.out.push_str("---\napiVersion: ");
        self.out.push_str(api_version);
        self.out.push_str("\nkind: ");
        self.out.push_str(kind);
        self.out.push('\n');
    }
}

fn write_namespace(y: &mut Yaml, ns: &Ns) {
    y.document("v1", "Namespace");
    y.key(0, "metadata");
    y.kv(2, "name", &ns.name);
    y.key(2, "labels");
    y.kv(4, NAME_KEY, &ns.name);
    if !ns.team.is_empty() {
        y.kv(4, "team", ns.team);
    }
    if !ns.env.is_empty() {
        y.kv(4, "env", ns.env);
    }
    if ns.platform {
        y.kv(4, "tier", "platform");
    }
}

/// A container port: name (if any), number, protocol.
type ContainerPort = (Option<&'static str>, u16, &'static str);

fn container_ports(app: &App, frontend_tls: bool) -> Vec<ContainerPort> {
    let flags = app.kind.ports;
    let mut ports: Vec<ContainerPort> = Vec::with_capacity(4);
    let table: [(u16, &[ContainerPort]); 11] = [
        (HTTP, &[(Some("http"), 0, "TCP")]),
        (GRPC, &[(Some("grpc"), 50051, "TCP")]),
        (POSTGRES, &[(Some("postgres"), 5432, "TCP")]),
        (MYSQL, &[(Some("mysql"), 3306, "TCP")]),
        (REDIS, &[(Some("redis"), 6379, "TCP")]),
        (
            MEMCACHED,
            &[
                (Some("memcache"), 11211, "TCP"),
                (Some("memcache-udp"), 11211, "UDP"),
            ],
        ),
        (STATSD, &[(Some("statsd"), 8125, "UDP")]),
        (
            SCTP,
            &[
                (Some("ngap"), 38412, "SCTP"),
                (Some("diameter"), 3868, "SCTP"),
            ],
        ),
        (
            DNS,
            &[
                (Some("dns"), 53, "UDP"),
                (Some("dns-tcp"), 53, "TCP"),
                (Some("metrics"), 9153, "TCP"),
            ],
        ),
        (PROMETHEUS, &[(Some("web"), 9090, "TCP")]),
        (METRICS, &[(Some("metrics"), 9090, "TCP")]),
    ];
    for (flag, entries) in table {
        if flags & flag != 0 {
            ports.extend(entries.iter().map(|&(name, number, protocol)| {
                (name, if number == 0 { app.http } else { number }, protocol)
            }));
        }
    }
    if frontend_tls {
        ports.push((None, 8443, "TCP"));
    }
    ports
}

fn write_ports(y: &mut Yaml, ports: &[ContainerPort]) {
    if ports.is_empty() {
        return;
    }
    y.key(4, "ports");
    for (name, number, protocol) in ports {
        y.item = true;
        if let Some(name) = name {
            y.kv(6, "name", name);
        }
        y.kv(6, "containerPort", number);
        y.kv(6, "protocol", protocol);
    }
}

/// The pods of a namespace; labels and containers come from a generator of the namespace's
/// own (`rng`).
fn write_pods(y: &mut Yaml, ns: &Ns, mut rng: Rng) {
    let image_team = if ns.team.is_empty() {
        "platform"
    } else {
        ns.team
    };
    for app in &ns.apps {
        let frontend_tls = app.kind.tier == "frontend" && rng.chance(40);
        let ports = container_ports(app, frontend_tls);
        let role_kind = match app.kind.tier {
            _ if ns.system => 0,
            "db" | "cache" => 1,
            _ if rng.chance(20) => 2,
            _ => 0,
        };
        for n in 0..app.pods {
            let canary = n > 0 && app.kind.tier != "db" && rng.chance(10);
            let version = app.version + usize::from(canary);
            y.document("v1", "Pod");
            y.key(0, "metadata");
            y.start(2);
            let _ = writeln!(y.out, "name: {}-{n}", app.kind.name);
            y.kv(2, "namespace", &ns.name);
            y.key(2, "labels");
            if app.kind.ports & DNS != 0 {
                y.kv(4, "k8s-app", "kube-dns");
            } else {
                y.kv(4, "app", app.kind.name);
                y.kv(4, "tier", app.kind.tier);
            }
            y.start(4);
            let _ = writeln!(y.out, "version: v{version}");
            match role_kind {
                1 => y.kv(4, "role", if n == 0 { "primary" } else { "replica" }),
                2 => y.kv(4, "role", if n % 2 == 0 { "edge" } else { "internal" }),
                _ => {}
            }
            if canary {
                y.kv(4, "track", "canary");
            }
            y.key(0, "spec");
            y.key(2, "containers");
            y.item = true;
            y.kv(4, "name", app.kind.name);
            y.start(4);
            let _ = writeln!(
                y.out,
                "image: registry.example.com/{image_team}/{}:v{version}",
                app.kind.name
            );
            write_ports(y, &ports);
            if app.sidecar {
                y.item = true;
                y.kv(4, "name", "envoy");
                y.kv(4, "image", "envoyproxy/envoy:v1.31.2");
                write_ports(
                    y,
                    &[
                        (Some("envoy-admin"), 15000, "TCP"),
                        (Some("envoy-prom"), 15090, "TCP"),
                    ],
                );
            }
            let ip = ns.pod_ip(app.first + n);
            y.key(0, "status");
            y.kv(2, "phase", "Running");
            y.kv(2, "podIP", ip);
            y.key(2, "podIPs");
            y.item = true;
            y.kv(4, "ip", ip);
        }
    }
}

fn write_selector(y: &mut Yaml, indent: usize, key: &str, selector: &Selector<'_>) {
    if selector.labels.is_empty() && selector.exprs.is_empty() {
        y.kv(indent, key, "{}");
        return;
    }
    y.key(indent, key);
    if !selector.labels.is_empty() {
        y.key(indent + 2, "matchLabels");
        for (k, v) in &selector.labels {
            y.kv(indent + 4, k, v);
        }
    }
    if !selector.exprs.is_empty() {
        y.key(indent + 2, "matchExpressions");
        for expr in &selector.exprs {
            y.item = true;
            y.kv(indent + 4, "key", expr.key);
            y.kv(indent + 4, "operator", expr.operator);
            match expr.values.as_slice() {
                [] => {}
                [one] => {
                    y.key(indent + 4, "values");
                    y.scalar_item(indent + 6, one);
                }
                several => {
                    y.start(indent + 4);
                    y.out.push_str("values: [");
                    y.out.push_str(&several.join(", "));
                    y.out.push_str("]\n");
                }
            }
        }
    }
}

/// A CIDR as a YAML scalar: IPv6 ones quoted.
fn cidr_text(cidr: &str) -> Cow<'_, str> {
    if cidr.contains(':') {
        Cow::Owned(format!("\"{cidr}\""))
    } else {
        Cow::Borrowed(cidr)
    }
}

fn write_peer(y: &mut Yaml, indent: usize, peer: &Peer<'_>) {
    y.item = true;
    match peer {
        Peer::Pods(pods) => write_selector(y, indent, "podSelector", pods),
        Peer::Namespaces(namespaces) => write_selector(y, indent, "namespaceSelector", namespaces),
        Peer::PodsIn(pods, namespaces) => {
            write_selector(y, indent, "namespaceSelector", namespaces);
            write_selector(y, indent, "podSelector", pods);
        }
        Peer::Block(cidr, except) => {
            y.key(indent, "ipBlock");
            y.kv(indent + 2, "cidr", cidr_text(cidr));
            if !except.is_empty() {
                y.key(indent + 2, "except");
                for entry in except {
                    y.scalar_item(indent + 4, cidr_text(entry));
                }
            }
        }
    }
}

fn write_rules(y: &mut Yaml, key: &str, peers_key: &str, rules: &[Rule<'_>]) {
    if rules.is_empty() {
        y.kv(2, key, "[]");
        return;
    }
    y.key(2, key);
    for rule in rules {
        y.item = true;
        if rule.peers.is_none() && rule.ports.is_none() {
            y.start(4);
            y.out.push_str("{}\n");
            continue;
        }
        if let Some(peers) = &rule.peers {
            y.key(4, peers_key);
            for peer in peers {
                write_peer(y, 6, peer);
            }
        }
        if let Some(ports) = &rule.ports {
            y.key(4, "ports");
            for port in ports {
                y.item = true;
                if let Some(protocol) = port.protocol {
                    y.kv(6, "protocol", protocol);
                }
                match port.port {
                    Some(PortRef::Number(number)) => y.kv(6, "port", number),
                    Some(PortRef::Name(name)) => y.kv(6, "port", name),
                    None => {}
                }
                if let Some(end) = port.end {
                    y.kv(6, "endPort", end);
                }
            }
        }
    }
}

fn write_policy(y: &mut Yaml, ns: &Ns, policy: &Policy<'_>) {
    y.document("networking.k8s.io/v1", "NetworkPolicy");
    y.key(0, "metadata");
    y.kv(2, "name", &policy.name);
    y.kv(2, "namespace", &ns.name);
    y.key(0, "spec");
    write_selector(y, 2, "podSelector", &policy.selector);
    if let Some(types) = policy.types {
        if policy.flow {
            y.start(2);
            y.out.push_str("policyTypes: [");
            y.out.push_str(&types.join(", "));
            y.out.push_str("]\n");
        } else {
            y.key(2, "policyTypes");
            for t in types {
                y.scalar_item(4, t);
            }
        }
    }
    if let Some(rules) = &policy.ingress {
        write_rules(y, "ingress", "from", rules);
    }
    if let Some(rules) = &policy.egress {
        write_rules(y, "egress", "to", rules);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{LoadLimits, Severity, ValidationProfile, Workspace};

    fn spec(pods: usize, policies: usize, seed: u64) -> SynthSpec {
        SynthSpec {
            pods,
            policies,
            namespaces: None,
            seed,
        }
    }

    fn count(text: &str, kind: &str) -> usize {
        let line = format!("kind: {kind}");
        text.lines().filter(|l| *l == line).count()
    }

    fn errors(text: &str) -> Vec<String> {
        let mut workspace = Workspace::new(LoadLimits::default());
        workspace.add_file("synth.yaml", text.as_bytes());
        workspace
            .check(&ValidationProfile::default())
            .into_iter()
            .filter(|d| d.severity == Severity::Error)
            .map(|d| format!("{}: {} at {:?}", d.rule.code, d.message, d.path))
            .collect()
    }

    #[test]
    fn same_seed_same_text() {
        let a = generate(&spec(300, 60, 7));
        let b = generate(&spec(300, 60, 7));
        assert_eq!(a, b);
    }

    #[test]
    fn different_seed_different_text() {
        assert_ne!(generate(&spec(300, 60, 7)), generate(&spec(300, 60, 8)));
        assert_ne!(
            generate(&spec(300, 60, 0)),
            generate(&spec(300, 60, u64::MAX))
        );
    }

    #[test]
    fn counts_match_the_spec() {
        for (pods, policies, namespaces) in [
            (0, 0, None),
            (1, 1, None),
            (7, 3, Some(1)),
            (100, 20, None),
            (1000, 250, Some(12)),
        ] {
            let text = generate(&SynthSpec {
                pods,
                policies,
                namespaces,
                seed: 3,
            });
            assert_eq!(count(&text, "Pod"), pods);
            assert_eq!(count(&text, "NetworkPolicy"), policies);
            let expected = namespaces.unwrap_or((pods / 100).max(3)) + 2;
            assert_eq!(count(&text, "Namespace"), expected);
        }
    }

    #[test]
    fn output_validates_cleanly() {
        for (pods, policies, seed) in [(0, 5, 1), (15, 30, 2), (100, 20, 1), (800, 400, 9)] {
            let text = generate(&spec(pods, policies, seed));
            assert_eq!(errors(&text), Vec::<String>::new(), "seed {seed}");
        }
    }

    #[test]
    fn every_feature_appears() {
        let text = generate(&spec(100, 21, 1));
        for needle in [
            "podSelector: {}",
            "- Egress",
            "policyTypes: [",
            "namespaceSelector: {}",
            "kubernetes.io/metadata.name: kube-system",
            "operator: In",
            "operator: NotIn",
            "operator: Exists",
            "operator: DoesNotExist",
            "except:",
            "- 169.254.169.254/32",
            "endPort:",
            "port: http",
            "protocol: UDP",
            "protocol: SCTP",
            "  - {}",
            "k8s-app: kube-dns",
            "track: canary",
        ] {
            assert!(text.contains(needle), "missing {needle:?}");
        }
    }

    #[test]
    fn pod_ips_are_unique() {
        for namespaces in [None, Some(300)] {
            let text = generate(&SynthSpec {
                pods: 3000,
                policies: 0,
                namespaces,
                seed: 5,
            });
            let ips: Vec<&str> = text
                .lines()
                .filter_map(|l| l.strip_prefix("  podIP: "))
                .collect();
            let unique: HashSet<&str> = ips.iter().copied().collect();
            assert_eq!(ips.len(), 3000);
            assert_eq!(unique.len(), 3000);
        }
    }

    #[test]
    fn pod_names_are_unique_per_namespace() {
        let text = generate(&spec(2000, 0, 4));
        let mut seen = HashSet::new();
        let mut name = "";
        for line in text.lines() {
            if let Some(n) = line.strip_prefix("  name: ") {
                name = n;
            } else if let Some(ns) = line.strip_prefix("  namespace: ") {
                assert!(seen.insert((ns, name)), "{ns}/{name}");
            }
        }
        assert_eq!(seen.len(), 2000);
    }

    #[test]
    fn addresses_fall_back_to_a_row_when_blocks_do_not_fit() {
        // 5,000 namespaces (13 bits) and one with 4,096 pods (13 bits): no aligned blocks.
        let mut namespaces: Vec<Ns> = (0..5000)
            .map(|i| system_ns("ns", &COREDNS, if i == 7 { 4096 } else { 3 }))
            .collect();
        assign_addresses(&mut namespaces);
        assert!(namespaces.iter().all(|ns| ns.block.is_none()));
        let mut ips = HashSet::new();
        for ns in &namespaces {
            for i in 0..ns.pods {
                let ip = ns.pod_ip(i);
                assert!(ip.octets()[0] == 10 && ips.insert(ip), "{ip}");
            }
        }
        // Blocks that fit: aligned, disjoint, each pod inside its own.
        let mut namespaces: Vec<Ns> = (0..300)
            .map(|i| system_ns("ns", &COREDNS, if i == 7 { 10_000 } else { 3 }))
            .collect();
        assign_addresses(&mut namespaces);
        for ns in &namespaces {
            let (base, prefix) = ns.block.unwrap();
            assert_eq!(prefix, 17);
            let last = u32::from(ns.pod_ip(ns.pods - 1));
            assert!(ns.first_ip > base && last < base + (1 << (32 - prefix)) - 1);
        }
    }

    /// `NETWARD_SYNTH_DUMP=/tmp/gen.yaml cargo test -p netward-core synth::tests::dump -- --ignored`
    #[test]
    #[ignore = "writes a file"]
    fn dump() {
        let path = std::env::var("NETWARD_SYNTH_DUMP").unwrap_or("/tmp/gen.yaml".to_owned());
        let pods = std::env::var("NETWARD_SYNTH_PODS").map_or(5000, |v| v.parse().unwrap());
        let policies = std::env::var("NETWARD_SYNTH_POLICIES").map_or(1000, |v| v.parse().unwrap());
        let seed = std::env::var("NETWARD_SYNTH_SEED").map_or(1, |v| v.parse().unwrap());
        let started = std::time::Instant::now();
        let text = generate(&spec(pods, policies, seed));
        eprintln!("{} bytes in {:?}", text.len(), started.elapsed());
        std::fs::write(path, text).unwrap();
    }
}
