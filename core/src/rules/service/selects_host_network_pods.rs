//! `service-selects-host-network-pods`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::{backends, join_names, selected};

declare_rule! {
    /// ## What it does
    /// Reports a Service whose selector matches pods that run with `hostNetwork: true`.
    ///
    /// ## Why it matters
    /// The endpoints of such a Service are node addresses, and the pods listen on the nodes'
    /// own interfaces: NetworkPolicy does not isolate them (most plugins treat their traffic as
    /// node traffic), their ports can clash with anything else on the node, and they are
    /// reachable on every address of the node, not only through the Service.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: agent
    ///   namespace: monitoring
    /// spec:
    ///   selector:
    ///     app: agent
    ///   ports:
    ///     - port: 9100
    /// ---
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: agent
    ///   namespace: monitoring
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: agent
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: agent
    ///     spec:
    ///       hostNetwork: true
    ///       containers:
    ///         - name: agent
    ///           image: registry.example/agent:1
    ///           ports:
    ///             - containerPort: 9100
    /// ```
    ///
    /// ## Use instead
    /// Run the pods on the pod network when they do not need the node's interfaces:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: agent
    ///   namespace: monitoring
    /// spec:
    ///   selector:
    ///     app: agent
    ///   ports:
    ///     - port: 9100
    /// ---
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: agent
    ///   namespace: monitoring
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: agent
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: agent
    ///     spec:
    ///       containers:
    ///         - name: agent
    ///           image: registry.example/agent:1
    ///           ports:
    ///             - containerPort: 9100
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, Network Policies, "What you can't do with network policies"
    ///   (host-network pods)
    pub RULE {
        code: "NW2036",
        name: "service-selects-host-network-pods",
        category: Security,
        severity: Info,
        scope: Workspace,
        fix: false,
        summary: "A Service selects pods on the host network, which NetworkPolicy does not isolate.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let backends = backends(ctx);
    for service in &ctx.services {
        let host: Vec<_> = selected(service, backends)
            .into_iter()
            .filter(|b| b.host_network)
            .collect();
        if host.is_empty() {
            continue;
        }
        let message = format!(
            "Service {} selects pods on the host network ({}): its endpoints are node addresses, and NetworkPolicy does not isolate those pods",
            service.qualified_name(),
            join_names(host.iter().map(|b| b.display.as_str()))
        );
        let mut diagnostic = service
            .report(&RULE, FieldPath::new(["spec", "selector"]), message)
            .with_help("run the pods on the pod network unless they need the node's interfaces; protect host-network pods with node firewalls");
        for backend in &host {
            diagnostic = diagnostic
                .with_label(backend.label(format!("{} uses hostNetwork", backend.display)));
        }
        out.push(diagnostic);
    }
}
