//! `node-port-outside-static-band`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::service_type;

declare_rule! {
    /// ## What it does
    /// Reports an explicit `nodePort` above the lower band of the node-port range that the
    /// allocator keeps for static assignments (for the default 30000-32767: 30000-30085). The
    /// band is `min(max(16, size / 32), 128)` ports wide, as the API server computes it.
    /// Ports outside the configured range are rejected by validation and not reported here.
    ///
    /// ## Why it matters
    /// Since Kubernetes 1.29 the allocator hands out random node ports from the upper part of
    /// the range first. A port chosen by hand in that part may already be taken by an
    /// automatically allocated one when the manifest is applied, so creation fails in one
    /// cluster and works in another.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   type: LoadBalancer
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 80
    ///       nodePort: 31080
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   type: NodePort
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 80
    ///       nodePort: 30080
    /// ```
    ///
    /// ## References
    /// - KEP-3668 "Reserved NodePort ranges for dynamic and static allocation" (GA in 1.29)
    pub RULE {
        code: "NW2037",
        name: "node-port-outside-static-band",
        category: Suspicious,
        severity: Info,
        scope: Object,
        fix: false,
        summary: "An explicit nodePort lies in the band the allocator uses for automatic ports, so it may already be taken.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let range = ctx.options.cluster.node_port_range;
    let size = i32::from(range.last) - i32::from(range.first) + 1;
    let band = (size / 32).clamp(16, 128).min(size);
    let static_last = i32::from(range.first) + band - 1;
    for service in &ctx.services {
        if !matches!(service_type(&service.value), "NodePort" | "LoadBalancer") {
            continue;
        }
        let ports = FieldPath::new(["spec", "ports"]);
        for (i, port) in service.value.spec.ports.iter().enumerate() {
            let Some(node_port) = port
                .node_port
                .filter(|n| *n > static_last && range.contains(*n))
            else {
                continue;
            };
            let message = format!(
                "Service {} asks for node port {node_port}, in the part of the range ({}-{}) the allocator fills first with automatic ports: it may already be taken",
                service.qualified_name(),
                static_last + 1,
                range.last
            );
            out.push(
                service
                    .report(&RULE, ports.index(i).child("nodePort"), message)
                    .with_help(format!(
                        "pick explicit node ports in {}-{static_last}, or leave nodePort out",
                        range.first
                    )),
            );
        }
    }
}
