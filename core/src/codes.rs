//! The codes of the findings the loader and API-server validation produce. Lint rules get
//! their own registry; these are fixed because they mirror what kubectl and the API server do.

use crate::diagnostic::{Category, Rule, Severity};
use crate::source::ProblemKind;
use crate::validate::ErrorKind;

const fn api(code: &'static str, name: &'static str, summary: &'static str) -> Rule {
    Rule {
        code,
        name,
        category: Category::Api,
        severity: Severity::Error,
        summary,
    }
}

/// Malformed YAML or JSON.
pub const SYNTAX: Rule = api(
    "NW0001",
    "invalid-yaml-syntax",
    "The document is not well-formed YAML or JSON.",
);
/// Not UTF-8 or binary.
pub const NOT_TEXT: Rule = api(
    "NW0002",
    "file-is-not-utf8-text",
    "The file is not UTF-8 text.",
);
/// A loading limit was exceeded.
pub const LIMIT: Rule = api(
    "NW0003",
    "input-limit-exceeded",
    "A size, depth or alias-expansion limit was exceeded.",
);
/// A repeated mapping key.
pub const DUPLICATE_KEY: Rule = api(
    "NW0004",
    "duplicate-mapping-key",
    "A mapping repeats a key.",
);
/// YAML 1.1 vs 1.2 surprise.
pub const YAML11: Rule = Rule {
    code: "NW0005",
    name: "yaml-1-1-scalar-surprise",
    category: Category::Suspicious,
    severity: Severity::Warning,
    summary: "An unquoted value means something else to kubectl (YAML 1.1) than to YAML 1.2 tools.",
};
/// A suppression (comment or annotation) that gives no reason.
pub const SUPPRESSION_WITHOUT_REASON: Rule = Rule {
    code: "NW0012",
    name: "suppression-without-reason",
    category: Category::Style,
    severity: Severity::Warning,
    summary: "A `netward-ignore` comment or `netward.dev/ignore` annotation gives no reason, so it suppresses nothing.",
};
/// A kind in an API version the API server no longer serves.
pub const REMOVED_API_VERSION: Rule = api(
    "NW0013",
    "api-version-removed",
    "The object uses an API version Kubernetes has removed; the API server rejects it.",
);
/// A document that is not a Kubernetes object.
pub const NOT_AN_OBJECT: Rule = api(
    "NW0006",
    "document-is-not-a-kubernetes-object",
    "A document is not a mapping with `apiVersion` and `kind`.",
);
/// A value of the wrong type.
pub const WRONG_TYPE: Rule = api(
    "NW0010",
    "field-has-wrong-type",
    "A field's value has the wrong type.",
);
/// A field the schema does not have.
pub const UNKNOWN_FIELD: Rule = api(
    "NW0011",
    "unknown-field",
    "A field is not part of the object's schema (kubectl's strict field validation rejects it).",
);
/// API validation: a required value is missing.
pub const REQUIRED: Rule = api(
    "NW1001",
    "api-required-value",
    "A value the API server requires is missing.",
);
/// API validation: an invalid value.
pub const INVALID: Rule = api(
    "NW1002",
    "api-invalid-value",
    "The API server rejects the value.",
);
/// API validation: a value outside the supported set.
pub const NOT_SUPPORTED: Rule = api(
    "NW1003",
    "api-unsupported-value",
    "The value is not one the API server supports.",
);
/// API validation: a field that may not be set here.
pub const FORBIDDEN: Rule = api(
    "NW1004",
    "api-forbidden-field",
    "The API server forbids the field here.",
);
/// API validation: a value that must be unique.
pub const DUPLICATE: Rule = api(
    "NW1005",
    "api-duplicate-value",
    "The value repeats one that must be unique.",
);
/// API validation: a value that is too long.
pub const TOO_LONG: Rule = api(
    "NW1006",
    "api-value-too-long",
    "The value is longer than the API server allows.",
);

/// Every fixed code, for listings and uniqueness tests.
pub const ALL: &[Rule] = &[
    SYNTAX,
    NOT_TEXT,
    LIMIT,
    DUPLICATE_KEY,
    YAML11,
    NOT_AN_OBJECT,
    WRONG_TYPE,
    UNKNOWN_FIELD,
    SUPPRESSION_WITHOUT_REASON,
    REMOVED_API_VERSION,
    REQUIRED,
    INVALID,
    NOT_SUPPORTED,
    FORBIDDEN,
    DUPLICATE,
    TOO_LONG,
];

/// The rule for a loading problem.
pub fn for_problem(kind: ProblemKind) -> Rule {
    match kind {
        ProblemKind::Syntax => SYNTAX,
        ProblemKind::NotUtf8 | ProblemKind::Binary => NOT_TEXT,
        ProblemKind::LimitExceeded => LIMIT,
        ProblemKind::DuplicateKey => DUPLICATE_KEY,
        ProblemKind::Yaml11 => YAML11,
    }
}

/// The rule for an API validation error.
pub fn for_field_error(kind: ErrorKind) -> Rule {
    match kind {
        ErrorKind::Required => REQUIRED,
        ErrorKind::Invalid => INVALID,
        ErrorKind::NotSupported => NOT_SUPPORTED,
        ErrorKind::Forbidden => FORBIDDEN,
        ErrorKind::Duplicate => DUPLICATE,
        ErrorKind::TooLong => TOO_LONG,
    }
}

#[cfg(test)]
mod tests {
    use super::ALL;

    #[test]
    fn codes_and_names_are_unique() {
        let mut codes: Vec<_> = ALL.iter().map(|r| r.code).collect();
        let mut names: Vec<_> = ALL.iter().map(|r| r.name).collect();
        codes.sort_unstable();
        codes.dedup();
        names.sort_unstable();
        names.dedup();
        assert_eq!(codes.len(), ALL.len());
        assert_eq!(names.len(), ALL.len());
    }
}
