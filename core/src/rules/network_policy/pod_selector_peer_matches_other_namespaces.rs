//! `pod-selector-peer-matches-other-namespaces`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Context;

use super::dns::dns_peer_without_namespace;
use super::support::{
    applies, compiled_peer_pods, evaluated, name_list, other_namespaces_matching, peer_path, peers,
    rule_name, rules, selector_text, split_partner, DIRECTIONS,
};

declare_rule! {
    /// ## What it does
    /// Reports a `from`/`to` entry with only a `podSelector` whose labels match no pod of the
    /// policy's namespace but match pods of other namespaces in the bundle (typically an
    /// ingress controller or a monitoring server). Without a `namespaceSelector`, a
    /// `podSelector` only ever looks at the policy's own namespace. An entry that forms a
    /// split pair with an adjacent `namespaceSelector` entry is left to
    /// `namespace-and-pod-selectors-split`.
    ///
    /// ## Why it matters
    /// The rule is dead: the controller or scraper in the other namespace is denied, which
    /// usually shows up as 504s at the ingress or missing metrics.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: ingress-nginx-controller
    ///   namespace: ingress-nginx
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app.kubernetes.io/name: ingress-nginx
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app.kubernetes.io/name: ingress-nginx
    ///     spec:
    ///       containers:
    ///         - name: controller
    ///           image: example/ingress-nginx:1.0
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
    ///               app.kubernetes.io/name: ingress-nginx
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: default-deny
    ///   namespace: ingress-nginx
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
    ///   name: ingress-nginx-controller
    ///   namespace: ingress-nginx
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app.kubernetes.io/name: ingress-nginx
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app.kubernetes.io/name: ingress-nginx
    ///     spec:
    ///       containers:
    ///         - name: controller
    ///           image: example/ingress-nginx:1.0
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
    ///         - namespaceSelector:
    ///             matchLabels:
    ///               kubernetes.io/metadata.name: ingress-nginx
    ///           podSelector:
    ///             matchLabels:
    ///               app.kubernetes.io/name: ingress-nginx
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, "Network Policies", "Behavior of to and from selectors"
    /// - `netpol-semantics.md` §7
    pub RULE {
        code: "NW3015",
        name: "pod-selector-peer-matches-other-namespaces",
        category: Correctness,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "A podSelector-only peer matches pods only in other namespaces, but without a namespaceSelector it looks only at the policy's own namespace.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (policy, id) in evaluated(ctx) {
        let Some(own) = ctx.cluster.policies.get(id).map(|p| p.namespace) else {
            continue;
        };
        for direction in DIRECTIONS {
            if !applies(&policy.value.spec, direction) {
                continue;
            }
            for (i, rule) in rules(&policy.value.spec, direction).iter().enumerate() {
                let list = peers(rule);
                for (j, peer) in list.iter().enumerate() {
                    if split_partner(list, j).is_some()
                        || dns_peer_without_namespace(ctx, &policy.namespace, peer)
                        || compiled_peer_pods(ctx, id, direction, i, j)
                            .is_none_or(|p| !p.is_empty())
                    {
                        continue;
                    }
                    let namespaces = other_namespaces_matching(ctx, own, peer);
                    let (Some(first), Some(selector)) = (namespaces.first(), &peer.pod_selector)
                    else {
                        continue;
                    };
                    let message = format!(
                        "{} {} podSelector {} has no namespaceSelector, so it only looks at namespace {}, where no pod matches; the bundle has such pods in {}",
                        policy.qualified_name(),
                        rule_name(direction, i),
                        selector_text(selector),
                        policy.namespace,
                        name_list(&namespaces, 3)
                    );
                    out.push(
                        policy
                            .report(&RULE, peer_path(direction, i, j).child("podSelector"), message)
                            .with_help(format!(
                                "add `namespaceSelector: {{matchLabels: {{kubernetes.io/metadata.name: {first}}}}}` to the same entry (no `-` before it)"
                            )),
                    );
                }
            }
        }
    }
}
