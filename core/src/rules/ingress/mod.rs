//! Ingress rules.

/// The Ingress rules.
pub const RULES: &[&crate::rules::LintRule] = &[];
