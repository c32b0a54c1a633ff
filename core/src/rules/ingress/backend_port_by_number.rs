//! `ingress-backend-port-by-number`.

use std::collections::BTreeSet;

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::path::{FieldPath, Segment};
use crate::rules::Context;
use crate::source::Node;

use super::{service_backends, services_named};

declare_rule! {
    /// ## What it does
    /// Reports an Ingress backend that names its Service port by `number`. When the bundle
    /// holds the Service and that port has a name, the finding offers to use the name;
    /// when the port has no name, nothing is reported (naming it is a change to the
    /// Service). ExternalName Services are left out.
    ///
    /// ## Why it matters
    /// A port name survives renumbering: when the Service's port changes from 80 to 8080,
    /// backends that name it keep working, while backends that give the number silently
    /// point at a port that no longer exists.
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
    ///                   number: 80
    /// ```
    ///
    /// ## Use instead
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
    /// - Kubernetes API reference, ServiceBackendPort
    /// - popeye POP-1403
    pub RULE {
        code: "NW4017",
        name: "ingress-backend-port-by-number",
        category: Style,
        severity: Info,
        scope: Object,
        fix: true,
        summary: "An Ingress backend gives its Service port by number instead of by name.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for ingress in &ctx.ingresses {
        for backend in service_backends(&ingress.value) {
            let Some(port) = &backend.service.port else {
                continue;
            };
            let (None, Some(number)) =
                (port.name.as_deref().filter(|n| !n.is_empty()), port.number)
            else {
                continue;
            };
            if number == 0 {
                continue;
            }
            let services: Vec<_> = services_named(ctx, &ingress.namespace, backend.name).collect();
            if services
                .iter()
                .any(|s| s.value.spec.type_.as_deref() == Some("ExternalName") || !s.valid)
            {
                continue;
            }
            let names: BTreeSet<&str> = crate::sort::set(
                services
                    .iter()
                    .flat_map(|s| s.value.spec.ports.iter())
                    .filter(|p| p.port == Some(number))
                    .filter_map(|p| p.name.as_deref().filter(|n| !n.is_empty())),
            );
            let port_path = backend.path.child("service").child("port");
            let number_path = port_path.child("number");
            let message = format!(
                "Ingress {} names port {number} of Service {}/{} by number",
                ingress.qualified_name(),
                ingress.namespace,
                backend.name
            );
            let mut finding = ingress.report(&RULE, number_path, message);
            match (services.is_empty(), names.iter().next(), names.len()) {
                (true, _, _) => {
                    finding = finding.with_help(
                        "name the Service's port and use `port.name`, so renumbering the port does not break the route",
                    );
                }
                (false, Some(name), 1) => {
                    let entry = entry_at(ingress.object.node, &port_path, "number");
                    finding = finding.with_help(format!("use the port's name: `name: {name}`"));
                    if let Some((key, value)) = entry {
                        finding = finding.with_fix(Fix {
                            title: format!("Use `name: {name}`"),
                            edits: vec![Edit {
                                file: ingress.file.id,
                                span: key.span.cover(value.span),
                                replacement: format!("name: {name}"),
                            }],
                        });
                    }
                }
                _ => continue, // the port has no name (or several candidates)
            }
            out.push(finding);
        }
    }
}

/// The key and value nodes of field `field` of the mapping at `path`.
fn entry_at<'n>(root: &'n Node, path: &FieldPath, field: &str) -> Option<(&'n Node, &'n Node)> {
    let mut node = root;
    for segment in path.segments() {
        node = match segment {
            Segment::Field(name) | Segment::Key(name) => node.get(name)?,
            Segment::Index(index) => node.as_seq()?.get(*index)?,
        };
    }
    let entry = node.entry(field)?;
    Some((&entry.key, &entry.value))
}
