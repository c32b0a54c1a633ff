//! Reading test case files (YAML) with the engine's own loader.

use netward_core::source::Node;

/// A string field of a mapping.
pub fn text_field<'n>(node: &'n Node, field: &str) -> Option<&'n str> {
    node.get(field).and_then(Node::as_str)
}

/// The JSON value of a YAML node.
pub fn node_to_json(node: &Node) -> serde_json::Value {
    node.to_json()
}
