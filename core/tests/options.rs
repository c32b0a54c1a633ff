//! How the options shape a check: categories in `select`/`disable`/`severity`, exemptions by
//! label selector, and the loader's warnings following `disable` and `severity` while API
//! errors stay.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use netward_core::options::Options;
use netward_core::rules::registry;
use netward_core::{lint, Category, Diagnostic, LoadLimits, Severity, Workspace};

fn check(yaml: &str, options: &str) -> Vec<Diagnostic> {
    let mut workspace = Workspace::new(LoadLimits::default());
    workspace.add_file("bundle.yaml", yaml.as_bytes());
    let options = Options::parse("options.yaml", options).unwrap();
    lint::check(&workspace, &options)
}

fn codes(diagnostics: &[Diagnostic]) -> Vec<(&'static str, Severity)> {
    diagnostics
        .iter()
        .map(|d| (d.rule.code, d.severity))
        .collect()
}

/// NW2001 (security), NW2024 (suspicious) on `web`; NW2001 on `db` (labelled tier=db).
const SERVICES: &str = "\
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
  labels: {app: web, tier: frontend}
spec:
  clusterIP: 10.96.0.20
  selector: {app: web}
  ports: [{port: 80}]
  externalIPs: [192.0.2.10]
---
apiVersion: v1
kind: Service
metadata:
  name: db
  namespace: shop
  labels: {app: db, tier: db}
spec:
  selector: {app: db}
  ports: [{port: 5432}]
  externalIPs: [192.0.2.11]
";

#[test]
fn select_disable_and_severity_accept_categories() {
    let all = codes(&check(SERVICES, "{}"));
    assert!(all.contains(&("NW2001", Severity::Warning)), "{all:?}");
    assert!(all.contains(&("NW2024", Severity::Warning)), "{all:?}");

    let category = |code: &str| registry::find(code).unwrap().rule.category;
    let security = codes(&check(SERVICES, "select: [security]"));
    assert!(security.iter().any(|(c, _)| *c == "NW2001"), "{security:?}");
    assert!(
        security
            .iter()
            .all(|(c, _)| category(c) == Category::Security),
        "{security:?}"
    );

    let no_security = codes(&check(SERVICES, "disable: [security]"));
    assert!(!no_security
        .iter()
        .any(|(c, _)| category(c) == Category::Security));
    assert!(no_security.iter().any(|(c, _)| *c == "NW2024"));

    // A code or name wins over its category, whatever the order.
    let severities = codes(&check(
        SERVICES,
        "severity: {service-uses-external-ips: info, security: error, suspicious: off}",
    ));
    assert!(
        severities.contains(&("NW2001", Severity::Info)),
        "{severities:?}"
    );
    assert!(!severities.iter().any(|(c, _)| *c == "NW2024"));
    let by_category = codes(&check(SERVICES, "severity: {Security: error}"));
    assert!(by_category.contains(&("NW2001", Severity::Error)));
}

#[test]
fn exemptions_match_label_selectors() {
    let exempt = |selector: &str| {
        let options = format!(
            "exemptions:\n  - rules: [NW2001]\n    selector: \"{selector}\"\n    reason: test\n"
        );
        check(SERVICES, &options)
            .iter()
            .filter(|d| d.rule.code == "NW2001")
            .map(|d| d.object.as_ref().unwrap().name.clone().unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(exempt("tier=db"), ["web"]);
    assert_eq!(exempt("app in (web,db),tier!=db"), ["db"]);
    assert_eq!(exempt("!tier"), ["web", "db"]);
    assert!(exempt("tier").is_empty());

    let invalid = Options::parse(
        "netward.yaml",
        "exemptions:\n  - selector: \"tier in (db\"\n    reason: test\n",
    )
    .unwrap_err();
    assert!(invalid.contains("exemptions[0].selector"), "{invalid}");
}

/// A YAML 1.1 surprise (NW0005, a warning) and an invalid port (NW1002, an API error).
const LOADER: &str = "\
apiVersion: v1
kind: ConfigMap
metadata:
  name: modes
  namespace: shop
data:
  mode: \"0755\"
  other: 0755
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: {app: web}
  ports: [{port: 70000}]
";

#[test]
fn loader_warnings_follow_the_options_and_api_errors_stay() {
    let plain = codes(&check(LOADER, "{}"));
    assert!(plain.contains(&("NW0005", Severity::Warning)), "{plain:?}");
    assert!(plain.contains(&("NW1002", Severity::Error)), "{plain:?}");

    let disabled = codes(&check(LOADER, "disable: [NW0005, NW1002, api, all]"));
    assert!(!disabled.is_empty());
    assert!(
        disabled.iter().all(|d| *d == ("NW1002", Severity::Error)),
        "{disabled:?}"
    );

    let raised = codes(&check(
        LOADER,
        "severity: {yaml-1-1-scalar-surprise: error, NW1002: off}",
    ));
    assert!(raised.contains(&("NW0005", Severity::Error)), "{raised:?}");
    assert!(raised.contains(&("NW1002", Severity::Error)), "{raised:?}");

    // `select` chooses lint rules; the loader's checks always run.
    let selected = codes(&check(LOADER, "select: [NW2001]"));
    assert!(selected.iter().any(|(c, _)| *c == "NW0005"), "{selected:?}");
}

#[test]
fn stacked_suppression_comments_all_reach_the_block_below() {
    let stacked = "\
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  clusterIP: 10.96.0.20
  selector: {app: web}
  ports: [{port: 80}]
  # netward-ignore: NW2001 bare-metal gateway until the migration

  # netward-ignore: NW2024 fixed address agreed with the network team
  externalIPs: [192.0.2.10]
";
    let found = codes(&check(stacked, "{}"));
    assert!(
        !found.iter().any(|(code, _)| *code == "NW2001"),
        "{found:?}"
    );
}

#[test]
fn a_bad_option_is_reported_at_its_line_and_column() {
    let refused = |text: &str| Options::parse("netward.yaml", text).unwrap_err();
    assert_eq!(
        refused("severity:\n  NW2001: loud\n"),
        "netward.yaml:2:11: invalid options: unknown severity `loud`, expected error, warning, info or off"
    );
    assert_eq!(
        refused("cluster:\n  node_port_range: {first: 30000, last: -1}\n"),
        "netward.yaml:2:41: invalid options: expected u16, found integer `-1`"
    );
    assert_eq!(
        refused("reach:\n  self_trafic: allowed\n"),
        "netward.yaml:2:3: invalid options: unknown field `self_trafic`, expected one of `self_traffic`, `host_network`, `exempt_egress_to_own_node`, `ip_block_matches_pods`, `enforce_end_port`, `family`, `default_namespace`"
    );
    assert_eq!(
        refused("select: NW2001\n"),
        "netward.yaml:1:9: invalid options: expected a list, found a string"
    );
    assert!(refused("disable: [a\n").starts_with("netward.yaml:1:"));
    // An empty file and an explicit null are the defaults.
    assert_eq!(
        Options::parse("netward.yaml", "").unwrap(),
        Options::default()
    );
    assert_eq!(
        Options::parse("netward.yaml", "~\n").unwrap(),
        Options::default()
    );
}
