//! What rules read: the bundle's objects decoded once, the cluster snapshot and the compiled
//! NetworkPolicy evaluator, and the options.

use crate::diagnostic::Diagnostic;
use crate::model::decode::Decoder;
use crate::model::{Endpoints, Ingress, NetworkPolicy, ObjectMeta, Service};
use crate::netpol::{Cluster, Evaluator};
use crate::object::{objects_of, ManifestObject};
use crate::options::Options;
use crate::path::FieldPath;
use crate::source::{SourceFile, Span};
use crate::validate::network_policy::apply_network_policy_defaults;
use crate::workspace::{ApiRejections, DecodedModel, DecodedObjects, Workspace};

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
    /// Endpoints objects and EndpointSlices (`discovery.k8s.io/v1`).
    pub endpoints: Vec<Decoded<'a, Endpoints>>,
    /// Namespaces, pods and accepted policies.
    pub cluster: &'a Cluster,
    /// The compiled policies.
    pub evaluator: &'a Evaluator<'a>,
    /// Every object of every file, with its file.
    pub objects: Vec<(&'a SourceFile, ManifestObject<'a>)>,
    /// Indices into `services` by (namespace, name).
    services_by_name: std::collections::HashMap<(String, String), Vec<usize>>,
    /// The pods Service rules match selectors against, built on first use.
    pub(crate) service_backends: std::cell::OnceCell<super::service::support::Backends>,
}

impl<'a> Context<'a> {
    /// Gathers the bundle's Services, NetworkPolicies, Ingresses and endpoints: `decoded`
    /// holds what validation already decoded ([`Workspace::check_decoding`]); the rest is
    /// decoded here. An object the check found the API server would reject is not `valid`.
    pub fn new(
        workspace: &'a Workspace,
        options: &'a Options,
        cluster: &'a Cluster,
        evaluator: &'a Evaluator<'a>,
        rejections: &ApiRejections,
        mut decoded: DecodedObjects,
    ) -> Self {
        let mut context = Context {
            workspace,
            options,
            services: Vec::new(),
            policies: Vec::new(),
            ingresses: Vec::new(),
            endpoints: Vec::new(),
            cluster,
            evaluator,
            objects: workspace
                .files()
                .iter()
                .flat_map(|file| objects_of(file).0.into_iter().map(move |o| (file, o)))
                .collect(),
            service_backends: std::cell::OnceCell::new(),
            services_by_name: std::collections::HashMap::new(),
        };
        let (mut services, mut policies, mut ingresses) = (Vec::new(), Vec::new(), Vec::new());
        let mut endpoints = Vec::new();
        for &(file, object) in &context.objects {
            let kind = (object.api_version(), object.kind());
            // Endpoints and EndpointSlices of any served or removed version: their addresses
            // are where they always were.
            let endpoints_kind = matches!(
                (object.group(), kind.1),
                ("", "Endpoints") | ("discovery.k8s.io", "EndpointSlice")
            );
            if !endpoints_kind
                && !matches!(
                    kind,
                    ("v1", "Service") | ("networking.k8s.io/v1", "NetworkPolicy" | "Ingress")
                )
            {
                continue;
            }
            let span = object.node.span;
            let valid = !rejections.rejects(file.id, span);
            let mut d = Decoder::new(&file.text);
            let model = decoded.take(file.id, span.start);
            match (kind, model) {
                _ if endpoints_kind => {
                    let value = Endpoints::decode(object.node, kind.1 == "EndpointSlice", &mut d);
                    let meta = value.metadata.clone();
                    endpoints.push(context.decoded(file, object, value, &meta, valid));
                }
                (("v1", "Service"), model) => {
                    let value = match model {
                        Some(DecodedModel::Service(service)) => *service,
                        _ => Service::decode(object.node, &mut d),
                    };
                    let meta = value.metadata.clone();
                    services.push(context.decoded(file, object, value, &meta, valid));
                }
                ((_, "NetworkPolicy"), model) => {
                    let value = match model {
                        Some(DecodedModel::NetworkPolicy(policy)) => policy,
                        _ => {
                            let mut policy = NetworkPolicy::decode(object.node, &mut d);
                            apply_network_policy_defaults(&mut policy);
                            policy
                        }
                    };
                    let meta = value.metadata.clone();
                    policies.push(context.decoded(file, object, value, &meta, valid));
                }
                (_, model) => {
                    let value = match model {
                        Some(DecodedModel::Ingress(ingress)) => ingress,
                        _ => Ingress::decode(object.node, &mut d),
                    };
                    let meta = value.metadata.clone();
                    ingresses.push(context.decoded(file, object, value, &meta, valid));
                }
            }
        }
        for (i, service) in services.iter().enumerate() {
            context
                .services_by_name
                .entry((service.namespace.clone(), service.name.clone()))
                .or_default()
                .push(i);
        }
        context.services = services;
        context.policies = policies;
        context.ingresses = ingresses;
        context.endpoints = endpoints;
        context
    }

    /// The Services named `name` in `namespace` (more than one when the bundle repeats one).
    pub fn services_named<'c>(
        &'c self,
        namespace: &str,
        name: &str,
    ) -> impl Iterator<Item = &'c Decoded<'a, Service>> + 'c {
        self.services_by_name
            .get(&(namespace.to_owned(), name.to_owned()))
            .into_iter()
            .flatten()
            .filter_map(|&i| self.services.get(i))
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
