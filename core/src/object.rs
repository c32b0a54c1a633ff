//! Finding the Kubernetes objects in parsed documents (including the items of a `kind: List`).

use crate::codes;
use crate::diagnostic::{Diagnostic, ObjectRef};
use crate::source::{FileId, Node, SourceFile};

/// One object of a manifest file.
#[derive(Debug, Clone, Copy)]
pub struct ManifestObject<'a> {
    /// The file.
    pub file: FileId,
    /// Zero-based document index in the file.
    pub document: usize,
    /// Index in the `items` of a `kind: List`, if the object is one of its items.
    pub item: Option<usize>,
    /// The object's tree.
    pub node: &'a Node,
}

impl<'a> ManifestObject<'a> {
    /// `apiVersion`.
    pub fn api_version(&self) -> &'a str {
        self.node
            .get("apiVersion")
            .and_then(Node::as_str)
            .unwrap_or_default()
    }

    /// `kind`.
    pub fn kind(&self) -> &'a str {
        self.node
            .get("kind")
            .and_then(Node::as_str)
            .unwrap_or_default()
    }

    /// The API group of `apiVersion` (empty for the core group).
    pub fn group(&self) -> &'a str {
        self.api_version()
            .rsplit_once('/')
            .map_or("", |(group, _)| group)
    }

    /// apiVersion, kind, namespace and name, for diagnostics.
    pub fn reference(&self) -> ObjectRef {
        let meta = self.node.get("metadata");
        let text = |field: &str| {
            meta.and_then(|m| m.get(field))
                .and_then(Node::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        ObjectRef {
            api_version: self.api_version().to_owned(),
            kind: self.kind().to_owned(),
            namespace: text("namespace"),
            name: text("name").or_else(|| text("generateName")),
        }
    }
}

/// The objects of a file, and a diagnostic for every document that is not an object.
pub fn objects_of(file: &SourceFile) -> (Vec<ManifestObject<'_>>, Vec<Diagnostic>) {
    let mut objects = Vec::new();
    let mut diagnostics = Vec::new();
    for document in &file.documents {
        let root = &document.root;
        if root.is_null() {
            continue;
        }
        let push = |node: &Node| {
            object_problem(node)
                .map(|message| Diagnostic::new(codes::NOT_AN_OBJECT, file.id, node.span, message))
        };
        let is_list = root
            .get("kind")
            .and_then(Node::as_str)
            .is_some_and(|kind| kind == "List" || kind.ends_with("List"))
            && root.get("items").is_some();
        if is_list {
            let items = root.get("items").and_then(Node::as_seq).unwrap_or_default();
            for (i, item) in items.iter().enumerate() {
                match push(item) {
                    Some(diagnostic) => diagnostics.push(diagnostic),
                    None => objects.push(ManifestObject {
                        file: file.id,
                        document: document.index,
                        item: Some(i),
                        node: item,
                    }),
                }
            }
        } else {
            match push(root) {
                Some(diagnostic) => diagnostics.push(diagnostic),
                None => objects.push(ManifestObject {
                    file: file.id,
                    document: document.index,
                    item: None,
                    node: root,
                }),
            }
        }
    }
    (objects, diagnostics)
}

/// Why a document is not a Kubernetes object, if it is not.
fn object_problem(node: &Node) -> Option<String> {
    let text = |field| node.get(field).and_then(Node::as_str).unwrap_or_default();
    if node.as_map().is_none() {
        Some(format!(
            "expected a Kubernetes object (a mapping), found a {}",
            node.value.type_name()
        ))
    } else if text("kind").is_empty() {
        Some("object has no `kind`".to_owned())
    } else if text("apiVersion").is_empty() {
        Some("object has no `apiVersion`".to_owned())
    } else {
        None
    }
}
