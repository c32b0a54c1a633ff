//! `internal-traffic-local-not-on-every-node`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Context;

use super::local_traffic_policy::{self, Policy};

declare_rule! {
    /// ## What it does
    /// Reports a Service with `internalTrafficPolicy: Local` whose selected pods (in the
    /// bundle) come from workloads that do not run on every node: no DaemonSet among them.
    ///
    /// ## Why it matters
    /// With `Local`, a client pod only reaches the Service's pods on its own node. It is meant
    /// for node-local agents (log collectors, node-local caches) run as DaemonSets. Backed by
    /// a Deployment, clients on nodes without one of its pods get no answer, and which clients
    /// fail changes with every reschedule.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: cache
    ///   namespace: shop
    /// spec:
    ///   internalTrafficPolicy: Local
    ///   selector:
    ///     app: cache
    ///   ports:
    ///     - port: 6379
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: cache
    ///   namespace: shop
    /// spec:
    ///   replicas: 3
    ///   selector:
    ///     matchLabels:
    ///       app: cache
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: cache
    ///     spec:
    ///       containers:
    ///         - name: redis
    ///           image: redis
    ///           ports:
    ///             - containerPort: 6379
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
    /// Prefer nearby pods without dropping traffic:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: cache
    ///   namespace: shop
    /// spec:
    ///   trafficDistribution: PreferClose
    ///   selector:
    ///     app: cache
    ///   ports:
    ///     - port: 6379
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: cache
    ///   namespace: shop
    /// spec:
    ///   replicas: 3
    ///   selector:
    ///     matchLabels:
    ///       app: cache
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: cache
    ///     spec:
    ///       containers:
    ///         - name: redis
    ///           image: redis
    ///           ports:
    ///             - containerPort: 6379
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, "Service Internal Traffic Policy"
    pub RULE {
        code: "NW2031",
        name: "internal-traffic-local-not-on-every-node",
        category: Correctness,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "A Service with internalTrafficPolicy Local is backed by pods that do not run on every node, so some clients get no answer.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    local_traffic_policy::check(ctx, out, &RULE, Policy::Internal);
}
