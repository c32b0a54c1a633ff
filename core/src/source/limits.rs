//! Bounds on what one load may cost, so hostile input cannot hang or exhaust the engine.

use serde::{Deserialize, Serialize};

/// Limits applied while loading manifests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct LoadLimits {
    /// Largest file accepted, in bytes.
    pub max_file_bytes: usize,
    /// Largest single document, in bytes.
    pub max_document_bytes: usize,
    /// Deepest nesting of mappings and sequences.
    pub max_depth: usize,
    /// Most values (scalars and containers, aliases expanded) in one document.
    pub max_nodes: usize,
    /// Most values that alias expansion may add to one document.
    pub max_alias_nodes: usize,
}

impl Default for LoadLimits {
    fn default() -> Self {
        Self {
            max_file_bytes: 64 * 1024 * 1024,
            max_document_bytes: 3 * 1024 * 1024,
            max_depth: 128,
            max_nodes: 1_000_000,
            max_alias_nodes: 100_000,
        }
    }
}
