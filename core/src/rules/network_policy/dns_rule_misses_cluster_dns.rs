//! `dns-rule-misses-cluster-dns`.

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::netpol::{Direction, Protocol, NAMESPACE_NAME_LABEL};
use crate::rules::Context;
use crate::source::Span;

use super::dns::{dns_peer_without_namespace, shares_key, Dns, DNS_PORT};
use super::support::{
    applies, namespace_id, node_at, numeric_range, peer_path, peers, rule_name, rules,
    selector_text, PartialLabels,
};

declare_rule! {
    /// ## What it does
    /// Reports a `to` entry of an egress rule allowing port 53 that aims at the cluster DNS
    /// pods but cannot match them (the rule as a whole reaching no DNS server either):
    /// a `podSelector` with the DNS pods' labels and no `namespaceSelector`, which looks for
    /// them in the policy's own namespace; or a `namespaceSelector` matching the DNS
    /// namespace with a `podSelector` that contradicts the DNS pods' labels. Cluster DNS is
    /// the `cluster.dns` option (namespace `kube-system`, pods `k8s-app: kube-dns` by
    /// default): set it if your DNS pods are labelled differently.
    ///
    /// For the missing `namespaceSelector`, the fix adds one selecting the DNS namespace to
    /// the same entry.
    ///
    /// ## Why it matters
    /// The policy looks like it allows DNS, and it allows nothing: every lookup of the
    /// selected pods times out.
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
    ///         - podSelector:
    ///             matchLabels:
    ///               k8s-app: kube-dns
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
    ///         - podSelector:
    ///             matchLabels:
    ///               k8s-app: kube-dns
    ///           namespaceSelector:
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
    /// - Kubernetes documentation, "Network Policies" (DNS caution); "Debugging DNS Resolution" (kube-dns labels)
    /// - `netpol-semantics.md` §7, §11.5
    pub RULE {
        code: "NW3027",
        name: "dns-rule-misses-cluster-dns",
        category: Correctness,
        severity: Warning,
        scope: Object,
        fix: true,
        summary: "An egress rule meant for DNS selects the DNS pods in the wrong namespace, or with labels they do not carry.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let config = &ctx.options.cluster.dns;
    if config.pod_labels.is_empty() || !ctx.policies.iter().any(|p| p.valid) {
        return;
    }
    let dns = Dns::new(ctx);
    let dns_namespace = namespace_id(ctx, &config.namespace).and_then(|n| ctx.cluster.namespace(n));
    let name_only = crate::sort::map([(NAMESPACE_NAME_LABEL.to_owned(), config.namespace.clone())]);
    let namespace_labels = PartialLabels {
        labels: dns_namespace.map_or(&name_only, |n| &n.labels),
        complete: dns_namespace.is_some_and(|n| n.declared_at.is_some()),
    };
    let pod_labels = PartialLabels {
        labels: &config.pod_labels,
        complete: false,
    };
    let labels_text: Vec<String> = config
        .pod_labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let labels_text = labels_text.join(",");
    for policy in ctx.policies.iter().filter(|p| p.valid) {
        if !applies(&policy.value.spec, Direction::Egress) {
            continue;
        }
        let Some(namespace) = namespace_id(ctx, &policy.namespace) else {
            continue;
        };
        for (i, rule) in rules(&policy.value.spec, Direction::Egress)
            .iter()
            .enumerate()
        {
            let for_dns = rule.ports.iter().flatten().any(|p| {
                numeric_range(p)
                    .is_some_and(|(start, end)| (start..=end).contains(&i32::from(DNS_PORT)))
            });
            if !for_dns
                || [Protocol::Udp, Protocol::Tcp]
                    .into_iter()
                    .any(|protocol| dns.rule_allows(namespace, rule, protocol))
            {
                continue;
            }
            for (j, peer) in peers(rule).iter().enumerate() {
                let Some(selector) = &peer.pod_selector else {
                    continue;
                };
                let path = peer_path(Direction::Egress, i, j);
                if dns_peer_without_namespace(ctx, &policy.namespace, peer) {
                    let message = format!(
                        "{} {} podSelector {} has no namespaceSelector, so it looks for the DNS pods in namespace {}; cluster DNS runs in {}",
                        policy.qualified_name(),
                        rule_name(Direction::Egress, i),
                        selector_text(selector),
                        policy.namespace,
                        config.namespace
                    );
                    let mut diagnostic = policy
                        .report(&RULE, path.child("podSelector"), message)
                        .with_help(format!(
                            "add `namespaceSelector: {{matchLabels: {{{NAMESPACE_NAME_LABEL}: {}}}}}` to the same entry",
                            config.namespace
                        ));
                    if let Some(fix) = namespace_fix(policy, &path, &config.namespace) {
                        diagnostic = diagnostic.with_fix(fix);
                    }
                    out.push(diagnostic);
                    continue;
                }
                let aims_at_dns_namespace = peer
                    .namespace_selector
                    .as_ref()
                    .is_some_and(|s| !s.is_empty() && namespace_labels.may_match(s));
                if aims_at_dns_namespace
                    && shares_key(selector, &config.pod_labels)
                    && !pod_labels.may_match(selector)
                {
                    let message = format!(
                        "{} {} podSelector {} does not match the cluster DNS pods ({labels_text} in {})",
                        policy.qualified_name(),
                        rule_name(Direction::Egress, i),
                        selector_text(selector),
                        config.namespace
                    );
                    out.push(policy.report(&RULE, path.child("podSelector"), message).with_help(
                        "select the DNS pods' labels, or set the `cluster.dns.pod_labels` option if your DNS pods are labelled differently",
                    ));
                }
            }
        }
    }
}

/// Adds a namespaceSelector for the DNS namespace to a block-style peer mapping.
fn namespace_fix(
    policy: &crate::rules::Decoded<'_, crate::model::NetworkPolicy>,
    path: &crate::path::FieldPath,
    namespace: &str,
) -> Option<Fix> {
    let text = &policy.file.text;
    let peer = node_at(policy.object.node, path)?;
    let start = peer.span.start as usize;
    if text.get(start..)?.starts_with('{') || peer.as_map().is_none() {
        return None;
    }
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    let indent = " ".repeat(start - line_start);
    let end = peer.span.end as usize;
    let insert_at = text.get(end..)?.find('\n').map_or(text.len(), |i| end + i);
    let replacement = format!(
        "\n{indent}namespaceSelector:\n{indent}  matchLabels:\n{indent}    {NAMESPACE_NAME_LABEL}: {namespace}"
    );
    Some(Fix {
        title: format!("Look for the DNS pods in namespace {namespace}"),
        edits: vec![Edit {
            file: policy.file.id,
            span: Span::at(insert_at),
            replacement,
        }],
    })
}
