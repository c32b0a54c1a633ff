//! Builds spanned [`Node`] trees from saphyr-parser's event stream, one document at a time,
//! within the limits of [`LoadLimits`].

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use saphyr_parser::{Event, Parser, ScalarStyle, Tag};

use super::json;
use super::limits::LoadLimits;
use super::node::{Entry, Node, Value};
use super::problem::{LoadProblem, ProblemKind};
use super::scalar::Dialect;
use super::simple;
use super::span::Span;
use super::tree::{container_span, scalar_node, MapBuilder};

/// One document of a stream, parsed.
#[derive(Debug, Clone)]
pub struct ParsedDocument {
    /// Zero-based position of the document in its file.
    pub index: usize,
    /// The document's content.
    pub root: Node,
}

/// Parses every document of `text`. A document that fails (syntax error, a limit) yields a
/// problem and no tree; the other documents are still parsed.
pub fn parse_stream(
    text: &str,
    dialect: Dialect,
    limits: &LoadLimits,
) -> (Vec<ParsedDocument>, Vec<LoadProblem>) {
    let mut documents = Vec::new();
    let mut problems = Vec::new();
    let chunks = match dialect {
        Dialect::Json => vec![(0, text)],
        Dialect::Yaml => split_documents(text),
    };
    let mut index = 0;
    for (offset, chunk) in chunks {
        if chunk.len() > limits.max_document_bytes {
            let first_line = chunk.find('\n').unwrap_or(chunk.len());
            problems.push(LoadProblem::new(
                ProblemKind::LimitExceeded,
                Span::new(offset, offset + first_line),
                format!(
                    "document {} is {} bytes, above the limit of {} bytes (the API server accepts at most 3 MiB per request); it was not parsed",
                    index + 1,
                    chunk.len(),
                    limits.max_document_bytes
                ),
            ));
            index += 1;
            continue;
        }
        let fast = match dialect {
            Dialect::Yaml => simple::parse_document(chunk, offset, limits),
            Dialect::Json => match json::parse_document(chunk, offset, limits) {
                Ok(parsed) => Some(parsed),
                Err(json::GaveUp::NotStrict) => None,
                Err(json::GaveUp::Limit(problem)) => {
                    problems.push(problem);
                    index += 1;
                    continue;
                }
            },
        };
        if let Some((root, mut notes)) = fast {
            problems.append(&mut notes);
            documents.push(ParsedDocument { index, root });
            index += 1;
            continue;
        }
        // Checked after the fast path, which already skips comment-only chunks' work.
        if is_blank_chunk(chunk) {
            continue;
        }
        let mut builder = TreeBuilder::new(chunk, offset, dialect, limits);
        let roots = builder.run();
        problems.append(&mut builder.problems);
        for root in roots {
            documents.push(ParsedDocument { index, root });
            index += 1;
        }
        if builder.failed {
            index += 1;
        }
    }
    (documents, problems)
}

/// Parses one YAML chunk with the full parser (the fast path's reference in tests).
#[cfg(test)]
pub(super) fn parse_chunk_with_events(
    chunk: &str,
    base: usize,
    limits: &LoadLimits,
) -> (Vec<Node>, Vec<LoadProblem>) {
    parse_chunk_with_events_as(chunk, base, Dialect::Yaml, limits)
}

/// Parses one chunk of `dialect` with the full parser (the fast paths' reference in tests).
#[cfg(test)]
pub(super) fn parse_chunk_with_events_as(
    chunk: &str,
    base: usize,
    dialect: Dialect,
    limits: &LoadLimits,
) -> (Vec<Node>, Vec<LoadProblem>) {
    let mut builder = TreeBuilder::new(chunk, base, dialect, limits);
    let roots = builder.run();
    (roots, builder.problems)
}

/// Splits a YAML stream at `---` lines so that a syntax error in one document cannot hide the
/// others. Each chunk starts at its marker line (which may carry content, `--- {a: 1}`).
pub(super) fn split_documents(text: &str) -> Vec<(usize, &str)> {
    let is_marker = |line_start: usize| {
        text.get(line_start..)
            .and_then(|rest| rest.strip_prefix("---"))
            .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', '\t', '\r', '\n']))
    };
    // A substring search skips over document bodies instead of visiting every line.
    let markers = text
        .match_indices("\n---")
        .map(|(i, _)| i + 1)
        .filter(|&i| is_marker(i));
    let mut chunks = Vec::new();
    let mut start = 0;
    for marker in markers {
        chunks.push((start, text.get(start..marker).unwrap_or_default()));
        start = marker;
    }
    chunks.push((start, text.get(start..).unwrap_or_default()));
    chunks
}

/// True when a chunk holds no content: only blank lines, comments, markers and directives.
pub(super) fn is_blank_chunk(chunk: &str) -> bool {
    chunk.lines().all(|line| {
        let line = line.trim();
        line.is_empty()
            || line.starts_with('#')
            || line.starts_with('%')
            || line == "---"
            || line == "..."
            || line.starts_with("--- #")
    })
}

/// Maps the parser's character indexes to byte offsets in the whole file.
struct Offsets {
    base: usize,
    /// Byte offset of every character of a non-ASCII chunk (plus the end); empty for ASCII.
    char_bytes: Vec<u32>,
    len: usize,
}

impl Offsets {
    fn new(chunk: &str, base: usize) -> Self {
        let char_bytes = if chunk.is_ascii() {
            Vec::new()
        } else {
            chunk
                .char_indices()
                .map(|(i, _)| u32::try_from(i).unwrap_or(u32::MAX))
                .chain(std::iter::once(
                    u32::try_from(chunk.len()).unwrap_or(u32::MAX),
                ))
                .collect()
        };
        Self {
            base,
            char_bytes,
            len: chunk.len(),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        let local = if self.char_bytes.is_empty() {
            char_index.min(self.len)
        } else {
            self.char_bytes
                .get(char_index)
                .map_or(self.len, |b| *b as usize)
        };
        self.base + local
    }

    fn span(&self, span: &saphyr_parser::Span) -> Span {
        Span::new(self.byte(span.start.index()), self.byte(span.end.index()))
    }
}

/// A container being built.
enum Frame {
    Seq {
        start: Span,
        anchor: usize,
        items: Vec<Node>,
        nodes: usize,
    },
    Map {
        start: Span,
        anchor: usize,
        entries: MapBuilder,
        /// The key waiting for its value, and whether it is the merge key `<<`.
        key: Option<(Node, bool)>,
        merges: Vec<Node>,
        nodes: usize,
    },
}

struct TreeBuilder<'a> {
    text: &'a str,
    offsets: Offsets,
    dialect: Dialect,
    limits: &'a LoadLimits,
    stack: Vec<Frame>,
    anchors: HashMap<usize, (Node, usize)>,
    nodes: usize,
    alias_nodes: usize,
    root: Option<Node>,
    problems: Vec<LoadProblem>,
    failed: bool,
}

impl<'a> TreeBuilder<'a> {
    fn new(text: &'a str, base: usize, dialect: Dialect, limits: &'a LoadLimits) -> Self {
        Self {
            text,
            offsets: Offsets::new(text, base),
            dialect,
            limits,
            stack: Vec::new(),
            anchors: HashMap::new(),
            nodes: 0,
            alias_nodes: 0,
            root: None,
            problems: Vec::new(),
            failed: false,
        }
    }

    /// Runs the parser over the chunk and returns the documents it completed.
    fn run(&mut self) -> Vec<Node> {
        let mut parser = Parser::new_from_str(self.text);
        let mut roots = Vec::new();
        while let Some(next) = parser.next_event() {
            let (event, span) = match next {
                Ok(pair) => pair,
                Err(error) => {
                    let at = self.error_offset(error.marker().index());
                    let (kind, message) = if error.info().contains("recursion limit") {
                        // The scanner's own guard against deep flow nesting.
                        (
                            ProblemKind::LimitExceeded,
                            format!(
                                "nesting is too deep; the document was not checked ({})",
                                error.info()
                            ),
                        )
                    } else {
                        (
                            ProblemKind::Syntax,
                            format!("YAML syntax error: {}", error.info()),
                        )
                    };
                    self.fail(kind, Span::at(at), message);
                    break;
                }
            };
            let span = self.offsets.span(&span);
            let outcome = match event {
                Event::DocumentStart(_) => {
                    self.reset();
                    Ok(())
                }
                Event::DocumentEnd => {
                    if let Some(root) = self.root.take() {
                        roots.push(root);
                    }
                    Ok(())
                }
                Event::Scalar(text, style, anchor, tag) => {
                    self.scalar(text, style, anchor, tag.as_deref(), span)
                }
                Event::Alias(anchor) => self.alias(anchor, span),
                Event::SequenceStart(anchor, _) => self.open(Frame::Seq {
                    start: span,
                    anchor,
                    items: Vec::new(),
                    nodes: 1,
                }),
                Event::MappingStart(anchor, _) => self.open(Frame::Map {
                    start: span,
                    anchor,
                    entries: MapBuilder::default(),
                    key: None,
                    merges: Vec::new(),
                    nodes: 1,
                }),
                Event::SequenceEnd | Event::MappingEnd => self.close(span),
                Event::StreamStart | Event::StreamEnd | Event::Nothing => Ok(()),
            };
            if let Err((kind, span, message)) = outcome {
                self.fail(kind, span, message);
                break;
            }
        }
        roots
    }

    /// Where to show a parse error: errors found at the end of a document (an unclosed
    /// bracket) are moved back to the document's last written character.
    fn error_offset(&self, char_index: usize) -> usize {
        let at = self.offsets.byte(char_index);
        let local = at.saturating_sub(self.offsets.base);
        let content_end = self
            .text
            .trim_end_matches(|c: char| c.is_whitespace() || c == '-' || c == '.')
            .len();
        if local >= content_end && content_end > 0 {
            let last = self
                .text
                .get(..content_end)
                .and_then(|t| t.char_indices().last())
                .map_or(0, |(i, _)| i);
            self.offsets.base + last
        } else {
            at
        }
    }

    /// The parser's range of a quoted scalar can run past the closing quote (over a trailing
    /// comment); cut it at the closing quote.
    fn quoted_span(&self, span: Span, style: ScalarStyle) -> Span {
        let quote = match style {
            ScalarStyle::SingleQuoted => b'\'',
            ScalarStyle::DoubleQuoted => b'"',
            _ => return span,
        };
        let local = span.start as usize - self.offsets.base;
        let Some(bytes) = self
            .text
            .as_bytes()
            .get(local..span.end as usize - self.offsets.base)
        else {
            return span;
        };
        let mut i = 1;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'\\' if quote == b'"' => i += 2,
                b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
                b if b == quote => {
                    return Span::new(span.start as usize, span.start as usize + i + 1)
                }
                _ => i += 1,
            }
        }
        span
    }

    fn reset(&mut self) {
        self.stack.clear();
        self.anchors.clear();
        self.nodes = 0;
        self.alias_nodes = 0;
        self.root = None;
    }

    fn fail(&mut self, kind: ProblemKind, span: Span, message: String) {
        self.failed = true;
        self.problems.push(LoadProblem::new(kind, span, message));
    }

    fn count(&mut self, nodes: usize, span: Span) -> Result<(), (ProblemKind, Span, String)> {
        self.nodes = self.nodes.saturating_add(nodes);
        if self.nodes > self.limits.max_nodes {
            return Err((
                ProblemKind::LimitExceeded,
                span,
                format!(
                    "document has more than {} values; it was not checked",
                    self.limits.max_nodes
                ),
            ));
        }
        Ok(())
    }

    fn scalar(
        &mut self,
        text: Cow<'_, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        span: Span,
    ) -> Result<(), (ProblemKind, Span, String)> {
        self.count(1, span)?;
        let plain = style == ScalarStyle::Plain;
        let span = if plain {
            span
        } else {
            self.quoted_span(span, style)
        };
        let forced_string = tag.is_some_and(|t| t.is_yaml_core_schema() && t.suffix == "str");
        let core_tagged = tag.is_some_and(Tag::is_yaml_core_schema);
        let (node, note) = scalar_node(
            &text,
            (plain || core_tagged) && !forced_string,
            self.dialect,
            span,
        );
        if let Some(note) = note.filter(|_| plain) {
            self.problems.push(note);
        }
        let is_merge_key = plain && self.dialect == Dialect::Yaml && text == "<<";
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), 1));
        }
        self.complete(node, 1, is_merge_key)
    }

    fn alias(&mut self, anchor: usize, span: Span) -> Result<(), (ProblemKind, Span, String)> {
        let Some((node, nodes)) = self.anchors.get(&anchor) else {
            return Err((
                ProblemKind::Syntax,
                span,
                "alias refers to an unknown anchor".to_owned(),
            ));
        };
        let (mut node, nodes) = (node.clone(), *nodes);
        self.alias_nodes = self.alias_nodes.saturating_add(nodes);
        if self.alias_nodes > self.limits.max_alias_nodes {
            return Err((
                ProblemKind::LimitExceeded,
                span,
                format!(
                    "alias expansion exceeds {} values (a \"billion laughs\" alias bomb?); the document was not checked",
                    self.limits.max_alias_nodes
                ),
            ));
        }
        self.count(nodes, span)?;
        // An alias stands where it is written; its value is the anchored one.
        node.span = span;
        self.complete(node, nodes, false)
    }

    fn open(&mut self, frame: Frame) -> Result<(), (ProblemKind, Span, String)> {
        let span = match &frame {
            Frame::Seq { start, .. } | Frame::Map { start, .. } => *start,
        };
        if self.stack.len() >= self.limits.max_depth {
            return Err((
                ProblemKind::LimitExceeded,
                span,
                format!(
                    "nesting is deeper than {} levels; the document was not checked",
                    self.limits.max_depth
                ),
            ));
        }
        self.count(1, span)?;
        self.stack.push(frame);
        Ok(())
    }

    fn close(&mut self, end: Span) -> Result<(), (ProblemKind, Span, String)> {
        let Some(frame) = self.stack.pop() else {
            return Ok(());
        };
        let (node, anchor, nodes) = match frame {
            Frame::Seq {
                start,
                anchor,
                items,
                nodes,
            } => {
                let span = container_span(start, items.last().map(|n| n.span), end);
                (Node::new(span, Value::Seq(items)), anchor, nodes)
            }
            Frame::Map {
                start,
                anchor,
                entries,
                merges,
                nodes,
                ..
            } => {
                let mut entries = entries.entries;
                let last = entries.last().map(|e| e.key.span.cover(e.value.span));
                let span = container_span(start, last, end);
                apply_merges(&mut entries, merges)
                    .map_err(|(span, message)| (ProblemKind::Syntax, span, message))?;
                (Node::new(span, Value::Map(entries)), anchor, nodes)
            }
        };
        if anchor != 0 {
            self.anchors.insert(anchor, (node.clone(), nodes));
        }
        self.complete(node, nodes, false)
    }

    /// Hands a finished node to its parent (or makes it the document root).
    fn complete(
        &mut self,
        node: Node,
        nodes: usize,
        is_merge_key: bool,
    ) -> Result<(), (ProblemKind, Span, String)> {
        let Some(parent) = self.stack.last_mut() else {
            self.root = Some(node);
            return Ok(());
        };
        match parent {
            Frame::Seq {
                items, nodes: n, ..
            } => {
                *n = n.saturating_add(nodes);
                items.push(node);
            }
            Frame::Map {
                entries,
                key,
                merges,
                nodes: n,
                ..
            } => {
                *n = n.saturating_add(nodes);
                match key.take() {
                    None => *key = Some((node, is_merge_key)),
                    Some((_, true)) => merges.push(node),
                    Some((key_node, false)) => {
                        if let Some(problem) = entries.insert(key_node, node) {
                            self.problems.push(problem);
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// Applies YAML merge keys (`<<: *defaults`): keys written in the mapping win, then earlier
/// merge sources over later ones.
fn apply_merges(entries: &mut Vec<Entry>, merges: Vec<Node>) -> Result<(), (Span, String)> {
    if merges.is_empty() {
        return Ok(());
    }
    let mut present: HashSet<String> = entries
        .iter()
        .filter_map(|e| e.key.key_text().map(Cow::into_owned))
        .collect();
    let mut sources = Vec::new();
    for merge in merges {
        match merge.value {
            Value::Map(_) => sources.push(merge),
            Value::Seq(items) => sources.extend(items),
            _ => {
                return Err((
                    merge.span,
                    "the merge key `<<` needs a mapping or a list of mappings".to_owned(),
                ))
            }
        }
    }
    for source in sources {
        let Value::Map(source_entries) = source.value else {
            return Err((
                source.span,
                "the merge key `<<` needs a mapping or a list of mappings".to_owned(),
            ));
        };
        for entry in source_entries {
            let text = entry.key.key_text().map(Cow::into_owned);
            if let Some(text) = text {
                if present.insert(text) {
                    entries.push(entry);
                }
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> (Vec<ParsedDocument>, Vec<LoadProblem>) {
        parse_stream(text, Dialect::Yaml, &LoadLimits::default())
    }

    #[test]
    fn spans_point_at_keys_and_values_in_block_and_flow_style() {
        let text = "a: 1\n---\nspec:\n  ports:\n  - port: 80\n    targetPort: web\n---\nspec: {ports: [{port: 1}, {targetPort: x}]}\n";
        let (docs, problems) = parse(text);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(docs.len(), 3);
        let path = crate::path::FieldPath::new(["spec", "ports"])
            .index(1)
            .child("targetPort");
        let block = crate::path::FieldPath::new(["spec", "ports"])
            .index(0)
            .child("targetPort");
        let (span, exact) = docs[1].root.locate(&block);
        assert!(exact);
        assert_eq!(&text[span.range()], "web");
        let (span, exact) = docs[2].root.locate(&path);
        assert!(exact);
        assert_eq!(&text[span.range()], "x");
        assert_eq!(docs[2].index, 2);
    }

    #[test]
    fn non_ascii_text_keeps_byte_offsets() {
        let text = "metadata:\n  annotations: {note: \"héllo wörld\"}\n  name: ñame\n";
        let (docs, _) = parse(text);
        let (span, _) = docs[0]
            .root
            .locate(&crate::path::FieldPath::new(["metadata", "name"]));
        assert_eq!(&text[span.range()], "ñame");
    }

    #[test]
    fn a_syntax_error_spoils_only_its_document() {
        let text = "a: 1\n---\nb: [1, 2\n---\nc: 3\n";
        let (docs, problems) = parse(text);
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[1].index, 2);
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].kind, ProblemKind::Syntax);
    }

    #[test]
    fn aliases_merges_and_duplicates() {
        let text = "base: &b {p: 1, q: 2}\nuse:\n  <<: *b\n  q: 3\ndup: 1\ndup: 2\n";
        let (docs, problems) = parse(text);
        let root = &docs[0].root;
        let use_ = root.get("use").unwrap();
        assert_eq!(use_.get("p").unwrap().value, Value::Int(1));
        assert_eq!(use_.get("q").unwrap().value, Value::Int(3));
        assert_eq!(root.get("dup").unwrap().value, Value::Int(2));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].kind, ProblemKind::DuplicateKey);
        assert!(problems[0].related.is_some());
    }

    #[test]
    fn yaml11_keys_and_values_resolve_like_kubectl() {
        let (docs, problems) = parse(
            "y: 1
port: 0755
",
        );
        assert_eq!(docs[0].root.get("true").unwrap().value, Value::Int(1));
        assert_eq!(docs[0].root.get("port").unwrap().value, Value::Int(493));
        assert_eq!(problems.len(), 1);
        assert_eq!(problems[0].kind, ProblemKind::Yaml11);
    }

    #[test]
    fn alias_bombs_and_deep_nesting_are_refused() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (i, prev) in ["a", "b", "c", "d", "e", "f", "g", "h"].iter().enumerate() {
            let name = ["b", "c", "d", "e", "f", "g", "h", "i"][i];
            bomb.push_str(&format!("{name}: &{name} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"));
        }
        let (docs, problems) = parse(&bomb);
        assert!(docs.is_empty());
        assert_eq!(problems[0].kind, ProblemKind::LimitExceeded);

        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let (docs, problems) = parse(&deep);
        assert!(docs.is_empty());
        assert_eq!(problems.len(), 1);
    }
}
