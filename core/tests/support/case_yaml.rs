//! Reading test case files (YAML) with the engine's own loader.

use netward_core::source::{Node, Value};

/// A string field of a mapping.
pub fn text_field<'n>(node: &'n Node, field: &str) -> Option<&'n str> {
    node.get(field).and_then(Node::as_str)
}

/// The JSON value of a YAML node.
pub fn node_to_json(node: &Node) -> serde_json::Value {
    use serde_json::Value as J;
    match &node.value {
        Value::Null => J::Null,
        Value::Bool(b) => J::Bool(*b),
        Value::Int(i) => J::from(*i),
        Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
        Value::String(s) => J::String(s.to_string()),
        Value::Seq(items) => J::Array(items.iter().map(node_to_json).collect()),
        Value::Map(entries) => J::Object(
            entries
                .iter()
                .map(|e| {
                    (
                        e.key.key_text().unwrap_or_default().into_owned(),
                        node_to_json(&e.value),
                    )
                })
                .collect(),
        ),
    }
}
