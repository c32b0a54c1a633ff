//! The syntactic building blocks of Kubernetes validation: DNS labels and subdomains,
//! qualified names (label keys), label values, port numbers and IANA port names.
//!
//! Each check returns the list of problems (empty when the value is valid), worded for the
//! detail part of a field error. Lengths are in bytes, as upstream; the alphabets are ASCII,
//! so any non-ASCII byte fails the character rules.

/// Longest RFC 1123 / RFC 1035 label.
pub const DNS1123_LABEL_MAX: usize = 63;
/// Longest RFC 1123 subdomain.
pub const DNS1123_SUBDOMAIN_MAX: usize = 253;
/// Longest name part of a qualified name, and longest label value.
pub const QUALIFIED_NAME_MAX: usize = 63;
/// Longest label value.
pub const LABEL_VALUE_MAX: usize = 63;
/// Longest IANA service (port) name.
pub const PORT_NAME_MAX: usize = 15;

fn is_lower_alnum(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit()
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`
fn matches_dns1123_label(s: &str) -> bool {
    let bytes = s.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(&first), Some(&last)) => {
            is_lower_alnum(first)
                && is_lower_alnum(last)
                && bytes.iter().all(|&b| is_lower_alnum(b) || b == b'-')
        }
        _ => false,
    }
}

/// `label(\.label)*` with RFC 1123 labels (each label's own length is not limited).
fn matches_dns1123_subdomain(s: &str) -> bool {
    !s.is_empty() && s.split('.').all(matches_dns1123_label)
}

/// RFC 1123 label: lower-case alphanumerics and `-`, alphanumeric at both ends, at most 63.
pub fn dns1123_label(s: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if s.len() > DNS1123_LABEL_MAX {
        problems.push(max_len(DNS1123_LABEL_MAX));
    }
    if !matches_dns1123_label(s) {
        if matches_dns1123_subdomain(s) {
            problems.push("must not contain dots".to_owned());
        } else {
            problems.push(
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
                    .to_owned(),
            );
        }
    }
    problems
}

/// RFC 1123 subdomain: dot-separated RFC 1123 labels, at most 253 in all.
pub fn dns1123_subdomain(s: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if s.len() > DNS1123_SUBDOMAIN_MAX {
        problems.push(max_len(DNS1123_SUBDOMAIN_MAX));
    }
    if !matches_dns1123_subdomain(s) {
        problems.push(
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character"
                .to_owned(),
        );
    }
    problems
}

/// RFC 1035 label: like an RFC 1123 label but must start with a letter.
pub fn dns1035_label(s: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if s.len() > DNS1123_LABEL_MAX {
        problems.push(max_len(DNS1123_LABEL_MAX));
    }
    let starts_with_letter = s.as_bytes().first().is_some_and(u8::is_ascii_lowercase);
    if !(starts_with_letter && matches_dns1123_label(s)) {
        problems.push(
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character"
                .to_owned(),
        );
    }
    problems
}

/// `*.` followed by an RFC 1123 subdomain, at most 253 in all.
pub fn wildcard_dns1123_subdomain(s: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if s.len() > DNS1123_SUBDOMAIN_MAX {
        problems.push(max_len(DNS1123_SUBDOMAIN_MAX));
    }
    let valid = s.strip_prefix("*.").is_some_and(matches_dns1123_subdomain);
    if !valid {
        problems.push(
            "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character"
                .to_owned(),
        );
    }
    problems
}

/// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`: the name part of a qualified name.
fn matches_qualified_name_part(s: &str) -> bool {
    let bytes = s.as_bytes();
    match (bytes.first(), bytes.last()) {
        (Some(first), Some(last)) => {
            first.is_ascii_alphanumeric()
                && last.is_ascii_alphanumeric()
                && bytes
                    .iter()
                    .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        }
        _ => false,
    }
}

const QUALIFIED_NAME_CHARS: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/// A qualified name (label key): an optional DNS-subdomain prefix and `/`, then a name of at
/// most 63 characters.
pub fn qualified_name(s: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let mut parts = s.split('/');
    let (prefix, name) = match (parts.next(), parts.next(), parts.next()) {
        (Some(name), None, _) => (None, name),
        (Some(prefix), Some(name), None) => (Some(prefix), name),
        _ => {
            problems.push(format!(
                "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character, with an optional DNS subdomain prefix and '/' ({QUALIFIED_NAME_CHARS})"
            ));
            return problems;
        }
    };
    if let Some(prefix) = prefix {
        if prefix.is_empty() {
            problems.push("prefix part must be non-empty".to_owned());
        } else {
            problems.extend(
                dns1123_subdomain(prefix)
                    .into_iter()
                    .map(|p| format!("prefix part {p}")),
            );
        }
    }
    if name.is_empty() {
        problems.push("name part must be non-empty".to_owned());
    } else if name.len() > QUALIFIED_NAME_MAX {
        problems.push(format!("name part {}", max_len(QUALIFIED_NAME_MAX)));
    }
    if !name.is_empty() && !matches_qualified_name_part(name) {
        problems.push(QUALIFIED_NAME_CHARS.to_owned());
    }
    problems
}

/// A label value: empty, or at most 63 characters of the qualified-name alphabet.
pub fn label_value(s: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if s.len() > LABEL_VALUE_MAX {
        problems.push(max_len(LABEL_VALUE_MAX));
    }
    if !s.is_empty() && !matches_qualified_name_part(s) {
        problems.push(
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character"
                .to_owned(),
        );
    }
    problems
}

/// A port number: 1 to 65535 inclusive.
pub fn port_number(port: i64) -> Vec<String> {
    if (1..=65535).contains(&port) {
        Vec::new()
    } else {
        vec!["must be between 1 and 65535, inclusive".to_owned()]
    }
}

/// An IANA service name as used for named ports: at most 15 of `[-a-z0-9]`, at least one
/// letter, no `--`, no `-` at either end.
pub fn port_name(s: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if s.len() > PORT_NAME_MAX {
        problems.push(format!("must be no more than {PORT_NAME_MAX} characters"));
    }
    if !s.bytes().all(|b| is_lower_alnum(b) || b == b'-') {
        problems.push(
            "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_owned(),
        );
    }
    if !s.bytes().any(|b| b.is_ascii_lowercase()) {
        problems.push("must contain at least one letter (a-z)".to_owned());
    }
    if s.contains("--") {
        problems.push("must not contain consecutive hyphens".to_owned());
    }
    if s.starts_with('-') || s.ends_with('-') {
        problems.push("must not begin or end with a hyphen".to_owned());
    }
    problems
}

fn max_len(limit: usize) -> String {
    format!("must be no more than {limit} characters")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dns_labels() {
        assert!(dns1123_label("a-1").is_empty());
        assert!(dns1123_label("1a").is_empty());
        assert_eq!(dns1123_label("a.b"), vec!["must not contain dots"]);
        assert!(!dns1123_label("A").is_empty());
        assert!(!dns1123_label("").is_empty());
        assert!(!dns1123_label(&"a".repeat(64)).is_empty());
        assert!(dns1035_label("a1").is_empty());
        assert!(!dns1035_label("1a").is_empty());
    }

    #[test]
    fn subdomains() {
        assert!(dns1123_subdomain("1.2.3.4").is_empty());
        assert!(dns1123_subdomain(&format!("{}.com", "a".repeat(64))).is_empty());
        assert!(!dns1123_subdomain("a..b").is_empty());
        assert!(!dns1123_subdomain("a_b").is_empty());
        assert!(wildcard_dns1123_subdomain("*.example.com").is_empty());
        for bad in ["*", "*.*.x", "f*.x", "x.*.y"] {
            assert!(!wildcard_dns1123_subdomain(bad).is_empty(), "{bad}");
        }
    }

    #[test]
    fn qualified_names_and_label_values() {
        for good in [
            "app",
            "example.com/App_1",
            "a.b-c_d",
            "kubernetes.io/metadata.name",
        ] {
            assert!(qualified_name(good).is_empty(), "{good}");
        }
        for bad in [
            "",
            "/a",
            "a/",
            "a/b/c",
            "-a",
            "a-",
            "Example.com/a",
            &"a".repeat(64),
        ] {
            assert!(!qualified_name(bad).is_empty(), "{bad}");
        }
        assert!(label_value("").is_empty());
        assert!(label_value("v1.2_x-Y").is_empty());
        assert!(!label_value("~a").is_empty());
        assert!(!label_value(&"a".repeat(64)).is_empty());
    }

    #[test]
    fn port_names() {
        assert!(port_name("http").is_empty());
        assert!(port_name("8http").is_empty());
        assert_eq!(port_name("80").len(), 1);
        assert_eq!(port_name("-a--B-").len(), 3);
        assert!(!port_name("abcdefghijklmnop").is_empty());
        assert!(port_number(0).len() == 1 && port_number(65535).is_empty());
    }
}
