//! `ingress-backend-service-missing`.

use std::collections::BTreeSet;

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules::Context;
use crate::validate::primitives::dns1123_label;

use super::{service_backends, services_named};

declare_rule! {
    /// ## What it does
    /// Reports an Ingress backend (a path's or the default backend) naming a Service that the
    /// bundle does not hold in the Ingress's namespace.
    ///
    /// A warning, since the Service may be deployed from elsewhere; an error when the options
    /// say the bundle is complete (`bundle_complete`).
    ///
    /// ## Why it matters
    /// The controller has nowhere to send the requests: that host and path answer 503 (or the
    /// controller's default backend). Backends always resolve in the Ingress's own namespace,
    /// so a Service of the same name in another namespace does not help.
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
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: webapp
    ///                 port:
    ///                   name: http
    /// ```
    ///
    /// ## Use instead
    /// Name a Service of the Ingress's namespace:
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
    /// ## References
    /// - Kubernetes documentation, Ingress, "Resource backends" and "Ingress rules"
    /// - kube-linter `dangling-ingress`, kube-score `ingress-targets-service`, popeye POP-1401
    pub RULE {
        code: "NW4001",
        name: "ingress-backend-service-missing",
        category: Correctness,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "An Ingress backend names a Service the bundle does not hold in the Ingress's namespace.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for ingress in &ctx.ingresses {
        let backends = service_backends(&ingress.value);
        let mut reported = BTreeSet::new();
        for backend in &backends {
            if services_named(ctx, &ingress.namespace, backend.name)
                .next()
                .is_some()
                || !dns1123_label(backend.name).is_empty() // the API server rejects it
                || !reported.insert(backend.name)
            {
                continue;
            }
            let more = backends
                .iter()
                .filter(|b| b.name == backend.name)
                .count()
                .saturating_sub(1);
            let message = format!(
                "Ingress {} routes to Service {}/{}, which is not in the bundle{}",
                ingress.qualified_name(),
                ingress.namespace,
                backend.name,
                match more {
                    0 => String::new(),
                    1 => " (and from 1 more backend)".to_owned(),
                    n => format!(" (and from {n} more backends)"),
                }
            );
            let elsewhere: Vec<&str> = ctx
                .services
                .iter()
                .filter(|s| s.name == backend.name)
                .map(|s| s.namespace.as_str())
                .collect();
            let help = if elsewhere.is_empty() {
                "fix the name, or add the Service to the bundle; if it is deployed from elsewhere, this is expected".to_owned()
            } else {
                format!(
                    "a Service {} exists in namespace {}, but an Ingress only reaches Services of its own namespace: move one of them",
                    backend.name,
                    elsewhere.join(", ")
                )
            };
            let mut finding = ingress
                .report(&RULE, backend.path.child("service").child("name"), message)
                .with_help(help);
            if ctx.options.bundle_complete {
                finding.severity = Severity::Error;
            }
            out.push(finding);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostic::Severity;
    use crate::lint;
    use crate::options::Options;
    use crate::{LoadLimits, Workspace};

    #[test]
    fn a_complete_bundle_makes_it_an_error() {
        let (bad, _) = super::RULE.doc_examples();
        for (complete, severity) in [(false, Severity::Warning), (true, Severity::Error)] {
            let mut workspace = Workspace::new(LoadLimits::default());
            workspace.add_file("a.yaml", bad.concat().as_bytes());
            let options = Options {
                bundle_complete: complete,
                ..Options::default()
            };
            let found: Vec<Severity> = lint::check(&workspace, &options)
                .iter()
                .filter(|d| d.rule.code == super::RULE.rule.code)
                .map(|d| d.severity)
                .collect();
            assert_eq!(found, [severity]);
        }
    }
}
