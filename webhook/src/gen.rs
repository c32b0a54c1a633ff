//! `netward gen`: a synthetic cluster (Namespaces, Pods, NetworkPolicies) as multi-document
//! YAML, for benchmarks and for comparing analyzers.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use netward_core::synth::{generate, SynthSpec};

/// Arguments of `netward gen`.
#[derive(Debug, Args)]
pub struct GenArgs {
    /// Pods in all (two CoreDNS and two Prometheus pods included once there are 20).
    #[arg(long, value_name = "N", default_value_t = 100)]
    pods: usize,
    /// NetworkPolicies in all.
    #[arg(long, value_name = "M", default_value_t = 20)]
    policies: usize,
    /// Application namespaces [default: max(3, pods/100)]; kube-system and monitoring come on
    /// top.
    #[arg(long, value_name = "K")]
    namespaces: Option<usize>,
    /// Seed: the same arguments always give the same bytes.
    #[arg(long, value_name = "S", default_value_t = 1)]
    seed: u64,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// Generates the manifests and writes them out.
pub fn run(args: &GenArgs) -> Result<u8, String> {
    let text = generate(&SynthSpec {
        pods: args.pods,
        policies: args.policies,
        namespaces: args.namespaces,
        seed: args.seed,
    });
    match &args.out {
        Some(path) => std::fs::write(path, text)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?,
        None => {
            let mut stdout = std::io::stdout().lock();
            let written = stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush());
            match written {
                // `netward gen | head` is fine.
                Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                    return Err(format!("cannot write to standard output: {e}"));
                }
                _ => {}
            }
        }
    }
    Ok(crate::exit::OK)
}
