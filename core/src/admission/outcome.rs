//! What the webhook answers for one object's findings: the decision for the mode, the denial
//! message, the API warnings within the API server's size limits, and the audit annotations.
//! Free of the AdmissionReview types, so the WASM playground shows exactly what the cluster
//! would return.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint;
use crate::options::{Options, Profile};
use crate::source::LoadLimits;
use crate::workspace::Workspace;

/// The longest warning, in bytes: the API server truncates longer ones.
pub const MAX_WARNING_BYTES: usize = 255;
/// The longest all warnings may be together, in bytes.
pub const MAX_WARNINGS_BYTES: usize = 4095;
/// The longest denial message, in bytes (the rest is summarised).
const MAX_DENIAL_BYTES: usize = 8192;
/// The most values an admitted object may hold. The API server's 3 MiB request limit allows
/// about a million; no real Service, NetworkPolicy or Ingress comes near this, and the bound
/// keeps one hostile review's tree within a few megabytes.
const MAX_OBJECT_VALUES: usize = 100_000;

/// Whether netward reviews objects of this group (empty for the core group), version and kind.
pub fn is_reviewed_kind(group: &str, version: &str, kind: &str) -> bool {
    REVIEWED_KINDS.contains(&(group, version, kind))
}

/// The kinds netward reviews, as (group, version, kind).
const REVIEWED_KINDS: &[(&str, &str, &str)] = &[
    ("", "v1", "Service"),
    ("networking.k8s.io", "v1", "NetworkPolicy"),
    ("networking.k8s.io", "v1", "Ingress"),
];

/// What the webhook does with findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Error findings deny the request; warning findings become API warnings.
    #[default]
    Enforce,
    /// Never deny: every finding becomes an API warning.
    Warn,
    /// Never deny nor warn: findings are only logged, counted and put in audit annotations.
    Audit,
}

impl Mode {
    /// The lower-case name (`enforce`, `warn`, `audit`).
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Enforce => "enforce",
            Mode::Warn => "warn",
            Mode::Audit => "audit",
        }
    }
}

/// The outcome of one review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Not something netward reviews (another kind, DELETE, CONNECT, a sub-resource): allowed.
    Skipped,
    /// Reviewed, nothing to report: allowed.
    Allowed,
    /// Allowed with warnings.
    Warned,
    /// Denied (enforce mode, at least one new error finding).
    Denied,
    /// Audit mode: allowed silently although there are findings.
    Audited,
}

impl Decision {
    /// The lower-case name, as used in logs and metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Skipped => "skipped",
            Decision::Allowed => "allowed",
            Decision::Warned => "warned",
            Decision::Denied => "denied",
            Decision::Audited => "audited",
        }
    }
}

/// One finding as the webhook reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// The rule's code.
    pub code: &'static str,
    /// The rule's name.
    pub name: &'static str,
    /// The severity after the options' overrides.
    pub severity: Severity,
    /// The Kubernetes field path (`spec.ports[0].targetPort`).
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// What to do, when the rule says.
    pub remedy: Option<String>,
    /// On UPDATE: the old object had the same finding, so it does not deny.
    pub unchanged: bool,
}

impl Finding {
    fn from_diagnostic(diagnostic: Diagnostic) -> Self {
        let remedy = diagnostic
            .help
            .or_else(|| diagnostic.fix.map(|fix| fix.title));
        Self {
            code: diagnostic.rule.code,
            name: diagnostic.rule.name,
            severity: diagnostic.severity,
            path: diagnostic
                .path
                .map(|p| p.to_string())
                .unwrap_or_else(|| "metadata".to_owned()),
            message: diagnostic.message,
            remedy,
            unchanged: false,
        }
    }

    /// `[CODE name] path: message`, on one line.
    fn headline(&self) -> String {
        let unchanged = if self.unchanged { " (unchanged)" } else { "" };
        one_line(&format!(
            "[{} {}]{unchanged} {}: {}",
            self.code, self.name, self.path, self.message
        ))
    }

    fn denies(&self) -> bool {
        self.severity == Severity::Error && !self.unchanged
    }
}

/// The refusal of a denied request (the response's `status`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Denial {
    /// HTTP status code: 403.
    pub code: u16,
    /// `Forbidden`.
    pub reason: &'static str,
    /// Every blocking finding with what to do, on one line.
    pub message: String,
}

/// What the webhook answers for one object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Outcome {
    /// The decision.
    pub decision: Decision,
    /// `response.allowed`.
    pub allowed: bool,
    /// `response.status` of a denial.
    pub denial: Option<Denial>,
    /// `response.warnings`, each within [`MAX_WARNING_BYTES`], all within
    /// [`MAX_WARNINGS_BYTES`].
    pub warnings: Vec<String>,
    /// `response.auditAnnotations` (empty when there is no finding).
    pub audit_annotations: BTreeMap<String, String>,
}

/// A workspace holding one object's text (JSON, as the API server sends it, or YAML), within
/// the limits of an admitted object.
pub fn object_workspace(text: &str) -> Workspace {
    let mut workspace = Workspace::new(LoadLimits {
        max_nodes: MAX_OBJECT_VALUES,
        ..LoadLimits::default()
    });
    workspace.add_file("request.object.json", text.as_bytes());
    workspace
}

/// The error and warning findings of the object in `workspace` (see [`object_workspace`])
/// checked with the `admission` profile of `options`.
pub fn object_findings(workspace: &Workspace, options: &Options) -> Vec<Finding> {
    let admission;
    let options = if options.profile == Profile::Admission {
        options
    } else {
        admission = Options {
            profile: Profile::Admission,
            ..options.clone()
        };
        &admission
    };
    lint::check(workspace, options)
        .into_iter()
        .filter(|d| d.severity != Severity::Info)
        .map(Finding::from_diagnostic)
        .collect()
}

/// The answer in `mode` for the findings of `object` (`Service shop/web`); `None` for a request
/// netward does not review.
pub fn decide(mode: Mode, object: &str, findings: Option<&[Finding]>) -> Outcome {
    let Some(findings) = findings else {
        return Outcome {
            decision: Decision::Skipped,
            allowed: true,
            denial: None,
            warnings: Vec::new(),
            audit_annotations: BTreeMap::new(),
        };
    };
    let decision = if findings.is_empty() {
        Decision::Allowed
    } else {
        match mode {
            Mode::Enforce if findings.iter().any(Finding::denies) => Decision::Denied,
            Mode::Enforce | Mode::Warn => Decision::Warned,
            Mode::Audit => Decision::Audited,
        }
    };
    let (denial, warned): (Option<Denial>, Vec<&Finding>) = match decision {
        Decision::Denied => {
            let blocking: Vec<&Finding> = findings.iter().filter(|f| f.denies()).collect();
            let denial = Denial {
                code: 403,
                reason: "Forbidden",
                message: denial_message(object, &blocking),
            };
            (
                Some(denial),
                findings.iter().filter(|f| !f.denies()).collect(),
            )
        }
        Decision::Warned => (None, findings.iter().collect()),
        _ => (None, Vec::new()),
    };
    Outcome {
        decision,
        allowed: decision != Decision::Denied,
        denial,
        warnings: warnings(&warned),
        audit_annotations: if findings.is_empty() {
            BTreeMap::new()
        } else {
            audit_annotations(findings, mode, decision)
        },
    }
}

/// The denial message: every blocking finding with what to do, on one line.
fn denial_message(object: &str, blocking: &[&Finding]) -> String {
    let mut message = format!(
        "netward: {object} breaks {} rule{}:",
        blocking.len(),
        if blocking.len() == 1 { "" } else { "s" }
    );
    for (shown, finding) in blocking.iter().enumerate() {
        let mut entry = format!(" {}", finding.headline());
        if let Some(remedy) = &finding.remedy {
            end_sentence(&mut entry);
            entry.push_str(" Fix: ");
            entry.push_str(&one_line(remedy));
        }
        end_sentence(&mut entry);
        if message.len() + entry.len() > MAX_DENIAL_BYTES {
            message.push_str(&format!(" … and {} more.", blocking.len() - shown));
            break;
        }
        message.push_str(&entry);
    }
    message.push_str(
        " To exempt this object, annotate it with netward.dev/ignore: <codes> and \
         netward.dev/ignore-reason: <why>; `netward rules <code>` explains a rule.",
    );
    message
}

/// The API warnings for `findings`: one line each, each within [`MAX_WARNING_BYTES`], all
/// within [`MAX_WARNINGS_BYTES`]; what does not fit is counted in a last warning.
fn warnings(findings: &[&Finding]) -> Vec<String> {
    const OVERFLOW_RESERVE: usize = 96;
    let mut out = Vec::new();
    let mut used = 0;
    for (shown, finding) in findings.iter().enumerate() {
        let warning = truncate(&finding.headline(), MAX_WARNING_BYTES);
        let left = findings.len() - shown;
        let budget = if left > 1 {
            MAX_WARNINGS_BYTES - OVERFLOW_RESERVE
        } else {
            MAX_WARNINGS_BYTES
        };
        if used + warning.len() > budget {
            out.push(format!(
                "netward: {left} more finding{} not shown; run `netward check` on the object",
                if left == 1 { "" } else { "s" }
            ));
            break;
        }
        used += warning.len();
        out.push(warning);
    }
    out
}

/// Audit annotations: the findings' codes and paths, and the mode's decision.
fn audit_annotations(
    findings: &[Finding],
    mode: Mode,
    decision: Decision,
) -> BTreeMap<String, String> {
    let mut codes = BTreeMap::<&str, Vec<&str>>::new();
    for finding in findings {
        codes.entry(finding.code).or_default().push(&finding.path);
    }
    let listed: Vec<String> = codes
        .iter()
        .map(|(code, paths)| format!("{code}:{}", paths.join("|")))
        .collect();
    crate::sort::map([
        ("findings".to_owned(), truncate(&listed.join(","), 1024)),
        (
            "decision".to_owned(),
            format!("{}/{}", mode.as_str(), decision.as_str()),
        ),
    ])
}

/// Ends `text` with a full stop unless it already ends a sentence.
fn end_sentence(text: &mut String) {
    if !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
}

/// `text` with line breaks and other control characters replaced by spaces.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `text` cut to at most `max` bytes on a character boundary, ending in `…` when cut.
fn truncate(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max.saturating_sub('…'.len_utf8());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", text.get(..end).unwrap_or_default())
}
