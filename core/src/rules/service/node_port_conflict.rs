//! `service-node-port-conflict`.

use std::collections::HashMap;

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Label};
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::service_type;

declare_rule! {
    /// ## What it does
    /// Reports a NodePort or LoadBalancer Service that requests an explicit `nodePort` (or
    /// `healthCheckNodePort`) another Service of the bundle already requests. Node ports are
    /// allocated cluster-wide, whatever the namespace and protocol. The same Service written
    /// twice (same namespace and name) is not a conflict.
    ///
    /// ## Why it matters
    /// Only one Service can hold a node port: whichever is applied second is rejected with
    /// "provided port is already allocated", which typically shows up as a GitOps sync that
    /// never converges or an install that fails in one cluster but not another.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   type: LoadBalancer
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 80
    ///       nodePort: 30080
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: grafana
    ///   namespace: monitoring
    /// spec:
    ///   type: LoadBalancer
    ///   selector:
    ///     app: grafana
    ///   ports:
    ///     - port: 443
    ///       targetPort: 3000
    ///       nodePort: 30080
    /// ```
    ///
    /// ## Use instead
    /// Give each Service its own node port, or leave `nodePort` out and let the API server
    /// allocate one:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   type: NodePort
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 80
    ///       nodePort: 30080
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: grafana
    ///   namespace: monitoring
    /// spec:
    ///   type: NodePort
    ///   selector:
    ///     app: grafana
    ///   ports:
    ///     - port: 3000
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, Service, "Choosing your own port" and "Avoiding collisions"
    pub RULE {
        code: "NW2007",
        name: "service-node-port-conflict",
        category: Correctness,
        severity: Error,
        scope: Workspace,
        fix: false,
        summary: "Two Services of the bundle request the same node port; the second cannot be created.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    // node port → (Service index, path) of its first claim.
    let mut first: HashMap<i32, (usize, FieldPath)> = HashMap::new();
    for (index, service) in ctx.services.iter().enumerate() {
        for (port, path) in claims(&service.value) {
            let Some((owner, owner_path)) = first.get(&port) else {
                first.insert(port, (index, path));
                continue;
            };
            let Some(other) = ctx.services.get(*owner) else {
                continue;
            };
            if other.namespace == service.namespace && other.name == service.name {
                continue;
            }
            let message = format!(
                "Service {} requests node port {port}, which Service {} also requests: node ports are allocated cluster-wide, so whichever is applied second is rejected (\"provided port is already allocated\")",
                service.qualified_name(),
                other.qualified_name()
            );
            out.push(
                service
                    .report(&RULE, path, message)
                    .with_help(format!(
                        "pick a free port for one of them, or leave `nodePort` out and let the API server allocate one (the range is {}-{})",
                        ctx.options.cluster.node_port_range.first,
                        ctx.options.cluster.node_port_range.last
                    ))
                    .with_label(Label {
                        file: other.file.id,
                        span: other.span(owner_path),
                        message: format!("node port {port} of Service {}", other.qualified_name()),
                    }),
            );
        }
    }
}

/// The explicit node ports a Service requests, with their paths.
fn claims(service: &crate::model::Service) -> Vec<(i32, FieldPath)> {
    let type_ = service_type(service);
    if !matches!(type_, "NodePort" | "LoadBalancer") {
        return Vec::new();
    }
    let ports = FieldPath::new(["spec", "ports"]);
    let mut out: Vec<(i32, FieldPath)> = Vec::new();
    for (i, port) in service.spec.ports.iter().enumerate() {
        if let Some(n) = port.node_port.filter(|n| *n > 0) {
            // One Service may use a node port for TCP and UDP alike.
            if !out.iter().any(|(p, _)| *p == n) {
                out.push((n, ports.index(i).child("nodePort")));
            }
        }
    }
    let local = service.spec.external_traffic_policy.as_deref() == Some("Local");
    if let Some(n) = service.spec.health_check_node_port.filter(|n| *n > 0) {
        if type_ == "LoadBalancer" && local && !out.iter().any(|(p, _)| *p == n) {
            out.push((n, FieldPath::new(["spec", "healthCheckNodePort"])));
        }
    }
    out
}
