//! `service-external-ip-conflict`.

use std::collections::HashMap;
use std::net::IpAddr;

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Label};
use crate::netpol::Protocol;
use crate::path::FieldPath;
use crate::rules::Context;
use crate::validate::ip::parse_ip_sloppy;

use super::support::{protocol, service_type};

declare_rule! {
    /// ## What it does
    /// Reports a Service that claims an address and port (through `externalIPs`, or
    /// `loadBalancerIP` on a LoadBalancer Service) that another Service of the bundle claims
    /// for the same port and protocol. The same Service written twice is not a conflict.
    ///
    /// ## Why it matters
    /// kube-proxy installs the rules of both Services and the first one wins, in an order
    /// nobody controls: traffic meant for one Service lands on the other's pods. With
    /// `externalIPs` any namespace can do this to any other (CVE-2020-8554).
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
    ///     - port: 443
    ///   # netward-ignore: NW2001 on-prem VIP routed to the nodes
    ///   externalIPs:
    ///     - 10.40.0.10
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: proxy
    ///   namespace: tools
    /// spec:
    ///   selector:
    ///     app: proxy
    ///   ports:
    ///     - port: 443
    ///   # netward-ignore: NW2001 on-prem VIP routed to the nodes
    ///   externalIPs:
    ///     - 10.40.0.10
    /// ```
    ///
    /// ## Use instead
    /// One address per Service and port:
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
    ///     - port: 443
    ///   externalIPs:
    ///     - 10.40.0.10
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: proxy
    ///   namespace: tools
    /// spec:
    ///   selector:
    ///     app: proxy
    ///   ports:
    ///     - port: 443
    ///   externalIPs:
    ///     - 10.40.0.11
    /// ```
    ///
    /// ## References
    /// - CVE-2020-8554, kubernetes/kubernetes#97076
    pub RULE {
        code: "NW2028",
        name: "service-external-ip-conflict",
        category: Security,
        severity: Error,
        scope: Workspace,
        fix: false,
        summary: "Two Services claim the same external address, port and protocol; one silently captures the other's traffic.",
        check: check,
    }
}

type Claim = (IpAddr, i32, Protocol);

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut first: HashMap<Claim, (usize, FieldPath)> = HashMap::new();
    for (index, service) in ctx.services.iter().enumerate() {
        let mut reported = Vec::new();
        for (claim, path) in claims(&service.value) {
            let Some((owner, owner_path)) = first.get(&claim) else {
                first.insert(claim, (index, path));
                continue;
            };
            let Some(other) = ctx.services.get(*owner) else {
                continue;
            };
            if *owner == index
                || (other.namespace == service.namespace && other.name == service.name)
                || reported.contains(&(*owner, path.clone()))
            {
                continue;
            }
            reported.push((*owner, path.clone()));
            let (ip, port, protocol) = claim;
            let message = format!(
                "Service {} claims {ip} port {port}/{protocol}, which Service {} also claims: kube-proxy sends the traffic to whichever rule comes first",
                service.qualified_name(),
                other.qualified_name()
            );
            out.push(
                service
                    .report(&RULE, path, message)
                    .with_help("give each Service its own address, or merge them")
                    .with_label(Label {
                        file: other.file.id,
                        span: other.span(owner_path),
                        message: format!("{ip} claimed by Service {}", other.qualified_name()),
                    }),
            );
        }
    }
}

/// (address, port, protocol) claims of a Service, with the path of the address.
fn claims(service: &crate::model::Service) -> Vec<(Claim, FieldPath)> {
    let spec = &service.spec;
    let mut addresses: Vec<(IpAddr, FieldPath)> = spec
        .external_ips
        .iter()
        .enumerate()
        .filter_map(|(i, ip)| {
            let ip = parse_ip_sloppy(ip.trim())?.addr;
            Some((ip, FieldPath::new(["spec", "externalIPs"]).index(i)))
        })
        .collect();
    if service_type(service) == "LoadBalancer" {
        if let Some(ip) = spec
            .load_balancer_ip
            .as_deref()
            .and_then(|ip| parse_ip_sloppy(ip.trim()))
        {
            addresses.push((ip.addr, FieldPath::new(["spec", "loadBalancerIP"])));
        }
    }
    let mut out = Vec::new();
    for (ip, path) in addresses {
        for port in &spec.ports {
            if let (Some(number), Some(protocol)) = (port.port, protocol(port)) {
                out.push(((ip, number, protocol), path.clone()));
            }
        }
    }
    out
}
