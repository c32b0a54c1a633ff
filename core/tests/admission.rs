//! Admission reviews: the bundled AdmissionReview examples (`examples/admission/`) decided in
//! each mode, the response's shape (uid echoed, version kept, warnings within the API server's
//! limits), UPDATE ratcheting, options, and bodies that are not readable reviews.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;

use netward_core::admission::{
    Decision, Mode, RequestError, Reviewer, MAX_WARNINGS_BYTES, MAX_WARNING_BYTES,
};
use netward_core::options::Options;
use serde_json::{json, Value};

fn example(name: &str) -> Vec<u8> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../examples/admission")
        .join(format!("{name}.json"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn decide_with(options: Options, mode: Mode, body: &[u8]) -> (Decision, Value) {
    let verdict = Reviewer::new(options, mode)
        .review(body)
        .unwrap_or_else(|e| panic!("{e}"));
    let response: Value = serde_json::from_slice(&verdict.to_json()).unwrap();
    (verdict.decision, response)
}

fn decide(name: &str, mode: Mode) -> (Decision, Value) {
    decide_with(Options::default(), mode, &example(name))
}

fn warnings(response: &Value) -> Vec<String> {
    response["response"]["warnings"]
        .as_array()
        .map(|w| w.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default()
}

/// Every example with its decision in enforce mode and the codes it must mention.
const EXAMPLES: &[(&str, Decision, &[&str])] = &[
    ("service-create-allowed", Decision::Allowed, &[]),
    (
        "service-create-warned",
        Decision::Warned,
        &["NW2008", "NW2015"],
    ),
    ("service-create-denied", Decision::Denied, &["NW2011"]),
    ("service-create-dry-run", Decision::Denied, &["NW2011"]),
    ("service-create-exempted", Decision::Allowed, &[]),
    ("service-delete", Decision::Skipped, &[]),
    ("pod-create", Decision::Skipped, &[]),
    ("networkpolicy-create-denied", Decision::Denied, &["NW3003"]),
    (
        "networkpolicy-update-unchanged",
        Decision::Warned,
        &["NW3003"],
    ),
    ("networkpolicy-update-denied", Decision::Denied, &["NW3003"]),
    ("networkpolicy-create-allowed", Decision::Allowed, &[]),
    ("ingress-create-warned", Decision::Warned, &["NW4004"]),
];

#[test]
fn examples_are_decided_as_documented_and_echo_the_uid() {
    for (name, expected, codes) in EXAMPLES {
        let request: Value = serde_json::from_slice(&example(name)).unwrap();
        let (decision, response) = decide(name, Mode::Enforce);
        assert_eq!(decision, *expected, "{name}");
        assert_eq!(response["apiVersion"], "admission.k8s.io/v1", "{name}");
        assert_eq!(response["kind"], "AdmissionReview", "{name}");
        assert_eq!(
            response["response"]["uid"], request["request"]["uid"],
            "{name}"
        );
        assert!(response.get("request").is_none(), "{name}: request echoed");
        let allowed = response["response"]["allowed"].as_bool().unwrap();
        assert_eq!(allowed, *expected != Decision::Denied, "{name}");
        let text = response.to_string();
        for code in *codes {
            assert!(text.contains(code), "{name}: {code} missing in {text}");
        }
        if *expected == Decision::Denied {
            let status = &response["response"]["status"];
            assert_eq!(status["code"], 403, "{name}");
            let message = status["message"].as_str().unwrap();
            assert!(message.contains("Fix:") || message.contains("netward rules"));
            assert!(!message.contains('\n'), "{name}: {message}");
        }
        if *expected == Decision::Warned {
            assert!(!warnings(&response).is_empty(), "{name}");
        }
    }
}

#[test]
fn denial_names_rule_field_path_and_remedy() {
    let (_, response) = decide("service-create-denied", Mode::Enforce);
    let message = response["response"]["status"]["message"].as_str().unwrap();
    assert!(
        message.starts_with(
            "netward: Service shop/metadata breaks 1 rule: \
             [NW2011 external-name-points-to-metadata-service] spec.externalName: "
        ),
        "{message}"
    );
    assert!(message.contains("Fix: "), "{message}");
}

#[test]
fn warn_mode_never_denies_and_audit_mode_stays_silent() {
    for (name, expected, codes) in EXAMPLES {
        let (warned, response) = decide(name, Mode::Warn);
        assert_eq!(response["response"]["allowed"], true, "{name}");
        let audited = decide(name, Mode::Audit);
        assert_eq!(audited.1["response"]["allowed"], true, "{name}");
        assert!(warnings(&audited.1).is_empty(), "{name}: audit warned");
        match expected {
            Decision::Skipped | Decision::Allowed => {
                assert_eq!(warned, *expected, "{name}");
                assert_eq!(audited.0, *expected, "{name}");
            }
            _ => {
                assert_eq!(warned, Decision::Warned, "{name}");
                assert_eq!(audited.0, Decision::Audited, "{name}");
                let joined = warnings(&response).join(" ");
                let annotations = audited.1["response"]["auditAnnotations"].to_string();
                for code in *codes {
                    assert!(joined.contains(code), "{name}: {code} not warned");
                    assert!(annotations.contains(code), "{name}: {code} not annotated");
                }
                assert!(annotations.contains("audit/audited"), "{annotations}");
            }
        }
    }
}

#[test]
fn dry_run_is_answered_like_the_real_request() {
    let (real, real_response) = decide("service-create-denied", Mode::Enforce);
    let (dry, dry_response) = decide("service-create-dry-run", Mode::Enforce);
    assert_eq!(real, dry);
    assert_eq!(
        real_response["response"]["status"],
        dry_response["response"]["status"]
    );
}

#[test]
fn update_denies_only_what_the_change_introduces() {
    let (_, unchanged) = decide("networkpolicy-update-unchanged", Mode::Enforce);
    let warned = warnings(&unchanged);
    assert!(
        warned.iter().any(|w| w.contains("(unchanged)")),
        "{warned:?}"
    );
    let (_, introduced) = decide("networkpolicy-update-denied", Mode::Enforce);
    assert_eq!(introduced["response"]["allowed"], false);
}

#[test]
fn options_exempt_namespaces_and_override_severities() {
    let exempt = Options::parse(
        "options.yaml",
        "exemptions:\n  - namespace: shop\n    rules: [NW2011]\n    reason: shop owns its metadata proxy\n",
    )
    .unwrap();
    let (decision, _) = decide_with(exempt, Mode::Enforce, &example("service-create-denied"));
    assert_eq!(decision, Decision::Allowed);

    let strict = Options::parse("options.yaml", "severity:\n  NW2015: error\n").unwrap();
    let (decision, response) =
        decide_with(strict, Mode::Enforce, &example("service-create-warned"));
    assert_eq!(decision, Decision::Denied);
    // The rest of the findings still reach the user as warnings.
    assert!(warnings(&response).iter().any(|w| w.contains("NW2008")));

    // A profile in the options file cannot widen admission to workspace rules.
    let workspace = Options::parse("options.yaml", "profile: workspace\n").unwrap();
    let reviewer = Reviewer::new(workspace, Mode::Enforce);
    assert_eq!(
        reviewer.options().profile,
        netward_core::options::Profile::Admission
    );
}

/// A LoadBalancer Service exposing many sensitive ports: far more warning text than the API
/// server accepts.
fn noisy_review() -> Vec<u8> {
    let ports: Vec<Value> = (0..60)
        .map(|i| {
            let sensitive = [22, 23, 2375, 3306, 5432, 6379][i % 6];
            json!({"name": format!("p{i}"), "port": sensitive + 10000 * (i / 6),
                   "protocol": "TCP", "targetPort": 8000 + i})
        })
        .collect();
    let external_ips: Vec<String> = (1..=60).map(|i| format!("203.0.{i}.10")).collect();
    serde_json::to_vec(&json!({
        "apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview",
        "request": {
            "uid": "noisy", "kind": {"group": "", "version": "v1", "kind": "Service"},
            "resource": {"group": "", "version": "v1", "resource": "services"},
            "name": "everything", "namespace": "ops", "operation": "CREATE",
            "userInfo": {"username": "bob"},
            "object": {"apiVersion": "v1", "kind": "Service",
                "metadata": {"name": "everything", "namespace": "ops",
                             "annotations": {"note": "line one\nline two\u{7}"}},
                "spec": {"type": "LoadBalancer", "selector": {"app": "ops"}, "ports": ports,
                         "externalIPs": external_ips}}
        }
    }))
    .unwrap()
}

#[test]
fn warnings_respect_the_api_server_limits() {
    for mode in [Mode::Enforce, Mode::Warn] {
        let (_, response) = decide_with(Options::default(), mode, &noisy_review());
        let warned = warnings(&response);
        assert!(warned.len() > 5, "{warned:?}");
        let total: usize = warned.iter().map(String::len).sum();
        assert!(total <= MAX_WARNINGS_BYTES, "{total} bytes of warnings");
        for warning in &warned {
            assert!(warning.len() <= MAX_WARNING_BYTES, "{warning}");
            assert!(!warning.chars().any(char::is_control), "{warning:?}");
        }
        let last = warned.last().unwrap();
        assert!(last.contains("more finding"), "{last}");
    }
}

fn error_of(body: &[u8]) -> RequestError {
    match Reviewer::new(Options::default(), Mode::Enforce).review(body) {
        Ok(verdict) => panic!("accepted: {:?}", verdict.decision),
        Err(error) => error,
    }
}

#[test]
fn unreadable_reviews_are_errors_with_clear_messages() {
    let not_json = error_of(b"{\"apiVersion\": \"admission.k8s.io/v1\",");
    assert_eq!(not_json.reason(), "malformed");
    assert!(not_json.to_string().contains("line 1"), "{not_json}");

    let mut review: Value = serde_json::from_slice(&example("service-create-denied")).unwrap();
    review["apiVersion"] = json!("admission.k8s.io/v1beta1");
    let old = error_of(&serde_json::to_vec(&review).unwrap());
    assert_eq!(old.reason(), "unsupported_version");
    assert!(old.to_string().contains("admissionReviewVersions"), "{old}");

    let bare = error_of(br#"{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview"}"#);
    assert_eq!(bare, RequestError::MissingRequest);

    let mut review: Value = serde_json::from_slice(&example("service-create-denied")).unwrap();
    review["request"]["uid"] = json!("");
    assert_eq!(
        error_of(&serde_json::to_vec(&review).unwrap()),
        RequestError::MissingUid
    );
    review["request"].as_object_mut().unwrap().remove("uid");
    let no_uid = error_of(&serde_json::to_vec(&review).unwrap());
    assert!(no_uid.to_string().contains("uid"), "{no_uid}");

    let mut review: Value = serde_json::from_slice(&example("service-create-denied")).unwrap();
    review["request"]["object"] = Value::Null;
    let missing = error_of(&serde_json::to_vec(&review).unwrap());
    assert_eq!(
        missing,
        RequestError::MissingObject {
            operation: "CREATE"
        }
    );

    review["request"]["object"] = json!("a string, not an object");
    assert_eq!(
        error_of(&serde_json::to_vec(&review).unwrap()).reason(),
        "malformed"
    );
}

#[test]
fn hostile_bodies_are_refused_without_panicking() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert_eq!(error_of(deep.as_bytes()).reason(), "malformed");
    let mut review: Value = serde_json::from_slice(&example("service-create-allowed")).unwrap();
    let mut nested = json!("leaf");
    for _ in 0..100 {
        nested = json!({ "a": nested });
    }
    review["request"]["object"]["metadata"]["annotations"] = json!({"deep": nested.to_string()});
    review["request"]["object"]["spec"]["extra"] = nested;
    // Deep but within serde's limit: decoded, and the unknown field is reported by validation.
    let verdict = Reviewer::new(Options::default(), Mode::Enforce)
        .review(&serde_json::to_vec(&review).unwrap())
        .unwrap();
    assert_eq!(verdict.decision, Decision::Denied);
    assert!(verdict
        .findings
        .iter()
        .any(|f| f.path.starts_with("spec.extra")));
    assert_eq!(error_of(&[0xff, 0xfe, 0x00]).reason(), "malformed");
    assert_eq!(error_of(b"").reason(), "malformed");
}

#[test]
fn an_object_without_type_or_namespace_takes_them_from_the_request() {
    let mut review: Value = serde_json::from_slice(&example("service-create-denied")).unwrap();
    let object = review["request"]["object"].as_object_mut().unwrap();
    object.remove("apiVersion");
    object.remove("kind");
    object["metadata"]
        .as_object_mut()
        .unwrap()
        .remove("namespace");
    let verdict = Reviewer::new(Options::default(), Mode::Enforce)
        .review(&serde_json::to_vec(&review).unwrap())
        .unwrap();
    assert_eq!(verdict.decision, Decision::Denied);
    let response: Value = serde_json::from_slice(&verdict.to_json()).unwrap();
    let message = response["response"]["status"]["message"].as_str().unwrap();
    assert!(
        message.contains("ExternalName Service shop/metadata"),
        "{message}"
    );
}

#[test]
fn an_object_with_too_many_values_is_denied_without_being_read_twice() {
    let mut review: Value = serde_json::from_slice(&example("service-create-allowed")).unwrap();
    let labels: serde_json::Map<String, Value> = (0..150_000)
        .map(|i| (format!("k{i}"), Value::from("v")))
        .collect();
    review["request"]["object"]["metadata"]["annotations"] = Value::Object(labels);
    let verdict = Reviewer::new(Options::default(), Mode::Enforce)
        .review(&serde_json::to_vec(&review).unwrap())
        .unwrap();
    assert_eq!(verdict.decision, Decision::Denied);
    assert!(
        verdict
            .findings
            .iter()
            .any(|f| f.message.contains("more than 100000 values")),
        "{:?}",
        verdict.findings
    );
}
