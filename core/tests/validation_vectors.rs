//! Runs the upstream-derived validation vectors (`../shared/vectors/*.json`, plus the file named
//! by `NETWARD_VECTORS`) through loading, decoding, defaulting and validation, and compares the
//! set of error field paths with the expected one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::PathBuf;

use netward_core::object::objects_of;
use netward_core::source::{FileId, LoadLimits, SourceFile};
use netward_core::validate::{NodePortRange, ValidationProfile};
use netward_core::workspace::validate_object;
use serde_json::Value;

fn vector_files() -> Vec<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "json"))
                .collect()
        })
        .unwrap_or_default();
    if let Ok(extra) = std::env::var("NETWARD_VECTORS") {
        files.push(PathBuf::from(extra));
    }
    files.sort();
    files
}

fn profile_of(vector: &Value) -> ValidationProfile {
    let mut profile = ValidationProfile::upstream_validation();
    if let Some(overrides) = vector.get("profile").and_then(Value::as_object) {
        for (key, value) in overrides {
            match (key.as_str(), value) {
                ("StrictIPCIDRValidation", Value::Bool(b)) => {
                    profile.strict_ip_cidr_validation = *b
                }
                ("PreferSameTrafficDistribution", Value::Bool(b)) => {
                    profile.prefer_same_traffic_distribution = *b
                }
                ("RelaxedServiceNameValidation", Value::Bool(b)) => {
                    profile.relaxed_service_name_validation = *b
                }
                ("allocatorChecks", Value::Bool(b)) => profile.allocator_checks = *b,
                ("serviceNodePortRange", Value::String(s)) => {
                    profile.node_port_range = s.parse::<NodePortRange>().unwrap()
                }
                other => panic!("unknown profile key {other:?}"),
            }
        }
    }
    profile
}

/// The distinct error paths netward reports for one object vector.
fn error_paths(vector: &Value) -> Result<BTreeSet<String>, String> {
    let load = |id: u32, value: &Value| {
        let text = serde_json::to_string_pretty(value).unwrap();
        SourceFile::load(
            FileId(id),
            format!("vector-{id}.json"),
            text.as_bytes(),
            &LoadLimits::default(),
        )
    };
    let new_file = load(0, &vector["object"]);
    let old_file = vector.get("oldObject").map(|old| load(1, old));
    let (new_objects, problems) = objects_of(&new_file);
    let new_object = new_objects
        .first()
        .ok_or(format!("no object: {problems:?}"))?;
    let old_objects = old_file.as_ref().map(|f| objects_of(f).0);
    let old = match (&old_file, &old_objects) {
        (Some(file), Some(objects)) => {
            Some((file.text.as_str(), objects.first().ok_or("no old object")?))
        }
        _ => None,
    };
    let (decode_errors, errors) =
        validate_object(&new_file.text, new_object, old, &profile_of(vector));
    if !decode_errors.is_empty() {
        return Err(format!("decode errors: {decode_errors:?}"));
    }
    Ok(errors.iter().map(|e| e.path.to_string()).collect())
}

#[test]
fn every_object_vector_passes() {
    let mut failures = Vec::new();
    let mut run = 0;
    for file in vector_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let vectors: Vec<Value> = serde_json::from_str(&text).unwrap();
        for vector in vectors.iter().filter(|v| v.get("object").is_some()) {
            run += 1;
            let id = vector["id"].as_str().unwrap_or("?");
            let expected: BTreeSet<String> = vector["fieldPaths"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p.as_str().unwrap().to_owned())
                .collect();
            match error_paths(vector) {
                Ok(actual) if actual == expected => {}
                Ok(actual) => failures.push(format!("{id}: expected {expected:?}, got {actual:?}")),
                Err(problem) => failures.push(format!("{id}: {problem}")),
            }
        }
    }
    eprintln!("{run} object vectors run");
    assert!(run > 0, "no object vectors found");
    assert!(
        failures.is_empty(),
        "{} of {run} vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
