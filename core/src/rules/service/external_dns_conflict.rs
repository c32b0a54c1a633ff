//! `external-dns-hostname-conflict`.

use std::collections::HashMap;

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Label};
use crate::path::FieldPath;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Reports a Service whose `external-dns.alpha.kubernetes.io/hostname` annotation names a
    /// host that another Service of the bundle already names (comma-separated lists, case and
    /// trailing dots ignored). The same Service written twice is not a conflict.
    ///
    /// ## Why it matters
    /// ExternalDNS creates one record per name; two Services claiming it make the record
    /// point at whichever it processed last, or ownership checks leave it stale. Clients of
    /// one Service end up on the other, which can also be a way to take over a name.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    ///   annotations:
    ///     external-dns.alpha.kubernetes.io/hostname: shop.example.com
    /// spec:
    ///   type: LoadBalancer
    ///   allocateLoadBalancerNodePorts: false
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 443
    ///   loadBalancerSourceRanges:
    ///     - 198.51.100.0/24
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web-preview
    ///   namespace: preview
    ///   annotations:
    ///     external-dns.alpha.kubernetes.io/hostname: shop.example.com
    /// spec:
    ///   type: LoadBalancer
    ///   allocateLoadBalancerNodePorts: false
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 443
    ///   loadBalancerSourceRanges:
    ///     - 198.51.100.0/24
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    ///   annotations:
    ///     external-dns.alpha.kubernetes.io/hostname: shop.example.com
    /// spec:
    ///   type: LoadBalancer
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 443
    ///   loadBalancerSourceRanges:
    ///     - 198.51.100.0/24
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web-preview
    ///   namespace: preview
    ///   annotations:
    ///     external-dns.alpha.kubernetes.io/hostname: preview.shop.example.com
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
    /// - ExternalDNS documentation, annotations (`external-dns.alpha.kubernetes.io/hostname`)
    /// - Kyverno policy `require-unique-external-dns`
    pub RULE {
        code: "NW2029",
        name: "external-dns-hostname-conflict",
        category: Correctness,
        severity: Error,
        scope: Workspace,
        fix: false,
        summary: "Two Services ask ExternalDNS for the same host name; the record points at only one of them.",
        check: check,
    }
}

/// The ExternalDNS host name annotation.
const HOSTNAME: &str = "external-dns.alpha.kubernetes.io/hostname";

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut first: HashMap<String, usize> = HashMap::new();
    let path = FieldPath::new(["metadata", "annotations"]).key(HOSTNAME);
    for (index, service) in ctx.services.iter().enumerate() {
        let Some(value) = service.value.metadata.annotations.get(HOSTNAME) else {
            continue;
        };
        let hosts = value
            .split(',')
            .map(|h| h.trim().trim_end_matches('.').to_ascii_lowercase())
            .filter(|h| !h.is_empty());
        for host in hosts {
            let Some(&owner) = first.get(&host) else {
                first.insert(host, index);
                continue;
            };
            let Some(other) = ctx.services.get(owner) else {
                continue;
            };
            if owner == index
                || (other.namespace == service.namespace && other.name == service.name)
            {
                continue;
            }
            let message = format!(
                "Service {} asks ExternalDNS for {host}, which Service {} also claims: the DNS record can point at only one of them",
                service.qualified_name(),
                other.qualified_name()
            );
            out.push(
                service
                    .report(&RULE, path.clone(), message)
                    .with_help("give each Service its own host name")
                    .with_label(Label {
                        file: other.file.id,
                        span: other.span(&path),
                        message: format!("{host} claimed by Service {}", other.qualified_name()),
                    }),
            );
        }
    }
}
