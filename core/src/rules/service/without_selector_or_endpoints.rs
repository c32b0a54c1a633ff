//! `service-without-selector-or-endpoints`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;
use crate::source::Node;

use super::support::service_type;

/// The label tying an EndpointSlice to its Service.
const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";

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
    // (namespace, Service name) of every hand-written Endpoints and EndpointSlice.
    let mut backed: Vec<(String, String)> = Vec::new();
    for object in ctx.workspace.objects() {
        let metadata = object.node.get("metadata");
        let text = |node: Option<&Node>, field: &str| {
            node.and_then(|n| n.get(field))
                .and_then(Node::as_str)
                .map(str::to_owned)
        };
        let namespace = text(metadata, "namespace")
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| ctx.options.reach.default_namespace.clone());
        let service = match (object.group(), object.kind()) {
            ("", "Endpoints") => text(metadata, "name"),
            ("discovery.k8s.io", "EndpointSlice") => {
                text(metadata.and_then(|m| m.get("labels")), SERVICE_NAME_LABEL)
            }
            _ => None,
        };
        if let Some(service) = service {
            backed.push((namespace, service));
        }
    }
    for service in &ctx.services {
        let value = &service.value;
        // A Service the API server rejects never gets endpoints anyway; its errors say why.
        if !service.valid
            || service_type(value) == "ExternalName"
            || value.spec.selector.as_ref().is_some_and(|s| !s.is_empty())
            || (service.namespace == "default" && service.name == "kubernetes")
            || backed
                .iter()
                .any(|(ns, name)| *ns == service.namespace && *name == service.name)
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
