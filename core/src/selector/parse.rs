//! The parser of the string selector grammar (spec §7.2), reproducing upstream `labels.Parse`
//! including its error precedence: a requirement is checked (key, then values) as soon as it
//! has been read, so a bad key or value is reported before a syntax error further right.

use std::ops::Range;

use super::error::SelectorError;
use super::lexer::{tokenize, Token, TokenKind};
use super::requirement::{check, Culprit, Operator, Requirement, Selector};

/// Parses a selector string the way `labels.Parse` does. Empty or whitespace-only input gives
/// the empty selector (matches everything). Requirements are sorted by key (stable).
pub fn parse(input: &str) -> Result<Selector, SelectorError> {
    let mut parser = Parser::new(input);
    let requirements = parser.selector()?;
    Ok(Selector::from_requirements(requirements))
}

struct Parser<'a> {
    tokens: Vec<Token<'a>>,
    pos: usize,
    end: Token<'a>,
}

/// A value as read, with where it came from (zero-width for implied empty values).
struct Spanned {
    value: String,
    span: Range<usize>,
}

impl<'a> Parser<'a> {
    fn new(input: &'a str) -> Self {
        let tokens = tokenize(input);
        let end = tokens.last().cloned().unwrap_or(Token {
            kind: TokenKind::End,
            text: "",
            span: input.len()..input.len(),
        });
        Self {
            tokens,
            pos: 0,
            end,
        }
    }

    fn peek(&self) -> &Token<'a> {
        self.tokens.get(self.pos).unwrap_or(&self.end)
    }

    /// The current token; advances unless at the end.
    fn bump(&mut self) -> Token<'a> {
        let token = self.peek().clone();
        if token.kind != TokenKind::End {
            self.pos += 1;
        }
        token
    }

    fn selector(&mut self) -> Result<Vec<Requirement>, SelectorError> {
        let mut requirements = Vec::new();
        loop {
            let next = self.peek();
            match next.value_kind() {
                TokenKind::End => return Ok(requirements),
                TokenKind::Ident | TokenKind::Bang => {}
                _ => {
                    return Err(SelectorError::syntax(
                        format!(
                            "expected a label key or '!' to start a requirement, found {}",
                            next.describe()
                        ),
                        next.span.clone(),
                    ))
                }
            }
            let requirement = self.requirement()?;
            let after = self.bump();
            match after.kind {
                TokenKind::End => {
                    requirements.push(requirement);
                    return Ok(requirements);
                }
                TokenKind::Comma => {
                    let next = self.peek();
                    if !matches!(next.value_kind(), TokenKind::Ident | TokenKind::Bang) {
                        return Err(SelectorError::syntax(
                            format!(
                                "expected a requirement after ',', found {}",
                                next.describe()
                            ),
                            next.span.clone(),
                        ));
                    }
                }
                _ => {
                    let message = if requirement.operator() == Operator::DoesNotExist
                        && is_operator(after.kind)
                    {
                        format!(
                            "'!{}' (does not exist) cannot be combined with an operator, found {}",
                            requirement.key(),
                            after.describe()
                        )
                    } else {
                        format!(
                            "expected ',' or end of input after '{requirement}', found {}",
                            after.describe()
                        )
                    };
                    return Err(SelectorError::syntax(message, after.span));
                }
            }
            requirements.push(requirement);
        }
    }

    fn requirement(&mut self) -> Result<Requirement, SelectorError> {
        let mut key_token = self.bump();
        let negated = key_token.kind == TokenKind::Bang;
        if negated {
            key_token = self.bump();
        }
        if key_token.value_kind() != TokenKind::Ident {
            return Err(SelectorError::syntax(
                format!(
                    "expected a label key after '!', found {}",
                    key_token.describe()
                ),
                key_token.span,
            ));
        }
        let key = key_token.text;
        let unary = if negated {
            // `!key` is complete; anything but ',' or the end is rejected by the caller.
            Some(Operator::DoesNotExist)
        } else if matches!(self.peek().kind, TokenKind::End | TokenKind::Comma) {
            Some(Operator::Exists)
        } else {
            None
        };
        // Upstream checks the key before looking at the operator.
        if let Err(problem) = check(key, Operator::Exists, &[]) {
            return Err(SelectorError::new(
                problem.kind,
                problem.message,
                key_token.span,
            ));
        }
        if let Some(operator) = unary {
            return Ok(Requirement::new_unchecked(
                key.to_owned(),
                operator,
                Vec::new(),
            ));
        }

        let op_token = self.bump();
        let operator = match op_token.kind {
            TokenKind::Equals => Operator::Equals,
            TokenKind::DoubleEquals => Operator::DoubleEquals,
            TokenKind::NotEquals => Operator::NotEquals,
            TokenKind::Greater => Operator::GreaterThan,
            TokenKind::Less => Operator::LessThan,
            TokenKind::In => Operator::In,
            TokenKind::NotIn => Operator::NotIn,
            _ => {
                return Err(SelectorError::syntax(
                    format!(
                        "expected an operator ('=', '==', '!=', 'in', 'notin', '>' or '<') after key '{key}', found {}",
                        op_token.describe()
                    ),
                    op_token.span,
                ))
            }
        };
        let mut values = match operator {
            Operator::In | Operator::NotIn => self.set_values(&op_token)?,
            _ => vec![self.exact_value(&op_token)?],
        };
        // The values form a set: sorted, duplicates dropped (keeping the first occurrence).
        crate::sort::sort_by(&mut values, |a, b| a.value.cmp(&b.value));
        values.dedup_by(|later, earlier| later.value == earlier.value);
        let (strings, spans): (Vec<String>, Vec<Range<usize>>) =
            values.into_iter().map(|v| (v.value, v.span)).unzip();
        if let Err(problem) = check(key, operator, &strings) {
            let span = match problem.culprit {
                Culprit::Key => key_token.span,
                Culprit::Values => op_token.span,
                Culprit::Value(i) => spans.get(i).cloned().unwrap_or(op_token.span),
            };
            return Err(SelectorError::new(problem.kind, problem.message, span));
        }
        Ok(Requirement::new_unchecked(
            key.to_owned(),
            operator,
            strings,
        ))
    }

    /// The value after `=`, `==`, `!=`, `>` or `<`; empty when a `,` or the end follows.
    fn exact_value(&mut self, op_token: &Token<'a>) -> Result<Spanned, SelectorError> {
        if matches!(self.peek().kind, TokenKind::End | TokenKind::Comma) {
            let at = op_token.span.end;
            return Ok(Spanned {
                value: String::new(),
                span: at..at,
            });
        }
        let token = self.bump();
        if token.value_kind() == TokenKind::Ident {
            return Ok(Spanned {
                value: token.text.to_owned(),
                span: token.span,
            });
        }
        Err(SelectorError::syntax(
            format!(
                "expected a value after '{}', found {}",
                op_token.text,
                token.describe()
            ),
            token.span,
        ))
    }

    /// `( item, item, ... )` after `in` / `notin` (STR-SET-LIST): `()` is `{""}`; a leading
    /// comma, a trailing comma and each pair of consecutive commas add `""`.
    fn set_values(&mut self, op_token: &Token<'a>) -> Result<Vec<Spanned>, SelectorError> {
        let open = self.bump();
        if open.kind != TokenKind::OpenParen {
            return Err(SelectorError::syntax(
                format!(
                    "expected '(' after '{}', found {}",
                    op_token.text,
                    open.describe()
                ),
                open.span,
            ));
        }
        let first = self.peek();
        match first.value_kind() {
            TokenKind::CloseParen => {
                let close = self.bump();
                return Ok(vec![Spanned {
                    value: String::new(),
                    span: open.span.end..close.span.start,
                }]);
            }
            TokenKind::Ident | TokenKind::Comma => {}
            _ => {
                return Err(SelectorError::syntax(
                    format!(
                        "expected a value, ',' or ')' after '(', found {}",
                        first.describe()
                    ),
                    first.span.clone(),
                ))
            }
        }
        let mut values = Vec::new();
        loop {
            let token = self.bump();
            match token.value_kind() {
                TokenKind::Ident => {
                    let next = self.peek();
                    match next.kind {
                        TokenKind::Comma => {}
                        TokenKind::CloseParen => {
                            values.push(Spanned {
                                value: token.text.to_owned(),
                                span: token.span,
                            });
                            self.bump();
                            return Ok(values);
                        }
                        _ => {
                            return Err(SelectorError::syntax(
                                format!(
                                    "expected ',' or ')' after value '{}', found {}",
                                    token.text,
                                    next.describe()
                                ),
                                next.span.clone(),
                            ))
                        }
                    }
                    values.push(Spanned {
                        value: token.text.to_owned(),
                        span: token.span,
                    });
                }
                TokenKind::Comma => {
                    let empty_at = |t: &Token<'_>| Spanned {
                        value: String::new(),
                        span: t.span.start..t.span.start,
                    };
                    if values.is_empty() {
                        values.push(empty_at(&token));
                    }
                    match self.peek().kind {
                        TokenKind::CloseParen => {
                            let close = self.bump();
                            values.push(empty_at(&close));
                            return Ok(values);
                        }
                        TokenKind::Comma => {
                            let second = self.peek();
                            values.push(empty_at(second));
                        }
                        _ => {}
                    }
                }
                TokenKind::End => {
                    return Err(SelectorError::syntax(
                        "unterminated value list: expected a value, ',' or ')', found end of input",
                        token.span,
                    ))
                }
                _ => {
                    return Err(SelectorError::syntax(
                        format!(
                            "expected a value, ',' or ')' in the value list, found {}",
                            token.describe()
                        ),
                        token.span,
                    ))
                }
            }
        }
    }
}

fn is_operator(kind: TokenKind) -> bool {
    matches!(
        kind,
        TokenKind::Equals
            | TokenKind::DoubleEquals
            | TokenKind::NotEquals
            | TokenKind::Greater
            | TokenKind::Less
            | TokenKind::In
            | TokenKind::NotIn
    )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::selector::SelectorErrorKind;

    /// `(key, operator name, values)` of each requirement.
    type Parsed = Vec<(String, &'static str, Vec<String>)>;

    /// Parses into requirement triples plus the canonical string.
    fn ok(input: &str) -> (Parsed, String) {
        let selector = parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        let parsed = selector
            .requirements()
            .iter()
            .map(|r| (r.key().to_owned(), r.operator().name(), r.values().to_vec()))
            .collect();
        (parsed, selector.to_string())
    }

    fn canonical(input: &str) -> String {
        ok(input).1
    }

    fn err(input: &str) -> SelectorError {
        match parse(input) {
            Ok(s) => panic!("{input:?} parsed as {s}"),
            Err(e) => e,
        }
    }

    fn kind(input: &str) -> SelectorErrorKind {
        err(input).kind
    }

    /// The text the error span points at.
    fn culprit(input: &str) -> &str {
        let e = err(input);
        input.get(e.span.clone()).unwrap_or("<bad span>")
    }

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    #[test]
    fn empty_selects_everything() {
        for input in ["", " ", "\t\r\n "] {
            let s = parse(input).unwrap();
            assert!(s.is_empty());
            assert_eq!(s.to_string(), "");
        }
    }

    #[test]
    fn whitespace_cr_lf_tab() {
        assert_eq!(canonical("x\t=\ta\r\n,\ny\rin\t(\nb\r)"), "x=a,y in (b)");
        assert_eq!(canonical("! \t x"), "!x");
        // Other control characters are not whitespace.
        assert_eq!(kind("x=\u{b}a"), SelectorErrorKind::InvalidLabelValue);
    }

    #[test]
    fn greedy_operator_lexing_in_context() {
        // `>=` is `>` then `=`: no value after `>`.
        assert_eq!(kind("x>=1"), SelectorErrorKind::Syntax);
        assert_eq!(culprit("x>=1"), "=");
        // `=!` is `=` then `!`.
        assert_eq!(kind("x=!a"), SelectorErrorKind::Syntax);
        assert_eq!(culprit("x=!a"), "!");
        // `===` is `==` then `=`.
        assert_eq!(kind("x===a"), SelectorErrorKind::Syntax);
        assert_eq!(culprit("x===a"), "=");
        assert_eq!(canonical("x==a"), "x==a");
        assert_eq!(canonical("x!=a"), "x!=a");
    }

    #[test]
    fn keywords_as_keys_and_values() {
        let (parsed, text) = ok("in in (in)");
        assert_eq!(parsed, [("in".to_owned(), "in", strings(&["in"]))]);
        assert_eq!(text, "in in (in)");
        assert_eq!(canonical("notin=in"), "notin=in");
        assert_eq!(canonical("a in (x,notin,in)"), "a in (in,notin,x)");
        assert_eq!(canonical("notin notin (notin)"), "notin notin (notin)");
        assert_eq!(canonical("in,!notin"), "in,!notin");
        assert_eq!(canonical("in"), "in");
        assert_eq!(canonical("x!=notin"), "x!=notin");
        // Keywords are lower case only; `IN` is an identifier where an operator is expected.
        assert_eq!(kind("x IN (a)"), SelectorErrorKind::Syntax);
        assert_eq!(culprit("x IN (a)"), "IN");
        assert_eq!(canonical("IN=Notin"), "IN=Notin");
    }

    #[test]
    fn exists_and_does_not_exist() {
        assert_eq!(ok("a").0, [("a".to_owned(), "exists", vec![])]);
        assert_eq!(ok("!a").0, [("a".to_owned(), "!", vec![])]);
        assert_eq!(canonical("a , ! b"), "a,!b");
        assert_eq!(kind("!x=a"), SelectorErrorKind::Syntax);
        assert_eq!(culprit("!x=a"), "=");
        assert!(err("!x=a").message.contains("cannot be combined"));
        assert_eq!(culprit("!x in (a)"), "in");
        assert_eq!(culprit("!x y"), "y");
        assert_eq!(kind("!"), SelectorErrorKind::Syntax);
        assert_eq!(culprit("!!x"), "!");
        assert_eq!(kind("!=x"), SelectorErrorKind::Syntax);
    }

    #[test]
    fn exact_match_values() {
        assert_eq!(ok("x=").0, [("x".to_owned(), "=", strings(&[""]))]);
        assert_eq!(canonical("x=,y="), "x=,y=");
        assert_eq!(canonical("x==,y!= "), "x==,y!=");
        assert_eq!(kind("x=(a)"), SelectorErrorKind::Syntax);
        assert_eq!(culprit("x=(a)"), "(");
        assert_eq!(culprit("x=a b"), "b");
        assert_eq!(culprit("x=a=b"), "=");
        assert_eq!(kind("x=a||y=b"), SelectorErrorKind::InvalidLabelValue);
        assert_eq!(culprit("x=a||y=b"), "a||y");
    }

    #[test]
    fn set_lists() {
        assert_eq!(ok("x in ()").0, [("x".to_owned(), "in", strings(&[""]))]);
        assert_eq!(canonical("x in ( )"), "x in ()");
        assert_eq!(canonical("x in (,)"), "x in ()");
        assert_eq!(canonical("x in (b,a,b)"), "x in (a,b)");
        assert_eq!(canonical("x in (,a)"), "x in (,a)");
        assert_eq!(canonical("x in (a,)"), "x in (,a)");
        assert_eq!(canonical("x in (a,,b)"), "x in (,a,b)");
        assert_eq!(canonical("x in (a,,,)"), "x in (,a)");
        assert_eq!(canonical("x in (,a,,,)"), "x in (,a)");
        assert_eq!(canonical("x notin (abc,,def)"), "x notin (,abc,def)");
        assert_eq!(canonical("x in(a)"), "x in (a)");
        assert_eq!(canonical("x notin(a),y"), "x notin (a),y");
    }

    #[test]
    fn set_list_empty_items() {
        // Older apimachinery releases consumed doubled commas in pairs and so rejected a list
        // ending in an even run of commas; current releases (and the spec) accept them.
        for input in [
            "x in (,a,,)",
            "x in (a,,)",
            "x in (a,,,,)",
            "x in ( , a , , )",
        ] {
            assert_eq!(
                ok(input).0,
                [("x".to_owned(), "in", strings(&["", "a"]))],
                "{input}"
            );
        }
        assert_eq!(canonical("x in (,,)"), "x in ()");
        assert_eq!(canonical("x in (a,,a,,a,,)"), "x in (,a)");
        assert_eq!(canonical("x notin (,b,,a)"), "x notin (,a,b)");
    }

    #[test]
    fn set_list_errors() {
        assert_eq!(culprit("x in (a b)"), "b");
        assert!(err("x in (a b)").message.contains("after value 'a'"));
        assert_eq!(culprit("x in a"), "a");
        assert_eq!(culprit("x in (a)b"), "b");
        assert_eq!(culprit("x in (=a)"), "=");
        assert_eq!(culprit("x in (a,=)"), "=");
        assert_eq!(culprit("x in ((a))"), "(");
        let unterminated = err("a notin(");
        assert_eq!(unterminated.kind, SelectorErrorKind::Syntax);
        assert_eq!(unterminated.span, 8..8);
        assert_eq!(err("x in (a,").span, 8..8);
        assert_eq!(err("x in (a").span, 7..7);
        assert_eq!(kind("x in (~a b)"), SelectorErrorKind::Syntax);
        assert_eq!(kind("x nott in (y)"), SelectorErrorKind::Syntax);
        assert_eq!(culprit("x nott in (y)"), "nott");
    }

    #[test]
    fn separators() {
        assert_eq!(culprit("x,"), "");
        assert_eq!(err("x,").span, 2..2);
        assert_eq!(culprit("x,,y"), ",");
        assert_eq!(err("x,,y").span, 2..3);
        assert_eq!(culprit(",x"), ",");
        assert_eq!(culprit("x y"), "y");
        assert_eq!(culprit("(x)"), "(");
    }

    #[test]
    fn gt_lt_values() {
        assert_eq!(ok("x>1").0, [("x".to_owned(), "gt", strings(&["1"]))]);
        assert_eq!(canonical("x<5"), "x<5");
        // Leading zeros are fine (and kept).
        assert_eq!(canonical("x>01"), "x>01");
        assert_eq!(canonical("x>0"), "x>0");
        assert_eq!(canonical("x<9223372036854775807"), "x<9223372036854775807");
        // Signs parse as integers but are not label values.
        assert_eq!(kind("x>-1"), SelectorErrorKind::InvalidLabelValue);
        assert_eq!(culprit("x>-1"), "-1");
        assert_eq!(kind("x>+1"), SelectorErrorKind::InvalidLabelValue);
        assert_eq!(kind("x<1.5"), SelectorErrorKind::GtLtNotInteger);
        assert_eq!(culprit("x<1.5"), "1.5");
        assert_eq!(kind("x>abc"), SelectorErrorKind::GtLtNotInteger);
        // Integer-ness is checked before the label-value rules.
        assert_eq!(kind("x>-a"), SelectorErrorKind::GtLtNotInteger);
        assert_eq!(
            kind("x>9223372036854775808"),
            SelectorErrorKind::GtLtNotInteger
        );
        assert_eq!(
            kind("x<-9223372036854775809"),
            SelectorErrorKind::GtLtNotInteger
        );
        assert_eq!(kind("x>1_000"), SelectorErrorKind::GtLtNotInteger);
        // A missing value is the empty string, which is not an integer.
        assert_eq!(kind("x>"), SelectorErrorKind::GtLtNotInteger);
        assert_eq!(err("x>").span, 2..2);
        assert_eq!(kind("x>,y"), SelectorErrorKind::GtLtNotInteger);
        assert_eq!(kind("x>(1)"), SelectorErrorKind::Syntax);
    }

    #[test]
    fn key_and_value_validation() {
        assert_eq!(kind("-x=a"), SelectorErrorKind::InvalidLabelKey);
        assert_eq!(culprit("-x=a"), "-x");
        // The key is checked before the rest of the requirement is read.
        assert_eq!(kind("-x=a=b"), SelectorErrorKind::InvalidLabelKey);
        assert_eq!(kind("a/b/c"), SelectorErrorKind::InvalidLabelKey);
        assert_eq!(kind("!A_/b"), SelectorErrorKind::InvalidLabelKey);
        assert_eq!(culprit("!A_/b"), "A_/b");
        let long_name = "k".repeat(64);
        assert_eq!(kind(&long_name), SelectorErrorKind::InvalidLabelKey);
        assert_eq!(canonical("example.com/Key_1.x"), "example.com/Key_1.x");
        let long_value = format!("x={}", "v".repeat(64));
        assert_eq!(kind(&long_value), SelectorErrorKind::InvalidLabelValue);
        assert_eq!(kind("x=~a"), SelectorErrorKind::InvalidLabelValue);
        assert_eq!(culprit("x in (ok,b@d,zz)"), "b@d");
        // A bad requirement is reported before a syntax error further right.
        assert_eq!(kind("x=~a,y=("), SelectorErrorKind::InvalidLabelValue);
        // ... but a syntax error inside the requirement comes first.
        assert_eq!(kind("x in (~a b)"), SelectorErrorKind::Syntax);
        let e = err("x=é");
        assert_eq!(e.kind, SelectorErrorKind::InvalidLabelValue);
        assert_eq!(e.span, 2..4);
    }

    #[test]
    fn sorted_by_key_stably() {
        let (parsed, text) = ok("x notin (abc,,def),bar,z in (),w");
        assert_eq!(text, "bar,w,x notin (,abc,def),z in ()");
        assert_eq!(parsed.len(), 4);
        assert_eq!(canonical("x=b,a,x=a"), "a,x=b,x=a");
    }

    #[test]
    fn nul_byte_quirk() {
        assert_eq!(canonical("x=a\0,y"), "x=a,y");
        assert_eq!(canonical("x=a \0 garbage (("), "x=a");
        assert!(parse("\0x").unwrap().is_empty());
        assert_eq!(culprit("x\0y"), "y");
    }

    #[test]
    fn parsed_selectors_match() {
        let labels: BTreeMap<String, String> = [("app", "web"), ("n", "5")]
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let yes = [
            "app=web",
            "app in (web,db),n>4",
            "!missing,n<6",
            "gone!=x,gone notin (y)",
            "",
        ];
        let no = [
            "app=db",
            "n>5",
            "n<5",
            "missing",
            "!app",
            "app notin (web)",
            "app>1",
        ];
        for input in yes {
            assert!(parse(input).unwrap().matches(&labels), "{input}");
        }
        for input in no {
            assert!(!parse(input).unwrap().matches(&labels), "{input}");
        }
    }

    #[test]
    fn errors_display_their_message() {
        let e = err("x in (a b)");
        assert_eq!(e.to_string(), e.message);
        assert_eq!(e.kind.as_str(), "syntax");
        assert_eq!(
            SelectorErrorKind::InvalidLabelKey.as_str(),
            "invalid-label-key"
        );
        assert_eq!(
            SelectorErrorKind::InvalidLabelValue.as_str(),
            "invalid-label-value"
        );
        assert_eq!(
            SelectorErrorKind::GtLtNotInteger.as_str(),
            "gt-lt-not-integer"
        );
        let _: &dyn std::error::Error = &e;
    }

    #[test]
    fn from_str_parses() {
        let s: Selector = "b,a".parse().unwrap();
        assert_eq!(s.to_string(), "a,b");
    }
}
