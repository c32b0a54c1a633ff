//! `external-name-points-into-cluster`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

use super::external_name::{external_names, ExternalTarget};

declare_rule! {
    /// ## What it does
    /// Reports an ExternalName Service whose `externalName` is a cluster-internal name: the
    /// Kubernetes API server (`kubernetes.default`, `kubernetes.default.svc`, ...), a Service
    /// of another namespace (`<name>.<namespace>.svc`, optionally followed by
    /// `.cluster.local`), or another name under `cluster.local`. An alias to a Service of the
    /// same namespace is not reported.
    ///
    /// ## Why it matters
    /// Clients in the cluster that follow the alias still meet the target's NetworkPolicy, but
    /// ingress controllers and gateways do not: they connect from their own namespace, which
    /// target namespaces usually admit. An Ingress in one namespace backed by such a Service
    /// exposes another team's Service, or the API server, without that team's consent (the
    /// boundary Gateway API's ReferenceGrant exists to keep).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: payments
    ///   namespace: shop
    /// spec:
    ///   type: ExternalName
    ///   externalName: api.payments.svc.cluster.local
    /// ```
    ///
    /// ## Use instead
    /// Call the other namespace's Service by its own name (`api.payments.svc`), and expose it,
    /// if needed, from its own namespace:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: api
    ///   namespace: payments
    /// spec:
    ///   selector:
    ///     app: payments-api
    ///   ports:
    ///     - port: 443
    ///       targetPort: 8443
    /// ```
    ///
    /// ## References
    /// - CVE-2021-25740 (kubernetes/kubernetes#103675) and the ExternalName discussions of
    ///   ingress controllers (Kong/kubernetes-ingress-controller#2316)
    /// - Gateway API, ReferenceGrant
    pub RULE {
        code: "NW2013",
        name: "external-name-points-into-cluster",
        category: Security,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "An ExternalName Service aliases the API server or another namespace's Service, which proxies reach past that namespace's boundaries.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (service, name, target) in external_names(ctx) {
        let ExternalTarget::ClusterInternal {
            api_server,
            namespace,
        } = target
        else {
            continue;
        };
        let message = match (api_server, namespace) {
            (true, _) => format!(
                "ExternalName Service {} aliases `{name}`, the Kubernetes API server: ingress controllers and gateways that follow it forward outside requests to the API server",
                service.qualified_name()
            ),
            (false, namespace) => format!(
                "ExternalName Service {} aliases `{name}`, {}: ingress controllers and gateways that follow it reach it from their own namespace, past its NetworkPolicy",
                service.qualified_name(),
                namespace.map_or_else(
                    || "a cluster-internal name".to_owned(),
                    |ns| format!("a Service of namespace {ns}")
                )
            ),
        };
        out.push(
            service
                .report(&RULE, FieldPath::new(["spec", "externalName"]), message)
                .with_help("let clients use the target's own name, and expose it from its own namespace; if only in-cluster clients use this alias, say so with a suppression and a reason"),
        );
    }
}
