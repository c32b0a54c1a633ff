//! `service-port-protocol-mismatch`.

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Fix};
use crate::netpol::Protocol;
use crate::rules::Context;

use super::support::{
    insert_entry_before, join_names, port_uses, protocol, services_with_pods, target, PortUse,
    Target,
};
use crate::path::FieldPath;

declare_rule! {
    /// ## What it does
    /// Reports a Service port whose protocol differs from the protocol the selected pods
    /// declare for its target:
    ///
    /// - a named `targetPort` that a pod defines with another protocol (the endpoint
    ///   controller matches name *and* protocol, so that pod gets no endpoint);
    /// - a numeric target that the pods declare only with another protocol (UDP 514 on the
    ///   Service, TCP 514 in the container), unless another port of the same Service covers
    ///   that protocol (the TCP-and-UDP pattern of DNS).
    ///
    /// When the Service port leaves `protocol` out (so it is TCP) and the pods all declare the
    /// target as UDP or SCTP, the fix writes that protocol on the Service port.
    ///
    /// ## Why it matters
    /// A Service port without `protocol` is TCP, which is easy to forget for syslog, DNS, statsd
    /// or QUIC. Packets of the wrong protocol reach no listener, and for a named target port the
    /// pods drop out of the endpoints altogether.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: syslog
    ///   namespace: logging
    /// spec:
    ///   selector:
    ///     app: syslog
    ///   ports:
    ///     - port: 514
    ///       targetPort: syslog
    /// ---
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: syslog
    ///   namespace: logging
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: syslog
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: syslog
    ///     spec:
    ///       containers:
    ///         - name: rsyslog
    ///           image: registry.example/rsyslog:8
    ///           ports:
    ///             - name: syslog
    ///               containerPort: 514
    ///               protocol: UDP
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: default-deny
    ///   namespace: logging
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
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: syslog
    ///   namespace: logging
    /// spec:
    ///   selector:
    ///     app: syslog
    ///   ports:
    ///     - port: 514
    ///       protocol: UDP
    ///       targetPort: syslog
    /// ---
    /// apiVersion: apps/v1
    /// kind: DaemonSet
    /// metadata:
    ///   name: syslog
    ///   namespace: logging
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: syslog
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: syslog
    ///     spec:
    ///       containers:
    ///         - name: rsyslog
    ///           image: registry.example/rsyslog:8
    ///           ports:
    ///             - name: syslog
    ///               containerPort: 514
    ///               protocol: UDP
    /// ```
    ///
    /// ## References
    /// - Kubernetes API reference, ServicePort `protocol` (default TCP) and `targetPort`
    /// - kubernetes/kubernetes `pkg/api/v1/pod/util.go` `FindPort`; popeye POP-1106
    pub RULE {
        code: "NW2006",
        name: "service-port-protocol-mismatch",
        category: Correctness,
        severity: Error,
        scope: Workspace,
        fix: true,
        summary: "A Service port's protocol differs from the protocol the selected pods declare for its target port.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (service, pods) in services_with_pods(ctx) {
        for use_ in port_uses(&service.value, &pods) {
            if use_.other_protocol.is_empty() {
                continue;
            }
            let (what, consequence) = match use_.target {
                Target::Number(n) => {
                    if !use_.serving.is_empty() || covered_by_other_port(&service.value, &use_) {
                        continue;
                    }
                    (
                        format!("{n}"),
                        format!("{} traffic reaches no declared listener", use_.protocol),
                    )
                }
                Target::Name(name) => (
                    format!("the port named `{name}`"),
                    "a named target port must match the protocol too, so these pods get no endpoint for this port".to_owned(),
                ),
            };
            let mut protocols: Vec<&str> = use_
                .other_protocol
                .iter()
                .map(|(_, p)| p.protocol.as_str())
                .collect();
            crate::sort::sort(&mut protocols);
            protocols.dedup();
            let message = format!(
                "Service {} port {} is {}, but its pods declare {what} only as {} ({}): {consequence}",
                service.qualified_name(),
                use_.port,
                use_.protocol,
                protocols.join(" or "),
                join_names(use_.other_protocol.iter().map(|(b, _)| b.display.as_str())),
            );
            let mut diagnostic = service
                .report(&RULE, use_.path.clone(), message)
                .with_help(format!(
                    "make the protocols agree: set `protocol` on the Service port, or fix the container port of {}",
                    join_names(use_.other_protocol.iter().map(|(b, _)| b.display.as_str()))
                ));
            for (backend, port) in &use_.other_protocol {
                diagnostic = diagnostic.with_label(backend.label(format!(
                    "{} declares {}/{}",
                    backend.display, port.port, port.protocol
                )));
            }
            if let Some(fix) = fix(service, &use_) {
                diagnostic = diagnostic.with_fix(fix);
            }
            out.push(diagnostic);
        }
    }
}

/// Another port of the Service sends the same target number with a protocol the pods declare.
fn covered_by_other_port(service: &crate::model::Service, use_: &PortUse<'_, '_>) -> bool {
    let path = FieldPath::new(["spec", "ports"]);
    service.spec.ports.iter().enumerate().any(|(i, port)| {
        i != use_.index
            && target(port, &path.index(i)).is_some_and(|(t, _)| t == use_.target)
            && protocol(port).is_some_and(|p| {
                use_.other_protocol
                    .iter()
                    .any(|(_, served)| served.protocol == p)
            })
    })
}

/// Writes the pods' protocol on a Service port that leaves `protocol` out, when every
/// mismatching pod agrees on it, no pod serves the current protocol, and no other port of the
/// Service already has that number and protocol.
fn fix(
    service: &crate::rules::Decoded<'_, crate::model::Service>,
    use_: &PortUse<'_, '_>,
) -> Option<Fix> {
    let wanted = use_.other_protocol.first()?.1.protocol;
    if wanted == Protocol::Tcp
        || !use_.serving.is_empty()
        || use_
            .other_protocol
            .iter()
            .any(|(_, p)| p.protocol != wanted)
    {
        return None;
    }
    let port = service.value.spec.ports.get(use_.index)?;
    if port.protocol.is_some() {
        return None;
    }
    let clash = service
        .value
        .spec
        .ports
        .iter()
        .any(|p| p.port == port.port && protocol(p) == Some(wanted));
    if clash {
        return None;
    }
    let item = service
        .object
        .node
        .get("spec")?
        .get("ports")?
        .as_seq()?
        .get(use_.index)?;
    let edit = insert_entry_before(service.file, item, "port", &format!("protocol: {wanted}"))?;
    Some(Fix {
        title: format!("Add `protocol: {wanted}` to the Service port"),
        edits: vec![edit],
    })
}
