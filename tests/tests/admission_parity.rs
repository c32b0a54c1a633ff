//! Parity at admission: for every bundled AdmissionReview, the webhook's findings (the
//! library's `admission::Reviewer`, which the webhook tests prove the server answers with) are
//! what `netward check --profile admission` reports on the same object saved as a file. And
//! the bundled deployment (`deploy/`) passes its own check without a finding.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::process::Command;

use netward_core::admission::{Decision, Mode, Reviewer};
use netward_core::options::Options;
use netward_tests::{netward_binary, repo_root};
use serde_json::Value;

/// (code, field path, severity) of every error and warning.
type Findings = BTreeSet<(String, String, String)>;

fn cli_findings(object: &Value) -> Findings {
    let dir = std::env::temp_dir().join(format!("netward-admission-parity-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("object.json");
    std::fs::write(&file, serde_json::to_vec_pretty(object).unwrap()).unwrap();
    let output = Command::new(netward_binary().unwrap())
        .args(["check", "--profile", "admission", "--format", "json"])
        .arg(&file)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] != "info")
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_owned(),
                d["path"].as_str().unwrap_or("metadata").to_owned(),
                d["severity"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn webhook_and_cli_find_the_same_on_every_bundled_review() {
    let reviewer = Reviewer::new(Options::default(), Mode::Enforce);
    let dir = repo_root().join("examples/admission");
    let mut compared = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let body = std::fs::read(&path).unwrap();
        let verdict = reviewer.review(&body).unwrap();
        if verdict.decision == Decision::Skipped {
            continue;
        }
        let review: Value = serde_json::from_slice(&body).unwrap();
        let webhook: Findings = verdict
            .findings
            .iter()
            .map(|f| {
                let severity = serde_json::to_value(f.severity).unwrap();
                (
                    f.code.to_owned(),
                    f.path.clone(),
                    severity.as_str().unwrap().to_owned(),
                )
            })
            .collect();
        let cli = cli_findings(&review["request"]["object"]);
        assert_eq!(webhook, cli, "{}", path.display());
        compared += 1;
    }
    assert!(compared >= 8, "only {compared} reviews compared");
}

#[test]
fn the_bundled_deployment_passes_its_own_check() {
    let output = Command::new(netward_binary().unwrap())
        .args(["check", "--format", "json", "deploy"])
        .current_dir(repo_root())
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["diagnostics"], Value::Array(Vec::new()), "{report}");
    assert!(report["summary"]["objects"].as_u64().unwrap() >= 10);
    assert!(output.status.success());
}

#[test]
fn the_bundled_options_config_map_is_a_valid_options_file() {
    let text = std::fs::read_to_string(repo_root().join("deploy/options.yaml")).unwrap();
    let embedded = text.split("options.yaml: |\n").nth(1).unwrap();
    let options: String = embedded
        .lines()
        .map(|line| line.strip_prefix("    ").unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n");
    let options = Options::parse("deploy/options.yaml", &options).unwrap();
    assert!(!options.severity.is_empty());
    assert!(!options.exemptions.is_empty());
}
