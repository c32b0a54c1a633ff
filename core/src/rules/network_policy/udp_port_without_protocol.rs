//! `udp-port-without-protocol`.

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Fix};
use crate::model::IntOrString;
use crate::rules::Context;

use super::support::{
    enforced_rules, insert_item_after, node_at, port_path, rule_name, EnforcedRule,
};

declare_rule! {
    /// ## What it does
    /// Reports a `ports` entry that names a port usually spoken over UDP (53 DNS, 67/68 DHCP,
    /// 69 TFTP, 123 NTP, 161/162 SNMP, 514 syslog, 1812/1813 RADIUS, 4789 and 8472 VXLAN,
    /// 51820 WireGuard) without a `protocol`, when the same rule has no explicit UDP entry
    /// for that port. Without `protocol` an entry means TCP, never "any protocol".
    ///
    /// The fix adds a UDP entry for the port next to it (keeping TCP, which DNS also needs).
    ///
    /// ## Why it matters
    /// "Allow DNS on port 53" written without `protocol: UDP` allows TCP port 53 only: name
    /// lookups, which go over UDP, time out. The same happens to NTP, syslog or VXLAN
    /// traffic, and the policy reads as if it allowed them.
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
    ///               kubernetes.io/metadata.name: kube-system
    ///       ports:
    ///         - port: 53
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
    /// - Kubernetes API reference, NetworkPolicyPort `protocol` ("If not specified, this field defaults to TCP")
    /// - stackrox/kube-linter#221; `netpol-semantics.md` §9
    pub RULE {
        code: "NW3010",
        name: "udp-port-without-protocol",
        category: Correctness,
        severity: Warning,
        scope: Object,
        fix: true,
        summary: "A port usually spoken over UDP (53, 123, ...) is listed without `protocol`, so only TCP is allowed.",
        check: check,
    }
}

/// Ports whose traffic is usually UDP, and what speaks on them.
const UDP_PORTS: &[(i32, &str)] = &[
    (53, "DNS"),
    (67, "DHCP"),
    (68, "DHCP"),
    (69, "TFTP"),
    (123, "NTP"),
    (161, "SNMP"),
    (162, "SNMP traps"),
    (514, "syslog"),
    (1812, "RADIUS"),
    (1813, "RADIUS accounting"),
    (4789, "VXLAN"),
    (8472, "VXLAN (flannel)"),
    (51820, "WireGuard"),
];

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for EnforcedRule {
        policy,
        direction,
        index: i,
        rule,
    } in enforced_rules(ctx)
    {
        let entries = rule.ports.as_deref().unwrap_or_default();
        for (k, entry) in entries.iter().enumerate() {
            let Some(IntOrString::Int(number)) = entry.port else {
                continue;
            };
            let Some((_, service)) = UDP_PORTS.iter().find(|(p, _)| *p == number) else {
                continue;
            };
            let path = port_path(direction, i, k);
            if entry.end_port.is_some() || policy.has(&path.child("protocol")) {
                continue;
            }
            let udp_listed = entries.iter().any(|other| {
                other.protocol.as_deref() == Some("UDP")
                    && match other.port {
                        None => true,
                        Some(IntOrString::Int(start)) => {
                            (start..=other.end_port.unwrap_or(start)).contains(&number)
                        }
                        Some(IntOrString::String(_)) => false,
                    }
            });
            if udp_listed {
                continue;
            }
            let message = format!(
                        "{} {} lists port {number} without `protocol`, which means TCP only: {service} over UDP port {number} is not allowed",
                        policy.qualified_name(),
                        rule_name(direction, i)
                    );
            let mut diagnostic = policy
                        .report(&RULE, path.child("port"), message)
                        .with_help(format!(
                            "add an entry with `protocol: UDP` and `port: {number}` (keep the TCP one if {service} also uses TCP)"
                        ));
            let edit = node_at(policy.object.node, &path).and_then(|node| {
                insert_item_after(
                    policy.file,
                    node,
                    &["protocol: UDP".to_owned(), format!("port: {number}")],
                )
            });
            if let Some(edit) = edit {
                diagnostic = diagnostic.with_fix(Fix {
                    title: format!("Also allow UDP port {number}"),
                    edits: vec![edit],
                });
            }
            out.push(diagnostic);
        }
    }
}
