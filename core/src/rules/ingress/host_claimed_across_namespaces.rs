//! `ingress-host-claimed-across-namespaces`.

use std::collections::{BTreeMap, BTreeSet};

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Label};
use crate::model::Ingress;
use crate::path::FieldPath;
use crate::rules::{Context, Decoded};

use super::{is_intentional_companion, may_share_class};

declare_rule! {
    /// ## What it does
    /// Reports an Ingress rule whose host an Ingress of another namespace, earlier in the
    /// bundle, already routes, unless both Ingresses name different classes. The first
    /// Ingress to route a host is taken as its owner, so only the other namespaces'
    /// Ingresses are reported. Hosts compare exactly (a wildcard only equals the same
    /// wildcard). cert-manager's HTTP-01 solver Ingresses and ingress-nginx canary Ingresses
    /// are left out, and so are Ingresses the API server would reject.
    ///
    /// This is an ownership policy: where namespaces share a host by design (each routing
    /// its own paths), disable the rule.
    ///
    /// ## Why it matters
    /// A host name usually belongs to one team. When a second namespace routes paths of the
    /// same host, it serves content under the first team's name and cookies, and, for paths
    /// the first team does not route yet, silently takes them over. Multi-tenant clusters
    /// forbid it with admission policies; this finding shows where it already happens.
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
    ///   name: login
    ///   namespace: sandbox
    /// spec:
    ///   selector:
    ///     app: login
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
    ///       secretName: shop-example-com-tls
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
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: login
    ///   namespace: sandbox
    /// spec:
    ///   ingressClassName: nginx
    ///   tls:
    ///     - hosts:
    ///         - shop.example.com
    ///       secretName: shop-example-com-tls
    ///   rules:
    ///     - host: shop.example.com
    ///       http:
    ///         paths:
    ///           - path: /login
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: login
    ///                 port:
    ///                   name: http
    /// ```
    ///
    /// ## Use instead
    /// Give each namespace its own host:
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
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: login
    ///   namespace: sandbox
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///     - host: login.sandbox.example.com
    ///       http:
    ///         paths:
    ///           - path: /login
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: login
    ///                 port:
    ///                   name: http
    /// ```
    ///
    /// ## References
    /// - gatekeeper-library `k8suniqueingresshost`, kyverno `restrict-ingress-host`
    pub RULE {
        code: "NW4011",
        name: "ingress-host-claimed-across-namespaces",
        category: Security,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "Ingresses of different namespaces route the same host.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    // host -> the Ingresses routing it (with the rule's host path), in bundle order.
    let mut claims: BTreeMap<String, Vec<(&Decoded<'_, Ingress>, FieldPath)>> = BTreeMap::new();
    for ingress in &ctx.ingresses {
        if !ingress.valid || is_intentional_companion(&ingress.value) {
            continue;
        }
        let mut seen = BTreeSet::new();
        for (i, rule) in ingress.value.spec.rules.iter().enumerate() {
            let Some(host) = rule.host.as_deref().filter(|h| !h.is_empty()) else {
                continue;
            };
            let host = host.to_ascii_lowercase();
            if seen.insert(host.clone()) {
                let path = FieldPath::new(["spec", "rules"]).index(i).child("host");
                claims.entry(host).or_default().push((ingress, path));
            }
        }
    }
    let mut findings = Vec::new();
    for (host, claimants) in &claims {
        for (k, (ingress, path)) in claimants.iter().enumerate() {
            // The first earlier claimant possibly served by the same controller owns the host.
            let Some((owner, owner_path)) = claimants
                .get(..k)
                .unwrap_or_default()
                .iter()
                .find(|(other, _)| may_share_class(&other.value, &ingress.value))
            else {
                continue;
            };
            if owner.namespace == ingress.namespace {
                continue;
            }
            let message = format!(
                "host {host} of Ingress {} is already routed by Ingress {} of another namespace",
                ingress.qualified_name(),
                owner.qualified_name()
            );
            findings.push(
                ingress
                    .report(&RULE, path.clone(), message)
                    .with_label(Label {
                        file: owner.file.id,
                        span: owner.span(owner_path),
                        message: format!("routed by Ingress {}", owner.qualified_name()),
                    })
                    .with_help("give each namespace its own host names; if the namespaces share the host on purpose, say why with `# netward-ignore: NW4011 <reason>` or disable the rule"),
            );
        }
    }
    out.extend(findings);
}
