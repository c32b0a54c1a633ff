//! `endpoints-address-in-cluster-network`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::validate::ip::{parse_cidr_sloppy, parse_ip_sloppy};

declare_rule! {
    /// ## What it does
    /// Reports an address of a hand-written Endpoints object or EndpointSlice that lies in
    /// the cluster's pod network (`cluster.pod_cidrs`) or Service network
    /// (`cluster.service_cidrs`). Without configured ranges the rule reports nothing.
    /// Endpoints exported from a live cluster (with a `uid`, a `resourceVersion`, or the
    /// controllers' `managed-by` label) are the controllers' work and are not checked.
    ///
    /// ## Why it matters
    /// A hand-written endpoint is meant for a backend outside the cluster. One that points at
    /// a pod address reaches pods the author does not own — typically in another namespace —
    /// through a Service of their own namespace: Ingress controllers and load balancers then
    /// deliver outside traffic to those pods, past their NetworkPolicies and their owners'
    /// Services (the confused deputy of CVE-2021-25740). Pod addresses also change with every
    /// restart, so such an endpoint breaks silently; a Service address is rewritten by
    /// kube-proxy, not routed. For pods, select them (or use an ExternalName of their
    /// Service).
    ///
    /// ## Example
    /// With `cluster: {pod_cidrs: [10.244.0.0/16], service_cidrs: [10.96.0.0/12]}`:
    /// ```yaml
    /// apiVersion: discovery.k8s.io/v1
    /// kind: EndpointSlice
    /// metadata:
    ///   name: billing-1
    ///   namespace: shop
    ///   labels:
    ///     kubernetes.io/service-name: billing
    /// addressType: IPv4
    /// ports:
    ///   - name: http
    ///     port: 8080
    /// endpoints:
    ///   - addresses:
    ///       - 10.244.3.17
    /// ```
    ///
    /// ## Use instead
    /// An address outside the cluster's networks (or a Service that selects the pods):
    /// ```yaml
    /// apiVersion: discovery.k8s.io/v1
    /// kind: EndpointSlice
    /// metadata:
    ///   name: billing-1
    ///   namespace: shop
    ///   labels:
    ///     kubernetes.io/service-name: billing
    /// addressType: IPv4
    /// ports:
    ///   - name: http
    ///     port: 8080
    /// endpoints:
    ///   - addresses:
    ///       - 192.0.2.80
    /// ```
    ///
    /// ## References
    /// - CVE-2021-25740, kubernetes/kubernetes#103675
    /// - Kubernetes documentation, Service, "Services without selectors"
    pub RULE {
        code: "NW2044",
        name: "endpoints-address-in-cluster-network",
        category: Security,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "A hand-written Endpoints or EndpointSlice address lies in the cluster's pod or Service network, pointing the Service at pods it does not own.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let cluster = &ctx.options.cluster;
    let networks: Vec<_> = [
        (&cluster.pod_cidrs, "pod network"),
        (&cluster.service_cidrs, "Service network"),
    ]
    .into_iter()
    .flat_map(|(cidrs, what)| {
        cidrs
            .iter()
            .filter_map(move |text| Some((parse_cidr_sloppy(text)?, text.as_str(), what)))
    })
    .collect();
    if networks.is_empty() {
        return;
    }
    for endpoints in ctx.endpoints.iter().filter(|e| e.value.hand_written()) {
        let kind = endpoints.value.kind();
        for address in &endpoints.value.addresses {
            let Some(ip) = parse_ip_sloppy(address.ip.trim()) else {
                continue;
            };
            let Some((_, cidr, what)) = networks.iter().find(|(net, _, _)| net.contains(ip.addr))
            else {
                continue;
            };
            let message = format!(
                "hand-written {kind} {} lists {}, inside the cluster's {what} {cidr}: its Service reaches pods (or Service addresses) it does not select, past their owners' Services and policies",
                endpoints.qualified_name(),
                address.ip
            );
            out.push(
                endpoints
                    .report(&RULE, address.path.clone(), message)
                    .with_help("give the Service a selector for pods of its own namespace, or list an address outside the cluster"),
            );
        }
    }
}
