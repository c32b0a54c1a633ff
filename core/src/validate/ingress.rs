//! Ingress validation (reference §8). IngressClass objects are out of scope.

use super::error::invalid_each;
use super::error::{BadValue, FieldError};
use super::ip::parse_ip_sloppy;
use super::meta::validate_object_meta_update;
use super::meta::{validate_object_meta, NameRule};
use super::primitives::{
    dns1035_label, dns1123_label, dns1123_subdomain, port_name, port_number,
    wildcard_dns1123_subdomain,
};
use super::profile::ValidationProfile;
use crate::model::{
    HttpIngressPath, HttpIngressRuleValue, Ingress, IngressBackend, IngressRule,
    IngressServiceBackend, IngressSpec, IngressTls, TypedLocalObjectReference,
};
use crate::path::FieldPath;

/// The legacy annotation naming an Ingress's class.
pub const INGRESS_CLASS_ANNOTATION: &str = "kubernetes.io/ingress.class";
/// The supported `pathType` values, in upstream's (sorted) order.
pub const PATH_TYPES: [&str; 3] = ["Exact", "ImplementationSpecific", "Prefix"];
/// Substrings an `Exact` or `Prefix` path may not contain.
const INVALID_PATH_SEQUENCES: [&str; 5] = ["//", "/./", "/../", "%2f", "%2F"];
/// Suffixes an `Exact` or `Prefix` path may not have.
const INVALID_PATH_SUFFIXES: [&str; 2] = ["/..", "/."];

/// Validates an Ingress as the API server does: a create when `old` is `None`, otherwise an
/// update of `old` (metadata immutability plus the update ratchets for TLS secret names,
/// wildcard-host rules and relaxed Service names).
pub fn validate_ingress(
    ing: &Ingress,
    old: Option<&Ingress>,
    profile: &ValidationProfile,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let options = match old {
        None => IngressOptions::create(profile),
        Some(old) => {
            errors.extend(validate_object_meta_update(
                &ing.metadata,
                &old.metadata,
                profile,
            ));
            IngressOptions::update(old, profile)
        }
    };
    errors.extend(validate_object_meta(
        &ing.metadata,
        dns1123_subdomain,
        profile,
    ));
    errors.extend(validate_spec(
        &ing.spec,
        &FieldPath::new(["spec"]),
        &options,
    ));
    if old.is_none() {
        errors.extend(validate_class_annotation(ing));
    }
    errors
}

/// What validation tolerates; only updates relax anything.
#[derive(Debug, Clone, Copy)]
struct IngressOptions {
    /// `spec.tls[i].secretName` is not checked (the old object had an invalid one).
    allow_invalid_secret_name: bool,
    /// Rule values under wildcard hosts are not checked (the old object had an invalid one).
    allow_invalid_wildcard_host_rule: bool,
    /// Backend Service names are RFC 1123 labels instead of RFC 1035 labels.
    relaxed_service_names: bool,
}

impl IngressOptions {
    fn create(profile: &ValidationProfile) -> Self {
        Self {
            allow_invalid_secret_name: false,
            allow_invalid_wildcard_host_rule: false,
            relaxed_service_names: profile.relaxed_service_name_validation,
        }
    }

    fn update(old: &Ingress, profile: &ValidationProfile) -> Self {
        let base = Self::create(profile);
        Self {
            allow_invalid_secret_name: has_invalid_secret_name(&old.spec),
            allow_invalid_wildcard_host_rule: has_invalid_wildcard_host_rule(&old.spec, &base),
            relaxed_service_names: base.relaxed_service_names
                || has_non_dns1035_service_name(&old.spec),
        }
    }

    fn service_name_rule(self) -> NameRule {
        if self.relaxed_service_names {
            dns1123_label
        } else {
            dns1035_label
        }
    }
}

fn has_invalid_secret_name(spec: &IngressSpec) -> bool {
    spec.tls
        .iter()
        .any(|tls| !secret_name_problems(tls.secret_name.as_deref()).is_empty())
}

fn has_invalid_wildcard_host_rule(spec: &IngressSpec, options: &IngressOptions) -> bool {
    spec.rules.iter().any(|rule| {
        is_wildcard(rule.host.as_deref().unwrap_or_default())
            && !validate_rule_value(rule, &FieldPath::root(), options).is_empty()
    })
}

fn has_non_dns1035_service_name(spec: &IngressSpec) -> bool {
    let path_backends = spec
        .rules
        .iter()
        .filter_map(|rule| rule.http.as_ref())
        .flat_map(|http| http.paths.iter())
        .map(|path| &path.backend);
    spec.default_backend
        .iter()
        .chain(path_backends)
        .filter_map(|backend| backend.service.as_ref())
        .any(|service| !dns1035_label(service.name.as_deref().unwrap_or_default()).is_empty())
}

fn is_wildcard(host: &str) -> bool {
    host.contains('*')
}

/// ING-RULES-OR-DEFAULT, the default backend, the rules, TLS, then ING-CLASS.
fn validate_spec(
    spec: &IngressSpec,
    path: &FieldPath,
    options: &IngressOptions,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if spec.rules.is_empty() && spec.default_backend.is_none() {
        errors.push(FieldError::invalid(
            path,
            BadValue("[]".to_owned()),
            "either `defaultBackend` or `rules` must be specified",
        ));
    }
    if let Some(backend) = &spec.default_backend {
        errors.extend(validate_backend(
            backend,
            &path.child("defaultBackend"),
            options,
        ));
    }
    let rules_path = path.child("rules");
    for (i, rule) in spec.rules.iter().enumerate() {
        errors.extend(validate_rule(rule, &rules_path.index(i), options));
    }
    let tls_path = path.child("tls");
    for (i, tls) in spec.tls.iter().enumerate() {
        errors.extend(validate_tls(tls, &tls_path.index(i), options));
    }
    if let Some(class) = &spec.ingress_class_name {
        errors.extend(invalid_each(
            &path.child("ingressClassName"),
            class,
            dns1123_subdomain(class),
        ));
    }
    errors
}

/// ING-HOST-IP and ING-HOST, then the rule value (skipped under a wildcard host when the old
/// object already had an invalid wildcard-host rule).
fn validate_rule(
    rule: &IngressRule,
    path: &FieldPath,
    options: &IngressOptions,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let host = rule.host.as_deref().unwrap_or_default();
    if !host.is_empty() {
        let host_path = path.child("host");
        if parse_ip_sloppy(host).is_some() {
            errors.push(FieldError::invalid(
                &host_path,
                host,
                "must be a DNS name, not an IP address",
            ));
        }
        errors.extend(invalid_each(&host_path, host, host_problems(host)));
    }
    if !(is_wildcard(host) && options.allow_invalid_wildcard_host_rule) {
        errors.extend(validate_rule_value(rule, path, options));
    }
    errors
}

/// A host (rule or TLS): a wildcard subdomain when it contains `*`, else a DNS subdomain.
fn host_problems(host: &str) -> Vec<String> {
    if is_wildcard(host) {
        wildcard_dns1123_subdomain(host)
    } else {
        dns1123_subdomain(host)
    }
}

fn validate_rule_value(
    rule: &IngressRule,
    path: &FieldPath,
    options: &IngressOptions,
) -> Vec<FieldError> {
    rule.http
        .as_ref()
        .map(|http| validate_http(http, &path.child("http"), options))
        .unwrap_or_default()
}

/// ING-PATHS-REQUIRED, then each path.
fn validate_http(
    http: &HttpIngressRuleValue,
    path: &FieldPath,
    options: &IngressOptions,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let paths_path = path.child("paths");
    if http.paths.is_empty() {
        errors.push(FieldError::required(&paths_path, ""));
    }
    for (j, entry) in http.paths.iter().enumerate() {
        errors.extend(validate_http_path(entry, &paths_path.index(j), options));
    }
    errors
}

/// ING-PATHTYPE and ING-PATH-ABS, then the backend; nothing past a missing pathType.
fn validate_http_path(
    entry: &HttpIngressPath,
    path: &FieldPath,
    options: &IngressOptions,
) -> Vec<FieldError> {
    let type_path = path.child("pathType");
    let Some(path_type) = entry.path_type.as_deref() else {
        return vec![FieldError::required(
            &type_path,
            "pathType must be specified",
        )];
    };
    let value = entry.path.as_deref().unwrap_or_default();
    let value_path = path.child("path");
    let mut errors = match path_type {
        "Exact" | "Prefix" => invalid_each(&value_path, value, strict_path_problems(value)),
        "ImplementationSpecific" => invalid_each(
            &value_path,
            value,
            implementation_specific_path_problems(value),
        ),
        other => vec![FieldError::not_supported(&type_path, other, &PATH_TYPES)],
    };
    errors.extend(validate_backend(
        &entry.backend,
        &path.child("backend"),
        options,
    ));
    errors
}

/// `Exact` / `Prefix`: absolute, no `//`, `/./`, `/../`, `%2f`, no trailing `/..` or `/.`.
fn strict_path_problems(value: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if !value.starts_with('/') {
        problems.push("must be an absolute path".to_owned());
    }
    for sequence in INVALID_PATH_SEQUENCES
        .iter()
        .filter(|s| value.contains(**s))
    {
        problems.push(format!("must not contain '{sequence}'"));
    }
    for suffix in INVALID_PATH_SUFFIXES
        .iter()
        .filter(|s| value.ends_with(**s))
    {
        problems.push(format!("cannot end with '{suffix}'"));
    }
    problems
}

/// `ImplementationSpecific`: empty, or absolute.
fn implementation_specific_path_problems(value: &str) -> Vec<String> {
    if value.is_empty() || value.starts_with('/') {
        Vec::new()
    } else {
        vec!["must be an absolute path".to_owned()]
    }
}

/// ING-BACKEND-ONE, then the Service or resource backend.
fn validate_backend(
    backend: &IngressBackend,
    path: &FieldPath,
    options: &IngressOptions,
) -> Vec<FieldError> {
    match (&backend.service, &backend.resource) {
        (Some(_), Some(_)) => vec![FieldError::invalid(
            path,
            "",
            "cannot set both resource and service backends",
        )],
        (Some(service), None) => validate_service_backend(service, path, options),
        (None, Some(resource)) => validate_resource_backend(resource, &path.child("resource")),
        (None, None) => vec![FieldError::invalid(
            path,
            "",
            "resource or service backend is required",
        )],
    }
}

/// ING-BACKEND-SVC and ING-BACKEND-PORT; `path` is the backend's.
fn validate_service_backend(
    service: &IngressServiceBackend,
    path: &FieldPath,
    options: &IngressOptions,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    let service_path = path.child("service");
    let name_path = service_path.child("name");
    match service.name.as_deref().unwrap_or_default() {
        "" => errors.push(FieldError::required(&name_path, "")),
        name => errors.extend(invalid_each(
            &name_path,
            name,
            (options.service_name_rule())(name),
        )),
    }
    let port = service.port.as_ref();
    let port_name_value = port
        .and_then(|p| p.name.as_deref())
        .filter(|n| !n.is_empty());
    let port_number_value = port.and_then(|p| p.number).filter(|n| *n != 0);
    let port_path = service_path.child("port");
    match (port_name_value, port_number_value) {
        (Some(_), Some(_)) => errors.push(FieldError::invalid(
            path,
            "",
            "cannot set both port name & port number",
        )),
        (Some(name), None) => errors.extend(invalid_each(
            &port_path.child("name"),
            name,
            port_name(name),
        )),
        (None, Some(number)) => errors.extend(invalid_each(
            &port_path.child("number"),
            number,
            port_number(i64::from(number)),
        )),
        (None, None) => errors.push(FieldError::required(
            path,
            "port name or number is required",
        )),
    }
    errors
}

/// ING-BACKEND-RES: apiGroup a DNS subdomain when set; kind and name required and safe as
/// URL path segments.
fn validate_resource_backend(
    resource: &TypedLocalObjectReference,
    path: &FieldPath,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Some(group) = &resource.api_group {
        errors.extend(invalid_each(
            &path.child("apiGroup"),
            group,
            dns1123_subdomain(group),
        ));
    }
    for (field, value) in [("kind", &resource.kind), ("name", &resource.name)] {
        let field_path = path.child(field);
        match value.as_deref().unwrap_or_default() {
            "" => errors.push(FieldError::required(
                &field_path,
                format!("{field} is required"),
            )),
            value => errors.extend(invalid_each(
                &field_path,
                value,
                path_segment_problems(value),
            )),
        }
    }
    errors
}

/// A name usable as one URL path segment: not `.` or `..`, no `/` or `%`.
fn path_segment_problems(value: &str) -> Vec<String> {
    if value == "." || value == ".." {
        return vec![format!("may not be '{value}'")];
    }
    ["/", "%"]
        .into_iter()
        .filter(|illegal| value.contains(illegal))
        .map(|illegal| format!("may not contain '{illegal}'"))
        .collect()
}

/// ING-TLS: every host, then `secretName` (unless ratcheted).
fn validate_tls(tls: &IngressTls, path: &FieldPath, options: &IngressOptions) -> Vec<FieldError> {
    let hosts_path = path.child("hosts");
    let mut errors: Vec<FieldError> = tls
        .hosts
        .iter()
        .enumerate()
        .flat_map(|(j, host)| invalid_each(&hosts_path.index(j), host, host_problems(host)))
        .collect();
    if !options.allow_invalid_secret_name {
        let secret = tls.secret_name.as_deref();
        let problems = secret_name_problems(secret);
        errors.extend(invalid_each(
            &path.child("secretName"),
            secret.unwrap_or_default(),
            problems,
        ));
    }
    errors
}

/// A TLS secret name: empty, or a DNS subdomain.
fn secret_name_problems(name: Option<&str>) -> Vec<String> {
    match name {
        None | Some("") => Vec::new(),
        Some(name) => dns1123_subdomain(name),
    }
}

/// ING-CLASS (create only): the class annotation, when set together with
/// `spec.ingressClassName`, must equal it. The path is upstream's
/// `annotations.kubernetes.io/ingress.class` (a child name, no `metadata.`).
fn validate_class_annotation(ing: &Ingress) -> Option<FieldError> {
    let annotation = ing.metadata.annotations.get(INGRESS_CLASS_ANNOTATION)?;
    let class = ing.spec.ingress_class_name.as_ref()?;
    (annotation != class).then(|| {
        FieldError::invalid(
            &FieldPath::new(["annotations"]).child(INGRESS_CLASS_ANNOTATION),
            annotation,
            "must match `ingressClassName` when both are specified",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ObjectMeta, ServiceBackendPort};
    use crate::validate::ErrorKind;

    // ---- builders -------------------------------------------------------------------------

    fn service(name: &str, port: ServiceBackendPort) -> IngressBackend {
        IngressBackend {
            service: Some(IngressServiceBackend {
                name: Some(name.to_owned()),
                port: Some(port),
            }),
            resource: None,
        }
    }

    fn number(n: i32) -> ServiceBackendPort {
        ServiceBackendPort {
            name: None,
            number: Some(n),
        }
    }

    fn named(name: &str) -> ServiceBackendPort {
        ServiceBackendPort {
            name: Some(name.to_owned()),
            number: None,
        }
    }

    fn web() -> IngressBackend {
        service("web", number(80))
    }

    fn http_path(
        path: Option<&str>,
        path_type: Option<&str>,
        backend: IngressBackend,
    ) -> HttpIngressPath {
        HttpIngressPath {
            path: path.map(str::to_owned),
            path_type: path_type.map(str::to_owned),
            backend,
        }
    }

    fn rule(host: Option<&str>, paths: Vec<HttpIngressPath>) -> IngressRule {
        IngressRule {
            host: host.map(str::to_owned),
            http: Some(HttpIngressRuleValue { paths }),
        }
    }

    fn prefix_root() -> HttpIngressPath {
        http_path(Some("/"), Some("Prefix"), web())
    }

    fn ingress(spec: IngressSpec) -> Ingress {
        Ingress {
            metadata: ObjectMeta {
                name: Some("foo".to_owned()),
                namespace: Some("bar".to_owned()),
                resource_version: Some("1".to_owned()),
                ..ObjectMeta::default()
            },
            spec,
        }
    }

    fn with_rules(rules: Vec<IngressRule>) -> Ingress {
        ingress(IngressSpec {
            rules,
            ..IngressSpec::default()
        })
    }

    fn with_default_backend(backend: IngressBackend) -> Ingress {
        ingress(IngressSpec {
            default_backend: Some(backend),
            ..IngressSpec::default()
        })
    }

    fn one_path(entry: HttpIngressPath) -> Ingress {
        with_rules(vec![rule(Some("foo.example.com"), vec![entry])])
    }

    fn profile() -> ValidationProfile {
        ValidationProfile::upstream_validation()
    }

    fn errors_with(
        ing: &Ingress,
        old: Option<&Ingress>,
        profile: &ValidationProfile,
    ) -> Vec<FieldError> {
        validate_ingress(ing, old, profile)
    }

    fn paths_with(
        ing: &Ingress,
        old: Option<&Ingress>,
        profile: &ValidationProfile,
    ) -> Vec<String> {
        errors_with(ing, old, profile)
            .iter()
            .map(|e| e.path.to_string())
            .collect()
    }

    fn paths(ing: &Ingress) -> Vec<String> {
        paths_with(ing, None, &profile())
    }

    fn single(ing: &Ingress) -> FieldError {
        let errors = errors_with(ing, None, &profile());
        assert_eq!(errors.len(), 1, "{errors:?}");
        errors.into_iter().next().unwrap()
    }

    // ---- spec and rules -------------------------------------------------------------------

    #[test]
    fn valid_ingresses() {
        assert!(paths(&with_default_backend(web())).is_empty());
        assert!(paths(&one_path(prefix_root())).is_empty());
        let full = ingress(IngressSpec {
            ingress_class_name: Some("nginx".to_owned()),
            default_backend: Some(service("fallback", named("http"))),
            tls: vec![IngressTls {
                hosts: vec!["foo.example.com".to_owned(), "*.example.com".to_owned()],
                secret_name: Some("tls-cert".to_owned()),
            }],
            rules: vec![
                rule(Some("*.example.com"), vec![prefix_root()]),
                rule(
                    None,
                    vec![http_path(None, Some("ImplementationSpecific"), web())],
                ),
                IngressRule {
                    host: Some("bare.example.com".to_owned()),
                    http: None,
                },
            ],
        });
        assert!(paths(&full).is_empty());
    }

    #[test]
    fn rules_or_default_backend_required() {
        let error = single(&ingress(IngressSpec::default()));
        assert_eq!(error.path.to_string(), "spec");
        assert_eq!(error.kind, ErrorKind::Invalid);
    }

    #[test]
    fn host_must_not_be_an_ip() {
        let ing = with_rules(vec![rule(Some("1.2.3.4"), vec![prefix_root()])]);
        let error = single(&ing);
        assert_eq!(error.path.to_string(), "spec.rules[0].host");
        assert_eq!(error.detail, "must be a DNS name, not an IP address");
        let v6 = with_rules(vec![rule(Some("::1"), vec![prefix_root()])]);
        assert_eq!(paths(&v6), ["spec.rules[0].host", "spec.rules[0].host"]);
    }

    #[test]
    fn host_must_be_a_dns_subdomain_or_wildcard() {
        for bad in [
            "foo.com:80",
            "Foo.com",
            "*",
            "*.*.foo.com",
            "f*.foo.com",
            "foo.*.com",
        ] {
            let ing = with_rules(vec![rule(Some(bad), vec![prefix_root()])]);
            assert_eq!(paths(&ing), ["spec.rules[0].host"], "{bad}");
        }
    }

    #[test]
    fn http_without_paths_is_required() {
        let ing = with_rules(vec![rule(Some("foo.com"), vec![])]);
        let error = single(&ing);
        assert_eq!(error.path.to_string(), "spec.rules[0].http.paths");
        assert_eq!(error.kind, ErrorKind::Required);
    }

    #[test]
    fn missing_path_type_stops_the_entry() {
        let ing = one_path(http_path(Some("relative"), None, IngressBackend::default()));
        let error = single(&ing);
        assert_eq!(
            error.path.to_string(),
            "spec.rules[0].http.paths[0].pathType"
        );
        assert_eq!(error.kind, ErrorKind::Required);
    }

    #[test]
    fn unknown_path_type_is_not_supported_and_backend_still_checked() {
        let ing = one_path(http_path(
            Some("/"),
            Some("Regex"),
            IngressBackend::default(),
        ));
        assert_eq!(
            paths(&ing),
            [
                "spec.rules[0].http.paths[0].pathType",
                "spec.rules[0].http.paths[0].backend"
            ]
        );
        assert_eq!(
            errors_with(&ing, None, &profile())[0].kind,
            ErrorKind::NotSupported
        );
    }

    #[test]
    fn exact_and_prefix_paths_must_be_clean_absolute_paths() {
        for path_type in ["Exact", "Prefix"] {
            for good in ["/", "/a/b", "/a.b/", "/..a"] {
                assert!(
                    paths(&one_path(http_path(Some(good), Some(path_type), web()))).is_empty(),
                    "{good}"
                );
            }
            let cases: [(Option<&str>, usize); 9] = [
                (None, 1),
                (Some("foo"), 1),
                (Some("/a//b"), 1),
                (Some("/a/./b"), 1),
                (Some("/a/../b"), 1),
                (Some("/a%2fb"), 1),
                (Some("/a%2Fb"), 1),
                (Some("/a/.."), 1),
                (Some("a//b/."), 3),
            ];
            for (bad, count) in cases {
                let ing = one_path(http_path(bad, Some(path_type), web()));
                assert_eq!(
                    paths(&ing),
                    vec!["spec.rules[0].http.paths[0].path"; count],
                    "{bad:?}"
                );
            }
        }
    }

    #[test]
    fn implementation_specific_paths_may_be_empty_but_not_relative() {
        for good in [None, Some(""), Some("/a//b/..")] {
            let ing = one_path(http_path(good, Some("ImplementationSpecific"), web()));
            assert!(paths(&ing).is_empty(), "{good:?}");
        }
        let ing = one_path(http_path(
            Some("foo"),
            Some("ImplementationSpecific"),
            web(),
        ));
        assert_eq!(paths(&ing), ["spec.rules[0].http.paths[0].path"]);
    }

    // ---- backends -------------------------------------------------------------------------

    #[test]
    fn backend_needs_exactly_one_of_service_and_resource() {
        let both = IngressBackend {
            resource: Some(TypedLocalObjectReference {
                api_group: None,
                kind: Some("Bucket".to_owned()),
                name: Some("b".to_owned()),
            }),
            ..web()
        };
        for backend in [both, IngressBackend::default()] {
            let error = single(&with_default_backend(backend));
            assert_eq!(error.path.to_string(), "spec.defaultBackend");
            assert_eq!(error.kind, ErrorKind::Invalid);
        }
    }

    #[test]
    fn service_name_is_required_and_a_dns1035_label() {
        let missing = IngressBackend {
            service: Some(IngressServiceBackend {
                name: None,
                port: Some(number(80)),
            }),
            resource: None,
        };
        let error = single(&with_default_backend(missing));
        assert_eq!(error.path.to_string(), "spec.defaultBackend.service.name");
        assert_eq!(error.kind, ErrorKind::Required);
        for bad in ["1web", "web.svc", "Web", "web-"] {
            let ing = with_default_backend(service(bad, number(80)));
            assert_eq!(paths(&ing), ["spec.defaultBackend.service.name"], "{bad}");
        }
    }

    #[test]
    fn relaxed_service_names_allow_a_leading_digit() {
        let relaxed = ValidationProfile {
            relaxed_service_name_validation: true,
            ..profile()
        };
        let ing = with_default_backend(service("1web", number(80)));
        assert!(paths_with(&ing, None, &relaxed).is_empty());
        let dotted = with_default_backend(service("web.svc", number(80)));
        assert_eq!(
            paths_with(&dotted, None, &relaxed),
            ["spec.defaultBackend.service.name"]
        );
    }

    #[test]
    fn old_relaxed_service_names_relax_the_update() {
        let old = one_path(http_path(
            Some("/"),
            Some("Prefix"),
            service("1web", number(80)),
        ));
        let new = with_default_backend(service("2web", number(80)));
        assert!(paths_with(&new, Some(&old), &profile()).is_empty());
        assert_eq!(
            paths_with(&new, Some(&with_default_backend(web())), &profile()),
            ["spec.defaultBackend.service.name"]
        );
    }

    #[test]
    fn service_port_needs_exactly_one_of_name_and_number() {
        let both = ServiceBackendPort {
            name: Some("http".to_owned()),
            number: Some(80),
        };
        let error = single(&with_default_backend(service("web", both)));
        assert_eq!(error.path.to_string(), "spec.defaultBackend");
        assert_eq!(error.kind, ErrorKind::Invalid);
        let unset = [
            ServiceBackendPort::default(),
            number(0),
            ServiceBackendPort {
                name: Some(String::new()),
                number: Some(0),
            },
        ];
        for port in unset {
            let error = single(&with_default_backend(service("web", port)));
            assert_eq!(error.path.to_string(), "spec.defaultBackend");
            assert_eq!(error.kind, ErrorKind::Required);
        }
        let no_port = IngressBackend {
            service: Some(IngressServiceBackend {
                name: Some("web".to_owned()),
                port: None,
            }),
            resource: None,
        };
        assert_eq!(
            single(&with_default_backend(no_port)).kind,
            ErrorKind::Required
        );
    }

    #[test]
    fn service_port_name_and_number_rules() {
        let ing = with_default_backend(service("web", named("HTTP")));
        // Upper case breaks two sub-rules: the alphabet and "at least one letter (a-z)".
        assert_eq!(
            paths(&ing),
            vec!["spec.defaultBackend.service.port.name"; 2]
        );
        let ing = with_default_backend(service("web", named("80")));
        assert_eq!(paths(&ing), ["spec.defaultBackend.service.port.name"]);
        for bad in [-1, 65536] {
            let ing = with_default_backend(service("web", number(bad)));
            assert_eq!(
                paths(&ing),
                ["spec.defaultBackend.service.port.number"],
                "{bad}"
            );
        }
    }

    fn resource(api_group: Option<&str>, kind: Option<&str>, name: Option<&str>) -> IngressBackend {
        IngressBackend {
            service: None,
            resource: Some(TypedLocalObjectReference {
                api_group: api_group.map(str::to_owned),
                kind: kind.map(str::to_owned),
                name: name.map(str::to_owned),
            }),
        }
    }

    #[test]
    fn resource_backend_rules() {
        let ok = resource(
            Some("k8s.example.com"),
            Some("StorageBucket"),
            Some("static-assets"),
        );
        assert!(paths(&with_default_backend(ok)).is_empty());
        let missing = resource(None, None, Some(""));
        assert_eq!(
            paths(&with_default_backend(missing)),
            [
                "spec.defaultBackend.resource.kind",
                "spec.defaultBackend.resource.name"
            ]
        );
        let unsafe_names = resource(Some("Example.com"), Some(".."), Some("a/b%c"));
        assert_eq!(
            paths(&with_default_backend(unsafe_names)),
            [
                "spec.defaultBackend.resource.apiGroup",
                "spec.defaultBackend.resource.kind",
                "spec.defaultBackend.resource.name",
                "spec.defaultBackend.resource.name",
            ]
        );
    }

    // ---- TLS, class -----------------------------------------------------------------------

    fn with_tls(hosts: &[&str], secret_name: Option<&str>) -> Ingress {
        ingress(IngressSpec {
            default_backend: Some(web()),
            tls: vec![IngressTls {
                hosts: hosts.iter().map(|h| (*h).to_owned()).collect(),
                secret_name: secret_name.map(str::to_owned),
            }],
            ..IngressSpec::default()
        })
    }

    #[test]
    fn tls_hosts_and_secret_name() {
        assert!(paths(&with_tls(&["a.com", "*.a.com"], Some(""))).is_empty());
        assert!(paths(&with_tls(&[], None)).is_empty());
        assert_eq!(
            paths(&with_tls(
                &["a.com", "*.*.a.com", "A.com"],
                Some("Bad_Secret")
            )),
            [
                "spec.tls[0].hosts[1]",
                "spec.tls[0].hosts[2]",
                "spec.tls[0].secretName"
            ]
        );
    }

    #[test]
    fn tls_hosts_may_be_ips() {
        assert!(paths(&with_tls(&["1.2.3.4"], None)).is_empty());
    }

    #[test]
    fn an_invalid_stored_secret_name_is_ratcheted() {
        let old = with_tls(&["a.com"], Some("Old_Secret"));
        let new = with_tls(&["a.com"], Some("New_Secret"));
        assert!(paths_with(&new, Some(&old), &profile()).is_empty());
        let valid_old = with_tls(&["a.com"], Some("ok"));
        assert_eq!(
            paths_with(&new, Some(&valid_old), &profile()),
            ["spec.tls[0].secretName"]
        );
    }

    #[test]
    fn ingress_class_name_is_a_dns_subdomain() {
        let mut ing = with_default_backend(web());
        ing.spec.ingress_class_name = Some("Nginx".to_owned());
        assert_eq!(paths(&ing), ["spec.ingressClassName"]);
        ing.spec.ingress_class_name = Some(String::new());
        assert_eq!(paths(&ing), ["spec.ingressClassName"]);
    }

    #[test]
    fn class_annotation_must_match_the_class_field_on_create() {
        let mut ing = with_default_backend(web());
        ing.metadata
            .annotations
            .insert(INGRESS_CLASS_ANNOTATION.to_owned(), "nginx".to_owned());
        assert!(paths(&ing).is_empty(), "annotation alone is fine");
        ing.spec.ingress_class_name = Some("nginx".to_owned());
        assert!(paths(&ing).is_empty(), "equal values are fine");
        ing.spec.ingress_class_name = Some("traefik".to_owned());
        let error = single(&ing);
        assert_eq!(
            error.path.to_string(),
            "annotations.kubernetes.io/ingress.class"
        );
        assert_eq!(error.kind, ErrorKind::Invalid);
        assert!(
            paths_with(&ing, Some(&ing.clone()), &profile()).is_empty(),
            "not checked on update"
        );
    }

    // ---- metadata and update --------------------------------------------------------------

    #[test]
    fn metadata_name_is_a_dns_subdomain() {
        let mut ing = with_default_backend(web());
        ing.metadata.name = Some("a.b".to_owned());
        assert!(paths(&ing).is_empty());
        ing.metadata.name = Some("a_b".to_owned());
        assert_eq!(paths(&ing), ["metadata.name"]);
    }

    #[test]
    fn name_and_namespace_are_immutable() {
        let old = with_default_backend(web());
        let mut new = old.clone();
        new.metadata.name = Some("other".to_owned());
        new.metadata.namespace = Some("elsewhere".to_owned());
        assert_eq!(
            paths_with(&new, Some(&old), &profile()),
            ["metadata.name", "metadata.namespace"]
        );
    }

    #[test]
    fn update_reports_label_errors_from_both_metadata_passes() {
        let old = with_default_backend(web());
        let mut new = old.clone();
        new.metadata.labels.insert("k".to_owned(), "v.".to_owned());
        assert_eq!(
            paths_with(&new, Some(&old), &profile()),
            ["metadata.labels", "metadata.labels"]
        );
    }

    #[test]
    fn invalid_stored_wildcard_rules_are_ratcheted() {
        let broken = || http_path(Some("relative"), Some("Prefix"), web());
        let old = with_rules(vec![rule(Some("*.a.com"), vec![broken()])]);
        let new = with_rules(vec![
            rule(Some("*.b.com"), vec![broken()]),
            rule(Some("c.com"), vec![broken()]),
        ]);
        assert_eq!(
            paths_with(&new, Some(&old), &profile()),
            ["spec.rules[1].http.paths[0].path"]
        );
        assert_eq!(
            paths(&new),
            [
                "spec.rules[0].http.paths[0].path",
                "spec.rules[1].http.paths[0].path"
            ]
        );
        let plain_old = with_rules(vec![rule(Some("a.com"), vec![broken()])]);
        assert_eq!(paths_with(&new, Some(&plain_old), &profile()).len(), 2);
    }

    #[test]
    fn errors_come_in_upstream_order() {
        let mut ing = ingress(IngressSpec {
            ingress_class_name: Some("Bad".to_owned()),
            default_backend: Some(IngressBackend::default()),
            tls: vec![IngressTls {
                hosts: vec!["Bad".to_owned()],
                secret_name: None,
            }],
            rules: vec![rule(
                Some("Bad"),
                vec![http_path(Some("x"), Some("Exact"), web())],
            )],
        });
        ing.metadata.name = Some("Bad".to_owned());
        ing.metadata
            .annotations
            .insert(INGRESS_CLASS_ANNOTATION.to_owned(), "other".to_owned());
        assert_eq!(
            paths(&ing),
            [
                "metadata.name",
                "spec.defaultBackend",
                "spec.rules[0].host",
                "spec.rules[0].http.paths[0].path",
                "spec.tls[0].hosts[0]",
                "spec.ingressClassName",
                "annotations.kubernetes.io/ingress.class",
            ]
        );
    }
}
