//! Runs the NetworkPolicy case files (`tests/netpol_cases/**/*.yaml`, plus the file or
//! directory named by `NETWARD_NETPOL_CASES`): each gives manifests, and expected matrices and
//! single answers, which the compiled evaluator must reproduce exactly.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};

use netward_core::netpol::{
    Cluster, Connection, Endpoint, Evaluator, Explainer, Protocol, ReachOptions,
};
use netward_core::report::PositionStyle;
use netward_core::source::{FileId, LoadLimits, Node, SourceFile, Value};
use netward_core::Workspace;

#[path = "support/case_yaml.rs"]
mod case_yaml;
use case_yaml::{node_to_json, text_field};

fn case_files() -> Vec<PathBuf> {
    let mut roots = vec![PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/netpol_cases")];
    if let Ok(extra) = std::env::var("NETWARD_NETPOL_CASES") {
        roots.push(PathBuf::from(extra));
    }
    let mut files = Vec::new();
    for root in roots {
        collect(&root, &mut files);
    }
    files.sort();
    files
}

fn collect(path: &Path, into: &mut Vec<PathBuf>) {
    if path.is_dir() {
        for entry in std::fs::read_dir(path).unwrap().filter_map(Result::ok) {
            collect(&entry.path(), into);
        }
    } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml")
        && !path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with('_'))
    {
        into.push(path.to_owned());
    }
}

/// A case's manifests, loaded.
fn workspace_of(path: &Path, case: &Node) -> Workspace {
    let mut workspace = Workspace::new(LoadLimits::default());
    let dir = path.parent().unwrap();
    for include in case
        .get("include")
        .and_then(Node::as_seq)
        .unwrap_or_default()
    {
        let name = include.as_str().expect("include entries are file names");
        let file = dir.join(name);
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        workspace.add_file(file.display().to_string(), &bytes);
    }
    if let Some(text) = text_field(case, "manifests") {
        workspace.add_file(format!("{}#manifests", path.display()), text.as_bytes());
    }
    for file in workspace.files() {
        assert!(
            file.problems.is_empty(),
            "{}: {:?}",
            file.name,
            file.problems
        );
    }
    workspace
}

fn options_of(case: &Node) -> ReachOptions {
    match case.get("options") {
        Some(node) => serde_json::from_value(node_to_json(node)).expect("valid options"),
        None => ReachOptions::default(),
    }
}

fn endpoint(cluster: &Cluster, text: &str) -> Endpoint {
    if let Some(pod) = cluster.find_pod(text) {
        return Endpoint::Pod(pod);
    }
    match text.parse() {
        Ok(ip) => Endpoint::External(ip),
        Err(_) => panic!("no pod {text:?}"),
    }
}

fn protocol_of(node: &Node) -> Protocol {
    node.get("protocol")
        .and_then(Node::as_str)
        .map_or(Protocol::Tcp, |p| {
            Protocol::parse(p).expect("TCP, UDP or SCTP")
        })
}

fn port_of(node: &Node) -> u16 {
    match node.get("port").map(|n| &n.value) {
        Some(Value::Int(p)) => u16::try_from(*p).unwrap(),
        other => panic!("port must be a number, got {other:?}"),
    }
}

/// Checks one expected matrix; returns the mismatching cells.
fn check_matrix(evaluator: &Evaluator<'_>, expected: &Node) -> Vec<String> {
    let cluster = evaluator.cluster();
    let protocol = protocol_of(expected);
    let port = port_of(expected);
    let table = text_field(expected, "expect").expect("a matrix needs `expect`");
    let mut lines = table
        .lines()
        .map(str::split_whitespace)
        .filter_map(|mut l| {
            let first = l.next()?;
            Some((first.to_owned(), l.map(str::to_owned).collect::<Vec<_>>()))
        });
    let (_, header) = lines.next().expect("a header line");
    let names = cluster.pod_names();
    assert_eq!(
        header, names,
        "the header must list every pod in cluster order"
    );
    let matrix = evaluator.matrix(protocol, port);
    let mut problems = Vec::new();
    let mut rows = 0;
    for (from, cells) in lines {
        let s = cluster
            .find_pod(&from)
            .unwrap_or_else(|| panic!("no pod {from}"));
        rows += 1;
        assert_eq!(
            cells.len(),
            names.len(),
            "row {from} has {} cells",
            cells.len()
        );
        for (d, cell) in cells.iter().enumerate() {
            let expected = match cell.as_str() {
                "." => true,
                "X" => false,
                "-" => continue,
                other => panic!("cell {other:?} in row {from}"),
            };
            let got = matrix.allows(s, d);
            // The single-query path must agree with the matrix.
            let single = evaluator
                .check(&Connection {
                    from: Endpoint::Pod(s),
                    to: Endpoint::Pod(d),
                    protocol,
                    port,
                })
                .allowed;
            assert_eq!(
                got, single,
                "matrix and single query disagree on {from} -> {}",
                names[d]
            );
            let ports = evaluator.allowed_ports(Endpoint::Pod(s), Endpoint::Pod(d));
            assert_eq!(
                ports.get(protocol).contains(port),
                got,
                "matrix and allowed ports disagree on {from} -> {}",
                names[d]
            );
            if got != expected {
                problems.push(format!(
                    "{protocol}/{port} {from} -> {}: expected {}, got {}",
                    names[d],
                    if expected { "allowed" } else { "denied" },
                    if got { "allowed" } else { "denied" }
                ));
            }
        }
    }
    assert_eq!(rows, names.len(), "the matrix needs one row per pod");
    problems
}

fn check_query(evaluator: &Evaluator<'_>, workspace: &Workspace, query: &Node) -> Vec<String> {
    let cluster = evaluator.cluster();
    let text = |field: &str| query.get(field).and_then(Node::as_str).unwrap_or_default();
    let (from, to) = (
        endpoint(cluster, text("from")),
        endpoint(cluster, text("to")),
    );
    let label = format!("{} -> {}", text("from"), text("to"));
    let mut problems = Vec::new();
    if let Some(expected) = query.get("allowed") {
        let protocol = protocol_of(query);
        let port = port_of(query);
        let connection = Connection {
            from,
            to,
            protocol,
            port,
        };
        let verdict = evaluator.check(&connection);
        let expected = matches!(expected.value, Value::Bool(true));
        let explanation =
            Explainer::new(evaluator, workspace, PositionStyle::CLI).explain(&connection, &verdict);
        if verdict.allowed != expected {
            problems.push(format!(
                "{label} {protocol}/{port}: expected allowed={expected}\n{}",
                explanation.to_text()
            ));
        }
        if let Some(rules) = query.get("allowed_by").and_then(Node::as_seq) {
            let mut expected: Vec<String> = rules
                .iter()
                .filter_map(Node::as_str)
                .map(str::to_owned)
                .collect();
            let mut got: Vec<String> = [&explanation.egress, &explanation.ingress]
                .iter()
                .flat_map(|side| &side.allowed_by)
                .map(|r| format!("{} {}", r.policy, r.rule))
                .collect();
            expected.sort();
            got.sort();
            if expected != got {
                problems.push(format!(
                    "{label}: allowed_by expected {expected:?}, got {got:?}"
                ));
            }
        }
    }
    if let Some(expected) = query.get("allowed_ports") {
        let ports = evaluator.allowed_ports(from, to);
        for protocol in Protocol::ALL {
            let want = expected
                .get(protocol.as_str())
                .and_then(Node::as_str)
                .unwrap_or_else(|| panic!("{label}: allowed_ports needs {protocol}"));
            let got = ports.get(protocol).to_string();
            if normalise_ports(want) != got {
                problems.push(format!(
                    "{label}: {protocol} ports expected {want:?}, got {got:?}"
                ));
            }
        }
    }
    problems
}

/// "1-65535" is written `all` by the port set.
fn normalise_ports(text: &str) -> String {
    if text.trim() == "1-65535" {
        "all".to_owned()
    } else {
        text.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[test]
fn netpol_cases() {
    let files = case_files();
    assert!(files.len() >= 2, "case files not found");
    let mut failures = Vec::new();
    let (mut matrices, mut queries) = (0, 0);
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let source = SourceFile::load(
            FileId(0),
            path.display().to_string(),
            &bytes,
            &LoadLimits::default(),
        );
        assert!(
            source.problems.is_empty(),
            "{}: {:?}",
            path.display(),
            source.problems
        );
        let case = &source.documents.first().expect("one document").root;
        let workspace = workspace_of(path, case);
        let options = options_of(case);
        let cluster = Cluster::from_workspace(&workspace, &options);
        let evaluator = Evaluator::compile(&cluster, &options);
        let mut problems = Vec::new();
        for expected in case
            .get("matrices")
            .and_then(Node::as_seq)
            .unwrap_or_default()
        {
            matrices += 1;
            problems.extend(check_matrix(&evaluator, expected));
        }
        for query in case
            .get("queries")
            .and_then(Node::as_seq)
            .unwrap_or_default()
        {
            queries += 1;
            problems.extend(check_query(&evaluator, &workspace, query));
        }
        if !problems.is_empty() {
            let notes: Vec<&str> = cluster.notes.iter().map(|n| n.message.as_str()).collect();
            failures.push(format!(
                "{} ({} problems; notes {notes:?}):\n  {}",
                path.display(),
                problems.len(),
                problems
                    .iter()
                    .take(12)
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("\n  ")
            ));
        }
    }
    eprintln!(
        "{} case files, {matrices} matrices, {queries} queries",
        files.len()
    );
    assert!(
        failures.is_empty(),
        "{} of {} cases fail:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}
