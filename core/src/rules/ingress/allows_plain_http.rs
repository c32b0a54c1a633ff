//! `ingress-allows-plain-http`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Ingress;
use crate::path::FieldPath;
use crate::rules::Context;
use crate::validate::ingress::INGRESS_CLASS_ANNOTATION;

use super::{class, is_ingress_nginx, NGINX_PREFIX};

declare_rule! {
    /// ## What it does
    /// Reports an Ingress with `spec.tls` that still answers plain HTTP requests instead of
    /// redirecting them, where the controller's annotations say so:
    /// - ingress-nginx: `nginx.ingress.kubernetes.io/ssl-redirect: "false"` without
    ///   `force-ssl-redirect: "true"`;
    /// - GCE (class `gce`): `kubernetes.io/ingress.allow-http` not `"false"` and no
    ///   FrontendConfig (`networking.gke.io/v1beta1.FrontendConfig`) that could redirect;
    /// - AWS Load Balancer Controller: `alb.ingress.kubernetes.io/listen-ports` with an HTTP
    ///   listener and no `alb.ingress.kubernetes.io/ssl-redirect`.
    ///
    /// ## Why it matters
    /// A client that types the bare host name, follows an old `http://` link or is
    /// downgraded by an attacker sends its cookies and credentials in clear text, although
    /// the site has a certificate.
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
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/ssl-redirect: "false"
    /// spec:
    ///   ingressClassName: nginx
    ///   tls:
    ///     - hosts:
    ///         - shop.example.com
    ///       secretName: shop-tls
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
    /// Keep the redirect (ingress-nginx redirects by default when the host has TLS):
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   ingressClassName: nginx
    ///   tls:
    ///     - hosts:
    ///         - shop.example.com
    ///       secretName: shop-tls
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
    /// - ingress-nginx documentation, annotations `ssl-redirect` and `force-ssl-redirect`
    /// - GKE documentation, "Disabling HTTP" and FrontendConfig `redirectToHttps`
    /// - AWS Load Balancer Controller documentation, annotation `ssl-redirect`
    /// - gatekeeper-library `k8shttpsonly`, kyverno `require-ingress-https`
    pub RULE {
        code: "NW4018",
        name: "ingress-allows-plain-http",
        category: Security,
        severity: Info,
        scope: Object,
        fix: false,
        summary: "An Ingress with TLS still serves plain HTTP instead of redirecting to HTTPS.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for ingress in &ctx.ingresses {
        if ingress.value.spec.tls.is_empty() {
            continue;
        }
        let Some((annotation, why)) = plain_http(&ingress.value) else {
            continue;
        };
        let message = format!(
            "Ingress {} has TLS but still serves plain HTTP: {why}",
            ingress.qualified_name()
        );
        let annotations = &ingress.value.metadata.annotations;
        let path = [annotation, INGRESS_CLASS_ANNOTATION]
            .into_iter()
            .find(|a| annotations.contains_key(*a))
            .map_or_else(
                || FieldPath::new(["metadata", "name"]),
                |a| FieldPath::new(["metadata", "annotations"]).key(a),
            );
        out.push(
            ingress
                .report(&RULE, path, message)
                .with_help("redirect HTTP to HTTPS (and consider HSTS)"),
        );
    }
}

/// The annotation responsible and the explanation, when the controller serves HTTP.
fn plain_http(ingress: &Ingress) -> Option<(&'static str, &'static str)> {
    let annotations = &ingress.metadata.annotations;
    let is = |key: &str, value: &str| {
        annotations
            .get(key)
            .is_some_and(|v| v.trim().eq_ignore_ascii_case(value))
    };
    const SSL_REDIRECT: &str = "nginx.ingress.kubernetes.io/ssl-redirect";
    if is_ingress_nginx(ingress)
        && is(SSL_REDIRECT, "false")
        && !is(&format!("{NGINX_PREFIX}force-ssl-redirect"), "true")
    {
        return Some((
            SSL_REDIRECT,
            "`ssl-redirect: \"false\"` turns off the redirect to HTTPS",
        ));
    }
    const ALLOW_HTTP: &str = "kubernetes.io/ingress.allow-http";
    if class(ingress) == Some("gce")
        && !is(ALLOW_HTTP, "false")
        && !annotations.contains_key("networking.gke.io/v1beta1.FrontendConfig")
    {
        return Some((
            ALLOW_HTTP,
            "the GCE load balancer keeps an HTTP listener unless `kubernetes.io/ingress.allow-http` is \"false\"",
        ));
    }
    const LISTEN_PORTS: &str = "alb.ingress.kubernetes.io/listen-ports";
    let http_listener = annotations.get(LISTEN_PORTS).is_some_and(|ports| {
        ports
            .to_ascii_uppercase()
            .split(|c: char| !c.is_ascii_alphabetic())
            .any(|word| word == "HTTP")
    });
    if http_listener && !annotations.contains_key("alb.ingress.kubernetes.io/ssl-redirect") {
        return Some((
            LISTEN_PORTS,
            "the load balancer has an HTTP listener and no `alb.ingress.kubernetes.io/ssl-redirect`",
        ));
    }
    None
}
