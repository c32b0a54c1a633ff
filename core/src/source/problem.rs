//! Problems found while loading a file, before any object is looked at.

use super::span::Span;

/// What went wrong while loading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// Malformed YAML or JSON.
    Syntax,
    /// The bytes are not UTF-8 text.
    NotUtf8,
    /// The file looks binary.
    Binary,
    /// A size, depth, value-count or alias limit was exceeded.
    LimitExceeded,
    /// A mapping repeats a key.
    DuplicateKey,
    /// A plain scalar means something else to kubectl's YAML 1.1 decoder than to YAML 1.2.
    Yaml11,
}

/// One loading problem with its location.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadProblem {
    /// What went wrong.
    pub kind: ProblemKind,
    /// Where.
    pub span: Span,
    /// The explanation.
    pub message: String,
    /// A second place that matters (the first occurrence of a duplicate key).
    pub related: Option<Span>,
}

impl LoadProblem {
    /// A problem without a related location.
    pub fn new(kind: ProblemKind, span: Span, message: impl Into<String>) -> Self {
        Self {
            kind,
            span,
            message: message.into(),
            related: None,
        }
    }

    /// The same problem with a related location.
    #[must_use]
    pub fn with_related(mut self, related: Option<Span>) -> Self {
        self.related = related;
        self
    }
}
