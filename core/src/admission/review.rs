//! The AdmissionReview envelope: reads one `admission.k8s.io/v1` AdmissionReview, checks
//! CREATE and UPDATE of Services, NetworkPolicies and Ingresses (ratcheting UPDATE against the
//! old object), and builds the AdmissionReview to answer with kube-core's types. The decision
//! and its texts come from [`super::outcome`].

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use kube_core::admission::{AdmissionResponse, AdmissionReview, Operation};
use kube_core::response::Status;
use kube_core::{DynamicObject, GroupVersionKind, TypeMeta};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use super::outcome::{
    decide, is_reviewed_kind, object_findings, object_workspace, Decision, Finding, Mode,
};
use crate::options::{Options, Profile};
use crate::source::Node;
use crate::workspace::Workspace;

/// The only AdmissionReview version netward speaks.
pub const ADMISSION_API_VERSION: &str = "admission.k8s.io/v1";
/// The parts of an AdmissionReview netward reads. kube-core's `AdmissionReview<DynamicObject>`
/// decodes the whole object into a generic value (and its metadata into typed fields) before
/// anything is checked, which cost more than the decision itself (BENCHMARKS.md); this view
/// borrows the object as JSON text for the engine's own reader and keeps kube-core's types for
/// the request's kind and operation, and for the response.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ReviewView<'a> {
    #[serde(default)]
    api_version: String,
    #[serde(default)]
    kind: String,
    #[serde(borrow, default)]
    request: Option<RequestView<'a>>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RequestView<'a> {
    uid: String,
    kind: GroupVersionKind,
    #[serde(default)]
    sub_resource: Option<String>,
    #[serde(default)]
    name: String,
    #[serde(default)]
    namespace: Option<String>,
    operation: Operation,
    #[serde(default)]
    dry_run: bool,
    #[serde(borrow, default)]
    object: Option<&'a RawValue>,
    #[serde(borrow, default)]
    old_object: Option<&'a RawValue>,
}

impl RequestView<'_> {
    /// Whether this is a CREATE or UPDATE of a reviewed kind (not a sub-resource).
    fn is_reviewed(&self) -> bool {
        matches!(self.operation, Operation::Create | Operation::Update)
            && self.sub_resource.as_deref().unwrap_or("").is_empty()
            && is_reviewed_kind(&self.kind.group, &self.kind.version, &self.kind.kind)
    }
}

/// Which object a review was about (for logs and metrics; never the object itself).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Subject {
    /// The request's uid, echoed in the response.
    pub uid: String,
    /// The request's kind (`Service`, `NetworkPolicy`, …).
    pub kind: String,
    /// Its API group (empty for the core group).
    pub group: String,
    /// Its API version.
    pub version: String,
    /// The namespace, when the object has one.
    pub namespace: Option<String>,
    /// The name (empty on CREATE with `generateName`).
    pub name: String,
    /// `CREATE`, `UPDATE`, `DELETE` or `CONNECT`.
    pub operation: &'static str,
    /// The sub-resource (`status`, …), if any.
    pub sub_resource: Option<String>,
    /// Whether the request is a dry run.
    pub dry_run: bool,
}

/// The result of a review that could be read.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// Which object it was about.
    pub subject: Subject,
    /// What was decided.
    pub decision: Decision,
    /// Every error and warning finding (info findings are left out at admission).
    pub findings: Vec<Finding>,
    /// The AdmissionReview to answer with HTTP 200.
    pub response: AdmissionReview<DynamicObject>,
}

impl Verdict {
    /// The response body.
    pub fn to_json(&self) -> Vec<u8> {
        serde_json::to_vec(&self.response).unwrap_or_default()
    }
}

/// A request body that is not a readable AdmissionReview (answered with HTTP 400).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RequestError {
    /// Not JSON, or JSON of the wrong shape (with serde's line and column).
    Malformed(String),
    /// An AdmissionReview of another version, or another kind of object.
    UnsupportedVersion {
        /// The `apiVersion` sent.
        api_version: String,
        /// The `kind` sent.
        kind: String,
    },
    /// No `request` in the review.
    MissingRequest,
    /// An empty `request.uid`: the answer could not be correlated.
    MissingUid,
    /// CREATE or UPDATE without `request.object`.
    MissingObject {
        /// The operation.
        operation: &'static str,
    },
}

impl RequestError {
    /// A short machine-readable reason, for metrics.
    pub fn reason(&self) -> &'static str {
        match self {
            RequestError::Malformed(_) => "malformed",
            RequestError::UnsupportedVersion { .. } => "unsupported_version",
            RequestError::MissingRequest => "missing_request",
            RequestError::MissingUid => "missing_uid",
            RequestError::MissingObject { .. } => "missing_object",
        }
    }
}

impl fmt::Display for RequestError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RequestError::Malformed(detail) => {
                write!(f, "the body is not an AdmissionReview: {detail}")
            }
            RequestError::UnsupportedVersion { api_version, kind } => write!(
                f,
                "expected an AdmissionReview of apiVersion {ADMISSION_API_VERSION}, got kind {kind:?} \
                 of apiVersion {api_version:?} (set admissionReviewVersions: [\"v1\"] in the \
                 webhook configuration)"
            ),
            RequestError::MissingRequest => write!(f, "the AdmissionReview has no request"),
            RequestError::MissingUid => write!(f, "request.uid is empty"),
            RequestError::MissingObject { operation } => {
                write!(f, "a {operation} request must carry request.object")
            }
        }
    }
}

impl std::error::Error for RequestError {}

/// Reviews AdmissionReviews with one set of options and a mode.
#[derive(Debug, Clone)]
pub struct Reviewer {
    options: Options,
    mode: Mode,
}

impl Reviewer {
    /// A reviewer for `options` (its profile is forced to `admission`) in `mode`.
    pub fn new(mut options: Options, mode: Mode) -> Self {
        options.profile = Profile::Admission;
        Self { options, mode }
    }

    /// The mode.
    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The options in force (profile `admission`).
    pub fn options(&self) -> &Options {
        &self.options
    }

    /// Reads one AdmissionReview and decides it.
    pub fn review(&self, body: &[u8]) -> Result<Verdict, RequestError> {
        let review: ReviewView<'_> =
            serde_json::from_slice(body).map_err(|e| envelope_error(body, e))?;
        check_envelope(&review.api_version, &review.kind)?;
        let request = review.request.ok_or(RequestError::MissingRequest)?;
        if request.uid.is_empty() {
            return Err(RequestError::MissingUid);
        }
        let subject = subject_of(&request);
        let response = allowing_response(&request.uid);
        if !request.is_reviewed() {
            return Ok(self.verdict(subject, None, response));
        }
        let object = request.object.ok_or(RequestError::MissingObject {
            operation: subject.operation,
        })?;
        for (field, value) in [("object", Some(object)), ("oldObject", request.old_object)] {
            if value.is_some_and(|v| !v.get().starts_with('{')) {
                return Err(RequestError::Malformed(format!(
                    "request.{field} is not a JSON object"
                )));
            }
        }
        let mut findings = self.findings(object, &request);
        if let (Operation::Update, Some(old)) = (&request.operation, request.old_object) {
            let before: HashSet<(&str, String)> = self
                .findings(old, &request)
                .into_iter()
                .map(|f| (f.code, f.path))
                .collect();
            for finding in &mut findings {
                finding.unchanged = before.contains(&(finding.code, finding.path.clone()));
            }
        }
        Ok(self.verdict(subject, Some(findings), response))
    }

    /// The error and warning findings of one object of the request.
    fn findings(&self, object: &RawValue, request: &RequestView<'_>) -> Vec<Finding> {
        let mut workspace = object_workspace(object.get());
        let mut options = Cow::Borrowed(&self.options);
        let (untyped, unnamespaced) = root_of(&workspace).map_or((false, false), |root| {
            let namespace = root.get("metadata").and_then(|m| m.get("namespace"));
            (
                root.get("apiVersion").is_none() || root.get("kind").is_none(),
                namespace.is_none(),
            )
        });
        if untyped {
            workspace = object_workspace(&with_type(object, &request.kind));
        }
        if let (true, Some(ns)) = (unnamespaced, &request.namespace) {
            options.to_mut().reach.default_namespace = ns.clone();
        }
        object_findings(&workspace, &options)
    }

    /// The verdict on the findings (`None`: the request is not reviewed).
    fn verdict(
        &self,
        subject: Subject,
        findings: Option<Vec<Finding>>,
        mut response: AdmissionResponse,
    ) -> Verdict {
        let outcome = decide(self.mode, &object_label(&subject), findings.as_deref());
        response.allowed = outcome.allowed;
        if let Some(denial) = &outcome.denial {
            response.result =
                Status::failure(&denial.message, denial.reason).with_code(denial.code);
        }
        if !outcome.warnings.is_empty() {
            response.warnings = Some(outcome.warnings);
        }
        if !outcome.audit_annotations.is_empty() {
            response.audit_annotations = outcome.audit_annotations.into_iter().collect();
        }
        Verdict {
            subject,
            decision: outcome.decision,
            findings: findings.unwrap_or_default(),
            response: response.into_review(),
        }
    }
}

/// `Service shop/web`, as the denial message names the object.
fn object_label(subject: &Subject) -> String {
    match &subject.namespace {
        Some(ns) => format!("{} {ns}/{}", subject.kind, subject.name),
        None => format!("{} {}", subject.kind, subject.name),
    }
}

/// `UnsupportedVersion` unless the review is an `admission.k8s.io/v1` AdmissionReview.
fn check_envelope(api_version: &str, kind: &str) -> Result<(), RequestError> {
    if api_version == ADMISSION_API_VERSION && kind == "AdmissionReview" {
        Ok(())
    } else {
        Err(RequestError::UnsupportedVersion {
            api_version: api_version.to_owned(),
            kind: kind.to_owned(),
        })
    }
}

/// Why a body did not decode: another version or kind of review (whose request may have
/// another shape) says so; anything else is malformed.
fn envelope_error(body: &[u8], error: serde_json::Error) -> RequestError {
    #[derive(Deserialize)]
    #[serde(rename_all = "camelCase")]
    struct Envelope {
        #[serde(default)]
        api_version: String,
        #[serde(default)]
        kind: String,
    }
    match serde_json::from_slice::<Envelope>(body) {
        Ok(envelope) => check_envelope(&envelope.api_version, &envelope.kind)
            .err()
            .unwrap_or_else(|| RequestError::Malformed(error.to_string())),
        Err(_) => RequestError::Malformed(error.to_string()),
    }
}

/// The request's identity.
fn subject_of(request: &RequestView<'_>) -> Subject {
    Subject {
        uid: request.uid.clone(),
        kind: request.kind.kind.clone(),
        group: request.kind.group.clone(),
        version: request.kind.version.clone(),
        namespace: request.namespace.clone().filter(|ns| !ns.is_empty()),
        name: request.name.clone(),
        operation: match request.operation {
            Operation::Create => "CREATE",
            Operation::Update => "UPDATE",
            Operation::Delete => "DELETE",
            Operation::Connect => "CONNECT",
        },
        sub_resource: request.sub_resource.clone().filter(|s| !s.is_empty()),
        dry_run: request.dry_run,
    }
}

/// The root of the workspace's only document, if it parsed.
fn root_of(workspace: &Workspace) -> Option<&Node> {
    workspace
        .files()
        .first()
        .and_then(|f| f.documents.first())
        .map(|d| &d.root)
}

/// The object with `apiVersion` and `kind` taken from the request (the API server always
/// sends them; a hand-made review may not).
fn with_type(object: &RawValue, kind: &GroupVersionKind) -> String {
    let mut value: serde_json::Value = serde_json::from_str(object.get()).unwrap_or_default();
    if let Some(map) = value.as_object_mut() {
        let api_version = if kind.group.is_empty() {
            kind.version.clone()
        } else {
            format!("{}/{}", kind.group, kind.version)
        };
        map.entry("apiVersion").or_insert(api_version.into());
        map.entry("kind").or_insert(kind.kind.clone().into());
    }
    value.to_string()
}

/// An allowing response to the request `uid`, to be turned into a denial or given warnings.
/// (kube-core builds responses from its own request type only, which this module does not
/// decode; `invalid` is its one constructor without one.)
fn allowing_response(uid: &str) -> AdmissionResponse {
    let mut response = AdmissionResponse::invalid("");
    response.types = TypeMeta {
        api_version: ADMISSION_API_VERSION.to_owned(),
        kind: "AdmissionReview".to_owned(),
    };
    response.uid = uid.to_owned();
    response.allowed = true;
    response.result = Status::default();
    response
}
