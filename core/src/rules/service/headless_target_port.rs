//! `headless-service-target-port-differs`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::IntOrString;
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::{is_headless, selector};

declare_rule! {
    /// ## What it does
    /// Reports a port of a headless Service (`clusterIP: None`) with a selector whose numeric
    /// `targetPort` differs from `port`. Named target ports are not reported.
    ///
    /// ## Why it matters
    /// A headless Service has no virtual IP and nothing translates `port` to `targetPort`: its
    /// DNS name resolves to the pod addresses, and clients connect to them on the port they
    /// know, normally the Service's `port`. Only clients that read SRV records learn the
    /// target port. The API server accepts the mismatch only for backward compatibility; its
    /// validation code keeps the check it would like to enforce ("must be equal to the value
    /// of 'port' when clusterIP = None").
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    ///   namespace: shop
    /// spec:
    ///   clusterIP: None
    ///   selector:
    ///     app: db
    ///   ports:
    ///     - port: 5432
    ///       targetPort: 15432
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    ///   namespace: shop
    /// spec:
    ///   clusterIP: None
    ///   selector:
    ///     app: db
    ///   ports:
    ///     - port: 15432
    /// ```
    ///
    /// ## References
    /// - kubernetes/kubernetes `pkg/apis/core/validation/validation.go` `validateServicePort`
    ///   (the check tolerated for headless Services)
    /// - Kubernetes documentation, Service, "Headless Services"
    pub RULE {
        code: "NW2014",
        name: "headless-service-target-port-differs",
        category: Correctness,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "A headless Service's targetPort differs from its port, but nothing translates one into the other.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &ctx.services {
        if !is_headless(&service.value) || selector(&service.value).is_none() {
            continue;
        }
        let ports = FieldPath::new(["spec", "ports"]);
        for (i, port) in service.value.spec.ports.iter().enumerate() {
            let (Some(number), Some(IntOrString::Int(target))) = (port.port, &port.target_port)
            else {
                continue;
            };
            if *target == 0 || *target == number {
                continue;
            }
            let message = format!(
                "headless Service {} maps port {number} to targetPort {target}, but a headless Service has no virtual IP to translate ports: clients resolve the pod addresses and connect on {number}",
                service.qualified_name()
            );
            out.push(
                service
                    .report(&RULE, ports.index(i).child("targetPort"), message)
                    .with_help(format!(
                        "use the port the pods listen on ({target}) as `port` and drop targetPort, or make the pods listen on {number}"
                    )),
            );
        }
    }
}
