//! `endpoints-special-address`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Context;
use crate::validate::ip::{parse_ip_sloppy, validate_non_special_ip};

declare_rule! {
    /// ## What it does
    /// Reports an address of an Endpoints object or EndpointSlice that is unspecified
    /// (`0.0.0.0`, `::`), loopback (`127.0.0.0/8`, `::1`), link-local (`169.254.0.0/16`,
    /// `fe80::/10`, link-local multicast), or one of the cloud metadata addresses of
    /// `cluster.metadata_addresses` (`169.254.169.254`, `fd00:ec2::254`, ...).
    ///
    /// ## Why it matters
    /// kube-proxy sends a Service's traffic to whatever its endpoints list, from the node. An
    /// endpoint on a loopback or link-local address therefore makes the Service a door to
    /// the node's own local services — the kubelet, a node-local agent, the instance
    /// metadata service with the node's cloud credentials — for every client of the Service
    /// and every Ingress controller that routes to it (CVE-2021-25737, and the
    /// confused-deputy family of CVE-2021-25740). Current API servers reject these
    /// addresses, older ones did not validate EndpointSlices; either way the manifest is
    /// wrong.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: discovery.k8s.io/v1
    /// kind: EndpointSlice
    /// metadata:
    ///   name: legacy-db-1
    ///   namespace: shop
    ///   labels:
    ///     kubernetes.io/service-name: legacy-db
    /// addressType: IPv4
    /// ports:
    ///   - name: postgres
    ///     port: 5432
    /// endpoints:
    ///   - addresses:
    ///       - 169.254.169.254
    /// ```
    ///
    /// ## Use instead
    /// The address of the external backend itself:
    /// ```yaml
    /// apiVersion: discovery.k8s.io/v1
    /// kind: EndpointSlice
    /// metadata:
    ///   name: legacy-db-1
    ///   namespace: shop
    ///   labels:
    ///     kubernetes.io/service-name: legacy-db
    /// addressType: IPv4
    /// ports:
    ///   - name: postgres
    ///     port: 5432
    /// endpoints:
    ///   - addresses:
    ///       - 192.0.2.40
    /// ```
    ///
    /// ## References
    /// - CVE-2021-25737, kubernetes/kubernetes#102106; CVE-2021-25740,
    ///   kubernetes/kubernetes#103675
    /// - Kubernetes documentation, Service, "Services without selectors"
    pub RULE {
        code: "NW2043",
        name: "endpoints-special-address",
        category: Security,
        severity: Error,
        scope: Object,
        fix: false,
        summary: "An Endpoints or EndpointSlice address is loopback, link-local, unspecified or a cloud metadata address, which turns the Service into a door to the node.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let metadata: Vec<_> = ctx
        .options
        .cluster
        .metadata_addresses
        .iter()
        .filter_map(|a| parse_ip_sloppy(a))
        .map(|a| a.addr)
        .collect();
    for endpoints in &ctx.endpoints {
        let kind = endpoints.value.kind();
        for address in &endpoints.value.addresses {
            let Some(ip) = parse_ip_sloppy(address.ip.trim()) else {
                continue;
            };
            let mut reasons: Vec<String> = validate_non_special_ip(&address.path, &address.ip, &ip)
                .into_iter()
                .map(|e| match e.detail.strip_prefix("may not be ") {
                    Some(what) => format!("is {what}"),
                    None => e.detail,
                })
                .collect();
            if metadata.contains(&ip.addr) {
                reasons.push("is the cloud instance-metadata address".to_owned());
            }
            if reasons.is_empty() {
                continue;
            }
            let message = format!(
                "{kind} {} sends its Service's traffic to {}, which {}: clients of the Service reach the node's own local services",
                endpoints.qualified_name(),
                address.ip,
                reasons.join(" and ")
            );
            out.push(
                endpoints
                    .report(&RULE, address.path.clone(), message)
                    .with_help("list the backend's own routable address"),
            );
        }
    }
}
