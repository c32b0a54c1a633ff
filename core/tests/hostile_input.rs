//! Hostile and broken input: every case yields at least one diagnostic with a fitting code,
//! and nothing panics. No timing asserts; every case is small or refused early, so the file
//! runs in a few seconds in a debug build.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use netward_core::codes;
use netward_core::diagnostic::{Diagnostic, Rule};
use netward_core::report::{PositionStyle, Report};
use netward_core::{LoadLimits, PositionEncoding, ValidationProfile, Workspace};

const EDITOR: PositionStyle = PositionStyle {
    encoding: PositionEncoding::Utf16,
    one_based: false,
};

/// Loads one file and checks it; also locates every diagnostic in both position styles, so
/// position code runs on every hostile input too.
fn check(name: &str, bytes: &[u8]) -> (Workspace, Vec<Diagnostic>) {
    let mut workspace = Workspace::new(LoadLimits::default());
    workspace.add_file(name, bytes);
    let diagnostics = workspace.check(&ValidationProfile::default());
    let cli = Report::new(&workspace, &diagnostics, PositionStyle::CLI);
    let editor = Report::new(&workspace, &diagnostics, EDITOR);
    assert_eq!(cli.diagnostics.len(), diagnostics.len());
    assert_eq!(editor.diagnostics.len(), diagnostics.len());
    (workspace, diagnostics)
}

fn codes_of(diagnostics: &[Diagnostic]) -> Vec<&'static str> {
    diagnostics.iter().map(|d| d.rule.code).collect()
}

/// The first diagnostic of `rule`, checking that its code and name agree with the registry.
fn find(diagnostics: &[Diagnostic], rule: Rule) -> &Diagnostic {
    let found = diagnostics
        .iter()
        .find(|d| d.rule.code == rule.code)
        .unwrap_or_else(|| panic!("no {} ({}) in {diagnostics:#?}", rule.code, rule.name));
    assert_eq!(found.rule.name, rule.name);
    found
}

/// The 1-based (line, column) range of a diagnostic, columns in characters.
fn cli_range(workspace: &Workspace, diagnostic: &Diagnostic) -> ((u32, u32), (u32, u32)) {
    let report = Report::new(
        workspace,
        std::slice::from_ref(diagnostic),
        PositionStyle::CLI,
    );
    let range = report.diagnostics[0].range;
    (
        (range.start.line, range.start.column),
        (range.end.line, range.end.column),
    )
}

/// The text a diagnostic's span covers.
fn covered<'w>(workspace: &'w Workspace, diagnostic: &Diagnostic) -> &'w str {
    let file = workspace.file(diagnostic.file).unwrap();
    &file.text[diagnostic.span.range()]
}

#[path = "support/rng.rs"]
mod rng;
use rng::Rng;

const SERVICE_HEAD: &str = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n";

#[test]
fn billion_laughs_alias_bomb_is_refused() {
    // 9 levels of 9 aliases each: 9^9 (387 million) values once expanded.
    let mut bomb = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        let aliases = vec![format!("*{}", pair[0]); 9].join(", ");
        bomb.push_str(&format!("{0}: &{0} [{aliases}]\n", pair[1]));
    }
    let (workspace, diagnostics) = check("bomb.yaml", bomb.as_bytes());
    let limit = find(&diagnostics, codes::LIMIT);
    assert!(limit.message.contains("alias"), "{}", limit.message);
    assert!(covered(&workspace, limit).starts_with('*'));
    assert!(workspace.files()[0].documents.is_empty());
}

#[test]
fn billion_laughs_in_block_style_is_refused() {
    let mut bomb = String::from("a: &a\n");
    for _ in 0..9 {
        bomb.push_str("- lol\n");
    }
    let names = ["a", "b", "c", "d", "e", "f", "g", "h", "i"];
    for pair in names.windows(2) {
        bomb.push_str(&format!("{}: &{}\n", pair[1], pair[1]));
        for _ in 0..9 {
            bomb.push_str(&format!("- *{}\n", pair[0]));
        }
    }
    let (_, diagnostics) = check("bomb.yaml", bomb.as_bytes());
    assert!(find(&diagnostics, codes::LIMIT).message.contains("alias"));
}

#[test]
fn deep_block_sequences_are_refused() {
    // `- - - - ... x`: 10,000 nested block sequences on one line.
    let deep = format!("{}x\n", "- ".repeat(10_000));
    let (_, diagnostics) = check("deep.yaml", deep.as_bytes());
    let limit = find(&diagnostics, codes::LIMIT);
    assert!(
        limit.message.contains("deeper than 128"),
        "{}",
        limit.message
    );
}

#[test]
fn deep_block_mappings_are_refused() {
    // 1,000 levels of indented mappings (10,000 would need 50 MB of indentation).
    let mut deep = String::new();
    for level in 0..1_000 {
        deep.push_str(&" ".repeat(level));
        deep.push_str("a:\n");
    }
    let (workspace, diagnostics) = check("deep.yaml", deep.as_bytes());
    let limit = find(&diagnostics, codes::LIMIT);
    assert!(
        limit.message.contains("deeper than 128"),
        "{}",
        limit.message
    );
    // The 129th mapping opens on line 129.
    assert_eq!(cli_range(&workspace, limit).0 .0, 129);
}

/// A refused deep document gets one limit finding, whether the engine's depth check or the
/// parser's own recursion guard (from 256 flow levels on, the scanner reads ahead) fires.
fn assert_deep_nesting_refused(name: &str, text: &str) {
    let (workspace, diagnostics) = check(name, text.as_bytes());
    assert_eq!(
        codes_of(&diagnostics),
        [codes::LIMIT.code],
        "{name}: {diagnostics:#?}"
    );
    assert!(workspace.files()[0].documents.is_empty());
}

/// Also a regression test: the parser's own recursion guard used to be reported as a syntax
/// error (NW0001) rather than a limit.
#[test]
fn deep_flow_nesting_is_refused() {
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert_deep_nesting_refused("deep.yaml", &deep);
    let deep = format!("k: {}1{}", "{a: ".repeat(10_000), "}".repeat(10_000));
    assert_deep_nesting_refused("deep.yaml", &deep);
}

#[test]
fn flow_nesting_under_the_parser_guard_hits_the_depth_limit() {
    let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
    let (workspace, diagnostics) = check("deep.yaml", deep.as_bytes());
    assert_eq!(codes_of(&diagnostics), [codes::LIMIT.code]);
    // The 129th `[`.
    assert_eq!(cli_range(&workspace, &diagnostics[0]), ((1, 129), (1, 130)));
}

#[test]
fn deep_json_nesting_is_refused() {
    let deep = format!("{}1{}", "{\"a\": ".repeat(10_000), "}".repeat(10_000));
    assert_deep_nesting_refused("deep.json", &deep);
    let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    assert_deep_nesting_refused("deep.json", &deep);
}

#[test]
fn a_50_mb_single_document_is_refused_by_the_document_limit() {
    // One ConfigMap with a 50 MB literal block: under the 64 MiB file limit, far over the
    // 3 MiB document limit.
    let mut text = String::with_capacity(50 * 1024 * 1024 + 4096);
    text.push_str("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: huge\ndata:\n  blob: |\n");
    let line = format!("    {}\n", "0123456789abcdef".repeat(6));
    while text.len() < 50 * 1024 * 1024 {
        text.push_str(&line);
    }
    let (workspace, diagnostics) = check("huge.yaml", text.as_bytes());
    assert_eq!(codes_of(&diagnostics), [codes::LIMIT.code]);
    let limit = &diagnostics[0];
    assert!(limit.message.contains("document 1"), "{}", limit.message);
    assert!(limit.message.contains("3145728"), "{}", limit.message);
    assert_eq!(cli_range(&workspace, limit), ((1, 1), (1, 15)));
    assert!(workspace.files()[0].documents.is_empty());
}

#[test]
fn a_file_over_the_file_limit_is_refused_unread() {
    let bytes = vec![b'#'; 65 * 1024 * 1024];
    let (workspace, diagnostics) = check("huge.yaml", &bytes);
    assert_eq!(codes_of(&diagnostics), [codes::LIMIT.code]);
    assert!(diagnostics[0].message.contains("67108864"));
    assert!(workspace.files()[0].text.len() <= 4096);
}

#[test]
fn random_binary_bytes_are_not_text() {
    let mut rng = Rng::new(0x0BAD_F00D_DEAD_BEEF);
    // With NULs, and with every NUL replaced: invalid UTF-8 either way.
    let garbage = rng.bytes(64 * 1024);
    assert!(garbage.contains(&0));
    let (_, diagnostics) = check("garbage.bin", &garbage);
    assert_eq!(codes_of(&diagnostics), [codes::NOT_TEXT.code]);
    assert!(diagnostics[0].message.contains("not valid UTF-8"));

    let no_nul: Vec<u8> = garbage.iter().map(|b| b.max(&1)).copied().collect();
    let (_, diagnostics) = check("garbage.yaml", &no_nul);
    assert_eq!(codes_of(&diagnostics), [codes::NOT_TEXT.code]);
}

#[test]
fn ascii_garbage_with_nul_looks_binary() {
    let mut rng = Rng::new(0x1234_5678_9ABC_DEF0);
    let garbage: Vec<u8> = rng.bytes(16 * 1024).iter().map(|b| b & 0x7F).collect();
    assert!(garbage.contains(&0));
    let first_nul = garbage.iter().position(|b| *b == 0).unwrap();
    let (_, diagnostics) = check("garbage.yaml", &garbage);
    assert_eq!(codes_of(&diagnostics), [codes::NOT_TEXT.code]);
    assert!(diagnostics[0].message.contains("NUL"));
    assert_eq!(diagnostics[0].span.start as usize, first_nul);
}

#[test]
fn ascii_garbage_without_nul_is_a_syntax_error_or_not_an_object() {
    let mut rng = Rng::new(0x0F0F_0F0F_1234_5678);
    let garbage: Vec<u8> = rng
        .bytes(16 * 1024)
        .iter()
        .map(|b| (b & 0x7F).max(1))
        .collect();
    let (_, diagnostics) = check("garbage.yaml", &garbage);
    assert!(!diagnostics.is_empty());
    let loader = [
        codes::SYNTAX.code,
        codes::LIMIT.code,
        codes::DUPLICATE_KEY.code,
        codes::YAML11.code,
        codes::NOT_AN_OBJECT.code,
    ];
    assert!(
        codes_of(&diagnostics).iter().all(|c| loader.contains(c)),
        "{diagnostics:#?}"
    );
}

/// Many small random inputs made of YAML punctuation, keys, non-ASCII text and line endings:
/// whatever they are, loading, checking and locating must not panic.
#[test]
fn token_soup_never_panics() {
    const TOKENS: &[&str] = &[
        "[",
        "]",
        "{",
        "}",
        ":",
        ": ",
        ",",
        "- ",
        "? ",
        "&a ",
        "*a ",
        "&b ",
        "*b ",
        "<<: ",
        "'",
        "\"",
        "\n",
        "\r\n",
        "  ",
        "\t",
        "---\n",
        "...\n",
        "# c\n",
        "|\n",
        ">-\n",
        "!!str ",
        "!!int ",
        "!tag ",
        "%YAML 1.2\n",
        "apiVersion: v1\n",
        "kind: Service\n",
        "kind: NetworkPolicy\n",
        "kind: List\n",
        "items:\n",
        "metadata:\n",
        "  name: x\n",
        "spec:\n",
        "ports:",
        "port",
        "70000",
        "-1",
        "0x1F",
        "1.5",
        "yes",
        "~",
        "null",
        "é",
        "日本",
        "🎉",
        "\u{FEFF}",
        "\\",
        "\\u",
        "%",
        "@",
        "`",
    ];
    let mut rng = Rng::new(0x5EED_5EED_5EED_5EED);
    for _ in 0..1_500 {
        let count = 1 + (rng.next() % 60) as usize;
        let mut text = String::new();
        for _ in 0..count {
            text.push_str(TOKENS[(rng.next() % TOKENS.len() as u64) as usize]);
        }
        let name = if rng.next() % 4 == 0 {
            "soup.json"
        } else {
            "soup.yaml"
        };
        check(name, text.as_bytes());
    }
}

#[test]
fn invalid_utf8_in_the_middle_of_a_manifest() {
    let mut bytes = Vec::from(SERVICE_HEAD.as_bytes());
    bytes.extend_from_slice(
        b"  annotations:\n    note: caf\xE9 au lait\nspec:\n  ports: [{port: 80}]\n",
    );
    let (workspace, diagnostics) = check("latin1.yaml", &bytes);
    assert_eq!(codes_of(&diagnostics), [codes::NOT_TEXT.code]);
    let not_text = &diagnostics[0];
    let at = bytes.iter().position(|b| *b == 0xE9).unwrap();
    assert!(not_text.message.contains(&format!("offset {at}")));
    // Line 6, after `    note: caf`.
    assert_eq!(cli_range(&workspace, not_text).0, (6, 14));
}

#[test]
fn utf16_with_a_bom_is_not_utf8() {
    let text = format!("{SERVICE_HEAD}spec:\n  ports: [{{port: 80}}]\n");
    let mut le = vec![0xFF, 0xFE];
    let mut be = vec![0xFE, 0xFF];
    for unit in text.encode_utf16() {
        le.extend(unit.to_le_bytes());
        be.extend(unit.to_be_bytes());
    }
    for (name, bytes) in [("utf16le.yaml", le), ("utf16be.yaml", be)] {
        let (_, diagnostics) = check(name, &bytes);
        assert_eq!(codes_of(&diagnostics), [codes::NOT_TEXT.code], "{name}");
        assert!(diagnostics[0].message.contains("UTF-16"), "{name}");
    }
}

#[test]
fn a_utf8_bom_is_accepted() {
    let text = format!("\u{FEFF}{SERVICE_HEAD}spec:\n  ports: [{{port: 70000}}]\n");
    let (workspace, diagnostics) = check("bom.yaml", text.as_bytes());
    let port = diagnostics
        .iter()
        .find(|d| {
            d.path
                .as_ref()
                .is_some_and(|p| p.to_string() == "spec.ports[0].port")
        })
        .unwrap();
    assert_eq!(port.rule.code, codes::INVALID.code);
    assert_eq!(covered(&workspace, port), "70000");
    // The BOM is not text: the value is on line 6, column 18.
    assert_eq!(cli_range(&workspace, port).0, (6, 18));
}

#[test]
fn unterminated_quoted_strings() {
    let cases: &[(&str, (u32, u32))] = &[
        // At the end of the file: the error is at the opening quote.
        (
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: \"web\n",
            (4, 9),
        ),
        (
            "apiVersion: v1\nkind: Service\nmetadata: {name: 'web}\n",
            (3, 18),
        ),
        // Followed by more keys: the next line is read as part of the string.
        (
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: \"web\nspec: {}\n",
            (4, 9),
        ),
    ];
    for (text, start) in cases {
        let (workspace, diagnostics) = check("quote.yaml", text.as_bytes());
        assert_eq!(codes_of(&diagnostics), [codes::SYNTAX.code], "{text}");
        assert_eq!(cli_range(&workspace, &diagnostics[0]).0, *start, "{text}");
        assert!(workspace.files()[0].documents.is_empty());
    }
}

#[test]
fn tab_indentation_is_a_syntax_error() {
    let text =
        "apiVersion: v1\nkind: Service\nmetadata:\n\tname: web\nspec:\n\tports:\n\t- port: 80\n";
    let (workspace, diagnostics) = check("tabs.yaml", text.as_bytes());
    assert_eq!(codes_of(&diagnostics), [codes::SYNTAX.code]);
    assert!(
        diagnostics[0].message.contains("tab"),
        "{}",
        diagnostics[0].message
    );
    assert_eq!(cli_range(&workspace, &diagnostics[0]).0 .0, 4);
}

#[test]
fn a_mapping_with_100_000_keys() {
    let mut text = format!("{SERVICE_HEAD}  labels:\n");
    for i in 0..100_000 {
        text.push_str(&format!("    k{i:06}: v\n"));
    }
    text.push_str("    bad key!: v\nspec:\n  ports:\n  - port: 80\n");
    let (workspace, diagnostics) = check("labels.yaml", text.as_bytes());
    assert_eq!(
        codes_of(&diagnostics),
        [codes::INVALID.code],
        "{diagnostics:#?}"
    );
    let invalid = &diagnostics[0];
    assert_eq!(
        invalid.path.as_ref().unwrap().to_string(),
        "metadata.labels"
    );
    assert!(invalid.message.contains("bad key!"), "{}", invalid.message);
    // Label errors are reported on the map, as upstream does: from the first label on.
    assert_eq!(cli_range(&workspace, invalid).0, (6, 5));
}

#[test]
fn a_duplicate_key_points_at_the_repeat_and_the_original() {
    let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: ClusterIP\n  ports: [{port: 80}]\n  type: NodePort\n";
    let (workspace, diagnostics) = check("dup.yaml", text.as_bytes());
    let duplicate = find(&diagnostics, codes::DUPLICATE_KEY);
    assert_eq!(duplicate.severity, netward_core::Severity::Error);
    assert_eq!(cli_range(&workspace, duplicate), ((8, 3), (8, 7)));
    let report = Report::new(
        &workspace,
        std::slice::from_ref(duplicate),
        PositionStyle::CLI,
    );
    let related = &report.diagnostics[0].related;
    assert_eq!(related.len(), 1);
    assert_eq!(
        (related[0].range.start.line, related[0].range.start.column),
        (6, 3)
    );
    // The last value wins, as in kubectl's lenient decoding.
    let root = &workspace.files()[0].documents[0].root;
    let spec = root.get("spec").unwrap();
    assert_eq!(spec.get("type").unwrap().as_str(), Some("NodePort"));
}

#[test]
fn type_errors_are_located_on_the_value() {
    let text = format!("{SERVICE_HEAD}spec:\n  ports:\n  - port: \"abc\"\n    targetPort: 1.5\n");
    let (workspace, diagnostics) = check("types.yaml", text.as_bytes());
    assert_eq!(
        codes_of(&diagnostics),
        [codes::WRONG_TYPE.code, codes::WRONG_TYPE.code],
        "{diagnostics:#?}"
    );
    let port = &diagnostics[0];
    assert_eq!(
        port.path.as_ref().unwrap().to_string(),
        "spec.ports[0].port"
    );
    assert_eq!(covered(&workspace, port), "\"abc\"");
    assert_eq!(cli_range(&workspace, port), ((7, 11), (7, 16)));
    let target = &diagnostics[1];
    assert_eq!(
        target.path.as_ref().unwrap().to_string(),
        "spec.ports[0].targetPort"
    );
    assert_eq!(covered(&workspace, target), "1.5");
    assert_eq!(cli_range(&workspace, target), ((8, 17), (8, 20)));
}

/// Regression: two unreadable ports both validated as port 0 and were reported as the
/// duplicate `spec.ports[1]: Duplicate value: "0/TCP"`.
#[test]
fn undecodable_ports_do_not_cascade_into_duplicates() {
    let text = format!(
        "{SERVICE_HEAD}spec:\n  ports:\n  - {{name: a, port: \"abc\"}}\n  - {{name: b, port: 'x'}}\n"
    );
    let (_, diagnostics) = check("types.yaml", text.as_bytes());
    assert_eq!(
        codes_of(&diagnostics),
        [codes::WRONG_TYPE.code, codes::WRONG_TYPE.code],
        "{diagnostics:#?}"
    );
}

#[test]
fn a_syntax_error_in_document_2_keeps_documents_1_and_3() {
    let text = "\
apiVersion: v1
kind: Service
metadata: {name: one}
spec:
  ports: [{name: web, port: 70000, targetPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: two
spec: {}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: three}
spec:
  podSelector: {}
  ingress:
  - ports:
    - protocol: ICMP
";
    let (workspace, diagnostics) = check("three.yaml", text.as_bytes());
    assert_eq!(
        codes_of(&diagnostics),
        [
            codes::INVALID.code,
            codes::SYNTAX.code,
            codes::NOT_SUPPORTED.code
        ],
        "{diagnostics:#?}"
    );
    assert_eq!(cli_range(&workspace, &diagnostics[0]).0, (5, 29));
    assert_eq!(cli_range(&workspace, &diagnostics[1]).0 .0, 10);
    assert_eq!(cli_range(&workspace, &diagnostics[2]), ((19, 17), (19, 21)));
    let objects = workspace.objects();
    let documents: Vec<usize> = objects.iter().map(|o| o.document).collect();
    assert_eq!(documents, [0, 2]);
}

/// Regression: a `.yaml` file whose first document is in flow style was loaded as one JSON
/// chunk, not split at `---`, so the syntax error in document 2 hid document 3.
#[test]
fn a_flow_style_first_document_does_not_hide_later_documents() {
    let text = "\
{apiVersion: v1, kind: Service, metadata: {name: one}, spec: {ports: [{port: 70000}]}}
---
{apiVersion: v1, kind: Service, metadata: {name: two
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: three}
spec:
  podSelector: {}
  ingress:
  - ports:
    - protocol: ICMP
";
    let (workspace, diagnostics) = check("flow-first.yaml", text.as_bytes());
    find(&diagnostics, codes::SYNTAX);
    // The first document is still checked (its first finding is the defaulted targetPort).
    assert_eq!(
        find(&diagnostics, codes::INVALID)
            .path
            .as_ref()
            .unwrap()
            .to_string(),
        "spec.ports[0].targetPort"
    );
    let unsupported = find(&diagnostics, codes::NOT_SUPPORTED);
    assert_eq!(cli_range(&workspace, unsupported).0, (12, 17));
}
