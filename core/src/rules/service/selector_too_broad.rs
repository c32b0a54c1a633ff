//! `service-selector-too-broad`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::{selector, selector_text};

declare_rule! {
    /// ## What it does
    /// Reports a Service whose selector uses only labels that describe a group of applications
    /// rather than one: `app.kubernetes.io/part-of`, `app.kubernetes.io/managed-by`,
    /// `heritage`, `release`, `environment`, `env`. A selector with at least one other label is
    /// not reported.
    ///
    /// ## Why it matters
    /// Such a selector picks every pod of a release, a product or an environment: the Service
    /// load-balances over unrelated workloads (databases, workers, jobs), and every workload
    /// added later with the same labels joins the pool.
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
    ///     app.kubernetes.io/part-of: shop
    ///     app.kubernetes.io/managed-by: Helm
    ///   ports:
    ///     - port: 80
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     app.kubernetes.io/part-of: shop
    ///     app.kubernetes.io/name: web
    ///   ports:
    ///     - port: 80
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, "Recommended Labels"
    pub RULE {
        code: "NW2017",
        name: "service-selector-too-broad",
        category: Suspicious,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "A Service selects only on labels shared by a whole release, product or environment.",
        check: check,
    }
}

/// Labels that group applications rather than identify one.
const GENERIC: &[&str] = &[
    "app.kubernetes.io/part-of",
    "app.kubernetes.io/managed-by",
    "heritage",
    "release",
    "environment",
    "env",
];

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &ctx.services {
        let Some(selector) = selector(&service.value) else {
            continue;
        };
        if !selector.keys().all(|k| GENERIC.contains(&k.as_str())) {
            continue;
        }
        let message = format!(
            "Service {} selects only on {}, labels shared by a whole release, product or environment: it load-balances over every such pod",
            service.qualified_name(),
            selector_text(selector)
        );
        out.push(
            service
                .report(&RULE, FieldPath::new(["spec", "selector"]), message)
                .with_help(
                    "add a label that identifies the application, such as app.kubernetes.io/name",
                ),
        );
    }
}
