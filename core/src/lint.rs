//! The whole check: loading problems and API-server validation, then the lint rules the
//! options select, with severity overrides, exemptions and suppressions applied.

use std::collections::BTreeMap;

use crate::codes;
use crate::diagnostic::{Category, Diagnostic, Rule};
use crate::netpol::{Cluster, Evaluator};
use crate::object::ManifestObject;
use crate::options::{Options, Profile};
use crate::rules::{registry, Context, LintRule, Scope};
use crate::selector::{parse, Selector};
use crate::source::{FileId, Node, SourceFile, Span};
use crate::workspace::{ApiRejections, Workspace};

/// The annotation listing rules an object is exempt from (codes or names, comma-separated).
pub const IGNORE_ANNOTATION: &str = "netward.dev/ignore";
/// The annotation giving the reason; without it the exemption does nothing.
pub const IGNORE_REASON_ANNOTATION: &str = "netward.dev/ignore-reason";
/// The comment marker: `# netward-ignore: NW3001 reason` on the line of a finding or the line
/// before it.
pub const IGNORE_COMMENT: &str = "netward-ignore:";

/// Checks the workspace: validation and every selected lint rule, sorted by file and position.
pub fn check(workspace: &Workspace, options: &Options) -> Vec<Diagnostic> {
    let (mut diagnostics, decoded) = workspace.check_decoding(&options.validation_profile());
    let rejections = ApiRejections::new(&diagnostics);
    let cluster = Cluster::from_checked(workspace, &options.reach, &decoded, &rejections);
    let evaluator = Evaluator::compile(&cluster, &options.reach);
    let context = Context::new(
        workspace,
        options,
        &cluster,
        &evaluator,
        &rejections,
        decoded,
    );
    let mut findings = Vec::new();
    for rule in registry::all().iter().filter(|r| runs(options, r)) {
        (rule.check)(&context, &mut findings);
    }
    let suppressions = Suppressions::collect(workspace, &context.objects);
    let filter = Filter::new(options, &context.objects);
    findings.retain_mut(|finding| filter.keep(finding) && !suppressions.covers(workspace, finding));
    // The loader's own warnings (YAML 1.1 surprises, suppressions without a reason) follow
    // the options too; what the API server rejects cannot be silenced.
    let mut unexplained = suppressions.unexplained;
    for loaded in [&mut diagnostics, &mut unexplained] {
        loaded.retain_mut(|d| d.rule.category == Category::Api || filter.keep(d));
    }
    diagnostics.extend(findings);
    diagnostics.extend(unexplained);
    crate::sort::sort_by_key(&mut diagnostics, |d| (d.file, d.span.start, d.rule.code));
    diagnostics
}

/// Whether `names` (codes, case-insensitive; names; categories; `all`) mention the rule.
fn mentions(names: &[String], rule: &Rule) -> bool {
    let category = category_name(rule.category);
    names.iter().any(|n| {
        n.eq_ignore_ascii_case(rule.code)
            || n == rule.name
            || n == "all"
            || (rule.category != Category::Api && n.eq_ignore_ascii_case(category))
    })
}

/// The options' spelling of a category (`security`, ...).
fn category_name(category: Category) -> &'static str {
    match category {
        Category::Api => "api",
        Category::Correctness => "correctness",
        Category::Security => "security",
        Category::Suspicious => "suspicious",
        Category::Style => "style",
    }
}

fn runs(options: &Options, rule: &LintRule) -> bool {
    (options.profile == Profile::Workspace || rule.scope == Scope::Object)
        && (options.select.is_empty() || mentions(&options.select, &rule.rule))
        && !mentions(&options.disable, &rule.rule)
}

/// Severity overrides, `disable` (for the loader's warnings, which always run) and
/// exemptions, with the exemptions' label selectors parsed once and the labels of the
/// objects findings lie in.
struct Filter<'o> {
    options: &'o Options,
    /// Each exemption's selector (`None` without one; an unparsable one matches nothing).
    selectors: Vec<Option<Option<Selector>>>,
    /// Objects by file and start, with their end and `metadata.labels` (only when an
    /// exemption has a selector).
    objects: Vec<(FileId, u32, u32, BTreeMap<String, String>)>,
}

impl<'o> Filter<'o> {
    fn new(options: &'o Options, objects: &[(&SourceFile, ManifestObject<'_>)]) -> Self {
        let selectors: Vec<Option<Option<Selector>>> = options
            .exemptions
            .iter()
            .map(|e| e.selector.as_deref().map(|s| parse(s).ok()))
            .collect();
        let mut indexed = Vec::new();
        if selectors.iter().any(Option::is_some) {
            for (file, object) in objects {
                let labels = crate::sort::map(
                    object
                        .node
                        .get("metadata")
                        .and_then(|m| m.get("labels"))
                        .and_then(Node::as_map)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|e| {
                            Some((e.key.key_text()?.into_owned(), e.value.as_str()?.to_owned()))
                        }),
                );
                indexed.push((
                    file.id,
                    object.node.span.start,
                    object.node.span.end,
                    labels,
                ));
            }
            crate::sort::sort_by_key(&mut indexed, |(file, start, _, _)| (*file, *start));
        }
        Self {
            options,
            selectors,
            objects: indexed,
        }
    }

    /// The labels of the object the finding lies in.
    fn labels_of(&self, finding: &Diagnostic) -> Option<&BTreeMap<String, String>> {
        let after = self.objects.partition_point(|(file, start, _, _)| {
            (*file, *start) <= (finding.file, finding.span.start)
        });
        let (file, _, end, labels) = self.objects.get(after.checked_sub(1)?)?;
        (*file == finding.file && finding.span.start < *end).then_some(labels)
    }

    /// Applies `disable`, severity overrides and exemptions; false when the finding is dropped.
    fn keep(&self, finding: &mut Diagnostic) -> bool {
        let options = self.options;
        if mentions(&options.disable, &finding.rule) {
            return false;
        }
        let (code, name) = (finding.rule.code, finding.rule.name);
        let category = category_name(finding.rule.category);
        // A code or name is more specific than a category, and wins over it.
        let mut level = None;
        for (key, value) in &options.severity {
            if key.eq_ignore_ascii_case(code) || key == name {
                level = Some(*value);
                break;
            }
            if key.eq_ignore_ascii_case(category) {
                level = Some(*value);
            }
        }
        if let Some(level) = level {
            match level.severity() {
                Some(severity) => finding.severity = severity,
                None => return false,
            }
        }
        let object = finding.object.as_ref();
        let exempt = options
            .exemptions
            .iter()
            .zip(&self.selectors)
            .any(|(e, selector)| {
                (e.rules.is_empty() || mentions(&e.rules, &finding.rule))
                    && e.namespace.as_ref().is_none_or(|ns| {
                        object
                            .and_then(|o| o.namespace.as_deref())
                            .unwrap_or(&options.reach.default_namespace)
                            == ns
                    })
                    && e.kind
                        .as_ref()
                        .is_none_or(|k| object.is_some_and(|o| o.kind == *k))
                    && e.name
                        .as_ref()
                        .is_none_or(|n| object.and_then(|o| o.name.as_ref()) == Some(n))
                    && selector.as_ref().is_none_or(|selector| {
                        selector.as_ref().is_some_and(|s| {
                            self.labels_of(finding)
                                .is_some_and(|labels| s.matches(labels))
                        })
                    })
            });
        !exempt
    }
}

/// Suppressions written in the manifests.
struct Suppressions {
    /// Objects' `netward.dev/ignore`: the object's range and the rules.
    annotations: Vec<(FileId, Span, Vec<String>)>,
    /// `# netward-ignore:` comments: file, the 0-based lines they cover (`[first, end)`), the
    /// rules.
    comments: Vec<(FileId, [usize; 2], Vec<String>)>,
    /// Suppressions without a reason, reported.
    unexplained: Vec<Diagnostic>,
}

impl Suppressions {
    fn collect(workspace: &Workspace, objects: &[(&SourceFile, ManifestObject<'_>)]) -> Self {
        let mut found = Suppressions {
            annotations: Vec::new(),
            comments: Vec::new(),
            unexplained: Vec::new(),
        };
        // Most files have no suppression at all: one substring search per file skips them.
        let annotated: Vec<FileId> = workspace
            .files()
            .iter()
            .filter(|file| file.text.contains(IGNORE_ANNOTATION))
            .map(|file| file.id)
            .collect();
        for &(file, object) in objects
            .iter()
            .filter(|(file, _)| annotated.contains(&file.id))
        {
            {
                let annotations = object
                    .node
                    .get("metadata")
                    .and_then(|m| m.get("annotations"));
                let annotation =
                    |key: &str| annotations.and_then(|a| a.get(key)).and_then(Node::as_str);
                let Some(rules) = annotation(IGNORE_ANNOTATION) else {
                    continue;
                };
                let rules = split_rules(rules);
                if annotation(IGNORE_REASON_ANNOTATION).is_none_or(|r| r.trim().is_empty()) {
                    let message = format!(
                        "annotation {IGNORE_ANNOTATION} needs a reason in {IGNORE_REASON_ANNOTATION}; it suppresses nothing"
                    );
                    found.unexplained.push(
                        Diagnostic::new(
                            codes::SUPPRESSION_WITHOUT_REASON,
                            file.id,
                            object.node.span,
                            message,
                        )
                        .with_object(Some(object.reference())),
                    );
                    continue;
                }
                found.annotations.push((file.id, object.node.span, rules));
            }
        }
        for file in workspace.files() {
            if !file.text.contains(IGNORE_COMMENT) {
                continue;
            }
            let lines: Vec<&str> = file.text.split_inclusive('\n').collect();
            let mut offset = 0;
            for (line, text) in lines.iter().enumerate() {
                let start = offset;
                offset += text.len();
                let Some(at) = text
                    .find(IGNORE_COMMENT)
                    .filter(|&at| text.get(..at).is_some_and(|before| before.contains('#')))
                else {
                    continue;
                };
                let rest = text
                    .get(at + IGNORE_COMMENT.len()..)
                    .unwrap_or_default()
                    .trim();
                let (rules, reason) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
                if reason.trim().is_empty() {
                    let span = Span {
                        start: u32::try_from(start + at).unwrap_or(u32::MAX),
                        end: u32::try_from(start + text.trim_end().len()).unwrap_or(u32::MAX),
                    };
                    let message = format!(
                        "`# {IGNORE_COMMENT} {rules}` needs a reason after the codes; it suppresses nothing"
                    );
                    found.unexplained.push(Diagnostic::new(
                        codes::SUPPRESSION_WITHOUT_REASON,
                        file.id,
                        span,
                        message,
                    ));
                    continue;
                }
                let covered = if text.trim_start().starts_with('#') {
                    block_below(&lines, line)
                } else {
                    [line, line + 1]
                };
                found.comments.push((file.id, covered, split_rules(rules)));
            }
        }
        found
    }

    fn covers(&self, workspace: &Workspace, finding: &Diagnostic) -> bool {
        let rule = &finding.rule;
        let by_annotation = self.annotations.iter().any(|(file, span, rules)| {
            *file == finding.file
                && span.start <= finding.span.start
                && finding.span.end <= span.end
                && mentions(rules, rule)
        });
        by_annotation
            || self.comments.iter().any(|(file, lines, rules)| {
                *file == finding.file
                    && workspace.file(finding.file).is_some_and(|f| {
                        let line = f.line_index.line_of(finding.span.start as usize);
                        lines[0] <= line && line < lines[1]
                    })
                    && mentions(rules, rule)
            })
    }
}

/// The lines a comment alone on line `comment` covers: the YAML block that starts on the
/// next line that is not blank or a comment (so stacked suppression comments all reach it):
/// that line and every following line indented deeper than the comment, blank lines and
/// comments included, as `[first, end)`.
fn block_below(lines: &[&str], comment: usize) -> [usize; 2] {
    let indent = |text: &str| text.len() - text.trim_start().len();
    let comment_indent = lines.get(comment).map_or(0, |t| indent(t));
    let mut first = comment + 1;
    while lines.get(first).is_some_and(|text| {
        let trimmed = text.trim();
        trimmed.is_empty() || trimmed.starts_with('#')
    }) {
        first += 1;
    }
    let mut end = first + 1;
    while let Some(text) = lines.get(end) {
        let trimmed = text.trim();
        let continues =
            trimmed.is_empty() || trimmed.starts_with('#') || indent(text) > comment_indent;
        if !continues || trimmed == "---" {
            break;
        }
        end += 1;
    }
    [first, end]
}

/// Rules named in a comma-separated list.
fn split_rules(text: &str) -> Vec<String> {
    let mut names: Vec<String> = text
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    crate::sort::sort(&mut names);
    names.dedup();
    names
}
