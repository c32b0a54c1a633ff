//! The webhook's Prometheus metrics (served on the admin port at `/metrics`).

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{exponential_buckets, Histogram};
use prometheus_client::registry::{Registry, Unit};

use netward_core::admission::Verdict;

/// Labels of a decided review. Every value comes from a closed set, so a client sending odd
/// kinds cannot blow up the number of series.
#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReviewLabels {
    kind: &'static str,
    operation: &'static str,
    decision: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct FindingLabels {
    code: &'static str,
    severity: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReasonLabels {
    reason: &'static str,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabels {
    code: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReloadLabels {
    what: &'static str,
    result: &'static str,
}

/// Every metric, registered once.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    reviews: Family<ReviewLabels, Counter>,
    duration: Histogram,
    findings: Family<FindingLabels, Counter>,
    rejected: Family<ReasonLabels, Counter>,
    responses: Family<StatusLabels, Counter>,
    reloads: Family<ReloadLabels, Counter>,
    ready: Gauge,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// A fresh registry.
    pub fn new() -> Self {
        let mut registry = Registry::with_prefix("netward");
        let reviews = Family::<ReviewLabels, Counter>::default();
        registry.register(
            "admission_reviews",
            "AdmissionReviews answered, by kind, operation and decision",
            reviews.clone(),
        );
        // 25 µs to ~0.8 s.
        let duration = Histogram::new(exponential_buckets(0.000_025, 2.0, 16));
        registry.register_with_unit(
            "admission_review_duration",
            "Time to read, decide and encode one AdmissionReview",
            Unit::Seconds,
            duration.clone(),
        );
        let findings = Family::<FindingLabels, Counter>::default();
        registry.register(
            "rule_findings",
            "Findings reported in reviews, by rule code and severity",
            findings.clone(),
        );
        let rejected = Family::<ReasonLabels, Counter>::default();
        registry.register(
            "admission_bad_requests",
            "Request bodies that were not a readable AdmissionReview (HTTP 400), by reason",
            rejected.clone(),
        );
        let responses = Family::<StatusLabels, Counter>::default();
        registry.register(
            "http_responses",
            "Answers of the webhook port by HTTP status (413: body too large, 408: too slow)",
            responses.clone(),
        );
        let reloads = Family::<ReloadLabels, Counter>::default();
        registry.register(
            "reloads",
            "Reloads of the TLS material and the options file, by result",
            reloads.clone(),
        );
        let ready = Gauge::default();
        registry.register(
            "ready",
            "1 when the webhook serves (TLS and options loaded), 0 otherwise",
            ready.clone(),
        );
        Self {
            registry,
            reviews,
            duration,
            findings,
            rejected,
            responses,
            reloads,
            ready,
        }
    }

    /// Counts a decided review and its findings.
    pub fn review(&self, verdict: &Verdict, seconds: f64) {
        let kind = match verdict.subject.kind.as_str() {
            "Service" => "Service",
            "NetworkPolicy" => "NetworkPolicy",
            "Ingress" => "Ingress",
            _ => "other",
        };
        self.reviews
            .get_or_create(&ReviewLabels {
                kind,
                operation: verdict.subject.operation,
                decision: verdict.decision.as_str(),
            })
            .inc();
        self.duration.observe(seconds);
        for finding in &verdict.findings {
            self.findings
                .get_or_create(&FindingLabels {
                    code: finding.code,
                    severity: finding.severity.as_str(),
                })
                .inc();
        }
    }

    /// Counts a body that was not a readable review.
    pub fn bad_request(&self, reason: &'static str) {
        self.rejected.get_or_create(&ReasonLabels { reason }).inc();
    }

    /// Counts an answer of the webhook port.
    pub fn response(&self, code: u16) {
        self.responses.get_or_create(&StatusLabels { code }).inc();
    }

    /// Counts a reload of `what` (`tls`, `options`) that succeeded or failed.
    pub fn reload(&self, what: &'static str, ok: bool) {
        let result = if ok { "ok" } else { "error" };
        self.reloads
            .get_or_create(&ReloadLabels { what, result })
            .inc();
    }

    /// Sets the readiness gauge.
    pub fn set_ready(&self, ready: bool) {
        self.ready.set(i64::from(ready));
    }

    /// The Prometheus text exposition.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}
