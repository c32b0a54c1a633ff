//! `netward check`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use netward_core::report::{PositionStyle, Report};
use netward_core::validate::NodePortRange;
use netward_core::{LoadLimits, ValidationProfile, Workspace};

use crate::inputs::read_inputs;
use crate::render;

/// Output formats of `netward check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Code frames for people.
    Human,
    /// One JSON document.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
}

/// When to colour human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Arguments of `netward check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Files or directories (walked for .yaml, .yml, .json); `-` reads standard input.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Colour for human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// The API server's --service-node-port-range.
    #[arg(long, value_name = "FIRST-LAST", default_value = "30000-32767")]
    node_port_range: NodePortRange,
    /// Validate IPs and CIDRs strictly (feature gate StrictIPCIDRValidation, on from 1.36).
    #[arg(long)]
    strict_ip_cidr: bool,
    /// Allow RFC 1123 Service names (feature gate RelaxedServiceNameValidation).
    #[arg(long)]
    relaxed_service_names: bool,
    /// Reject `PreferSameZone`/`PreferSameNode` traffic distribution (clusters before 1.34).
    #[arg(long)]
    no_prefer_same_traffic_distribution: bool,
}

/// Runs the check and prints the findings; exit status 1 when any is an error.
pub fn run(args: &CheckArgs) -> Result<u8, String> {
    let limits = LoadLimits::default();
    let inputs = read_inputs(&args.paths, limits.max_file_bytes)?;
    let mut workspace = Workspace::new(limits);
    for input in &inputs {
        workspace.add_file(input.name.clone(), &input.bytes);
    }
    let profile = ValidationProfile {
        strict_ip_cidr_validation: args.strict_ip_cidr,
        relaxed_service_name_validation: args.relaxed_service_names,
        prefer_same_traffic_distribution: !args.no_prefer_same_traffic_distribution,
        node_port_range: args.node_port_range,
        ..ValidationProfile::default()
    };
    let diagnostics = workspace.check(&profile);
    let report = Report::new(&workspace, &diagnostics, PositionStyle::CLI);
    let stdout = std::io::stdout();
    match args.format {
        Format::Json => print_json(&report)?,
        Format::Sarif => print_json(&render::sarif::sarif(&report))?,
        Format::Human => {
            let colour = match args.color {
                Color::Always => true,
                Color::Never => false,
                Color::Auto => stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none(),
            };
            render::human::print(&workspace, &diagnostics, &report, colour)
                .map_err(|e| e.to_string())?;
        }
    }
    Ok(if report.summary.errors > 0 {
        crate::exit::FINDINGS
    } else {
        crate::exit::OK
    })
}

/// Pretty JSON on standard output, newline-terminated.
fn print_json(value: &impl serde::Serialize) -> Result<(), String> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, value).map_err(|e| e.to_string())?;
    writeln!(out).map_err(|e| e.to_string())
}
