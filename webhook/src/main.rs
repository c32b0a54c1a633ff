//! `netward`: check Kubernetes Services, NetworkPolicies and Ingresses from the command line,
//! and serve the same checks as a validating admission webhook.

mod check;
mod gen;
mod inputs;
mod options_file;
mod reach;
mod render;
mod review;
mod rules;
mod selector;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Is this Kubernetes networking config valid, safe, and who can reach whom?
#[derive(Debug, Parser)]
#[command(name = "netward", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check manifests as the Kubernetes API server would (and more).
    Check(check::CheckArgs),
    /// Who can reach whom, on which ports, and why (NetworkPolicy evaluation).
    Reach(reach::ReachArgs),
    /// List the lint rules, or explain one (`netward rules NW3001`).
    Rules(rules::RulesArgs),
    /// Print the JSON Schema of the options file.
    Schema,
    /// Generate a synthetic cluster (Namespaces, Pods, NetworkPolicies) as YAML.
    Gen(gen::GenArgs),
    /// Parse a label selector (kubectl `-l` syntax), print its canonical form, optionally match labels.
    Selector(selector::SelectorArgs),
    /// Answer one AdmissionReview as `netward serve` would, without a server.
    Review(review::ReviewArgs),
    /// Run the TLS validating admission webhook.
    Serve(netward::serve::ServeArgs),
    /// Write a CA and a serving certificate for the webhook (ca.crt, tls.crt, tls.key).
    Cert(netward::cert::CertArgs),
}

/// Exit status for success, findings, and usage or I/O errors.
pub mod exit {
    /// No error-severity finding.
    pub const OK: u8 = 0;
    /// At least one error-severity finding (or an invalid selector).
    pub const FINDINGS: u8 = 1;
    /// Usage or I/O error.
    pub const USAGE: u8 = 2;
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Selector(args) => selector::run(&args),
        Command::Reach(args) => reach::run(&args),
        Command::Gen(args) => gen::run(&args),
        Command::Rules(args) => rules::run(&args),
        Command::Schema => rules::schema(),
        Command::Review(args) => review::run(&args),
        Command::Serve(args) => netward::serve::run(args),
        Command::Cert(args) => netward::cert::run(&args),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("netward: {message}");
            ExitCode::from(exit::USAGE)
        }
    }
}
