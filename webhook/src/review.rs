//! `netward review`: answer one AdmissionReview the way `netward serve` would, without a
//! server: for debugging a webhook decision, and for comparing surfaces.

use std::io::{Read, Write};
use std::path::PathBuf;

use clap::Args;
use netward::serve::ModeArg;
use netward_core::admission::{Decision, Mode, RequestError, Reviewer};

use crate::exit;

/// The API server sends at most 3 MiB; a review file larger than that is not a real request.
const MAX_REVIEW_BYTES: u64 = 3 * 1024 * 1024;

/// Arguments of `netward review`.
#[derive(Debug, Args)]
pub struct ReviewArgs {
    /// An `admission.k8s.io/v1` AdmissionReview (JSON); `-` reads standard input.
    review: PathBuf,
    /// Options file, as `netward serve --options` reads it.
    #[arg(long, value_name = "FILE")]
    options: Option<PathBuf>,
    /// What findings do: deny (enforce), warn, or only annotate (audit).
    #[arg(long, value_enum, default_value_t = ModeArg::Enforce)]
    mode: ModeArg,
}

/// Prints the AdmissionReview the webhook would answer with HTTP 200. Exit status 1 when the
/// request is denied; a body the webhook would refuse with HTTP 400 is an error (status 2).
pub fn run(args: &ReviewArgs) -> Result<u8, String> {
    let mut body = Vec::new();
    let name = args.review.display().to_string();
    let read = if name == "-" {
        std::io::stdin()
            .take(MAX_REVIEW_BYTES + 1)
            .read_to_end(&mut body)
    } else {
        std::fs::File::open(&args.review)
            .and_then(|f| f.take(MAX_REVIEW_BYTES + 1).read_to_end(&mut body))
    };
    read.map_err(|e| format!("cannot read {name}: {e}"))?;
    if body.len() as u64 > MAX_REVIEW_BYTES {
        return Err(format!(
            "{name} is larger than the API server's 3 MiB request limit"
        ));
    }
    let options = crate::options_file::load(args.options.as_deref())?;
    let reviewer = Reviewer::new(options, Mode::from(args.mode));
    let verdict = reviewer
        .review(&body)
        .map_err(|e: RequestError| format!("{name}: the webhook would answer HTTP 400: {e}"))?;
    let mut out = std::io::stdout().lock();
    out.write_all(&verdict.to_json())
        .and_then(|()| writeln!(out))
        .map_err(|e| format!("cannot write: {e}"))?;
    Ok(if verdict.decision == Decision::Denied {
        exit::FINDINGS
    } else {
        exit::OK
    })
}
