//! A fast path for JSON documents (`.json` files, and the objects of admission reviews).
//!
//! A strict RFC 8259 reader that builds exactly the tree the saphyr-based builder builds for
//! JSON (a differential test holds the two together) and gives up — returning `None` — on
//! anything else: a syntax error, trailing content, a limit. The text is then parsed again by
//! the full parser, which also words the error. So this path only has to be right when it
//! answers.

use compact_str::CompactString;

use super::limits::LoadLimits;
use super::node::{Node, Value};
use super::problem::{LoadProblem, ProblemKind};
use super::scalar::Dialect;
use super::span::Span;
use super::tree::{container_span, scalar_node, MapBuilder};

/// Why the fast path did not build a tree.
#[derive(Debug)]
pub(super) enum GaveUp {
    /// Not strict JSON (or only whitespace): the full parser reads it and words the error.
    NotStrict,
    /// Strict JSON over a limit: reported as is, never handed to the full parser, which would
    /// spend the same time and memory again only to stop at the same limit.
    Limit(LoadProblem),
}

/// Parses one JSON text (starting at byte `base` of its file): its root and loading notes
/// (duplicate keys), or why it gave up.
pub(super) fn parse_document(
    text: &str,
    base: usize,
    limits: &LoadLimits,
) -> Result<(Node, Vec<LoadProblem>), GaveUp> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
        base,
        limits,
        nodes: 0,
        depth: 0,
        problems: Vec::new(),
        limit: None,
    };
    reader.skip_whitespace();
    let root = reader.value();
    if let Some(problem) = reader.limit.take() {
        return Err(GaveUp::Limit(problem));
    }
    let root = root.ok_or(GaveUp::NotStrict)?;
    reader.skip_whitespace();
    if reader.at == reader.bytes.len() {
        Ok((root, reader.problems))
    } else {
        Err(GaveUp::NotStrict)
    }
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    base: usize,
    limits: &'a LoadLimits,
    nodes: usize,
    depth: usize,
    problems: Vec<LoadProblem>,
    /// The limit the text went over, if it did.
    limit: Option<LoadProblem>,
}

impl Reader<'_> {
    fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.base + start, self.base + end)
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\n' | b'\r' | b'\t')) {
            self.at += 1;
        }
    }

    fn count(&mut self) -> Option<()> {
        self.nodes += 1;
        if self.nodes <= self.limits.max_nodes {
            return Some(());
        }
        self.exceeded(format!(
            "document has more than {} values; it was not checked",
            self.limits.max_nodes
        ))
    }

    /// Records the limit the text went over, at the current position; always `None`.
    fn exceeded<T>(&mut self, message: String) -> Option<T> {
        let at = self.base + self.at;
        self.limit = Some(LoadProblem::new(
            ProblemKind::LimitExceeded,
            Span::at(at),
            message,
        ));
        None
    }

    fn value(&mut self) -> Option<Node> {
        self.count()?;
        match self.peek()? {
            b'{' => self.nested(Self::object),
            b'[' => self.nested(Self::array),
            b'"' => {
                let start = self.at;
                let string = self.string()?;
                Some(Node::new(self.span(start, self.at), Value::String(string)))
            }
            _ => self.plain(),
        }
    }

    fn nested(&mut self, container: fn(&mut Self) -> Option<Node>) -> Option<Node> {
        self.depth += 1;
        if self.depth > self.limits.max_depth {
            let message = format!(
                "nesting is deeper than {} levels; the document was not checked",
                self.limits.max_depth
            );
            return self.exceeded(message);
        }
        let node = container(self);
        self.depth -= 1;
        node
    }

    /// `true`, `false`, `null` or a number, resolved as the full parser resolves JSON.
    fn plain(&mut self) -> Option<Node> {
        let start = self.at;
        while matches!(
            self.peek(),
            Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E' | b'a'..=b'z')
        ) {
            self.at += 1;
        }
        let token = self.text.get(start..self.at)?;
        if !is_json_literal(token) {
            return None;
        }
        let (node, _) = scalar_node(token, true, Dialect::Json, self.span(start, self.at));
        Some(node)
    }

    fn object(&mut self) -> Option<Node> {
        let start = self.at;
        self.at += 1;
        let mut entries = MapBuilder::default();
        self.skip_whitespace();
        if self.peek()? == b'}' {
            self.at += 1;
            return Some(self.container(start, Value::Map(Vec::new()), None));
        }
        loop {
            self.skip_whitespace();
            if self.peek()? != b'"' {
                return None;
            }
            self.count()?;
            let key_start = self.at;
            let key = self.string()?;
            let key = Node::new(self.span(key_start, self.at), Value::String(key));
            self.skip_whitespace();
            if self.peek()? != b':' {
                return None;
            }
            self.at += 1;
            self.skip_whitespace();
            let value = self.value()?;
            if let Some(problem) = entries.insert(key, value) {
                self.problems.push(problem);
            }
            self.skip_whitespace();
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    let last = entries.entries.last().map(|e| e.value.span);
                    return Some(self.container(start, Value::Map(entries.entries), last));
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self) -> Option<Node> {
        let start = self.at;
        self.at += 1;
        let mut items = Vec::new();
        self.skip_whitespace();
        if self.peek()? == b']' {
            self.at += 1;
            return Some(self.container(start, Value::Seq(items), None));
        }
        loop {
            self.skip_whitespace();
            items.push(self.value()?);
            self.skip_whitespace();
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    let last = items.last().map(|n| n.span);
                    return Some(self.container(start, Value::Seq(items), last));
                }
                _ => return None,
            }
        }
    }

    /// A container from its opening bracket to the closing one just read.
    fn container(&self, start: usize, value: Value, last: Option<Span>) -> Node {
        let span = container_span(
            self.span(start, start + 1),
            last,
            self.span(self.at - 1, self.at),
        );
        Node::new(span, value)
    }

    /// A string with its escapes decoded; `self.at` is on the opening quote.
    fn string(&mut self) -> Option<CompactString> {
        self.at += 1;
        // Nearly every string has no escape: take it whole (inline when short).
        let start = self.at;
        let end = start
            + self
                .bytes
                .get(start..)?
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        if self.bytes.get(end) == Some(&b'"') {
            self.at = end + 1;
            return self.text.get(start..end).map(CompactString::from);
        }
        let mut out = String::new();
        loop {
            let run_start = self.at;
            while let Some(&b) = self.bytes.get(self.at) {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.at += 1;
            }
            out.push_str(self.text.get(run_start..self.at)?);
            match self.peek()? {
                b'"' => {
                    self.at += 1;
                    return Some(out.into());
                }
                b'\\' => {
                    self.at += 1;
                    let escape = self.peek()?;
                    self.at += 1;
                    match escape {
                        b'"' => out.push('"'),
                        b'\\' => out.push('\\'),
                        b'/' => out.push('/'),
                        b'b' => out.push('\u{8}'),
                        b'f' => out.push('\u{c}'),
                        b'n' => out.push('\n'),
                        b'r' => out.push('\r'),
                        b't' => out.push('\t'),
                        b'u' => out.push(self.unicode_escape()?),
                        _ => return None,
                    }
                }
                _ => return None,
            }
        }
    }

    /// The character of `\uXXXX` (a surrogate pair takes two escapes); `self.at` is after `u`.
    fn unicode_escape(&mut self) -> Option<char> {
        let high = self.hex4()?;
        if !(0xD800..0xDC00).contains(&high) {
            return char::from_u32(high);
        }
        if self.bytes.get(self.at..self.at + 2)? != b"\\u" {
            return None;
        }
        self.at += 2;
        let low = self.hex4()?;
        if !(0xDC00..0xE000).contains(&low) {
            return None;
        }
        char::from_u32(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
    }

    fn hex4(&mut self) -> Option<u32> {
        let digits = self.text.get(self.at..self.at + 4)?;
        let value = u32::from_str_radix(digits, 16).ok()?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        self.at += 4;
        Some(value)
    }
}

/// Whether `token` is `true`, `false`, `null` or a JSON number.
fn is_json_literal(token: &str) -> bool {
    if matches!(token, "true" | "false" | "null") {
        return true;
    }
    let bytes = token.as_bytes();
    let mut i = usize::from(bytes.first() == Some(&b'-'));
    let digits = |i: &mut usize| {
        let start = *i;
        while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let integer_start = i;
    match digits(&mut i) {
        0 => return false,
        n if n > 1 && bytes.get(integer_start) == Some(&b'0') => return false,
        _ => {}
    }
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        if digits(&mut i) == 0 {
            return false;
        }
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'+' | b'-')) {
            i += 1;
        }
        if digits(&mut i) == 0 {
            return false;
        }
    }
    i == bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::yaml::parse_chunk_with_events_as;

    /// The fast path answers and builds what the full parser builds.
    fn same_as_full_parser(text: &str) {
        let limits = LoadLimits::default();
        let (fast, fast_notes) =
            parse_document(text, 7, &limits).unwrap_or_else(|e| panic!("gave up on {text}: {e:?}"));
        let (full, full_notes) = parse_chunk_with_events_as(text, 7, Dialect::Json, &limits);
        assert_eq!(full.len(), 1, "{text}");
        assert_same_tree(&fast, full.first().unwrap(), text);
        assert_eq!(fast_notes, full_notes, "{text}");
    }

    /// Same values, same scalar and key ranges, same container starts. A container's end
    /// may differ: saphyr stretches a flow collection's range over a space after its closing
    /// bracket, the fast path ends it at the bracket.
    fn assert_same_tree(fast: &Node, full: &Node, text: &str) {
        match (&fast.value, &full.value) {
            (Value::Map(a), Value::Map(b)) => {
                assert_eq!(fast.span.start, full.span.start, "{text}");
                assert!(full.span.end >= fast.span.end, "{text}");
                assert_eq!(a.len(), b.len(), "{text}");
                for (x, y) in a.iter().zip(b) {
                    assert_eq!(x.key, y.key, "{text}");
                    assert_same_tree(&x.value, &y.value, text);
                }
            }
            (Value::Seq(a), Value::Seq(b)) => {
                assert_eq!(fast.span.start, full.span.start, "{text}");
                assert!(full.span.end >= fast.span.end, "{text}");
                assert_eq!(a.len(), b.len(), "{text}");
                for (x, y) in a.iter().zip(b) {
                    assert_same_tree(x, y, text);
                }
            }
            _ => assert_eq!(fast, full, "{text}"),
        }
    }

    #[test]
    fn builds_the_full_parsers_tree() {
        for text in [
            r#"{"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}}"#,
            "{\n  \"spec\": {\n    \"ports\": [\n      {\"port\": 80, \"targetPort\": \"http\"}\n    ]\n  }\n}\n",
            r#"[1, -2, 3.5, 1e3, -0.5E-2, true, false, null, "", [], {}]"#,
            r#"{"esc": "a\"b\\c\n\t\u00e9", "ünï": "çødé 🎉"}"#,
            r#"{"a": 1, "a": 2}"#,
            r#"{"big": 123456789012345678901234567890, "neg": -9223372036854775808}"#,
            "  \r\n{\"x\" :[ {\"y\":{}} ]}  \n",
            r#""just a string""#,
            "42",
        ] {
            same_as_full_parser(text);
        }
    }

    /// Every bundled AdmissionReview, as written (pretty) and compact.
    #[test]
    fn builds_the_full_parsers_tree_for_the_admission_examples() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/admission");
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            same_as_full_parser(&text);
            let value: serde_json::Value = serde_json::from_str(&text).unwrap();
            same_as_full_parser(&value.to_string());
        }
    }

    /// Escapes JSON has and YAML's double-quoted style lacks (so the full parser rejects them).
    #[test]
    fn decodes_json_only_escapes() {
        let text = r#"{"a": "x\/y \ud83d\ude00"}"#;
        let (root, _) = parse_document(text, 0, &LoadLimits::default()).unwrap();
        let value = root
            .as_map()
            .and_then(|m| m.first())
            .and_then(|e| e.value.as_str());
        assert_eq!(value, Some("x/y 😀"));
    }

    #[test]
    fn gives_up_on_what_is_not_strict_json() {
        let limits = LoadLimits::default();
        for text in [
            "{",
            "{\"a\" 1}",
            "{\"a\": 1,}",
            "[1 2]",
            "{a: 1}",
            "'x'",
            "01",
            "1.",
            ".5",
            "+1",
            "tru",
            "[1] [2]",
            "\"\\x\"",
            "\"tab\there\"",
            "\"\\ud800\"",
            "# comment\n{}",
            "",
            "NaN",
            "-",
        ] {
            assert!(
                matches!(parse_document(text, 0, &limits), Err(GaveUp::NotStrict)),
                "{text:?}"
            );
        }
    }

    #[test]
    fn reports_limits_itself() {
        let limits = LoadLimits::default();
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        let Err(GaveUp::Limit(problem)) = parse_document(&deep, 0, &limits) else {
            panic!("deep nesting not reported as a limit");
        };
        assert!(
            problem.message.contains("nesting is deeper than 128"),
            "{}",
            problem.message
        );
        let small = LoadLimits {
            max_nodes: 10,
            ..LoadLimits::default()
        };
        let wide = format!("[{}]", vec!["1"; 20].join(","));
        let Err(GaveUp::Limit(problem)) = parse_document(&wide, 0, &small) else {
            panic!("too many values not reported as a limit");
        };
        assert!(
            problem.message.contains("more than 10 values"),
            "{}",
            problem.message
        );
    }
}
