//! `networking.k8s.io/v1` Ingress.

use super::ObjectMeta;

/// A `networking.k8s.io/v1` Ingress.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ingress {
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// `spec`.
    pub spec: IngressSpec,
}

/// `spec` of an Ingress.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IngressSpec {
    /// `ingressClassName`.
    pub ingress_class_name: Option<String>,
    /// `defaultBackend`.
    pub default_backend: Option<IngressBackend>,
    /// `tls`.
    pub tls: Vec<IngressTls>,
    /// `rules`.
    pub rules: Vec<IngressRule>,
}

/// One entry of `spec.tls`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IngressTls {
    /// `hosts`.
    pub hosts: Vec<String>,
    /// `secretName`.
    pub secret_name: Option<String>,
}

/// One entry of `spec.rules`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IngressRule {
    /// `host`.
    pub host: Option<String>,
    /// `http`.
    pub http: Option<HttpIngressRuleValue>,
}

/// `spec.rules[i].http`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HttpIngressRuleValue {
    /// `paths`.
    pub paths: Vec<HttpIngressPath>,
}

/// `spec.rules[i].http.paths[j]`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct HttpIngressPath {
    /// `path`.
    pub path: Option<String>,
    /// `pathType`: Exact, Prefix or ImplementationSpecific (required in v1).
    pub path_type: Option<String>,
    /// `backend`.
    pub backend: IngressBackend,
}

/// A backend: a Service port or a typed resource.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IngressBackend {
    /// `service`.
    pub service: Option<IngressServiceBackend>,
    /// `resource`.
    pub resource: Option<TypedLocalObjectReference>,
}

/// `backend.service`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IngressServiceBackend {
    /// `name`.
    pub name: Option<String>,
    /// `port`.
    pub port: Option<ServiceBackendPort>,
}

/// `backend.service.port`: exactly one of `name` and `number`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceBackendPort {
    /// `name`.
    pub name: Option<String>,
    /// `number`.
    pub number: Option<i32>,
}

/// `backend.resource`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TypedLocalObjectReference {
    /// `apiGroup`.
    pub api_group: Option<String>,
    /// `kind`.
    pub kind: Option<String>,
    /// `name`.
    pub name: Option<String>,
}

use super::decode::Decoder;
use super::meta::decode_top;
use crate::path::FieldPath;
use crate::source::Node;

const SPEC_FIELDS: &[&str] = &["ingressClassName", "defaultBackend", "tls", "rules"];

impl Ingress {
    /// Decodes an Ingress document.
    pub fn decode(object: &Node, d: &mut Decoder<'_>) -> Self {
        let (metadata, spec) = decode_top(object, d);
        let path = FieldPath::new(["spec"]);
        let spec = d
            .object(spec, &path, SPEC_FIELDS)
            .map(|node| IngressSpec {
                ingress_class_name: d.string(node, "ingressClassName", &path),
                default_backend: decode_backend(
                    node.get("defaultBackend"),
                    &path.child("defaultBackend"),
                    d,
                ),
                tls: d
                    .list(node, "tls", &path, |d, item, path| {
                        d.object(Some(item), path, &["hosts", "secretName"])
                            .map(|tls| IngressTls {
                                hosts: d.string_list(tls, "hosts", path).unwrap_or_default(),
                                secret_name: d.string(tls, "secretName", path),
                            })
                    })
                    .unwrap_or_default(),
                rules: d
                    .list(node, "rules", &path, |d, item, path| {
                        let rule = d.object(Some(item), path, &["host", "http"])?;
                        let http_path = path.child("http");
                        Some(IngressRule {
                            host: d.string(rule, "host", path),
                            http: d
                                .object(rule.get("http"), &http_path, &["paths"])
                                .map(|http| HttpIngressRuleValue {
                                    paths: d
                                        .list(http, "paths", &http_path, decode_path)
                                        .unwrap_or_default(),
                                }),
                        })
                    })
                    .unwrap_or_default(),
            })
            .unwrap_or_default();
        Self { metadata, spec }
    }
}

fn decode_path(d: &mut Decoder<'_>, item: &Node, path: &FieldPath) -> Option<HttpIngressPath> {
    let node = d.object(Some(item), path, &["path", "pathType", "backend"])?;
    Some(HttpIngressPath {
        path: d.string(node, "path", path),
        path_type: d.string(node, "pathType", path),
        backend: decode_backend(node.get("backend"), &path.child("backend"), d).unwrap_or_default(),
    })
}

fn decode_backend(
    node: Option<&Node>,
    path: &FieldPath,
    d: &mut Decoder<'_>,
) -> Option<IngressBackend> {
    let node = d.object(node, path, &["service", "resource"])?;
    let service_path = path.child("service");
    let resource_path = path.child("resource");
    Some(IngressBackend {
        service: d
            .object(node.get("service"), &service_path, &["name", "port"])
            .map(|service| {
                let port_path = service_path.child("port");
                IngressServiceBackend {
                    name: d.string(service, "name", &service_path),
                    port: d
                        .object(service.get("port"), &port_path, &["name", "number"])
                        .map(|port| ServiceBackendPort {
                            name: d.string(port, "name", &port_path),
                            number: d.int32(port, "number", &port_path),
                        }),
                }
            }),
        resource: d
            .object(
                node.get("resource"),
                &resource_path,
                &["apiGroup", "kind", "name"],
            )
            .map(|resource| TypedLocalObjectReference {
                api_group: d.string(resource, "apiGroup", &resource_path),
                kind: d.string(resource, "kind", &resource_path),
                name: d.string(resource, "name", &resource_path),
            }),
    })
}
