//! `service-target-port-name-partial`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Context;

use super::support::{join_names, port_uses, services_with_pods, Target};

declare_rule! {
    /// ## What it does
    /// Reports a Service port whose named `targetPort` is defined by some of the selected pods
    /// (Pods or workload templates) but not by others.
    ///
    /// ## Why it matters
    /// The endpoint controller resolves a named target port pod by pod and leaves out the pods
    /// that do not define it. The Service keeps working on the other pods, so the missing share
    /// of the backends goes unnoticed: typically a canary or a second Deployment that renamed
    /// its port, or a workload selected by accident.
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
    ///     - port: 80
    ///       targetPort: http
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///       track: stable
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///         track: stable
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: registry.example/web:2.0
    ///           ports:
    ///             - name: http
    ///               containerPort: 8080
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web-canary
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///       track: canary
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///         track: canary
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: registry.example/web:2.1
    ///           ports:
    ///             - name: web
    ///               containerPort: 8080
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
    /// Give the port the same name in every selected workload:
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
    ///       targetPort: http
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///       track: stable
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///         track: stable
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: registry.example/web:2.0
    ///           ports:
    ///             - name: http
    ///               containerPort: 8080
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web-canary
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///       track: canary
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///         track: canary
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: registry.example/web:2.1
    ///           ports:
    ///             - name: http
    ///               containerPort: 8080
    /// ```
    ///
    /// ## References
    /// - Kubernetes API reference, ServicePort `targetPort`
    /// - kubernetes/kubernetes `pkg/api/v1/pod/util.go` `FindPort`
    pub RULE {
        code: "NW2005",
        name: "service-target-port-name-partial",
        category: Correctness,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "A Service's named targetPort is defined by only some of the selected workloads; the others get no endpoints.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (service, pods) in services_with_pods(ctx) {
        for use_ in port_uses(&service.value, &pods) {
            let Target::Name(name) = use_.target else {
                continue;
            };
            if use_.serving.is_empty() || use_.missing.is_empty() {
                continue;
            }
            let missing = join_names(use_.missing.iter().map(|b| b.display.as_str()));
            let message = format!(
                "Service {} port {} targets the port named `{name}`, which {missing} {} not define ({} {}): those pods get no endpoint for this port",
                service.qualified_name(),
                use_.port,
                if use_.missing.len() == 1 { "does" } else { "do" },
                join_names(use_.serving.iter().map(|b| b.display.as_str())),
                if use_.serving.len() == 1 { "does" } else { "do" },
            );
            let mut diagnostic = service.report(&RULE, use_.path.clone(), message).with_help(
                format!(
                    "name the port `{name}` in {missing} too, or narrow the selector if those pods are not meant to serve this Service"
                ),
            );
            for backend in &use_.missing {
                diagnostic = diagnostic.with_label(backend.label(format!(
                    "{} declares {}",
                    backend.display,
                    backend.ports_text()
                )));
            }
            out.push(diagnostic);
        }
    }
}
