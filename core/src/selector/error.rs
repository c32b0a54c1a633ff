//! Errors of the string selector grammar.

use std::fmt;
use std::ops::Range;

/// Why a selector string was rejected (our own classification, as used by the test vectors).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SelectorErrorKind {
    /// The text does not follow the grammar (unexpected token, missing `(`, ...).
    Syntax,
    /// A key is not a valid label key (qualified name).
    InvalidLabelKey,
    /// A value is not a valid label value.
    InvalidLabelValue,
    /// The value of `>` / `<` is not a base-10 64-bit integer.
    GtLtNotInteger,
}

impl SelectorErrorKind {
    /// The kebab-case name used by the test vectors (`syntax`, `invalid-label-key`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            SelectorErrorKind::Syntax => "syntax",
            SelectorErrorKind::InvalidLabelKey => "invalid-label-key",
            SelectorErrorKind::InvalidLabelValue => "invalid-label-value",
            SelectorErrorKind::GtLtNotInteger => "gt-lt-not-integer",
        }
    }
}

impl fmt::Display for SelectorErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A rejected selector: what is wrong, in words, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorError {
    /// The classification of the problem.
    pub kind: SelectorErrorKind,
    /// A human explanation, naming the offending token.
    pub message: String,
    /// Byte range of the offending token in the parsed input. Zero-width where something is
    /// missing (at the end of the input, or where an empty value was implied). Always `0..0`
    /// for errors of [`Requirement::new`](super::Requirement::new), which has no input text.
    pub span: Range<usize>,
}

impl SelectorError {
    pub(crate) fn new(
        kind: SelectorErrorKind,
        message: impl Into<String>,
        span: Range<usize>,
    ) -> Self {
        Self {
            kind,
            message: message.into(),
            span,
        }
    }

    pub(crate) fn syntax(message: impl Into<String>, span: Range<usize>) -> Self {
        Self::new(SelectorErrorKind::Syntax, message, span)
    }
}

impl fmt::Display for SelectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for SelectorError {}
