//! Scalar resolution: what a plain YAML scalar means to the Kubernetes toolchain.
//!
//! kubectl and the API server turn YAML into JSON with a YAML 1.1 resolver (go-yaml v2 via
//! sigs.k8s.io/yaml). That is not YAML 1.2: unquoted `on`/`yes`/`y` are booleans, `0755` is
//! octal, `1_000` is an integer and `08` a float. netward resolves scalars the same way, so
//! the verdict matches the cluster's, and reports the surprises as hints.

use super::node::Value;

/// The syntax a document is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// YAML, resolved as kubectl's YAML 1.1 decoder does.
    Yaml,
    /// JSON: only `null`, `true`, `false` and numbers are unquoted.
    Json,
}

/// Resolves an unquoted scalar.
pub fn resolve_plain(text: &str, dialect: Dialect) -> Value {
    match dialect {
        Dialect::Json => resolve_json(text),
        Dialect::Yaml => resolve_yaml11(text),
    }
}

fn resolve_json(text: &str) -> Value {
    match text {
        "null" => Value::Null,
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => {
            if !text.contains(['.', 'e', 'E']) {
                if let Ok(i) = text.parse::<i64>() {
                    return Value::Int(i);
                }
            }
            match super::decimal::parse_f64(text) {
                Some(f) if f.is_finite() && is_json_number(text) => Value::Float(f),
                _ => Value::String(text.into()),
            }
        }
    }
}

fn is_json_number(text: &str) -> bool {
    let body = text.strip_prefix('-').unwrap_or(text);
    body.bytes().next().is_some_and(|b| b.is_ascii_digit())
        && body
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
}

fn resolve_yaml11(text: &str) -> Value {
    // Every null, boolean and special-float spelling is at most 5 bytes long.
    let special = if text.len() <= 5 {
        resolve_special(text)
    } else {
        None
    };
    if let Some(value) = special {
        return value;
    }
    let starts_numeric = text
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.'));
    if !starts_numeric {
        return Value::String(text.into());
    }
    let plain: std::borrow::Cow<'_, str> = if text.contains('_') {
        text.replace('_', "").into()
    } else {
        text.into()
    };
    if let Some(i) = parse_go_int(&plain) {
        return Value::Int(i);
    }
    if is_yaml_float(&plain) {
        if let Some(f) = super::decimal::parse_f64(&plain) {
            return Value::Float(f);
        }
    }
    Value::String(text.into())
}

/// go-yaml v2's table of null, boolean and infinity/NaN spellings.
fn resolve_special(text: &str) -> Option<Value> {
    Some(match text {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "on" | "On" | "ON" | "true" | "True" | "TRUE" => {
            Value::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "off" | "Off" | "OFF" | "false" | "False" | "FALSE" => {
            Value::Bool(false)
        }
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => Value::Float(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => Value::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => Value::Float(f64::NAN),
        _ => return None,
    })
}

/// Go's `strconv.ParseInt(s, 0, 64)`: optional sign, then `0x`, `0o`, `0b`, a leading `0`
/// (octal) or decimal digits. Out-of-range values fall through (go-yaml then tries unsigned
/// and float parsing; both end up as a float here).
fn parse_go_int(s: &str) -> Option<i64> {
    let (negative, body) = match s.as_bytes().first() {
        Some(b'-') => (true, s.get(1..)?),
        Some(b'+') => (false, s.get(1..)?),
        _ => (false, s),
    };
    let (radix, digits) =
        if let Some(rest) = body.strip_prefix("0x").or_else(|| body.strip_prefix("0X")) {
            (16, rest)
        } else if let Some(rest) = body.strip_prefix("0o").or_else(|| body.strip_prefix("0O")) {
            (8, rest)
        } else if let Some(rest) = body.strip_prefix("0b").or_else(|| body.strip_prefix("0B")) {
            (2, rest)
        } else if body.len() > 1 && body.starts_with('0') {
            (8, body.get(1..)?)
        } else {
            (10, body)
        };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    let magnitude = u64::from_str_radix(digits, radix).ok()?;
    if negative {
        0i64.checked_sub_unsigned(magnitude)
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// go-yaml v2's float pattern: `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`.
fn is_yaml_float(s: &str) -> bool {
    let s = s.strip_prefix(['-', '+']).unwrap_or(s);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (s.get(..i).unwrap_or_default(), s.get(i + 1..)),
        None => (s, None),
    };
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => all_digits(frac),
        Some((int, frac)) => all_digits(int) && (frac.is_empty() || all_digits(frac)),
        None => all_digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| all_digits(e.strip_prefix(['-', '+']).unwrap_or(e)));
    mantissa_ok && exponent_ok
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// For a plain scalar that YAML 1.2 tools (editors, most linters) read differently from
/// kubectl, says how kubectl reads it.
pub fn yaml11_surprise(text: &str, value: &Value) -> Option<String> {
    match value {
        Value::Bool(b) if !matches!(text, "true" | "True" | "TRUE" | "false" | "False" | "FALSE") => Some(format!(
            "kubectl reads unquoted `{text}` as the boolean {b} (YAML 1.1); quote it to keep the string"
        )),
        Value::Int(i) => {
            let body = text.trim_start_matches(['-', '+']);
            let octal = body.len() > 1 && body.starts_with('0') && body.bytes().all(|b| b.is_ascii_digit());
            (octal || text.contains('_')).then(|| {
                format!("kubectl reads unquoted `{text}` as the number {i} (YAML 1.1 octal or digit separators)")
            })
        }
        Value::Float(f) if text.bytes().all(|b| b.is_ascii_digit()) => Some(format!(
            "kubectl reads unquoted `{text}` as the number {} (not a valid octal integer in YAML 1.1)",
            super::node::float_text(*f)
        )),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml11_resolution_matches_kubectl() {
        let y = |t| resolve_plain(t, Dialect::Yaml);
        assert_eq!(y("on"), Value::Bool(true));
        assert_eq!(y("No"), Value::Bool(false));
        assert_eq!(y("0755"), Value::Int(493));
        assert_eq!(y("0x1F"), Value::Int(31));
        assert_eq!(y("0o17"), Value::Int(15));
        assert_eq!(y("-0b101"), Value::Int(-5));
        assert_eq!(y("1_000"), Value::Int(1000));
        assert_eq!(y("08"), Value::Float(8.0));
        assert_eq!(y("1.10"), Value::Float(1.1));
        assert_eq!(y("1e3"), Value::Float(1000.0));
        assert_eq!(y("+80"), Value::Int(80));
        assert_eq!(y("80"), Value::Int(80));
        assert_eq!(y("~"), Value::Null);
        assert_eq!(y(""), Value::Null);
        assert_eq!(y("1:30"), Value::String("1:30".into()));
        assert_eq!(y("10.0.0.1"), Value::String("10.0.0.1".into()));
        assert_eq!(
            y("9223372036854775808"),
            Value::Float(9.223_372_036_854_776e18)
        );
        assert_eq!(y("-9223372036854775808"), Value::Int(i64::MIN));
        assert_eq!(y("nginx"), Value::String("nginx".into()));
    }

    #[test]
    fn json_resolution() {
        let j = |t| resolve_plain(t, Dialect::Json);
        assert_eq!(j("on"), Value::String("on".into()));
        assert_eq!(j("-12"), Value::Int(-12));
        assert_eq!(j("1.5e2"), Value::Float(150.0));
    }

    #[test]
    fn surprises_are_explained() {
        assert!(yaml11_surprise("on", &Value::Bool(true)).is_some());
        assert!(yaml11_surprise("true", &Value::Bool(true)).is_none());
        assert!(yaml11_surprise("0755", &Value::Int(493)).is_some());
        assert!(yaml11_surprise("80", &Value::Int(80)).is_none());
        assert!(yaml11_surprise("08", &Value::Float(8.0)).is_some());
    }
}
