//! The NetworkPolicy engine: who can reach whom, on which ports, and why.
//!
//! [`Cluster`] is the snapshot built from manifests; [`Evaluator::compile`] turns its policies
//! into pod sets and port matchers once; the evaluator then answers single connections with an
//! explanation ([`Evaluator::check`]), the ports one pair may use
//! ([`Evaluator::allowed_ports`]) and whole matrices ([`Evaluator::matrix`]). Semantics follow
//! `netpol-semantics.md`; the plugin-dependent points are [`ReachOptions`].

pub mod cluster;
pub mod compile;
pub mod explain;
pub mod matrix;
pub mod options;
pub mod podset;
pub mod ports;
pub mod query;

pub use cluster::{Cluster, ClusterPod, Namespace, Note, Policy, NAMESPACE_NAME_LABEL};
pub use compile::{Direction, Evaluator};
pub use explain::{Explainer, Explanation};
pub use matrix::{Flow, Matrix};
pub use options::{AddressFamily, HostNetwork, ReachOptions, SelfTraffic};
pub use podset::PodSet;
pub use ports::{PortRange, PortSet, Protocol, ProtocolPorts};
pub use query::{Connection, Endpoint, SideVerdict, Verdict};
