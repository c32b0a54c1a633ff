//! `ipblock-allows-all-addresses`.

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::netpol::Direction;
use crate::rules::Context;
use crate::validate::ip::parse_cidr_sloppy;

use super::support::{enforced_peers, ports_text, rule_name, EnforcedRule};

declare_rule! {
    /// ## What it does
    /// Reports an `ipBlock` whose `cidr` is `0.0.0.0/0` or `::/0` (any prefix of length 0) in
    /// a direction the policy enforces. In an ingress rule it is a warning (the selected pods
    /// accept connections from the whole internet); in an egress rule it is an info finding
    /// (the pods may connect anywhere: the internet, the corporate network, the nodes, the
    /// cloud metadata endpoint), because "egress to the internet" is often meant.
    ///
    /// ## Why it matters
    /// A `/0` block matches every address of its family, including the cluster's own pods
    /// and nodes. In ingress it turns the pods into internet-facing services as soon as
    /// anything routes traffic to them (a LoadBalancer, a NodePort, a misconfigured
    /// firewall). In egress it is the opposite of a restriction; an `except` list rarely
    /// excludes everything it should.
    ///
    /// ## Example
    /// ```yaml
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
    ///             cidr: 0.0.0.0/0
    ///       ports:
    ///         - port: 8080
    /// ```
    ///
    /// ## Use instead
    /// Name the networks that should reach the pods:
    /// ```yaml
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
    /// - Kubernetes API reference, NetworkPolicyPeer `ipBlock`
    /// - `netpol-semantics.md` §10
    pub RULE {
        code: "NW3002",
        name: "ipblock-allows-all-addresses",
        category: Security,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "An ipBlock of `0.0.0.0/0` or `::/0` admits (ingress) or reaches (egress) every address.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for entry in enforced_peers(ctx) {
        let EnforcedRule {
            policy,
            direction,
            index: i,
            rule,
        } = entry.rule;
        let peer = entry.peer;
        let Some(block) = &peer.ip_block else {
            continue;
        };
        if parse_cidr_sloppy(&block.cidr).is_none_or(|c| c.prefix_len != 0) {
            continue;
        }
        let except = if block.except.is_empty() {
            String::new()
        } else {
            format!(" (except {})", block.except.join(", "))
        };
        let (what, severity, help) = match direction {
                        Direction::Ingress => (
                            format!("admits connections from every address{except}"),
                            Severity::Warning,
                            "list the client networks instead; traffic from other pods is better admitted with pod and namespace selectors",
                        ),
                        Direction::Egress => (
                            format!("allows connections to every address{except}, including internal networks, nodes and the cloud metadata endpoint"),
                            Severity::Info,
                            "if the pods need the internet, except the internal ranges (and the metadata address); otherwise name the destinations",
                        ),
                    };
        let message = format!(
            "{} {} ipBlock {} {what} on {}",
            policy.qualified_name(),
            rule_name(direction, i),
            block.cidr,
            ports_text(rule)
        );
        let path = entry.path().child("ipBlock").child("cidr");
        let mut diagnostic = policy.report(&RULE, path, message).with_help(help);
        diagnostic.severity = severity;
        out.push(diagnostic);
    }
}
