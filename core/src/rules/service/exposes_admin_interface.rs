//! `service-exposes-admin-interface`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::admin_interface::recognise_service;
use crate::rules::Context;

use super::support::external_exposure;

declare_rule! {
    /// ## What it does
    /// Reports an externally reachable Service — `type: NodePort`, a `LoadBalancer` that is
    /// neither internal (by provider annotation) nor limited by source ranges, or any Service
    /// with `externalIPs` — whose name, or the value of an `app.kubernetes.io/name`, `app`,
    /// `k8s-app` or `name` label or selector key, names an administration interface of
    /// `rule_settings.admin_interfaces`. The built-in list holds the Kubernetes Dashboard,
    /// Helm v2's Tiller, the Argo CD and Argo Workflows servers, Jupyter notebook servers,
    /// the Kubeflow dashboard, Portainer and Weave Scope. Only the Service itself is read,
    /// so the rule runs at admission; `ingress-exposes-admin-interface` also recognises the
    /// pods behind an Ingress by their labels and images.
    ///
    /// ## Why it matters
    /// These interfaces act on the cluster with their own, usually broad, credentials or run
    /// code on request. They are searched for on the internet by name and default port, and
    /// publicly reachable dashboards and Tiller endpoints have repeatedly been the way into
    /// clusters (cryptomining on exposed Kubernetes Dashboards, Tiller's unauthenticated
    /// gRPC port). They belong behind `kubectl port-forward`, a VPN, or an authenticating
    /// proxy.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: kubernetes-dashboard
    ///   namespace: kubernetes-dashboard
    /// spec:
    ///   type: LoadBalancer
    ///   allocateLoadBalancerNodePorts: false
    ///   selector:
    ///     k8s-app: kubernetes-dashboard
    ///   ports:
    ///     - port: 443
    ///       targetPort: 8443
    /// ```
    ///
    /// ## Use instead
    /// A ClusterIP Service, reached through `kubectl port-forward` or an authenticating proxy:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: kubernetes-dashboard
    ///   namespace: kubernetes-dashboard
    /// spec:
    ///   selector:
    ///     k8s-app: kubernetes-dashboard
    ///   ports:
    ///     - port: 443
    ///       targetPort: 8443
    /// ```
    ///
    /// ## References
    /// - Kubernetes Dashboard documentation, "Accessing Dashboard"
    /// - Helm documentation, "Securing your Helm installation" (Helm 2)
    /// - checkov CKV_K8S_33 and CKV_K8S_44; trivy-checks KSV-0102; kubescape C-0021
    pub RULE {
        code: "NW2042",
        name: "service-exposes-admin-interface",
        category: Security,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "An externally reachable Service fronts a cluster administration interface (dashboard, Tiller, Argo CD, notebook).",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let list = &ctx.options.rule_settings.admin_interfaces;
    if list.is_empty() {
        return;
    }
    for service in &ctx.services {
        let Some(exposure) = external_exposure(&service.value) else {
            continue;
        };
        let Some(found) = recognise_service(list, &service.value) else {
            continue;
        };
        let path = if service.value.spec.external_ips.is_empty() {
            FieldPath::new(["spec", "type"])
        } else {
            FieldPath::new(["spec", "externalIPs"])
        };
        let message = format!(
            "Service {} exposes {} through {exposure} ({} gives it away): it acts on the cluster for whoever reaches it",
            service.qualified_name(),
            found.interface.name,
            found.evidence
        );
        out.push(
            service
                .report(&RULE, path, message)
                .with_help("make it a ClusterIP Service and reach it through `kubectl port-forward`, a VPN or an authenticating proxy"),
        );
    }
}
