//! Lint rules: the mistakes and exposures the API server accepts.
//!
//! One rule per file under `rules/<area>/`. A file declares its rule with [`declare_rule!`]
//! (code, kebab-case name that states the problem, category, default severity, scope, whether
//! it offers a fix, and its documentation as the doc comment: *What it does*, *Why it matters*,
//! *Example*, *Use instead*, *References*), and a `check` function that reads the [`Context`]
//! and pushes diagnostics. each area lists its rules by hand (`RULES`), joined by [`registry::all`]; tests check each has
//! docs, a unique code and name, fixtures, and that its documented example triggers it.

pub mod admin_interface;
pub mod bundle;
pub mod context;
pub mod ingress;
pub mod network_policy;
pub mod registry;
pub mod service;

use crate::diagnostic::{Category, Diagnostic, Rule, Severity};

pub use context::{Context, Decoded};

/// What a rule needs to decide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// One object is enough: usable at admission.
    Object,
    /// One object as its author wrote it: judges fields the API server fills in before an
    /// admission webhook sees the object (allocated cluster IPs), so admission skips it.
    Manifest,
    /// Needs other objects of the bundle (pods, Services, policies, namespaces).
    Workspace,
}

impl Scope {
    /// The name as serialised: `object`, `manifest`, `workspace`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Object => "object",
            Scope::Manifest => "manifest",
            Scope::Workspace => "workspace",
        }
    }
}

/// A lint rule: its identity, documentation and detection.
#[derive(Debug, Clone, Copy)]
pub struct LintRule {
    /// Code, name, category, default severity, summary.
    pub rule: Rule,
    /// What it needs.
    pub scope: Scope,
    /// Whether it can offer a mechanical fix.
    pub fix: bool,
    /// Markdown documentation (from the rule's doc comment); empty without the `rule-docs`
    /// feature.
    pub docs: &'static str,
    /// Detection: reads the context, pushes findings.
    pub check: fn(&Context<'_>, &mut Vec<Diagnostic>),
}

/// Declares a lint rule from its doc comment and metadata:
///
/// ```ignore
/// declare_rule! {
///     /// ## What it does
///     /// ...
///     pub RULE {
///         code: "NW2101", name: "service-uses-external-ips", category: Security,
///         severity: Warning, scope: Object, fix: false,
///         summary: "One line.", check: check,
///     }
/// }
/// ```
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        $vis:vis $ident:ident {
            code: $code:literal,
            name: $name:literal,
            category: $category:ident,
            severity: $severity:ident,
            scope: $scope:ident,
            fix: $fix:literal,
            summary: $summary:literal,
            check: $check:path $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        $vis const $ident: $crate::rules::LintRule = $crate::rules::LintRule {
            rule: $crate::diagnostic::Rule {
                code: $code,
                name: $name,
                category: $crate::diagnostic::Category::$category,
                severity: $crate::diagnostic::Severity::$severity,
                summary: $summary,
            },
            scope: $crate::rules::Scope::$scope,
            fix: $fix,
            #[cfg(feature = "rule-docs")]
            docs: concat!($($doc, "\n"),*),
            #[cfg(not(feature = "rule-docs"))]
            docs: "",
            check: $check,
        };
    };
}

impl LintRule {
    /// The documentation as Markdown: the doc comment with its one-space indent removed.
    pub fn markdown(&self) -> String {
        let mut out = String::with_capacity(self.docs.len());
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }

    /// The YAML blocks of the docs' "Example" section (they must trigger the rule) and of
    /// its "Use instead" section (they must not).
    pub fn doc_examples(&self) -> (Vec<String>, Vec<String>) {
        let markdown = self.markdown();
        let (mut bad, mut good) = (Vec::new(), Vec::new());
        let mut section = "";
        let mut block: Option<String> = None;
        for line in markdown.lines() {
            if let Some(title) = line.strip_prefix("## ") {
                section = if title.starts_with("Example") {
                    "bad"
                } else if title.starts_with("Use instead") {
                    "good"
                } else {
                    ""
                };
                continue;
            }
            match (&mut block, line.trim_start()) {
                (None, fence) if fence.starts_with("```yaml") => block = Some(String::new()),
                (Some(text), "```") => {
                    let text = std::mem::take(text);
                    match section {
                        "bad" => bad.push(text),
                        "good" => good.push(text),
                        _ => {}
                    }
                    block = None;
                }
                (Some(text), _) => {
                    text.push_str(line);
                    text.push('\n');
                }
                (None, _) => {}
            }
        }
        (bad, good)
    }
}

/// A rule's metadata and documentation, as `netward rules --format json` and the WASM
/// engine give it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct RuleInfo {
    /// Stable code.
    pub code: &'static str,
    /// Kebab-case name.
    pub name: &'static str,
    /// Category.
    pub category: Category,
    /// Default severity.
    pub severity: Severity,
    /// What it needs; `None` for the loader's and the API server's fixed checks.
    pub scope: Option<Scope>,
    /// Whether it can offer a mechanical fix.
    pub fix: bool,
    /// One-line summary.
    pub summary: &'static str,
    /// The Markdown page, when asked for. Never from the WASM engine, which leaves the pages
    /// out to stay small: its package ships them in `netward_rule_docs.json`, by code.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub docs: Option<String>,
}

impl RuleInfo {
    /// A lint rule's metadata, with its documentation page when `docs` is set.
    pub fn of_lint(lint: &LintRule, docs: bool) -> Self {
        Self {
            code: lint.rule.code,
            name: lint.rule.name,
            category: lint.rule.category,
            severity: lint.rule.severity,
            scope: Some(lint.scope),
            fix: lint.fix,
            summary: lint.rule.summary,
            docs: docs.then(|| doc_page(lint)),
        }
    }

    /// A fixed check's metadata (`NW0001`, `NW1002`, ...), with its documentation page when
    /// `docs` is set.
    pub fn of_fixed(rule: &Rule, docs: bool) -> Self {
        Self {
            code: rule.code,
            name: rule.name,
            category: rule.category,
            severity: rule.severity,
            scope: None,
            fix: false,
            summary: rule.summary,
            docs: docs.then(|| fixed_doc_page(rule)),
        }
    }

    /// Every code netward reports, fixed checks first; each with its documentation page when
    /// built with the `rule-docs` feature (the WASM engine is not: `docs/rules.json` holds the
    /// pages beside it).
    pub fn catalogue() -> Vec<Self> {
        let docs = cfg!(feature = "rule-docs");
        crate::codes::ALL
            .iter()
            .map(|rule| Self::of_fixed(rule, docs))
            .chain(registry::all().iter().map(|lint| Self::of_lint(lint, docs)))
            .collect()
    }
}

/// The Markdown page of one of the loader's or the API server's fixed checks.
pub fn fixed_doc_page(rule: &Rule) -> String {
    format!(
        "# {} `{}`\n\n{}\n\nA fixed check of the loader or of API-server validation: category {}, severity {}; {}\n",
        rule.code,
        rule.name,
        rule.summary,
        rule.category.as_str(),
        rule.severity.as_str(),
        if rule.category == Category::Api {
            "it cannot be disabled or suppressed."
        } else {
            "the options' `disable` and `severity` apply to it; it cannot be suppressed in a manifest."
        },
    )
}

/// The Markdown page of a rule, as written to `docs/rules/` and printed by `netward rules CODE`.
pub fn doc_page(lint: &LintRule) -> String {
    let rule = &lint.rule;
    format!(
        "# {} `{}`\n\n{}\n\n| | |\n| --- | --- |\n| category | {} |\n| default severity | {} |\n| scope | {} |\n| fix | {} |\n\n{}",
        rule.code,
        rule.name,
        rule.summary,
        rule.category.as_str(),
        rule.severity.as_str(),
        match lint.scope {
            Scope::Object => "object (decidable from one object; runs at admission)",
            Scope::Manifest => "manifest (decidable from one object as written; not at admission, where the API server has filled the field in)",
            Scope::Workspace => "workspace (needs other objects of the bundle)",
        },
        if lint.fix { "available" } else { "none" },
        lint.markdown()
    )
}

/// The index page of `docs/rules/`.
pub fn doc_index() -> String {
    let mut out = String::from(
        "# netward lint rules\n\nGenerated from the rules' doc comments (`core/src/rules/`); do not edit by hand.\n\n| code | name | category | severity | scope | summary |\n| --- | --- | --- | --- | --- | --- |\n",
    );
    for lint in registry::all() {
        let rule = &lint.rule;
        out.push_str(&format!(
            "| [{}]({}.md) | `{}` | {} | {} | {} | {} |\n",
            rule.code,
            rule.code,
            rule.name,
            rule.category.as_str(),
            rule.severity.as_str(),
            lint.scope.as_str(),
            rule.summary.replace('|', "\\|")
        ));
    }
    out
}
