//! `session-affinity-has-no-effect`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::{is_headless, service_type};

declare_rule! {
    /// ## What it does
    /// Reports `sessionAffinity: ClientIP` on a headless Service (`clusterIP: None`) or an
    /// ExternalName Service.
    ///
    /// ## Why it matters
    /// Session affinity is implemented by kube-proxy on the Service's virtual IP. A headless
    /// Service has none (clients get the pod addresses from DNS and pick one themselves), and
    /// an ExternalName Service is only a DNS alias, so the setting does nothing while suggesting
    /// that clients stick to one pod.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: cache
    ///   namespace: shop
    /// spec:
    ///   clusterIP: None
    ///   sessionAffinity: ClientIP
    ///   selector:
    ///     app: cache
    ///   ports:
    ///     - port: 6379
    /// ```
    ///
    /// ## Use instead
    /// A Service with a virtual IP when clients should stick to one pod:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: cache
    ///   namespace: shop
    /// spec:
    ///   sessionAffinity: ClientIP
    ///   selector:
    ///     app: cache
    ///   ports:
    ///     - port: 6379
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, "Virtual IPs and Service Proxies", "Session affinity"
    pub RULE {
        code: "NW2022",
        name: "session-affinity-has-no-effect",
        category: Suspicious,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "ClientIP session affinity on a headless or ExternalName Service does nothing: there is no virtual IP.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &ctx.services {
        if service.value.spec.session_affinity.as_deref() != Some("ClientIP") {
            continue;
        }
        let what = if service_type(&service.value) == "ExternalName" {
            "an ExternalName Service is only a DNS alias"
        } else if is_headless(&service.value) {
            "a headless Service has no virtual IP; clients pick pod addresses from DNS themselves"
        } else {
            continue;
        };
        let message = format!(
            "Service {} sets sessionAffinity: ClientIP, which has no effect: {what}",
            service.qualified_name()
        );
        out.push(
            service
                .report(&RULE, FieldPath::new(["spec", "sessionAffinity"]), message)
                .with_help("remove sessionAffinity, or give the Service a cluster IP if clients should stick to one pod"),
        );
    }
}
