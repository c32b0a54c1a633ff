//! `netward rules` and `netward schema`: what the checks are, and the options' JSON Schema.

use std::io::Write;

use clap::{Args, ValueEnum};
use netward_core::options::Options;
use netward_core::rules::{doc_page, fixed_doc_page, registry, RuleInfo, Scope};

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
                .map(|lint| RuleInfo::of_lint(lint, args.rule.is_some()))
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
        Format::Text => write!(out, "{}", fixed_doc_page(rule)),
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
