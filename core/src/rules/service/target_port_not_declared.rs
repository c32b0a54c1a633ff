//! `service-target-port-not-declared`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Context;

use super::support::{join_names, port_uses, services_with_pods, Target};

declare_rule! {
    /// ## What it does
    /// Reports a Service port whose numeric `targetPort` (or `port`, when `targetPort` is not
    /// written) is not declared, with the same protocol or any other, by any container of the
    /// pods the Service selects, when each of those pods declares its ports. Restartable init
    /// containers (native sidecars) count.
    ///
    /// Pods that declare no port at all are not judged: declaring `containerPort` is optional.
    /// A port declared with another protocol is reported by `service-port-protocol-mismatch`.
    ///
    /// ## Why it matters
    /// Traffic goes to the target port whether or not a container declares it, so a Service
    /// pointing at the wrong number fails silently: connections are refused while the pods look
    /// healthy. When the pods do list their ports, a target outside that list is almost always
    /// a typo or a port changed on one side only.
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
    ///       targetPort: 8000
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
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx
    ///           ports:
    ///             - name: http
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
    /// Target the declared port, preferably by name:
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
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx
    ///           ports:
    ///             - name: http
    ///               containerPort: 8080
    /// ```
    ///
    /// ## References
    /// - Kubernetes API reference, ServicePort `targetPort`; Container `ports` ("not specifying
    ///   a port here DOES NOT prevent that port from being exposed")
    /// - popeye POP-1106, KICS "Service Does Not Target Pod"
    pub RULE {
        code: "NW2003",
        name: "service-target-port-not-declared",
        category: Correctness,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "A Service port targets a port number that none of the selected pods declares.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (service, pods) in services_with_pods(ctx) {
        if pods.iter().any(|p| p.ports.is_empty()) {
            continue;
        }
        for use_ in port_uses(&service.value, &pods) {
            let Target::Number(number) = use_.target else {
                continue;
            };
            if !use_.serving.is_empty() || !use_.other_protocol.is_empty() {
                continue;
            }
            let declared = join_names(use_.missing.iter().map(|b| b.display.as_str()));
            let ports: Vec<String> = use_
                .missing
                .iter()
                .map(|b| format!("{}: {}", b.display, b.ports_text()))
                .collect();
            let message = if use_.target_written {
                format!(
                    "Service {} sends port {} to targetPort {number}/{}, which none of its pods declares ({})",
                    service.qualified_name(),
                    use_.port,
                    use_.protocol,
                    ports.join("; ")
                )
            } else {
                format!(
                    "Service {} has no targetPort, so port {} goes to {number}/{} on its pods, which none of them declares ({})",
                    service.qualified_name(),
                    use_.port,
                    use_.protocol,
                    ports.join("; ")
                )
            };
            let mut diagnostic = service.report(&RULE, use_.path.clone(), message).with_help(
                format!(
                    "set targetPort to the port the application listens on (a named port such as `targetPort: http` survives port changes), or declare {number}/{} in the containers of {declared}",
                    use_.protocol
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
