//! Turns byte offsets into line/column positions, in the column unit each surface wants.

use serde::{Deserialize, Serialize};

/// How columns are counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PositionEncoding {
    /// Bytes of UTF-8.
    Utf8,
    /// UTF-16 code units (VS Code, browsers, LSP's default).
    Utf16,
    /// Unicode scalar values ("characters"; the CLI's JSON output).
    #[default]
    Utf32,
}

/// A zero-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Position {
    /// Zero-based line.
    pub line: u32,
    /// Zero-based column in the chosen encoding.
    pub column: u32,
}

/// Line starts of one text, built once per file.
#[derive(Debug, Clone)]
pub struct LineIndex {
    line_starts: Vec<u32>,
    len: u32,
}

impl LineIndex {
    /// Indexes `text`. Lines end at `\n`; a `\r` before it belongs to the line ending.
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0u32];
        line_starts.extend(
            text.match_indices('\n')
                .map(|(i, _)| u32::try_from(i + 1).unwrap_or(u32::MAX)),
        );
        Self {
            line_starts,
            len: u32::try_from(text.len()).unwrap_or(u32::MAX),
        }
    }

    /// Number of lines (a trailing newline starts a last, empty line).
    pub fn line_count(&self) -> usize {
        self.line_starts.len()
    }

    /// Byte offset where zero-based `line` starts, if it exists.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.line_starts.get(line).map(|s| *s as usize)
    }

    /// The zero-based line containing byte `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        let offset = u32::try_from(offset).unwrap_or(u32::MAX).min(self.len);
        self.line_starts
            .partition_point(|start| *start <= offset)
            .saturating_sub(1)
    }

    /// The position of byte `offset` in `text` (the text this index was built from). An
    /// offset inside a multi-byte character counts up to that character.
    pub fn position(&self, text: &str, offset: usize, encoding: PositionEncoding) -> Position {
        let line = self.line_of(offset);
        let start = self.line_start(line).unwrap_or(0);
        let end = offset.min(text.len()).max(start);
        let prefix = text
            .get(start..end)
            .unwrap_or_else(|| lossy_prefix(text, start, end));
        let column = match encoding {
            PositionEncoding::Utf8 => prefix.len(),
            PositionEncoding::Utf16 => prefix.encode_utf16().count(),
            PositionEncoding::Utf32 => prefix.chars().count(),
        };
        Position {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
        }
    }

    /// The byte offset of a zero-based position, clamped to the line (the inverse of
    /// [`LineIndex::position`]).
    pub fn offset(&self, text: &str, position: Position, encoding: PositionEncoding) -> usize {
        let Some(start) = self.line_start(position.line as usize) else {
            return text.len();
        };
        let end = self
            .line_start(position.line as usize + 1)
            .unwrap_or(text.len());
        let line = text.get(start..end).unwrap_or_default();
        let mut units = 0usize;
        for (i, ch) in line.char_indices() {
            if units >= position.column as usize || ch == '\n' {
                return start + i;
            }
            units += match encoding {
                PositionEncoding::Utf8 => ch.len_utf8(),
                PositionEncoding::Utf16 => ch.len_utf16(),
                PositionEncoding::Utf32 => 1,
            };
        }
        end
    }
}

/// `text[start..end]` moved back to character boundaries.
fn lossy_prefix(text: &str, start: usize, end: usize) -> &str {
    let mut end = end;
    while end > start && !text.is_char_boundary(end) {
        end -= 1;
    }
    text.get(start..end).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_in_each_encoding() {
        let text = "a: 1\nnäme: \u{1F600}x\n";
        let index = LineIndex::new(text);
        let x = text.find('x').unwrap();
        let at = |e| index.position(text, x, e);
        assert_eq!(
            at(PositionEncoding::Utf8),
            Position {
                line: 1,
                column: 11
            }
        );
        assert_eq!(at(PositionEncoding::Utf16), Position { line: 1, column: 8 });
        assert_eq!(at(PositionEncoding::Utf32), Position { line: 1, column: 7 });
        for e in [
            PositionEncoding::Utf8,
            PositionEncoding::Utf16,
            PositionEncoding::Utf32,
        ] {
            assert_eq!(index.offset(text, at(e), e), x);
        }
        assert_eq!(index.line_count(), 3);
        assert_eq!(
            index
                .position(text, text.len(), PositionEncoding::Utf8)
                .line,
            2
        );
    }
}
