//! `service-opens-node-port`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::service_type;

declare_rule! {
    /// ## What it does
    /// Reports Services of `type: NodePort`. (LoadBalancer Services also allocate node ports;
    /// they are judged by the load-balancer rules.)
    ///
    /// ## Why it matters
    /// A NodePort Service opens its port on every node of the cluster, on every node address,
    /// usually reachable from wherever the nodes are: the whole private network, sometimes the
    /// internet. NetworkPolicy cannot tell clients apart reliably once traffic arrives through
    /// a node (the source is often replaced by the node's address), and the range is shared by
    /// all namespaces.
    ///
    /// ## Example
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
    /// ```
    ///
    /// ## Use instead
    /// A ClusterIP Service behind an Ingress, or a LoadBalancer limited to its clients:
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
    ///     - port: 80
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, Service, "type: NodePort"
    /// - kube-score `service-type`, kube-linter `exposed-services`, kubescape C-0256
    pub RULE {
        code: "NW2026",
        name: "service-opens-node-port",
        category: Security,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "A NodePort Service opens its port on every node of the cluster.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &ctx.services {
        if service_type(&service.value) != "NodePort" {
            continue;
        }
        let ports: Vec<String> = service
            .value
            .spec
            .ports
            .iter()
            .filter_map(|p| p.port)
            .map(|p| p.to_string())
            .collect();
        let message = format!(
            "Service {} is of type NodePort: it opens a port on every node of the cluster (for Service port{} {}), reachable wherever the nodes are",
            service.qualified_name(),
            if ports.len() == 1 { "" } else { "s" },
            ports.join(", ")
        );
        out.push(
            service
                .report(&RULE, FieldPath::new(["spec", "type"]), message)
                .with_help("use a ClusterIP Service behind an Ingress or Gateway, or a LoadBalancer with loadBalancerSourceRanges; if node ports are how this cluster is reached, say so with a suppression and a reason"),
        );
    }
}
