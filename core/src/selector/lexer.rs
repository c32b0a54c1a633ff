//! The byte-wise lexer of the string selector grammar (spec §7.1).
//!
//! * Whitespace is exactly space, TAB, CR and LF.
//! * The special bytes `= ! ( ) , > <` form operator tokens greedily: a token is extended by
//!   the next special byte only while the result is still a known operator, so `>=` is `>` `=`,
//!   `=!` is `=` `!` and `===` is `==` `=`.
//! * Every other run of bytes is an identifier; exactly `in` and `notin` are keywords.
//! * Upstream quirk, reproduced: the lexer reads a NUL byte as "end of string". A NUL where a
//!   token would start ends the input (the rest is ignored); a NUL directly after a token ends
//!   that token and is swallowed.

use std::ops::Range;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TokenKind {
    /// A key or a value.
    Ident,
    /// The keyword `in`.
    In,
    /// The keyword `notin`.
    NotIn,
    /// `=`
    Equals,
    /// `==`
    DoubleEquals,
    /// `!=`
    NotEquals,
    /// `!`
    Bang,
    /// `>`
    Greater,
    /// `<`
    Less,
    /// `(`
    OpenParen,
    /// `)`
    CloseParen,
    /// `,`
    Comma,
    /// End of the input (or a NUL byte where a token would start).
    End,
}

/// One token with its text and byte span in the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    pub(crate) kind: TokenKind,
    pub(crate) text: &'a str,
    pub(crate) span: Range<usize>,
}

impl Token<'_> {
    /// The kind where a key or a value is expected: the keywords are plain identifiers there.
    pub(crate) fn value_kind(&self) -> TokenKind {
        match self.kind {
            TokenKind::In | TokenKind::NotIn => TokenKind::Ident,
            kind => kind,
        }
    }

    /// The token as quoted in error messages.
    pub(crate) fn describe(&self) -> String {
        match self.kind {
            TokenKind::End => "end of input".to_owned(),
            _ => format!("'{}'", self.text),
        }
    }
}

fn is_whitespace(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn is_special(b: u8) -> bool {
    matches!(b, b'=' | b'!' | b'(' | b')' | b',' | b'>' | b'<')
}

fn special_kind(text: &[u8]) -> Option<TokenKind> {
    Some(match text {
        b"=" => TokenKind::Equals,
        b"==" => TokenKind::DoubleEquals,
        b"!=" => TokenKind::NotEquals,
        b"!" => TokenKind::Bang,
        b">" => TokenKind::Greater,
        b"<" => TokenKind::Less,
        b"(" => TokenKind::OpenParen,
        b")" => TokenKind::CloseParen,
        b"," => TokenKind::Comma,
        _ => return None,
    })
}

/// Splits `input` into tokens. The last token is always [`TokenKind::End`].
pub(crate) fn tokenize(input: &str) -> Vec<Token<'_>> {
    let bytes = input.as_bytes();
    let mut tokens = Vec::new();
    let mut pos = 0;
    loop {
        while bytes.get(pos).is_some_and(|&b| is_whitespace(b)) {
            pos += 1;
        }
        let Some(&first) = bytes.get(pos) else {
            tokens.push(Token {
                kind: TokenKind::End,
                text: "",
                span: bytes.len()..bytes.len(),
            });
            return tokens;
        };
        if first == 0 {
            tokens.push(Token {
                kind: TokenKind::End,
                text: "",
                span: pos..pos + 1,
            });
            return tokens;
        }
        let start = pos;
        let kind = if is_special(first) {
            // Every single special byte is an operator; extend while still an operator.
            let mut kind = special_kind(bytes.get(start..=start).unwrap_or_default());
            let mut end = start + 1;
            while bytes.get(end).is_some_and(|&b| is_special(b)) {
                match bytes.get(start..=end).and_then(special_kind) {
                    Some(longer) => {
                        kind = Some(longer);
                        end += 1;
                    }
                    None => break,
                }
            }
            pos = end;
            kind.unwrap_or(TokenKind::End)
        } else {
            let mut end = start;
            while bytes
                .get(end)
                .is_some_and(|&b| b != 0 && !is_whitespace(b) && !is_special(b))
            {
                end += 1;
            }
            pos = end;
            match bytes.get(start..end) {
                Some(b"in") => TokenKind::In,
                Some(b"notin") => TokenKind::NotIn,
                _ => TokenKind::Ident,
            }
        };
        tokens.push(Token {
            kind,
            // Token boundaries are ASCII bytes, hence always char boundaries.
            text: input.get(start..pos).unwrap_or_default(),
            span: start..pos,
        });
        if bytes.get(pos) == Some(&0) {
            // Upstream reads the NUL as end of the token and does not put it back.
            pos += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(input: &str) -> Vec<(TokenKind, &str)> {
        tokenize(input)
            .into_iter()
            .map(|t| (t.kind, t.text))
            .collect()
    }

    use TokenKind::*;

    #[test]
    fn greedy_operators() {
        assert_eq!(kinds(">="), [(Greater, ">"), (Equals, "="), (End, "")]);
        assert_eq!(kinds("=!"), [(Equals, "="), (Bang, "!"), (End, "")]);
        assert_eq!(
            kinds("==="),
            [(DoubleEquals, "=="), (Equals, "="), (End, "")]
        );
        assert_eq!(kinds("!=="), [(NotEquals, "!="), (Equals, "="), (End, "")]);
        assert_eq!(
            kinds("!!x"),
            [(Bang, "!"), (Bang, "!"), (Ident, "x"), (End, "")]
        );
        assert_eq!(
            kinds("(),<>"),
            [
                (OpenParen, "("),
                (CloseParen, ")"),
                (Comma, ","),
                (Less, "<"),
                (Greater, ">"),
                (End, "")
            ]
        );
    }

    #[test]
    fn keywords_are_exact_lower_case() {
        assert_eq!(
            kinds("in notin IN Notin inn"),
            [
                (In, "in"),
                (NotIn, "notin"),
                (Ident, "IN"),
                (Ident, "Notin"),
                (Ident, "inn"),
                (End, "")
            ]
        );
    }

    #[test]
    fn whitespace_is_space_tab_cr_lf_only() {
        assert_eq!(
            kinds(" a\t=\r\nb "),
            [(Ident, "a"), (Equals, "="), (Ident, "b"), (End, "")]
        );
        // Vertical tab and form feed are identifier bytes.
        assert_eq!(kinds("a\u{b}b"), [(Ident, "a\u{b}b"), (End, "")]);
        assert_eq!(kinds("a\u{c}"), [(Ident, "a\u{c}"), (End, "")]);
    }

    #[test]
    fn spans_are_byte_ranges() {
        let tokens = tokenize("x in (a b)");
        let spans: Vec<_> = tokens.iter().map(|t| t.span.clone()).collect();
        assert_eq!(spans, [0..1, 2..4, 5..6, 6..7, 8..9, 9..10, 10..10]);
        let tokens = tokenize("é=ü");
        assert_eq!(tokens.first().map(|t| t.span.clone()), Some(0..2));
        assert_eq!(tokens.get(2).map(|t| t.text), Some("ü"));
    }

    #[test]
    fn identifiers_take_everything_else() {
        assert_eq!(kinds("a||b~c"), [(Ident, "a||b~c"), (End, "")]);
        assert_eq!(
            kinds("x=a.b/c"),
            [(Ident, "x"), (Equals, "="), (Ident, "a.b/c"), (End, "")]
        );
    }

    #[test]
    fn nul_byte_quirk() {
        // A NUL where a token starts ends the input.
        assert_eq!(kinds("x \0 y"), [(Ident, "x"), (End, "")]);
        assert_eq!(kinds("\0x"), [(End, "")]);
        // A NUL right after a token ends the token and is swallowed.
        assert_eq!(kinds("x\0y"), [(Ident, "x"), (Ident, "y"), (End, "")]);
        assert_eq!(kinds("=\0="), [(Equals, "="), (Equals, "="), (End, "")]);
        assert_eq!(kinds("x\0\0y"), [(Ident, "x"), (End, "")]);
    }

    #[test]
    fn empty_input() {
        assert_eq!(kinds(""), [(End, "")]);
        assert_eq!(kinds(" \t\r\n"), [(End, "")]);
    }
}
