//! What the webhook would answer for the objects of a manifest file, as if each were created:
//! the editor and the playground show it next to the YAML.

use serde::Serialize;

use super::outcome::{
    decide, is_reviewed_kind, object_findings, object_workspace, Finding, Mode, Outcome,
};
use crate::diagnostic::ObjectRef;
use crate::object::objects_of;
use crate::options::Options;
use crate::report::{locate, PositionStyle, Range};
use crate::source::FileId;
use crate::workspace::Workspace;

/// The webhook's answer to a CREATE of one object of a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct ObjectAnswer {
    /// The object.
    pub object: ObjectRef,
    /// The file it is in.
    pub file: String,
    /// Where it is written.
    pub range: Range,
    /// The answer.
    #[serde(flatten)]
    #[cfg_attr(feature = "typescript", ts(flatten))]
    pub outcome: Outcome,
    /// The error and warning findings behind it.
    pub findings: Vec<Finding>,
}

/// The answers for every Service, NetworkPolicy and Ingress of `file`, each checked alone as
/// the API server would send it (JSON), with the `admission` profile of `options`.
pub fn answers(
    workspace: &Workspace,
    file: FileId,
    options: &Options,
    mode: Mode,
    style: PositionStyle,
) -> Vec<ObjectAnswer> {
    let Some(source) = workspace.file(file) else {
        return Vec::new();
    };
    let (objects, _) = objects_of(source);
    objects
        .iter()
        .filter(|object| {
            let version = object
                .api_version()
                .rsplit_once('/')
                .map_or(object.api_version(), |(_, v)| v);
            is_reviewed_kind(object.group(), version, object.kind())
        })
        .map(|object| {
            let reference = object.reference();
            // In source order, as a client submits it: findings come in the same order as
            // `netward serve` gives them for that request.
            let json = serde_json::to_string(object.node).unwrap_or_default();
            let findings = object_findings(&object_workspace(&json), options);
            let namespace = reference
                .namespace
                .clone()
                .unwrap_or_else(|| options.reach.default_namespace.clone());
            let label = format!(
                "{} {namespace}/{}",
                reference.kind,
                reference.name.as_deref().unwrap_or("")
            );
            ObjectAnswer {
                outcome: decide(mode, &label, Some(&findings)),
                object: reference,
                file: source.name.clone(),
                range: locate(workspace, file, object.node.span, style),
                findings,
            }
        })
        .collect()
}
