//! What rules read: the bundle's objects decoded once, the cluster snapshot and the compiled
//! NetworkPolicy evaluator, and the options.

use crate::diagnostic::Diagnostic;
use crate::model::decode::Decoder;
use crate::model::{Ingress, NetworkPolicy, ObjectMeta, Service};
use crate::netpol::{Cluster, Evaluator};
use crate::object::{objects_of, ManifestObject};
use crate::options::Options;
use crate::path::FieldPath;
use crate::source::{SourceFile, Span};
use crate::validate::network_policy::apply_network_policy_defaults;
use crate::workspace::{validate_object, Workspace};

use super::LintRule;

/// One decoded object of the bundle.
#[derive(Debug)]
pub struct Decoded<'a, T> {
    /// The file it is written in.
    pub file: &'a SourceFile,
    /// The object's tree.
    pub object: ManifestObject<'a>,
    /// The typed object (for NetworkPolicies: with the API server's defaults applied).
    pub value: T,
    /// `metadata.namespace`, or the default namespace.
    pub namespace: String,
    /// `metadata.name` (empty when missing).
    pub name: String,
    /// The API server would accept it (no decoding or validation error).
    pub valid: bool,
}

impl<T> Decoded<'_, T> {
    /// The range of `path` in the object (the nearest written ancestor when it is absent).
    pub fn span(&self, path: &FieldPath) -> Span {
        self.object.node.locate(path).0
    }

    /// Whether `path` is written in the manifest.
    pub fn has(&self, path: &FieldPath) -> bool {
        self.object.node.locate(path).1
    }

    /// A finding of `lint` at `path` of this object.
    pub fn report(
        &self,
        lint: &LintRule,
        path: FieldPath,
        message: impl Into<String>,
    ) -> Diagnostic {
        Diagnostic::new(lint.rule, self.file.id, self.span(&path), message)
            .with_object(Some(self.object.reference()))
            .with_path(path)
    }

    /// `namespace/name`.
    pub fn qualified_name(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

/// Everything a rule may read.
#[derive(Debug)]
pub struct Context<'a> {
    /// The files.
    pub workspace: &'a Workspace,
    /// The options (cluster facts, profile).
    pub options: &'a Options,
    /// Services.
    pub services: Vec<Decoded<'a, Service>>,
    /// NetworkPolicies, defaulted.
    pub policies: Vec<Decoded<'a, NetworkPolicy>>,
    /// Ingresses.
    pub ingresses: Vec<Decoded<'a, Ingress>>,
    /// Namespaces, pods and accepted policies.
    pub cluster: &'a Cluster,
    /// The compiled policies.
    pub evaluator: &'a Evaluator<'a>,
}

impl<'a> Context<'a> {
    /// Decodes the bundle's Services, NetworkPolicies and Ingresses.
    pub fn new(
        workspace: &'a Workspace,
        options: &'a Options,
        cluster: &'a Cluster,
        evaluator: &'a Evaluator<'a>,
    ) -> Self {
        let mut context = Context {
            workspace,
            options,
            services: Vec::new(),
            policies: Vec::new(),
            ingresses: Vec::new(),
            cluster,
            evaluator,
        };
        let profile = options.validation_profile();
        for file in workspace.files() {
            for object in objects_of(file).0 {
                let kind = (object.api_version(), object.kind());
                if !matches!(
                    kind,
                    ("v1", "Service") | ("networking.k8s.io/v1", "NetworkPolicy" | "Ingress")
                ) {
                    continue;
                }
                let (decode_errors, errors) = validate_object(&file.text, &object, None, &profile);
                let valid = decode_errors.is_empty() && errors.is_empty();
                let mut d = Decoder::new(&file.text);
                match kind {
                    ("v1", "Service") => {
                        let value = Service::decode(object.node, &mut d);
                        let meta = value.metadata.clone();
                        context
                            .services
                            .push(context.decoded(file, object, value, &meta, valid));
                    }
                    (_, "NetworkPolicy") => {
                        let mut value = NetworkPolicy::decode(object.node, &mut d);
                        apply_network_policy_defaults(&mut value);
                        let meta = value.metadata.clone();
                        context
                            .policies
                            .push(context.decoded(file, object, value, &meta, valid));
                    }
                    _ => {
                        let value = Ingress::decode(object.node, &mut d);
                        let meta = value.metadata.clone();
                        context
                            .ingresses
                            .push(context.decoded(file, object, value, &meta, valid));
                    }
                }
            }
        }
        context
    }

    fn decoded<T>(
        &self,
        file: &'a SourceFile,
        object: ManifestObject<'a>,
        value: T,
        meta: &ObjectMeta,
        valid: bool,
    ) -> Decoded<'a, T> {
        Decoded {
            file,
            object,
            value,
            namespace: meta
                .namespace
                .clone()
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| self.options.reach.default_namespace.clone()),
            name: meta.name.clone().unwrap_or_default(),
            valid,
        }
    }
}
