//! `ingress-exposes-admin-interface`.

use std::collections::BTreeSet;

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Label};
use crate::path::FieldPath;
use crate::rules::admin_interface::{recognise_pod, recognise_service, Recognised};
use crate::rules::service::support::{backends, selected};
use crate::rules::Context;

use super::{service_backends, services_named};

declare_rule! {
    /// ## What it does
    /// Reports an Ingress backend whose Service (in the bundle) fronts an administration
    /// interface of `rule_settings.admin_interfaces`: the Service's name, or a name label
    /// (`app.kubernetes.io/name`, `app`, `k8s-app`, `name`) of the Service, its selector or
    /// the pods it selects, names one, or a selected pod runs one of its container images.
    /// The built-in list holds the Kubernetes Dashboard, Helm v2's Tiller, the Argo CD and
    /// Argo Workflows servers, Jupyter notebook servers, the Kubeflow dashboard, Portainer
    /// and Weave Scope.
    ///
    /// ## Why it matters
    /// An Ingress publishes its backends to every client of its controller, usually the
    /// internet. Administration interfaces act on the cluster with broad credentials or run
    /// code on request, and their login pages are found by scanners within hours; several
    /// have shipped with authentication optional or skippable. They belong behind
    /// `kubectl port-forward`, a VPN, or at least an authenticating proxy with a source
    /// allow-list. When such an Ingress is intended, say so with a suppression and a reason.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: gitops
    ///   namespace: tools
    /// spec:
    ///   selector:
    ///     app.kubernetes.io/name: argocd-server
    ///   ports:
    ///     - name: http
    ///       port: 80
    ///       targetPort: 8080
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: gitops
    ///   namespace: tools
    /// spec:
    ///   ingressClassName: nginx
    ///   tls:
    ///     - hosts:
    ///         - gitops.example.com
    ///       secretName: gitops-example-com-tls
    ///   rules:
    ///     - host: gitops.example.com
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: gitops
    ///                 port:
    ///                   name: http
    /// ```
    ///
    /// ## Use instead
    /// No Ingress; operators use `kubectl port-forward -n tools svc/gitops 8080:80`:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: gitops
    ///   namespace: tools
    /// spec:
    ///   selector:
    ///     app.kubernetes.io/name: argocd-server
    ///   ports:
    ///     - name: http
    ///       port: 80
    ///       targetPort: 8080
    /// ```
    ///
    /// ## References
    /// - kubescape C-0021 (exposed sensitive interfaces); KICS "Ingress Controller Exposes
    ///   Workload"
    /// - Kubernetes Dashboard documentation, "Accessing Dashboard"
    pub RULE {
        code: "NW4019",
        name: "ingress-exposes-admin-interface",
        category: Security,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "An Ingress routes to a Service that fronts a cluster administration interface (dashboard, Tiller, Argo CD, notebook).",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let list = &ctx.options.rule_settings.admin_interfaces;
    if list.is_empty() {
        return;
    }
    for ingress in &ctx.ingresses {
        let mut reported = BTreeSet::new();
        for backend in service_backends(&ingress.value) {
            if reported.contains(backend.name) {
                continue;
            }
            let found = services_named(ctx, &ingress.namespace, backend.name).find_map(|service| {
                let found = recognise_service(list, &service.value).or_else(|| {
                    selected(service, backends(ctx))
                        .into_iter()
                        .find_map(|pod| recognise_pod(list, pod))
                })?;
                Some((service, found))
            });
            let Some((
                service,
                Recognised {
                    interface,
                    evidence,
                    path,
                },
            )) = found
            else {
                continue;
            };
            reported.insert(backend.name);
            let message = format!(
                "Ingress {} publishes {} (Service {}; {evidence} gives it away): it acts on the cluster for whoever reaches it",
                ingress.qualified_name(),
                interface.name,
                service.qualified_name()
            );
            let label_path = path.unwrap_or_else(|| FieldPath::new(["spec", "selector"]));
            out.push(
                ingress
                    .report(&RULE, backend.path.child("service").child("name"), message)
                    .with_label(Label {
                        file: service.file.id,
                        span: service.span(&label_path),
                        message: format!("{} is {}", service.qualified_name(), interface.name),
                    })
                    .with_help("reach it through `kubectl port-forward` or a VPN; if it must be published, put an authenticating proxy and a source allow-list in front and suppress with a reason"),
            );
        }
    }
}
