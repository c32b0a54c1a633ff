//! The queries the engine takes and the answers it builds for them (the other answers are
//! core's own serialisable types).

use netward_core::netpol::{self, Evaluator, Protocol};
use serde::Serialize;

/// `reach()`: which flows are allowed. Endpoints are `ns/pod`, `ns/kind/name` or an address.
#[derive(Debug, Clone, Default)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ReachQuery {
    /// Source; every pod when absent.
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub from: Option<String>,
    /// Destination; every pod when absent.
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub to: Option<String>,
    /// Only flows allowing this destination port.
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub port: Option<u16>,
    /// `TCP` (the default), `UDP` or `SCTP`; used with `port`.
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub protocol: Option<String>,
}

impl ReachQuery {
    /// The fields a query may have.
    pub const FIELDS: &'static [&'static str] = &["from", "to", "port", "protocol"];
}

/// `explain()`: one connection.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ExplainQuery {
    /// Source.
    pub from: String,
    /// Destination.
    pub to: String,
    /// Destination port.
    pub port: u16,
    /// `TCP` (the default), `UDP` or `SCTP`.
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub protocol: Option<String>,
}

impl ExplainQuery {
    /// The fields a query may have.
    pub const FIELDS: &'static [&'static str] = &["from", "to", "port", "protocol"];
}

/// One allowed flow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Flow {
    /// Source name.
    pub from: String,
    /// Destination name.
    pub to: String,
    /// What is allowed, as `netward reach` writes it (`TCP 80`, `TCP 80,443; UDP 53`).
    pub ports: String,
}

/// The answer of `reach()`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ReachAnswer {
    /// The allowed flows.
    pub flows: Vec<Flow>,
    /// What the manifests left out or the evaluation assumed.
    pub notes: Vec<String>,
}

impl ReachAnswer {
    /// Names the flows of `evaluator`; with `port`, each flow is reported for that port only.
    pub fn new(
        evaluator: &Evaluator<'_>,
        flows: &[netpol::Flow],
        port: Option<(Protocol, u16)>,
    ) -> Self {
        Self {
            flows: flows
                .iter()
                .map(|flow| Flow {
                    from: evaluator.endpoint_name(flow.from),
                    to: evaluator.endpoint_name(flow.to),
                    ports: match port {
                        Some((protocol, number)) => format!("{protocol} {number}"),
                        None => flow.ports.to_string(),
                    },
                })
                .collect(),
            notes: evaluator
                .cluster()
                .notes
                .iter()
                .chain(evaluator.notes())
                .map(|note| note.message.clone())
                .collect(),
        }
    }
}
