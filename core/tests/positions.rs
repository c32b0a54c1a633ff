//! Exact positions of diagnostics as the surfaces print them: 1-based lines and character
//! columns for the CLI, 0-based lines and UTF-16 columns for editors. The inputs put
//! non-ASCII text (accents, CJK, emoji outside the BMP) before the faulty value, on the same
//! line and on earlier lines, and use flow style, `kind: List`, CRLF and JSON.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use netward_core::codes;
use netward_core::diagnostic::Diagnostic;
use netward_core::report::{PositionStyle, Report};
use netward_core::{LoadLimits, PositionEncoding, ValidationProfile, Workspace};

const EDITOR: PositionStyle = PositionStyle {
    encoding: PositionEncoding::Utf16,
    one_based: false,
};

/// ((start line, start column), (end line, end column)).
type Range = ((u32, u32), (u32, u32));

struct Checked {
    workspace: Workspace,
    diagnostics: Vec<Diagnostic>,
}

fn check(name: &str, text: &str) -> Checked {
    let mut workspace = Workspace::new(LoadLimits::default());
    workspace.add_file(name, text.as_bytes());
    let diagnostics = workspace.check(&ValidationProfile::default());
    Checked {
        workspace,
        diagnostics,
    }
}

impl Checked {
    /// The one diagnostic on `path` (a Kubernetes field path) or, with `path` = `code`, the one
    /// diagnostic with that code.
    fn on(&self, path_or_code: &str) -> &Diagnostic {
        let found: Vec<&Diagnostic> = self
            .diagnostics
            .iter()
            .filter(|d| {
                d.rule.code == path_or_code
                    || d.path
                        .as_ref()
                        .is_some_and(|p| p.to_string() == path_or_code)
            })
            .collect();
        assert_eq!(found.len(), 1, "{path_or_code}: {:#?}", self.diagnostics);
        found[0]
    }

    fn range(&self, diagnostic: &Diagnostic, style: PositionStyle) -> Range {
        let report = Report::new(&self.workspace, std::slice::from_ref(diagnostic), style);
        let range = report.diagnostics[0].range;
        (
            (range.start.line, range.start.column),
            (range.end.line, range.end.column),
        )
    }

    /// The CLI and editor ranges of the diagnostic on `path_or_code`.
    fn ranges(&self, path_or_code: &str) -> (Range, Range) {
        let diagnostic = self.on(path_or_code);
        (
            self.range(diagnostic, PositionStyle::CLI),
            self.range(diagnostic, EDITOR),
        )
    }

    fn text_of(&self, path_or_code: &str) -> &str {
        let diagnostic = self.on(path_or_code);
        let file = self.workspace.file(diagnostic.file).unwrap();
        &file.text[diagnostic.span.range()]
    }

    fn codes(&self) -> Vec<&'static str> {
        self.diagnostics.iter().map(|d| d.rule.code).collect()
    }
}

/// Three documents. The first is valid and full of accents; the second has CJK and emoji in
/// a comment, in annotations before the bad name on the same line, and on lines before the
/// bad port; the third repeats an emoji key.
const NON_ASCII: &str = "\
# Équipe « réseau » — café crème
apiVersion: v1
kind: Service
metadata:
  name: first
  annotations:
    note: \"crème brûlée, déjà vu\"
spec:
  ports:
  - {name: http, port: 80}
---
# 日本語のコメント 🎉🎉
apiVersion: v1
kind: Service
metadata: {annotations: {note: \"é日本🎉\"}, name: Bad_Name}
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 70000}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: cm, annotations: {note: \"😀😀\"}}
data:
  \"🎉 party\": 日本
  \"🎉 party\": again
";

#[test]
fn non_ascii_text_before_the_error_on_the_same_line() {
    let checked = check("non-ascii.yaml", NON_ASCII);
    assert_eq!(checked.text_of("metadata.name"), "Bad_Name");
    // Line 15: `metadata: {annotations: {note: "é日本🎉"}, name: Bad_Name}`. `Bad_Name` is
    // the 47th character; the emoji counts twice in UTF-16.
    assert_eq!(
        checked.ranges("metadata.name"),
        (((15, 47), (15, 55)), ((14, 47), (14, 55)))
    );
    assert_eq!(checked.on("metadata.name").rule.code, codes::INVALID.code);
    let name = checked.on("metadata.name").object.clone().unwrap();
    assert_eq!(name.name.as_deref(), Some("Bad_Name"));
}

#[test]
fn non_ascii_text_on_earlier_lines() {
    let checked = check("non-ascii.yaml", NON_ASCII);
    // Line 19: `  - {name: http, port: 70000}`: only earlier lines carry non-ASCII text, so
    // the columns agree in every encoding.
    assert_eq!(checked.text_of("spec.ports[0].port"), "70000");
    assert_eq!(
        checked.ranges("spec.ports[0].port"),
        (((19, 24), (19, 29)), ((18, 23), (18, 28)))
    );
}

#[test]
fn a_duplicate_emoji_key() {
    let checked = check("non-ascii.yaml", NON_ASCII);
    // Line 26: `  "🎉 party": again`; the quoted key is 9 characters, 10 UTF-16 units.
    assert_eq!(checked.text_of(codes::DUPLICATE_KEY.code), "\"🎉 party\"");
    assert_eq!(
        checked.ranges(codes::DUPLICATE_KEY.code),
        (((26, 3), (26, 12)), ((25, 2), (25, 12)))
    );
    let report = Report::new(
        &checked.workspace,
        std::slice::from_ref(checked.on(codes::DUPLICATE_KEY.code)),
        EDITOR,
    );
    let first = report.diagnostics[0].related[0].range;
    assert_eq!((first.start.line, first.start.column), (24, 2));
    assert_eq!((first.end.line, first.end.column), (24, 12));
}

#[test]
fn nothing_else_is_reported_in_the_non_ascii_file() {
    let checked = check("non-ascii.yaml", NON_ASCII);
    // Bad name, bad port (and the targetPort it defaults), the duplicate key.
    let mut codes = checked.codes();
    codes.sort_unstable();
    assert_eq!(codes, ["NW0004", "NW1002", "NW1002", "NW1002"]);
    // The first document is clean: nothing before line 11.
    let report = Report::new(&checked.workspace, &checked.diagnostics, PositionStyle::CLI);
    assert!(report.diagnostics.iter().all(|d| d.range.start.line > 11));
}

#[test]
fn a_value_after_a_surrogate_pair_in_the_same_flow_mapping() {
    let text = "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {selector: {app: \"🎉\"}, ports: [{port: 70000}]}\n";
    let checked = check("emoji.yaml", text);
    // `spec: {selector: {app: "🎉"}, ports: [{port: ` is 44 characters and 45 UTF-16 units.
    assert_eq!(
        checked.ranges("spec.ports[0].port"),
        (((4, 45), (4, 50)), ((3, 45), (3, 50)))
    );
    // The emoji is not a valid label value; the selector map is reported, as upstream does.
    assert_eq!(
        checked.ranges("spec.selector"),
        (((4, 18), (4, 28)), ((3, 17), (3, 28)))
    );
}

#[test]
fn flow_style_ports() {
    let text =
        "apiVersion: v1\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 70000}]}\n";
    let checked = check("flow.yaml", text);
    assert_eq!(checked.text_of("spec.ports[0].port"), "70000");
    assert_eq!(
        checked.ranges("spec.ports[0].port"),
        (((4, 23), (4, 28)), ((3, 22), (3, 27)))
    );
    // targetPort defaults to port: reported on the port mapping, with a help text.
    assert_eq!(checked.text_of("spec.ports[0].targetPort"), "{port: 70000}");
    assert!(checked.on("spec.ports[0].targetPort").help.is_some());
}

#[test]
fn flow_style_over_several_lines() {
    let text = "\
apiVersion: v1
kind: Service
metadata: {name: web}
spec: {type: NodePort, ports: [
    {name: a, port: 80, nodePort: 80},
    {name: b, port: 81, protocol: TPC}]}
";
    let checked = check("flow.yaml", text);
    assert_eq!(checked.text_of("spec.ports[0].nodePort"), "80");
    assert_eq!(
        checked.ranges("spec.ports[0].nodePort").0,
        ((5, 35), (5, 37))
    );
    assert_eq!(checked.text_of("spec.ports[1].protocol"), "TPC");
    assert_eq!(
        checked.ranges("spec.ports[1].protocol").0,
        ((6, 35), (6, 38))
    );
    assert_eq!(
        checked.on("spec.ports[1].protocol").rule.code,
        codes::NOT_SUPPORTED.code
    );
}

#[test]
fn a_bad_item_of_a_list() {
    let text = "\
apiVersion: v1
kind: List
items:
- apiVersion: v1
  kind: Service
  metadata: {name: a, annotations: {note: \"ünïcödé\"}}
  spec: {ports: [{port: 80}]}
- apiVersion: v1
  kind: Service
  metadata: {name: b}
  spec:
    ports:
    - name: web
      port: 70000
";
    let checked = check("list.yaml", text);
    let objects = checked.workspace.objects();
    assert_eq!(objects.len(), 2);
    assert_eq!(objects[1].item, Some(1));
    let port = checked.on("spec.ports[0].port");
    assert_eq!(
        port.object.as_ref().unwrap().name.as_deref(),
        Some("b"),
        "the finding names the item, not the List"
    );
    assert_eq!(
        checked.ranges("spec.ports[0].port"),
        (((14, 13), (14, 18)), ((13, 12), (13, 17)))
    );
}

#[test]
fn a_list_item_that_is_not_an_object() {
    let text = "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  metadata: {name: a}\n  spec: {ports: [{port: 80}]}\n- just a string\n- {kind: Service}\n";
    let checked = check("list.yaml", text);
    assert_eq!(checked.codes(), [codes::NOT_AN_OBJECT.code; 2]);
    let report = Report::new(&checked.workspace, &checked.diagnostics, PositionStyle::CLI);
    let at = |i: usize| {
        let r = report.diagnostics[i].range;
        ((r.start.line, r.start.column), (r.end.line, r.end.column))
    };
    assert_eq!(at(0), ((8, 3), (8, 16)));
    assert_eq!(at(1), ((9, 3), (9, 18)));
}

#[test]
fn crlf_line_endings_give_the_same_positions() {
    let lf = "\
apiVersion: v1
kind: Service
metadata:
  name: web
  annotations: {note: \"日本🎉\"}
spec:
  ports:
  - port: 70000
---
apiVersion: v1
kind: Service
metadata:
  name: Bad_Name
spec:
  ports: [{port: 1}]
---
apiVersion: v1
kind: Service
metadata: {name: broken
";
    let crlf = lf.replace('\n', "\r\n");
    let lf = check("lf.yaml", lf);
    let crlf = check("crlf.yaml", &crlf);
    assert_eq!(crlf.codes(), lf.codes());
    for style in [PositionStyle::CLI, EDITOR] {
        let ranges = |c: &Checked| -> Vec<Range> {
            c.diagnostics.iter().map(|d| c.range(d, style)).collect()
        };
        assert_eq!(ranges(&crlf), ranges(&lf), "{style:?}");
    }
    // The value at the end of a CRLF line ends before the `\r`.
    assert_eq!(crlf.ranges("spec.ports[0].port").0, ((8, 11), (8, 16)));
    assert_eq!(crlf.ranges("metadata.name").0, ((13, 9), (13, 17)));
    // The syntax error in the third document is on its last line or just after.
    let syntax = crlf.ranges(codes::SYNTAX.code).0;
    assert!((19..=20).contains(&syntax.0 .0), "{syntax:?}");
}

#[test]
fn json_positions_after_non_ascii_text() {
    let text = "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Service\",\n  \"metadata\": {\"name\": \"web\", \"annotations\": {\"note\": \"çà 😀\"}},\n  \"spec\": {\"ports\": [{\"note\": \"😀\", \"port\": 70000}]}\n}\n";
    let checked = check("svc.json", text);
    assert_eq!(checked.text_of("spec.ports[0].port"), "70000");
    // Line 5: `  "spec": {"ports": [{"note": "😀", "port": ` is 43 characters, 44 UTF-16 units.
    assert_eq!(
        checked.ranges("spec.ports[0].port"),
        (((5, 44), (5, 49)), ((4, 44), (4, 49)))
    );
    // The unknown field is located on its key.
    assert_eq!(checked.text_of("spec.ports[0].note"), "\"note\"");
    assert_eq!(
        checked.on("spec.ports[0].note").rule.code,
        codes::UNKNOWN_FIELD.code
    );
}

#[test]
fn a_missing_field_of_a_list_item_points_at_the_item() {
    let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - name: http\n    targetPort: 8080\n";
    let checked = check("missing.yaml", text);
    // `port` is absent: upstream reports the int32 zero value; the item is the nearest
    // written ancestor, lines 7-8.
    let port = checked.on("spec.ports[0].port");
    assert_eq!(port.rule.code, codes::INVALID.code);
    assert!(port.help.as_deref().unwrap().contains("not written"));
    assert_eq!(checked.ranges("spec.ports[0].port").0, ((7, 5), (8, 21)));
}

#[test]
fn a_missing_name_points_at_the_document_when_there_is_no_metadata() {
    let text = "apiVersion: v1\nkind: Service\nspec:\n  ports: [{port: 80}]\n";
    let checked = check("missing.yaml", text);
    assert_eq!(checked.on("metadata.name").rule.code, codes::REQUIRED.code);
    assert_eq!(checked.ranges("metadata.name").0, ((1, 1), (4, 22)));
}

/// A missing field of a mapping points at the key of that mapping (not at its first child).
#[test]
fn a_missing_required_field_points_at_its_parent_key() {
    let ingress = "\
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  defaultBackend:
    service:
      port:
        number: 80
";
    let checked = check("ingress.yaml", ingress);
    let name = checked.on("spec.defaultBackend.service.name");
    assert_eq!(name.rule.code, codes::REQUIRED.code);
    // `service` on line 7 (before the fix: `port:\n        number: 80`, 8:7-9:19).
    assert_eq!(
        checked.ranges("spec.defaultBackend.service.name").0,
        ((7, 5), (7, 12))
    );

    let policy = "\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
spec:
  podSelector: {}
  ingress:
  - from:
    - ipBlock:
        except: [10.0.0.0/8]
";
    let checked = check("policy.yaml", policy);
    let cidr = "spec.ingress[0].from[0].ipBlock.cidr";
    assert_eq!(checked.on(cidr).rule.code, codes::REQUIRED.code);
    // `ipBlock` on line 9 (before the fix: `except: [10.0.0.0/8]`, 10:9-10:29).
    assert_eq!(checked.ranges(cidr).0, ((9, 7), (9, 14)));
}

#[test]
fn fixes_keep_the_line_endings_of_a_crlf_file() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/rules/load-balancer-opens-node-ports/invalid.yaml"),
    )
    .unwrap();
    let report = |text: &str| {
        let mut workspace = Workspace::new(LoadLimits::default());
        workspace.add_file("lb.yaml", text.as_bytes());
        let options = netward_core::options::Options::default();
        let found = netward_core::lint::check(&workspace, &options);
        Report::new(&workspace, &found, EDITOR)
    };
    let edits = |report: &Report| -> Vec<String> {
        report
            .diagnostics
            .iter()
            .filter_map(|d| d.fix.as_ref())
            .flat_map(|f| f.edits.iter().map(|e| e.new_text.clone()))
            .collect()
    };
    let lf = edits(&report(&text));
    assert!(lf.iter().any(|t| t.contains('\n')), "{lf:?}");
    let crlf = edits(&report(&text.replace('\n', "\r\n")));
    assert_eq!(
        crlf,
        lf.iter()
            .map(|t| t.replace('\n', "\r\n"))
            .collect::<Vec<_>>()
    );
}
