//! `netward selector`: the kubectl `-l` grammar, canonical form and matching.

use std::collections::BTreeMap;

use clap::{Args, ValueEnum};
use netward_core::selector::parse;
use serde_json::json;

/// Output formats of `netward selector`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One line for people.
    Text,
    /// A JSON object.
    Json,
}

/// Arguments of `netward selector`.
#[derive(Debug, Args)]
pub struct SelectorArgs {
    /// The selector, e.g. `app=web,tier in (frontend,edge),!legacy`.
    expression: String,
    /// Labels to match against: `k=v,k2=v2`.
    #[arg(long)]
    labels: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// Parses the selector; exit status 1 when it is invalid.
pub fn run(args: &SelectorArgs) -> Result<u8, String> {
    let labels = args.labels.as_deref().map(parse_labels).transpose()?;
    match parse(&args.expression) {
        Ok(selector) => {
            let canonical = selector.to_string();
            let matches = labels.as_ref().map(|l| selector.matches(l));
            match args.format {
                Format::Json => {
                    let mut out = json!({ "valid": true, "canonical": canonical });
                    if let (Some(matches), Some(obj)) = (matches, out.as_object_mut()) {
                        obj.insert("matches".into(), json!(matches));
                    }
                    println!("{out}");
                }
                Format::Text => match matches {
                    Some(m) => println!("{canonical}\nmatches: {m}"),
                    None => println!("{canonical}"),
                },
            }
            Ok(crate::exit::OK)
        }
        Err(error) => {
            match args.format {
                Format::Json => println!(
                    "{}",
                    json!({ "valid": false, "error": error.to_string(), "kind": error.kind.as_str(), "offset": error.span.start })
                ),
                Format::Text => {
                    println!("invalid selector: {error}");
                    println!("  {}", args.expression);
                    let width = args
                        .expression
                        .get(error.span.clone())
                        .map_or(1, |s| s.chars().count().max(1));
                    let pad = args
                        .expression
                        .get(..error.span.start)
                        .map_or(0, |s| s.chars().count());
                    println!("  {}{}", " ".repeat(pad), "^".repeat(width));
                }
            }
            Ok(crate::exit::FINDINGS)
        }
    }
}

/// `k=v,k2=v2` into a label map.
fn parse_labels(text: &str) -> Result<BTreeMap<String, String>, String> {
    text.split(',')
        .filter(|pair| !pair.trim().is_empty())
        .map(|pair| {
            pair.split_once('=')
                .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
                .ok_or_else(|| format!("invalid --labels entry {pair:?}: expected key=value"))
        })
        .collect()
}
