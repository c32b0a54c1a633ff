//! `service-uses-load-balancer-ip`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::service_type;

declare_rule! {
    /// ## What it does
    /// Reports a Service that sets `spec.loadBalancerIP`: deprecated since Kubernetes 1.24 on
    /// LoadBalancer Services, and ignored on every other type.
    ///
    /// ## Why it matters
    /// The field's meaning was never specified across providers (some ignore it, some need
    /// extra annotations, none supports dual-stack through it), and it is on its way out.
    /// Claiming an arbitrary address this way is also part of the CVE-2020-8554 family.
    /// Providers now take the address from their own annotations.
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
    ///   allocateLoadBalancerNodePorts: false
    ///   loadBalancerIP: 203.0.113.20
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 443
    ///   loadBalancerSourceRanges:
    ///     - 198.51.100.0/24
    /// ```
    ///
    /// ## Use instead
    /// The provider's annotation (here MetalLB's):
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    ///   annotations:
    ///     metallb.universe.tf/loadBalancerIPs: 203.0.113.20
    /// spec:
    ///   type: LoadBalancer
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 443
    ///   loadBalancerSourceRanges:
    ///     - 198.51.100.0/24
    /// ```
    ///
    /// ## References
    /// - Kubernetes API reference, ServiceSpec `loadBalancerIP` ("Deprecated: This field was
    ///   under-specified and its meaning varies across implementations")
    /// - KEP-1860 / kubernetes/kubernetes#107235
    pub RULE {
        code: "NW2019",
        name: "service-uses-load-balancer-ip",
        category: Suspicious,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "The Service sets the deprecated spec.loadBalancerIP, which is provider-specific (and ignored outside LoadBalancer Services).",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &ctx.services {
        let Some(ip) = service
            .value
            .spec
            .load_balancer_ip
            .as_deref()
            .filter(|ip| !ip.trim().is_empty())
        else {
            continue;
        };
        let type_ = service_type(&service.value);
        let (message, help) = if type_ == "LoadBalancer" {
            (
                format!(
                    "Service {} sets loadBalancerIP {ip}, deprecated since Kubernetes 1.24 and implemented differently (or not at all) by each provider",
                    service.qualified_name()
                ),
                "request the address with your provider's annotation (e.g. `metallb.universe.tf/loadBalancerIPs`, `service.beta.kubernetes.io/azure-load-balancer-ipv4`, or a GKE/AWS static-address annotation)",
            )
        } else {
            (
                format!(
                    "Service {} sets loadBalancerIP {ip}, but it is of type {type_}: the field is ignored",
                    service.qualified_name()
                ),
                "remove loadBalancerIP, or make the Service a LoadBalancer and request the address with your provider's annotation",
            )
        };
        out.push(
            service
                .report(&RULE, FieldPath::new(["spec", "loadBalancerIP"]), message)
                .with_help(help),
        );
    }
}
