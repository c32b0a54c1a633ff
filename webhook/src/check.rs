//! `netward check`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use netward_core::options::{Options, Profile};
use netward_core::report::{PositionStyle, Report};
use netward_core::validate::NodePortRange;
use netward_core::{LoadLimits, Workspace};

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
    /// Options file (YAML or JSON; `netward schema` prints its JSON Schema). Flags below
    /// override it.
    #[arg(long, value_name = "FILE")]
    options: Option<PathBuf>,
    /// `workspace`: all rules, the files form one bundle; `admission`: only single-object
    /// rules, as the admission webhook runs them.
    #[arg(long, value_enum)]
    profile: Option<ProfileArg>,
    /// The files hold every object of their namespaces: "matches nothing" findings are errors.
    #[arg(long)]
    bundle_complete: bool,
    /// Run only these lint rules (codes, names or categories, comma-separated).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    select: Vec<String>,
    /// Never run these rules (codes, names or categories, comma-separated); also the
    /// loader's warnings (NW0005, NW0012), never the API server's errors.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    disable: Vec<String>,
    /// The API server's --service-node-port-range.
    #[arg(long, value_name = "FIRST-LAST")]
    node_port_range: Option<NodePortRange>,
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

/// `--profile` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProfileArg {
    /// Every rule.
    Workspace,
    /// Single-object rules only.
    Admission,
}

impl CheckArgs {
    /// The options file, with the flags applied on top.
    fn options(&self) -> Result<Options, String> {
        let mut options = crate::options_file::load(self.options.as_deref())?;
        if let Some(profile) = self.profile {
            options.profile = match profile {
                ProfileArg::Workspace => Profile::Workspace,
                ProfileArg::Admission => Profile::Admission,
            };
        }
        options.bundle_complete |= self.bundle_complete;
        options.select.extend(self.select.iter().cloned());
        options.disable.extend(self.disable.iter().cloned());
        let cluster = &mut options.cluster;
        if let Some(range) = self.node_port_range {
            cluster.node_port_range = range;
        }
        cluster.strict_ip_cidr_validation |= self.strict_ip_cidr;
        cluster.relaxed_service_name_validation |= self.relaxed_service_names;
        if self.no_prefer_same_traffic_distribution {
            cluster.prefer_same_traffic_distribution = false;
        }
        Ok(options)
    }
}

/// Runs the check and prints the findings; exit status 1 when any is an error.
pub fn run(args: &CheckArgs) -> Result<u8, String> {
    let limits = LoadLimits::default();
    let inputs = read_inputs(&args.paths, limits.max_file_bytes)?;
    let mut workspace = Workspace::new(limits);
    for input in &inputs {
        workspace.add_file(input.name.clone(), &input.bytes);
    }
    let options = args.options()?;
    let diagnostics = netward_core::lint::check(&workspace, &options);
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
