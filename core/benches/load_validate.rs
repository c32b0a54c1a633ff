//! Throughput of loading and validating a large, realistic manifest set.
//!
//! The input is generated deterministically (a fixed-seed xorshift generator, no `rand`):
//! 10,000 YAML objects in one multi-document file (Namespaces, Services, Deployments,
//! NetworkPolicies, Ingresses, ~5% with an invalid value), and 2,000 objects as JSON `kind:
//! List` files. Groups:
//!
//! - `parser_only`: saphyr-parser event iteration over the YAML text (the floor),
//! - `load_only`: `Workspace::add_file` (parse into spanned trees; also without the time to
//!   free them),
//! - `check_only`: `Workspace::check` on an already loaded workspace,
//! - `load_and_check`: `add_file` + `Workspace::check` (decode and validate everything),
//! - `lint_check`: `lint::check` with every lint rule (validation, the cluster snapshot, the
//!   compiled NetworkPolicy engine and all rules) on an already loaded workspace, and
//!   `load_and_lint` including the load: what `netward check` does.
//!
//! Set `NETWARD_BENCH_DUMP=/some/file.yaml` to write the generated YAML out.
//!
//! Run with `cargo bench -p netward-core --bench load_validate`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkGroup, Criterion, Throughput};
use netward_core::{LoadLimits, ValidationProfile, Workspace};
use serde_json::{json, Map, Value};

/// Objects in the YAML stream.
const YAML_OBJECTS: usize = 10_000;
/// Objects in the JSON files.
const JSON_OBJECTS: usize = 2_000;
/// Objects per JSON `kind: List` file (keeps each file under the 3 MiB document limit).
const JSON_OBJECTS_PER_FILE: usize = 250;

/// The allocator the `netward` binary ships with, so the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../tests/support/rng.rs"]
mod rng;
use rng::Rng;

/// A generated manifest set.
struct Corpus {
    /// The objects, in order.
    objects: Vec<Value>,
    /// How many of them carry a deliberately invalid value.
    invalid: usize,
}

const TIERS: &[&str] = &["frontend", "backend", "cache", "db", "worker"];
const ENVS: &[&str] = &["prod", "staging", "dev"];
const TEAMS: usize = 40;

/// Builds `count` objects: ~5% Namespaces, 30% Services, 25% Deployments, 25%
/// NetworkPolicies, 15% Ingresses. About 7% of the validated kinds (Service, NetworkPolicy,
/// Ingress: 70% of the objects) get one invalid value, so ~5% of all objects are invalid.
fn corpus(count: usize, seed: u64) -> Corpus {
    let mut rng = Rng::new(seed);
    let mut objects = Vec::with_capacity(count);
    let mut invalid = 0;
    for i in 0..count {
        let ns = format!("team-{}", rng.below(TEAMS as u64));
        let roll = rng.below(100);
        let bad = (5..75).contains(&roll) && rng.chance(7);
        invalid += usize::from(bad);
        let object = match roll {
            0..=4 => namespace(&mut rng, i),
            5..=34 => service(&mut rng, i, &ns, bad),
            35..=59 => network_policy(&mut rng, i, &ns, bad),
            60..=74 => ingress(&mut rng, i, &ns, bad),
            _ => deployment(&mut rng, i, &ns),
        };
        objects.push(object);
    }
    Corpus { objects, invalid }
}

fn labels(rng: &mut Rng, app: &str) -> Value {
    let mut map = Map::new();
    map.insert("app".into(), json!(app));
    map.insert("tier".into(), json!(rng.pick(TIERS)));
    if rng.chance(60) {
        map.insert("env".into(), json!(rng.pick(ENVS)));
    }
    if rng.chance(40) {
        map.insert("app.kubernetes.io/managed-by".into(), json!("helm"));
        map.insert(
            "app.kubernetes.io/version".into(),
            json!(format!("1.{}.{}", rng.below(30), rng.below(10))),
        );
    }
    Value::Object(map)
}

fn metadata(rng: &mut Rng, name: &str, ns: Option<&str>, app: &str) -> Value {
    let mut meta = Map::new();
    meta.insert("name".into(), json!(name));
    if let Some(ns) = ns {
        meta.insert("namespace".into(), json!(ns));
    }
    meta.insert("labels".into(), labels(rng, app));
    if rng.chance(50) {
        meta.insert(
            "annotations".into(),
            json!({
                "description": format!("{app} owned by {}, generated for the netward benchmark", ns.unwrap_or("the platform team")),
                "example.com/owner": format!("owner-{}@example.com", rng.below(200)),
            }),
        );
    }
    Value::Object(meta)
}

fn namespace(rng: &mut Rng, i: usize) -> Value {
    let name = format!("ns-{i}");
    json!({
        "apiVersion": "v1",
        "kind": "Namespace",
        "metadata": metadata(rng, &name, None, &name),
    })
}

fn service(rng: &mut Rng, i: usize, ns: &str, bad: bool) -> Value {
    let app = format!("app-{i}");
    let type_ = rng.pick(&["ClusterIP", "ClusterIP", "NodePort", "LoadBalancer"]);
    let node_ports = type_ != "ClusterIP";
    let mut ports =
        vec![json!({"name": "http", "protocol": "TCP", "port": 80, "targetPort": "http"})];
    if rng.chance(60) {
        ports.push(json!({"name": "https", "protocol": "TCP", "port": 443, "targetPort": 8443}));
    }
    if rng.chance(40) {
        ports.push(
            json!({"name": "metrics", "port": 9090, "targetPort": 9090, "appProtocol": "http"}),
        );
    }
    if rng.chance(10) {
        ports.push(json!({"name": "dns", "protocol": "UDP", "port": 53, "targetPort": 5353}));
    }
    if node_ports {
        for (k, port) in ports.iter_mut().enumerate() {
            port["nodePort"] = json!(30_000 + (i * 7 + k) % 2_700);
        }
    }
    if bad {
        let port = &mut ports[0];
        match rng.below(5) {
            0 => port["port"] = json!(70_000),
            1 => port["protocol"] = json!("TCPX"),
            2 => port["targetPort"] = json!("not_a_name"),
            3 => port["port"] = json!("abc"),
            _ => port["name"] = json!("HTTP_Port"),
        }
    }
    let mut spec = json!({
        "type": type_,
        "selector": {"app": app, "tier": rng.pick(TIERS)},
        "ports": ports,
    });
    if type_ == "LoadBalancer" && rng.chance(50) {
        spec["loadBalancerSourceRanges"] =
            json!(["10.0.0.0/8", format!("192.168.{}.0/24", rng.below(256))]);
        spec["externalTrafficPolicy"] = json!("Cluster");
    }
    if rng.chance(20) {
        spec["sessionAffinity"] = json!("ClientIP");
    }
    json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": metadata(rng, &format!("svc-{i}"), Some(ns), &app),
        "spec": spec,
    })
}

fn deployment(rng: &mut Rng, i: usize, ns: &str) -> Value {
    let app = format!("app-{i}");
    let mut ports = vec![json!({"name": "http", "containerPort": 8080, "protocol": "TCP"})];
    if rng.chance(50) {
        ports.push(json!({"name": "metrics", "containerPort": 9090}));
    }
    let mut containers = vec![json!({
        "name": "main",
        "image": format!("registry.example.com/{ns}/{app}:1.{}.{}", rng.below(20), rng.below(10)),
        "args": ["--port=8080", format!("--log-level={}", rng.pick(&["info", "debug", "warn"]))],
        "ports": ports,
        "env": [
            {"name": "LOG_FORMAT", "value": "json"},
            {"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}},
        ],
        "resources": {
            "requests": {"cpu": "100m", "memory": "128Mi"},
            "limits": {"cpu": "1", "memory": "512Mi"},
        },
        "readinessProbe": {"httpGet": {"path": "/healthz", "port": "http"}, "periodSeconds": 10},
    })];
    if rng.chance(30) {
        containers.push(json!({
            "name": "sidecar",
            "image": "registry.example.com/proxy:2.1.0",
            "ports": [{"name": "proxy", "containerPort": 15001}],
        }));
    }
    json!({
        "apiVersion": "apps/v1",
        "kind": "Deployment",
        "metadata": metadata(rng, &app, Some(ns), &app),
        "spec": {
            "replicas": 1 + rng.below(5),
            "selector": {"matchLabels": {"app": app}},
            "template": {
                "metadata": {"labels": {"app": app, "tier": rng.pick(TIERS)}},
                "spec": {"containers": containers},
            },
        },
    })
}

fn network_policy(rng: &mut Rng, i: usize, ns: &str, bad: bool) -> Value {
    let app = format!("app-{i}");
    let mut from = vec![json!({"podSelector": {"matchLabels": {"tier": rng.pick(TIERS)}}})];
    if rng.chance(60) {
        from.push(json!({
            "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": format!("team-{}", rng.below(TEAMS as u64))}},
            "podSelector": {"matchExpressions": [{"key": "role", "operator": "In", "values": ["api", "web"]}]},
        }));
    }
    if rng.chance(40) {
        let net = rng.below(256);
        from.push(json!({"ipBlock": {"cidr": format!("10.{net}.0.0/16"), "except": [format!("10.{net}.3.0/24")]}}));
    }
    let mut ports = vec![json!({"protocol": "TCP", "port": 8080})];
    if rng.chance(30) {
        ports.push(json!({"protocol": "TCP", "port": 32000, "endPort": 32768}));
    }
    if rng.chance(30) {
        ports.push(json!({"port": "metrics"}));
    }
    if bad {
        match rng.below(4) {
            0 => ports[0]["endPort"] = json!(80),
            1 => ports[0]["protocol"] = json!("ICMP"),
            2 => from[0] = json!({"ipBlock": {"cidr": "10.0.0.300/16"}}),
            _ => ports[0]["port"] = json!(0),
        }
    }
    let mut spec = json!({
        "podSelector": {"matchLabels": {"app": app}},
        "policyTypes": ["Ingress"],
        "ingress": [{"from": from, "ports": ports}],
    });
    if rng.chance(50) {
        spec["policyTypes"] = json!(["Ingress", "Egress"]);
        spec["egress"] = json!([
            {"to": [{"namespaceSelector": {}, "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}}}],
             "ports": [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]},
            {"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["169.254.169.254/32"]}}],
             "ports": [{"protocol": "TCP", "port": 443}]},
        ]);
    }
    json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "NetworkPolicy",
        "metadata": metadata(rng, &format!("allow-{app}"), Some(ns), &app),
        "spec": spec,
    })
}

fn ingress(rng: &mut Rng, i: usize, ns: &str, bad: bool) -> Value {
    let app = format!("app-{i}");
    let host = format!("{app}.{}.example.com", rng.pick(ENVS));
    let mut paths = vec![json!({
        "path": "/",
        "pathType": "Prefix",
        "backend": {"service": {"name": format!("svc-{i}"), "port": {"name": "http"}}},
    })];
    if rng.chance(50) {
        paths.push(json!({
            "path": "/api",
            "pathType": "ImplementationSpecific",
            "backend": {"service": {"name": format!("svc-{i}"), "port": {"number": 8080}}},
        }));
    }
    let mut rules = vec![json!({"host": host, "http": {"paths": paths}})];
    if bad {
        match rng.below(3) {
            0 => rules[0]["http"]["paths"][0]["pathType"] = json!("Glob"),
            1 => rules[0]["host"] = json!("*.*.example.com"),
            _ => rules[0]["http"]["paths"][0]["path"] = json!("api"),
        }
    }
    let mut spec = json!({"ingressClassName": "nginx", "rules": rules});
    if rng.chance(60) {
        spec["tls"] = json!([{"hosts": [host], "secretName": format!("{app}-tls")}]);
    }
    let mut meta = metadata(rng, &format!("web-{i}"), Some(ns), &app);
    meta["annotations"] = json!({"nginx.ingress.kubernetes.io/rewrite-target": "/"});
    json!({
        "apiVersion": "networking.k8s.io/v1",
        "kind": "Ingress",
        "metadata": meta,
        "spec": spec,
    })
}

/// Writes objects as a `---`-separated YAML stream, block style with some flow-style small
/// maps and lists and an occasional comment, the way hand-written and Helm-rendered
/// manifests look.
fn to_yaml(objects: &[Value], rng: &mut Rng) -> String {
    let mut out = String::new();
    for (i, object) in objects.iter().enumerate() {
        out.push_str("---\n");
        if i % 7 == 0 {
            out.push_str(&format!("# Source: chart/templates/object-{i}.yaml\n"));
        }
        write_block(&mut out, object, 0, rng);
    }
    out
}

fn write_block(out: &mut String, value: &Value, indent: usize, rng: &mut Rng) {
    match value {
        Value::Object(map) => {
            for (key, value) in map {
                out.push_str(&" ".repeat(indent));
                out.push_str(&scalar_text(key));
                out.push(':');
                write_value(out, value, indent, rng);
            }
        }
        Value::Array(items) => {
            for item in items {
                out.push_str(&" ".repeat(indent));
                out.push('-');
                match item {
                    Value::Object(map) if !map.is_empty() => {
                        // `- key: value` with the rest of the mapping aligned under `key`.
                        let mut first = String::new();
                        write_block(&mut first, item, indent + 2, rng);
                        out.push(' ');
                        out.push_str(first.get(indent + 2..).unwrap_or_default());
                    }
                    _ => write_value(out, item, indent, rng),
                }
            }
        }
        other => {
            out.push_str(&" ".repeat(indent));
            out.push_str(&flow(other));
            out.push('\n');
        }
    }
}

/// Writes the value of a key or list item (after `key:` or `-`).
fn write_value(out: &mut String, value: &Value, indent: usize, rng: &mut Rng) {
    let small_scalars = |n: usize| match value {
        Value::Object(m) => m.len() <= n && m.values().all(|v| !v.is_object() && !v.is_array()),
        Value::Array(a) => a.len() <= n && a.iter().all(|v| !v.is_object() && !v.is_array()),
        _ => false,
    };
    match value {
        Value::Object(m) if m.is_empty() => out.push_str(" {}\n"),
        Value::Array(a) if a.is_empty() => out.push_str(" []\n"),
        Value::Object(_) | Value::Array(_) if small_scalars(3) && rng.chance(25) => {
            out.push(' ');
            out.push_str(&flow(value));
            out.push('\n');
        }
        Value::Object(_) => {
            out.push('\n');
            write_block(out, value, indent + 2, rng);
        }
        Value::Array(_) => {
            out.push('\n');
            // Kubernetes style: list items at the key's indentation.
            write_block(out, value, indent, rng);
        }
        scalar => {
            out.push(' ');
            out.push_str(&flow(scalar));
            out.push('\n');
        }
    }
}

/// A value in flow style.
fn flow(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => scalar_text(s),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(flow).collect::<Vec<_>>().join(", ")
        ),
        Value::Object(map) => format!(
            "{{{}}}",
            map.iter()
                .map(|(k, v)| format!("{}: {}", scalar_text(k), flow(v)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// A string as a plain scalar when that reads back as the same string, else double-quoted.
fn scalar_text(s: &str) -> String {
    let plain = s
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '/')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./@=".contains(c))
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null"
        );
    if plain {
        s.to_owned()
    } else {
        serde_json::to_string(s).unwrap()
    }
}

/// The objects as pretty-printed JSON `kind: List` files (as `kubectl get -o json` writes).
fn to_json_files(objects: &[Value]) -> Vec<String> {
    objects
        .chunks(JSON_OBJECTS_PER_FILE)
        .map(|items| {
            serde_json::to_string_pretty(
                &json!({"apiVersion": "v1", "kind": "List", "items": items}),
            )
            .unwrap()
        })
        .collect()
}

fn load(files: &[(String, String)]) -> Workspace {
    let mut workspace = Workspace::new(LoadLimits::default());
    for (name, text) in files {
        workspace.add_file(name.as_str(), text.as_bytes());
    }
    workspace
}

fn configure(group: &mut BenchmarkGroup<'_, criterion::measurement::WallTime>, bytes: usize) {
    group.sample_size(10);
    group.warm_up_time(Duration::from_secs(1));
    group.measurement_time(Duration::from_secs(10));
    group.throughput(Throughput::Bytes(bytes as u64));
}

fn benches(c: &mut Criterion) {
    let yaml_corpus = corpus(YAML_OBJECTS, 0x5EED_CAFE_F00D_0001);
    let yaml = to_yaml(&yaml_corpus.objects, &mut Rng::new(0x5EED_0002));
    let yaml_files = vec![("manifests.yaml".to_owned(), yaml.clone())];
    let json_corpus = corpus(JSON_OBJECTS, 0x5EED_CAFE_F00D_0003);
    let json_files: Vec<(String, String)> = to_json_files(&json_corpus.objects)
        .into_iter()
        .enumerate()
        .map(|(i, text)| (format!("list-{i}.json"), text))
        .collect();
    let json_bytes: usize = json_files.iter().map(|(_, t)| t.len()).sum();
    if let Ok(path) = std::env::var("NETWARD_BENCH_DUMP") {
        // Look at the generated input: `NETWARD_BENCH_DUMP=/tmp/corpus.yaml cargo bench ...`.
        std::fs::write(&path, &yaml).unwrap();
    }

    // Sanity: everything loads, every object is found, and the invalid ones are reported.
    let profile = ValidationProfile::default();
    for (label, files, corpus) in [
        ("yaml", &yaml_files, &yaml_corpus),
        ("json", &json_files, &json_corpus),
    ] {
        let workspace = load(files);
        let diagnostics = workspace.check(&profile);
        let documents: usize = workspace.files().iter().map(|f| f.documents.len()).sum();
        let errors = diagnostics
            .iter()
            .filter(|d| d.severity == netward_core::Severity::Error)
            .count();
        let bytes: usize = files.iter().map(|(_, t)| t.len()).sum();
        eprintln!(
            "{label}: {bytes} bytes, {} files, {documents} documents, {} objects ({} generated invalid), {} diagnostics ({errors} errors)",
            files.len(),
            workspace.objects().len(),
            corpus.invalid,
            diagnostics.len(),
        );
        assert_eq!(
            workspace.objects().len(),
            corpus.objects.len(),
            "{label}: objects lost"
        );
        assert!(
            workspace.files().iter().all(|f| f
                .problems
                .iter()
                .all(|p| p.kind != netward_core::source::ProblemKind::Syntax
                    && p.kind != netward_core::source::ProblemKind::LimitExceeded)),
            "{label}: load problems"
        );
        assert!(
            errors >= corpus.invalid,
            "{label}: fewer errors than invalid objects"
        );
    }

    let mut group = c.benchmark_group("parser_only");
    configure(&mut group, yaml.len());
    group.bench_function("yaml_10k", |b| {
        b.iter(|| {
            let mut parser = saphyr_parser::Parser::new_from_str(black_box(&yaml));
            let mut events = 0usize;
            while let Some(event) = parser.next_event() {
                black_box(event.unwrap());
                events += 1;
            }
            events
        });
    });
    group.finish();

    let mut group = c.benchmark_group("load_only");
    configure(&mut group, yaml.len());
    group.bench_function("yaml_10k", |b| b.iter(|| load(black_box(&yaml_files))));
    // The same, with freeing the trees left out of the timing.
    group.bench_function("yaml_10k_excluding_drop", |b| {
        b.iter_with_large_drop(|| load(black_box(&yaml_files)))
    });
    group.throughput(Throughput::Bytes(json_bytes as u64));
    group.bench_function("json_2k", |b| b.iter(|| load(black_box(&json_files))));
    group.finish();

    // Decoding and validation alone, on an already loaded workspace.
    let mut group = c.benchmark_group("check_only");
    configure(&mut group, yaml.len());
    let loaded = load(&yaml_files);
    group.bench_function("yaml_10k", |b| {
        b.iter(|| black_box(&loaded).check(&profile))
    });
    group.finish();
    drop(loaded);

    let mut group = c.benchmark_group("load_and_check");
    configure(&mut group, yaml.len());
    group.bench_function("yaml_10k", |b| {
        b.iter(|| {
            let workspace = load(black_box(&yaml_files));
            black_box(workspace.check(&profile));
            workspace
        })
    });
    group.throughput(Throughput::Bytes(json_bytes as u64));
    group.bench_function("json_2k", |b| {
        b.iter(|| {
            let workspace = load(black_box(&json_files));
            black_box(workspace.check(&profile));
            workspace
        })
    });
    group.finish();

    let options = netward_core::options::Options::default();
    let mut group = c.benchmark_group("lint_check");
    configure(&mut group, yaml.len());
    let loaded = load(&yaml_files);
    group.bench_function("yaml_10k", |b| {
        b.iter(|| black_box(netward_core::lint::check(black_box(&loaded), &options)))
    });
    group.finish();
    drop(loaded);
    let mut group = c.benchmark_group("load_and_lint");
    configure(&mut group, yaml.len());
    group.bench_function("yaml_10k", |b| {
        b.iter(|| {
            let workspace = load(black_box(&yaml_files));
            black_box(netward_core::lint::check(&workspace, &options));
            workspace
        })
    });
    group.finish();
}

criterion_group!(load_validate, benches);
criterion_main!(load_validate);
