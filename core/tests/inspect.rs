//! Cursor questions (`inspect`), editing a workspace in place, and allowed flows: what the
//! editor and the playground build hovers and commands from.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use netward_core::inspect::Inspector;
use netward_core::netpol::{Cluster, Endpoint, Evaluator, Protocol, ReachOptions};
use netward_core::report::PositionStyle;
use netward_core::source::FileId;
use netward_core::{LoadLimits, PositionEncoding, Workspace};

const SERVICE: &str = "\
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports:
    - {name: http, port: 80, targetPort: http}
    - {port: 9090}
";

const DEPLOYMENT: &str = "\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: web:1.0.0
          ports: [{name: http, containerPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: shop, labels: {app: client}}
spec:
  containers: [{name: c, image: c:1.0.0}]
";

const POLICY: &str = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-in, namespace: shop}
spec:
  podSelector:
    matchLabels: {app: web}
  ingress:
    - from:
        - podSelector: {matchLabels: {app: client}}
      ports: [{port: 8080}]
";

fn workspace() -> Workspace {
    let mut workspace = Workspace::new(LoadLimits::default());
    workspace.add_file("service.yaml", SERVICE.as_bytes());
    workspace.add_file("deployment.yaml", DEPLOYMENT.as_bytes());
    workspace.add_file("policy.yaml", POLICY.as_bytes());
    workspace
}

const STYLE: PositionStyle = PositionStyle {
    encoding: PositionEncoding::Utf16,
    one_based: false,
};

fn offset(text: &str, needle: &str) -> usize {
    text.find(needle).unwrap()
}

#[test]
fn service_selector_matches_the_workload_and_routes_its_ports() {
    let workspace = workspace();
    let options = ReachOptions::default();
    let cluster = Cluster::from_workspace(&workspace, &options);
    let evaluator = Evaluator::compile(&cluster, &options);
    let inspector = Inspector::new(&workspace, &evaluator, STYLE);
    let at = offset(SERVICE, "app: web");

    let selector = inspector.selector_at(FileId(0), at).unwrap();
    assert_eq!(selector.field, "spec.selector");
    assert_eq!(selector.selector, "app=web");
    assert_eq!(selector.pods, ["shop/deployment/web"]);
    assert_eq!(selector.workloads, ["shop/deployment/web"]);
    assert_eq!(selector.summary, "matches 1 pod: shop/deployment/web");
    assert_eq!(selector.range.start.line, 4);

    let routes = inspector.service_at(FileId(0), at).unwrap();
    assert_eq!(routes.service, "shop/web");
    assert_eq!(routes.routes.len(), 2);
    assert_eq!(routes.routes[0].port, "80/TCP (http)");
    assert_eq!(routes.routes[0].target_port, "http");
    assert_eq!(
        routes.routes[0].backends,
        ["deployment/web port 8080 (http)"]
    );
    assert_eq!(routes.routes[1].backends, ["deployment/web port 9090"]);
    assert_eq!(
        routes.summary,
        "routes to deployment/web port 8080 (http), deployment/web port 9090"
    );
    // On `kind:` there is no selector, but the Service is still under the cursor.
    let on_kind = offset(SERVICE, "kind");
    assert!(inspector.selector_at(FileId(0), on_kind).is_none());
    assert!(inspector.service_at(FileId(0), on_kind).is_some());
}

#[test]
fn policy_selectors_and_peers_match_through_the_compiled_policy() {
    let workspace = workspace();
    let options = ReachOptions::default();
    let cluster = Cluster::from_workspace(&workspace, &options);
    let evaluator = Evaluator::compile(&cluster, &options);
    let inspector = Inspector::new(&workspace, &evaluator, STYLE);

    let selected = inspector
        .selector_at(FileId(2), offset(POLICY, "matchLabels: {app: web}"))
        .unwrap();
    assert_eq!(selected.field, "spec.podSelector");
    assert_eq!(selected.pods, ["shop/deployment/web"]);

    let peer = inspector
        .selector_at(FileId(2), offset(POLICY, "app: client"))
        .unwrap();
    assert_eq!(peer.field, "spec.ingress[0].from[0]");
    assert_eq!(peer.selector, "pods app=client in the policy's namespace");
    assert_eq!(peer.pods, ["shop/client"]);
    assert!(peer.workloads.is_empty());

    // `ports` is in the rule but is no selector.
    assert!(inspector
        .selector_at(FileId(2), offset(POLICY, "port: 8080"))
        .is_none());
}

#[test]
fn endpoints_under_the_cursor_name_pods_and_workloads() {
    let workspace = workspace();
    let options = ReachOptions::default();
    let cluster = Cluster::from_workspace(&workspace, &options);
    let evaluator = Evaluator::compile(&cluster, &options);
    let inspector = Inspector::new(&workspace, &evaluator, STYLE);
    assert_eq!(
        inspector
            .endpoint_at(FileId(1), offset(DEPLOYMENT, "image: web"))
            .as_deref(),
        Some("shop/deployment/web")
    );
    assert_eq!(
        inspector
            .endpoint_at(FileId(1), offset(DEPLOYMENT, "name: client"))
            .as_deref(),
        Some("shop/client")
    );
    assert_eq!(inspector.endpoint_at(FileId(0), 10), None);
    assert_eq!(inspector.endpoint_at(FileId(9), 10), None);
}

#[test]
fn flows_answer_who_can_reach_a_pod() {
    let workspace = workspace();
    let options = ReachOptions::default();
    let cluster = Cluster::from_workspace(&workspace, &options);
    let evaluator = Evaluator::compile(&cluster, &options);
    let web = Endpoint::Pod(cluster.find_pod("shop/deployment/web").unwrap());
    let client = Endpoint::Pod(cluster.find_pod("shop/client").unwrap());

    let to_web = evaluator.flows(None, Some(web), None);
    assert_eq!(to_web.len(), 1);
    assert_eq!(to_web[0].from, client);
    assert_eq!(to_web[0].ports.to_string(), "TCP 8080");
    assert!(evaluator
        .flows(None, Some(web), Some((Protocol::Tcp, 80)))
        .is_empty());
    // web is not isolated for egress: it reaches the client on every port.
    let from_web = evaluator.flows(Some(web), None, None);
    assert_eq!(from_web.len(), 1);
    assert_eq!(from_web[0].to, client);
    assert!(from_web[0].ports.is_all());
}

#[test]
fn files_are_kept_in_name_order_replaced_and_removed_in_place() {
    let mut workspace = Workspace::new(LoadLimits::default());
    for (name, text) in [
        ("service.yaml", SERVICE),
        ("deployment.yaml", DEPLOYMENT),
        ("policy.yaml", POLICY),
    ] {
        workspace.set_file(name, text.as_bytes());
    }
    let names = |workspace: &Workspace| -> Vec<(String, u32)> {
        workspace
            .files()
            .iter()
            .map(|f| (f.name.clone(), f.id.0))
            .collect()
    };
    let expected = |list: &[&str]| -> Vec<(String, u32)> {
        list.iter()
            .enumerate()
            .map(|(i, n)| ((*n).to_owned(), u32::try_from(i).unwrap()))
            .collect()
    };
    assert_eq!(
        names(&workspace),
        expected(&["deployment.yaml", "policy.yaml", "service.yaml"])
    );
    // Replacing keeps the id; the order of edits does not matter.
    assert_eq!(workspace.set_file("policy.yaml", b"kind: Pod\n"), FileId(1));
    assert_eq!(workspace.file(FileId(1)).unwrap().text, "kind: Pod\n");
    assert_eq!(workspace.set_file("new.yaml", b"{}"), FileId(1));
    assert_eq!(
        names(&workspace),
        expected(&["deployment.yaml", "new.yaml", "policy.yaml", "service.yaml"])
    );

    assert!(workspace.remove_file("deployment.yaml"));
    assert!(!workspace.remove_file("deployment.yaml"));
    assert_eq!(
        names(&workspace),
        expected(&["new.yaml", "policy.yaml", "service.yaml"])
    );
    assert_eq!(workspace.file_named("service.yaml").unwrap().id, FileId(2));
}

#[test]
fn editor_offsets_become_byte_offsets() {
    let mut workspace = Workspace::new(LoadLimits::default());
    workspace.add_file("a.yaml", "a: \"é😀b\"\n".as_bytes());
    let file = workspace.file(FileId(0)).unwrap();
    // `b` is after `a: "` (4), é (1 char, 1 UTF-16 unit, 2 bytes) and 😀 (1 char, 2 units, 4 bytes).
    assert_eq!(file.byte_offset(6, PositionEncoding::Utf32), 10);
    assert_eq!(file.byte_offset(7, PositionEncoding::Utf16), 10);
    assert_eq!(file.byte_offset(10, PositionEncoding::Utf8), 10);
    // Inside the emoji's surrogate pair: the emoji's start.
    assert_eq!(file.byte_offset(6, PositionEncoding::Utf16), 6);
    assert_eq!(
        file.byte_offset(1000, PositionEncoding::Utf16),
        file.text.len()
    );
}

#[test]
fn a_named_target_port_no_pod_declares_is_reported_apart() {
    let mut workspace = workspace();
    workspace.set_file(
        "service.yaml",
        SERVICE
            .replace("{port: 9090}", "{port: 9090, targetPort: metrics}")
            .as_bytes(),
    );
    let options = ReachOptions::default();
    let cluster = Cluster::from_workspace(&workspace, &options);
    let evaluator = Evaluator::compile(&cluster, &options);
    let inspector = Inspector::new(&workspace, &evaluator, STYLE);
    let routes = inspector.service_at(FileId(0), 0).unwrap();
    assert!(routes.routes[1].backends.is_empty());
    assert_eq!(
        routes.routes[1].unreachable,
        ["deployment/web: no TCP container port named \"metrics\""]
    );
    assert_eq!(
        routes.summary,
        "routes to deployment/web port 8080 (http); but deployment/web: no TCP container port named \"metrics\""
    );
}

#[test]
fn service_selectors_count_the_labels_controllers_add_as_the_rules_do() {
    let mut workspace = Workspace::new(LoadLimits::default());
    workspace.set_file(
        "db.yaml",
        b"apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: shop}
spec:
  selector: {matchLabels: {app: db}}
  serviceName: db
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: db:1.0.0, ports: [{containerPort: 5432}]}]}
",
    );
    let service = "apiVersion: v1
kind: Service
metadata: {name: db-0, namespace: shop}
spec:
  selector: {statefulset.kubernetes.io/pod-name: db-0}
  ports: [{port: 5432}]
";
    workspace.set_file("svc.yaml", service.as_bytes());
    let options = ReachOptions::default();
    let cluster = Cluster::from_workspace(&workspace, &options);
    let evaluator = Evaluator::compile(&cluster, &options);
    let inspector = Inspector::new(&workspace, &evaluator, STYLE);
    let file = workspace.file_named("svc.yaml").unwrap().id;
    let selector = inspector
        .selector_at(file, offset(service, "pod-name"))
        .unwrap();
    assert_eq!(selector.selector, "statefulset.kubernetes.io/pod-name=db-0");
    assert_eq!(selector.pods, ["shop/statefulset/db"]);
    let routes = inspector.service_at(file, 0).unwrap();
    assert_eq!(routes.summary, "routes to statefulset/db port 5432");
}
