//! `peer-selects-no-pods`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::netpol::cluster::NamespaceId;
use crate::rules::Context;

use super::support::{
    applies, certain, compiled_peer_pods, evaluated, name_list, other_namespaces_matching,
    peer_path, peer_text, peers, reads_only_name_label, rule_name, rules, selector_text,
    PartialLabels, Unserved, DIRECTIONS,
};

declare_rule! {
    /// ## What it does
    /// Reports a `from`/`to` entry with selectors that matches no pod of the bundle: its
    /// `podSelector` matches none of the pods of the namespaces it looks at (the policy's own
    /// namespace, or those its `namespaceSelector` matches), or it matches only `hostNetwork`
    /// pods, which NetworkPolicy sees as their node. Without `bundle_complete` a peer is only
    /// judged when every namespace it looks at has pods in the bundle; a `namespaceSelector`
    /// matching no namespace at all is only reported with `bundle_complete` (the namespace may
    /// simply be deployed from elsewhere), and then as an error.
    ///
    /// A `podSelector` whose labels exist only in other namespaces is reported by
    /// `pod-selector-peer-matches-other-namespaces` instead.
    ///
    /// ## Why it matters
    /// The rule is dead: the traffic its author meant to allow is denied. It is almost always
    /// a label typo, a selector copied from another application, or labels that only the
    /// Deployment (not its pods) carries.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: example/web:1.0
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: web
    ///   ingress:
    ///     - from:
    ///         - podSelector:
    ///             matchLabels:
    ///               app: frontnd
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: default-deny
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   policyTypes:
    ///     - Ingress
    ///     - Egress
    ///   egress:
    ///     - to:
    ///         - namespaceSelector:
    ///             matchLabels:
    ///               kubernetes.io/metadata.name: kube-system
    ///           podSelector:
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
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: example/web:1.0
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: web
    ///   ingress:
    ///     - from:
    ///         - podSelector:
    ///             matchLabels:
    ///               app: web
    /// ```
    ///
    /// ## References
    /// - kube-linter `dangling-networkpolicypeer-podselector`; popeye POP-1201/1202
    /// - `netpol-semantics.md` §7, §11.4
    pub RULE {
        code: "NW3005",
        name: "peer-selects-no-pods",
        category: Correctness,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "A from/to entry's selectors match no pod (or no namespace) of the bundle: the rule allows nothing.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let mut pods_in: Vec<usize> = vec![0; ctx.cluster.namespaces.len()];
    for pod in &ctx.cluster.pods {
        if let Some(count) = pods_in.get_mut(pod.namespace) {
            *count += 1;
        }
    }
    let complete = ctx.options.bundle_complete;
    let unserved = Unserved::new(ctx);
    let all_declared = ctx
        .cluster
        .namespaces
        .iter()
        .all(|n| n.declared_at.is_some());
    for (policy, id) in evaluated(ctx) {
        let Some(own) = ctx.cluster.policies.get(id).map(|p| p.namespace) else {
            continue;
        };
        for direction in DIRECTIONS {
            if !applies(&policy.value.spec, direction) {
                continue;
            }
            for (i, rule) in rules(&policy.value.spec, direction).iter().enumerate() {
                for (j, peer) in peers(rule).iter().enumerate() {
                    if peer.ip_block.is_some()
                        || compiled_peer_pods(ctx, id, direction, i, j)
                            .is_none_or(|p| !p.is_empty())
                        || !other_namespaces_matching(ctx, own, peer).is_empty()
                    {
                        continue;
                    }
                    let path = peer_path(direction, i, j);
                    let namespaces: Vec<NamespaceId> = match &peer.namespace_selector {
                        Some(selector) => {
                            let matched: Vec<NamespaceId> = ctx
                                .cluster
                                .namespaces
                                .iter()
                                .enumerate()
                                .filter(|(_, n)| selector.matches(&n.labels))
                                .map(|(n, _)| n)
                                .collect();
                            if matched.is_empty() {
                                if complete && (all_declared || reads_only_name_label(selector)) {
                                    let message = format!(
                                        "{} {} namespaceSelector {} matches no namespace of the bundle: the entry allows nothing",
                                        policy.qualified_name(),
                                        rule_name(direction, i),
                                        selector_text(selector)
                                    );
                                    out.push(certain(
                                        ctx,
                                        policy
                                            .report(&RULE, path.child("namespaceSelector"), message)
                                            .with_help("check the selector against the Namespaces' labels; select a namespace by name with kubernetes.io/metadata.name"),
                                    ));
                                }
                                continue;
                            }
                            if !reads_only_name_label(selector)
                                && may_match_elsewhere(ctx, &matched, selector, peer)
                            {
                                continue;
                            }
                            matched
                        }
                        None => vec![own],
                    };
                    if !complete
                        && (namespaces
                            .iter()
                            .any(|&n| pods_in.get(n).is_none_or(|c| *c == 0))
                            || unserved.may_select(&namespaces, peer.pod_selector.as_ref()))
                    {
                        continue;
                    }
                    let host_network: Vec<String> = ctx
                        .cluster
                        .pods
                        .iter()
                        .enumerate()
                        .filter(|(pod, p)| {
                            namespaces.contains(&p.namespace)
                                && !ctx.evaluator.on_pod_network(*pod)
                                && peer
                                    .pod_selector
                                    .as_ref()
                                    .is_none_or(|s| s.matches(&p.labels))
                        })
                        .map(|(pod, _)| ctx.cluster.pod_name(pod).to_string())
                        .collect();
                    let names: Vec<String> = namespaces
                        .iter()
                        .filter_map(|&n| ctx.cluster.namespace(n).map(|ns| ns.name.clone()))
                        .collect();
                    let plural = if names.len() == 1 { "" } else { "s" };
                    let (message, help) = if host_network.is_empty() {
                        (
                            format!(
                                "{} {} {} matches no pod of namespace{plural} {} in the bundle: the entry allows nothing",
                                policy.qualified_name(),
                                rule_name(direction, i),
                                peer_text(peer),
                                name_list(&names, 3)
                            ),
                            "check the labels against the pods' labels (a workload's spec.template.metadata.labels)",
                        )
                    } else {
                        (
                            format!(
                                "{} {} {} matches only hostNetwork pod{} {}, which NetworkPolicy sees as {} node: the entry allows nothing",
                                policy.qualified_name(),
                                rule_name(direction, i),
                                peer_text(peer),
                                if host_network.len() == 1 { "" } else { "s" },
                                name_list(&host_network, 3),
                                if host_network.len() == 1 { "its" } else { "their" }
                            ),
                            "admit host-network pods by their node addresses with an ipBlock",
                        )
                    };
                    let at = if peer.pod_selector.is_some() {
                        path.child("podSelector")
                    } else {
                        path
                    };
                    out.push(certain(
                        ctx,
                        policy.report(&RULE, at, message).with_help(help),
                    ));
                }
            }
        }
    }
}

/// Whether a namespace without a manifest (whose other labels are unknown) might also match
/// the selector and hold pods the peer's podSelector matches.
fn may_match_elsewhere(
    ctx: &Context<'_>,
    matched: &[NamespaceId],
    selector: &crate::selector::LabelSelector,
    peer: &crate::model::NetworkPolicyPeer,
) -> bool {
    ctx.cluster.namespaces.iter().enumerate().any(|(n, ns)| {
        !matched.contains(&n)
            && ns.declared_at.is_none()
            && PartialLabels {
                labels: &ns.labels,
                complete: false,
            }
            .may_match(selector)
            && ctx.cluster.pods.iter().any(|p| {
                p.namespace == n
                    && peer
                        .pod_selector
                        .as_ref()
                        .is_none_or(|s| s.matches(&p.labels))
            })
    })
}
