//! The `netward` binary end to end: exit codes, output formats, inputs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn netward(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_netward"))
        .args(args)
        .current_dir(repo_root())
        .output()
        .unwrap()
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn temp_manifest(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("netward-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

const BAD_SERVICE: &str = "# café ☕\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  annotations: {note: \"naïve ünïcode\"}\nspec:\n  ports:\n  - {name: é, port: 70000}\n";

#[test]
fn clean_examples_pass_and_broken_examples_fail() {
    let clean = netward(&["check", "examples/shop"]);
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
    let broken = netward(&["check", "examples/broken"]);
    assert_eq!(broken.status.code(), Some(1));
}

#[test]
fn json_output_has_the_documented_shape_and_one_based_character_columns() {
    let path = temp_manifest("bad.yaml", BAD_SERVICE);
    let out = netward(&["check", "--format", "json", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let diagnostics = json["diagnostics"].as_array().unwrap();
    let port = diagnostics
        .iter()
        .find(|d| d["path"] == "spec.ports[0].port")
        .expect("port diagnostic");
    for key in [
        "code", "rule", "category", "severity", "message", "file", "range", "object", "path",
    ] {
        assert!(port.get(key).is_some(), "missing {key}");
    }
    assert_eq!(port["category"], "api");
    assert_eq!(port["severity"], "error");
    assert_eq!(port["object"]["kind"], "Service");
    assert_eq!(port["object"]["apiVersion"], "v1");
    assert_eq!(port["object"]["name"], "web");
    // Line 9 is `  - {name: é, port: 70000}`; `70000` starts at character 21 (byte 22).
    assert_eq!(
        port["range"]["start"],
        serde_json::json!({"line": 9, "column": 21})
    );
    assert_eq!(
        port["range"]["end"],
        serde_json::json!({"line": 9, "column": 26})
    );
    let name = diagnostics
        .iter()
        .find(|d| d["path"] == "spec.ports[0].name")
        .unwrap();
    assert_eq!(
        name["range"]["start"],
        serde_json::json!({"line": 9, "column": 12})
    );
    assert_eq!(
        json["summary"]["errors"].as_u64().unwrap() as usize,
        diagnostics.len()
    );
}

#[test]
fn sarif_output_is_sarif_2_1_0_with_one_result_per_diagnostic() {
    let path = temp_manifest("sarif.yaml", BAD_SERVICE);
    let json: Value = serde_json::from_slice(
        &netward(&["check", "--format", "json", path.to_str().unwrap()]).stdout,
    )
    .unwrap();
    let out = netward(&["check", "--format", "sarif", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let sarif: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "netward");
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), json["diagnostics"].as_array().unwrap().len());
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        assert_eq!(result["level"], "error");
        let region = &result["locations"][0]["physicalLocation"]["region"];
        assert!(region["startLine"].as_u64().unwrap() >= 1);
        assert!(region["startColumn"].as_u64().unwrap() >= 1);
    }
}

#[test]
fn human_output_is_a_plain_code_frame_when_piped() {
    let path = temp_manifest("human.yaml", BAD_SERVICE);
    let out = netward(&["check", path.to_str().unwrap()]);
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(!text.contains('\u{1b}'), "no colour codes when piped");
    assert!(text.contains("error[NW1002]"));
    assert!(text.contains("9 │   - {name: é, port: 70000}"), "{text}");
    assert!(text.contains("^^^^^ spec.ports[0].port"), "{text}");
    let coloured = netward(&["check", "--color", "always", path.to_str().unwrap()]);
    assert!(String::from_utf8(coloured.stdout)
        .unwrap()
        .contains('\u{1b}'));
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_netward"))
        .args(["check", "--format", "json", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(BAD_SERVICE.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["diagnostics"][0]["file"], "<stdin>");
}

#[test]
fn directories_are_walked_for_manifest_files_only() {
    let dir = temp_manifest("walk/sub/ok.yml", "")
        .parent()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    std::fs::write(
        dir.join("sub/ok.yml"),
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n",
    )
    .unwrap();
    std::fs::write(dir.join("notes.txt"), "port: 70000 is not YAML we read").unwrap();
    std::fs::write(dir.join("svc.json"), r#"{"apiVersion":"v1","kind":"Service","metadata":{"name":"x"},"spec":{"ports":[{"port":0}]}}"#).unwrap();
    let out = netward(&["check", "--format", "json", dir.to_str().unwrap()]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["summary"]["files"], 2);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn usage_and_io_errors_exit_with_2() {
    let missing = netward(&["check", "does/not/exist.yaml"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("does/not/exist.yaml"));
    assert_eq!(netward(&["check"]).status.code(), Some(2));
    assert_eq!(
        netward(&["check", "--format", "xml", "x"]).status.code(),
        Some(2)
    );
    assert_eq!(
        netward(&["check", "--node-port-range", "9-1", "x"])
            .status
            .code(),
        Some(2)
    );
}

#[test]
fn node_port_range_is_an_option() {
    let path = temp_manifest(
        "np.yaml",
        "apiVersion: v1\nkind: Service\nmetadata: {name: np}\nspec:\n  type: NodePort\n  ports: [{port: 80, nodePort: 8080}]\n",
    );
    assert_eq!(
        netward(&["check", path.to_str().unwrap()]).status.code(),
        Some(1)
    );
    let wide = netward(&[
        "check",
        "--node-port-range",
        "1-65535",
        path.to_str().unwrap(),
    ]);
    assert_eq!(wide.status.code(), Some(0));
}

#[test]
fn selector_command() {
    let valid = netward(&[
        "selector",
        "tier in (web, api),app=x,!legacy",
        "--format",
        "json",
    ]);
    assert_eq!(valid.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&valid.stdout).unwrap();
    assert_eq!(
        json,
        serde_json::json!({"valid": true, "canonical": "app=x,!legacy,tier in (api,web)"})
    );

    let matching = netward(&[
        "selector",
        "app=x,env!=prod",
        "--labels",
        "app=x,env=dev",
        "--format",
        "json",
    ]);
    let json: Value = serde_json::from_slice(&matching.stdout).unwrap();
    assert_eq!(json["matches"], true);

    let invalid = netward(&["selector", "app in (a b)", "--format", "json"]);
    assert_eq!(invalid.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&invalid.stdout).unwrap();
    assert_eq!(json["valid"], false);
    assert!(json["error"].as_str().unwrap().contains('b'));
}

#[test]
fn reach_explains_a_single_connection_and_exits_by_verdict() {
    let allowed = netward(&[
        "reach",
        "examples/shop",
        "--from",
        "shop/deployment/frontend",
        "--to",
        "shop/api",
        "--port",
        "8080",
        "--format",
        "json",
    ]);
    assert_eq!(
        allowed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&allowed.stderr)
    );
    let json: Value = serde_json::from_slice(&allowed.stdout).unwrap();
    assert_eq!(json["allowed"], true);
    let ingress = &json["explanation"]["ingress"];
    assert_eq!(ingress["verdict"], "allowed");
    assert_eq!(ingress["allowed_by"][0]["policy"], "shop/api");
    assert_eq!(ingress["allowed_by"][0]["rule"], "ingress[0]");
    assert!(
        ingress["allowed_by"][0]["place"]["range"]["start"]["line"]
            .as_u64()
            .unwrap()
            > 1
    );
    assert_eq!(json["explanation"]["egress"]["verdict"], "allowed");

    let denied = netward(&[
        "reach",
        "examples/shop",
        "--from",
        "shop/deployment/api",
        "--to",
        "shop/deployment/frontend",
        "--port",
        "3000",
    ]);
    assert_eq!(denied.status.code(), Some(1));
    let text = String::from_utf8_lossy(&denied.stdout);
    assert!(
        text.starts_with("DENIED shop/deployment/api -> shop/deployment/frontend on TCP/3000"),
        "{text}"
    );
    assert!(text.contains("isolated by shop/default-deny-all"), "{text}");

    let unknown = netward(&[
        "reach",
        "examples/shop",
        "--from",
        "shop/nope",
        "--to",
        "shop/api",
        "--port",
        "80",
    ]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no pod or workload \"shop/nope\""));
}

#[test]
fn reach_lists_allowed_ports_of_a_pair_and_external_addresses() {
    let out = netward(&[
        "reach",
        "examples/shop",
        "--from",
        "shop/deployment/api",
        "--to",
        "shop/statefulset/postgres",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        json["allowed_ports"]["TCP"],
        serde_json::json!([[5432, 5432]])
    );
    assert_eq!(json["allowed_ports"]["UDP"], serde_json::json!([]));
    assert_eq!(json["summary"], "TCP 5432");

    let outside = netward(&[
        "reach",
        "examples/shop",
        "--from",
        "203.0.113.9",
        "--to",
        "shop/api",
        "--port",
        "8080",
    ]);
    assert_eq!(
        outside.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&outside.stdout)
    );
}

#[test]
fn reach_matrix_in_json_text_and_dot() {
    let out = netward(&[
        "reach",
        "examples/shop",
        "--matrix",
        "--port",
        "8080",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let pods: Vec<&str> = json["pods"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    let index = |name: &str| pods.iter().position(|p| *p == name).unwrap();
    let matrix = json["matrix"].as_array().unwrap();
    assert_eq!(matrix.len(), pods.len());
    let (frontend, api) = (
        index("shop/deployment/frontend"),
        index("shop/deployment/api"),
    );
    assert_eq!(matrix[frontend][api], true);
    assert_eq!(matrix[api][frontend], false);

    let text = netward(&["reach", "examples/shop", "--matrix", "--port", "8080"]);
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.lines()
            .next()
            .unwrap()
            .contains("shop/deployment/frontend"),
        "{text}"
    );

    let dot = netward(&[
        "reach",
        "examples/shop",
        "--matrix",
        "--port",
        "8080",
        "--format",
        "dot",
    ]);
    let dot = String::from_utf8_lossy(&dot.stdout);
    assert!(dot.starts_with("digraph reach {"), "{dot}");
    assert!(
        dot.contains("\"shop/deployment/frontend\" -> \"shop/deployment/api\";"),
        "{dot}"
    );
    assert!(
        !dot.contains("\"shop/deployment/api\" -> \"shop/deployment/frontend\""),
        "{dot}"
    );
}

const EXTERNAL_IPS: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  selector: {app: web}\n  ports:\n  - port: 80\n  externalIPs: [203.0.113.10]\n";

#[test]
fn options_file_and_flags_select_rules_and_severities() {
    let manifest = temp_manifest("options/svc.yaml", EXTERNAL_IPS);
    let manifest = manifest.to_str().unwrap();
    let codes = |out: &Output| -> Vec<String> {
        let json: Value = serde_json::from_slice(&out.stdout).unwrap();
        json["diagnostics"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| {
                format!(
                    "{}:{}",
                    d["code"].as_str().unwrap(),
                    d["severity"].as_str().unwrap()
                )
            })
            .collect()
    };
    let plain = netward(&["check", "--format", "json", manifest]);
    assert!(
        codes(&plain).contains(&"NW2001:warning".to_owned()),
        "{:?}",
        codes(&plain)
    );
    assert_eq!(plain.status.code(), Some(0));

    let options = temp_manifest(
        "options/netward.yaml",
        "# raise it\nseverity:\n  service-uses-external-ips: error\n",
    );
    let raised = netward(&[
        "check",
        "--format",
        "json",
        "--options",
        options.to_str().unwrap(),
        manifest,
    ]);
    assert!(codes(&raised).contains(&"NW2001:error".to_owned()));
    assert_eq!(raised.status.code(), Some(1));

    let disabled = netward(&["check", "--format", "json", "--disable", "NW2001", manifest]);
    assert!(!codes(&disabled).iter().any(|c| c.starts_with("NW2001")));

    let by_category = netward(&[
        "check",
        "--format",
        "json",
        "--disable",
        "security",
        manifest,
    ]);
    assert!(!codes(&by_category).iter().any(|c| c.starts_with("NW2001")));

    let exempt = temp_manifest(
        "options/exempt.yaml",
        "exemptions:\n  - rules: [security]\n    selector: \"!tier\"\n    reason: test\nseverity: {NW2024: off}\n",
    );
    let exempted = netward(&[
        "check",
        "--format",
        "json",
        "--options",
        exempt.to_str().unwrap(),
        manifest,
    ]);
    assert!(
        !codes(&exempted).iter().any(|c| c.starts_with("NW2001")),
        "{:?}",
        codes(&exempted)
    );

    let bad = temp_manifest("options/bad.yaml", "severity:\n  NW2001: loud\n");
    let refused = netward(&["check", "--options", bad.to_str().unwrap(), manifest]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("invalid options"));
}

#[test]
fn rules_and_schema_describe_the_catalogue() {
    let list = netward(&["rules", "--format", "json"]);
    assert_eq!(list.status.code(), Some(0));
    let rules: Value = serde_json::from_slice(&list.stdout).unwrap();
    let first = &rules.as_array().unwrap()[0];
    for key in [
        "code", "name", "category", "severity", "scope", "fix", "summary",
    ] {
        assert!(first.get(key).is_some(), "missing {key}");
    }
    let one = netward(&["rules", "service-uses-external-ips"]);
    let text = String::from_utf8_lossy(&one.stdout);
    assert!(
        text.starts_with("# NW2001 `service-uses-external-ips`"),
        "{text}"
    );
    assert!(text.contains("## Why it matters"));
    assert_eq!(netward(&["rules", "no-such-rule"]).status.code(), Some(2));
    let fixed = netward(&["rules", "NW0013"]);
    let fixed = String::from_utf8_lossy(&fixed.stdout);
    assert!(fixed.starts_with("# NW0013 `api-version-removed`"));
    assert!(fixed.contains("cannot be disabled"), "{fixed}");
    let warning = netward(&["rules", "NW0005"]);
    assert!(String::from_utf8_lossy(&warning.stdout).contains("`disable` and `severity` apply"));

    let schema = netward(&["schema"]);
    let schema: Value = serde_json::from_slice(&schema.stdout).unwrap();
    let checked_in: Value = serde_json::from_str(
        &std::fs::read_to_string(repo_root().join("docs/options.schema.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(schema, checked_in);
    assert!(schema["properties"]["severity"].is_object());
}

#[test]
fn reach_reads_the_options_file_and_flags_override_it() {
    let args = [
        "reach",
        "examples/shop",
        "--from",
        "shop/deployment/api",
        "--to",
        "shop/deployment/api",
        "--port",
        "8080",
    ];
    assert_eq!(
        netward(&args).status.code(),
        Some(0),
        "self traffic is allowed by default"
    );
    let options = temp_manifest(
        "reach-options/netward.yaml",
        "reach:\n  self_traffic: evaluate\n",
    );
    let mut with_file = args.to_vec();
    with_file.extend(["--options", options.to_str().unwrap()]);
    let evaluated = netward(&with_file);
    assert_eq!(
        evaluated.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&evaluated.stdout)
    );
    let bad = temp_manifest(
        "reach-options/bad.yaml",
        "reach:\n  self_trafic: evaluate\n",
    );
    let mut with_bad = args.to_vec();
    with_bad.extend(["--options", bad.to_str().unwrap()]);
    let refused = netward(&with_bad);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("self_trafic"));
}

#[test]
fn reach_refuses_dot_where_there_are_no_flows_to_draw() {
    for question in [
        ["--policy", "shop/api"].as_slice(),
        ["--unselected"].as_slice(),
    ] {
        let mut args = vec!["reach", "examples/shop", "--format", "dot"];
        args.extend(question);
        let out = netward(&args);
        assert_eq!(out.status.code(), Some(2), "{question:?}");
        assert!(String::from_utf8_lossy(&out.stderr).contains("--format dot draws allowed flows"));
    }
}

#[test]
fn review_answers_an_admission_review_like_the_webhook() {
    let denied = netward(&["review", "examples/admission/service-create-denied.json"]);
    assert_eq!(denied.status.code(), Some(1));
    let answer: Value = serde_json::from_slice(&denied.stdout).unwrap();
    assert_eq!(answer["kind"], "AdmissionReview");
    assert_eq!(answer["response"]["allowed"], false);
    assert_eq!(answer["response"]["status"]["code"], 403);
    assert_eq!(
        answer["response"]["uid"],
        "2c3f8c74-9f2e-4a0c-9c65-4b7b2d0f3e33"
    );

    let warned = netward(&[
        "review",
        "--mode",
        "warn",
        "examples/admission/service-create-denied.json",
    ]);
    assert_eq!(warned.status.code(), Some(0));
    let answer: Value = serde_json::from_slice(&warned.stdout).unwrap();
    assert_eq!(answer["response"]["allowed"], true);
    assert!(answer["response"]["warnings"][0]
        .as_str()
        .unwrap()
        .starts_with("[NW2011"));

    let broken = temp_manifest(
        "broken-review.json",
        "{\"apiVersion\": \"admission.k8s.io/v1\"",
    );
    let refused = netward(&["review", broken.to_str().unwrap()]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("would answer HTTP 400"), "{stderr}");
    assert!(refused.stdout.is_empty());
}
