//! `external-name-service-has-ignored-fields`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::service_type;

declare_rule! {
    /// ## What it does
    /// Reports fields of an ExternalName Service that the API server accepts but nothing
    /// reads: a non-empty `selector`, `externalIPs`, and `publishNotReadyAddresses: true`.
    /// (`sessionAffinity` is reported by `session-affinity-has-no-effect`; `ports` are kept,
    /// some ingress controllers read them.)
    ///
    /// ## Why it matters
    /// An ExternalName Service is only a DNS alias (a CNAME): it has no endpoints and kube-proxy
    /// ignores it. A selector there usually means the Service was meant to be a ClusterIP
    /// Service, or was converted to ExternalName and kept stale fields that mislead readers.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    ///   namespace: shop
    /// spec:
    ///   type: ExternalName
    ///   externalName: db.example.com
    ///   selector:
    ///     app: db
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
    ///   type: ExternalName
    ///   externalName: db.example.com
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, Service, "ExternalName"
    pub RULE {
        code: "NW2021",
        name: "external-name-service-has-ignored-fields",
        category: Suspicious,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "An ExternalName Service sets fields nothing reads (selector, externalIPs, publishNotReadyAddresses).",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &ctx.services {
        if service_type(&service.value) != "ExternalName" {
            continue;
        }
        let spec = &service.value.spec;
        let mut fields: Vec<(&str, &str)> = Vec::new();
        if spec.selector.as_ref().is_some_and(|s| !s.is_empty()) {
            fields.push((
                "selector",
                "an ExternalName Service has no endpoints, so no pod is selected",
            ));
        }
        if !spec.external_ips.is_empty() {
            fields.push(("externalIPs", "kube-proxy ignores ExternalName Services"));
        }
        if spec.publish_not_ready_addresses == Some(true) {
            fields.push((
                "publishNotReadyAddresses",
                "an ExternalName Service publishes a CNAME, not pod addresses",
            ));
        }
        for (field, why) in fields {
            let message = format!(
                "ExternalName Service {} sets {field}, which is ignored: {why}",
                service.qualified_name()
            );
            out.push(
                service
                    .report(&RULE, FieldPath::new(["spec", field]), message)
                    .with_help(format!(
                        "remove {field}, or change the type if the Service should route to pods"
                    )),
            );
        }
    }
}
