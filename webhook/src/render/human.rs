//! Code frames for people: the offending line with the range underlined.

use codespan_reporting::diagnostic::{
    Diagnostic as Frame, Label as FrameLabel, Severity as FrameSeverity,
};
use codespan_reporting::files::SimpleFiles;
use codespan_reporting::term::{self, termcolor::ColorChoice, termcolor::StandardStream};
use netward_core::report::Report;
use netward_core::source::Span;
use netward_core::{Diagnostic, Severity, Workspace};

/// Prints every diagnostic as a code frame, then a summary line.
pub fn print(
    workspace: &Workspace,
    diagnostics: &[Diagnostic],
    report: &Report,
    colour: bool,
) -> Result<(), String> {
    let mut files = SimpleFiles::new();
    let ids: Vec<usize> = workspace
        .files()
        .iter()
        .map(|f| files.add(f.name.clone(), f.text.clone()))
        .collect();
    let writer = StandardStream::stdout(if colour {
        ColorChoice::Always
    } else {
        ColorChoice::Never
    });
    let config = term::Config::default();
    let mut out = writer.lock();
    for diagnostic in diagnostics {
        let Some(&file) = ids.get(diagnostic.file.0 as usize) else {
            continue;
        };
        let text = workspace
            .file(diagnostic.file)
            .map(|f| f.text.as_str())
            .unwrap_or_default();
        let severity = match diagnostic.severity {
            Severity::Error => FrameSeverity::Error,
            Severity::Warning => FrameSeverity::Warning,
            Severity::Info => FrameSeverity::Note,
        };
        let mut label = FrameLabel::primary(file, visible(text, diagnostic.span));
        if let Some(path) = &diagnostic.path {
            label = label.with_message(path.to_string());
        }
        let mut labels = vec![label];
        for extra in &diagnostic.labels {
            if let Some(&extra_file) = ids.get(extra.file.0 as usize) {
                let extra_text = workspace
                    .file(extra.file)
                    .map(|f| f.text.as_str())
                    .unwrap_or_default();
                labels.push(
                    FrameLabel::secondary(extra_file, visible(extra_text, extra.span))
                        .with_message(extra.message.clone()),
                );
            }
        }
        let mut notes = Vec::new();
        if let Some(object) = &diagnostic.object {
            let name = object.name.as_deref().unwrap_or("<unnamed>");
            let namespace = object
                .namespace
                .as_deref()
                .map(|ns| format!(" in namespace {ns}"))
                .unwrap_or_default();
            notes.push(format!("object: {} {name}{namespace}", object.kind));
        }
        if let Some(help) = &diagnostic.help {
            notes.push(format!("help: {help}"));
        }
        if let Some(fix) = &diagnostic.fix {
            notes.push(format!("fix available: {}", fix.title));
        }
        notes.push(format!("rule: {}", diagnostic.rule.name));
        let frame = Frame::new(severity)
            .with_code(diagnostic.rule.code)
            .with_message(&diagnostic.message)
            .with_labels(labels)
            .with_notes(notes);
        term::emit_to_write_style(&mut out, &config, &files, &frame).map_err(|e| e.to_string())?;
    }
    let summary = &report.summary;
    use std::io::Write;
    writeln!(
        out,
        "{} file(s), {} object(s): {} error(s), {} warning(s), {} info",
        summary.files, summary.objects, summary.errors, summary.warnings, summary.infos
    )
    .map_err(|e| e.to_string())
}

/// A range that shows at least one character (empty spans point at a position), kept on
/// character boundaries.
fn visible(text: &str, span: Span) -> std::ops::Range<usize> {
    let start = (span.start as usize).min(text.len());
    let mut end = (span.end as usize).min(text.len()).max(start);
    if end == start {
        end = text
            .get(start..)
            .and_then(|rest| rest.chars().next())
            .filter(|c| *c != '\n')
            .map_or(start, |c| start + c.len_utf8());
    }
    start..end
}
