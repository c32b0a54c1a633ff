//! `ingress-class-not-found`.

use std::collections::BTreeSet;

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Reports an Ingress whose `spec.ingressClassName` names no IngressClass of the bundle,
    /// when the bundle can tell: it holds at least one IngressClass, or it is declared
    /// complete (`bundle_complete`). Classes listed in `rule_settings.ingress_classes` are
    /// taken as existing. The legacy `kubernetes.io/ingress.class` annotation is not checked
    /// here: controllers match it against their own flag, not against IngressClass objects
    /// (and an annotation that disagrees with the field is rejected by the API server).
    ///
    /// ## Why it matters
    /// Controllers serve only the Ingresses whose class names an IngressClass with their
    /// controller. An Ingress naming a class that does not exist — a typo, the class of
    /// another environment, a controller that was replaced — is accepted by the API server
    /// and then ignored by every controller: its hosts answer with 404 or not at all, and
    /// nothing reports why.
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
    ///       targetPort: 8080
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: IngressClass
    /// metadata:
    ///   name: nginx
    /// spec:
    ///   controller: k8s.io/ingress-nginx
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   ingressClassName: ngnix
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
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: IngressClass
    /// metadata:
    ///   name: nginx
    /// spec:
    ///   controller: k8s.io/ingress-nginx
    /// ---
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
    /// - Kubernetes documentation, Ingress, "Ingress class"
    /// - kyverno `restrict-ingress-classes`
    pub RULE {
        code: "NW4020",
        name: "ingress-class-not-found",
        category: Correctness,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "The Ingress names an IngressClass the bundle does not define, so no controller serves it.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut classes: BTreeSet<&str> = crate::sort::set(
        ctx.objects
            .iter()
            .filter(|(_, o)| o.group() == "networking.k8s.io" && o.kind() == "IngressClass")
            .filter_map(|(_, o)| o.node.get("metadata")?.get("name")?.as_str()),
    );
    if classes.is_empty() && !ctx.options.bundle_complete {
        return;
    }
    let allowed = &ctx.options.rule_settings.ingress_classes;
    classes.extend(allowed.iter().map(String::as_str));
    for ingress in &ctx.ingresses {
        let Some(class) = ingress
            .value
            .spec
            .ingress_class_name
            .as_deref()
            .filter(|c| !c.is_empty())
        else {
            continue;
        };
        if classes.contains(class) {
            continue;
        }
        let known = if classes.is_empty() {
            "the bundle defines none".to_owned()
        } else {
            format!(
                "the bundle defines {}",
                classes.iter().copied().collect::<Vec<_>>().join(", ")
            )
        };
        let message = format!(
            "Ingress {} names IngressClass `{class}`, which does not exist ({known}): no controller serves it",
            ingress.qualified_name()
        );
        out.push(
            ingress
                .report(&RULE, FieldPath::new(["spec", "ingressClassName"]), message)
                .with_help("name the IngressClass of the controller meant to serve it"),
        );
    }
}
