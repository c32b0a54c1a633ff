//! Every lint rule. Each area lists its rules by hand in its `RULES`; this joins them.

use super::LintRule;
use super::{bundle, ingress, network_policy, service};

/// All lint rules, ordered by code.
pub fn all() -> Vec<&'static LintRule> {
    let mut rules: Vec<&'static LintRule> = service::RULES
        .iter()
        .chain(network_policy::RULES)
        .chain(ingress::RULES)
        .chain(bundle::RULES)
        .copied()
        .collect();
    rules.sort_by_key(|r| r.rule.code);
    rules
}

/// The rule with this code (case-insensitive) or name.
pub fn find(code_or_name: &str) -> Option<&'static LintRule> {
    all()
        .into_iter()
        .find(|r| r.rule.code.eq_ignore_ascii_case(code_or_name) || r.rule.name == code_or_name)
}
