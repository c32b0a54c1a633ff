//! The webhook's routers driven in-process (no socket, no TLS): every bundled review, the
//! answers to bodies that are not reviews, the limits, readiness and metrics.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::http::{Request, StatusCode};
use axum::Router;
use netward::serve::app::{admin_router, router, AppState, Limits};
use netward_core::admission::{Mode, Reviewer};
use netward_core::options::Options;
use serde_json::Value;
use tower::ServiceExt as _;

const LIMITS: Limits = Limits {
    max_body_bytes: 3 * 1024 * 1024,
    request_timeout: Duration::from_secs(10),
};

fn examples() -> Vec<(String, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/admission");
    let mut out: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read(&p).unwrap())
        })
        .collect();
    out.sort();
    assert!(out.len() >= 10, "examples missing in {}", dir.display());
    out
}

fn state(mode: Mode) -> Arc<AppState> {
    Arc::new(AppState::new(Reviewer::new(Options::default(), mode)))
}

async fn call(app: &Router, method: &str, uri: &str, body: Vec<u8>) -> (StatusCode, Vec<u8>) {
    let request = Request::builder()
        .method(method)
        .uri(uri)
        .header("content-type", "application/json")
        .body(Body::from(body))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, bytes.to_vec())
}

#[tokio::test]
async fn every_example_gets_200_and_the_library_verdict() {
    let state = state(Mode::Enforce);
    let app = router(state, LIMITS);
    let reviewer = Reviewer::new(Options::default(), Mode::Enforce);
    for (name, body) in examples() {
        let (status, answer) = call(&app, "POST", "/validate", body.clone()).await;
        assert_eq!(status, StatusCode::OK, "{name}");
        let expected = reviewer.review(&body).unwrap().to_json();
        // Compared as JSON: audit annotations are a map without a fixed order.
        let parse = |bytes: &[u8]| serde_json::from_slice::<Value>(bytes).unwrap();
        assert_eq!(parse(&answer), parse(&expected), "{name}");
    }
}

#[tokio::test]
async fn unreadable_bodies_get_400_with_the_reason() {
    let app = router(state(Mode::Enforce), LIMITS);
    let cases: [(&str, &[u8], &str); 4] = [
        ("not json", b"<xml/>", "not an AdmissionReview"),
        ("empty", b"", "not an AdmissionReview"),
        (
            "old version",
            br#"{"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{}}"#,
            "admissionReviewVersions",
        ),
        (
            "no request",
            br#"{"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"}"#,
            "has no request",
        ),
    ];
    for (what, body, says) in cases {
        let (status, answer) = call(&app, "POST", "/validate", body.to_vec()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{what}");
        let answer: Value = serde_json::from_slice(&answer).unwrap();
        let error = answer["error"].as_str().unwrap();
        assert!(error.contains(says), "{what}: {error}");
    }
}

#[tokio::test]
async fn oversized_bodies_get_413_and_other_methods_405() {
    let state = state(Mode::Enforce);
    let app = router(state.clone(), LIMITS);
    let big = vec![b' '; 4 * 1024 * 1024];
    let (status, _) = call(&app, "POST", "/validate", big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let metrics = admin_router(state.clone());
    let (_, text) = call(&metrics, "GET", "/metrics", vec![]).await;
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.contains(r#"netward_http_responses_total{code="413"} 1"#),
        "{text}"
    );
    let (status, _) = call(&app, "GET", "/validate", Vec::new()).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    let (status, _) = call(&app, "POST", "/mutate", Vec::new()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn readiness_follows_the_state_and_metrics_count_decisions() {
    let state = state(Mode::Enforce);
    let admin = admin_router(state.clone());
    let app = router(state.clone(), LIMITS);
    assert_eq!(
        call(&admin, "GET", "/livez", vec![]).await.0,
        StatusCode::OK
    );
    let (status, _) = call(&admin, "GET", "/readyz", vec![]).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    state.set_ready(true);
    assert_eq!(
        call(&admin, "GET", "/readyz", vec![]).await.0,
        StatusCode::OK
    );

    for (_, body) in examples() {
        call(&app, "POST", "/validate", body).await;
    }
    call(&app, "POST", "/validate", b"{".to_vec()).await;
    let (status, text) = call(&admin, "GET", "/metrics", vec![]).await;
    assert_eq!(status, StatusCode::OK);
    let text = String::from_utf8(text).unwrap();
    for line in [
        r#"netward_admission_reviews_total{kind="Service",operation="CREATE",decision="denied"} 2"#,
        r#"netward_admission_reviews_total{kind="Service",operation="DELETE",decision="skipped"} 1"#,
        r#"netward_admission_reviews_total{kind="other",operation="CREATE",decision="skipped"} 1"#,
        r#"netward_admission_reviews_total{kind="NetworkPolicy",operation="UPDATE",decision="warned"} 1"#,
        r#"netward_rule_findings_total{code="NW2011",severity="error"} 2"#,
        r#"netward_admission_bad_requests_total{reason="malformed"} 1"#,
        "netward_admission_review_duration_seconds_count 12",
        "netward_ready 1",
    ] {
        assert!(text.contains(line), "missing {line} in\n{text}");
    }
}

#[tokio::test]
async fn a_new_reviewer_applies_to_the_next_request() {
    let state = state(Mode::Enforce);
    let app = router(state.clone(), LIMITS);
    let body = examples()
        .into_iter()
        .find(|(name, _)| name == "service-create-denied")
        .unwrap()
        .1;
    let allowed = |answer: &[u8]| {
        let answer: Value = serde_json::from_slice(answer).unwrap();
        answer["response"]["allowed"].as_bool().unwrap()
    };
    assert!(!allowed(
        &call(&app, "POST", "/validate", body.clone()).await.1
    ));
    state.replace_reviewer(Reviewer::new(Options::default(), Mode::Warn));
    assert!(allowed(&call(&app, "POST", "/validate", body).await.1));
}
