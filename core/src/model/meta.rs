//! Object metadata and small shared value types.

use std::collections::BTreeMap;
use std::fmt;

/// `metadata` of any object (the parts netward reads).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ObjectMeta {
    /// `metadata.name`.
    pub name: Option<String>,
    /// `metadata.generateName`.
    pub generate_name: Option<String>,
    /// `metadata.namespace`.
    pub namespace: Option<String>,
    /// `metadata.labels`.
    pub labels: BTreeMap<String, String>,
    /// `metadata.annotations`.
    pub annotations: BTreeMap<String, String>,
    /// `metadata.generation`.
    pub generation: Option<i64>,
    /// `metadata.resourceVersion`.
    pub resource_version: Option<String>,
    /// `metadata.uid` (set by the API server: the manifest was exported from a cluster).
    pub uid: Option<String>,
}

/// A Kubernetes `intOrString` value (`targetPort`, NetworkPolicy `port`). A quoted number in
/// the manifest is a string, i.e. a *named* port.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum IntOrString {
    /// The integer form.
    Int(i32),
    /// The string form.
    String(String),
}

impl fmt::Display for IntOrString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IntOrString::Int(value) => write!(f, "{value}"),
            IntOrString::String(value) => f.write_str(value),
        }
    }
}

use super::decode::Decoder;
use crate::path::FieldPath;
use crate::source::Node;

const OBJECT_FIELDS: &[&str] = &["apiVersion", "kind", "metadata", "spec", "status"];
const META_FIELDS: &[&str] = &[
    "name",
    "generateName",
    "namespace",
    "selfLink",
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "labels",
    "annotations",
    "ownerReferences",
    "finalizers",
    "managedFields",
];

impl ObjectMeta {
    /// Decodes `metadata` of `object`.
    pub fn decode(object: &Node, d: &mut Decoder<'_>) -> Self {
        let path = FieldPath::new(["metadata"]);
        let Some(node) = d.object(object.get("metadata"), &path, META_FIELDS) else {
            return Self::default();
        };
        Self {
            name: d.string(node, "name", &path),
            generate_name: d.string(node, "generateName", &path),
            namespace: d.string(node, "namespace", &path),
            labels: d.string_map(node, "labels", &path).unwrap_or_default(),
            annotations: d.string_map(node, "annotations", &path).unwrap_or_default(),
            generation: d.int64(node, "generation", &path),
            resource_version: d.string(node, "resourceVersion", &path),
            uid: d.string(node, "uid", &path),
        }
    }
}

/// Decodes the top level of a typed object (reporting unknown top-level fields) and returns
/// its metadata and `spec` node.
pub fn decode_top<'n>(object: &'n Node, d: &mut Decoder<'_>) -> (ObjectMeta, Option<&'n Node>) {
    d.object(Some(object), &FieldPath::root(), OBJECT_FIELDS);
    let meta = ObjectMeta::decode(object, d);
    (meta, object.get("spec"))
}
