//! What `node-port-local-traffic-not-on-every-node` and
//! `internal-traffic-local-not-on-every-node` share.

use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::{Context, LintRule};

use super::support::{backends, join_names, selected, service_type};

/// Which traffic policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// `externalTrafficPolicy: Local` on a NodePort Service.
    External,
    /// `internalTrafficPolicy: Local`.
    Internal,
}

/// Reports Services with a `Local` traffic policy whose selected pods are known and none of
/// them comes from a DaemonSet.
pub fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>, rule: &LintRule, policy: Policy) {
    let backends = backends(ctx);
    for service in &ctx.services {
        let spec = &service.value.spec;
        let (field, applies) = match policy {
            Policy::External => (
                "externalTrafficPolicy",
                service_type(&service.value) == "NodePort"
                    && spec.external_traffic_policy.as_deref() == Some("Local"),
            ),
            Policy::Internal => (
                "internalTrafficPolicy",
                service_type(&service.value) != "ExternalName"
                    && spec.internal_traffic_policy.as_deref() == Some("Local"),
            ),
        };
        if !applies {
            continue;
        }
        let pods = selected(service, backends);
        if pods.is_empty() || pods.iter().any(|b| b.kind == "DaemonSet") {
            continue;
        }
        let names = join_names(pods.iter().map(|b| b.display.as_str()));
        let message = match policy {
            Policy::External => format!(
                "NodePort Service {} sets externalTrafficPolicy: Local, but its pods ({names}) do not run on every node: connections to a node without one of them are dropped",
                service.qualified_name()
            ),
            Policy::Internal => format!(
                "Service {} sets internalTrafficPolicy: Local, but its pods ({names}) do not run on every node: clients on a node without one of them get no answer",
                service.qualified_name()
            ),
        };
        let help = match policy {
            Policy::External => "send clients only to nodes that run a pod (a LoadBalancer Service health-checks nodes for you), run the pods as a DaemonSet, or use externalTrafficPolicy: Cluster",
            Policy::Internal => "use internalTrafficPolicy: Local only for node-local agents run as a DaemonSet; otherwise leave it at Cluster (or use trafficDistribution: PreferClose)",
        };
        let mut diagnostic = service
            .report(rule, FieldPath::new(["spec", field]), message)
            .with_help(help);
        for backend in &pods {
            diagnostic = diagnostic
                .with_label(backend.label(format!("{} is a {}", backend.display, backend.kind)));
        }
        out.push(diagnostic);
    }
}
