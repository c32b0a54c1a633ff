//! `ingress-tls-host-not-covered`.

use std::collections::BTreeSet;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

use super::{host_is_valid, is_intentional_companion, tls_covers};

declare_rule! {
    /// ## What it does
    /// Reports a rule host of an Ingress that has `spec.tls` entries, when no entry lists
    /// that host under `hosts` (a wildcard entry `*.example.com` covers `shop.example.com`,
    /// not `example.com` nor `a.shop.example.com`). A TLS entry without `hosts` applies to
    /// the controller's default host and silences the rule.
    ///
    /// ## Why it matters
    /// Controllers pick the certificate by the hosts listed under `tls`. A host left out is
    /// served with the controller's default (often self-signed) certificate, which browsers
    /// refuse, and is usually not redirected to HTTPS. (ingress-nginx also tries the names in
    /// the listed certificates, so there the outcome depends on the certificate; other
    /// controllers do not.) The usual cause is a host added to `rules` and forgotten in
    /// `tls`, or a typo in one of the two.
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
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: api
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     app: api
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
    ///         - shop.example.com
    ///       secretName: shop-tls
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
    ///     - host: api.example.com
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: api
    ///                 port:
    ///                   name: http
    /// ```
    ///
    /// ## Use instead
    /// List every rule host under `tls` (with a certificate that covers it):
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   ingressClassName: nginx
    ///   tls:
    ///     - hosts:
    ///         - shop.example.com
    ///         - api.example.com
    ///       secretName: shop-tls
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
    ///     - host: api.example.com
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: api
    ///                 port:
    ///                   name: http
    /// ```
    ///
    /// ## References
    /// - Kubernetes API reference, IngressTLS `hosts`
    /// - kyverno `ingress-host-match-tls`
    pub RULE {
        code: "NW4005",
        name: "ingress-tls-host-not-covered",
        category: Correctness,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "A rule host of an Ingress with TLS is not listed in any `tls` entry's hosts.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for ingress in &ctx.ingresses {
        let tls = &ingress.value.spec.tls;
        if tls.is_empty()
            || tls.iter().any(|t| t.hosts.is_empty())
            || is_intentional_companion(&ingress.value)
        {
            continue;
        }
        let tls_hosts: Vec<&str> = tls
            .iter()
            .flat_map(|t| t.hosts.iter().map(String::as_str))
            .collect();
        let mut reported = BTreeSet::new();
        for (i, rule) in ingress.value.spec.rules.iter().enumerate() {
            let Some(host) = rule.host.as_deref().filter(|h| !h.is_empty()) else {
                continue;
            };
            if !host_is_valid(host)
                || tls_hosts.iter().any(|t| tls_covers(t, host))
                || !reported.insert(host.to_ascii_lowercase())
            {
                continue;
            }
            let message = format!(
                "host {host} of Ingress {} is not listed under `tls` (TLS hosts: {}): it gets the controller's default certificate",
                ingress.qualified_name(),
                tls_hosts.join(", ")
            );
            out.push(
                ingress
                    .report(
                        &RULE,
                        FieldPath::new(["spec", "rules"]).index(i).child("host"),
                        message,
                    )
                    .with_help(format!(
                        "add {host} to the hosts of the `tls` entry whose certificate covers it, or fix the spelling of one of the two"
                    )),
            );
        }
    }
}
