//! `service-target-port-name-not-found`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Context;

use super::support::{join_names, port_uses, services_with_pods, Target};

declare_rule! {
    /// ## What it does
    /// Reports a Service port whose `targetPort` is a name that no container of any selected
    /// pod defines (regular containers and restartable init containers, as the endpoint
    /// controller looks them up). Only Services whose selector matches pods of the bundle are
    /// checked. A name defined with another protocol is reported by
    /// `service-port-protocol-mismatch`.
    ///
    /// ## Why it matters
    /// A named target port is resolved per pod: a pod without a container port of that name
    /// (and protocol) gets no endpoint for the Service port. When no selected pod defines the
    /// name, the Service port has no endpoints at all, whatever number the application listens
    /// on.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: api
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     app: api
    ///   ports:
    ///     - port: 80
    ///       targetPort: http
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: api
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: api
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: registry.example/api:1.4
    ///           ports:
    ///             - name: web
    ///               containerPort: 8080
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: default-deny
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   policyTypes:
    ///     - Ingress
    ///     - Egress
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
    /// Use the name the container gives its port:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: api
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     app: api
    ///   ports:
    ///     - port: 80
    ///       targetPort: web
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: api
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: api
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: api
    ///     spec:
    ///       containers:
    ///         - name: api
    ///           image: registry.example/api:1.4
    ///           ports:
    ///             - name: web
    ///               containerPort: 8080
    /// ```
    ///
    /// ## References
    /// - Kubernetes API reference, ServicePort `targetPort` ("Name ... will be looked up as a
    ///   named port in the target Pod's container ports")
    /// - kubernetes/kubernetes `pkg/api/v1/pod/util.go` `FindPort`; popeye POP-1106
    pub RULE {
        code: "NW2004",
        name: "service-target-port-name-not-found",
        category: Correctness,
        severity: Error,
        scope: Workspace,
        fix: false,
        summary: "A Service port targets a port name that none of the selected pods defines, so it has no endpoints.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (service, pods) in services_with_pods(ctx) {
        for use_ in port_uses(&service.value, &pods) {
            let Target::Name(name) = use_.target else {
                continue;
            };
            if !use_.serving.is_empty() || !use_.other_protocol.is_empty() {
                continue;
            }
            let ports: Vec<String> = use_
                .missing
                .iter()
                .map(|b| format!("{} declares {}", b.display, b.ports_text()))
                .collect();
            let message = format!(
                "Service {} port {} targets the port named `{name}`, which none of its pods defines ({}): the port has no endpoints",
                service.qualified_name(),
                use_.port,
                ports.join("; ")
            );
            let mut diagnostic = service.report(&RULE, use_.path.clone(), message).with_help(
                format!(
                    "use a name the containers give their port, or name the port `{name}` (protocol {}) in the containers of {}",
                    use_.protocol,
                    join_names(use_.missing.iter().map(|b| b.display.as_str()))
                ),
            );
            for backend in &use_.missing {
                diagnostic = diagnostic.with_label(
                    backend.label(format!("{} does not define `{name}`", backend.display)),
                );
            }
            out.push(diagnostic);
        }
    }
}
