//! Pieces shared by the two tree builders (the saphyr event builder and the block-YAML fast
//! path): scalar nodes, mappings with duplicate-key detection, container ranges.

use std::collections::HashMap;

use super::node::{Entry, Node, Value};
use super::problem::{LoadProblem, ProblemKind};
use super::scalar::{resolve_plain, yaml11_surprise, Dialect};
use super::span::Span;

/// Mappings with more entries than this get a hash index for duplicate detection; smaller
/// ones (nearly all of Kubernetes) are scanned, which allocates nothing.
const INDEX_THRESHOLD: usize = 16;

/// A scalar node: plain scalars are resolved (YAML 1.1 for YAML, JSON rules for JSON), others
/// are strings. A plain scalar kubectl reads differently from YAML 1.2 tools gets a note.
pub(super) fn scalar_node(
    text: &str,
    plain: bool,
    dialect: Dialect,
    span: Span,
) -> (Node, Option<LoadProblem>) {
    let value = if plain {
        resolve_plain(text, dialect)
    } else {
        Value::String(text.into())
    };
    let note = (plain && dialect == Dialect::Yaml && !matches!(value, Value::Bool(_)))
        .then(|| yaml11_surprise(text, &value))
        .flatten()
        .map(|note| LoadProblem::new(ProblemKind::Yaml11, span, note));
    (Node::new(span, value), note)
}

/// A container's range: from its start to the end of its last child, or to its closing
/// bracket in flow style (`end` is empty for block containers).
pub(super) fn container_span(start: Span, last_child: Option<Span>, end: Span) -> Span {
    let mut span = Span::new(start.start as usize, start.end as usize);
    if let Some(last) = last_child {
        span = span.cover(last);
    }
    if !end.is_empty() {
        span = span.cover(end);
    }
    span
}

/// The entries of a mapping being built.
#[derive(Debug, Default)]
pub(super) struct MapBuilder {
    /// The entries so far, in source order.
    pub(super) entries: Vec<Entry>,
    index: Option<HashMap<String, usize>>,
}

impl MapBuilder {
    /// A builder with room for `entries` entries.
    pub(super) fn with_capacity(entries: usize) -> Self {
        Self {
            entries: Vec::with_capacity(entries),
            index: None,
        }
    }

    /// Adds an entry; a repeated key replaces the earlier value (as kubectl's decoder does)
    /// and is reported.
    pub(super) fn insert(&mut self, key: Node, value: Node) -> Option<LoadProblem> {
        let existing = key.key_text().and_then(|text| match &self.index {
            Some(index) => index.get(text.as_ref()).copied(),
            None => self.entries.iter().position(|e| e.key.is_key(&text)),
        });
        if let Some(existing) = existing {
            let text = key.key_text().unwrap_or_default();
            let problem = LoadProblem::new(
                ProblemKind::DuplicateKey,
                key.span,
                format!("duplicate key `{text}`: kubectl's strict decoding rejects it, lenient decoders keep the last value"),
            )
            .with_related(self.entries.get(existing).map(|e| e.key.span));
            if let Some(slot) = self.entries.get_mut(existing) {
                *slot = Entry { key, value };
            }
            return Some(problem);
        }
        if self.index.is_none() && self.entries.len() >= INDEX_THRESHOLD {
            self.index = Some(
                self.entries
                    .iter()
                    .enumerate()
                    .filter_map(|(i, e)| e.key.key_text().map(|k| (k.into_owned(), i)))
                    .collect(),
            );
        }
        if let (Some(index), Some(text)) = (&mut self.index, key.key_text()) {
            index.insert(text.into_owned(), self.entries.len());
        }
        self.entries.push(Entry { key, value });
        None
    }
}
