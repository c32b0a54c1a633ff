//! The netward binary's server side: `netward serve` (the TLS validating admission webhook)
//! and `netward cert` (its certificates). A library so tests drive the router in-process.

pub mod cert;
pub mod serve;
