//! A workspace: the files checked together, and the check itself.

use crate::codes;
use crate::diagnostic::{Category, Diagnostic, Label};
use crate::model::decode::{DecodeError, DecodeErrorKind, Decoder};
use crate::model::{Ingress, NetworkPolicy, Service};
use crate::object::{objects_of, ManifestObject};
use crate::path::FieldPath;
use crate::source::{FileId, LoadLimits, SourceFile, Span};
use crate::validate::ingress::validate_ingress;
use crate::validate::network_policy::{apply_network_policy_defaults, validate_network_policy};
use crate::validate::service::check_service;
use crate::validate::{FieldError, ValidationProfile};

/// Files loaded together.
#[derive(Debug, Default)]
pub struct Workspace {
    files: Vec<SourceFile>,
    limits: LoadLimits,
}

impl Workspace {
    /// An empty workspace loading files within `limits`.
    pub fn new(limits: LoadLimits) -> Self {
        Self {
            files: Vec::new(),
            limits,
        }
    }

    /// Loads a file (never fails; problems become diagnostics).
    pub fn add_file(&mut self, name: impl Into<String>, bytes: &[u8]) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files
            .push(SourceFile::load(id, name, bytes, &self.limits));
        id
    }

    /// Loads `bytes` as the file `name`, replacing a file of that name (its id is kept) or
    /// inserting it in name order (the files after it get the next higher ids), so that which
    /// of two definitions counts as the first does not depend on the order of edits. An
    /// editor calls this on every change.
    pub fn set_file(&mut self, name: &str, bytes: &[u8]) -> FileId {
        if let Some(file) = self.files.iter_mut().find(|f| f.name == name) {
            *file = SourceFile::load(file.id, name, bytes, &self.limits);
            return file.id;
        }
        let index = self
            .files
            .iter()
            .position(|f| f.name.as_str() > name)
            .unwrap_or(self.files.len());
        let id = FileId(u32::try_from(index).unwrap_or(u32::MAX));
        self.files
            .insert(index, SourceFile::load(id, name, bytes, &self.limits));
        self.renumber(index + 1);
        id
    }

    /// Removes the file `name`; the files after it get the next lower ids. Returns whether
    /// there was such a file.
    pub fn remove_file(&mut self, name: &str) -> bool {
        let Some(index) = self.files.iter().position(|f| f.name == name) else {
            return false;
        };
        self.files.remove(index);
        self.renumber(index);
        true
    }

    /// Gives the files from `from` on the ids of their places.
    fn renumber(&mut self, from: usize) {
        for (id, file) in self.files.iter_mut().enumerate().skip(from) {
            file.id = FileId(u32::try_from(id).unwrap_or(u32::MAX));
        }
    }

    /// The file named `name`.
    pub fn file_named(&self, name: &str) -> Option<&SourceFile> {
        self.files.iter().find(|f| f.name == name)
    }

    /// The loaded files.
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// A file by id.
    pub fn file(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    /// Every object of every file.
    pub fn objects(&self) -> Vec<ManifestObject<'_>> {
        self.files.iter().flat_map(|f| objects_of(f).0).collect()
    }

    /// Loads, decodes and validates everything; diagnostics sorted by file and position.
    pub fn check(&self, profile: &ValidationProfile) -> Vec<Diagnostic> {
        self.check_decoding(profile).0
    }

    /// [`Workspace::check`], also handing over the objects it decoded (Services,
    /// NetworkPolicies and Ingresses of served versions), so the lint rules need not decode
    /// them again.
    pub fn check_decoding(&self, profile: &ValidationProfile) -> (Vec<Diagnostic>, DecodedObjects) {
        let mut diagnostics = Vec::new();
        let mut decoded = DecodedObjects::default();
        for file in &self.files {
            for problem in &file.problems {
                let mut diagnostic = Diagnostic::new(
                    codes::for_problem(problem.kind),
                    file.id,
                    problem.span,
                    problem.message.clone(),
                );
                if let Some(related) = problem.related {
                    diagnostic = diagnostic.with_label(Label {
                        file: file.id,
                        span: related,
                        message: "first written here".to_owned(),
                    });
                }
                diagnostics.push(diagnostic);
            }
            let (objects, mut not_objects) = objects_of(file);
            diagnostics.append(&mut not_objects);
            for object in objects {
                let (found, model) = check_object(file, &object, profile);
                diagnostics.extend(found);
                if let Some(model) = model {
                    decoded.0.insert((file.id, object.node.span.start), model);
                }
            }
        }
        crate::sort::sort_by_key(&mut diagnostics, |d| (d.file, d.span.start, d.rule.code));
        (diagnostics, decoded)
    }
}

/// An object of a validated kind, decoded once: what validation read, kept for the lint rules.
#[derive(Debug, Clone)]
pub enum DecodedModel {
    /// A Service as written (before the API server's defaulting).
    Service(Box<Service>),
    /// A NetworkPolicy after the API server's defaulting.
    NetworkPolicy(NetworkPolicy),
    /// An Ingress as written.
    Ingress(Ingress),
}

/// The objects a check decoded, by file and the start of the object's range.
#[derive(Debug, Default)]
pub struct DecodedObjects(std::collections::HashMap<(FileId, u32), DecodedModel>);

impl DecodedObjects {
    /// The decoded form of the object whose range starts at `start` in `file`.
    pub fn get(&self, file: FileId, start: u32) -> Option<&DecodedModel> {
        self.0.get(&(file, start))
    }

    /// Takes the decoded form of the object whose range starts at `start` in `file`.
    pub fn take(&mut self, file: FileId, start: u32) -> Option<DecodedModel> {
        self.0.remove(&(file, start))
    }
}

/// The objects a check found the API server would reject: those with an API-category finding
/// inside their range.
#[derive(Debug, Default)]
pub struct ApiRejections(Vec<(FileId, u32)>);

impl ApiRejections {
    /// The rejections among a check's diagnostics.
    pub fn new(diagnostics: &[Diagnostic]) -> Self {
        let mut at: Vec<(FileId, u32)> = diagnostics
            .iter()
            .filter(|d| d.rule.category == Category::Api)
            .map(|d| (d.file, d.span.start))
            .collect();
        crate::sort::sort(&mut at);
        Self(at)
    }

    /// Whether the object written at `span` of `file` is rejected.
    pub fn rejects(&self, file: FileId, span: Span) -> bool {
        let first = self.0.partition_point(|&at| at < (file, span.start));
        self.0
            .get(first)
            .is_some_and(|&(f, start)| f == file && start < span.end)
    }
}

/// Decodes `object` (written in `text`) and validates it as the API server would on create,
/// or on update from `old` (another object and its text). Returns the decoding errors of
/// `object` and the validation errors.
pub fn validate_object(
    text: &str,
    object: &ManifestObject<'_>,
    old: Option<(&str, &ManifestObject<'_>)>,
    profile: &ValidationProfile,
) -> (Vec<DecodeError>, Vec<FieldError>) {
    let (decode_errors, errors, _) = decode_and_validate(text, object, old, profile);
    (decode_errors, errors)
}

/// [`validate_object`], also returning the decoded object.
fn decode_and_validate(
    text: &str,
    object: &ManifestObject<'_>,
    old: Option<(&str, &ManifestObject<'_>)>,
    profile: &ValidationProfile,
) -> (Vec<DecodeError>, Vec<FieldError>, Option<DecodedModel>) {
    let mut decoder = Decoder::new(text);
    let mut old_decoder = old.map(|(old_text, _)| Decoder::new(old_text));
    let old_node = old.map(|(_, o)| o.node);
    let (errors, model) = match (object.api_version(), object.kind()) {
        ("v1", "Service") => {
            let old = old_node
                .zip(old_decoder.as_mut())
                .map(|(n, d)| Service::decode(n, d));
            let service = Service::decode(object.node, &mut decoder);
            let kept = service.clone();
            (
                check_service(service, old, profile),
                Some(DecodedModel::Service(Box::new(kept))),
            )
        }
        ("networking.k8s.io/v1", "NetworkPolicy") => {
            let defaulted = |node, d: &mut Decoder<'_>| {
                let mut policy = NetworkPolicy::decode(node, d);
                apply_network_policy_defaults(&mut policy);
                policy
            };
            let old = old_node
                .zip(old_decoder.as_mut())
                .map(|(n, d)| defaulted(n, d));
            let policy = defaulted(object.node, &mut decoder);
            (
                validate_network_policy(&policy, old.as_ref(), profile),
                Some(DecodedModel::NetworkPolicy(policy)),
            )
        }
        ("networking.k8s.io/v1", "Ingress") => {
            let old = old_node
                .zip(old_decoder.as_mut())
                .map(|(n, d)| Ingress::decode(n, d));
            let ingress = Ingress::decode(object.node, &mut decoder);
            (
                validate_ingress(&ingress, old.as_ref(), profile),
                Some(DecodedModel::Ingress(ingress)),
            )
        }
        _ => (Vec::new(), None),
    };
    (decoder.into_errors(), errors, model)
}

/// Decodes and validates one object (create), words the findings as diagnostics and returns
/// the decoded object.
fn check_object(
    file: &SourceFile,
    object: &ManifestObject<'_>,
    profile: &ValidationProfile,
) -> (Vec<Diagnostic>, Option<DecodedModel>) {
    let reference = object.reference();
    if let Some(removed) = removed_api(object) {
        let path = FieldPath::new(["apiVersion"]);
        let span = object.node.locate(&path).0;
        let message = format!(
            "{} {} was removed in Kubernetes {}; the API server no longer serves it. Use {}",
            removed.api_version, removed.kind, removed.removed_in, removed.replacement
        );
        let removed = Diagnostic::new(codes::REMOVED_API_VERSION, file.id, span, message)
            .with_object(Some(reference))
            .with_path(path);
        return (vec![removed], None);
    }
    let (decode_errors, errors, model) = decode_and_validate(&file.text, object, None, profile);
    let mut diagnostics: Vec<Diagnostic> = decode_errors
        .iter()
        .map(|error| {
            let rule = match error.kind {
                DecodeErrorKind::WrongType => codes::WRONG_TYPE,
                DecodeErrorKind::UnknownField => codes::UNKNOWN_FIELD,
            };
            Diagnostic::new(rule, file.id, error.span, error.message.clone())
                .with_object(Some(reference.clone()))
                .with_path(error.path.clone())
        })
        .collect();
    // A field that failed to decode is absent to validation; don't report it twice.
    let undecodable: Vec<&FieldPath> = decode_errors
        .iter()
        .filter(|e| e.kind == DecodeErrorKind::WrongType)
        .map(|e| &e.path)
        .collect();
    diagnostics.extend(
        errors
            .into_iter()
            .filter(|error| {
                !undecodable
                    .iter()
                    .any(|bad| follows_from(object, error, bad))
            })
            .map(|error| field_error_diagnostic(file, object, &reference, error)),
    );
    (diagnostics, model)
}

/// An API version of a kind that Kubernetes no longer serves.
struct RemovedApi {
    api_version: &'static str,
    kind: &'static str,
    removed_in: &'static str,
    replacement: &'static str,
}

const fn removed(
    api_version: &'static str,
    kind: &'static str,
    removed_in: &'static str,
    replacement: &'static str,
) -> RemovedApi {
    RemovedApi {
        api_version,
        kind,
        removed_in,
        replacement,
    }
}

/// The removed versions of the kinds netward reads (Kubernetes deprecation guide).
const REMOVED_APIS: &[RemovedApi] = &[
    removed(
        "extensions/v1beta1",
        "Ingress",
        "1.22",
        "networking.k8s.io/v1",
    ),
    removed(
        "networking.k8s.io/v1beta1",
        "Ingress",
        "1.22",
        "networking.k8s.io/v1",
    ),
    removed(
        "extensions/v1beta1",
        "NetworkPolicy",
        "1.16",
        "networking.k8s.io/v1",
    ),
    removed("extensions/v1beta1", "Deployment", "1.16", "apps/v1"),
    removed("extensions/v1beta1", "DaemonSet", "1.16", "apps/v1"),
    removed("extensions/v1beta1", "ReplicaSet", "1.16", "apps/v1"),
    removed("apps/v1beta1", "Deployment", "1.16", "apps/v1"),
    removed("apps/v1beta1", "StatefulSet", "1.16", "apps/v1"),
    removed("apps/v1beta2", "Deployment", "1.16", "apps/v1"),
    removed("apps/v1beta2", "StatefulSet", "1.16", "apps/v1"),
    removed("apps/v1beta2", "DaemonSet", "1.16", "apps/v1"),
    removed("apps/v1beta2", "ReplicaSet", "1.16", "apps/v1"),
    removed("batch/v1beta1", "CronJob", "1.25", "batch/v1"),
];

fn removed_api(object: &ManifestObject<'_>) -> Option<&'static RemovedApi> {
    let (api_version, kind) = (object.api_version(), object.kind());
    REMOVED_APIS
        .iter()
        .find(|r| r.api_version == api_version && r.kind == kind)
}

/// Fields whose value defaulting copies from a sibling: (defaulted field, source field).
const DEFAULTED_FROM_SIBLING: &[(&str, &str)] = &[("targetPort", "port")];

/// True when a validation error is a consequence of the field at `bad` failing to decode: the
/// field itself, something inside it, a duplicate check on the entry holding it (two
/// unreadable ports both look like port 0), or a field defaulted from it that the manifest
/// does not write (a `targetPort` defaulted from a `port` that could not be read).
fn follows_from(object: &ManifestObject<'_>, error: &FieldError, bad: &FieldPath) -> bool {
    use crate::path::Segment;
    let path = &error.path;
    let (errored, failed) = (path.segments(), bad.segments());
    if errored.starts_with(failed) {
        return true;
    }
    if error.kind == crate::validate::ErrorKind::Duplicate && failed.starts_with(errored) {
        return true;
    }
    match (errored.split_last(), failed.split_last()) {
        (Some((Segment::Field(field), parent)), Some((Segment::Field(source), bad_parent))) => {
            parent == bad_parent
                && DEFAULTED_FROM_SIBLING.contains(&(field.as_str(), source.as_str()))
                && !object.node.locate(path).1
        }
        _ => false,
    }
}

fn field_error_diagnostic(
    file: &SourceFile,
    object: &ManifestObject<'_>,
    reference: &crate::diagnostic::ObjectRef,
    error: FieldError,
) -> Diagnostic {
    let (span, exact) = object.node.locate(&error.path);
    let mut diagnostic = Diagnostic::new(
        codes::for_field_error(error.kind),
        file.id,
        span,
        error.to_string(),
    )
    .with_object(Some(reference.clone()))
    .with_path(error.path.clone());
    if !exact && !error.path.is_root() {
        diagnostic = diagnostic.with_help(format!(
            "`{}` is not written in the manifest; its value comes from defaulting or is missing",
            error.path
        ));
    }
    diagnostic
}
