//! The serialisable form of diagnostics every surface prints: file names and line/column
//! ranges instead of ids and byte offsets. One shape for the CLI's JSON, the WASM engine and
//! the webhook, so their verdicts can be compared.

use serde::Serialize;

use crate::diagnostic::{Category, Diagnostic, ObjectRef, Severity};
use crate::source::{PositionEncoding, Span};
use crate::workspace::Workspace;

/// How positions are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PositionStyle {
    /// Column unit.
    pub encoding: PositionEncoding,
    /// 1-based lines and columns (people, the CLI) or 0-based (editors).
    pub one_based: bool,
}

impl PositionStyle {
    /// 1-based lines, columns in characters: the CLI's JSON and SARIF.
    pub const CLI: PositionStyle = PositionStyle {
        encoding: PositionEncoding::Utf32,
        one_based: true,
    };
}

/// A line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct LineColumn {
    /// Line.
    pub line: u32,
    /// Column.
    pub column: u32,
}

/// A range of positions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Range {
    /// Start.
    pub start: LineColumn,
    /// End (exclusive).
    pub end: LineColumn,
}

/// A secondary location.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct RelatedLocation {
    /// File name.
    pub file: String,
    /// Range.
    pub range: Range,
    /// What is there.
    pub message: String,
}

/// One edit of a fix, located.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ReportedEdit {
    /// File name.
    pub file: String,
    /// The range to replace.
    pub range: Range,
    /// The new text.
    pub new_text: String,
}

/// A fix, located.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ReportedFix {
    /// What it does.
    pub title: String,
    /// The edits.
    pub edits: Vec<ReportedEdit>,
}

/// One diagnostic, located.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "Diagnostic"))]
pub struct ReportedDiagnostic {
    /// Stable code.
    pub code: &'static str,
    /// Rule name.
    pub rule: &'static str,
    /// Category.
    pub category: Category,
    /// Severity.
    pub severity: Severity,
    /// Message.
    pub message: String,
    /// File name.
    pub file: String,
    /// Range.
    pub range: Range,
    /// The object.
    pub object: Option<ObjectRef>,
    /// Kubernetes field path.
    pub path: Option<String>,
    /// What to do.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub help: Option<String>,
    /// Secondary locations.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(
        feature = "typescript",
        ts(as = "Option<Vec<RelatedLocation>>", optional)
    )]
    pub related: Vec<RelatedLocation>,
    /// A mechanical fix.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub fix: Option<ReportedFix>,
}

impl ReportedDiagnostic {
    /// Locates one diagnostic in the files of `workspace`.
    pub fn new(workspace: &Workspace, d: &Diagnostic, style: PositionStyle) -> Self {
        ReportedDiagnostic {
            code: d.rule.code,
            rule: d.rule.name,
            category: d.rule.category,
            severity: d.severity,
            message: d.message.clone(),
            file: file_name(workspace, d.file),
            range: locate(workspace, d.file, d.span, style),
            object: d.object.clone(),
            path: d.path.as_ref().map(ToString::to_string),
            help: d.help.clone(),
            related: d
                .labels
                .iter()
                .map(|label| RelatedLocation {
                    file: file_name(workspace, label.file),
                    range: locate(workspace, label.file, label.span, style),
                    message: label.message.clone(),
                })
                .collect(),
            fix: d.fix.as_ref().map(|fix| ReportedFix {
                title: fix.title.clone(),
                edits: fix
                    .edits
                    .iter()
                    .map(|edit| ReportedEdit {
                        file: file_name(workspace, edit.file),
                        range: locate(workspace, edit.file, edit.span, style),
                        new_text: in_line_endings_of(workspace, edit.file, &edit.replacement),
                    })
                    .collect(),
            }),
        }
    }
}

/// Counts for a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    /// Files read.
    pub files: usize,
    /// Kubernetes objects found.
    pub objects: usize,
    /// Error-severity findings.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Informational findings.
    pub infos: usize,
}

/// Diagnostics and summary, ready to serialise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Report {
    /// The findings, by file and position.
    pub diagnostics: Vec<ReportedDiagnostic>,
    /// Counts.
    pub summary: Summary,
}

impl Report {
    /// Locates `diagnostics` in the files of `workspace`.
    pub fn new(workspace: &Workspace, diagnostics: &[Diagnostic], style: PositionStyle) -> Self {
        let mut summary = Summary {
            files: workspace.files().len(),
            objects: workspace.objects().len(),
            ..Summary::default()
        };
        for diagnostic in diagnostics {
            match diagnostic.severity {
                Severity::Error => summary.errors += 1,
                Severity::Warning => summary.warnings += 1,
                Severity::Info => summary.infos += 1,
            }
        }
        let diagnostics = diagnostics
            .iter()
            .map(|d| ReportedDiagnostic::new(workspace, d, style))
            .collect();
        Self {
            diagnostics,
            summary,
        }
    }
}

/// `text` with the line endings of the file it goes into: fixes are written with `\n`, and a
/// CRLF file should not end up with mixed endings.
fn in_line_endings_of(workspace: &Workspace, id: crate::source::FileId, text: &str) -> String {
    // The first line ending decides: cheap for big files with many fixes.
    let crlf = workspace.file(id).is_some_and(|f| {
        f.text
            .find('\n')
            .is_some_and(|at| f.text.get(..at).is_some_and(|line| line.ends_with('\r')))
    });
    if crlf && text.contains('\n') {
        text.replace("\r\n", "\n").replace('\n', "\r\n")
    } else {
        text.to_owned()
    }
}

/// The name of a file of the workspace.
pub fn file_name(workspace: &Workspace, id: crate::source::FileId) -> String {
    workspace
        .file(id)
        .map(|f| f.name.clone())
        .unwrap_or_default()
}

/// The range of `span` in a file, in the given style.
pub fn locate(
    workspace: &Workspace,
    id: crate::source::FileId,
    span: Span,
    style: PositionStyle,
) -> Range {
    let base = u32::from(style.one_based);
    let point = |offset: u32| match workspace.file(id) {
        Some(file) => {
            let p = file.position(offset as usize, style.encoding);
            LineColumn {
                line: p.line + base,
                column: p.column + base,
            }
        }
        None => LineColumn {
            line: base,
            column: base,
        },
    };
    Range {
        start: point(span.start),
        end: point(span.end),
    }
}
