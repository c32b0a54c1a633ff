//! Typed views of the Kubernetes objects netward understands, decoded from the spanned
//! manifest tree. Fields the manifest leaves out are `None` (or empty), so defaulting and
//! validation can tell "absent" from "zero" the way the API server does.

pub mod decode;
pub mod endpoints;
pub mod ingress;
pub mod meta;
pub mod network_policy;
pub mod pod;
pub mod service;

pub use endpoints::*;
pub use ingress::*;
pub use meta::*;
pub use network_policy::*;
pub use pod::*;
pub use service::*;
