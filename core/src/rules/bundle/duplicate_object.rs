//! `duplicate-object`.

use std::collections::HashMap;

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Label};
use crate::path::FieldPath;
use crate::rules::Context;
use crate::source::{Node, PositionEncoding, SourceFile};

declare_rule! {
    /// ## What it does
    /// Reports an object whose identity — API group, kind, namespace and name — another
    /// object of the bundle already has, once for each later copy, with a pointer to the
    /// first. The API version does not count (`apps/v1` and `apps/v1beta2` Deployments of
    /// the same name are one object), and an object without `metadata.namespace` is taken to
    /// be in the default namespace, as `kubectl apply` would place it. Objects named only by
    /// `generateName` are not compared.
    ///
    /// ## Why it matters
    /// The cluster holds one object per identity. Applying the bundle keeps whichever copy
    /// is applied last — which depends on file order — and `kubectl create` fails on the
    /// second; netward's own analysis (which pods exist, which policies apply) also keeps
    /// only the last copy, so findings about the other copies are lost. Copies usually come
    /// from a manifest pasted into two places, or a release bundle checked in next to its
    /// sources. Linting Kustomize bases and overlays side by side reports the overlays'
    /// patches too: lint the rendered output (`kustomize build`) instead.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: web-config
    ///   namespace: shop
    /// data:
    ///   LOG_LEVEL: info
    /// ---
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: web-config
    ///   namespace: shop
    /// data:
    ///   LOG_LEVEL: debug
    /// ```
    ///
    /// ## Use instead
    /// One definition per object:
    /// ```yaml
    /// apiVersion: v1
    /// kind: ConfigMap
    /// metadata:
    ///   name: web-config
    ///   namespace: shop
    /// data:
    ///   LOG_LEVEL: info
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, Object Names and IDs; Declarative Management of
    ///   Kubernetes Objects Using Configuration Files
    pub RULE {
        code: "NW5001",
        name: "duplicate-object",
        category: Correctness,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "Two objects of the bundle have the same group, kind, namespace and name; only one of them can exist.",
        check: check,
    }
}

/// `metadata.<field>` as a non-empty string.
fn metadata<'n>(object: &'n Node, field: &str) -> Option<&'n str> {
    object
        .get("metadata")?
        .get(field)?
        .as_str()
        .filter(|s| !s.is_empty())
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let name_path = FieldPath::new(["metadata", "name"]);
    // (group, kind, namespace, name) -> the first definition.
    let mut first: HashMap<(&str, &str, &str, &str), (&SourceFile, &Node)> = HashMap::new();
    for (file, object) in &ctx.objects {
        let Some(name) = metadata(object.node, "name") else {
            continue;
        };
        let namespace = metadata(object.node, "namespace")
            .unwrap_or(ctx.options.reach.default_namespace.as_str());
        let key = (object.group(), object.kind(), namespace, name);
        let Some(&(first_file, first_node)) = first.get(&key) else {
            first.insert(key, (*file, object.node));
            continue;
        };
        let position = first_file.position(first_node.span.start as usize, PositionEncoding::Utf32);
        let message = format!(
            "{} {namespace}/{name} is defined again (first in {}:{}): only one of the copies can exist, and which one depends on the order they are applied in",
            object.kind(),
            first_file.name,
            position.line + 1
        );
        out.push(
            Diagnostic::new(RULE.rule, file.id, object.node.locate(&name_path).0, message)
                .with_object(Some(object.reference()))
                .with_path(name_path.clone())
                .with_label(Label {
                    file: first_file.id,
                    span: first_node.locate(&name_path).0,
                    message: "first defined here".to_owned(),
                })
                .with_help("keep one definition; if the copies are variants for different environments, lint each environment's rendered manifests separately"),
        );
    }
}
