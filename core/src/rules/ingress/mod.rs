//! Ingress rules, and what they share: the backends and routes of an Ingress, its class, host
//! matching, and the ingress-nginx conventions several rules depend on.

pub mod allows_plain_http;
pub mod backend_is_external_name;
pub mod backend_port_by_number;
pub mod backend_port_missing;
pub mod backend_service_missing;
pub mod class_missing;
pub mod class_not_allowed;
pub mod class_not_found;
pub mod duplicate_host_path;
pub mod exposes_admin_interface;
pub mod host_claimed_across_namespaces;
pub mod host_path_conflict;
pub mod nginx_annotation_injection;
pub mod nginx_snippet_annotation;
pub mod nginx_unsafe_path;
pub mod rule_without_host;
pub mod sets_default_backend;
pub mod tls_host_not_covered;
pub mod tls_secret_missing;
pub mod wildcard_host;
pub mod without_tls;

use crate::model::{HttpIngressPath, Ingress, IngressBackend, IngressServiceBackend, Service};
use crate::path::FieldPath;
use crate::rules::{Context, Decoded};
use crate::validate::ingress::INGRESS_CLASS_ANNOTATION;
use crate::validate::primitives::{dns1123_subdomain, wildcard_dns1123_subdomain};

/// The Ingress rules.
pub const RULES: &[&crate::rules::LintRule] = &[
    &backend_service_missing::RULE,
    &backend_port_missing::RULE,
    &backend_is_external_name::RULE,
    &without_tls::RULE,
    &tls_host_not_covered::RULE,
    &wildcard_host::RULE,
    &rule_without_host::RULE,
    &sets_default_backend::RULE,
    &duplicate_host_path::RULE,
    &host_path_conflict::RULE,
    &host_claimed_across_namespaces::RULE,
    &class_missing::RULE,
    &nginx_snippet_annotation::RULE,
    &nginx_annotation_injection::RULE,
    &nginx_unsafe_path::RULE,
    &tls_secret_missing::RULE,
    &backend_port_by_number::RULE,
    &allows_plain_http::RULE,
    &exposes_admin_interface::RULE,
    &class_not_found::RULE,
    &class_not_allowed::RULE,
];

/// The annotation prefix of ingress-nginx (kubernetes/ingress-nginx).
pub(crate) const NGINX_PREFIX: &str = "nginx.ingress.kubernetes.io/";

/// A Service backend of an Ingress and where it is written.
#[derive(Debug)]
pub(crate) struct ServiceBackend<'a> {
    /// The backend's path (`spec.defaultBackend` or `spec.rules[i].http.paths[j].backend`).
    pub path: FieldPath,
    /// `backend.service`.
    pub service: &'a IngressServiceBackend,
    /// The Service name (not empty).
    pub name: &'a str,
}

/// The Service backends of an Ingress: the default backend, then each path's, in order.
pub(crate) fn service_backends(ingress: &Ingress) -> Vec<ServiceBackend<'_>> {
    let default = ingress
        .spec
        .default_backend
        .as_ref()
        .map(|b| (FieldPath::new(["spec", "defaultBackend"]), b));
    let paths = routes(ingress)
        .into_iter()
        .map(|route| (route.field.child("backend"), &route.entry.backend));
    default
        .into_iter()
        .chain(paths)
        .filter_map(|(path, backend): (FieldPath, &IngressBackend)| {
            let service = backend.service.as_ref()?;
            let name = service.name.as_deref().filter(|n| !n.is_empty())?;
            Some(ServiceBackend {
                path,
                service,
                name,
            })
        })
        .collect()
}

/// One `spec.rules[i].http.paths[j]` entry with its rule's host.
#[derive(Debug)]
pub(crate) struct Route<'a> {
    /// The host, lower-cased; empty when the rule has none.
    pub host: String,
    /// The entry.
    pub entry: &'a HttpIngressPath,
    /// `spec.rules[i].http.paths[j]`.
    pub field: FieldPath,
}

impl Route<'_> {
    /// What the route matches, for duplicate detection: `(host, pathType, path)` with the
    /// path normalised the way the Ingress API defines matching (a `Prefix` path ignores a
    /// trailing `/`; an empty `ImplementationSpecific` path is `/`). `None` without a
    /// `pathType` (the API server rejects that).
    pub fn key(&self) -> Option<(String, String, String)> {
        let path_type = self.entry.path_type.as_deref()?;
        let path = self.entry.path.as_deref().unwrap_or_default();
        let path = match path_type {
            "Prefix" => match path.trim_end_matches('/') {
                "" => "/",
                trimmed => trimmed,
            },
            "ImplementationSpecific" if path.is_empty() => "/",
            _ => path,
        };
        Some((self.host.clone(), path_type.to_owned(), path.to_owned()))
    }

    /// `host` and `path`, for messages: `shop.example.com/api (Prefix)`.
    pub fn describe(&self) -> String {
        let host = if self.host.is_empty() {
            "any host"
        } else {
            &self.host
        };
        format!(
            "{host} path {} ({})",
            self.entry.path.as_deref().unwrap_or_default(),
            self.entry.path_type.as_deref().unwrap_or("no pathType")
        )
    }
}

/// Every path entry of every rule, in order.
pub(crate) fn routes(ingress: &Ingress) -> Vec<Route<'_>> {
    let mut out = Vec::new();
    for (i, rule) in ingress.spec.rules.iter().enumerate() {
        let Some(http) = &rule.http else { continue };
        let host = rule
            .host
            .as_deref()
            .unwrap_or_default()
            .to_ascii_lowercase();
        for (j, entry) in http.paths.iter().enumerate() {
            out.push(Route {
                host: host.clone(),
                entry,
                field: FieldPath::new(["spec", "rules"])
                    .index(i)
                    .child("http")
                    .child("paths")
                    .index(j),
            });
        }
    }
    out
}

/// The Ingress's class: `spec.ingressClassName`, else the legacy annotation.
pub(crate) fn class(ingress: &Ingress) -> Option<&str> {
    ingress
        .spec
        .ingress_class_name
        .as_deref()
        .or_else(|| {
            ingress
                .metadata
                .annotations
                .get(INGRESS_CLASS_ANNOTATION)
                .map(String::as_str)
        })
        .filter(|c| !c.is_empty())
}

/// Whether two Ingresses may be served by the same controller: unless both name a class
/// and the classes differ.
pub(crate) fn may_share_class(a: &Ingress, b: &Ingress) -> bool {
    match (class(a), class(b)) {
        (Some(x), Some(y)) => x == y,
        _ => true,
    }
}

/// Whether the Ingress is evidently meant for ingress-nginx (kubernetes/ingress-nginx): it
/// uses its annotations, or its class mentions nginx and it uses no annotation of NGINX Inc's
/// controller (`nginx.org/`, `nginx.com/`), which also defaults to the class `nginx`.
pub(crate) fn is_ingress_nginx(ingress: &Ingress) -> bool {
    let annotations = &ingress.metadata.annotations;
    if annotations.keys().any(|k| k.starts_with(NGINX_PREFIX)) {
        return true;
    }
    let nginx_inc = annotations
        .keys()
        .any(|k| k.starts_with("nginx.org/") || k.starts_with("nginx.com/"));
    !nginx_inc && class(ingress).is_some_and(|c| c.to_ascii_lowercase().contains("nginx"))
}

/// Ingresses other tools generate next to the application's own on purpose: cert-manager's
/// HTTP-01 solver (same host, its own path) and ingress-nginx canaries (same host and path).
pub(crate) fn is_intentional_companion(ingress: &Ingress) -> bool {
    let meta = &ingress.metadata;
    let flag = |value: Option<&String>| value.is_some_and(|v| v.eq_ignore_ascii_case("true"));
    flag(meta.labels.get("acme.cert-manager.io/http01-solver"))
        || flag(meta.annotations.get(&format!("{NGINX_PREFIX}canary")))
}

/// Whether `host` is one the API server accepts (so host rules do not repeat its errors).
pub(crate) fn host_is_valid(host: &str) -> bool {
    if host.contains('*') {
        wildcard_dns1123_subdomain(host).is_empty()
    } else {
        dns1123_subdomain(host).is_empty()
    }
}

/// Whether a TLS host entry covers a rule host: the same name, or a wildcard `*.a.b` for a
/// name one label deeper (`x.a.b`, not `a.b` nor `x.y.a.b`), as certificates match.
pub(crate) fn tls_covers(tls_host: &str, host: &str) -> bool {
    if tls_host.eq_ignore_ascii_case(host) {
        return true;
    }
    let Some(suffix) = tls_host.strip_prefix("*.") else {
        return false;
    };
    host.split_once('.').is_some_and(|(label, rest)| {
        !label.is_empty() && label != "*" && rest.eq_ignore_ascii_case(suffix)
    })
}

/// The Services of the bundle named `name` in `namespace`.
pub(crate) fn services_named<'c, 'a>(
    ctx: &'c Context<'a>,
    namespace: &'c str,
    name: &'c str,
) -> impl Iterator<Item = &'c Decoded<'a, Service>> + 'c {
    ctx.services_named(namespace, name)
}

/// A character for a message: `` `;` ``, `` `\n` `` for control characters, "a space".
pub(crate) fn show_char(c: char) -> String {
    match c {
        ' ' => "a space".to_owned(),
        c if c.is_control() || c.is_whitespace() => format!("`{}`", c.escape_debug()),
        c => format!("`{c}`"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcard_tls_hosts_cover_one_label() {
        assert!(tls_covers("shop.example.com", "shop.example.com"));
        assert!(tls_covers("SHOP.example.com", "shop.example.com"));
        assert!(tls_covers("*.example.com", "shop.example.com"));
        assert!(tls_covers("*.example.com", "*.example.com"));
        assert!(!tls_covers("*.example.com", "example.com"));
        assert!(!tls_covers("*.example.com", "a.shop.example.com"));
        assert!(!tls_covers("shop.example.com", "*.example.com"));
        assert!(!tls_covers("example.com", "shop.example.com"));
    }
}
