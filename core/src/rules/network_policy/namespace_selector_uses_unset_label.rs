//! `namespace-selector-uses-unset-label`.

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::netpol::NAMESPACE_NAME_LABEL;
use crate::rules::Context;

use super::support::{enforced_peers, node_at, rule_name, EnforcedRule};

declare_rule! {
    /// ## What it does
    /// Reports a `namespaceSelector` that selects namespaces by a `name`, `ns` or
    /// `namespace` label when no Namespace manifest of the bundle carries that label.
    /// Kubernetes sets only `kubernetes.io/metadata.name` on every namespace; other labels
    /// exist only if someone adds them. Expressions on such keys are reported too.
    ///
    /// The fix (for `matchLabels` whose value is a namespace name) selects the namespace by
    /// `kubernetes.io/metadata.name` instead, which is what the selector means wherever the
    /// label it relies on was set to the namespace's name.
    ///
    /// ## Why it matters
    /// On a cluster where nobody labelled the namespaces, the entry matches nothing and the
    /// traffic is denied. Popular examples (including a policy sample that adds DNS egress
    /// with `name: kube-system`) rely on labels that clusters do not set.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: allow-dns
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Egress]
    ///   egress:
    ///     - to:
    ///         - namespaceSelector:
    ///             matchLabels:
    ///               name: kube-system
    ///       ports:
    ///         - protocol: UDP
    ///           port: 53
    ///         - protocol: TCP
    ///           port: 53
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: allow-dns
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Egress]
    ///   egress:
    ///     - to:
    ///         - namespaceSelector:
    ///             matchLabels:
    ///               kubernetes.io/metadata.name: kube-system
    ///       ports:
    ///         - protocol: UDP
    ///           port: 53
    ///         - protocol: TCP
    ///           port: 53
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, "Namespaces", "Automatic labelling" (`kubernetes.io/metadata.name`, 1.22+)
    /// - popeye POP-1201; kyverno sample `add-networkpolicy-dns`
    /// - `netpol-semantics.md` §12
    pub RULE {
        code: "NW3016",
        name: "namespace-selector-uses-unset-label",
        category: Correctness,
        severity: Warning,
        scope: Object,
        fix: true,
        summary: "A namespaceSelector selects by a `name`/`ns` label that Kubernetes does not set on namespaces.",
        check: check,
    }
}

/// Keys people use for a namespace's name.
const NAME_KEYS: &[&str] = &["name", "ns", "namespace"];

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let carried = |key: &str| {
        ctx.cluster
            .namespaces
            .iter()
            .any(|n| n.declared_at.is_some() && n.labels.contains_key(key))
    };
    for entry in enforced_peers(ctx) {
        let EnforcedRule {
            policy,
            direction,
            index: i,
            ..
        } = entry.rule;
        let peer = entry.peer;
        let Some(selector) = &peer.namespace_selector else {
            continue;
        };
        let selector_path = entry.path().child("namespaceSelector");
        for (key, value) in &selector.match_labels {
            if !NAME_KEYS.contains(&key.as_str()) || carried(key) {
                continue;
            }
            let path = selector_path.child("matchLabels").key(key);
            let message = format!(
                            "{} {} namespaceSelector matches label {key}={value}, which Kubernetes does not set on namespaces (and no Namespace in the bundle has): unless your namespaces carry it, the entry matches nothing",
                            policy.qualified_name(),
                            rule_name(direction, i)
                        );
            let mut diagnostic = policy.report(&RULE, path, message).with_help(format!(
                "select the namespace by its automatic label: `{NAMESPACE_NAME_LABEL}: {value}`"
            ));
            let fixable = is_namespace_name(value)
                && !selector.match_labels.contains_key(NAMESPACE_NAME_LABEL);
            let key_node = node_at(policy.object.node, &selector_path.child("matchLabels"))
                .and_then(|m| m.entry(key))
                .map(|e| e.key.span);
            if let (true, Some(span)) = (fixable, key_node) {
                diagnostic = diagnostic.with_fix(Fix {
                    title: format!("Select namespace {value} by {NAMESPACE_NAME_LABEL}"),
                    edits: vec![Edit {
                        file: policy.file.id,
                        span,
                        replacement: NAMESPACE_NAME_LABEL.to_owned(),
                    }],
                });
            }
            out.push(diagnostic);
        }
        for (k, expression) in selector.match_expressions.iter().enumerate() {
            if !NAME_KEYS.contains(&expression.key.as_str())
                || carried(&expression.key)
                || matches!(expression.operator.as_str(), "NotIn" | "DoesNotExist")
            {
                continue;
            }
            let path = selector_path.child("matchExpressions").index(k);
            let message = format!(
                            "{} {} namespaceSelector requires label {}, which Kubernetes does not set on namespaces (and no Namespace in the bundle has): unless your namespaces carry it, the entry matches nothing",
                            policy.qualified_name(),
                            rule_name(direction, i),
                            expression.key
                        );
            out.push(policy.report(&RULE, path, message).with_help(format!(
                "select namespaces by their automatic label `{NAMESPACE_NAME_LABEL}`"
            )));
        }
    }
}

/// Whether the value can be a namespace's name (an RFC 1123 label).
fn is_namespace_name(value: &str) -> bool {
    !value.is_empty()
        && value.len() <= 63
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !value.starts_with('-')
        && !value.ends_with('-')
}
