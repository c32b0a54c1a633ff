//! `service-uses-external-ips`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Reports Services that set `spec.externalIPs`.
    ///
    /// ## Why it matters
    /// Any user who may create a Service can claim an arbitrary address in `externalIPs`, and
    /// kube-proxy then captures the cluster's traffic to that address, including traffic meant
    /// for outside hosts (CVE-2020-8554, a design flaw with no fix in Kubernetes itself). Few
    /// workloads need the field; clusters usually block it with an admission policy.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 80
    ///   externalIPs:
    ///     - 10.40.0.10
    /// ```
    ///
    /// ## Use instead
    /// A `LoadBalancer` Service (with `loadBalancerSourceRanges`) or an Ingress:
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
    ///   loadBalancerSourceRanges:
    ///     - 203.0.113.0/24
    /// ```
    ///
    /// ## References
    /// - CVE-2020-8554, kubernetes/kubernetes#97076
    /// - Kubernetes documentation, Service, "External IPs"
    pub RULE {
        code: "NW2001",
        name: "service-uses-external-ips",
        category: Security,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "The Service sets externalIPs, which lets it capture traffic to any address (CVE-2020-8554).",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &ctx.services {
        let ips = &service.value.spec.external_ips;
        if ips.is_empty() {
            continue;
        }
        let message = format!(
            "Service {} claims externalIPs {}: any Service may capture traffic to any address this way (CVE-2020-8554)",
            service.qualified_name(),
            ips.join(", ")
        );
        out.push(
            service
                .report(&RULE, FieldPath::new(["spec", "externalIPs"]), message)
                .with_help("use a LoadBalancer Service or an Ingress, and block externalIPs with an admission policy"),
        );
    }
}
