#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! Selector-string vectors from `shared/vectors/*.json` (plus the file or directory named by
//! `NETWARD_VECTORS`), and a round-trip property of the canonical form.

use std::path::{Path, PathBuf};

use netward_core::selector::{parse, Operator, Requirement, Selector};
use proptest::prelude::*;
use serde_json::Value;

/// Appends the `*.json` files of `dir`, sorted by name.
fn add_dir(dir: &Path, files: &mut Vec<PathBuf>) {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read vector directory {}: {e}", dir.display()));
    let mut found: Vec<PathBuf> = entries
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|ext| ext == "json"))
        .collect();
    found.sort();
    files.extend(found);
}

/// `shared/vectors/*.json`, then `NETWARD_VECTORS` (a file, or a directory of `*.json`).
fn vector_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors");
    add_dir(&shared, &mut files);
    if let Some(extra) = std::env::var_os("NETWARD_VECTORS").filter(|v| !v.is_empty()) {
        let extra = PathBuf::from(extra);
        if extra.is_dir() {
            add_dir(&extra, &mut files);
        } else {
            files.push(extra);
        }
    }
    files
}

/// Checks one selector vector; returns what is wrong, if anything.
fn check_vector(vector: &Value) -> Result<(), String> {
    let input = vector["selector"]
        .as_str()
        .ok_or("\"selector\" is not a string")?;
    let valid = vector["valid"]
        .as_bool()
        .ok_or("\"valid\" is not a boolean")?;
    match (parse(input), valid) {
        (Ok(selector), true) => {
            if let Some(expected) = vector.get("parsed") {
                let actual: Vec<Value> = selector
                    .requirements()
                    .iter()
                    .map(|r| {
                        serde_json::json!({
                            "key": r.key(),
                            "operator": r.operator().name(),
                            "values": r.values(),
                        })
                    })
                    .collect();
                if expected != &Value::Array(actual.clone()) {
                    return Err(format!(
                        "parsed {} but expected {expected}",
                        Value::Array(actual)
                    ));
                }
            }
            if let Some(expected) = vector.get("canonical") {
                let actual = selector.to_string();
                if expected.as_str() != Some(actual.as_str()) {
                    return Err(format!("canonical {actual:?} but expected {expected}"));
                }
            }
            Ok(())
        }
        (Ok(selector), false) => Err(format!(
            "accepted (as {:?}) but should fail",
            selector.to_string()
        )),
        (Err(error), true) => Err(format!(
            "rejected ({}: {}) but should parse",
            error.kind.as_str(),
            error.message
        )),
        (Err(error), false) => {
            if error.span.start > error.span.end || error.span.end > input.len() {
                return Err(format!("error span {:?} is outside the input", error.span));
            }
            match vector.get("errorKind").and_then(Value::as_str) {
                Some(kind) if kind != error.kind.as_str() => Err(format!(
                    "error kind {} ({}) but expected {kind}",
                    error.kind.as_str(),
                    error.message
                )),
                _ => Ok(()),
            }
        }
    }
}

#[test]
fn selector_string_vectors() {
    let mut ran = 0usize;
    let mut failures = Vec::new();
    for file in vector_files() {
        let text = std::fs::read_to_string(&file)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", file.display()));
        let vectors: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("{} is not JSON: {e}", file.display()));
        let Some(vectors) = vectors.as_array() else {
            panic!("{} is not a JSON array", file.display());
        };
        for (i, vector) in vectors.iter().enumerate() {
            if vector.get("selector").is_none() {
                continue;
            }
            ran += 1;
            if let Err(problem) = check_vector(vector) {
                let id = vector["id"]
                    .as_str()
                    .map_or_else(|| format!("#{i}"), str::to_owned);
                failures.push(format!(
                    "{} [{id}] {:?}: {problem}",
                    file.display(),
                    vector["selector"].as_str().unwrap_or_default()
                ));
            }
        }
    }
    assert!(ran > 0, "no selector vectors found");
    assert!(
        failures.is_empty(),
        "{} of {ran} selector vectors failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Label keys: optional DNS-subdomain prefix, then a name; includes the keywords.
fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("in".to_owned()),
        Just("notin".to_owned()),
        "[a-z0-9]([a-z0-9.-]{0,6}[a-z0-9])?",
        "([a-z0-9]{1,4}\\.){0,2}[a-z]{1,4}/[A-Za-z0-9]([A-Za-z0-9_.-]{0,6}[A-Za-z0-9])?",
    ]
}

/// Label values, including the empty string and the keywords.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("in".to_owned()),
        Just("notin".to_owned()),
        "[A-Za-z0-9]([A-Za-z0-9_.-]{0,8}[A-Za-z0-9])?",
    ]
}

fn requirement() -> impl Strategy<Value = Requirement> {
    let exact = (
        key(),
        prop::sample::select(vec![
            Operator::Equals,
            Operator::DoubleEquals,
            Operator::NotEquals,
        ]),
        value(),
    )
        .prop_map(|(k, op, v)| Requirement::new(k, op, [v]).unwrap());
    let set = (
        key(),
        prop::sample::select(vec![Operator::In, Operator::NotIn]),
        prop::collection::vec(value(), 1..5),
    )
        .prop_map(|(k, op, vs)| Requirement::new(k, op, vs).unwrap());
    let unary = (
        key(),
        prop::sample::select(vec![Operator::Exists, Operator::DoesNotExist]),
    )
        .prop_map(|(k, op)| Requirement::new(k, op, Vec::<String>::new()).unwrap());
    let numeric = (
        key(),
        prop::sample::select(vec![Operator::GreaterThan, Operator::LessThan]),
        "[0-9]{1,18}",
    )
        .prop_map(|(k, op, v)| Requirement::new(k, op, [v]).unwrap());
    prop_oneof![exact, set, unary, numeric]
}

proptest! {
    #[test]
    fn selector_canonical_round_trip(requirements in prop::collection::vec(requirement(), 0..6)) {
        let selector = Selector::from_requirements(requirements);
        let text = selector.to_string();
        let reparsed = parse(&text).map_err(|e| TestCaseError::fail(format!("{text:?}: {e}")))?;
        prop_assert_eq!(reparsed.to_string(), text);
        prop_assert_eq!(reparsed, selector);
    }
}
