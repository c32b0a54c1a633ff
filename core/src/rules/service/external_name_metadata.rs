//! `external-name-points-to-metadata-service`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

use super::external_name::{external_names, ExternalTarget};

declare_rule! {
    /// ## What it does
    /// Reports an ExternalName Service whose `externalName` is a cloud instance-metadata host
    /// (`metadata.google.internal`, `metadata`, `instance-data`, ...) or one of the metadata
    /// addresses of the options (`cluster.metadata_addresses`, by default 169.254.169.254,
    /// 100.100.100.200 and 169.254.170.2) written as a name or through a wildcard DNS service
    /// (`169.254.169.254.nip.io`).
    ///
    /// ## Why it matters
    /// The metadata service hands out the node's cloud credentials. Ingress controllers and
    /// gateways that follow an ExternalName backend fetch from it on behalf of whoever sends
    /// them a request: one Service and one Ingress turn the cluster's front door into a
    /// credential-theft endpoint (server-side request forgery), and NetworkPolicy on the
    /// tenant's pods does not apply to the controller.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: meta
    ///   namespace: shop
    /// spec:
    ///   type: ExternalName
    ///   externalName: metadata.google.internal
    /// ```
    ///
    /// ## Use instead
    /// Workloads that need cloud credentials should use workload identity (IRSA, GKE Workload
    /// Identity, Azure Workload Identity) rather than a route to the metadata server:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: storage
    ///   namespace: shop
    /// spec:
    ///   type: ExternalName
    ///   externalName: storage.googleapis.com
    /// ```
    ///
    /// ## References
    /// - CVE-2021-25740 (kubernetes/kubernetes#103675): confused deputies through Services
    /// - Cloud provider documentation on instance metadata (169.254.169.254)
    pub RULE {
        code: "NW2011",
        name: "external-name-points-to-metadata-service",
        category: Security,
        severity: Error,
        scope: Object,
        fix: false,
        summary: "An ExternalName Service points at the cloud metadata service, which hands out node credentials.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (service, _, target) in external_names(ctx) {
        let ExternalTarget::Metadata { reason } = target else {
            continue;
        };
        let message = format!(
            "ExternalName Service {} points at the cloud metadata service: {reason}; proxies that follow it can fetch the node's credentials for any client",
            service.qualified_name()
        );
        out.push(
            service
                .report(&RULE, FieldPath::new(["spec", "externalName"]), message)
                .with_help("remove the Service; workloads that need cloud credentials should use workload identity"),
        );
    }
}
