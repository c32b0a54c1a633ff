//! `ingress-class-not-allowed`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;
use crate::validate::ingress::INGRESS_CLASS_ANNOTATION;

use super::class;

declare_rule! {
    /// ## What it does
    /// Reports an Ingress whose class — `spec.ingressClassName`, or else the legacy
    /// `kubernetes.io/ingress.class` annotation — is not one of the classes listed in
    /// `rule_settings.ingress_classes`. With no list configured the rule reports nothing; an
    /// Ingress without any class is `ingress-class-missing`'s concern.
    ///
    /// ## Why it matters
    /// The class decides which controller publishes the Ingress, and so where its hosts are
    /// reachable from: clusters commonly run a public and an internal controller side by
    /// side. A class the platform does not offer is never served; a class reserved for
    /// another purpose (the public controller for an internal tool) exposes the application
    /// where it was not meant to be. Listing the classes a cluster offers turns both into a
    /// finding before the Ingress is applied, also at admission.
    ///
    /// ## Example
    /// With `rule_settings: {ingress_classes: [internal]}`:
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
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   ingressClassName: public
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
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   ingressClassName: internal
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
        code: "NW4021",
        name: "ingress-class-not-allowed",
        category: Security,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "The Ingress names a class outside the classes the options allow.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let allowed = &ctx.options.rule_settings.ingress_classes;
    if allowed.is_empty() {
        return;
    }
    for ingress in &ctx.ingresses {
        let Some(name) = class(&ingress.value) else {
            continue;
        };
        if allowed.iter().any(|a| a == name) {
            continue;
        }
        let path = if ingress.value.spec.ingress_class_name.is_some() {
            FieldPath::new(["spec", "ingressClassName"])
        } else {
            FieldPath::new(["metadata", "annotations"]).key(INGRESS_CLASS_ANNOTATION)
        };
        let message = format!(
            "Ingress {} uses class `{name}`, which is not one of the allowed classes ({})",
            ingress.qualified_name(),
            allowed.join(", ")
        );
        out.push(ingress.report(&RULE, path, message).with_help(
            "use one of the allowed classes, or add this one to `rule_settings.ingress_classes`",
        ));
    }
}
