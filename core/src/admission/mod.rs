//! Admission: what `netward serve` answers.
//!
//! Pure. The webhook is transport around [`Reviewer::review`] (behind the `admission`
//! feature, which brings kube-core's AdmissionReview types), which checks CREATE and UPDATE of
//! Services, NetworkPolicies and Ingresses with the `admission` profile (single-object rules,
//! no allocator pre-checks) and answers with an AdmissionReview. The decision, the denial
//! message and the size-limited warnings ([`outcome`]) need no Kubernetes types, so the WASM
//! engine shows the same answer for the objects of a file ([`preview`]). The verdict is the
//! CLI's verdict on the same object: `netward check --profile admission` finds exactly what
//! this module finds.
//!
//! What reaches a validating webhook is the object after the API server's defaulting and
//! allocation, so rules about fields the author leaves out (a port without `protocol`, a policy
//! without `policyTypes`) see the defaulted value, and rules about allocated fields are left out
//! by their scope ([`crate::rules::Scope::Manifest`]).

pub mod outcome;
pub mod preview;
#[cfg(feature = "admission")]
mod review;

pub use outcome::{
    decide, is_reviewed_kind, object_findings, object_workspace, Decision, Denial, Finding, Mode,
    Outcome, MAX_WARNINGS_BYTES, MAX_WARNING_BYTES,
};
pub use preview::{answers, ObjectAnswer};
#[cfg(feature = "admission")]
pub use review::{RequestError, Reviewer, Subject, Verdict, ADMISSION_API_VERSION};
