//! `load-balancer-without-source-ranges`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::{internal_load_balancer, service_type, source_ranges};

declare_rule! {
    /// ## What it does
    /// Reports a `LoadBalancer` Service with neither `spec.loadBalancerSourceRanges` nor the
    /// legacy `service.beta.kubernetes.io/load-balancer-source-ranges` annotation, unless a
    /// cloud provider annotation makes the load balancer internal (AWS
    /// `aws-load-balancer-internal` / `aws-load-balancer-scheme: internal`, GKE
    /// `networking.gke.io/load-balancer-type: Internal`, Azure `azure-load-balancer-internal`,
    /// Oracle, OpenStack, IBM, Alibaba, Tencent and Hetzner equivalents).
    ///
    /// Load balancers that expose only ports 80 and 443 are not reported: a public web entry
    /// point (an ingress controller, a web front end) is what most LoadBalancer Services are
    /// for. Any other port — a database, a broker, an admin API, a custom TCP service — is.
    ///
    /// ## Why it matters
    /// Without source ranges, the load balancers of most cloud providers accept connections
    /// from the whole internet, and the nodes' firewall is opened to match. NetworkPolicy
    /// rarely helps: with the default `externalTrafficPolicy: Cluster` the client address is
    /// replaced by a node's on the way to the pod.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: broker
    ///   namespace: shop
    /// spec:
    ///   type: LoadBalancer
    ///   allocateLoadBalancerNodePorts: false
    ///   selector:
    ///     app: broker
    ///   ports:
    ///     - port: 5671
    /// ```
    ///
    /// ## Use instead
    /// Name the client networks:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: broker
    ///   namespace: shop
    /// spec:
    ///   type: LoadBalancer
    ///   selector:
    ///     app: broker
    ///   ports:
    ///     - port: 5671
    ///   loadBalancerSourceRanges:
    ///     - 198.51.100.0/24
    /// ```
    /// or make the load balancer internal:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: broker
    ///   namespace: shop
    ///   annotations:
    ///     networking.gke.io/load-balancer-type: Internal
    /// spec:
    ///   type: LoadBalancer
    ///   selector:
    ///     app: broker
    ///   ports:
    ///     - port: 5671
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, "Configure a firewall for a cloud provider" (loadBalancerSourceRanges)
    /// - Kubernetes documentation, Service, "Internal load balancer"
    pub RULE {
        code: "NW2008",
        name: "load-balancer-without-source-ranges",
        category: Security,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "A LoadBalancer Service exposes non-web ports without source ranges and is not internal, so it is usually open to the internet.",
        check: check,
    }
}

/// The ports of a public web entry point.
const WEB_PORTS: &[i32] = &[80, 443];

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &ctx.services {
        if service_type(&service.value) != "LoadBalancer"
            || !source_ranges(&service.value).is_empty()
            || internal_load_balancer(&service.value)
        {
            continue;
        }
        let ports: Vec<i32> = service
            .value
            .spec
            .ports
            .iter()
            .filter_map(|p| p.port)
            .collect();
        if ports.iter().all(|p| WEB_PORTS.contains(p)) {
            continue;
        }
        let listed: Vec<String> = ports.iter().map(i32::to_string).collect();
        let message = format!(
            "LoadBalancer Service {} exposes port{} {} and sets no loadBalancerSourceRanges: on most cloud providers it accepts connections from the whole internet",
            service.qualified_name(),
            if ports.len() == 1 { "" } else { "s" },
            listed.join(", ")
        );
        out.push(
            service
                .report(&RULE, FieldPath::new(["spec", "type"]), message)
                .with_help("list the client networks under spec.loadBalancerSourceRanges, or make the load balancer internal with your provider's annotation (e.g. `networking.gke.io/load-balancer-type: Internal`, `service.beta.kubernetes.io/aws-load-balancer-internal: \"true\"`); if it is meant to be public, say so with a suppression and a reason"),
        );
    }
}
