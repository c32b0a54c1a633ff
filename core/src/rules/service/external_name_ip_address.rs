//! `external-name-is-ip-address`.

use std::net::Ipv4Addr;

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::path::FieldPath;
use crate::rules::Context;

use super::external_name::{external_names, ExternalTarget};

declare_rule! {
    /// ## What it does
    /// Reports an ExternalName Service whose `externalName` is an IPv4 address (`10.0.0.12`
    /// is a valid DNS name to the API server) or a wildcard DNS name that embeds one
    /// (`10.0.0.12.nip.io`, `app-10-0-0-12.sslip.io`). Loopback and metadata addresses have
    /// their own rules. The finding is an error when the address is private (RFC 1918,
    /// shared address space 100.64.0.0/10, link-local), a warning otherwise.
    ///
    /// ## Why it matters
    /// Cluster DNS answers an ExternalName with a CNAME, and a CNAME to `10.0.0.12.` does not
    /// resolve: clients in the cluster get no address. Proxies, on the other hand, often use
    /// the value as an address directly, so the Service becomes a way to make an ingress
    /// controller connect to arbitrary hosts of the private network, past any NetworkPolicy.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    ///   namespace: shop
    /// spec:
    ///   type: ExternalName
    ///   externalName: 10.20.0.15
    /// ```
    ///
    /// ## Use instead
    /// For an address, a Service without selector and an EndpointSlice; or a DNS name:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    ///   namespace: shop
    /// spec:
    ///   ports:
    ///     - name: postgres
    ///       port: 5432
    /// ---
    /// apiVersion: discovery.k8s.io/v1
    /// kind: EndpointSlice
    /// metadata:
    ///   name: db-1
    ///   namespace: shop
    ///   labels:
    ///     kubernetes.io/service-name: db
    /// addressType: IPv4
    /// ports:
    ///   - name: postgres
    ///     port: 5432
    /// endpoints:
    ///   - addresses:
    ///       - 10.20.0.15
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, Service, "ExternalName" ("ExternalName accepts an IPv4
    ///   address string, but treats that string as a DNS name comprised of digits")
    /// - CVE-2021-25740 (kubernetes/kubernetes#103675)
    pub RULE {
        code: "NW2012",
        name: "external-name-is-ip-address",
        category: Security,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "An ExternalName Service names an IP address, which cluster DNS cannot resolve and proxies use as a raw address.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (service, name, target) in external_names(ctx) {
        let ExternalTarget::Address {
            addr,
            via_wildcard_dns,
        } = target
        else {
            continue;
        };
        let private = is_private(addr);
        let how = if via_wildcard_dns {
            format!("`{name}` resolves to {addr} through a wildcard DNS service")
        } else {
            format!("`{name}` is an IP address, which cluster DNS cannot resolve as a CNAME")
        };
        let reach = if private {
            "; proxies that use it as an address reach a host of the private network, past NetworkPolicy"
        } else {
            ""
        };
        let message = format!(
            "ExternalName Service {}: {how}{reach}",
            service.qualified_name()
        );
        let mut diagnostic = service
            .report(&RULE, FieldPath::new(["spec", "externalName"]), message)
            .with_help("for a fixed address, use a Service without selector and an EndpointSlice; otherwise point externalName at a DNS name");
        if private {
            diagnostic.severity = Severity::Error;
        }
        out.push(diagnostic);
    }
}

/// RFC 1918, shared address space (100.64.0.0/10) and link-local.
fn is_private(addr: Ipv4Addr) -> bool {
    let [a, b, ..] = addr.octets();
    addr.is_private() || addr.is_link_local() || (a == 100 && (64..128).contains(&b))
}
