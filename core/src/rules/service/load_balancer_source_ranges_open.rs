//! `load-balancer-source-ranges-open`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Context;

use super::support::{internal_load_balancer, is_open_range, service_type, source_ranges};

declare_rule! {
    /// ## What it does
    /// Reports `0.0.0.0/0` or `::/0` in the source ranges of a `LoadBalancer` Service
    /// (`spec.loadBalancerSourceRanges`, or the legacy
    /// `service.beta.kubernetes.io/load-balancer-source-ranges` annotation when the field is
    /// empty). Internal load balancers (by provider annotation) are not reported.
    ///
    /// ## Why it matters
    /// A range of prefix length 0 admits every address: the list restricts nothing, while it
    /// reads as if someone had thought about the clients. It is usually copied from an example
    /// or left over from debugging.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: admin
    ///   namespace: shop
    /// spec:
    ///   type: LoadBalancer
    ///   allocateLoadBalancerNodePorts: false
    ///   selector:
    ///     app: admin
    ///   ports:
    ///     - port: 443
    ///   loadBalancerSourceRanges:
    ///     - 198.51.100.0/24
    ///     - 0.0.0.0/0
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: admin
    ///   namespace: shop
    /// spec:
    ///   type: LoadBalancer
    ///   selector:
    ///     app: admin
    ///   ports:
    ///     - port: 443
    ///   loadBalancerSourceRanges:
    ///     - 198.51.100.0/24
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, "Configure a firewall for a cloud provider"
    pub RULE {
        code: "NW2009",
        name: "load-balancer-source-ranges-open",
        category: Security,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "A LoadBalancer Service's source ranges include 0.0.0.0/0 or ::/0, which admits every client.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &ctx.services {
        if service_type(&service.value) != "LoadBalancer" || internal_load_balancer(&service.value)
        {
            continue;
        }
        for (range, path) in source_ranges(&service.value) {
            if !is_open_range(&range) {
                continue;
            }
            let message = format!(
                "LoadBalancer Service {} admits {range} in its source ranges: every client address of the internet may connect",
                service.qualified_name()
            );
            out.push(service.report(&RULE, path, message).with_help(
                "list only the client networks that need access; if the Service is meant to be public, say so with a suppression and a reason",
            ));
        }
    }
}
