//! Verdicts in words and in a serialisable shape, with the policies' file positions: one
//! shape for the CLI's JSON, the WASM engine and the editor.

use std::fmt::Write as _;

use serde::Serialize;

use crate::report::{file_name, locate, PositionStyle, Range};
use crate::workspace::Workspace;

use super::cluster::{Location, PolicyId};
use super::compile::{Direction, Evaluator};
use super::ports::Protocol;
use super::query::{Connection, Endpoint, PortMismatch, RuleMiss, RuleRef, SideVerdict, Verdict};

/// A place in a manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Place {
    /// File name.
    pub file: String,
    /// Range.
    pub range: Range,
}

/// One end of the connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct EndpointReport {
    /// `ns/pod`, `ns/kind/name`, or the address.
    pub name: String,
    /// `pod`, `node` (a host-network pod), or `external`.
    pub kind: &'static str,
    /// The address used, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub address: Option<String>,
}

/// A policy isolating the pod.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PolicyReport {
    /// `ns/name`.
    pub policy: String,
    /// Effective policy types.
    pub policy_types: Vec<&'static str>,
    /// `policyTypes` is not written; the API server's default applies.
    pub policy_types_defaulted: bool,
    /// Where the policy is.
    pub place: Place,
}

/// A rule that allowed the connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct RuleReport {
    /// `ns/name` of the policy.
    pub policy: String,
    /// `ingress[0]` / `egress[1]`.
    pub rule: String,
    /// The matching peer entry (`ingress[0].from[1]`), if the rule lists peers.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub peer: Option<String>,
    /// The matching port entry (`ingress[0].ports[0]`), if the rule lists ports.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub port: Option<String>,
    /// Where the rule is.
    pub place: Place,
    /// Where the matching peer entry is, if the rule lists peers.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub peer_place: Option<Place>,
    /// Where the matching port entry is, if the rule lists ports.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub port_place: Option<Place>,
}

/// Why a rule (or a rule-less policy) did not allow the connection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct MissReport {
    /// `ns/name` of the policy.
    pub policy: String,
    /// `ingress[0]`; absent for a policy with no rules in this direction.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub rule: Option<String>,
    /// Why.
    pub reason: String,
    /// Where the rule (or the policy) is.
    pub place: Place,
}

/// The decision of one side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct SideReport {
    /// `allowed`, `denied`, `not-isolated`, `not-evaluated`, `own-node`.
    pub verdict: &'static str,
    /// In a sentence.
    pub detail: String,
    /// Policies isolating the pod in this direction.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<PolicyReport>>", optional))]
    pub isolated_by: Vec<PolicyReport>,
    /// Rules that allowed it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<RuleReport>>", optional))]
    pub allowed_by: Vec<RuleReport>,
    /// Why each rule did not.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<MissReport>>", optional))]
    pub denied_because: Vec<MissReport>,
}

/// A verdict, explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Explanation {
    /// Source.
    pub from: EndpointReport,
    /// Destination.
    pub to: EndpointReport,
    /// Protocol.
    pub protocol: Protocol,
    /// Destination port.
    pub port: u16,
    /// The verdict.
    pub allowed: bool,
    /// The source's egress side.
    pub egress: SideReport,
    /// The destination's ingress side.
    pub ingress: SideReport,
    /// Caveats (self traffic, plugin-dependent behaviour).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<String>>", optional))]
    pub notes: Vec<String>,
}

/// Words and places for verdicts of one evaluator.
#[derive(Debug, Clone, Copy)]
pub struct Explainer<'a, 'c> {
    evaluator: &'a Evaluator<'c>,
    workspace: &'a Workspace,
    style: PositionStyle,
}

impl<'a, 'c> Explainer<'a, 'c> {
    /// Explains verdicts of `evaluator`, placing policies in `workspace`'s files.
    pub fn new(
        evaluator: &'a Evaluator<'c>,
        workspace: &'a Workspace,
        style: PositionStyle,
    ) -> Self {
        Self {
            evaluator,
            workspace,
            style,
        }
    }

    /// The name of an endpoint: `ns/pod`, `ns/kind/name`, or the address.
    pub fn endpoint_name(&self, endpoint: Endpoint) -> String {
        self.evaluator.endpoint_name(endpoint)
    }

    fn endpoint(&self, endpoint: Endpoint) -> EndpointReport {
        let kind = match endpoint {
            Endpoint::Pod(pod) if self.evaluator.on_pod_network(pod) => "pod",
            Endpoint::Pod(_) => "node",
            Endpoint::External(_) => "external",
        };
        EndpointReport {
            name: self.endpoint_name(endpoint),
            kind,
            address: self.evaluator.address_of(endpoint).map(|a| a.to_string()),
        }
    }

    fn place(&self, location: Location) -> Place {
        Place {
            file: file_name(self.workspace, location.file),
            range: locate(self.workspace, location.file, location.span, self.style),
        }
    }

    fn policy(&self, id: PolicyId) -> PolicyReport {
        let cluster = self.evaluator.cluster();
        let policy = cluster.policies.get(id);
        let mut types = Vec::new();
        if policy.is_some_and(|p| p.affects_ingress) {
            types.push("Ingress");
        }
        if policy.is_some_and(|p| p.affects_egress) {
            types.push("Egress");
        }
        PolicyReport {
            policy: cluster.policy_name(id),
            policy_types: types,
            policy_types_defaulted: policy.is_some_and(|p| !p.policy_types_written),
            place: self.place(policy.map_or(EMPTY_LOCATION, |p| p.origin)),
        }
    }

    fn rule_place(&self, rule: RuleRef) -> Place {
        let policy = self.evaluator.cluster().policies.get(rule.policy);
        let location = policy.map_or(EMPTY_LOCATION, |p| {
            let spans = match rule.direction {
                Direction::Ingress => &p.ingress_spans,
                Direction::Egress => &p.egress_spans,
            };
            Location {
                file: p.origin.file,
                span: spans.get(rule.rule).map_or(p.origin.span, |s| s.rule),
            }
        });
        self.place(location)
    }

    /// Where one entry of a rule is (a peer or a port, picked from the rule's spans).
    fn entry_place(
        &self,
        rule: RuleRef,
        entry: impl Fn(&super::cluster::RuleSpans) -> Option<crate::source::Span>,
    ) -> Option<Place> {
        let policy = self.evaluator.cluster().policies.get(rule.policy)?;
        let spans = match rule.direction {
            Direction::Ingress => &policy.ingress_spans,
            Direction::Egress => &policy.egress_spans,
        };
        let span = entry(spans.get(rule.rule)?)?;
        Some(self.place(Location {
            file: policy.origin.file,
            span,
        }))
    }

    /// Explains a verdict.
    pub fn explain(&self, connection: &Connection, verdict: &Verdict) -> Explanation {
        let mut notes = Vec::new();
        if verdict.self_traffic {
            notes.push(
                "a pod's connection to itself is not filtered by NetworkPolicy (through its own Service the behaviour is plugin-dependent)"
                    .to_owned(),
            );
        }
        for endpoint in [connection.from, connection.to] {
            if let Endpoint::Pod(pod) = endpoint {
                if !self.evaluator.on_pod_network(pod) {
                    notes.push(format!(
                        "{} uses the host network: NetworkPolicy sees it as its node (only ipBlock peers match it)",
                        self.endpoint_name(endpoint)
                    ));
                }
            }
        }
        Explanation {
            from: self.endpoint(connection.from),
            to: self.endpoint(connection.to),
            protocol: connection.protocol,
            port: connection.port,
            allowed: verdict.allowed,
            egress: self.side(connection, &verdict.egress, Direction::Egress),
            ingress: self.side(connection, &verdict.ingress, Direction::Ingress),
            notes,
        }
    }

    fn side(
        &self,
        connection: &Connection,
        verdict: &SideVerdict,
        direction: Direction,
    ) -> SideReport {
        let (subject, peer) = match direction {
            Direction::Egress => (connection.from, connection.to),
            Direction::Ingress => (connection.to, connection.from),
        };
        let subject_name = self.endpoint_name(subject);
        let what = match direction {
            Direction::Egress => "egress",
            Direction::Ingress => "ingress",
        };
        let mut report = SideReport {
            verdict: "",
            detail: String::new(),
            isolated_by: Vec::new(),
            allowed_by: Vec::new(),
            denied_because: Vec::new(),
        };
        match verdict {
            SideVerdict::NotEvaluated => {
                report.verdict = "not-evaluated";
                report.detail = format!("{subject_name} is not a pod NetworkPolicy applies to");
            }
            SideVerdict::NotIsolated => {
                report.verdict = "not-isolated";
                report.detail =
                    format!("no policy selects {subject_name} for {what}: all {what} is allowed");
            }
            SideVerdict::OwnNode => {
                report.verdict = "own-node";
                report.detail = format!(
                    "{} is {subject_name}'s own node, which is always allowed",
                    self.endpoint_name(peer)
                );
            }
            SideVerdict::Allowed { isolating, matches } => {
                report.verdict = "allowed";
                report.isolated_by = isolating.iter().map(|&p| self.policy(p)).collect();
                report.allowed_by = matches
                    .iter()
                    .map(|m| {
                        let rule = rule_name(m.rule);
                        RuleReport {
                            policy: self.evaluator.cluster().policy_name(m.rule.policy),
                            peer: m
                                .peer
                                .map(|j| format!("{rule}.{}[{j}]", m.rule.direction.peer_field())),
                            port: m.port.map(|k| format!("{rule}.ports[{k}]")),
                            place: self.rule_place(m.rule),
                            peer_place: m.peer.and_then(|j| {
                                self.entry_place(m.rule, |s| s.peers.get(j).copied())
                            }),
                            port_place: m.port.and_then(|k| {
                                self.entry_place(m.rule, |s| s.ports.get(k).copied())
                            }),
                            rule,
                        }
                    })
                    .collect();
                let first = report.allowed_by.first();
                report.detail = format!(
                    "{subject_name} is isolated for {what} by {} polic{}; allowed by {}",
                    isolating.len(),
                    if isolating.len() == 1 { "y" } else { "ies" },
                    first.map_or(String::new(), |r| format!("{} {}", r.policy, r.rule)),
                );
            }
            SideVerdict::Denied { isolating, misses } => {
                report.verdict = "denied";
                report.isolated_by = isolating.iter().map(|&p| self.policy(p)).collect();
                report.denied_because = misses.iter().map(|m| self.miss(m, peer)).collect();
                report.detail = format!(
                    "{subject_name} is isolated for {what} by {} polic{} and no rule allows this connection",
                    isolating.len(),
                    if isolating.len() == 1 { "y" } else { "ies" },
                );
            }
        }
        report
    }

    fn miss(&self, miss: &RuleMiss, peer: Endpoint) -> MissReport {
        let cluster = self.evaluator.cluster();
        match miss {
            RuleMiss::NoRules { policy } => MissReport {
                policy: cluster.policy_name(*policy),
                rule: None,
                reason: "the policy has no rules in this direction: it only isolates".to_owned(),
                place: self.policy(*policy).place,
            },
            RuleMiss::Peer { rule, excepted_by } => {
                let name = rule_name(*rule);
                let mut reason = format!(
                    "{} matches no entry of {name}.{}",
                    self.endpoint_name(peer),
                    rule.direction.peer_field()
                );
                for j in excepted_by {
                    let _ = write!(
                        reason,
                        "; {name}.{}[{j}] excludes its address in `except`",
                        rule.direction.peer_field()
                    );
                }
                MissReport {
                    policy: cluster.policy_name(rule.policy),
                    rule: Some(name),
                    reason,
                    place: self.rule_place(*rule),
                }
            }
            RuleMiss::Ports { rule, entries } => {
                let name = rule_name(*rule);
                let reasons: Vec<String> = entries
                    .iter()
                    .map(|(k, why)| format!("{name}.ports[{k}] {}", port_mismatch(why)))
                    .collect();
                MissReport {
                    policy: cluster.policy_name(rule.policy),
                    rule: Some(name),
                    reason: format!(
                        "the peer matches but no port entry does: {}",
                        reasons.join("; ")
                    ),
                    place: self.rule_place(*rule),
                }
            }
        }
    }
}

const EMPTY_LOCATION: Location = Location {
    file: crate::source::FileId(0),
    span: crate::source::Span { start: 0, end: 0 },
};

/// `ingress[0]` / `egress[1]`.
fn rule_name(rule: RuleRef) -> String {
    format!("{}[{}]", rule.direction.field(), rule.rule)
}

fn port_mismatch(why: &PortMismatch) -> String {
    match why {
        PortMismatch::Protocol(p) => format!("is for {p}"),
        PortMismatch::Number(range) => format!("is port {range}"),
        PortMismatch::NamedPortUndefined(name) => {
            format!(
                "names port {name:?}, which the destination pod does not declare for this protocol"
            )
        }
        PortMismatch::NamedPortElsewhere(name, numbers) => {
            let numbers: Vec<String> = numbers.iter().map(u16::to_string).collect();
            format!(
                "names port {name:?}, which is {} on the destination pod",
                numbers.join(", ")
            )
        }
        PortMismatch::NamedPortNotAPod(name) => {
            format!("names port {name:?}, which only a destination pod can resolve")
        }
    }
}

impl Explanation {
    /// The explanation for people: a verdict line, then each side.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(
            out,
            "{} {} -> {} on {}/{}",
            if self.allowed { "ALLOWED" } else { "DENIED" },
            self.from.name,
            self.to.name,
            self.protocol,
            self.port
        );
        for note in &self.notes {
            let _ = writeln!(out, "  note: {note}");
        }
        for (label, side) in [("egress ", &self.egress), ("ingress", &self.ingress)] {
            let _ = writeln!(out, "  {label} {}: {}", side.verdict, side.detail);
            for policy in &side.isolated_by {
                let _ = writeln!(
                    out,
                    "    isolated by {} ({}:{}:{}){}",
                    policy.policy,
                    policy.place.file,
                    policy.place.range.start.line,
                    policy.place.range.start.column,
                    if policy.policy_types_defaulted {
                        format!(
                            ", policyTypes defaulted to [{}]",
                            policy.policy_types.join(", ")
                        )
                    } else {
                        String::new()
                    }
                );
            }
            for rule in &side.allowed_by {
                let mut parts = vec![format!("{} {}", rule.policy, rule.rule)];
                parts.extend(rule.peer.iter().map(|p| format!("peer {p}")));
                parts.extend(rule.port.iter().map(|p| format!("port {p}")));
                let _ = writeln!(
                    out,
                    "    allowed by {} ({}:{}:{})",
                    parts.join(", "),
                    rule.place.file,
                    rule.place.range.start.line,
                    rule.place.range.start.column
                );
            }
            for miss in &side.denied_because {
                let _ = writeln!(
                    out,
                    "    {}{}: {} ({}:{}:{})",
                    miss.policy,
                    miss.rule
                        .as_ref()
                        .map_or(String::new(), |r| format!(" {r}")),
                    miss.reason,
                    miss.place.file,
                    miss.place.range.start.line,
                    miss.place.range.start.column
                );
            }
        }
        out
    }
}
