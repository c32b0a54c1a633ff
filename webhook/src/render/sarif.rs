//! SARIF 2.1.0, as GitHub code scanning accepts it.

use std::collections::BTreeMap;

use netward_core::report::{Range, Report};
use netward_core::Severity;
use serde_json::{json, Value};

/// The SARIF log for a report. Columns are counted in Unicode code points (declared with
/// `columnKind`), lines and columns are 1-based.
pub fn sarif(report: &Report) -> Value {
    let mut rules: BTreeMap<&str, Value> = BTreeMap::new();
    for d in &report.diagnostics {
        rules.entry(d.code).or_insert_with(|| {
            json!({
                "id": d.code,
                "name": d.rule,
                "shortDescription": { "text": d.rule },
                "defaultConfiguration": { "level": level(d.severity) },
                "properties": { "category": d.category, "tags": [d.category] },
            })
        });
    }
    let rule_index: BTreeMap<&str, usize> =
        rules.keys().enumerate().map(|(i, k)| (*k, i)).collect();
    let results: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let mut location = json!({
                "physicalLocation": {
                    "artifactLocation": { "uri": uri(&d.file) },
                    "region": region(&d.range),
                }
            });
            if let (Some(object), Some(location)) = (&d.object, location.as_object_mut()) {
                let name = format!(
                    "{}/{}/{}{}",
                    object.namespace.as_deref().unwrap_or("-"),
                    object.kind,
                    object.name.as_deref().unwrap_or("-"),
                    d.path
                        .as_deref()
                        .map(|p| format!("/{p}"))
                        .unwrap_or_default()
                );
                location.insert(
                    "logicalLocations".into(),
                    json!([{ "fullyQualifiedName": name, "kind": "resource" }]),
                );
            }
            let related: Vec<Value> = d
                .related
                .iter()
                .enumerate()
                .map(|(i, r)| {
                    json!({
                        "id": i,
                        "message": { "text": r.message },
                        "physicalLocation": {
                            "artifactLocation": { "uri": uri(&r.file) },
                            "region": region(&r.range),
                        }
                    })
                })
                .collect();
            let mut text = d.message.clone();
            if let Some(help) = &d.help {
                text.push_str(&format!("\nhelp: {help}"));
            }
            json!({
                "ruleId": d.code,
                "ruleIndex": rule_index.get(d.code).copied().unwrap_or(0),
                "level": level(d.severity),
                "message": { "text": text },
                "locations": [location],
                "relatedLocations": related,
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "netward",
                "version": netward_core::VERSION,
                "informationUri": "https://github.com/netward/netward",
                "rules": rules.into_values().collect::<Vec<_>>(),
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// A relative URI with forward slashes (what code scanning resolves against the checkout).
fn uri(file: &str) -> String {
    file.trim_start_matches("./").replace('\\', "/")
}

fn region(range: &Range) -> Value {
    json!({
        "startLine": range.start.line,
        "startColumn": range.start.column,
        "endLine": range.end.line,
        "endColumn": range.end.column.max(if range.end.line == range.start.line { range.start.column } else { 1 }),
    })
}
