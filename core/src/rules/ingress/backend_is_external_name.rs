//! `ingress-backend-is-external-name`.

use std::collections::BTreeSet;

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Label};
use crate::path::FieldPath;
use crate::rules::Context;

use super::{service_backends, services_named};

declare_rule! {
    /// ## What it does
    /// Reports an Ingress backend whose Service (in the bundle) is of type `ExternalName`.
    ///
    /// ## Why it matters
    /// The controller then proxies to whatever host name the Service's `externalName` says,
    /// from inside the cluster and with the controller's network position: another
    /// namespace's Service (`db.other.svc.cluster.local`), the cloud metadata endpoint, or any
    /// outside host. Whoever can edit the Service steers the Ingress's traffic, past the
    /// NetworkPolicies of the target, the confused-deputy pattern of CVE-2021-25740. Contour and
    /// Traefik disable ExternalName backends by default for
    /// this reason.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: docs
    ///   namespace: shop
    /// spec:
    ///   type: ExternalName
    ///   externalName: docs.example.net
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: docs
    ///   namespace: shop
    /// spec:
    ///   ingressClassName: nginx
    ///   tls:
    ///     - hosts:
    ///         - docs.example.com
    ///       secretName: docs-example-com-tls
    ///   rules:
    ///     - host: docs.example.com
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: docs
    ///                 port:
    ///                   number: 443
    /// ```
    ///
    /// ## Use instead
    /// Route to a Service backed by pods of the namespace (a proxy Deployment when the content
    /// lives outside), or redirect at the edge:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: docs
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     app: docs-proxy
    ///   ports:
    ///     - name: http
    ///       port: 80
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: docs
    ///   namespace: shop
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///     - host: docs.example.com
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: docs
    ///                 port:
    ///                   name: http
    /// ```
    ///
    /// ## References
    /// - CVE-2021-25740, kubernetes/kubernetes#103675
    /// - Kubernetes documentation, Service, "type ExternalName"
    pub RULE {
        code: "NW4003",
        name: "ingress-backend-is-external-name",
        category: Security,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "An Ingress backend is an ExternalName Service: the controller proxies to whatever host it names.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for ingress in &ctx.ingresses {
        let mut reported = BTreeSet::new();
        for backend in service_backends(&ingress.value) {
            let Some(service) = services_named(ctx, &ingress.namespace, backend.name)
                .find(|s| s.value.spec.type_.as_deref() == Some("ExternalName"))
            else {
                continue;
            };
            if !reported.insert(backend.name) {
                continue;
            }
            let target = service
                .value
                .spec
                .external_name
                .as_deref()
                .unwrap_or_default();
            let message = format!(
                "Ingress {} routes to ExternalName Service {}: the controller proxies these requests to {}",
                ingress.qualified_name(),
                service.qualified_name(),
                if target.is_empty() {
                    "whatever host the Service names".to_owned()
                } else {
                    format!("`{target}`")
                }
            );
            out.push(
                ingress
                    .report(&RULE, backend.path.child("service").child("name"), message)
                    .with_label(Label {
                        file: service.file.id,
                        span: service.span(&FieldPath::new(["spec", "externalName"])),
                        message: format!("{} is an ExternalName Service", service.qualified_name()),
                    })
                    .with_help("route to a Service backed by pods; if the external target is meant, say why with `# netward-ignore: NW4003 <reason>`"),
            );
        }
    }
}
