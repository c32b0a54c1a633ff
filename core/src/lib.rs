//! netward-core: a pure engine that loads Kubernetes manifests with source positions,
//! evaluates label selectors and validates Services, NetworkPolicies and Ingresses the way
//! the Kubernetes API server does.
//!
//! No I/O, threads or clocks: every surface (CLI, WASM, webhook) feeds text in and gets
//! diagnostics out.
#![forbid(unsafe_code)]
#![deny(clippy::indexing_slicing)]

pub mod model;
pub mod path;
pub mod selector;
pub mod source;
pub mod validate;
