//! Field errors as the API server reports them: a type, a field path, the offending value and
//! a detail sentence.

use std::fmt;

use crate::path::FieldPath;

/// The kinds of field error the API server returns for the objects netward validates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// A required value is missing.
    Required,
    /// The value is malformed or out of range.
    Invalid,
    /// The value is not one of an enumerated set.
    NotSupported,
    /// The field may not be set in this situation.
    Forbidden,
    /// The value repeats an earlier one that must be unique.
    Duplicate,
    /// The value is longer than allowed.
    TooLong,
}

impl ErrorKind {
    /// How the API server spells the kind in its messages.
    pub fn label(self) -> &'static str {
        match self {
            ErrorKind::Required => "Required value",
            ErrorKind::Invalid => "Invalid value",
            ErrorKind::NotSupported => "Unsupported value",
            ErrorKind::Forbidden => "Forbidden",
            ErrorKind::Duplicate => "Duplicate value",
            ErrorKind::TooLong => "Too long",
        }
    }
}

/// One validation failure: what the API server would answer for one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// What kind of failure.
    pub kind: ErrorKind,
    /// Where, as the API server renders it.
    pub path: FieldPath,
    /// The offending value rendered for the message (quoted strings, plain numbers), if any.
    pub value: Option<String>,
    /// The explanation.
    pub detail: String,
}

impl FieldError {
    fn new(
        kind: ErrorKind,
        path: &FieldPath,
        value: Option<String>,
        detail: impl Into<String>,
    ) -> Self {
        Self {
            kind,
            path: path.clone(),
            value,
            detail: detail.into(),
        }
    }

    /// A required value is missing.
    pub fn required(path: &FieldPath, detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Required, path, None, detail)
    }

    /// The value is invalid; `value` is shown in the message.
    pub fn invalid(
        path: &FieldPath,
        value: impl Into<BadValue>,
        detail: impl Into<String>,
    ) -> Self {
        Self::new(ErrorKind::Invalid, path, Some(value.into().0), detail)
    }

    /// The value is not one of `supported`.
    pub fn not_supported(path: &FieldPath, value: impl Into<BadValue>, supported: &[&str]) -> Self {
        let list = supported
            .iter()
            .map(|s| format!("\"{s}\""))
            .collect::<Vec<_>>()
            .join(", ");
        Self::new(
            ErrorKind::NotSupported,
            path,
            Some(value.into().0),
            format!("supported values: {list}"),
        )
    }

    /// The field may not be set here.
    pub fn forbidden(path: &FieldPath, detail: impl Into<String>) -> Self {
        Self::new(ErrorKind::Forbidden, path, None, detail)
    }

    /// The value repeats an earlier one.
    pub fn duplicate(path: &FieldPath, value: impl Into<BadValue>) -> Self {
        Self::new(
            ErrorKind::Duplicate,
            path,
            Some(value.into().0),
            String::new(),
        )
    }

    /// The value is too long.
    pub fn too_long(path: &FieldPath, limit: usize) -> Self {
        Self::new(
            ErrorKind::TooLong,
            path,
            None,
            format!("may not be more than {limit} bytes"),
        )
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.path.is_root() {
            write!(f, "{}: ", self.path)?;
        }
        f.write_str(self.kind.label())?;
        if let Some(value) = &self.value {
            write!(f, ": {value}")?;
        }
        if !self.detail.is_empty() {
            write!(f, ": {}", self.detail)?;
        }
        Ok(())
    }
}

/// A value rendered for an error message: strings quoted, numbers plain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadValue(pub String);

impl From<&str> for BadValue {
    fn from(value: &str) -> Self {
        BadValue(format!("{value:?}"))
    }
}

impl From<&String> for BadValue {
    fn from(value: &String) -> Self {
        BadValue(format!("{value:?}"))
    }
}

macro_rules! bad_value_from_number {
    ($($t:ty),*) => {$(
        impl From<$t> for BadValue {
            fn from(value: $t) -> Self {
                BadValue(value.to_string())
            }
        }
    )*};
}
bad_value_from_number!(i32, i64, u16, u32, usize);

/// One Invalid error per problem, all on `path`.
pub fn invalid_each(
    path: &FieldPath,
    value: impl Into<BadValue>,
    problems: Vec<String>,
) -> Vec<FieldError> {
    let value = value.into();
    problems
        .into_iter()
        .map(|problem| FieldError::invalid(path, value.clone(), problem))
        .collect()
}

/// Collected field errors.
pub type FieldErrors = Vec<FieldError>;
