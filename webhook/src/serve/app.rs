//! The webhook's routers: `POST /validate` on the TLS port, and the admin port's `/livez`,
//! `/readyz` and `/metrics`. Built by functions so tests drive them without a socket.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use arc_swap::ArcSwap;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use netward_core::admission::{Reviewer, Verdict};

use super::metrics::Metrics;

/// What the handlers share.
#[derive(Debug)]
pub struct AppState {
    reviewer: ArcSwap<Reviewer>,
    metrics: Metrics,
    ready: AtomicBool,
    constant_allow: bool,
}

impl AppState {
    /// State deciding with `reviewer`; not ready until [`AppState::set_ready`].
    pub fn new(reviewer: Reviewer) -> Self {
        Self {
            reviewer: ArcSwap::from_pointee(reviewer),
            metrics: Metrics::new(),
            ready: AtomicBool::new(false),
            constant_allow: false,
        }
    }

    /// The benchmark baseline: answer every request with a constant `allowed: true` after
    /// reading its body, without deciding anything (`netward serve --constant-allow`, hidden).
    #[must_use]
    pub fn answering_constant_allow(mut self) -> Self {
        self.constant_allow = true;
        self
    }

    /// Replaces the reviewer (new options) for the requests that follow.
    pub fn replace_reviewer(&self, reviewer: Reviewer) {
        self.reviewer.store(Arc::new(reviewer));
    }

    /// The metrics.
    pub fn metrics(&self) -> &Metrics {
        &self.metrics
    }

    /// Marks the server ready (or not) for `/readyz`.
    pub fn set_ready(&self, ready: bool) {
        self.ready.store(ready, Ordering::SeqCst);
        self.metrics.set_ready(ready);
    }
}

/// Limits of the TLS port.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest request body accepted (larger: HTTP 413).
    pub max_body_bytes: usize,
    /// Longest a request may take, body included (longer: HTTP 408).
    pub request_timeout: Duration,
}

/// `POST /validate`.
pub fn router(state: Arc<AppState>, limits: Limits) -> Router {
    Router::new()
        .route("/validate", post(validate))
        // The limit layer refuses an announced Content-Length over the limit before reading
        // the body (and counts the bytes of a chunked one); axum's own limit is then moot.
        .layer(DefaultBodyLimit::disable())
        .layer(RequestBodyLimitLayer::new(limits.max_body_bytes))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request_timeout,
        ))
        .layer(CatchPanicLayer::new())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            count_responses,
        ))
        .with_state(state)
}

/// Counts every answer of the TLS port by HTTP status, including the ones the layers give
/// before the handler runs (413, 408, 500).
async fn count_responses(
    State(state): State<Arc<AppState>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let response = next.run(request).await;
    state.metrics.response(response.status().as_u16());
    response
}

/// `/livez`, `/readyz`, `/metrics` (plain HTTP, admin port).
pub fn admin_router(state: Arc<AppState>) -> Router {
    Router::new()
        .route("/livez", get(|| async { "ok\n" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .with_state(state)
}

const CONSTANT_ALLOW: &[u8] =
    br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","response":{"uid":"","allowed":true}}"#;

async fn validate(State(state): State<Arc<AppState>>, body: Bytes) -> Response {
    let started = Instant::now();
    if state.constant_allow {
        return json(StatusCode::OK, CONSTANT_ALLOW.to_vec());
    }
    let reviewer = state.reviewer.load();
    let decide = || reviewer.review(&body);
    let decided = if body.len() > LARGE_BODY_BYTES {
        cpu_bound(decide)
    } else {
        decide()
    };
    match decided {
        Ok(verdict) => {
            let answer = verdict.to_json();
            let elapsed = started.elapsed();
            state.metrics.review(&verdict, elapsed.as_secs_f64());
            log_verdict(&verdict, reviewer.mode().as_str(), elapsed);
            json(StatusCode::OK, answer)
        }
        Err(error) => {
            state.metrics.bad_request(error.reason());
            tracing::warn!(
                reason = error.reason(),
                error = %error,
                bytes = body.len(),
                "request is not a readable AdmissionReview"
            );
            let answer = serde_json::json!({ "error": error.to_string() });
            json(
                StatusCode::BAD_REQUEST,
                serde_json::to_vec(&answer).unwrap_or_default(),
            )
        }
    }
}

/// Bodies above this size are decided with [`cpu_bound`]. Smaller ones take tens of
/// microseconds: handing the worker over for each would cost more than it saves (measured: half
/// the throughput, and hundreds of MB of thread stacks under load).
const LARGE_BODY_BYTES: usize = 64 * 1024;

/// Runs long CPU work from a handler. On a multi-threaded runtime (the server's) the runtime is
/// told, so this worker's other tasks (connections, the admin port) move to another thread
/// meanwhile instead of waiting behind a large object; elsewhere (a test's single thread) it
/// just runs.
fn cpu_bound<T>(work: impl FnOnce() -> T) -> T {
    let multi_threaded = tokio::runtime::Handle::try_current()
        .is_ok_and(|h| h.runtime_flavor() == tokio::runtime::RuntimeFlavor::MultiThread);
    if multi_threaded {
        tokio::task::block_in_place(work)
    } else {
        work()
    }
}

/// One log line per review: who, what, the decision and the time; never the object.
fn log_verdict(verdict: &Verdict, mode: &str, elapsed: Duration) {
    let subject = &verdict.subject;
    let findings: Vec<&str> = verdict.findings.iter().map(|f| f.code).collect();
    // Plain `&str` fields: the JSON formatter writes them directly, where `%` would go through
    // a `Debug` adapter for each.
    tracing::info!(
        uid = subject.uid.as_str(),
        kind = subject.kind.as_str(),
        namespace = subject.namespace.as_deref().unwrap_or(""),
        name = subject.name.as_str(),
        operation = subject.operation,
        dry_run = subject.dry_run,
        decision = verdict.decision.as_str(),
        mode,
        findings = findings.join(",").as_str(),
        duration_us = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX),
        "admission review"
    );
}

fn json(status: StatusCode, body: Vec<u8>) -> Response {
    (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
}

async fn readyz(State(state): State<Arc<AppState>>) -> Response {
    if state.ready.load(Ordering::SeqCst) {
        (StatusCode::OK, "ok\n").into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not ready\n").into_response()
    }
}

async fn metrics(State(state): State<Arc<AppState>>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        state.metrics.encode(),
    )
        .into_response()
}
