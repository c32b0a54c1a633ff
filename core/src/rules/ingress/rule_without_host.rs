//! `ingress-rule-without-host`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Reports an Ingress rule without `host` (or with an empty one).
    ///
    /// ## Why it matters
    /// A rule without host matches requests for every host name that reaches the controller,
    /// and requests by bare IP address: it is a wildcard broader than `*.example.com`. On a
    /// shared controller it captures the paths it lists for every other team's hosts that do
    /// not define them, and it publishes the application under any name that points at the
    /// load balancer.
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
    ///   tls:
    ///     - secretName: shop-tls
    ///   rules:
    ///     - http:
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
    /// Name the host:
    /// ```yaml
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
    /// ## References
    /// - Kubernetes API reference, IngressRule `host`
    /// - kyverno `disallow-empty-ingress-host`, gatekeeper-library `k8sblockwildcardingress`
    pub RULE {
        code: "NW4007",
        name: "ingress-rule-without-host",
        category: Security,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "An Ingress rule without host answers for every host name that reaches the controller.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for ingress in &ctx.ingresses {
        for (i, rule) in ingress.value.spec.rules.iter().enumerate() {
            if rule.host.as_deref().is_some_and(|h| !h.is_empty()) {
                continue;
            }
            let path = FieldPath::new(["spec", "rules"]).index(i);
            let path = if ingress.has(&path.child("host")) {
                path.child("host")
            } else {
                path
            };
            let paths: Vec<&str> = rule
                .http
                .iter()
                .flat_map(|h| h.paths.iter())
                .filter_map(|p| p.path.as_deref())
                .collect();
            let what = match paths.as_slice() {
                [] => String::new(),
                [one] => format!(" (path {one})"),
                many => format!(" (paths {})", many.join(", ")),
            };
            let message = format!(
                "rules[{i}] of Ingress {} has no host: it answers for every host name that reaches the controller{what}",
                ingress.qualified_name()
            );
            out.push(
                ingress
                    .report(&RULE, path, message)
                    .with_help("set `host` to the name the application is published under"),
            );
        }
    }
}
