//! serde deserialisation straight from a loaded [`Node`], so that a configuration error
//! (the options file) names the line and column of the value at fault.
//!
//! Only what configuration needs: null, booleans, integers, strings, lists, mappings and
//! unit enum variants written as strings. A number with a fraction is refused (no option takes
//! one), which also keeps float formatting out of the WASM module.

use std::fmt;

use serde::de::{self, DeserializeSeed, IntoDeserializer, Visitor};

use super::node::{Entry, Node, Value};
use super::span::Span;

/// Deserialises `T` from `node`.
pub fn from_node<'de, T: de::Deserialize<'de>>(node: &'de Node) -> Result<T, NodeError> {
    T::deserialize(NodeDeserializer(node)).map_err(|e| e.at(node.span))
}

/// What went wrong, and where (the innermost node the error is known to be about).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeError {
    /// The message.
    pub message: String,
    /// The value at fault; `None` only before the error has left the deserializer.
    pub span: Option<Span>,
}

impl NodeError {
    /// Locates the error at `span` unless an inner node already claimed it.
    fn at(mut self, span: Span) -> Self {
        self.span.get_or_insert(span);
        self
    }
}

impl fmt::Display for NodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for NodeError {}

impl de::Error for NodeError {
    fn custom<T: fmt::Display>(message: T) -> Self {
        NodeError {
            message: message.to_string(),
            span: None,
        }
    }

    // serde's own wording formats every kind of value it could have met, floats included;
    // these say the same with the kinds a node can be.
    fn invalid_type(found: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Self::custom(format_args!(
            "expected {expected}, found {}",
            unexpected(found)
        ))
    }

    fn invalid_value(found: de::Unexpected<'_>, expected: &dyn de::Expected) -> Self {
        Self::custom(format_args!(
            "expected {expected}, found {}",
            unexpected(found)
        ))
    }
}

/// A value serde did not expect, in words.
fn unexpected(found: de::Unexpected<'_>) -> String {
    use de::Unexpected as U;
    match found {
        U::Bool(b) => format!("boolean `{b}`"),
        U::Unsigned(n) => format!("integer `{n}`"),
        U::Signed(n) => format!("integer `{n}`"),
        U::Str(s) => format!("string {s:?}"),
        U::Unit => "null".to_owned(),
        U::Seq => "a list".to_owned(),
        U::Map => "a mapping".to_owned(),
        _ => "a value of another type".to_owned(),
    }
}

/// Reads every integer type through `deserialize_i64` (a node holds an `i64`; the visitor
/// range-checks it).
macro_rules! integers_as_i64 {
    ($($method:ident)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
                self.deserialize_i64(visitor)
            }
        )*
    };
}

/// A node's kind of value, in words.
fn described(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Int(_) => "an integer",
        Value::Float(_) => "a number with a fraction",
        Value::String(_) => "a string",
        Value::Seq(_) => "a list",
        Value::Map(_) => "a mapping",
    }
}

/// A node as a serde deserializer.
struct NodeDeserializer<'de>(&'de Node);

impl<'de> de::Deserializer<'de> for NodeDeserializer<'de> {
    type Error = NodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        let node = self.0;
        let answer = match &node.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Int(i) => visitor.visit_i64(*i),
            Value::Float(_) => Err(self.wrong_type("another type")),
            Value::String(s) => visitor.visit_borrowed_str(s.as_str()),
            Value::Seq(items) => visitor.visit_seq(Items(items.iter())),
            Value::Map(entries) => visitor.visit_map(Entries {
                entries: entries.iter(),
                value: None,
            }),
        };
        answer.map_err(|e| e.at(node.span))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        match self.0.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        let node = self.0;
        match &node.value {
            Value::String(s) => visitor
                .visit_enum(s.as_str().into_deserializer())
                .map_err(|e: NodeError| e.at(node.span)),
            _ => Err(self.wrong_type("a name")),
        }
    }

    // The typed entry points call only the one visitor method their type can take, so that
    // each struct, list and scalar type adds only that path to the module, not all seven.

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        match self.0.value {
            Value::Bool(b) => visitor.visit_bool(b),
            _ => Err(self.wrong_type("a boolean")),
        }
    }

    fn deserialize_i64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        match self.0.value {
            Value::Int(i) => visitor
                .visit_i64(i)
                .map_err(|e: NodeError| e.at(self.0.span)),
            _ => Err(self.wrong_type("an integer")),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        match &self.0.value {
            Value::String(s) => visitor
                .visit_borrowed_str(s.as_str())
                .map_err(|e: NodeError| e.at(self.0.span)),
            _ => Err(self.wrong_type("a string")),
        }
    }

    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        match &self.0.value {
            Value::Seq(items) => visitor
                .visit_seq(Items(items.iter()))
                .map_err(|e: NodeError| e.at(self.0.span)),
            _ => Err(self.wrong_type("a list")),
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        match &self.0.value {
            Value::Map(entries) => visitor
                .visit_map(Entries {
                    entries: entries.iter(),
                    value: None,
                })
                .map_err(|e: NodeError| e.at(self.0.span)),
            _ => Err(self.wrong_type("a mapping")),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, NodeError> {
        self.deserialize_map(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        visitor.visit_unit()
    }

    integers_as_i64!(
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_u8 deserialize_u16
        deserialize_u32 deserialize_u64
    );

    serde::forward_to_deserialize_any! {
        i128 u128 f32 f64 char bytes byte_buf unit unit_struct newtype_struct tuple
        tuple_struct identifier
    }
}

impl NodeDeserializer<'_> {
    /// The node is not of the type the target reads.
    fn wrong_type(&self, expected: &str) -> NodeError {
        NodeError {
            message: format!("expected {expected}, found {}", described(&self.0.value)),
            span: Some(self.0.span),
        }
    }
}

/// A mapping key: its text as the API server's YAML-to-JSON step spells it (`80` → `"80"`).
struct KeyDeserializer<'de>(&'de Node);

impl<'de> de::Deserializer<'de> for KeyDeserializer<'de> {
    type Error = NodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, NodeError> {
        match (&self.0.value, self.0.key_text()) {
            (Value::String(s), _) => visitor.visit_borrowed_str(s.as_str()),
            (_, Some(text)) => visitor.visit_str(&text),
            (other, None) => Err(de::Error::custom(format_args!(
                "a key must be text, found {}",
                other.type_name()
            ))),
        }
        .map_err(|e: NodeError| e.at(self.0.span))
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
    }
}

/// The items of a list.
struct Items<'de>(std::slice::Iter<'de, Node>);

impl<'de> de::SeqAccess<'de> for Items<'de> {
    type Error = NodeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, NodeError> {
        self.0
            .next()
            .map(|item| {
                seed.deserialize(NodeDeserializer(item))
                    .map_err(|e| e.at(item.span))
            })
            .transpose()
    }
}

/// The entries of a mapping; `value` is the one whose key was just read.
struct Entries<'de> {
    entries: std::slice::Iter<'de, Entry>,
    value: Option<&'de Node>,
}

impl<'de> de::MapAccess<'de> for Entries<'de> {
    type Error = NodeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, NodeError> {
        let Some(entry) = self.entries.next() else {
            return Ok(None);
        };
        self.value = Some(&entry.value);
        seed.deserialize(KeyDeserializer(&entry.key))
            .map(Some)
            .map_err(|e| e.at(entry.key.span))
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, NodeError> {
        let value = self
            .value
            .take()
            .ok_or_else(|| <NodeError as de::Error>::custom("a value was read before its key"))?;
        seed.deserialize(NodeDeserializer(value))
            .map_err(|e| e.at(value.span))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Deserialize;

    use super::*;
    use crate::source::{FileId, LoadLimits, SourceFile};

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields, rename_all = "snake_case")]
    struct Settings {
        name: String,
        #[serde(default)]
        ports: Vec<u16>,
        #[serde(default)]
        labels: BTreeMap<String, String>,
        #[serde(default)]
        mode: Option<Mode>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Mode {
        Fast,
        Careful,
    }

    fn read(text: &str) -> (SourceFile, Result<Settings, NodeError>) {
        let file = SourceFile::load(FileId(0), "t.yaml", text.as_bytes(), &LoadLimits::default());
        let result = from_node(&file.documents[0].root);
        (file, result)
    }

    /// The error and the text its span covers.
    fn failure(text: &str) -> (String, String) {
        let (file, result) = read(text);
        let error = result.unwrap_err();
        let span = error.span.unwrap();
        (error.message, file.text[span.range()].to_owned())
    }

    #[test]
    fn reads_what_configuration_is_made_of() {
        let (_, settings) =
            read("name: web\nports: [80, 443]\nlabels: {app: web, 8080: db}\nmode: careful\n");
        let labels = [("app", "web"), ("8080", "db")].map(|(k, v)| (k.to_owned(), v.to_owned()));
        assert_eq!(
            settings.unwrap(),
            Settings {
                name: "web".into(),
                ports: vec![80, 443],
                labels: labels.into_iter().collect(),
                mode: Some(Mode::Careful),
            }
        );
        let (_, settings) = read("name: web\nmode: null\n");
        assert_eq!(settings.unwrap().mode, None);
    }

    #[test]
    fn errors_point_at_the_value_at_fault() {
        assert_eq!(
            failure("name: web\nports: [80, 70000]\n"),
            (
                "expected u16, found integer `70000`".to_owned(),
                "70000".to_owned()
            )
        );
        let (message, at) = failure("name: web\ncolour: red\n");
        assert!(message.starts_with("unknown field `colour`"), "{message}");
        assert_eq!(at, "colour");
        let (message, at) = failure("name: web\nmode: slow\n");
        assert!(message.starts_with("unknown variant `slow`"), "{message}");
        assert_eq!(at, "slow");
        let (message, at) = failure("name: [web]\n");
        assert_eq!(message, "expected a string, found a list");
        assert_eq!(at, "[web]");
        let (message, at) = failure("name: web\nports: [1.5]\n");
        assert_eq!(
            message,
            "expected an integer, found a number with a fraction"
        );
        assert_eq!(at, "1.5");
        let (message, at) = failure("ports: [80]\n");
        assert_eq!(message, "missing field `name`");
        assert_eq!(at, "ports: [80]");
    }
}
