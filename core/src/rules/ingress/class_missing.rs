//! `ingress-class-missing`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

use super::{class, is_intentional_companion};

declare_rule! {
    /// ## What it does
    /// Reports an Ingress with neither `spec.ingressClassName` nor the legacy
    /// `kubernetes.io/ingress.class` annotation.
    ///
    /// ## Why it matters
    /// Which controller serves the Ingress then depends on the cluster: when the Ingress is
    /// created, the API server fills in the IngressClass marked as default, if the cluster
    /// has one. Without a default class, current controllers (ingress-nginx since 1.0)
    /// ignore the Ingress and its hosts stay unreachable; with several controllers, the
    /// manifest goes to whichever class is the default in the next cluster, possibly a
    /// public one where an internal one was meant.
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
    /// ## Use instead
    /// Name the class:
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
    /// - Kubernetes documentation, Ingress, "Default IngressClass" and "Deprecated annotation"
    /// - kyverno `restrict-ingress-classes`
    pub RULE {
        code: "NW4012",
        name: "ingress-class-missing",
        category: Correctness,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "The Ingress names no class, so which controller serves it, if any, depends on the cluster's default.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for ingress in &ctx.ingresses {
        if class(&ingress.value).is_some() || is_intentional_companion(&ingress.value) {
            continue;
        }
        let message = format!(
            "Ingress {} names no class: only a default IngressClass picks it up, and without one no controller serves it",
            ingress.qualified_name()
        );
        out.push(
            ingress
                .report(&RULE, FieldPath::new(["spec", "ingressClassName"]), message)
                .with_help(
                    "set `spec.ingressClassName` to the class of the controller meant to serve it",
                ),
        );
    }
}
