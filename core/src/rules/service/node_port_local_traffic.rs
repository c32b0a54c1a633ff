//! `node-port-local-traffic-not-on-every-node`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Context;

use super::local_traffic_policy::{self, Policy};

declare_rule! {
    /// ## What it does
    /// Reports a NodePort Service with `externalTrafficPolicy: Local` whose selected pods (in
    /// the bundle) come from workloads that do not run on every node: no DaemonSet among them.
    ///
    /// ## Why it matters
    /// With `Local`, a node only forwards node-port traffic to pods on that node. A client that
    /// connects to a node without such a pod gets its connection dropped, so clients that
    /// pick nodes freely see random failures that move with every reschedule. LoadBalancer
    /// Services avoid this because the cloud load balancer health-checks each node; plain
    /// NodePort clients do not, unless an external load balancer health-checks the node port.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   type: NodePort # netward-ignore: NW2026 bare-metal cluster reached through node ports
    ///   externalTrafficPolicy: Local
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 80
    ///       targetPort: 8080
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   replicas: 2
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx
    ///           ports:
    ///             - containerPort: 8080
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: baseline
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   policyTypes:
    ///     - Ingress
    ///     - Egress
    ///   ingress:
    ///     - from:
    ///         - podSelector: {}
    ///   egress:
    ///     - to:
    ///         - namespaceSelector:
    ///             matchLabels:
    ///               kubernetes.io/metadata.name: kube-system
    ///           podSelector:
    ///             matchLabels:
    ///               k8s-app: kube-dns
    ///       ports:
    ///         - protocol: UDP
    ///           port: 53
    ///         - protocol: TCP
    ///           port: 53
    /// ```
    ///
    /// ## Use instead
    /// Run the pods on every node (or use `externalTrafficPolicy: Cluster`, or a LoadBalancer
    /// Service):
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   type: NodePort
    ///   externalTrafficPolicy: Local
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 80
    ///       targetPort: 8080
    /// ---
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx
    ///           ports:
    ///             - containerPort: 8080
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, "Create an External Load Balancer", "Preserving the client
    ///   source IP"; "Virtual IPs and Service Proxies", "Traffic policies"
    /// - popeye POP-1108
    pub RULE {
        code: "NW2030",
        name: "node-port-local-traffic-not-on-every-node",
        category: Correctness,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "A NodePort Service with externalTrafficPolicy Local drops connections on nodes that run none of its pods.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    local_traffic_policy::check(ctx, out, &RULE, Policy::External);
}
