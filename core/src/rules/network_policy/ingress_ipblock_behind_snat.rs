//! `ingress-ipblock-behind-snat`.

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Label};
use crate::netpol::Direction;
use crate::path::FieldPath;
use crate::rules::Context;
use crate::validate::ip::parse_cidr_sloppy;

use super::support::{
    applies, evaluated, peer_path, peers, pod_text, rule_admits_on_pod, rule_name, rules,
    service_selects, service_target,
};

declare_rule! {
    /// ## What it does
    /// Reports an ingress `ipBlock` (narrower than `/0`) in a policy whose pods are the
    /// backends of a `LoadBalancer` or `NodePort` Service with `externalTrafficPolicy:
    /// Cluster` (the default), when the rule's ports cover one of the Service's target
    /// ports. With that traffic policy, kube-proxy replaces the client's address with a
    /// node's address before the connection reaches the pod, so the ipBlock is compared with
    /// a node address. Some network plugins preserve client addresses (direct server
    /// return); there the finding does not apply.
    ///
    /// ## Why it matters
    /// Either the allowed clients are denied (their address never arrives), or, when the
    /// ipBlock also contains the nodes' addresses, every client on the internet is admitted.
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
    ///           ports:
    ///             - containerPort: 8080
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   type: LoadBalancer
    ///   allocateLoadBalancerNodePorts: false
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 443
    ///       targetPort: 8080
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
    ///         - ipBlock:
    ///             cidr: 203.0.113.0/24
    ///       ports:
    ///         - port: 8080
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
    /// Keep the client address with `externalTrafficPolicy: Local`:
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
    ///           ports:
    ///             - containerPort: 8080
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   type: LoadBalancer
    ///   externalTrafficPolicy: Local
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - port: 443
    ///       targetPort: 8080
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
    ///         - ipBlock:
    ///             cidr: 203.0.113.0/24
    ///       ports:
    ///         - port: 8080
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, "Create an External Load Balancer", "Preserving the client source IP"
    /// - `netpol-semantics.md` §11.5, §15 (A6)
    pub RULE {
        code: "NW3024",
        name: "ingress-ipblock-behind-snat",
        category: Correctness,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "An ingress ipBlock filters pods reached through a LoadBalancer/NodePort Service whose externalTrafficPolicy Cluster hides client addresses.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (policy, id) in evaluated(ctx) {
        if !applies(&policy.value.spec, Direction::Ingress) {
            continue;
        }
        let Some(selected) = ctx.evaluator.selected_by(id) else {
            continue;
        };
        for (i, rule) in rules(&policy.value.spec, Direction::Ingress)
            .iter()
            .enumerate()
        {
            // The first exposing Service whose traffic this rule is about, with a backend.
            let exposure = ctx
                .services
                .iter()
                .filter(|s| s.valid && s.namespace == policy.namespace)
                .find_map(|service| {
                    let spec = &service.value.spec;
                    let exposed =
                        matches!(spec.type_.as_deref(), Some("LoadBalancer" | "NodePort"))
                            && spec.external_traffic_policy.as_deref() != Some("Local");
                    let selector = spec.selector.as_ref().filter(|_| exposed)?;
                    selected.iter().find_map(|pod| {
                        let p = ctx.cluster.pods.get(pod)?;
                        let covered = service_selects(selector, p)
                            && spec.ports.iter().any(|port| {
                                service_target(port, p).is_some_and(|n| {
                                    rule_admits_on_pod(
                                        rule,
                                        p,
                                        port.protocol.as_deref().unwrap_or("TCP"),
                                        n,
                                    )
                                })
                            });
                        covered.then_some((service, pod))
                    })
                });
            let Some((service, pod)) = exposure else {
                continue;
            };
            for (j, peer) in peers(rule).iter().enumerate() {
                let Some(block) = &peer.ip_block else {
                    continue;
                };
                if parse_cidr_sloppy(&block.cidr).is_none_or(|c| c.prefix_len == 0) {
                    continue;
                }
                let kind = service.value.spec.type_.as_deref().unwrap_or("ClusterIP");
                let message = format!(
                    "{} {} admits ipBlock {}, but {} is reached through {kind} Service {} with externalTrafficPolicy Cluster: clients' addresses are replaced by a node's address before the policy sees them",
                    policy.qualified_name(),
                    rule_name(Direction::Ingress, i),
                    block.cidr,
                    pod_text(ctx, pod),
                    service.qualified_name()
                );
                let path = FieldPath::new(["spec", "type"]);
                out.push(
                    policy
                        .report(&RULE, peer_path(Direction::Ingress, i, j).child("ipBlock").child("cidr"), message)
                        .with_help("set `externalTrafficPolicy: Local` on the Service to keep client addresses (and filter clients with its loadBalancerSourceRanges), or admit the nodes' addresses")
                        .with_label(Label {
                            file: service.file.id,
                            span: service.span(&path),
                            message: "exposed with externalTrafficPolicy Cluster (client addresses are SNATed)".to_owned(),
                        }),
                );
            }
        }
    }
}
