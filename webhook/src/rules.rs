//! `netward rules` and `netward schema`: what the checks are, and the options' JSON Schema.

use std::io::Write;

use clap::{Args, ValueEnum};
use netward_core::options::Options;
use netward_core::rules::{doc_page, registry, Scope};

use crate::exit;

/// Output formats of `netward rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A table, or a rule's documentation.
    Text,
    /// JSON.
    Json,
}

/// Arguments of `netward rules`.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// A rule code or name: print its documentation.
    rule: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// One rule's metadata, as `--format json` prints it.
#[derive(Debug, serde::Serialize)]
struct RuleInfo {
    code: &'static str,
    name: &'static str,
    category: netward_core::Category,
    severity: netward_core::Severity,
    scope: Scope,
    fix: bool,
    summary: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    docs: Option<String>,
}

/// Lists the rules, or explains one.
pub fn run(args: &RulesArgs) -> Result<u8, String> {
    let rules = match &args.rule {
        Some(wanted) => match registry::find(wanted) {
            Some(rule) => vec![rule],
            None => return fixed_code(wanted, args.format),
        },
        None => registry::all().to_vec(),
    };
    let mut out = std::io::stdout().lock();
    let result = match args.format {
        Format::Json => {
            let infos: Vec<RuleInfo> = rules
                .iter()
                .map(|lint| RuleInfo {
                    code: lint.rule.code,
                    name: lint.rule.name,
                    category: lint.rule.category,
                    severity: lint.rule.severity,
                    scope: lint.scope,
                    fix: lint.fix,
                    summary: lint.rule.summary,
                    docs: args.rule.as_ref().map(|_| lint.markdown()),
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &infos)
                .map_err(std::io::Error::from)
                .and_then(|()| writeln!(out))
        }
        Format::Text if args.rule.is_some() => rules
            .iter()
            .try_for_each(|lint| write!(out, "{}", doc_page(lint))),
        Format::Text => rules.iter().try_for_each(|lint| {
            let scope = match lint.scope {
                Scope::Object => "object",
                Scope::Manifest => "manifest",
                Scope::Workspace => "workspace",
            };
            writeln!(
                out,
                "{}  {:<44} {:<8} {:<9} {}",
                lint.rule.code,
                lint.rule.name,
                format!("{:?}", lint.rule.severity).to_lowercase(),
                scope,
                lint.rule.summary
            )
        }),
    };
    result.map_err(|e| format!("cannot write: {e}"))?;
    Ok(exit::OK)
}

/// Explains one of the loader's and the API server's fixed codes (`NW0001`, `NW1002`, ...).
fn fixed_code(wanted: &str, format: Format) -> Result<u8, String> {
    let rule = netward_core::codes::ALL
        .iter()
        .find(|r| r.code.eq_ignore_ascii_case(wanted) || r.name == wanted)
        .ok_or_else(|| format!("no rule {wanted:?} (see `netward rules`)"))?;
    let mut out = std::io::stdout().lock();
    let written = match format {
        Format::Json => serde_json::to_writer_pretty(&mut out, rule)
            .map_err(std::io::Error::from)
            .and_then(|()| writeln!(out)),
        Format::Text => writeln!(
            out,
            "# {} `{}`\n\n{}\n\nA fixed check of the loader or of API-server validation: category {}, severity {}; {}",
            rule.code,
            rule.name,
            rule.summary,
            serde_json::to_value(rule.category).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
            serde_json::to_value(rule.severity).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default(),
            if rule.category == netward_core::Category::Api {
                "it cannot be disabled or suppressed."
            } else {
                "the options' `disable` and `severity` apply to it; it cannot be suppressed in a manifest."
            },
        ),
    };
    written.map_err(|e| format!("cannot write: {e}"))?;
    Ok(exit::OK)
}

/// Prints the JSON Schema of the options file.
pub fn schema() -> Result<u8, String> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, &Options::json_schema())
        .map_err(|e| format!("cannot write: {e}"))?;
    writeln!(out).map_err(|e| format!("cannot write: {e}"))?;
    Ok(exit::OK)
}
