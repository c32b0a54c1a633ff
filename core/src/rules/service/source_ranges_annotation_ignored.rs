//! `load-balancer-source-ranges-annotation-ignored`.

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::Service;
use crate::path::FieldPath;
use crate::rules::{Context, Decoded};
use crate::source::Span;
use crate::validate::service::SOURCE_RANGES_ANNOTATION;

declare_rule! {
    /// ## What it does
    /// Reports a Service that sets both `spec.loadBalancerSourceRanges` and the legacy
    /// `service.beta.kubernetes.io/load-balancer-source-ranges` annotation. The fix removes
    /// the annotation.
    ///
    /// ## Why it matters
    /// When the field is set, the annotation is ignored: whatever it adds or removes has no
    /// effect, and a reader who trusts it is misled about who can connect.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: admin
    ///   namespace: shop
    ///   annotations:
    ///     service.beta.kubernetes.io/load-balancer-source-ranges: "198.51.100.0/24"
    /// spec:
    ///   type: LoadBalancer
    ///   allocateLoadBalancerNodePorts: false
    ///   selector:
    ///     app: admin
    ///   ports:
    ///     - port: 443
    ///   loadBalancerSourceRanges:
    ///     - 203.0.113.0/24
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: admin
    ///   namespace: shop
    /// spec:
    ///   type: LoadBalancer
    ///   selector:
    ///     app: admin
    ///   ports:
    ///     - port: 443
    ///   loadBalancerSourceRanges:
    ///     - 198.51.100.0/24
    ///     - 203.0.113.0/24
    /// ```
    ///
    /// ## References
    /// - Kubernetes API reference, ServiceSpec `loadBalancerSourceRanges`
    /// - kubernetes/cloud-provider `service/helpers` `GetLoadBalancerSourceRanges` (the
    ///   annotation is read only when the field is empty)
    pub RULE {
        code: "NW2018",
        name: "load-balancer-source-ranges-annotation-ignored",
        category: Suspicious,
        severity: Warning,
        scope: Object,
        fix: true,
        summary: "The legacy source-ranges annotation is ignored because spec.loadBalancerSourceRanges is set.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &ctx.services {
        let spec = &service.value.spec;
        let Some(annotation) = service
            .value
            .metadata
            .annotations
            .get(SOURCE_RANGES_ANNOTATION)
        else {
            continue;
        };
        if spec.load_balancer_source_ranges.is_empty() {
            continue;
        }
        let path = FieldPath::new(["metadata", "annotations"]).key(SOURCE_RANGES_ANNOTATION);
        let message = format!(
            "Service {} sets both spec.loadBalancerSourceRanges ({}) and the annotation {SOURCE_RANGES_ANNOTATION} ({}): the annotation is ignored",
            service.qualified_name(),
            spec.load_balancer_source_ranges.join(", "),
            annotation.trim()
        );
        let mut diagnostic = service
            .report(&RULE, path, message)
            .with_help("move any range the annotation adds into spec.loadBalancerSourceRanges and remove the annotation");
        if let Some(fix) = fix(service) {
            diagnostic = diagnostic.with_fix(fix);
        }
        out.push(diagnostic);
    }
}

/// Deletes the annotation's line(s) when it is written in block style on lines of its own.
fn fix(service: &Decoded<'_, Service>) -> Option<Fix> {
    let annotations = service.object.node.get("metadata")?.get("annotations")?;
    let entry = annotations.entry(SOURCE_RANGES_ANNOTATION)?;
    let text = &service.file.text;
    let key_start = entry.key.span.start as usize;
    let line_start = text.get(..key_start)?.rfind('\n').map_or(0, |i| i + 1);
    if !text.get(line_start..key_start)?.trim().is_empty() {
        return None;
    }
    let value_end = entry.value.span.end as usize;
    let rest = text.get(value_end..)?;
    let line_end = rest.find('\n').map_or(text.len(), |i| value_end + i + 1);
    if !text.get(value_end..line_end)?.trim().is_empty() {
        return None;
    }
    let mut span = Span::new(line_start, line_end);
    // The only annotation: remove `annotations:` too.
    if annotations.as_map().is_some_and(|m| m.len() == 1) {
        let parent = service.object.node.get("metadata")?.entry("annotations")?;
        let start = parent.key.span.start as usize;
        let parent_line = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
        if text.get(parent_line..start)?.trim().is_empty() {
            span = Span::new(parent_line, line_end);
        }
    }
    Some(Fix {
        title: format!("Remove the ignored annotation {SOURCE_RANGES_ANNOTATION}"),
        edits: vec![Edit {
            file: service.file.id,
            span,
            replacement: String::new(),
        }],
    })
}
