//! Requirements and selectors: construction rules (upstream `NewRequirement`), matching and the
//! canonical string form (STR-CANONICAL).

use std::fmt;

use super::error::{SelectorError, SelectorErrorKind};
use super::Labels;
use crate::validate::primitives::{label_value, qualified_name};

/// The operator of a [`Requirement`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Operator {
    /// `key=value`
    Equals,
    /// `key==value`
    DoubleEquals,
    /// `key!=value` (also matches when the key is absent)
    NotEquals,
    /// `key in (a,b)`
    In,
    /// `key notin (a,b)` (also matches when the key is absent)
    NotIn,
    /// `key`
    Exists,
    /// `!key`
    DoesNotExist,
    /// `key>5`
    GreaterThan,
    /// `key<5`
    LessThan,
}

impl Operator {
    /// The upstream internal name (STR-OPERATOR-NAMES): `=`, `==`, `!=`, `in`, `notin`,
    /// `exists`, `!`, `gt`, `lt`.
    pub fn name(self) -> &'static str {
        match self {
            Operator::Equals => "=",
            Operator::DoubleEquals => "==",
            Operator::NotEquals => "!=",
            Operator::In => "in",
            Operator::NotIn => "notin",
            Operator::Exists => "exists",
            Operator::DoesNotExist => "!",
            Operator::GreaterThan => "gt",
            Operator::LessThan => "lt",
        }
    }

    /// How the operator is written in a selector string (`>` rather than `gt`).
    pub(crate) fn symbol(self) -> &'static str {
        match self {
            Operator::GreaterThan => ">",
            Operator::LessThan => "<",
            Operator::Exists => "",
            other => other.name(),
        }
    }
}

impl fmt::Display for Operator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Which part of a requirement a construction problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Culprit {
    /// The key.
    Key,
    /// The number of values.
    Values,
    /// The value at this index (of the list given to [`check`]).
    Value(usize),
}

/// A construction problem, before it is placed in an input text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Problem {
    pub(crate) kind: SelectorErrorKind,
    pub(crate) message: String,
    pub(crate) culprit: Culprit,
}

impl Problem {
    fn new(kind: SelectorErrorKind, culprit: Culprit, message: String) -> Self {
        Self {
            kind,
            message,
            culprit,
        }
    }
}

/// The rules of upstream `NewRequirement`, reported as the first failure in upstream order:
/// key, number of values, integer-ness of `>`/`<` values, then each value as a label value.
pub(crate) fn check(key: &str, operator: Operator, values: &[String]) -> Result<(), Problem> {
    let key_problems = qualified_name(key);
    if !key_problems.is_empty() {
        return Err(Problem::new(
            SelectorErrorKind::InvalidLabelKey,
            Culprit::Key,
            format!("invalid label key {key:?}: {}", key_problems.join("; ")),
        ));
    }
    let count_problem = match operator {
        Operator::In | Operator::NotIn if values.is_empty() => {
            Some("'in' and 'notin' need a non-empty set of values")
        }
        Operator::Equals | Operator::DoubleEquals | Operator::NotEquals if values.len() != 1 => {
            Some("'=', '==' and '!=' need exactly one value")
        }
        Operator::Exists | Operator::DoesNotExist if !values.is_empty() => {
            Some("exists and does-not-exist ('!') take no values")
        }
        Operator::GreaterThan | Operator::LessThan if values.len() != 1 => {
            Some("'>' and '<' need exactly one value")
        }
        _ => None,
    };
    if let Some(message) = count_problem {
        return Err(Problem::new(
            SelectorErrorKind::Syntax,
            Culprit::Values,
            format!("{message} (key {key:?})"),
        ));
    }
    if matches!(operator, Operator::GreaterThan | Operator::LessThan) {
        for (i, value) in values.iter().enumerate() {
            if value.parse::<i64>().is_err() {
                let what = if value.is_empty() {
                    "a value is missing".to_owned()
                } else {
                    format!("{value:?} is not one")
                };
                return Err(Problem::new(
                    SelectorErrorKind::GtLtNotInteger,
                    Culprit::Value(i),
                    format!(
                        "'{}' needs a base-10 64-bit integer after it, but {what} (key {key:?})",
                        operator.symbol()
                    ),
                ));
            }
        }
    }
    for (i, value) in values.iter().enumerate() {
        let problems = label_value(value);
        if !problems.is_empty() {
            let mut message = format!(
                "invalid label value {value:?} for key {key:?}: {}",
                problems.join("; ")
            );
            if matches!(operator, Operator::GreaterThan | Operator::LessThan) {
                message.push_str(
                    " (the number after '>' or '<' must also be a valid label value, so it cannot have a sign)",
                );
            }
            return Err(Problem::new(
                SelectorErrorKind::InvalidLabelValue,
                Culprit::Value(i),
                message,
            ));
        }
    }
    Ok(())
}

/// One condition on one label: a key, an operator and (for most operators) values.
///
/// Values are kept sorted (byte order) and without duplicates.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Requirement {
    key: String,
    operator: Operator,
    values: Vec<String>,
}

impl Requirement {
    /// A validated requirement, with the rules of upstream `NewRequirement`: the key must be a
    /// label key; `in`/`notin` need at least one value, `=`/`==`/`!=`/`>`/`<` exactly one,
    /// exists/does-not-exist none; `>`/`<` values must be int64; every value must be a label
    /// value. Values are sorted and de-duplicated. The error's span is `0..0`.
    pub fn new<K, V, I>(key: K, operator: Operator, values: I) -> Result<Self, SelectorError>
    where
        K: Into<String>,
        V: Into<String>,
        I: IntoIterator<Item = V>,
    {
        let key = key.into();
        let values: Vec<String> = values.into_iter().map(Into::into).collect();
        check(&key, operator, &values)
            .map_err(|problem| SelectorError::new(problem.kind, problem.message, 0..0))?;
        Ok(Self::new_unchecked(key, operator, values))
    }

    /// A requirement from parts already checked; sorts and de-duplicates the values.
    pub(crate) fn new_unchecked(key: String, operator: Operator, mut values: Vec<String>) -> Self {
        crate::sort::sort(&mut values);
        values.dedup();
        Self {
            key,
            operator,
            values,
        }
    }

    /// The label key.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The operator.
    pub fn operator(&self) -> Operator {
        self.operator
    }

    /// The values, sorted and de-duplicated (empty for exists / does-not-exist).
    pub fn values(&self) -> &[String] {
        &self.values
    }

    fn has_value(&self, value: &str) -> bool {
        self.values
            .binary_search_by(|v| v.as_str().cmp(value))
            .is_ok()
    }

    /// Whether `labels` satisfy this requirement (STR-MATCH). `!=` and `notin` match when the
    /// key is absent; `>` and `<` need the label value to parse as an int64.
    pub fn matches(&self, labels: &impl Labels) -> bool {
        let found = labels.label(&self.key);
        match self.operator {
            Operator::Equals | Operator::DoubleEquals | Operator::In => {
                found.is_some_and(|v| self.has_value(v))
            }
            Operator::NotEquals | Operator::NotIn => found.is_none_or(|v| !self.has_value(v)),
            Operator::Exists => found.is_some(),
            Operator::DoesNotExist => found.is_none(),
            Operator::GreaterThan | Operator::LessThan => {
                let Some(actual) = found.and_then(|v| v.parse::<i64>().ok()) else {
                    return false;
                };
                let threshold = match self.values.as_slice() {
                    [only] => only.parse::<i64>().ok(),
                    _ => None,
                };
                match threshold {
                    Some(t) if self.operator == Operator::GreaterThan => actual > t,
                    Some(t) => actual < t,
                    None => false,
                }
            }
        }
    }
}

/// The canonical form (STR-CANONICAL): `!k`, `k`, `k=v`, `k==v`, `k!=v`, `k>v`, `k<v`,
/// `k in (a,b)`, `k notin (a,b)`.
impl fmt::Display for Requirement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (before, after) = match self.operator {
            Operator::Exists => return f.write_str(&self.key),
            Operator::DoesNotExist => return write!(f, "!{}", self.key),
            Operator::In => (" in (", ")"),
            Operator::NotIn => (" notin (", ")"),
            other => (other.symbol(), ""),
        };
        f.write_str(&self.key)?;
        f.write_str(before)?;
        for (i, value) in self.values.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            f.write_str(value)?;
        }
        f.write_str(after)
    }
}

/// A conjunction of requirements, sorted by key (stable for equal keys). Empty selects
/// everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Selector {
    requirements: Vec<Requirement>,
}

impl Selector {
    /// The selector that matches every label set.
    pub fn everything() -> Self {
        Self::default()
    }

    /// A selector of these requirements, sorted by key (stable).
    pub fn from_requirements(mut requirements: Vec<Requirement>) -> Self {
        crate::sort::sort_by(&mut requirements, |a, b| a.key.cmp(&b.key));
        Self { requirements }
    }

    /// The requirements, sorted by key.
    pub fn requirements(&self) -> &[Requirement] {
        &self.requirements
    }

    /// Whether every requirement matches `labels`.
    pub fn matches(&self, labels: &impl Labels) -> bool {
        self.requirements.iter().all(|r| r.matches(labels))
    }

    /// True when there are no requirements (the selector matches everything).
    pub fn is_empty(&self) -> bool {
        self.requirements.is_empty()
    }
}

impl FromIterator<Requirement> for Selector {
    fn from_iter<T: IntoIterator<Item = Requirement>>(iter: T) -> Self {
        Self::from_requirements(iter.into_iter().collect())
    }
}

/// The canonical Kubernetes string: the requirements' canonical forms joined by `,`.
impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, requirement) in self.requirements.iter().enumerate() {
            if i > 0 {
                f.write_str(",")?;
            }
            write!(f, "{requirement}")?;
        }
        Ok(())
    }
}

impl std::str::FromStr for Selector {
    type Err = SelectorError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        super::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, HashMap};

    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn req(key: &str, op: Operator, values: &[&str]) -> Requirement {
        Requirement::new(key, op, values.iter().copied()).unwrap()
    }

    #[test]
    fn operator_names() {
        let all = [
            (Operator::Equals, "="),
            (Operator::DoubleEquals, "=="),
            (Operator::NotEquals, "!="),
            (Operator::In, "in"),
            (Operator::NotIn, "notin"),
            (Operator::Exists, "exists"),
            (Operator::DoesNotExist, "!"),
            (Operator::GreaterThan, "gt"),
            (Operator::LessThan, "lt"),
        ];
        for (op, name) in all {
            assert_eq!(op.name(), name);
            assert_eq!(op.to_string(), name);
        }
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(req("a", Operator::Equals, &["b"]).to_string(), "a=b");
        assert_eq!(req("a", Operator::DoubleEquals, &["b"]).to_string(), "a==b");
        assert_eq!(req("a", Operator::NotEquals, &[""]).to_string(), "a!=");
        assert_eq!(req("a", Operator::GreaterThan, &["01"]).to_string(), "a>01");
        assert_eq!(req("a", Operator::LessThan, &["7"]).to_string(), "a<7");
        assert_eq!(req("a", Operator::Exists, &[]).to_string(), "a");
        assert_eq!(req("a", Operator::DoesNotExist, &[]).to_string(), "!a");
        assert_eq!(
            req("a", Operator::In, &["y", "x", "y"]).to_string(),
            "a in (x,y)"
        );
        assert_eq!(
            req("a", Operator::NotIn, &["", "b"]).to_string(),
            "a notin (,b)"
        );
        assert_eq!(req("a", Operator::In, &[""]).to_string(), "a in ()");
        let selector: Selector = [
            req("e", Operator::Exists, &[]),
            req("c", Operator::In, &["y", "x"]),
            req("a", Operator::Equals, &["b"]),
            req("d", Operator::DoesNotExist, &[]),
        ]
        .into_iter()
        .collect();
        assert_eq!(selector.to_string(), "a=b,c in (x,y),!d,e");
        assert_eq!(Selector::everything().to_string(), "");
        assert!(Selector::everything().is_empty());
    }

    #[test]
    fn sort_is_stable_for_equal_keys() {
        let selector = Selector::from_requirements(vec![
            req("x", Operator::Equals, &["b"]),
            req("a", Operator::Exists, &[]),
            req("x", Operator::Equals, &["a"]),
        ]);
        assert_eq!(selector.to_string(), "a,x=b,x=a");
    }

    #[test]
    fn construction_rules() {
        let kind = |r: Result<Requirement, SelectorError>| r.map_err(|e| e.kind).err();
        assert_eq!(
            kind(Requirement::new(
                "-a",
                Operator::Exists,
                Vec::<String>::new()
            )),
            Some(SelectorErrorKind::InvalidLabelKey)
        );
        assert_eq!(
            kind(Requirement::new("a", Operator::In, Vec::<String>::new())),
            Some(SelectorErrorKind::Syntax)
        );
        assert_eq!(
            kind(Requirement::new("a", Operator::Equals, ["x", "x"])),
            Some(SelectorErrorKind::Syntax)
        );
        assert_eq!(
            kind(Requirement::new("a", Operator::Exists, ["x"])),
            Some(SelectorErrorKind::Syntax)
        );
        assert_eq!(
            kind(Requirement::new("a", Operator::GreaterThan, ["1.5"])),
            Some(SelectorErrorKind::GtLtNotInteger)
        );
        assert_eq!(
            kind(Requirement::new("a", Operator::GreaterThan, ["-1"])),
            Some(SelectorErrorKind::InvalidLabelValue)
        );
        assert_eq!(
            kind(Requirement::new("a", Operator::In, ["ok", "b@d"])),
            Some(SelectorErrorKind::InvalidLabelValue)
        );
        let err = Requirement::new("a", Operator::In, ["b@d"]).unwrap_err();
        assert_eq!(err.span, 0..0);
        assert!(err.message.contains("\"b@d\""), "{}", err.message);
    }

    #[test]
    fn equality_matching() {
        let l = labels(&[("app", "web"), ("tier", "")]);
        assert!(req("app", Operator::Equals, &["web"]).matches(&l));
        assert!(req("app", Operator::DoubleEquals, &["web"]).matches(&l));
        assert!(!req("app", Operator::Equals, &["db"]).matches(&l));
        assert!(!req("missing", Operator::Equals, &[""]).matches(&l));
        assert!(req("tier", Operator::Equals, &[""]).matches(&l));
        assert!(req("app", Operator::NotEquals, &["db"]).matches(&l));
        assert!(!req("app", Operator::NotEquals, &["web"]).matches(&l));
        // != matches a missing key.
        assert!(req("missing", Operator::NotEquals, &["web"]).matches(&l));
    }

    #[test]
    fn set_matching() {
        let l = labels(&[("app", "web")]);
        assert!(req("app", Operator::In, &["db", "web"]).matches(&l));
        assert!(!req("app", Operator::In, &["db"]).matches(&l));
        assert!(!req("missing", Operator::In, &["", "web"]).matches(&l));
        assert!(req("app", Operator::NotIn, &["db"]).matches(&l));
        assert!(!req("app", Operator::NotIn, &["web", "x"]).matches(&l));
        // notin matches a missing key.
        assert!(req("missing", Operator::NotIn, &["web"]).matches(&l));
        assert!(req("app", Operator::Exists, &[]).matches(&l));
        assert!(!req("missing", Operator::Exists, &[]).matches(&l));
        assert!(req("missing", Operator::DoesNotExist, &[]).matches(&l));
        assert!(!req("app", Operator::DoesNotExist, &[]).matches(&l));
    }

    #[test]
    fn numeric_matching() {
        let l = labels(&[
            ("n", "10"),
            ("neg", "-3"),
            ("zero", "007"),
            ("float", "1.5"),
            ("word", "ten"),
            ("plus", "+11"),
            ("big", "9223372036854775808"),
        ]);
        assert!(req("n", Operator::GreaterThan, &["9"]).matches(&l));
        assert!(!req("n", Operator::GreaterThan, &["10"]).matches(&l));
        assert!(req("n", Operator::LessThan, &["11"]).matches(&l));
        assert!(!req("n", Operator::LessThan, &["10"]).matches(&l));
        assert!(req("neg", Operator::LessThan, &["0"]).matches(&l));
        assert!(req("zero", Operator::GreaterThan, &["06"]).matches(&l));
        // Like Go's ParseInt, a leading '+' parses.
        assert!(req("plus", Operator::GreaterThan, &["10"]).matches(&l));
        // Non-integer and out-of-range label values match neither way.
        for key in ["float", "word", "big", "missing"] {
            assert!(
                !req(key, Operator::GreaterThan, &["0"]).matches(&l),
                "{key}"
            );
            assert!(!req(key, Operator::LessThan, &["99"]).matches(&l), "{key}");
        }
    }

    #[test]
    fn selector_matching_is_and() {
        let l: HashMap<String, String> = [("a", "1"), ("b", "2")]
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let both = Selector::from_requirements(vec![
            req("a", Operator::Equals, &["1"]),
            req("b", Operator::In, &["2", "3"]),
        ]);
        assert!(both.matches(&l));
        let one_fails = Selector::from_requirements(vec![
            req("a", Operator::Equals, &["1"]),
            req("c", Operator::Exists, &[]),
        ]);
        assert!(!one_fails.matches(&l));
        assert!(Selector::everything().matches(&l));
        // Duplicate keys are allowed and ANDed.
        let contradiction = Selector::from_requirements(vec![
            req("a", Operator::Equals, &["1"]),
            req("a", Operator::Equals, &["2"]),
        ]);
        assert!(!contradiction.matches(&l));
    }
}
