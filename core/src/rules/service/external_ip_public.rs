//! `service-external-ip-is-public`.

use std::net::IpAddr;

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::path::FieldPath;
use crate::rules::Context;
use crate::validate::ip::parse_ip_sloppy;

declare_rule! {
    /// ## What it does
    /// Reports an address of `spec.externalIPs` outside the private ranges (RFC 1918, shared
    /// address space 100.64.0.0/10, IPv6 unique-local fc00::/7). The finding is an error for
    /// well-known public services (the Google, Cloudflare, Quad9 and OpenDNS resolvers), a
    /// warning otherwise: routing one's own public address to the nodes is what `externalIPs`
    /// was designed for.
    ///
    /// ## Why it matters
    /// kube-proxy captures traffic to an external IP on every node, including traffic from
    /// pods to that address on the internet. A Service claiming `8.8.8.8` silently receives
    /// the cluster's DNS queries to Google; one claiming a SaaS endpoint receives its API
    /// calls and credentials (the demonstration of CVE-2020-8554).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: resolver
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     app: resolver
    ///   ports:
    ///     - port: 53
    ///       protocol: UDP
    ///   # netward-ignore: NW2001 externalIPs are admitted in this cluster for the DNS gateway
    ///   externalIPs:
    ///     - 8.8.8.8
    /// ```
    ///
    /// ## Use instead
    /// A LoadBalancer Service:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: resolver
    ///   namespace: shop
    /// spec:
    ///   type: LoadBalancer
    ///   selector:
    ///     app: resolver
    ///   ports:
    ///     - port: 53
    ///       protocol: UDP
    ///   loadBalancerSourceRanges:
    ///     - 10.40.0.0/16
    /// ```
    ///
    /// ## References
    /// - CVE-2020-8554, kubernetes/kubernetes#97076
    pub RULE {
        code: "NW2020",
        name: "service-external-ip-is-public",
        category: Security,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "A Service claims a public address in externalIPs, capturing the cluster's traffic to that internet host.",
        check: check,
    }
}

/// Public resolvers nobody runs inside a cluster.
const WELL_KNOWN: &[(&str, &str)] = &[
    ("8.8.8.8", "Google Public DNS"),
    ("8.8.4.4", "Google Public DNS"),
    ("1.1.1.1", "Cloudflare DNS"),
    ("1.0.0.1", "Cloudflare DNS"),
    ("9.9.9.9", "Quad9 DNS"),
    ("149.112.112.112", "Quad9 DNS"),
    ("208.67.222.222", "OpenDNS"),
    ("208.67.220.220", "OpenDNS"),
    ("2001:4860:4860::8888", "Google Public DNS"),
    ("2001:4860:4860::8844", "Google Public DNS"),
    ("2606:4700:4700::1111", "Cloudflare DNS"),
    ("2606:4700:4700::1001", "Cloudflare DNS"),
];

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &ctx.services {
        let path = FieldPath::new(["spec", "externalIPs"]);
        for (i, text) in service.value.spec.external_ips.iter().enumerate() {
            let Some(ip) = parse_ip_sloppy(text.trim()).map(|p| p.addr) else {
                continue;
            };
            if private(ip) || ip.is_loopback() || ip.is_unspecified() || ip.is_multicast() {
                continue;
            }
            let known = WELL_KNOWN
                .iter()
                .find(|(a, _)| parse_ip_sloppy(a).is_some_and(|p| p.addr == ip))
                .map(|(_, name)| *name);
            let what = known.map_or_else(
                || "a public internet address".to_owned(),
                |name| format!("{name}, a public internet service"),
            );
            let message = format!(
                "Service {} claims externalIP {text}, {what}: kube-proxy captures every pod's traffic to that address on its ports and sends it to this Service",
                service.qualified_name()
            );
            let mut diagnostic = service
                .report(&RULE, path.index(i), message)
                .with_help("claim only addresses your organisation routes to the nodes, or use a LoadBalancer Service");
            if known.is_some() {
                diagnostic.severity = Severity::Error;
            }
            out.push(diagnostic);
        }
    }
}

fn private(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            v4.is_private() || v4.is_link_local() || (a == 100 && (64..128).contains(&b))
        }
        IpAddr::V6(v6) => {
            let first = v6.segments().first().copied().unwrap_or_default();
            (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
        }
    }
}
