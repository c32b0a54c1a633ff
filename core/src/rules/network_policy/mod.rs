//! NetworkPolicy rules.

pub mod rule_allows_any_peer;

/// The NetworkPolicy rules.
pub const RULES: &[&crate::rules::LintRule] = &[&rule_allows_any_peer::RULE];
