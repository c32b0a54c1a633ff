//! Rules about the bundle as a whole rather than one kind of object.

pub mod duplicate_object;

/// The bundle rules.
pub const RULES: &[&crate::rules::LintRule] = &[&duplicate_object::RULE];
