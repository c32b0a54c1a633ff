//! `ingress-host-path-conflict`.

use std::collections::BTreeMap;

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Label};
use crate::model::Ingress;
use crate::path::FieldPath;
use crate::rules::{Context, Decoded};

use super::{class, is_intentional_companion, routes};

declare_rule! {
    /// ## What it does
    /// Reports a path entry that routes the same host, `pathType` and path as an entry of
    /// another Ingress of the same class (the same `ingressClassName` or class annotation,
    /// or neither). The same host with different paths is fine, and so are cert-manager's
    /// HTTP-01 solver Ingresses and ingress-nginx canary Ingresses
    /// (`nginx.ingress.kubernetes.io/canary: "true"`), which repeat a route on purpose.
    /// Ingresses the API server would reject are left out.
    ///
    /// ## Why it matters
    /// The controller merges the Ingresses of its class into one configuration and keeps one
    /// backend per host and path; which one depends on the controller and on creation order.
    /// Across namespaces this is a traffic hijack: a team that copies another's host and path
    /// may receive its users' requests.
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
    ///   name: promo
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     app: promo
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
    ///   name: promo
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
    ///                 name: promo
    ///                 port:
    ///                   name: http
    /// ```
    ///
    /// ## Use instead
    /// Split the host by path:
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
    ///   name: promo
    ///   namespace: shop
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///     - host: shop.example.com
    ///       http:
    ///         paths:
    ///           - path: /promo
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: promo
    ///                 port:
    ///                   name: http
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, Ingress, "Multiple matches"
    /// - kyverno `unique-ingress-host-and-path`; gatekeeper-library `k8suniqueingresshost`
    ///   (host only, which blocks legitimate path splits: open-policy-agent/gatekeeper-library#134)
    pub RULE {
        code: "NW4010",
        name: "ingress-host-path-conflict",
        category: Correctness,
        severity: Error,
        scope: Workspace,
        fix: false,
        summary: "Two Ingresses of the same class route the same host, pathType and path.",
        check: check,
    }
}

type Key = (Option<String>, String, String, String);

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut first: BTreeMap<Key, (&Decoded<'_, Ingress>, FieldPath)> = BTreeMap::new();
    for ingress in &ctx.ingresses {
        if !ingress.valid || is_intentional_companion(&ingress.value) {
            continue;
        }
        let class = class(&ingress.value).map(str::to_owned);
        let mut own = Vec::new();
        for route in routes(&ingress.value) {
            let Some((host, path_type, path)) = route.key() else {
                continue;
            };
            let key = (class.clone(), host, path_type, path);
            match first.get(&key) {
                Some((other, at)) if other.qualified_name() != ingress.qualified_name() => {
                    let message = format!(
                        "{} of Ingress {} is also routed by Ingress {} ({}): only one of them receives the traffic",
                        route.describe(),
                        ingress.qualified_name(),
                        other.qualified_name(),
                        class
                            .as_deref()
                            .map_or_else(|| "both of the default class".to_owned(), |c| format!("class {c}"))
                    );
                    out.push(
                        ingress
                            .report(&RULE, route.field.clone(), message)
                            .with_label(Label {
                                file: other.file.id,
                                span: other.span(at),
                                message: format!("routed by Ingress {}", other.qualified_name()),
                            })
                            .with_help("give each Ingress its own paths (or hosts); a canary Ingress needs `nginx.ingress.kubernetes.io/canary: \"true\"`"),
                    );
                }
                Some(_) => {}
                None => own.push((key, route.field.clone())),
            }
        }
        for (key, field) in own {
            first.entry(key).or_insert((ingress, field));
        }
    }
}
