//! Parity: `netward reach` answers exactly what the library answers for the same manifests:
//! the matrix for several ports and protocols, the allowed ports of every pair, and
//! `netward gen` output is the library generator's text.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

use netward_core::netpol::{Cluster, Endpoint, Evaluator, Protocol, ReachOptions};
use netward_core::synth::{generate, SynthSpec};
use netward_core::{LoadLimits, Workspace};
use netward_tests::{netward_binary, repo_root};

fn run(args: &[&str]) -> serde_json::Value {
    let output = Command::new(netward_binary().unwrap())
        .args(args)
        .current_dir(repo_root())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn cli_reach_equals_the_library_on_a_generated_cluster() {
    let spec = SynthSpec {
        pods: 120,
        policies: 40,
        namespaces: Some(4),
        seed: 7,
    };
    let text = generate(&spec);
    let dir = std::env::temp_dir().join(format!("netward-reach-parity-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("cluster.yaml");
    let path = path.to_str().unwrap();
    let generated = Command::new(netward_binary().unwrap())
        .args([
            "gen",
            "--pods",
            "120",
            "--policies",
            "40",
            "--namespaces",
            "4",
            "--seed",
            "7",
            "--out",
            path,
        ])
        .status()
        .unwrap();
    assert!(generated.success());
    assert_eq!(
        std::fs::read_to_string(path).unwrap(),
        text,
        "netward gen must print the library's text"
    );

    let mut workspace = Workspace::new(LoadLimits::default());
    workspace.add_file(path, text.as_bytes());
    let options = ReachOptions::default();
    let cluster = Cluster::from_workspace(&workspace, &options);
    let evaluator = Evaluator::compile(&cluster, &options);
    let names = cluster.pod_names();

    for (protocol, port) in [
        (Protocol::Tcp, 8080),
        (Protocol::Tcp, 53),
        (Protocol::Udp, 53),
        (Protocol::Sctp, 38412),
    ] {
        let json = run(&[
            "reach",
            path,
            "--matrix",
            "--port",
            &port.to_string(),
            "--protocol",
            protocol.as_str(),
            "--format",
            "json",
        ]);
        assert_eq!(json["pods"], serde_json::json!(names));
        let matrix = evaluator.matrix(protocol, port);
        let expected: Vec<Vec<bool>> = (0..names.len())
            .map(|s| (0..names.len()).map(|d| matrix.allows(s, d)).collect())
            .collect();
        assert_eq!(
            json["matrix"],
            serde_json::json!(expected),
            "{protocol}/{port}"
        );
    }

    let json = run(&["reach", path, "--matrix", "--format", "json"]);
    let connections = json["connections"].as_array().unwrap();
    let mut allowed_pairs = 0;
    for (s, row) in connections.iter().enumerate() {
        for (d, cell) in row.as_array().unwrap().iter().enumerate() {
            let ports = evaluator.allowed_ports(Endpoint::Pod(s), Endpoint::Pod(d));
            assert_eq!(
                cell,
                &serde_json::to_value(&ports).unwrap(),
                "{} -> {}",
                names[s],
                names[d]
            );
            allowed_pairs += usize::from(s != d && !ports.is_empty());
        }
    }
    assert!(
        allowed_pairs > 0,
        "the generated policies should allow some flows"
    );
    std::fs::remove_dir_all(&dir).ok();
}
