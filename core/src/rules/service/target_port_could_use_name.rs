//! `service-target-port-could-use-name`.

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::rules::Context;

use super::support::{port_uses, services_with_pods, Target};

declare_rule! {
    /// ## What it does
    /// Reports a numeric `targetPort` (or a Service port without `targetPort`) when every
    /// selected pod declares that port, with the Service port's protocol, under the same name.
    /// The fix writes the name as `targetPort`.
    ///
    /// ## Why it matters
    /// A named target port is resolved on each pod, so the container port can change (or
    /// differ between versions during a rollout) without touching the Service; the name also
    /// says what the port is for.
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
    ///       targetPort: 8080
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
    /// - Kubernetes documentation, Service, "Port definitions" (named ports)
    /// - popeye POP-1102
    pub RULE {
        code: "NW2035",
        name: "service-target-port-could-use-name",
        category: Style,
        severity: Info,
        scope: Workspace,
        fix: true,
        summary: "A numeric targetPort could use the name every selected pod gives that port.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (service, pods) in services_with_pods(ctx) {
        for use_ in port_uses(&service.value, &pods) {
            let Target::Number(number) = use_.target else {
                continue;
            };
            if use_.serving.len() != pods.len() {
                continue;
            }
            let mut names = pods.iter().map(|pod| {
                pod.ports
                    .iter()
                    .find(|p| p.port == number && p.protocol == use_.protocol)
                    .and_then(|p| p.name.clone())
            });
            let Some(Some(name)) = names.next() else {
                continue;
            };
            if !names.all(|n| n.as_deref() == Some(name.as_str())) {
                continue;
            }
            let message = format!(
                "Service {} port {} targets {number}/{}, which its pods name `{name}`: `targetPort: {name}` keeps working when the container port changes",
                service.qualified_name(),
                use_.port,
                use_.protocol
            );
            let mut diagnostic = service
                .report(&RULE, use_.path.clone(), message)
                .with_help(format!("write `targetPort: {name}`"));
            if let Some(fix) = fix(service, &use_, &name) {
                diagnostic = diagnostic.with_fix(fix);
            }
            out.push(diagnostic);
        }
    }
}

fn fix(
    service: &crate::rules::Decoded<'_, crate::model::Service>,
    use_: &super::support::PortUse<'_, '_>,
    name: &str,
) -> Option<Fix> {
    let item = service
        .object
        .node
        .get("spec")?
        .get("ports")?
        .as_seq()?
        .get(use_.index)?;
    let edit = if use_.target_written {
        Edit {
            file: service.file.id,
            span: item.get("targetPort")?.span,
            replacement: name.to_owned(),
        }
    } else {
        // Add `targetPort: name` after `port: N`.
        let port = item.entry("port")?;
        let text = &service.file.text;
        let flow = text
            .get(item.span.range())
            .is_some_and(|t| t.starts_with('{'));
        let end = port.value.span.end as usize;
        let key_start = port.key.span.start as usize;
        let replacement = if flow {
            format!(", targetPort: {name}")
        } else {
            let line_start = text.get(..key_start)?.rfind('\n').map_or(0, |i| i + 1);
            let indent = key_start - line_start;
            format!("\n{}targetPort: {name}", " ".repeat(indent))
        };
        Edit {
            file: service.file.id,
            span: crate::source::Span::at(end),
            replacement,
        }
    };
    Some(Fix {
        title: format!("Target the port by its name `{name}`"),
        edits: vec![edit],
    })
}
