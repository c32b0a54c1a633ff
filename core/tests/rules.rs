//! The rule catalogue's own tests: every rule is registered once with a unique code and name,
//! documented with the required sections, has `valid.yaml`/`invalid.yaml` fixtures whose
//! rendered findings match the checked-in snapshot, its documented example triggers exactly
//! that rule (no other finding) and its "Use instead" example does not trigger it, and `docs/rules/` is what the doc comments generate.
//! A fixture directory may hold an `options.yaml`: its fixtures, fix re-checks and the rule's
//! documented examples are then linted with those options instead of the defaults.
//!
//! `NETWARD_UPDATE=1 cargo test -p netward-core --test rules` rewrites snapshots and docs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use netward_core::codes;
use netward_core::lint;
use netward_core::options::Options;
use netward_core::report::{PositionStyle, Report};
use netward_core::rules::{doc_index, doc_page, registry, LintRule, RuleInfo};
use netward_core::{LoadLimits, Workspace};

fn updating() -> bool {
    std::env::var_os("NETWARD_UPDATE").is_some()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn lint_files(
    files: &[(String, String)],
    options: &Options,
) -> (Workspace, Vec<netward_core::Diagnostic>) {
    let mut workspace = Workspace::new(LoadLimits::default());
    for (name, text) in files {
        workspace.add_file(name.clone(), text.as_bytes());
    }
    let diagnostics = lint::check(&workspace, options);
    (workspace, diagnostics)
}

/// The options a rule's fixtures and documented examples are linted with: the fixture
/// directory's `options.yaml` when there is one (cluster facts such as the pod and Service
/// CIDRs), the defaults otherwise.
fn fixture_options(lint: &LintRule) -> Options {
    let path = fixture_dir(lint).join("options.yaml");
    match std::fs::read_to_string(&path) {
        Ok(text) => Options::parse("options.yaml", &text)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display())),
        Err(_) => Options::default(),
    }
}

fn codes_of(diagnostics: &[netward_core::Diagnostic]) -> BTreeSet<&'static str> {
    diagnostics.iter().map(|d| d.rule.code).collect()
}

#[test]
fn codes_and_names_are_unique_and_well_formed() {
    let mut codes_seen = BTreeSet::new();
    let mut names_seen = BTreeSet::new();
    for rule in codes::ALL {
        codes_seen.insert(rule.code);
        names_seen.insert(rule.name);
    }
    let mut previous = "";
    for lint in registry::all() {
        let rule = &lint.rule;
        assert!(codes_seen.insert(rule.code), "duplicate code {}", rule.code);
        assert!(names_seen.insert(rule.name), "duplicate name {}", rule.name);
        assert!(
            rule.code > previous,
            "registry must be ordered by code: {} after {previous}",
            rule.code
        );
        previous = rule.code;
        assert!(
            rule.code.len() == 6 && rule.code.starts_with("NW"),
            "{}",
            rule.code
        );
        assert!(
            rule.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{} is not kebab-case",
            rule.name
        );
        assert!(
            rule.summary.ends_with('.'),
            "{}: the summary is a sentence",
            rule.name
        );
        assert_eq!(
            registry::find(rule.code).map(|r| r.rule.name),
            Some(rule.name)
        );
        assert_eq!(
            registry::find(rule.name).map(|r| r.rule.code),
            Some(rule.code)
        );
    }
}

#[test]
fn enum_names_are_their_serde_spellings() {
    let serde = |value: serde_json::Value| value.as_str().map(str::to_owned);
    for lint in registry::all() {
        let rule = &lint.rule;
        assert_eq!(
            serde(serde_json::json!(rule.category)).as_deref(),
            Some(rule.category.as_str())
        );
        assert_eq!(
            serde(serde_json::json!(rule.severity)).as_deref(),
            Some(rule.severity.as_str())
        );
        assert_eq!(
            serde(serde_json::json!(lint.scope)).as_deref(),
            Some(lint.scope.as_str())
        );
    }
    for rule in codes::ALL {
        assert_eq!(
            serde(serde_json::json!(rule.category)).as_deref(),
            Some(rule.category.as_str())
        );
    }
}

#[test]
fn every_rule_is_documented_with_the_required_sections() {
    for lint in registry::all() {
        let docs = lint.markdown();
        for section in [
            "## What it does",
            "## Why it matters",
            "## Example",
            "## Use instead",
            "## References",
        ] {
            assert!(
                docs.contains(section),
                "{}: missing `{section}`",
                lint.rule.name
            );
        }
    }
}

/// Rules whose every example necessarily triggers another rule too: a rule with ports but
/// no peers (NW3014's mistake) always admits any peer (NW3001); a DNS rule that misses
/// cluster DNS (NW3027) leaves the pods without DNS (NW3008); an ExternalName Service with
/// ignored fields (NW2021) or behind an Ingress (NW4003) is an ExternalName alias outside
/// the allowed domains (NW2040, which has no allowed domain by default).
fn inherent_overlap(code: &str) -> &'static [&'static str] {
    match code {
        "NW3014" => &["NW3001"],
        "NW3027" => &["NW3008"],
        "NW2021" | "NW4003" => &["NW2040"],
        _ => &[],
    }
}

#[test]
fn documented_examples_trigger_exactly_the_rule_and_the_alternatives_do_not() {
    for lint in registry::all() {
        let options = fixture_options(lint);
        let (bad, good) = lint.doc_examples();
        assert!(!bad.is_empty(), "{}: no YAML example", lint.rule.name);
        for (i, example) in bad.iter().enumerate() {
            let (_, diagnostics) =
                lint_files(&[("example.yaml".into(), example.clone())], &options);
            let found = codes_of(&diagnostics);
            let mut expected = BTreeSet::from([lint.rule.code]);
            expected.extend(inherent_overlap(lint.rule.code));
            assert_eq!(
                found, expected,
                "{}: example {i} must trigger exactly this rule",
                lint.rule.name
            );
            assert!(
                diagnostics
                    .iter()
                    .all(|d| d.rule.category != netward_core::Category::Api),
                "{}: example {i} is rejected by the API server: {diagnostics:?}",
                lint.rule.name
            );
        }
        for (i, example) in good.iter().enumerate() {
            let (_, diagnostics) =
                lint_files(&[("instead.yaml".into(), example.clone())], &options);
            assert!(
                !codes_of(&diagnostics).contains(lint.rule.code),
                "{}: the `Use instead` example {i} triggers it",
                lint.rule.name
            );
        }
    }
}

fn fixture_dir(lint: &LintRule) -> PathBuf {
    root().join("tests/fixtures/rules").join(lint.rule.name)
}

fn read_fixture(dir: &Path, name: &str) -> (String, String) {
    let path = dir.join(name);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (name.to_owned(), text)
}

/// One line per finding of the rule: `file:line:col severity code message`.
fn render(
    workspace: &Workspace,
    diagnostics: &[netward_core::Diagnostic],
    lint: &LintRule,
) -> String {
    let report = Report::new(workspace, diagnostics, PositionStyle::CLI);
    let mut out = String::new();
    for d in report
        .diagnostics
        .iter()
        .filter(|d| d.code == lint.rule.code)
    {
        out.push_str(&format!(
            "{}:{}:{} {} {} {}{}\n",
            d.file,
            d.range.start.line,
            d.range.start.column,
            serde_json::to_value(d.severity).unwrap().as_str().unwrap(),
            d.code,
            d.message,
            d.path.as_ref().map_or(String::new(), |p| format!(" [{p}]"))
        ));
        if let Some(fix) = &d.fix {
            out.push_str(&format!("  fix: {}\n", fix.title));
            for edit in &fix.edits {
                out.push_str(&format!(
                    "    {}:{}:{}-{}:{} {:?}\n",
                    edit.file,
                    edit.range.start.line,
                    edit.range.start.column,
                    edit.range.end.line,
                    edit.range.end.column,
                    edit.new_text
                ));
            }
        }
    }
    out
}

#[test]
fn fixtures_trigger_exactly_as_snapshotted() {
    let mut failures = Vec::new();
    for lint in registry::all() {
        let dir = fixture_dir(lint);
        let options = fixture_options(lint);
        let (_, valid) = lint_files(&[read_fixture(&dir, "valid.yaml")], &options);
        if codes_of(&valid).contains(lint.rule.code) {
            failures.push(format!("{}: valid.yaml triggers it", lint.rule.name));
        }
        if let Some(api) = valid
            .iter()
            .find(|d| d.rule.category == netward_core::Category::Api)
        {
            failures.push(format!(
                "{}: valid.yaml is rejected by the API server: {}",
                lint.rule.name, api.message
            ));
        }
        let (workspace, invalid) = lint_files(&[read_fixture(&dir, "invalid.yaml")], &options);
        let rendered = render(&workspace, &invalid, lint);
        if rendered.is_empty() {
            failures.push(format!(
                "{}: invalid.yaml does not trigger it",
                lint.rule.name
            ));
        }
        failures.extend(check_fixes(
            lint,
            &invalid,
            &read_fixture(&dir, "invalid.yaml").1,
            &options,
        ));
        let snapshot = dir.join("invalid.snap");
        if updating() {
            std::fs::write(&snapshot, &rendered).unwrap();
        } else if std::fs::read_to_string(&snapshot).unwrap_or_default() != rendered {
            failures.push(format!(
                "{}: rendered findings differ from {} (NETWARD_UPDATE=1 to accept):\n{rendered}",
                lint.rule.name,
                snapshot.display()
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The pages of every code, fixed checks included, as the WASM engine's package ships them
/// beside the module (which leaves them out to stay small): `docs/rules.json`.
#[test]
fn rule_docs_json_is_checked_in() {
    let path = root().join("../docs/rules.json");
    let pages: std::collections::BTreeMap<&str, String> = RuleInfo::catalogue()
        .into_iter()
        .map(|rule| (rule.code, rule.docs.unwrap_or_default()))
        .collect();
    assert!(pages.values().all(|page| page.starts_with("# NW")));
    let expected = serde_json::to_string_pretty(&pages).unwrap() + "\n";
    if updating() {
        std::fs::write(&path, &expected).unwrap();
    }
    assert!(
        std::fs::read_to_string(&path).unwrap_or_default() == expected,
        "docs/rules.json is out of date (NETWARD_UPDATE=1 regenerates)"
    );
}

#[test]
fn generated_docs_are_checked_in() {
    let dir = root().join("../docs/rules");
    let mut expected = vec![("README.md".to_owned(), doc_index())];
    for lint in registry::all() {
        expected.push((format!("{}.md", lint.rule.code), doc_page(lint)));
    }
    if updating() {
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(&dir).unwrap().filter_map(Result::ok) {
            std::fs::remove_file(entry.path()).unwrap();
        }
        for (name, text) in &expected {
            std::fs::write(dir.join(name), text).unwrap();
        }
    }
    let present: BTreeSet<String> = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let wanted: BTreeSet<String> = expected.iter().map(|(n, _)| n.clone()).collect();
    assert_eq!(
        present, wanted,
        "docs/rules/ has other files than the rules (NETWARD_UPDATE=1 regenerates)"
    );
    for (name, text) in &expected {
        let on_disk = std::fs::read_to_string(dir.join(name)).unwrap_or_default();
        assert!(
            on_disk == *text,
            "docs/rules/{name} is out of date (NETWARD_UPDATE=1 regenerates)"
        );
    }
}

#[test]
fn options_schema_is_checked_in() {
    let path = root().join("../docs/options.schema.json");
    let schema = serde_json::to_string_pretty(&Options::json_schema()).unwrap() + "\n";
    if updating() {
        std::fs::write(&path, &schema).unwrap();
    }
    assert!(
        std::fs::read_to_string(&path).unwrap_or_default() == schema,
        "docs/options.schema.json is out of date (NETWARD_UPDATE=1 regenerates)"
    );
}

/// Applying each fix of `lint` in `text` must remove that finding and leave the document
/// free of API errors.
fn check_fixes(
    lint: &LintRule,
    diagnostics: &[netward_core::Diagnostic],
    text: &str,
    options: &Options,
) -> Vec<String> {
    let mut failures = Vec::new();
    for finding in diagnostics.iter().filter(|d| d.rule.code == lint.rule.code) {
        let Some(fix) = &finding.fix else { continue };
        let mut edits = fix.edits.clone();
        edits.sort_by_key(|e| std::cmp::Reverse(e.span.start));
        let mut fixed = text.to_owned();
        for edit in &edits {
            fixed.replace_range(
                edit.span.start as usize..edit.span.end as usize,
                &edit.replacement,
            );
        }
        let (_, after) = lint_files(&[("invalid.yaml".into(), fixed.clone())], options);
        let still = after.iter().any(|d| {
            d.rule.code == lint.rule.code && d.path == finding.path && d.object == finding.object
        });
        if still {
            failures.push(format!(
                "{}: fix {:?} does not remove the finding:\n{fixed}",
                lint.rule.name, fix.title
            ));
        }
        if let Some(api) = after
            .iter()
            .find(|d| d.rule.category == netward_core::Category::Api)
        {
            failures.push(format!(
                "{}: fix {:?} breaks the manifest: {}",
                lint.rule.name, fix.title, api.message
            ));
        }
    }
    failures
}
