//! Decoding the spanned tree into typed objects the way the API server's JSON decoder does:
//! wrong types and unknown fields become located errors, and decoding goes on with the rest.

use std::collections::BTreeMap;

use crate::path::FieldPath;
use crate::source::{Node, Span, Value};

use super::IntOrString;

/// Why a field could not be decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecodeErrorKind {
    /// The value has the wrong type (a string for an integer, a float for an int32, ...).
    WrongType,
    /// The field is not part of the object's schema (rejected by strict field validation,
    /// which kubectl requests by default).
    UnknownField,
}

/// A located decoding error.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeError {
    /// What went wrong.
    pub kind: DecodeErrorKind,
    /// The field.
    pub path: FieldPath,
    /// Where it is written.
    pub span: Span,
    /// The explanation.
    pub message: String,
}

/// Collects decoding errors while typed values are read from a document.
#[derive(Debug)]
pub struct Decoder<'a> {
    text: &'a str,
    errors: Vec<DecodeError>,
}

impl<'a> Decoder<'a> {
    /// A decoder over nodes of `text` (used to quote the raw spelling in messages).
    pub fn new(text: &'a str) -> Self {
        Self {
            text,
            errors: Vec::new(),
        }
    }

    /// The errors collected so far.
    pub fn into_errors(self) -> Vec<DecodeError> {
        self.errors
    }

    fn wrong_type(&mut self, node: &Node, path: &FieldPath, expected: &str) {
        let raw = self.text.get(node.span.range()).unwrap_or_default();
        let found = match &node.value {
            Value::String(s) => format!("string {s:?}"),
            Value::Bool(b) => format!("boolean {b}"),
            Value::Int(i) => format!("integer {i}"),
            Value::Float(_) => format!("number {}", raw.trim()),
            other => other.type_name().to_owned(),
        };
        let mut message = format!("{path}: expected {expected}, found {found}");
        let scalar = matches!(node.value, Value::Bool(_) | Value::Int(_) | Value::Float(_));
        if expected == "a string" && scalar && !raw.starts_with(['"', '\'']) {
            message.push_str(&format!(
                " (kubectl reads the unquoted `{raw}` as {} {}; write \"{raw}\" to keep it a string)",
                if matches!(node.value, Value::Int(_)) { "an" } else { "a" },
                node.value.type_name()
            ));
        }
        self.errors.push(DecodeError {
            kind: DecodeErrorKind::WrongType,
            path: path.clone(),
            span: node.span,
            message,
        });
    }

    /// Reads a mapping, reporting keys outside `known` (when `known` is not empty) as unknown
    /// fields. `None` for null; a wrong type is reported.
    pub fn object<'n>(
        &mut self,
        node: Option<&'n Node>,
        path: &FieldPath,
        known: &[&str],
    ) -> Option<&'n Node> {
        let node = node.filter(|n| !n.is_null())?;
        let Some(entries) = node.as_map() else {
            self.wrong_type(node, path, "an object");
            return None;
        };
        if !known.is_empty() {
            let unknown = entries
                .iter()
                .filter(|e| !known.iter().any(|k| e.key.is_key(k)));
            for entry in unknown {
                let key = entry.key.key_text().unwrap_or_default();
                let hint = known
                    .iter()
                    .find(|k| k.eq_ignore_ascii_case(&key) || edit_distance_one(k, &key))
                    .map(|k| format!(" (did you mean `{k}`?)"))
                    .unwrap_or_default();
                let path = path.child(&key);
                self.errors.push(DecodeError {
                    kind: DecodeErrorKind::UnknownField,
                    message: format!("unknown field \"{path}\"{hint}"),
                    path,
                    span: entry.key.span,
                });
            }
        }
        Some(node)
    }

    /// Reads a string field of `parent`.
    pub fn string(&mut self, parent: &Node, field: &str, path: &FieldPath) -> Option<String> {
        let node = parent.get(field).filter(|n| !n.is_null())?;
        match &node.value {
            Value::String(s) => Some(s.to_string()),
            _ => {
                self.wrong_type(node, &path.child(field), "a string");
                None
            }
        }
    }

    /// Reads a boolean field of `parent`.
    pub fn boolean(&mut self, parent: &Node, field: &str, path: &FieldPath) -> Option<bool> {
        let node = parent.get(field).filter(|n| !n.is_null())?;
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                self.wrong_type(node, &path.child(field), "a boolean");
                None
            }
        }
    }

    /// Reads an int32 field of `parent`.
    pub fn int32(&mut self, parent: &Node, field: &str, path: &FieldPath) -> Option<i32> {
        let node = parent.get(field).filter(|n| !n.is_null())?;
        self.int32_value(node, &path.child(field))
    }

    fn int32_value(&mut self, node: &Node, path: &FieldPath) -> Option<i32> {
        match node.value {
            Value::Int(i) => match i32::try_from(i) {
                Ok(v) => Some(v),
                Err(_) => {
                    self.wrong_type(node, path, "a 32-bit integer");
                    None
                }
            },
            _ => {
                self.wrong_type(node, path, "an integer");
                None
            }
        }
    }

    /// Reads an int64 field of `parent`.
    pub fn int64(&mut self, parent: &Node, field: &str, path: &FieldPath) -> Option<i64> {
        let node = parent.get(field).filter(|n| !n.is_null())?;
        match node.value {
            Value::Int(i) => Some(i),
            _ => {
                self.wrong_type(node, &path.child(field), "an integer");
                None
            }
        }
    }

    /// Reads an `intOrString` field: a quoted number stays a string (a named port).
    pub fn int_or_string(
        &mut self,
        parent: &Node,
        field: &str,
        path: &FieldPath,
    ) -> Option<IntOrString> {
        let node = parent.get(field).filter(|n| !n.is_null())?;
        match &node.value {
            Value::String(s) => Some(IntOrString::String(s.to_string())),
            Value::Int(_) => self
                .int32_value(node, &path.child(field))
                .map(IntOrString::Int),
            _ => {
                self.wrong_type(node, &path.child(field), "an integer or a string");
                None
            }
        }
    }

    /// Reads a list field, decoding each item with `item`. `None` when absent or null.
    pub fn list<T>(
        &mut self,
        parent: &Node,
        field: &str,
        path: &FieldPath,
        mut item: impl FnMut(&mut Self, &Node, &FieldPath) -> Option<T>,
    ) -> Option<Vec<T>> {
        let node = parent.get(field).filter(|n| !n.is_null())?;
        let path = path.child(field);
        let Some(items) = node.as_seq() else {
            self.wrong_type(node, &path, "a list");
            return None;
        };
        Some(
            items
                .iter()
                .enumerate()
                .filter_map(|(i, n)| item(self, n, &path.index(i)))
                .collect(),
        )
    }

    /// Reads a list of strings.
    pub fn string_list(
        &mut self,
        parent: &Node,
        field: &str,
        path: &FieldPath,
    ) -> Option<Vec<String>> {
        self.list(parent, field, path, |d, node, path| match &node.value {
            Value::String(s) => Some(s.to_string()),
            _ => {
                d.wrong_type(node, path, "a string");
                None
            }
        })
    }

    /// Reads a map of strings (labels, annotations, a Service selector).
    pub fn string_map(
        &mut self,
        parent: &Node,
        field: &str,
        path: &FieldPath,
    ) -> Option<BTreeMap<String, String>> {
        let path = path.child(field);
        let node = self.object(parent.get(field), &path, &[])?;
        let mut map = BTreeMap::new();
        for entry in node.as_map().unwrap_or_default() {
            let key = entry.key.key_text().unwrap_or_default().into_owned();
            match &entry.value.value {
                Value::String(s) => {
                    map.insert(key, s.to_string());
                }
                _ => self.wrong_type(&entry.value, &path.key(&key), "a string"),
            }
        }
        Some(map)
    }
}

/// True when `a` and `b` differ by one inserted, deleted or replaced character (typo hints).
fn edit_distance_one(a: &str, b: &str) -> bool {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let (short, long) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if long.len() - short.len() > 1 || long.len() < 3 {
        return false;
    }
    let prefix = short
        .iter()
        .zip(long.iter())
        .take_while(|(x, y)| x == y)
        .count();
    let rest_short = short.get(prefix..).unwrap_or_default();
    if short.len() == long.len() {
        long.get(prefix + 1..) == short.get(prefix + 1..)
    } else {
        long.get(prefix + 1..) == Some(rest_short)
    }
}

#[cfg(test)]
mod tests {
    use super::edit_distance_one;

    #[test]
    fn typo_distance() {
        assert!(edit_distance_one("protocol", "protocl"));
        assert!(edit_distance_one("port", "prt"));
        assert!(edit_distance_one("targetPort", "targetPorts"));
        assert!(edit_distance_one("selector", "selectar"));
        assert!(!edit_distance_one("port", "name"));
    }
}
