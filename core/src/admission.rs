//! Admission review: the decision for one `admission.k8s.io/v1` AdmissionReview.
//!
//! Pure: the webhook (`netward serve`) is transport around [`Reviewer::review`], which reads
//! the request body, checks CREATE and UPDATE of Services, NetworkPolicies and Ingresses with
//! the `admission` profile (single-object rules, no allocator pre-checks), and builds the
//! AdmissionReview to answer. The verdict is the CLI's verdict on the same object:
//! `netward check --profile admission` finds exactly what this module finds.
//!
//! What reaches a validating webhook is the object after the API server's defaulting and
//! allocation, so rules about fields the author leaves out (a port without `protocol`, a policy
//! without `policyTypes`) see the defaulted value, and rules about allocated fields are left out
//! by their scope ([`crate::rules::Scope::Manifest`]).

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use std::borrow::Cow;

use kube_core::admission::{AdmissionResponse, AdmissionReview, Operation};
use kube_core::response::Status;
use kube_core::{DynamicObject, GroupVersionKind, TypeMeta};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;

use crate::diagnostic::{Diagnostic, Severity};
use crate::lint;
use crate::options::{Options, Profile};
use crate::source::{LoadLimits, Node};
use crate::workspace::Workspace;

/// The only AdmissionReview version netward speaks.
pub const ADMISSION_API_VERSION: &str = "admission.k8s.io/v1";
/// The longest warning, in bytes: the API server truncates longer ones.
pub const MAX_WARNING_BYTES: usize = 255;
/// The longest all warnings may be together, in bytes.
pub const MAX_WARNINGS_BYTES: usize = 4095;
/// The longest denial message, in bytes (the rest is summarised).
const MAX_DENIAL_BYTES: usize = 8192;

/// The kinds netward reviews, as (group, version, kind) of the request.
const REVIEWED_KINDS: &[(&str, &str, &str)] = &[
    ("", "v1", "Service"),
    ("networking.k8s.io", "v1", "NetworkPolicy"),
    ("networking.k8s.io", "v1", "Ingress"),
];

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
            && REVIEWED_KINDS.iter().any(|(group, version, kind)| {
                self.kind.group == *group
                    && self.kind.version == *version
                    && self.kind.kind == *kind
            })
    }
}

/// What the webhook does with findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Error findings deny the request; warning findings become API warnings.
    #[default]
    Enforce,
    /// Never deny: every finding becomes an API warning.
    Warn,
    /// Never deny nor warn: findings are only logged, counted and put in audit annotations.
    Audit,
}

impl Mode {
    /// The lower-case name (`enforce`, `warn`, `audit`).
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Enforce => "enforce",
            Mode::Warn => "warn",
            Mode::Audit => "audit",
        }
    }
}

/// The outcome of one review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    /// Not something netward reviews (another kind, DELETE, CONNECT, a sub-resource): allowed.
    Skipped,
    /// Reviewed, nothing to report: allowed.
    Allowed,
    /// Allowed with warnings.
    Warned,
    /// Denied (enforce mode, at least one new error finding).
    Denied,
    /// Audit mode: allowed silently although there are findings.
    Audited,
}

impl Decision {
    /// The lower-case name, as used in logs and metrics.
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Skipped => "skipped",
            Decision::Allowed => "allowed",
            Decision::Warned => "warned",
            Decision::Denied => "denied",
            Decision::Audited => "audited",
        }
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

/// One finding as the webhook reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Finding {
    /// The rule's code.
    pub code: &'static str,
    /// The rule's name.
    pub name: &'static str,
    /// The severity after the options' overrides.
    pub severity: Severity,
    /// The Kubernetes field path (`spec.ports[0].targetPort`).
    pub path: String,
    /// What is wrong.
    pub message: String,
    /// What to do, when the rule says.
    pub remedy: Option<String>,
    /// On UPDATE: the old object had the same finding, so it does not deny.
    pub unchanged: bool,
}

impl Finding {
    fn from_diagnostic(diagnostic: Diagnostic) -> Self {
        let remedy = diagnostic
            .help
            .or_else(|| diagnostic.fix.map(|fix| fix.title));
        Self {
            code: diagnostic.rule.code,
            name: diagnostic.rule.name,
            severity: diagnostic.severity,
            path: diagnostic
                .path
                .map(|p| p.to_string())
                .unwrap_or_else(|| "metadata".to_owned()),
            message: diagnostic.message,
            remedy,
            unchanged: false,
        }
    }

    /// `[CODE name] path: message`, on one line.
    fn headline(&self) -> String {
        let unchanged = if self.unchanged { " (unchanged)" } else { "" };
        one_line(&format!(
            "[{} {}]{unchanged} {}: {}",
            self.code, self.name, self.path, self.message
        ))
    }
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
        lint::check(&workspace, &options)
            .into_iter()
            .filter(|d| d.severity != Severity::Info)
            .map(Finding::from_diagnostic)
            .collect()
    }

    /// The verdict on the findings (`None`: the request is not reviewed).
    fn verdict(
        &self,
        subject: Subject,
        findings: Option<Vec<Finding>>,
        mut response: AdmissionResponse,
    ) -> Verdict {
        let denying = |f: &&Finding| f.severity == Severity::Error && !f.unchanged;
        let reviewed = findings.is_some();
        let findings = findings.unwrap_or_default();
        let decision = if !reviewed {
            Decision::Skipped
        } else if findings.is_empty() {
            Decision::Allowed
        } else {
            match self.mode {
                Mode::Enforce if findings.iter().any(|f| denying(&f)) => Decision::Denied,
                Mode::Enforce | Mode::Warn => Decision::Warned,
                Mode::Audit => Decision::Audited,
            }
        };
        if decision == Decision::Denied {
            let blocking: Vec<&Finding> = findings.iter().filter(denying).collect();
            response.allowed = false;
            response.result =
                Status::failure(&denial_message(&subject, &blocking), "Forbidden").with_code(403);
            let rest: Vec<&Finding> = findings.iter().filter(|f| !denying(f)).collect();
            response.warnings = warnings(&rest);
        } else if matches!(decision, Decision::Warned) {
            let all: Vec<&Finding> = findings.iter().collect();
            response.warnings = warnings(&all);
        }
        if !findings.is_empty() {
            response.audit_annotations = audit_annotations(&findings, self.mode, decision);
        }
        Verdict {
            subject,
            decision,
            findings,
            response: response.into_review(),
        }
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

/// The most values an admitted object may hold. The API server's 3 MiB request limit allows
/// about a million; no real Service, NetworkPolicy or Ingress comes near this, and the bound
/// keeps one hostile review's tree within a few megabytes.
const MAX_OBJECT_VALUES: usize = 100_000;

/// A workspace holding one object's JSON.
fn object_workspace(json: &str) -> Workspace {
    let mut workspace = Workspace::new(LoadLimits {
        max_nodes: MAX_OBJECT_VALUES,
        ..LoadLimits::default()
    });
    workspace.add_file("request.object.json", json.as_bytes());
    workspace
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

/// The denial message: every blocking finding with what to do, on one line.
fn denial_message(subject: &Subject, blocking: &[&Finding]) -> String {
    let object = match &subject.namespace {
        Some(ns) => format!("{} {ns}/{}", subject.kind, subject.name),
        None => format!("{} {}", subject.kind, subject.name),
    };
    let mut message = format!(
        "netward: {object} breaks {} rule{}:",
        blocking.len(),
        if blocking.len() == 1 { "" } else { "s" }
    );
    for (shown, finding) in blocking.iter().enumerate() {
        let mut entry = format!(" {}", finding.headline());
        if let Some(remedy) = &finding.remedy {
            end_sentence(&mut entry);
            entry.push_str(" Fix: ");
            entry.push_str(&one_line(remedy));
        }
        end_sentence(&mut entry);
        if message.len() + entry.len() > MAX_DENIAL_BYTES {
            message.push_str(&format!(" … and {} more.", blocking.len() - shown));
            break;
        }
        message.push_str(&entry);
    }
    message.push_str(
        " To exempt this object, annotate it with netward.dev/ignore: <codes> and \
         netward.dev/ignore-reason: <why>; `netward rules <code>` explains a rule.",
    );
    message
}

/// The API warnings for `findings`: one line each, each within [`MAX_WARNING_BYTES`], all
/// within [`MAX_WARNINGS_BYTES`]; what does not fit is counted in a last warning.
fn warnings(findings: &[&Finding]) -> Option<Vec<String>> {
    const OVERFLOW_RESERVE: usize = 96;
    let mut out = Vec::new();
    let mut used = 0;
    for (shown, finding) in findings.iter().enumerate() {
        let warning = truncate(&finding.headline(), MAX_WARNING_BYTES);
        let left = findings.len() - shown;
        let budget = if left > 1 {
            MAX_WARNINGS_BYTES - OVERFLOW_RESERVE
        } else {
            MAX_WARNINGS_BYTES
        };
        if used + warning.len() > budget {
            out.push(format!(
                "netward: {left} more finding{} not shown; run `netward check` on the object",
                if left == 1 { "" } else { "s" }
            ));
            break;
        }
        used += warning.len();
        out.push(warning);
    }
    (!out.is_empty()).then_some(out)
}

/// Audit annotations: the findings' codes and paths, and the mode's decision.
fn audit_annotations(
    findings: &[Finding],
    mode: Mode,
    decision: Decision,
) -> std::collections::HashMap<String, String> {
    let mut codes = BTreeMap::<&str, Vec<&str>>::new();
    for finding in findings {
        codes.entry(finding.code).or_default().push(&finding.path);
    }
    let listed: Vec<String> = codes
        .iter()
        .map(|(code, paths)| format!("{code}:{}", paths.join("|")))
        .collect();
    std::collections::HashMap::from([
        ("findings".to_owned(), truncate(&listed.join(","), 1024)),
        (
            "decision".to_owned(),
            format!("{}/{}", mode.as_str(), decision.as_str()),
        ),
    ])
}

/// Ends `text` with a full stop unless it already ends a sentence.
fn end_sentence(text: &mut String) {
    if !text.ends_with(['.', '!', '?']) {
        text.push('.');
    }
}

/// `text` with line breaks and other control characters replaced by spaces.
fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// `text` cut to at most `max` bytes on a character boundary, ending in `…` when cut.
fn truncate(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_owned();
    }
    let mut end = max.saturating_sub('…'.len_utf8());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", text.get(..end).unwrap_or_default())
}
