//! `service-without-selector-or-endpoints`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::SERVICE_NAME_LABEL;
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::service_type;

declare_rule! {
    /// ## What it does
    /// Reports a Service that is not ExternalName, has no selector, and has no Endpoints object
    /// of the same name nor an EndpointSlice labelled `kubernetes.io/service-name: <name>` in
    /// its namespace in the bundle. The API server's own `default/kubernetes` Service is not
    /// reported.
    ///
    /// ## Why it matters
    /// Without a selector the endpoint controller leaves the Service alone: its endpoints must
    /// be written by hand (or by an operator). With none, the Service has no backends —
    /// connections to its cluster IP fail and a headless one publishes no DNS records. The
    /// selector was often lost in a refactoring.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    ///   namespace: shop
    /// spec:
    ///   ports:
    ///     - port: 5432
    /// ```
    ///
    /// ## Use instead
    /// A selector, or the endpoints written next to the Service:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    ///   namespace: shop
    /// spec:
    ///   ports:
    ///     - name: postgres
    ///       port: 5432
    /// ---
    /// apiVersion: discovery.k8s.io/v1
    /// kind: EndpointSlice
    /// metadata:
    ///   name: db-1
    ///   namespace: shop
    ///   labels:
    ///     kubernetes.io/service-name: db
    /// addressType: IPv4
    /// ports:
    ///   - name: postgres
    ///     port: 5432
    /// endpoints:
    ///   - addresses:
    ///       - 10.20.0.15
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, Service, "Services without selectors"
    /// - kube-linter `dangling-service` (which also flags Services that do have manual
    ///   endpoints, stackrox/kube-linter#746)
    pub RULE {
        code: "NW2027",
        name: "service-without-selector-or-endpoints",
        category: Correctness,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "A Service has no selector and the bundle holds no Endpoints or EndpointSlice for it, so it has no backends.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    // (namespace, Service name) of every Endpoints object and EndpointSlice.
    let backed: Vec<(&str, &str)> = ctx
        .endpoints
        .iter()
        .filter_map(|e| Some((e.namespace.as_str(), e.value.service()?)))
        .collect();
    for service in &ctx.services {
        let value = &service.value;
        // A Service the API server rejects never gets endpoints anyway; its errors say why.
        if !service.valid
            || service_type(value) == "ExternalName"
            || value.spec.selector.as_ref().is_some_and(|s| !s.is_empty())
            || (service.namespace == "default" && service.name == "kubernetes")
            || backed
                .iter()
                .any(|&(ns, name)| ns == service.namespace && name == service.name)
        {
            continue;
        }
        let message = format!(
            "Service {} has no selector and the bundle holds no Endpoints or EndpointSlice for it: nothing gives it backends",
            service.qualified_name()
        );
        let path = if service.has(&FieldPath::new(["spec", "selector"])) {
            FieldPath::new(["spec", "selector"])
        } else {
            FieldPath::new(["metadata", "name"])
        };
        out.push(
            service
                .report(&RULE, path, message)
                .with_help(format!(
                    "add the selector of the pods that serve it, or write its endpoints (an EndpointSlice labelled {SERVICE_NAME_LABEL}: {}); if a controller writes them at run time, say so with a suppression and a reason",
                    service.name
                )),
        );
    }
}
