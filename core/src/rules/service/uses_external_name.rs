//! `service-uses-external-name`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

use super::external_name::{external_names, ExternalTarget};

declare_rule! {
    /// ## What it does
    /// Reports an `ExternalName` Service whose target is not inside one of the domains listed
    /// in `rule_settings.external_name_domains` (a domain covers itself and its subdomains).
    /// Targets that a more specific rule reports — loopback names
    /// (`external-name-points-to-loopback`), metadata hosts
    /// (`external-name-points-to-metadata-service`), IP addresses
    /// (`external-name-is-ip-address`) and cluster-internal names
    /// (`external-name-points-into-cluster`) — are left to those rules, and aliases of
    /// Services of the same namespace (`db.shop.svc.cluster.local`) are not reported.
    ///
    /// ## Why it matters
    /// An ExternalName Service is a DNS alias that other components act on: Ingress
    /// controllers and gateways proxy to the host it names, with their own network position
    /// and credentials. Whoever may create a Service in a namespace can thereby make the
    /// controller connect anywhere (the confused-deputy pattern of CVE-2021-25740), which is
    /// why several controllers refuse ExternalName backends by default and multi-tenant
    /// clusters restrict them. Listing the domains the cluster's applications may alias makes
    /// every other target stand out.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: payments
    ///   namespace: shop
    /// spec:
    ///   type: ExternalName
    ///   externalName: api.payments-provider.example
    /// ```
    ///
    /// ## Use instead
    /// List the domains the cluster's applications may alias in the options file:
    /// ```text
    /// rule_settings:
    ///   external_name_domains: [payments-provider.example]
    /// ```
    /// or give the external backend a selectorless Service with an EndpointSlice holding its
    /// addresses, which does not depend on what a name resolves to:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: payments
    ///   namespace: shop
    /// spec:
    ///   ports:
    ///     - name: https
    ///       port: 443
    /// ---
    /// apiVersion: discovery.k8s.io/v1
    /// kind: EndpointSlice
    /// metadata:
    ///   name: payments-1
    ///   namespace: shop
    ///   labels:
    ///     kubernetes.io/service-name: payments
    /// addressType: IPv4
    /// ports:
    ///   - name: https
    ///     port: 443
    /// endpoints:
    ///   - addresses:
    ///       - 198.51.100.20
    /// ```
    ///
    /// ## References
    /// - CVE-2021-25740, kubernetes/kubernetes#103675
    /// - Kubernetes documentation, Service, "ExternalName"
    /// - trivy-checks KSV-0108; projectcapsule/capsule#339
    pub RULE {
        code: "NW2040",
        name: "service-uses-external-name",
        category: Security,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "An ExternalName Service aliases a host outside the allowed domains; proxies that follow it connect wherever it names.",
        check: check,
    }
}

/// Whether `name` is `domain` or one of its subdomains (case and trailing dots ignored).
fn within(name: &str, domain: &str) -> bool {
    let domain = domain.trim().trim_matches('.').to_ascii_lowercase();
    !domain.is_empty()
        && (name == domain
            || name
                .strip_suffix(domain.as_str())
                .is_some_and(|rest| rest.ends_with('.')))
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let allowed = &ctx.options.rule_settings.external_name_domains;
    for (service, name, target) in external_names(ctx) {
        let host = name.trim_end_matches('.').to_ascii_lowercase();
        // Names in the cluster's own DNS are no external host; other namespaces' Services
        // are external-name-points-into-cluster's concern.
        let in_cluster = host.ends_with(".svc") || within(&host, "cluster.local");
        if target != ExternalTarget::Other || in_cluster || allowed.iter().any(|d| within(&host, d))
        {
            continue;
        }
        let message = if allowed.is_empty() {
            format!(
                "Service {} is an alias of `{name}`: Ingress controllers and proxies that follow it connect to whatever that name resolves to",
                service.qualified_name()
            )
        } else {
            format!(
                "Service {} is an alias of `{name}`, outside the allowed domains ({}): Ingress controllers and proxies that follow it connect there",
                service.qualified_name(),
                allowed.join(", ")
            )
        };
        out.push(
            service
                .report(&RULE, FieldPath::new(["spec", "externalName"]), message)
                .with_help("add the domain to `rule_settings.external_name_domains` if the alias is expected, or use a selectorless Service with an EndpointSlice"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::within;

    #[test]
    fn domains_cover_their_subdomains_only() {
        assert!(within("db.example.com", "example.com"));
        assert!(within("example.com", "Example.com."));
        assert!(!within("badexample.com", "example.com"));
        assert!(!within("example.com", ""));
    }
}
