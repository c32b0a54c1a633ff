//! Diagnostics: what netward tells people, with a stable code, a field path and a range.

use serde::Serialize;

use crate::path::FieldPath;
use crate::source::{FileId, Span};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The object would be rejected, or is broken.
    Error,
    /// Probably a mistake.
    Warning,
    /// Worth knowing.
    Info,
}

impl Severity {
    /// The name as serialised: `error`, `warning`, `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

/// What kind of finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// The Kubernetes API server (or kubectl's decoder) would reject it.
    Api,
    /// Accepted but does not do what was meant.
    Correctness,
    /// Accepted but exposes something.
    Security,
    /// Accepted but looks wrong.
    Suspicious,
    /// A matter of style.
    Style,
}

impl Category {
    /// The name as serialised: `api`, `correctness`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Api => "api",
            Category::Correctness => "correctness",
            Category::Security => "security",
            Category::Suspicious => "suspicious",
            Category::Style => "style",
        }
    }
}

/// The identity of a kind of finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Rule {
    /// Stable code, e.g. `NW1101`.
    pub code: &'static str,
    /// Kebab-case name that states the problem.
    pub name: &'static str,
    /// Category.
    pub category: Category,
    /// Default severity.
    pub severity: Severity,
    /// One-line summary.
    pub summary: &'static str,
}

/// The object a diagnostic is about.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ObjectRef {
    /// `apiVersion`.
    pub api_version: String,
    /// `kind`.
    pub kind: String,
    /// `metadata.namespace`, if given.
    pub namespace: Option<String>,
    /// `metadata.name` (or `generateName`), if given.
    pub name: Option<String>,
}

/// A secondary location, possibly in another file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    /// The file.
    pub file: FileId,
    /// The range.
    pub span: Span,
    /// What is there.
    pub message: String,
}

/// One text edit of a fix: replace `span` of `file` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The file.
    pub file: FileId,
    /// The bytes to replace (empty to insert at `span.start`).
    pub span: Span,
    /// The new text.
    pub replacement: String,
}

/// A mechanical change that resolves a finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What it does, in the imperative ("Add `protocol: UDP`").
    pub title: String,
    /// The edits, applied together.
    pub edits: Vec<Edit>,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Which rule.
    pub rule: Rule,
    /// Effective severity.
    pub severity: Severity,
    /// The message.
    pub message: String,
    /// The file.
    pub file: FileId,
    /// The primary range.
    pub span: Span,
    /// The object, when the finding is about one.
    pub object: Option<ObjectRef>,
    /// The Kubernetes field path, when the finding is about a field.
    pub path: Option<FieldPath>,
    /// Secondary locations.
    pub labels: Vec<Label>,
    /// What to do about it.
    pub help: Option<String>,
    /// A mechanical fix, when there is one.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A diagnostic with the rule's default severity.
    pub fn new(rule: Rule, file: FileId, span: Span, message: impl Into<String>) -> Self {
        Self {
            rule,
            severity: rule.severity,
            message: message.into(),
            file,
            span,
            object: None,
            path: None,
            labels: Vec::new(),
            help: None,
            fix: None,
        }
    }

    /// Sets the object.
    #[must_use]
    pub fn with_object(mut self, object: Option<ObjectRef>) -> Self {
        self.object = object;
        self
    }

    /// Sets the field path.
    #[must_use]
    pub fn with_path(mut self, path: FieldPath) -> Self {
        self.path = Some(path);
        self
    }

    /// Adds a secondary label.
    #[must_use]
    pub fn with_label(mut self, label: Label) -> Self {
        self.labels.push(label);
        self
    }

    /// Sets the fix.
    #[must_use]
    pub fn with_fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Sets the help text.
    #[must_use]
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}
