//! `ingress-duplicate-host-path`.

use std::collections::BTreeMap;

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::rules::Context;

use super::{routes, Route};

declare_rule! {
    /// ## What it does
    /// Reports a path entry of an Ingress that repeats the host, `pathType` and path of an
    /// earlier entry of the same Ingress, in the same rule or in another rule with the same
    /// host. A `Prefix` path ignores a trailing `/` (`/api` and `/api/` are the same).
    ///
    /// An error when the two entries name different backends (one of them never receives
    /// traffic); a warning when they name the same one (the repetition is dead weight).
    ///
    /// ## Why it matters
    /// Only one of the two entries can win, and which one depends on the controller. The
    /// usual cause is a copy-paste that was meant to change the path or the host, so a route
    /// the author expects is missing.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: api
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     app: api
    ///   ports:
    ///     - name: http
    ///       port: 80
    ///       targetPort: http
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: api-v2
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     app: api-v2
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
    ///     - hosts:
    ///         - shop.example.com
    ///       secretName: shop-example-com-tls
    ///   rules:
    ///     - host: shop.example.com
    ///       http:
    ///         paths:
    ///           - path: /api
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: api
    ///                 port:
    ///                   name: http
    ///           - path: /api
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: api-v2
    ///                 port:
    ///                   name: http
    /// ```
    ///
    /// ## Use instead
    /// One entry per host and path:
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
    ///           - path: /api
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: api
    ///                 port:
    ///                   name: http
    ///           - path: /api/v2
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: api-v2
    ///                 port:
    ///                   name: http
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, Ingress, "Path types" and "Multiple matches"
    pub RULE {
        code: "NW4009",
        name: "ingress-duplicate-host-path",
        category: Correctness,
        severity: Error,
        scope: Object,
        fix: false,
        summary: "An Ingress routes the same host, pathType and path twice.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for ingress in &ctx.ingresses {
        let mut first: BTreeMap<(String, String, String), Route<'_>> = BTreeMap::new();
        for route in routes(&ingress.value) {
            let Some(key) = route.key() else { continue };
            let Some(earlier) = first.get(&key) else {
                first.insert(key, route);
                continue;
            };
            let same_backend = earlier.entry.backend == route.entry.backend;
            let message = format!(
                "{} of Ingress {} repeats {} of {}{}",
                route.field,
                ingress.qualified_name(),
                route.describe(),
                earlier.field,
                if same_backend {
                    ", with the same backend"
                } else {
                    ": only one of the two backends receives the traffic"
                }
            );
            let mut finding = ingress
                .report(&RULE, route.field.clone(), message)
                .with_label(Label {
                    file: ingress.file.id,
                    span: ingress.span(&earlier.field),
                    message: "first routed here".to_owned(),
                })
                .with_help(if same_backend {
                    "remove the repeated entry"
                } else {
                    "change the path or host of one entry, or remove it"
                });
            if same_backend {
                finding.severity = Severity::Warning;
            }
            out.push(finding);
        }
    }
}
