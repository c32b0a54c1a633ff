//! Every lint rule. Each area lists its rules by hand in its `RULES`; this joins them.

use super::LintRule;
use super::{bundle, ingress, network_policy, service};

/// All lint rules, ordered by code.
pub fn all() -> &'static [&'static LintRule] {
    static ALL: std::sync::OnceLock<Vec<&'static LintRule>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| {
        let mut rules: Vec<&'static LintRule> = service::RULES
            .iter()
            .chain(network_policy::RULES)
            .chain(ingress::RULES)
            .chain(bundle::RULES)
            .copied()
            .collect();
        crate::sort::sort_by_key(&mut rules, |r| r.rule.code);
        rules
    })
}

pub fn find(code_or_name: &str) -> Option<&'static LintRule> {
    all()
        .iter()
        .copied()
        .find(|r| r.rule.code.eq_ignore_ascii_case(code_or_name) || r.rule.name == code_or_name)
}
