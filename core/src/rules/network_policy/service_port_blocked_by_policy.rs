//! `service-port-blocked-by-policy`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::netpol::Direction;
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::{
    name_list, namespace_id, pod_text, rule_admits_on_pod, rules, service_selects, service_target,
    Objects,
};

declare_rule! {
    /// ## What it does
    /// Reports a Service port whose backend pods are isolated for ingress while no ingress
    /// rule of the policies isolating them admits the port the Service forwards to (its
    /// `targetPort`, resolved on each pod), from any source at all. Backends no policy
    /// isolates, and named target ports a pod does not declare, are left out.
    ///
    /// ## Why it matters
    /// Connections through the Service time out, although the Service, its endpoints and the
    /// pods all look healthy: the classic outage after "deny everything, then allow what is
    /// needed" when one flow was forgotten, or when the policy names the Service's port
    /// instead of the pod's.
    ///
    /// ## Example
    /// ```yaml
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
    ///           image: example/web:1.0
    ///           ports:
    ///             - containerPort: 8080
    /// ---
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
    ///       targetPort: 8080
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: web
    ///   ingress:
    ///     - from:
    ///         - podSelector: {}
    ///       ports:
    ///         - port: 80
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
    /// Admit the pod's port (policies see connections after the Service's translation):
    /// ```yaml
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
    ///           image: example/web:1.0
    ///           ports:
    ///             - containerPort: 8080
    /// ---
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
    ///       targetPort: 8080
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: web
    ///   ingress:
    ///     - from:
    ///         - podSelector: {}
    ///       ports:
    ///         - port: 8080
    /// ```
    ///
    /// ## References
    /// - `netpol-semantics.md` §11.5 (policies see the pod's port, after Service translation)
    pub RULE {
        code: "NW3025",
        name: "service-port-blocked-by-policy",
        category: Correctness,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "The ingress policies of a Service's backend pods admit its target port from no source at all.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let objects = Objects::new(ctx);
    for service in ctx.services.iter().filter(|s| s.valid) {
        let spec = &service.value.spec;
        let Some(selector) = spec.selector.as_ref() else {
            continue;
        };
        if spec.type_.as_deref() == Some("ExternalName") {
            continue;
        }
        let Some(namespace) = namespace_id(ctx, &service.namespace) else {
            continue;
        };
        let backends: Vec<usize> = ctx
            .cluster
            .pods
            .iter()
            .enumerate()
            .filter(|(id, p)| {
                p.namespace == namespace
                    && ctx.evaluator.on_pod_network(*id)
                    && service_selects(selector, p)
            })
            .map(|(id, _)| id)
            .collect();
        for (k, port) in spec.ports.iter().enumerate() {
            let protocol = port.protocol.as_deref().unwrap_or("TCP");
            let mut blocked: Vec<(usize, i32)> = Vec::new();
            for &pod in &backends {
                let isolating = ctx.evaluator.policies_for(pod, Direction::Ingress);
                let Some(p) = ctx.cluster.pods.get(pod) else {
                    continue;
                };
                let Some(target) = service_target(port, p) else {
                    continue;
                };
                if isolating.is_empty() {
                    continue;
                }
                let admitted = isolating.iter().any(|&policy| {
                    ctx.cluster.policies.get(policy).is_some_and(|policy| {
                        rules(&policy.spec, Direction::Ingress)
                            .iter()
                            .any(|rule| rule_admits_on_pod(rule, p, protocol, target))
                    })
                });
                if !admitted {
                    blocked.push((pod, target));
                }
            }
            let Some(&(first, target)) = blocked.first() else {
                continue;
            };
            let names: Vec<String> = blocked.iter().map(|&(p, _)| pod_text(ctx, p)).collect();
            let policies: Vec<String> = ctx
                .evaluator
                .policies_for(first, Direction::Ingress)
                .iter()
                .map(|&p| ctx.cluster.policy_name(p))
                .collect();
            let message = format!(
                "Service {} port {} forwards to {protocol} {target} on {}, but no ingress rule of the policies isolating {} ({}) admits that port from any source: connections through the Service time out",
                service.qualified_name(),
                port.port.map_or_else(|| "?".to_owned(), |p| p.to_string()),
                name_list(&names, 3),
                if names.len() == 1 { "it" } else { "them" },
                name_list(&policies, 3)
            );
            let mut diagnostic = service
                .report(&RULE, FieldPath::new(["spec", "ports"]).index(k), message)
                .with_help(format!(
                    "add an ingress rule admitting {protocol} {target} from the Service's clients (policies see the pod's port, not the Service's)"
                ));
            if let Some(policy) = ctx
                .evaluator
                .policies_for(first, Direction::Ingress)
                .first()
                .and_then(|&p| ctx.cluster.policies.get(p))
            {
                diagnostic = diagnostic.with_label(objects.label(
                    policy.origin,
                    &FieldPath::new(["spec", "podSelector"]),
                    "isolates the backends for ingress",
                ));
            }
            out.push(diagnostic);
        }
    }
}
