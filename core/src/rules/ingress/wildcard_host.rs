//! `ingress-wildcard-host`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

use super::host_is_valid;

declare_rule! {
    /// ## What it does
    /// Reports an Ingress rule whose `host` is a wildcard such as `*.example.com`.
    ///
    /// ## Why it matters
    /// A wildcard rule answers for every subdomain that has no rule of its own, including
    /// names other teams have not claimed yet or have just deleted, and typos of real names.
    /// In a shared cluster it lets one namespace capture traffic meant for another's hosts,
    /// and it keeps answering for names nobody meant to publish.
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
    ///     - name: http
    ///       port: 80
    ///       targetPort: http
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   ingressClassName: nginx
    ///   tls:
    ///     - hosts:
    ///         - "*.example.com"
    ///       secretName: wildcard-example-com-tls
    ///   rules:
    ///     - host: "*.example.com"
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: web
    ///                 port:
    ///                   name: http
    /// ```
    ///
    /// ## Use instead
    /// List the hosts:
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///     - host: shop.example.com
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: web
    ///                 port:
    ///                   name: http
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, Ingress, "Hostname wildcards"
    /// - gatekeeper-library `k8sblockwildcardingress`, kyverno `restrict-ingress-wildcard`
    pub RULE {
        code: "NW4006",
        name: "ingress-wildcard-host",
        category: Security,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "An Ingress rule uses a wildcard host and answers for every subdomain without a rule of its own.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for ingress in &ctx.ingresses {
        for (i, rule) in ingress.value.spec.rules.iter().enumerate() {
            let Some(host) = rule.host.as_deref().filter(|h| h.contains('*')) else {
                continue;
            };
            if !host_is_valid(host) {
                continue; // the API server rejects it
            }
            let domain = host.strip_prefix("*.").unwrap_or(host);
            let message = format!(
                "Ingress {} routes `{host}`: every subdomain of {domain} without a rule of its own",
                ingress.qualified_name()
            );
            out.push(
                ingress
                    .report(
                        &RULE,
                        FieldPath::new(["spec", "rules"]).index(i).child("host"),
                        message,
                    )
                    .with_help("list the hosts the application serves"),
            );
        }
    }
}
