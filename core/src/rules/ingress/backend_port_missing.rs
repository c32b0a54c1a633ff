//! `ingress-backend-port-missing`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::{IntOrString, Service, ServicePort};
use crate::rules::Context;

use super::{service_backends, services_named};

declare_rule! {
    /// ## What it does
    /// Reports an Ingress backend whose Service is in the bundle but has no port of the
    /// backend's `port.name` or `port.number`. ExternalName Services and Services without
    /// ports are left out (controllers then use the backend port as it is).
    ///
    /// ## Why it matters
    /// The controller finds the Service but no endpoints for that port, so the host and path
    /// answer 503. A frequent cause is naming the container port (the Service's
    /// `targetPort`) instead of the Service's own `port`.
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
    ///       targetPort: 8080
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
    ///                 name: web
    ///                 port:
    ///                   number: 8080
    /// ```
    ///
    /// ## Use instead
    /// Name a port of the Service (by name, so renumbering it does not break the route):
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
    ///       targetPort: 8080
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
    /// - Kubernetes API reference, ServiceBackendPort
    /// - kube-linter `dangling-ingress`, kube-score `ingress-targets-service`, popeye POP-1402
    pub RULE {
        code: "NW4002",
        name: "ingress-backend-port-missing",
        category: Correctness,
        severity: Error,
        scope: Workspace,
        fix: false,
        summary: "An Ingress backend names a port its Service does not have.",
        check: check,
    }
}

/// What the backend asks for.
enum Wanted<'a> {
    Name(&'a str),
    Number(i32),
}

impl Wanted<'_> {
    fn matches(&self, port: &ServicePort) -> bool {
        match self {
            Wanted::Name(name) => port.name.as_deref() == Some(*name),
            Wanted::Number(number) => port.port == Some(*number),
        }
    }

    /// Whether it names this port's `targetPort` instead of the port.
    fn is_target_of(&self, port: &ServicePort) -> bool {
        match (self, &port.target_port) {
            (Wanted::Name(name), Some(IntOrString::String(target))) => target == name,
            (Wanted::Number(number), Some(IntOrString::Int(target))) => target == number,
            _ => false,
        }
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for ingress in &ctx.ingresses {
        for backend in service_backends(&ingress.value) {
            let Some(port) = &backend.service.port else {
                continue;
            };
            let (wanted, field, shown) = match (port.name.as_deref(), port.number) {
                (Some(name), None) if !name.is_empty() => {
                    (Wanted::Name(name), "name", format!("port name {name}"))
                }
                (None, Some(number)) if number != 0 => {
                    (Wanted::Number(number), "number", format!("port {number}"))
                }
                _ => continue, // both or neither: the API server reports it
            };
            let services: Vec<&Service> = services_named(ctx, &ingress.namespace, backend.name)
                .map(|s| &s.value)
                .collect();
            let decidable = !services.is_empty()
                && services_named(ctx, &ingress.namespace, backend.name).all(|s| s.valid)
                && services.iter().all(|s| {
                    s.spec.type_.as_deref() != Some("ExternalName") && !s.spec.ports.is_empty()
                });
            if !decidable
                || services
                    .iter()
                    .any(|s| s.spec.ports.iter().any(|p| wanted.matches(p)))
            {
                continue;
            }
            let ports = services
                .iter()
                .flat_map(|s| s.spec.ports.iter())
                .map(describe)
                .collect::<Vec<_>>()
                .join(", ");
            let message = format!(
                "Ingress {} routes to {shown} of Service {}/{}, which has no such port (its ports: {ports})",
                ingress.qualified_name(),
                ingress.namespace,
                backend.name
            );
            let target = services
                .iter()
                .flat_map(|s| s.spec.ports.iter())
                .find(|p| wanted.is_target_of(p) && p.port.is_some());
            let help = match target {
                Some(p) => format!(
                    "that is the targetPort of the Service's port {}: a backend names the Service port, not the container port",
                    describe(p)
                ),
                None => "name one of the Service's ports (by name, so renumbering it does not break the route)".to_owned(),
            };
            out.push(
                ingress
                    .report(
                        &RULE,
                        backend.path.child("service").child("port").child(field),
                        message,
                    )
                    .with_help(help),
            );
        }
    }
}

/// `80 (http)` or `80`.
fn describe(port: &ServicePort) -> String {
    let number = port.port.map_or_else(|| "?".to_owned(), |n| n.to_string());
    match port.name.as_deref().filter(|n| !n.is_empty()) {
        Some(name) => format!("{number} ({name})"),
        None => number,
    }
}
