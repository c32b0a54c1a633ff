//! `service-selector-with-manual-endpoints`.

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Label};
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::selector;

declare_rule! {
    /// ## What it does
    /// Reports a Service that has a selector and, in the bundle, a hand-written Endpoints object
    /// of the same name or a hand-written EndpointSlice labelled
    /// `kubernetes.io/service-name: <name>`. Objects exported from a live cluster (with a
    /// `uid` or `resourceVersion`, or the controllers' `managed-by` label or annotation) are
    /// not considered hand-written.
    ///
    /// ## Why it matters
    /// The two mechanisms do not combine the way they read. The endpoint controller owns the
    /// Endpoints of a Service with a selector and overwrites a hand-written one, so its
    /// addresses vanish. A hand-written EndpointSlice, on the other hand, is merged into the
    /// Service's backends next to the selected pods: the Service silently sends part of its
    /// traffic to those addresses, which may belong to anything.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     app: db
    ///   ports:
    ///     - name: postgres
    ///       port: 5432
    /// ---
    /// apiVersion: discovery.k8s.io/v1
    /// kind: EndpointSlice
    /// metadata:
    ///   name: db-external
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
    /// ## Use instead
    /// Either a selector, or hand-written endpoints on a Service without one:
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
    ///   name: db-external
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
    /// - Kubernetes documentation, EndpointSlices, "Ownership" and "EndpointSlice mirroring";
    ///   Service, "Services without selectors"
    pub RULE {
        code: "NW2034",
        name: "service-selector-with-manual-endpoints",
        category: Correctness,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "A Service with a selector also has hand-written Endpoints (overwritten) or EndpointSlices (merged into its backends).",
        check: check,
    }
}

/// A hand-written Endpoints or EndpointSlice of the bundle.
struct Manual {
    namespace: String,
    service: String,
    slice: bool,
    label: Label,
}

fn manual_endpoints(ctx: &Context<'_>) -> Vec<Manual> {
    ctx.endpoints
        .iter()
        .filter(|e| e.value.hand_written())
        .filter_map(|e| {
            let service = e.value.service()?.to_owned();
            let kind = e.value.kind();
            Some(Manual {
                label: Label {
                    file: e.file.id,
                    span: e.span(&FieldPath::new(["metadata", "name"])),
                    message: format!("hand-written {kind} {}", e.qualified_name()),
                },
                namespace: e.namespace.clone(),
                service,
                slice: e.value.slice,
            })
        })
        .collect()
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let manual = manual_endpoints(ctx);
    if manual.is_empty() {
        return;
    }
    for service in &ctx.services {
        if selector(&service.value).is_none() {
            continue;
        }
        for found in manual
            .iter()
            .filter(|m| m.namespace == service.namespace && m.service == service.name)
        {
            let message = if found.slice {
                format!(
                    "Service {} has a selector and a hand-written EndpointSlice: its addresses are added to the selected pods, so the Service sends them part of its traffic",
                    service.qualified_name()
                )
            } else {
                format!(
                    "Service {} has a selector and a hand-written Endpoints object: the endpoint controller overwrites it with the selected pods, so its addresses never receive traffic",
                    service.qualified_name()
                )
            };
            out.push(
                service
                    .report(&RULE, FieldPath::new(["spec", "selector"]), message)
                    .with_help("use either the selector or hand-written endpoints: remove the selector for an external backend, or delete the hand-written object")
                    .with_label(found.label.clone()),
            );
        }
    }
}
