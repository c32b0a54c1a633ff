//! `service-publishes-not-ready-addresses`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::{is_headless, selector};

declare_rule! {
    /// ## What it does
    /// Reports `publishNotReadyAddresses: true` on a Service that has a cluster IP and a
    /// selector. Headless Services, where the setting serves peer discovery, are not reported.
    ///
    /// ## Why it matters
    /// The setting puts pods into the Service's endpoints whether or not their readiness probe
    /// passes. On a Service with a virtual IP, client traffic then reaches pods that are
    /// starting, overloaded or shutting down: readiness probes stop protecting clients. It is
    /// meant for headless Services whose pods must find each other before they are ready
    /// (StatefulSet clusters such as etcd, ZooKeeper or Cassandra).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   publishNotReadyAddresses: true
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 80
    /// ```
    ///
    /// ## Use instead
    /// Publish not-ready pods only through a headless Service for peer discovery:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web-peers
    ///   namespace: shop
    /// spec:
    ///   clusterIP: None
    ///   publishNotReadyAddresses: true
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 7946
    /// ```
    ///
    /// ## References
    /// - Kubernetes API reference, ServiceSpec `publishNotReadyAddresses`
    pub RULE {
        code: "NW2023",
        name: "service-publishes-not-ready-addresses",
        category: Correctness,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "A Service with a cluster IP sends client traffic to pods that are not ready (publishNotReadyAddresses).",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &ctx.services {
        if service.value.spec.publish_not_ready_addresses != Some(true)
            || is_headless(&service.value)
            || selector(&service.value).is_none()
        {
            continue;
        }
        let message = format!(
            "Service {} sets publishNotReadyAddresses: clients of its virtual IP reach pods whose readiness probe fails",
            service.qualified_name()
        );
        out.push(
            service
                .report(&RULE, FieldPath::new(["spec", "publishNotReadyAddresses"]), message)
                .with_help("remove publishNotReadyAddresses; if pods must discover each other before they are ready, publish them through a separate headless Service"),
        );
    }
}
