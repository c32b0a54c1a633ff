//! `service-cluster-ip-hard-coded`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;
use crate::validate::ip::{parse_cidr_sloppy, parse_ip_sloppy};

use super::support::{selects, service_type};

declare_rule! {
    /// ## What it does
    /// Reports a Service that sets `spec.clusterIP` (or `spec.clusterIPs`) to an address rather
    /// than leaving it to the allocator or setting `None`. The cluster DNS Service (named
    /// `kube-dns`, `coredns` or `node-local-dns`, or selecting the DNS pods of the options),
    /// whose address the kubelets are configured with, is not reported. When the options list
    /// the service CIDRs, the message says whether the address is outside them.
    ///
    /// ## Why it matters
    /// A fixed cluster IP ties the manifest to one cluster's service CIDR: in another cluster it
    /// is outside the range or already taken, and the Service cannot be created. The address
    /// cannot be changed later without deleting the Service, and it collides with whatever
    /// the allocator handed out first.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   clusterIP: 10.96.12.34
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 80
    /// ```
    ///
    /// ## Use instead
    /// Let the allocator choose, and address the Service by its DNS name:
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
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, Service, "Choosing your own IP address"; "Service ClusterIP
    ///   allocation"
    pub RULE {
        code: "NW2024",
        name: "service-cluster-ip-hard-coded",
        category: Suspicious,
        severity: Warning,
        scope: Manifest,
        fix: false,
        summary: "The Service hard-codes its cluster IP, which ties it to one cluster's service CIDR and allocations.",
        check: check,
    }
}

/// Names of the cluster DNS Services, whose address the kubelets know.
const DNS_SERVICES: &[&str] = &["kube-dns", "coredns", "node-local-dns"];

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &ctx.services {
        if service_type(&service.value) == "ExternalName" || is_dns(ctx, service) {
            continue;
        }
        let spec = &service.value.spec;
        let (address, path) = match (&spec.cluster_ip, spec.cluster_ips.first()) {
            (Some(ip), _) => (ip.as_str(), FieldPath::new(["spec", "clusterIP"])),
            (None, Some(ip)) => (ip.as_str(), FieldPath::new(["spec", "clusterIPs"]).index(0)),
            (None, None) => continue,
        };
        let Some(ip) = parse_ip_sloppy(address.trim()).map(|p| p.addr) else {
            continue;
        };
        let cidrs: Vec<&String> = ctx.options.cluster.service_cidrs.iter().collect();
        let outside = !cidrs.is_empty()
            && !cidrs
                .iter()
                .filter_map(|c| parse_cidr_sloppy(c))
                .any(|c| c.contains(ip));
        let message = if outside {
            format!(
                "Service {} hard-codes clusterIP {address}, which is outside the service CIDRs {}: the Service cannot be created there",
                service.qualified_name(),
                ctx.options.cluster.service_cidrs.join(", ")
            )
        } else {
            format!(
                "Service {} hard-codes clusterIP {address}: the manifest only works in clusters where that address is in the service CIDR and still free",
                service.qualified_name()
            )
        };
        out.push(
            service
                .report(&RULE, path, message)
                .with_help("leave clusterIP out and let clients use the Service's DNS name"),
        );
    }
}

fn is_dns(ctx: &Context<'_>, service: &crate::rules::Decoded<'_, crate::model::Service>) -> bool {
    let dns = &ctx.options.cluster.dns;
    DNS_SERVICES.contains(&service.name.as_str())
        || (service.namespace == dns.namespace
            && !dns.pod_labels.is_empty()
            && service
                .value
                .spec
                .selector
                .as_ref()
                .is_some_and(|s| !s.is_empty() && selects(s, &dns.pod_labels)))
}
