//! What the Kubernetes API server would reject, rule by rule, after its defaulting.

pub mod error;
pub mod ip;
pub mod primitives;
