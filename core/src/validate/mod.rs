//! What the Kubernetes API server would reject, rule by rule, after its defaulting.

pub mod error;
pub mod ingress;
pub mod ip;
pub mod meta;
pub mod network_policy;
pub mod primitives;
pub mod profile;
pub mod service;

pub use error::{ErrorKind, FieldError};
pub use profile::{NodePortRange, ValidationProfile};
