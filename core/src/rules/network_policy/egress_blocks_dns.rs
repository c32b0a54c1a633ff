//! `egress-blocks-dns`.

use std::collections::BTreeMap;

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix, Severity};
use crate::model::NetworkPolicy;
use crate::netpol::cluster::{NamespaceId, PolicyId};
use crate::netpol::{Direction, Protocol, NAMESPACE_NAME_LABEL};
use crate::path::FieldPath;
use crate::rules::{Context, Decoded};
use crate::source::Span;

use super::dns::{dns_policy, pod_reaches_dns, Dns};
use super::support::{
    applies, evaluated, name_list, pod_text, rules, selects_whole_namespace, Objects,
};

declare_rule! {
    /// ## What it does
    /// Reports pods that are isolated for egress (a default deny, or any policy with
    /// `Egress` among its effective `policyTypes` selects them) when no egress rule of the
    /// policies selecting them lets them reach cluster DNS on port 53, over UDP or TCP. Cluster
    /// DNS is the `cluster.dns` option (namespace `kube-system`, pods `k8s-app: kube-dns` by
    /// default): the DNS pods of the bundle when it has them, otherwise a pod with those labels
    /// in that namespace. A rule counts when its ports admit port 53 and its peers may match
    /// the DNS pods (no peers, a matching selector, an ipBlock that may contain them or
    /// NodeLocal DNSCache's 169.254.20.10); labels and addresses the bundle does not show are
    /// assumed to match. Pods with `dnsPolicy: None` or `Default` and the DNS pods themselves
    /// are not checked, nor pods locked down on purpose (every policy isolating them selects
    /// them specifically and none allows any egress: they connect to nothing).
    ///
    /// The finding is placed on one policy isolating the pods (a namespace-wide one first).
    /// When the bundle has no pods in the namespace, a namespace-wide egress policy is
    /// reported if no egress policy of the namespace allows DNS at all. With
    /// `bundle_complete`, a namespace where no policy allows DNS is an error.
    ///
    /// A fix adding a DNS rule is offered on a default-deny egress policy without `egress`
    /// rules.
    ///
    /// ## Why it matters
    /// The most common NetworkPolicy outage: egress isolation also blocks name resolution,
    /// so every lookup times out and applications report connection failures to services
    /// that are perfectly reachable.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: default-deny-egress
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Egress]
    /// ```
    ///
    /// ## Use instead
    /// Allow DNS next to the default deny:
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: default-deny-egress
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   policyTypes: [Egress]
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
    /// ## References
    /// - Kubernetes documentation, "Network Policies" (caution on DNS with egress policies)
    /// - kubernetes/website#38267, aws/aws-network-policy-agent#230, k3s-io/k3s#3361
    /// - `netpol-semantics.md` §11.5
    pub RULE {
        code: "NW3008",
        name: "egress-blocks-dns",
        category: Correctness,
        severity: Warning,
        scope: Workspace,
        fix: true,
        summary: "Pods are isolated for egress and no egress rule lets them reach cluster DNS on port 53.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let dns = Dns::new(ctx);
    let objects = Objects::new(ctx);
    let mut pods_in: Vec<usize> = vec![0; ctx.cluster.namespaces.len()];
    for pod in &ctx.cluster.pods {
        if let Some(count) = pods_in.get_mut(pod.namespace) {
            *count += 1;
        }
    }
    let mut assigned: BTreeMap<PolicyId, Vec<usize>> = BTreeMap::new();
    for pod in 0..ctx.cluster.pods.len() {
        let isolating = ctx.evaluator.policies_for(pod, Direction::Egress);
        if isolating.is_empty() || !ctx.evaluator.on_pod_network(pod) || dns.is_server(pod) {
            continue;
        }
        // A workload locked down on purpose: only policies selecting it specifically, none
        // allowing any egress. It connects to nothing, so it resolves nothing either.
        let isolating_policies = || {
            isolating
                .iter()
                .filter_map(|&p| ctx.cluster.policies.get(p))
        };
        let locked_down = !isolating_policies().any(|p| selects_whole_namespace(&p.spec))
            && isolating_policies().all(|p| rules(&p.spec, Direction::Egress).is_empty());
        if locked_down
            || dns_policy(ctx, &objects, pod).is_some_and(|p| p == "None" || p == "Default")
        {
            continue;
        }
        if [Protocol::Udp, Protocol::Tcp]
            .into_iter()
            .any(|protocol| pod_reaches_dns(ctx, &dns, pod, protocol))
        {
            continue;
        }
        let owner = isolating
            .iter()
            .find(|&&p| {
                ctx.cluster
                    .policies
                    .get(p)
                    .is_some_and(|p| selects_whole_namespace(&p.spec))
            })
            .or(isolating.first());
        if let Some(&owner) = owner {
            assigned.entry(owner).or_default().push(pod);
        }
    }
    let target = target_text(ctx);
    let mut hypothetical_reported: Vec<NamespaceId> = Vec::new();
    for (policy, id) in evaluated(ctx) {
        let Some(namespace) = ctx.cluster.policies.get(id).map(|p| p.namespace) else {
            continue;
        };
        let no_dns_in_namespace = !namespace_allows_dns(ctx, &dns, namespace);
        let path = if policy.has(&FieldPath::new(["spec", "policyTypes"])) {
            FieldPath::new(["spec", "policyTypes"])
        } else {
            FieldPath::new(["spec", "egress"])
        };
        let diagnostic = if let Some(pods) = assigned.get(&id) {
            let names: Vec<String> = pods.iter().map(|&p| pod_text(ctx, p)).collect();
            let message = format!(
                "{} isolates {} for egress, and none of the egress rules that apply to {} allows DNS ({target}): every name lookup will time out",
                policy.qualified_name(),
                name_list(&names, 3),
                if names.len() == 1 { "it" } else { "them" }
            );
            let mut diagnostic = policy.report(&RULE, path, message);
            if ctx.options.bundle_complete && no_dns_in_namespace {
                diagnostic.severity = Severity::Error;
            }
            diagnostic
        } else if pods_in.get(namespace).is_some_and(|c| *c == 0)
            && !ctx.options.bundle_complete
            && no_dns_in_namespace
            && applies(&policy.value.spec, Direction::Egress)
            && selects_whole_namespace(&policy.value.spec)
            && !hypothetical_reported.contains(&namespace)
        {
            hypothetical_reported.push(namespace);
            let message = format!(
                "{} isolates every pod of namespace {} for egress and no egress policy of the namespace allows DNS ({target}): name lookups will time out",
                policy.qualified_name(),
                policy.namespace
            );
            policy.report(&RULE, path, message)
        } else {
            continue;
        };
        let diagnostic = diagnostic.with_help(
            "allow egress to the cluster DNS pods on UDP and TCP port 53 (in this policy or a separate `allow-dns` policy)",
        );
        out.push(match dns_fix(ctx, policy, &dns) {
            Some(fix) => diagnostic.with_fix(fix),
            None => diagnostic,
        });
    }
}

/// Whether some egress policy of the namespace allows DNS (to some of its pods).
fn namespace_allows_dns(ctx: &Context<'_>, dns: &Dns<'_>, namespace: NamespaceId) -> bool {
    ctx.cluster
        .policies
        .iter()
        .filter(|p| p.namespace == namespace && p.affects_egress)
        .any(|p| {
            rules(&p.spec, Direction::Egress).iter().any(|rule| {
                dns.rule_allows(namespace, rule, Protocol::Udp)
                    || dns.rule_allows(namespace, rule, Protocol::Tcp)
            })
        })
}

/// `UDP or TCP port 53 to kube-system pods k8s-app=kube-dns`.
fn target_text(ctx: &Context<'_>) -> String {
    let config = &ctx.options.cluster.dns;
    let labels: Vec<String> = config
        .pod_labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    if labels.is_empty() {
        format!("UDP or TCP port 53 to namespace {}", config.namespace)
    } else {
        format!(
            "UDP or TCP port 53 to {} pods {}",
            config.namespace,
            labels.join(",")
        )
    }
}

/// On a namespace default deny of egress without `egress` rules, written in block style: add
/// a rule allowing DNS.
fn dns_fix(ctx: &Context<'_>, policy: &Decoded<'_, NetworkPolicy>, dns: &Dns<'_>) -> Option<Fix> {
    let spec_value = &policy.value.spec;
    if !selects_whole_namespace(spec_value)
        || !applies(spec_value, Direction::Egress)
        || spec_value.egress.is_some()
    {
        return None;
    }
    let text = &policy.file.text;
    let spec = policy.object.node.get("spec")?;
    let first_key = spec.as_map()?.first()?.key.span.start as usize;
    if text.get(spec.span.start as usize..)?.starts_with('{') {
        return None;
    }
    let line_start = text.get(..first_key)?.rfind('\n').map_or(0, |i| i + 1);
    let indent = " ".repeat(first_key - line_start);
    let end = spec.span.end as usize;
    let insert_at = text.get(end..)?.find('\n').map_or(text.len(), |i| end + i);
    let config = &ctx.options.cluster.dns;
    let target = dns.targets.first()?;
    let mut lines = vec![
        "egress:".to_owned(),
        "  - to:".to_owned(),
        "      - namespaceSelector:".to_owned(),
        "          matchLabels:".to_owned(),
        format!(
            "            {NAMESPACE_NAME_LABEL}: {}",
            yaml_string(&config.namespace)
        ),
    ];
    if !config.pod_labels.is_empty() {
        lines.push("        podSelector:".to_owned());
        lines.push("          matchLabels:".to_owned());
        for (key, value) in &config.pod_labels {
            lines.push(format!(
                "            {}: {}",
                yaml_string(key),
                yaml_string(value)
            ));
        }
    }
    lines.push("    ports:".to_owned());
    for protocol in [Protocol::Udp, Protocol::Tcp] {
        for port in target.dns_ports(protocol) {
            lines.push(format!("      - protocol: {protocol}"));
            lines.push(format!("        port: {port}"));
        }
    }
    let mut replacement = String::new();
    for line in &lines {
        replacement.push('\n');
        replacement.push_str(&indent);
        replacement.push_str(line);
    }
    Some(Fix {
        title: format!(
            "Allow DNS (UDP and TCP port 53 to {}) in this default-deny policy",
            config.namespace
        ),
        edits: vec![Edit {
            file: policy.file.id,
            span: Span::at(insert_at),
            replacement,
        }],
    })
}

/// A YAML scalar for a string: plain when that is unambiguous, double-quoted otherwise.
fn yaml_string(key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '-' | '_'))
        && key.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && !matches!(
            key.to_ascii_lowercase().as_str(),
            "y" | "n" | "yes" | "no" | "on" | "off" | "true" | "false" | "null"
        );
    if plain {
        key.to_owned()
    } else {
        serde_json::to_string(key).unwrap_or_else(|_| format!("\"{key}\""))
    }
}
