//! The NetworkPolicy rules under options the fixture tests (which use the defaults) do not
//! exercise: a complete bundle, other plugin behaviour, other cluster facts.

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint;
use crate::netpol::HostNetwork;
use crate::options::Options;
use crate::source::LoadLimits;
use crate::workspace::Workspace;

fn run(yaml: &str, options: &Options) -> Vec<Diagnostic> {
    let mut workspace = Workspace::new(LoadLimits::default());
    workspace.add_file("test.yaml", yaml.as_bytes());
    lint::check(&workspace, options)
}

fn findings<'d>(diagnostics: &'d [Diagnostic], code: &str) -> Vec<&'d Diagnostic> {
    diagnostics.iter().filter(|d| d.rule.code == code).collect()
}

const WEB: &str = "
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: example/web:1.0
";

#[test]
fn a_complete_bundle_makes_selectors_matching_nothing_errors() {
    let yaml = format!(
        "{WEB}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: api
  namespace: shop
spec:
  podSelector:
    matchLabels:
      app: api
  ingress:
    - from:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: gateway
"
    );
    let partial = run(&yaml, &Options::default());
    let selects = findings(&partial, "NW3004");
    assert_eq!(selects.len(), 1);
    assert_eq!(selects[0].severity, Severity::Warning);
    assert!(
        findings(&partial, "NW3005").is_empty(),
        "gateway may be deployed elsewhere"
    );

    let options = Options {
        bundle_complete: true,
        ..Options::default()
    };
    let complete = run(&yaml, &options);
    assert!(findings(&complete, "NW3004")
        .iter()
        .all(|d| d.severity == Severity::Error));
    let peers = findings(&complete, "NW3005");
    assert_eq!(peers.len(), 1, "{complete:#?}");
    assert_eq!(peers[0].severity, Severity::Error);
    assert!(peers[0].message.contains("matches no namespace"));
}

#[test]
fn host_network_pods_seen_as_pods_are_not_reported() {
    let yaml = "
apiVersion: v1
kind: Pod
metadata:
  name: agent
  namespace: ops
  labels:
    app: agent
spec:
  hostNetwork: true
  containers:
    - name: agent
      image: example/agent:1.0
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: agent
  namespace: ops
spec:
  podSelector:
    matchLabels:
      app: agent
";
    assert_eq!(findings(&run(yaml, &Options::default()), "NW3019").len(), 1);
    let mut options = Options::default();
    options.reach.host_network = HostNetwork::Pod;
    assert!(findings(&run(yaml, &options), "NW3019").is_empty());
}

#[test]
fn dns_rules_follow_the_configured_dns_server() {
    let yaml = format!(
        "{WEB}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {{}}
  policyTypes: [Egress]
  egress:
    - to:
        - namespaceSelector:
            matchLabels:
              kubernetes.io/metadata.name: openshift-dns
          podSelector:
            matchLabels:
              dns.operator.openshift.io/daemonset-dns: default
      ports:
        - protocol: UDP
          port: 5353
        - protocol: TCP
          port: 5353
"
    );
    // Port 5353 is not DNS for the default (kube-system) server.
    assert_eq!(
        findings(&run(&yaml, &Options::default()), "NW3008").len(),
        1
    );
    // With the OpenShift DNS pods in the bundle, their declared port counts.
    let dns_pod = "---
apiVersion: v1
kind: Pod
metadata:
  name: dns-default-x
  namespace: openshift-dns
  labels:
    dns.operator.openshift.io/daemonset-dns: default
spec:
  containers:
    - name: dns
      image: example/coredns:1.0
      ports:
        - name: dns
          containerPort: 5353
          protocol: UDP
        - name: dns-tcp
          containerPort: 5353
          protocol: TCP
";
    let mut options = Options::default();
    options.cluster.dns.namespace = "openshift-dns".to_owned();
    options.cluster.dns.pod_labels = [(
        "dns.operator.openshift.io/daemonset-dns".to_owned(),
        "default".to_owned(),
    )]
    .into();
    let with_pods = run(&format!("{yaml}{dns_pod}"), &options);
    assert!(findings(&with_pods, "NW3008").is_empty(), "{with_pods:#?}");
}

#[test]
fn the_metadata_rule_reads_the_configured_addresses() {
    let yaml = "
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: internet
  namespace: shop
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - to:
        - ipBlock:
            cidr: 0.0.0.0/0
";
    assert_eq!(findings(&run(yaml, &Options::default()), "NW3003").len(), 1);
    let mut options = Options::default();
    options.cluster.metadata_addresses.clear();
    assert!(findings(&run(yaml, &options), "NW3003").is_empty());
    options.cluster.metadata_addresses = vec!["192.0.2.1".to_owned()];
    let custom = run(yaml, &options);
    assert!(findings(&custom, "NW3003")[0].message.contains("192.0.2.1"));
}

#[test]
fn egress_blocks_dns_is_an_error_only_when_the_bundle_is_complete_and_nothing_allows_dns() {
    let yaml = format!(
        "{WEB}---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: shop
spec:
  podSelector: {{}}
  policyTypes: [Egress]
"
    );
    let options = Options {
        bundle_complete: true,
        ..Options::default()
    };
    let found = run(&yaml, &options);
    let dns = findings(&found, "NW3008");
    assert_eq!(dns.len(), 1);
    assert_eq!(dns[0].severity, Severity::Error);
    assert!(dns[0].fix.is_some());
}

#[test]
fn block_list_items_are_found_by_whole_lines() {
    use super::support::{insert_item_after, item_lines};
    use crate::source::SourceFile;
    let text = "ports:\n  - port: 53 # dns\n    protocol: TCP\n  - {port: 80}\nflow: [a, b]";
    let file = SourceFile::load(
        crate::source::FileId(0),
        "t.yaml",
        text.as_bytes(),
        &LoadLimits::default(),
    );
    let root = &file.documents[0].root;
    let items = root.get("ports").and_then(|p| p.as_seq()).unwrap();
    let first = item_lines(text, &items[0]).unwrap();
    assert_eq!(
        &text[first.range()],
        "  - port: 53 # dns\n    protocol: TCP\n"
    );
    let second = item_lines(text, &items[1]).unwrap();
    assert_eq!(&text[second.range()], "  - {port: 80}\n");
    let flow = root.get("flow").and_then(|p| p.as_seq()).unwrap();
    assert!(
        item_lines(text, &flow[0]).is_none(),
        "flow items are not edited"
    );
    let edit = insert_item_after(
        &file,
        &items[0],
        &["protocol: UDP".to_owned(), "port: 53".to_owned()],
    )
    .unwrap();
    let mut fixed = text.to_owned();
    fixed.insert_str(edit.span.start as usize, &edit.replacement);
    assert!(fixed.starts_with("ports:\n  - port: 53 # dns\n    protocol: TCP\n  - protocol: UDP\n    port: 53\n  - {port: 80}\n"));
}
