//! `ingress-sets-default-backend`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Reports an Ingress that sets `spec.defaultBackend`.
    ///
    /// ## Why it matters
    /// A default backend is not scoped to the Ingress's hosts on every controller.
    /// ingress-nginx makes the backend of an Ingress without rules the catch-all of the whole
    /// controller; Traefik turns any Ingress's default backend into a lowest-priority router
    /// for every host. Either way one namespace receives the requests meant for hosts and
    /// paths nobody else serves: mistyped names, probes, and the traffic of an application
    /// while it is being redeployed. The catch-all belongs to whoever runs the controller.
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
    ///   defaultBackend:
    ///     service:
    ///       name: web
    ///       port:
    ///         name: http
    /// ```
    ///
    /// ## Use instead
    /// Route the application's own host:
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
    /// - Kubernetes documentation, Ingress, "DefaultBackend"
    /// - kyverno `restrict-ingress-defaultbackend`
    pub RULE {
        code: "NW4008",
        name: "ingress-sets-default-backend",
        category: Security,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "The Ingress sets defaultBackend, which can capture requests for every host no other Ingress serves.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for ingress in &ctx.ingresses {
        if ingress.value.spec.default_backend.is_none() {
            continue;
        }
        let message = if ingress.value.spec.rules.is_empty() {
            format!(
                "Ingress {} has only a defaultBackend: it becomes the controller's catch-all for every request no other Ingress serves",
                ingress.qualified_name()
            )
        } else {
            format!(
                "Ingress {} sets defaultBackend: depending on the controller it serves the unmatched paths of its hosts or every request no other Ingress serves",
                ingress.qualified_name()
            )
        };
        out.push(
            ingress
                .report(&RULE, FieldPath::new(["spec", "defaultBackend"]), message)
                .with_help("route the application's hosts and paths under `rules`; leave the catch-all to the controller's own default backend"),
        );
    }
}
