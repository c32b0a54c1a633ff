//! Service rules.

pub mod external_ips;

/// The Service rules.
pub const RULES: &[&crate::rules::LintRule] = &[&external_ips::RULE];
