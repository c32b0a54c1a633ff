//! The spanned value tree every manifest document becomes: JSON-like values as the API
//! server's decoder sees them, each with the byte range it came from.

use super::span::Span;
use crate::path::{FieldPath, Segment};

/// A value with its source range.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the value is written (empty for an omitted value such as `key:`).
    pub span: Span,
    /// The value.
    pub value: Value,
}

/// A decoded value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`, `~` or an empty value.
    Null,
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A floating-point number (also integers beyond `i64`).
    Float(f64),
    /// A string (stored inline when short).
    String(compact_str::CompactString),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in source order; keys are nodes so their ranges are known.
    Map(Vec<Entry>),
}

/// One key/value pair of a mapping.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The key (usually a string).
    pub key: Node,
    /// The value.
    pub value: Node,
}

impl Value {
    /// A short name of the value's type, for messages ("string", "integer", ...).
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Float(_) => "number",
            Value::String(_) => "string",
            Value::Seq(_) => "list",
            Value::Map(_) => "mapping",
        }
    }
}

impl Node {
    /// A node.
    pub fn new(span: Span, value: Value) -> Self {
        Self { span, value }
    }

    /// The string, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::String(s) => Some(s.as_str()),
            _ => None,
        }
    }

    /// The entries, if this is a mapping.
    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The items, if this is a sequence.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// True for `null`.
    pub fn is_null(&self) -> bool {
        matches!(self.value, Value::Null)
    }

    /// A scalar key as the API server's YAML-to-JSON step spells it (`80` → `"80"`,
    /// unquoted `on` → `"true"`); `None` for non-scalar keys.
    #[inline]
    pub fn key_text(&self) -> Option<std::borrow::Cow<'_, str>> {
        use std::borrow::Cow;
        match &self.value {
            Value::String(s) => Some(Cow::Borrowed(s.as_str())),
            Value::Int(i) => Some(Cow::Owned(i.to_string())),
            Value::Float(f) => Some(Cow::Owned(float_text(*f))),
            Value::Bool(b) => Some(Cow::Owned(b.to_string())),
            Value::Null => Some(Cow::Borrowed("null")),
            Value::Seq(_) | Value::Map(_) => None,
        }
    }

    /// True when this scalar key spells `key` (see [`Node::key_text`]); allocation-free for
    /// string keys, which is nearly every key.
    #[inline]
    pub fn is_key(&self, key: &str) -> bool {
        match &self.value {
            Value::String(s) => s == key,
            _ => self.key_text().is_some_and(|k| k == key),
        }
    }

    /// The entry of a mapping whose key is `key`.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|e| e.key.is_key(key))
    }

    /// The value of a mapping's field `key`.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// Finds the source range of a field path. Returns the range and whether the path exists
    /// exactly; when it does not, the range is that of the deepest part that does (the key of
    /// the nearest existing ancestor), so a "missing field" error points at its parent.
    ///
    /// Field names are matched exactly, then case-insensitively (upstream paths such as
    /// `spec.LoadBalancerSourceRanges` are mis-capitalised).
    pub fn locate(&self, path: &FieldPath) -> (Span, bool) {
        let mut node = self;
        // Where to point when the next step is missing: the key of the last field, or the
        // whole item of the last list index.
        let mut anchor = self.span;
        for segment in path.segments() {
            let entry = match segment {
                Segment::Index(index) => match node.as_seq().and_then(|items| items.get(*index)) {
                    Some(item) => {
                        node = item;
                        anchor = item.span;
                        continue;
                    }
                    None => None,
                },
                Segment::Field(name) | Segment::Key(name) => node.entry(name).or_else(|| {
                    node.as_map()?.iter().find(|e| {
                        e.key
                            .key_text()
                            .is_some_and(|k| k.eq_ignore_ascii_case(name))
                    })
                }),
            };
            let Some(entry) = entry else {
                return (anchor, false);
            };
            if matches!(segment, Segment::Key(_)) {
                return (entry.key.span.cover(entry.value.span), true);
            }
            node = &entry.value;
            anchor = entry.key.span;
        }
        if node.span.is_empty() {
            (anchor, true)
        } else {
            (node.span, true)
        }
    }
}

impl Node {
    /// The value as JSON (mapping keys as text; non-finite floats become null).
    pub fn to_json(&self) -> serde_json::Value {
        use serde_json::Value as J;
        match &self.value {
            Value::Null => J::Null,
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f).map_or(J::Null, J::Number),
            Value::String(s) => J::String(s.to_string()),
            Value::Seq(items) => J::Array(items.iter().map(Node::to_json).collect()),
            Value::Map(entries) => {
                // `extend`, not `collect`: see crate::sort (a repeated key: the last value wins
                // either way).
                let mut map = serde_json::Map::new();
                map.extend(entries.iter().map(|e| {
                    (
                        e.key.key_text().unwrap_or_default().into_owned(),
                        e.value.to_json(),
                    )
                }));
                J::Object(map)
            }
        }
    }
}

/// The value as JSON in source order (mapping keys as text; non-finite floats become null):
/// what a client sends when it submits the object it read.
impl serde::Serialize for Node {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        match &self.value {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Int(i) => serializer.serialize_i64(*i),
            Value::Float(f) if f.is_finite() => serializer.serialize_f64(*f),
            Value::Float(_) => serializer.serialize_unit(),
            Value::String(s) => serializer.serialize_str(s),
            Value::Seq(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Value::Map(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for entry in entries {
                    map.serialize_entry(&entry.key.key_text().unwrap_or_default(), &entry.value)?;
                }
                map.end()
            }
        }
    }
}

/// A float as text, the way the API server's YAML-to-JSON step spells a float key for the
/// values that occur in practice: whole numbers without a fraction (`1.0` → `1`), others in
/// their shortest round-trip form (`1.5` → `1.5`), the YAML spellings for infinities and NaN.
/// (serde_json's shortest-float writer, not `f64`'s `Display`: that one alone is 14 KB of the
/// WASM module.)
pub(crate) fn float_text(f: f64) -> String {
    if f.is_nan() {
        ".nan".to_owned()
    } else if f.is_infinite() {
        if f > 0.0 { ".inf" } else { "-.inf" }.to_owned()
    } else if f.fract() == 0.0 && f.abs() < 1e15 {
        (f as i64).to_string()
    } else {
        serde_json::Number::from_f64(f).map_or_else(String::new, |n| n.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(start: usize, end: usize, value: Value) -> Node {
        Node::new(Span::new(start, end), value)
    }

    #[test]
    fn locate_falls_back_to_the_nearest_ancestor() {
        let port = s(
            20,
            30,
            Value::Map(vec![Entry {
                key: s(20, 24, Value::String("port".into())),
                value: s(26, 28, Value::Int(80)),
            }]),
        );
        let root = s(
            0,
            30,
            Value::Map(vec![Entry {
                key: s(0, 5, Value::String("ports".into())),
                value: s(10, 30, Value::Seq(vec![port])),
            }]),
        );
        let path = FieldPath::new(["ports"]).index(0);
        assert_eq!(root.locate(&path.child("port")), (Span::new(26, 28), true));
        assert_eq!(root.locate(&path.child("name")), (Span::new(20, 30), false));
        assert_eq!(
            root.locate(&FieldPath::new(["Ports"])),
            (Span::new(10, 30), true)
        );
        assert_eq!(
            root.locate(&FieldPath::new(["spec"])),
            (Span::new(0, 30), false)
        );
    }

    #[test]
    fn float_keys_are_spelt_like_the_api_server_spells_them() {
        let key = |f: f64| s(0, 1, Value::Float(f)).key_text().map(|k| k.into_owned());
        assert_eq!(key(1.0).as_deref(), Some("1"));
        assert_eq!(key(-250.0).as_deref(), Some("-250"));
        assert_eq!(key(1.5).as_deref(), Some("1.5"));
        assert_eq!(key(0.1).as_deref(), Some("0.1"));
        assert_eq!(key(f64::INFINITY).as_deref(), Some(".inf"));
        assert_eq!(key(f64::NEG_INFINITY).as_deref(), Some("-.inf"));
        assert_eq!(key(f64::NAN).as_deref(), Some(".nan"));
    }
}
