//! `ingress-without-tls`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Ingress;
use crate::path::FieldPath;
use crate::rules::Context;

use super::is_intentional_companion;

declare_rule! {
    /// ## What it does
    /// Reports an Ingress without `spec.tls` entries. Left out: cert-manager's HTTP-01 solver
    /// Ingresses (plain HTTP by necessity) and Ingresses whose controller takes its
    /// certificate from an annotation: `alb.ingress.kubernetes.io/certificate-arn` (or
    /// `listen-ports` with HTTPS), `networking.gke.io/managed-certificates`,
    /// `ingress.gcp.kubernetes.io/pre-shared-cert`,
    /// `appgw.ingress.kubernetes.io/appgw-ssl-certificate`,
    /// `traefik.ingress.kubernetes.io/router.tls: "true"`.
    ///
    /// ## Why it matters
    /// The Service is then published over plain HTTP: cookies, tokens and passwords cross the
    /// network in clear text and can be read or changed on the way.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - name: http
    ///       port: 80
    ///       targetPort: http
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///     - host: shop.example.com
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: web
    ///                 port:
    ///                   name: http
    /// ```
    ///
    /// ## Use instead
    /// Terminate TLS for the hosts (cert-manager can issue the Secret):
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   namespace: shop
    ///   annotations:
    ///     cert-manager.io/cluster-issuer: letsencrypt
    /// spec:
    ///   ingressClassName: nginx
    ///   tls:
    ///     - hosts:
    ///         - shop.example.com
    ///       secretName: shop-example-com-tls
    ///   rules:
    ///     - host: shop.example.com
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: web
    ///                 port:
    ///                   name: http
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, Ingress, "TLS"
    /// - polaris `tlsSettingsMissing`, kubescape C-0263, kyverno `require-ingress-https`,
    ///   gatekeeper-library `k8shttpsonly`
    pub RULE {
        code: "NW4004",
        name: "ingress-without-tls",
        category: Security,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "The Ingress has no TLS section: its hosts are served over plain HTTP.",
        check: check,
    }
}

/// Annotations through which controllers get a certificate without `spec.tls`.
const CERTIFICATE_ANNOTATIONS: &[&str] = &[
    "alb.ingress.kubernetes.io/certificate-arn",
    "networking.gke.io/managed-certificates",
    "ingress.gcp.kubernetes.io/pre-shared-cert",
    "appgw.ingress.kubernetes.io/appgw-ssl-certificate",
];

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for ingress in &ctx.ingresses {
        if !ingress.value.spec.tls.is_empty()
            || is_intentional_companion(&ingress.value)
            || tls_by_annotation(&ingress.value)
        {
            continue;
        }
        let mut hosts: Vec<&str> = Vec::new();
        for host in ingress
            .value
            .spec
            .rules
            .iter()
            .filter_map(|r| r.host.as_deref())
        {
            if !host.is_empty() && !hosts.contains(&host) {
                hosts.push(host);
            }
        }
        let what = match hosts.as_slice() {
            [] => "it is served over plain HTTP".to_owned(),
            [one] => format!("{one} is served over plain HTTP"),
            many => format!("{} are served over plain HTTP", many.join(", ")),
        };
        let message = format!("Ingress {} has no `tls`: {what}", ingress.qualified_name());
        out.push(
            ingress
                .report(&RULE, FieldPath::new(["spec", "tls"]), message)
                .with_help("add a `spec.tls` entry with the hosts and the Secret holding their certificate (cert-manager can issue it)"),
        );
    }
}

fn tls_by_annotation(ingress: &Ingress) -> bool {
    let annotations = &ingress.metadata.annotations;
    CERTIFICATE_ANNOTATIONS
        .iter()
        .any(|a| annotations.get(*a).is_some_and(|v| !v.trim().is_empty()))
        || annotations
            .get("alb.ingress.kubernetes.io/listen-ports")
            .is_some_and(|v| v.to_ascii_uppercase().contains("HTTPS"))
        || annotations
            .get("traefik.ingress.kubernetes.io/router.tls")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}
