//! `session-affinity-not-sticky-across-nodes`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::service_type;

declare_rule! {
    /// ## What it does
    /// Reports a `LoadBalancer` or `NodePort` Service with `sessionAffinity: ClientIP` and
    /// `externalTrafficPolicy: Cluster` (the default).
    ///
    /// ## Why it matters
    /// ClientIP affinity is kept by kube-proxy on each node separately. With
    /// `externalTrafficPolicy: Cluster` every node accepts outside traffic and forwards it to
    /// any pod, so a client whose connections the load balancer spreads over several nodes
    /// is pinned to a different pod on each — the stickiness the application relies on is
    /// lost. Behind a load balancer that proxies (rather than passing the client address
    /// through), every connection comes from the load balancer's own addresses and many
    /// clients collapse onto the same few pods. With `externalTrafficPolicy: Local` traffic
    /// stays on the node that received it and keeps the client's address; sticky sessions
    /// are more reliably done by the load balancer or an Ingress (cookie affinity).
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
    ///   allocateLoadBalancerNodePorts: false
    ///   sessionAffinity: ClientIP
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - name: https
    ///       port: 443
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   type: LoadBalancer
    ///   allocateLoadBalancerNodePorts: false
    ///   externalTrafficPolicy: Local
    ///   sessionAffinity: ClientIP
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - name: https
    ///       port: 443
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, Virtual IPs and Service Proxies, "Session affinity";
    ///   "Traffic policies"
    /// - Kubernetes documentation, Create an External Load Balancer, "Preserving the client
    ///   source IP"
    pub RULE {
        code: "NW2041",
        name: "session-affinity-not-sticky-across-nodes",
        category: Correctness,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "ClientIP affinity on a LoadBalancer or NodePort Service with externalTrafficPolicy Cluster is kept per node, so clients are not reliably pinned.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &ctx.services {
        let spec = &service.value.spec;
        let kind = service_type(&service.value);
        if spec.session_affinity.as_deref() != Some("ClientIP")
            || !matches!(kind, "LoadBalancer" | "NodePort")
            || spec.external_traffic_policy.as_deref() == Some("Local")
        {
            continue;
        }
        let message = format!(
            "{kind} Service {} sets sessionAffinity: ClientIP with externalTrafficPolicy Cluster: each node keeps its own affinity and forwards to any pod, so a client reaching several nodes (or many clients behind a proxying load balancer) is not pinned as intended",
            service.qualified_name()
        );
        out.push(
            service
                .report(&RULE, FieldPath::new(["spec", "sessionAffinity"]), message)
                .with_help("set `externalTrafficPolicy: Local`, or make the load balancer or an Ingress keep the sessions (cookie affinity)"),
        );
    }
}
