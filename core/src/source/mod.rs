//! Span-preserving loading of multi-document YAML and JSON manifests.

mod de;
mod decimal;
mod json;
mod limits;
mod line_index;
mod node;
mod problem;
mod scalar;
mod simple;
mod span;
mod tree;
mod yaml;

pub use de::{from_node, NodeError};
pub use limits::LoadLimits;
pub use line_index::{LineIndex, Position, PositionEncoding};
pub use node::{Entry, Node, Value};
pub use problem::{LoadProblem, ProblemKind};
pub use scalar::Dialect;
pub use span::{FileId, Span};
pub use yaml::ParsedDocument;

/// One loaded file: its text, line index, parsed documents and loading problems.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// The file's id in its workspace.
    pub id: FileId,
    /// The name shown to people (a path or a URI).
    pub name: String,
    /// The text (invalid UTF-8 replaced, for display only; such a file is not parsed).
    pub text: String,
    /// Line starts of `text`.
    pub line_index: LineIndex,
    /// The documents that parsed.
    pub documents: Vec<ParsedDocument>,
    /// What went wrong while loading.
    pub problems: Vec<LoadProblem>,
}

impl SourceFile {
    /// Loads `bytes` as manifests. Never fails: problems are recorded on the file.
    pub fn load(id: FileId, name: impl Into<String>, bytes: &[u8], limits: &LoadLimits) -> Self {
        let name = name.into();
        let mut problems = Vec::new();
        let mut documents = Vec::new();
        if bytes.len() > limits.max_file_bytes {
            let text = String::from_utf8_lossy(bytes.get(..4096).unwrap_or(bytes)).into_owned();
            problems.push(LoadProblem::new(
                ProblemKind::LimitExceeded,
                Span::at(0),
                format!(
                    "file is {} bytes, above the limit of {} bytes; it was not parsed",
                    bytes.len(),
                    limits.max_file_bytes
                ),
            ));
            return Self::new(id, name, text, documents, problems);
        }
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => text.to_owned(),
            Err(error) => {
                let at = error.valid_up_to();
                let hint = if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
                    " (it looks like UTF-16; save it as UTF-8)"
                } else {
                    ""
                };
                problems.push(LoadProblem::new(
                    ProblemKind::NotUtf8,
                    Span::at(at),
                    format!("file is not valid UTF-8 text: invalid byte at offset {at}{hint}; it was not parsed"),
                ));
                return Self::new(
                    id,
                    name,
                    String::from_utf8_lossy(bytes).into_owned(),
                    documents,
                    problems,
                );
            }
        };
        if let Some(at) = text.find(char::from(0)) {
            problems.push(LoadProblem::new(
                ProblemKind::Binary,
                Span::at(at),
                "file contains NUL bytes and looks binary; it was not parsed",
            ));
            return Self::new(id, name, text, documents, problems);
        }
        let dialect = detect_dialect(&name, &text);
        let (parsed, mut parse_problems) = yaml::parse_stream(&text, dialect, limits);
        documents = parsed;
        problems.append(&mut parse_problems);
        Self::new(id, name, text, documents, problems)
    }

    fn new(
        id: FileId,
        name: String,
        text: String,
        documents: Vec<ParsedDocument>,
        problems: Vec<LoadProblem>,
    ) -> Self {
        Self {
            id,
            line_index: LineIndex::new(&text),
            name,
            text,
            documents,
            problems,
        }
    }

    /// The zero-based position of a byte offset.
    pub fn position(&self, offset: usize, encoding: PositionEncoding) -> Position {
        self.line_index.position(&self.text, offset, encoding)
    }

    /// The byte offset of an offset counted from the start of the text in code units of
    /// `encoding` (what an editor's `offsetAt` gives); clamped to the text, and to the start
    /// of a character the offset falls inside.
    pub fn byte_offset(&self, units: usize, encoding: PositionEncoding) -> usize {
        let mut counted = 0usize;
        for (byte, ch) in self.text.char_indices() {
            if counted >= units {
                return byte;
            }
            counted += match encoding {
                PositionEncoding::Utf8 => ch.len_utf8(),
                PositionEncoding::Utf16 => ch.len_utf16(),
                PositionEncoding::Utf32 => 1,
            };
            if counted > units {
                return byte;
            }
        }
        self.text.len()
    }
}

/// JSON for `.json` files; YAML for `.yaml`/`.yml`; otherwise (standard input, other names)
/// JSON when the text opens a JSON value and holds no `---` document marker.
fn detect_dialect(name: &str, text: &str) -> Dialect {
    let lower = name.to_ascii_lowercase();
    if lower.ends_with(".json") {
        return Dialect::Json;
    }
    if lower.ends_with(".yaml") || lower.ends_with(".yml") {
        return Dialect::Yaml;
    }
    let opens_json = text.trim_start().starts_with(['{', '[']);
    let has_marker = text.lines().any(|line| line.starts_with("---"));
    if opens_json && !has_marker {
        Dialect::Json
    } else {
        Dialect::Yaml
    }
}
