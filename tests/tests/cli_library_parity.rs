//! Parity: `netward check --format json` reports exactly what the library's `lint::check`
//! (validation and every lint rule) reports for the same files (the JSON is built from the same `Report`, so any drift is a surface bug).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

use netward_core::options::Options;
use netward_core::report::{PositionStyle, Report};
use netward_core::{LoadLimits, Workspace};
use netward_tests::{example_files, netward_binary, repo_root};

#[test]
fn cli_json_equals_library_report_on_every_example() {
    let files = example_files();
    assert!(
        files.len() >= 5,
        "examples/ should hold the bundled manifests"
    );
    let names: Vec<String> = files
        .iter()
        .map(|f| f.strip_prefix(repo_root()).unwrap().display().to_string())
        .collect();

    let mut workspace = Workspace::new(LoadLimits::default());
    for name in &names {
        workspace.add_file(
            name.clone(),
            &std::fs::read(repo_root().join(name)).unwrap(),
        );
    }
    let diagnostics = netward_core::lint::check(&workspace, &Options::default());
    let expected =
        serde_json::to_value(Report::new(&workspace, &diagnostics, PositionStyle::CLI)).unwrap();

    let output = Command::new(netward_binary().unwrap())
        .arg("check")
        .arg("--format")
        .arg("json")
        .args(&names)
        .current_dir(repo_root())
        .output()
        .unwrap();
    let actual: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(actual, expected);
    let errors = expected["summary"]["errors"].as_u64().unwrap();
    assert!(errors > 0, "the broken examples must produce errors");
    assert_eq!(output.status.code(), Some(1));
}
