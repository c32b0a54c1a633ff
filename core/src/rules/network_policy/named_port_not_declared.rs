//! `named-port-not-declared`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::IntOrString;
use crate::netpol::compile::Peers;
use crate::netpol::{Direction, PodSet, Protocol};
use crate::rules::Context;

use super::support::{applies, certain, evaluated, port_path, rule_name, rules, DIRECTIONS};

declare_rule! {
    /// ## What it does
    /// Reports a named port in a policy's `ports` that no pod it could apply to declares
    /// (as a container port of that name and protocol): for an ingress rule, the pods the
    /// policy selects; for an egress rule, the pods its `to` entries select. Named ports are
    /// resolved on the destination pod, so the entry matches nothing. Only judged when the
    /// bundle has such pods; egress rules without `to` or with ipBlocks are not judged.
    ///
    /// ## Why it matters
    /// The traffic is silently denied. A frequent cause is naming the Service's port
    /// (`spec.ports[].name`) instead of the container's port, or a protocol mismatch
    /// (`dns` is UDP, `dns-tcp` is TCP).
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
    ///             - name: web
    ///               containerPort: 8080
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
    ///       ports:
    ///         - port: http
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
    ///           ports:
    ///             - name: http
    ///               containerPort: 8080
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
    ///     - ports:
    ///         - port: http
    /// ```
    ///
    /// ## References
    /// - Kubernetes API reference, NetworkPolicyPort `port` (named ports)
    /// - `netpol-semantics.md` §9
    pub RULE {
        code: "NW3022",
        name: "named-port-not-declared",
        category: Correctness,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "A named port in a policy is declared by none of the pods it is resolved on, so the entry matches nothing.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (policy, id) in evaluated(ctx) {
        let Some(compiled) = ctx.evaluator.policies().get(id) else {
            continue;
        };
        for direction in DIRECTIONS {
            if !applies(&policy.value.spec, direction) {
                continue;
            }
            for (i, rule) in rules(&policy.value.spec, direction).iter().enumerate() {
                let destinations: Option<&PodSet> = match direction {
                    Direction::Ingress => Some(&compiled.selected),
                    Direction::Egress => match compiled.rules(direction).get(i).map(|r| &r.peers) {
                        Some(Peers::List { pods, peers })
                            if rule.peers.iter().flatten().all(|p| p.ip_block.is_none())
                                && peers.iter().all(|p| !p.pods.is_empty()) =>
                        {
                            Some(pods)
                        }
                        _ => None,
                    },
                };
                let Some(destinations) = destinations.filter(|d| !d.is_empty()) else {
                    continue;
                };
                for (k, entry) in rule.ports.iter().flatten().enumerate() {
                    let Some(IntOrString::String(name)) = &entry.port else {
                        continue;
                    };
                    let Some(protocol) = Protocol::from_field(entry.protocol.as_deref()) else {
                        continue;
                    };
                    let declares = |protocol: Option<Protocol>| {
                        destinations.iter().any(|pod| {
                            ctx.cluster.pods.get(pod).is_some_and(|p| {
                                p.ports.iter().any(|port| {
                                    port.name.as_deref() == Some(name.as_str())
                                        && protocol.is_none_or(|wanted| port.protocol == wanted)
                                })
                            })
                        })
                    };
                    if declares(Some(protocol)) {
                        continue;
                    }
                    let whose = match direction {
                        Direction::Ingress => "the pods the policy selects",
                        Direction::Egress => "the pods it allows connections to",
                    };
                    let message = format!(
                        "{} {} names port {name:?} ({protocol}), which none of {whose} declares: the entry matches nothing",
                        policy.qualified_name(),
                        rule_name(direction, i)
                    );
                    let service_port = ctx.services.iter().any(|s| {
                        s.namespace == policy.namespace
                            && s.value
                                .spec
                                .ports
                                .iter()
                                .any(|p| p.name.as_deref() == Some(name.as_str()))
                    });
                    let help = if declares(None) {
                        format!("the pods declare {name:?} with another protocol: set `protocol` to match the container port")
                    } else if service_port {
                        format!("{name:?} is a Service port name; NetworkPolicy resolves names against the pods' container ports (spec.containers[].ports[].name)")
                    } else {
                        "name a container port the pods declare, or use the port number".to_owned()
                    };
                    out.push(certain(
                        ctx,
                        policy
                            .report(&RULE, port_path(direction, i, k).child("port"), message)
                            .with_help(help),
                    ));
                }
            }
        }
    }
}
