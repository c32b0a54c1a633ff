//! netward-core: a pure engine that loads Kubernetes manifests with source positions,
//! evaluates label selectors and validates Services, NetworkPolicies and Ingresses the way
//! the Kubernetes API server does.
//!
//! No I/O, threads or clocks: every surface (CLI, WASM, webhook) feeds text in and gets
//! diagnostics out.
#![forbid(unsafe_code)]
#![deny(clippy::indexing_slicing)]

pub mod admission;
pub mod codes;
pub mod diagnostic;
pub mod inspect;
pub mod lint;
pub mod model;
pub mod netpol;
pub mod object;
pub mod options;
pub mod path;
pub mod report;
pub mod rules;
pub mod selector;
mod sort;
pub mod source;
pub mod synth;
pub mod validate;
pub mod workspace;

pub use diagnostic::{Category, Diagnostic, Severity};
pub use source::{LoadLimits, PositionEncoding};
pub use validate::ValidationProfile;
pub use workspace::Workspace;

/// The engine's version.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
