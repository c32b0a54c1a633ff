//! The structured `metav1.LabelSelector` (spec §6): validation, matching and conversion to a
//! [`Selector`].

use std::collections::BTreeMap;

use super::requirement::{Operator, Requirement, Selector};
use super::Labels;
use crate::path::FieldPath;
use crate::validate::error::FieldError;
use crate::validate::primitives::{label_value, qualified_name};

/// A `metav1.LabelSelector` as decoded from a manifest (raw, unvalidated strings).
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct LabelSelector {
    /// `matchLabels`: each entry is an equality requirement.
    pub match_labels: BTreeMap<String, String>,
    /// `matchExpressions`.
    pub match_expressions: Vec<LabelSelectorRequirement>,
}

/// One entry of `matchExpressions`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct LabelSelectorRequirement {
    /// The label key.
    pub key: String,
    /// `In`, `NotIn`, `Exists` or `DoesNotExist` when valid; kept raw.
    pub operator: String,
    /// The values, in manifest order (duplicates allowed).
    pub values: Vec<String>,
}

/// Options of [`LabelSelector::validate`].
#[derive(Debug, Clone, Copy, Default)]
pub struct SelectorValidation {
    /// Skip the label-value check of `matchExpressions[i].values[j]` (NP-UPD-ALLOW-INVALID-VALUES:
    /// set on update when the old object's pod selector was already invalid). `matchLabels`
    /// values are still checked.
    pub allow_invalid_label_values_in_expressions: bool,
}

/// The structured operators, mapped to the string-grammar operators.
fn structured_operator(operator: &str) -> Option<Operator> {
    match operator {
        "In" => Some(Operator::In),
        "NotIn" => Some(Operator::NotIn),
        "Exists" => Some(Operator::Exists),
        "DoesNotExist" => Some(Operator::DoesNotExist),
        _ => None,
    }
}

impl LabelSelectorRequirement {
    fn validate(&self, path: &FieldPath, opts: SelectorValidation, errors: &mut Vec<FieldError>) {
        let values_path = path.child("values");
        match self.operator.as_str() {
            "In" | "NotIn" => {
                if self.values.is_empty() {
                    errors.push(FieldError::required(
                        &values_path,
                        "must be specified when `operator` is 'In' or 'NotIn'",
                    ));
                }
            }
            "Exists" | "DoesNotExist" => {
                if !self.values.is_empty() {
                    errors.push(FieldError::forbidden(
                        &values_path,
                        "may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
                    ));
                }
            }
            _ => errors.push(FieldError::invalid(
                &path.child("operator"),
                &self.operator,
                "not a valid selector operator",
            )),
        }
        let key_path = path.child("key");
        for problem in qualified_name(&self.key) {
            errors.push(FieldError::invalid(&key_path, &self.key, problem));
        }
        if !opts.allow_invalid_label_values_in_expressions {
            for (j, value) in self.values.iter().enumerate() {
                let problems = label_value(value);
                if problems.is_empty() {
                    continue;
                }
                let value_path = values_path.index(j);
                for problem in problems {
                    errors.push(FieldError::invalid(&value_path, value, problem));
                }
            }
        }
    }

    /// Matching without validation; an unknown operator matches nothing.
    fn matches(&self, labels: &impl Labels) -> bool {
        let found = labels.label(&self.key);
        let listed = |v: &str| self.values.iter().any(|x| x == v);
        match self.operator.as_str() {
            "In" => found.is_some_and(listed),
            "NotIn" => found.is_none_or(|v| !listed(v)),
            "Exists" => found.is_some(),
            "DoesNotExist" => found.is_none(),
            _ => false,
        }
    }
}

impl LabelSelector {
    /// True for `{}`: no matchLabels and no matchExpressions (selects everything).
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }

    /// The API server's checks (spec §6), with paths relative to `path`: matchLabels problems
    /// on `path.matchLabels` itself (SEL-MATCHLABELS), then for each expression its operator /
    /// value count, key and values (SEL-OP, SEL-IN-VALUES, SEL-EXISTS-VALUES, SEL-KEY,
    /// SEL-VALUES), all evaluated independently (SEL-INDEPENDENT). One error per problem.
    pub fn validate(&self, path: &FieldPath, opts: SelectorValidation) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let labels_path = path.child("matchLabels");
        for (key, value) in &self.match_labels {
            for problem in qualified_name(key) {
                errors.push(FieldError::invalid(&labels_path, key, problem));
            }
            for problem in label_value(value) {
                errors.push(FieldError::invalid(&labels_path, value, problem));
            }
        }
        let expressions_path = path.child("matchExpressions");
        for (i, expression) in self.match_expressions.iter().enumerate() {
            expression.validate(&expressions_path.index(i), opts, &mut errors);
        }
        errors
    }

    /// Whether `labels` are selected: every matchLabels entry and every expression must hold
    /// (`NotIn` and `DoesNotExist` match a missing key; an unknown operator matches nothing).
    /// Does not validate and does not allocate.
    pub fn matches(&self, labels: &impl Labels) -> bool {
        self.match_labels
            .iter()
            .all(|(key, value)| labels.label(key) == Some(value.as_str()))
            && self.match_expressions.iter().all(|e| e.matches(labels))
    }

    /// The equivalent [`Selector`], like upstream `LabelSelectorAsSelector`: matchLabels become
    /// `=` requirements, expressions `in`/`notin`/exists/`!`; requirements are then sorted by
    /// key (stable: matchLabels before expressions for the same key). Fails on the first
    /// invalid key, value, value count or operator. `{}` gives the empty selector.
    pub fn to_selector(&self) -> Result<Selector, String> {
        let mut requirements =
            Vec::with_capacity(self.match_labels.len() + self.match_expressions.len());
        for (key, value) in &self.match_labels {
            let requirement = Requirement::new(key.as_str(), Operator::Equals, [value.as_str()])
                .map_err(|e| format!("matchLabels: {}", e.message))?;
            requirements.push(requirement);
        }
        for (i, expression) in self.match_expressions.iter().enumerate() {
            let operator = structured_operator(&expression.operator).ok_or_else(|| {
                format!(
                    "matchExpressions[{i}]: {:?} is not a valid label selector operator",
                    expression.operator
                )
            })?;
            let requirement = Requirement::new(
                expression.key.as_str(),
                operator,
                expression.values.iter().map(String::as_str),
            )
            .map_err(|e| format!("matchExpressions[{i}]: {}", e.message))?;
            requirements.push(requirement);
        }
        Ok(Selector::from_requirements(requirements))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::validate::error::ErrorKind;

    fn expr(key: &str, operator: &str, values: &[&str]) -> LabelSelectorRequirement {
        LabelSelectorRequirement {
            key: key.to_owned(),
            operator: operator.to_owned(),
            values: values.iter().map(|v| (*v).to_owned()).collect(),
        }
    }

    fn selector(
        labels: &[(&str, &str)],
        expressions: Vec<LabelSelectorRequirement>,
    ) -> LabelSelector {
        LabelSelector {
            match_labels: labels
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
            match_expressions: expressions,
        }
    }

    fn labels(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    fn base() -> FieldPath {
        FieldPath::new(["spec", "podSelector"])
    }

    fn paths(selector: &LabelSelector, opts: SelectorValidation) -> Vec<(ErrorKind, String)> {
        selector
            .validate(&base(), opts)
            .into_iter()
            .map(|e| (e.kind, e.path.to_string()))
            .collect()
    }

    #[test]
    fn empty_is_valid_and_selects_everything() {
        let empty = LabelSelector::default();
        assert!(empty.is_empty());
        assert!(empty
            .validate(&base(), SelectorValidation::default())
            .is_empty());
        assert!(empty.matches(&labels(&[])));
        assert!(empty.matches(&labels(&[("a", "b")])));
        assert!(empty.to_selector().unwrap().is_empty());
        assert!(!selector(&[("a", "b")], vec![]).is_empty());
        assert!(!selector(&[], vec![expr("a", "Exists", &[])]).is_empty());
    }

    #[test]
    fn match_labels_errors_are_on_the_map() {
        let s = selector(
            &[("-bad", "ok"), ("good", "bad value"), ("a/b/c", "")],
            vec![],
        );
        let errors = s.validate(&base(), SelectorValidation::default());
        assert_eq!(errors.len(), 3);
        for e in &errors {
            assert_eq!(e.kind, ErrorKind::Invalid);
            assert_eq!(e.path.to_string(), "spec.podSelector.matchLabels");
        }
        // BTreeMap order: "-bad", "a/b/c", "good".
        assert_eq!(
            errors.first().and_then(|e| e.value.as_deref()),
            Some("\"-bad\"")
        );
        assert_eq!(
            errors.get(2).and_then(|e| e.value.as_deref()),
            Some("\"bad value\"")
        );
        // Invalid values under matchLabels are checked even with the update option.
        let lenient = SelectorValidation {
            allow_invalid_label_values_in_expressions: true,
        };
        assert_eq!(s.validate(&base(), lenient).len(), 3);
    }

    #[test]
    fn expression_rules_and_paths() {
        let s = selector(
            &[],
            vec![
                expr("ok", "In", &[]),
                expr("ok", "NotIn", &["a", "a"]),
                expr("ok", "Exists", &["x"]),
                expr("ok", "DoesNotExist", &[]),
                expr("ok", "in", &["a"]),
                expr("ok", "", &[]),
                expr("ok", "Gt", &["1"]),
                expr("", "Exists", &[]),
                expr("ok", "In", &["fine", "not ok", ""]),
            ],
        );
        let p = "spec.podSelector.matchExpressions";
        assert_eq!(
            paths(&s, SelectorValidation::default()),
            [
                (ErrorKind::Required, format!("{p}[0].values")),
                (ErrorKind::Forbidden, format!("{p}[2].values")),
                (ErrorKind::Invalid, format!("{p}[4].operator")),
                (ErrorKind::Invalid, format!("{p}[5].operator")),
                (ErrorKind::Invalid, format!("{p}[6].operator")),
                (ErrorKind::Invalid, format!("{p}[7].key")),
                (ErrorKind::Invalid, format!("{p}[8].values[1]")),
            ]
        );
    }

    #[test]
    fn checks_are_independent() {
        // Unknown operator, bad key and bad value: all three reported, in that order.
        let s = selector(&[], vec![expr("-k", "Equals", &["-v"])]);
        let p = "spec.podSelector.matchExpressions[0]";
        assert_eq!(
            paths(&s, SelectorValidation::default()),
            [
                (ErrorKind::Invalid, format!("{p}.operator")),
                (ErrorKind::Invalid, format!("{p}.key")),
                (ErrorKind::Invalid, format!("{p}.values[0]")),
            ]
        );
        // Exists with values: Forbidden and still each value checked.
        let s = selector(&[], vec![expr("k", "Exists", &["-v"])]);
        assert_eq!(
            paths(&s, SelectorValidation::default()),
            [
                (ErrorKind::Forbidden, format!("{p}.values")),
                (ErrorKind::Invalid, format!("{p}.values[0]")),
            ]
        );
    }

    #[test]
    fn update_option_skips_expression_values_only() {
        let s = selector(&[], vec![expr("-k", "In", &["-v", "w w"])]);
        let lenient = SelectorValidation {
            allow_invalid_label_values_in_expressions: true,
        };
        assert_eq!(
            paths(&s, lenient),
            [(
                ErrorKind::Invalid,
                "spec.podSelector.matchExpressions[0].key".to_owned()
            )]
        );
        assert_eq!(paths(&s, SelectorValidation::default()).len(), 3);
    }

    #[test]
    fn nested_paths() {
        let path = FieldPath::new(["spec", "egress"])
            .index(0)
            .child("to")
            .index(1)
            .child("namespaceSelector");
        let s = selector(&[("x", "-")], vec![expr("k", "In", &["ok", "-"])]);
        let rendered: Vec<String> = s
            .validate(&path, SelectorValidation::default())
            .iter()
            .map(|e| e.path.to_string())
            .collect();
        assert_eq!(
            rendered,
            [
                "spec.egress[0].to[1].namespaceSelector.matchLabels",
                "spec.egress[0].to[1].namespaceSelector.matchExpressions[0].values[1]",
            ]
        );
    }

    #[test]
    fn structured_matching() {
        let pod = labels(&[("app", "web"), ("tier", "front")]);
        assert!(selector(&[("app", "web")], vec![]).matches(&pod));
        assert!(!selector(&[("app", "web"), ("x", "y")], vec![]).matches(&pod));
        assert!(selector(&[], vec![expr("tier", "In", &["back", "front"])]).matches(&pod));
        assert!(!selector(&[], vec![expr("tier", "In", &["back"])]).matches(&pod));
        assert!(!selector(&[], vec![expr("gone", "In", &["back"])]).matches(&pod));
        assert!(selector(&[], vec![expr("gone", "NotIn", &["back"])]).matches(&pod));
        assert!(!selector(&[], vec![expr("app", "NotIn", &["web"])]).matches(&pod));
        assert!(selector(&[], vec![expr("app", "Exists", &[])]).matches(&pod));
        assert!(selector(&[], vec![expr("gone", "DoesNotExist", &[])]).matches(&pod));
        assert!(!selector(&[], vec![expr("app", "DoesNotExist", &[])]).matches(&pod));
        // Unknown operators match nothing, even where the key fits.
        for op in ["Gt", "in", "", "Equals"] {
            assert!(
                !selector(&[], vec![expr("app", op, &["web"])]).matches(&pod),
                "{op}"
            );
        }
        // AND of labels and expressions.
        assert!(
            !selector(&[("app", "web")], vec![expr("tier", "NotIn", &["front"])]).matches(&pod)
        );
    }

    #[test]
    fn conversion_to_selector() {
        let s = selector(
            &[("c", "3"), ("a", "1")],
            vec![
                expr("b", "In", &["y", "x", "y"]),
                expr("a", "DoesNotExist", &[]),
                expr("d", "NotIn", &[""]),
                expr("e", "Exists", &[]),
            ],
        );
        let converted = s.to_selector().unwrap();
        assert_eq!(converted.to_string(), "a=1,!a,b in (x,y),c=3,d notin (),e");
        let pod = labels(&[("c", "3"), ("b", "x"), ("a", "1")]);
        assert_eq!(converted.matches(&pod), s.matches(&pod));
        let pod = labels(&[("c", "3"), ("b", "x"), ("e", "")]);
        assert_eq!(converted.matches(&pod), s.matches(&pod));
        assert!(!converted.matches(&pod));
        let s = selector(
            &[("c", "3")],
            vec![expr("b", "In", &["x"]), expr("e", "Exists", &[])],
        );
        let pod = labels(&[("c", "3"), ("b", "x"), ("e", "")]);
        assert!(s.matches(&pod) && s.to_selector().unwrap().matches(&pod));
    }

    #[test]
    fn conversion_errors() {
        let err = selector(&[], vec![expr("a", "Gt", &["1"])])
            .to_selector()
            .unwrap_err();
        assert!(
            err.contains("\"Gt\" is not a valid label selector operator"),
            "{err}"
        );
        let err = selector(&[], vec![expr("a", "In", &[])])
            .to_selector()
            .unwrap_err();
        assert!(err.starts_with("matchExpressions[0]:"), "{err}");
        assert!(selector(&[], vec![expr("a", "Exists", &["x"])])
            .to_selector()
            .is_err());
        let err = selector(&[("-a", "b")], vec![]).to_selector().unwrap_err();
        assert!(err.starts_with("matchLabels:"), "{err}");
        assert!(selector(&[("a", "b c")], vec![]).to_selector().is_err());
    }
}
