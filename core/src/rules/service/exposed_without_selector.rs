//! `exposed-service-without-selector`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::{internal_load_balancer, service_type};

declare_rule! {
    /// ## What it does
    /// Reports a NodePort or LoadBalancer Service (or one with `externalIPs`) that has no
    /// selector, so its backends come from hand-written Endpoints or EndpointSlices. Internal
    /// load balancers (by provider annotation) are not reported.
    ///
    /// ## Why it matters
    /// Whoever may write the Endpoints of such a Service decides where outside traffic goes:
    /// any address, including pods of other namespaces that their NetworkPolicy and the load
    /// balancer's source ranges were meant to protect (CVE-2021-25740, unfixed by design). Most
    /// clusters grant Endpoints write access more widely than they realise (the `edit` role did
    /// before 1.22).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: legacy
    ///   namespace: shop
    /// spec:
    ///   type: LoadBalancer
    ///   allocateLoadBalancerNodePorts: false
    ///   ports:
    ///     - port: 443
    ///   loadBalancerSourceRanges:
    ///     - 198.51.100.0/24
    /// ---
    /// apiVersion: discovery.k8s.io/v1
    /// kind: EndpointSlice
    /// metadata:
    ///   name: legacy-1
    ///   namespace: shop
    ///   labels:
    ///     kubernetes.io/service-name: legacy
    /// addressType: IPv4
    /// ports:
    ///   - port: 443
    /// endpoints:
    ///   - addresses:
    ///       - 10.20.0.15
    /// ```
    ///
    /// ## Use instead
    /// Select the pods, so the endpoint controller owns the endpoints:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: legacy
    ///   namespace: shop
    /// spec:
    ///   type: LoadBalancer
    ///   selector:
    ///     app: legacy
    ///   ports:
    ///     - port: 443
    ///   loadBalancerSourceRanges:
    ///     - 198.51.100.0/24
    /// ```
    ///
    /// ## References
    /// - CVE-2021-25740, kubernetes/kubernetes#103675
    pub RULE {
        code: "NW2025",
        name: "exposed-service-without-selector",
        category: Security,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "An externally reachable Service has no selector: whoever writes its Endpoints decides where outside traffic goes.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &ctx.services {
        let value = &service.value;
        if value.spec.selector.as_ref().is_some_and(|s| !s.is_empty()) {
            continue;
        }
        let how = match service_type(value) {
            "NodePort" => "NodePort",
            "LoadBalancer" if !internal_load_balancer(value) => "LoadBalancer",
            "ClusterIP" if !value.spec.external_ips.is_empty() => "externalIPs",
            _ => continue,
        };
        let path = if how == "externalIPs" {
            FieldPath::new(["spec", "externalIPs"])
        } else {
            FieldPath::new(["spec", "type"])
        };
        let message = format!(
            "Service {} is reachable from outside ({how}) but has no selector: whoever can write its Endpoints or EndpointSlices can send outside traffic to any address, including other namespaces' pods (CVE-2021-25740)",
            service.qualified_name()
        );
        out.push(
            service
                .report(&RULE, path, message)
                .with_help("select the backing pods, or expose the external backend through an ExternalName Service behind an Ingress; restrict who may write Endpoints and EndpointSlices"),
        );
    }
}
