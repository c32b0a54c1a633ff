//! `rule-allows-any-peer`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::NetworkPolicyRule;
use crate::path::FieldPath;
use crate::rules::Context;

declare_rule! {
    /// ## What it does
    /// Reports an ingress rule without `from`, or an egress rule without `to`, in a direction
    /// the policy enforces: the rule admits every peer — every pod of every namespace, every
    /// node and every address outside the cluster — on its ports (on every port when it has
    /// no `ports` either).
    ///
    /// ## Why it matters
    /// Policies are a union: one such rule makes every other restriction on the selected pods
    /// in that direction meaningless. A policy whose only rule in a direction is `- {}` is the
    /// documented "allow all" idiom: that case is reported as info, since it is usually meant. An empty `from`/`to` is easy to write by accident (a
    /// stray `- {}` or a mis-indented list), and an egress rule without `to` also re-opens the
    /// cloud metadata endpoint.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api
    ///   namespace: shop
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: api
    ///   ingress:
    ///     - ports:
    ///         - port: 8080
    /// ```
    ///
    /// ## Use instead
    /// Name the peers:
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: api
    ///   namespace: shop
    /// spec:
    ///   podSelector:
    ///     matchLabels:
    ///       app: api
    ///   ingress:
    ///     - from:
    ///         - podSelector:
    ///             matchLabels:
    ///               app: frontend
    ///       ports:
    ///         - port: 8080
    /// ```
    ///
    /// ## References
    /// - Kubernetes API reference, NetworkPolicyIngressRule `from` and NetworkPolicyEgressRule `to`
    /// - `netpol-semantics.md` §6
    pub RULE {
        code: "NW3001",
        name: "rule-allows-any-peer",
        category: Security,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "An ingress rule without `from` (or egress rule without `to`) admits every pod, node and external address.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for policy in &ctx.policies {
        let spec = &policy.value.spec;
        let types = spec.policy_types.as_deref().unwrap_or_default();
        let directions = [
            ("ingress", "from", "sources", &spec.ingress),
            ("egress", "to", "destinations", &spec.egress),
        ];
        for (field, peers, what, rules) in directions {
            if !types.iter().any(|t| t.eq_ignore_ascii_case(field)) {
                continue;
            }
            let rules = rules.as_deref().unwrap_or_default();
            for (i, rule) in rules.iter().enumerate() {
                if rule.peers.as_ref().is_some_and(|p| !p.is_empty()) {
                    continue;
                }
                let deliberate_allow_all =
                    rules.len() == 1 && rule.ports.as_ref().is_none_or(Vec::is_empty);
                let path = FieldPath::new(["spec", field]).index(i);
                let message = format!(
                    "{} {field}[{i}] has no `{peers}`: it allows all {what} (every pod, node and external address) on {}",
                    policy.qualified_name(),
                    port_scope(rule)
                );
                let mut finding = policy.report(&RULE, path, message).with_help(format!(
                    "list the allowed {what} under `{peers}`; if this is meant, say why with `# netward-ignore: {} <reason>`",
                    RULE.rule.code
                ));
                if deliberate_allow_all {
                    finding.severity = crate::diagnostic::Severity::Info;
                    finding.message = format!(
                        "{} allows all {field} of the pods it selects (an explicit allow-all rule): any other {field} restriction on them has no effect",
                        policy.qualified_name()
                    );
                    finding.help = Some(format!(
                        "fine when every {} is meant; otherwise list them under `{peers}`",
                        what.trim_end_matches('s')
                    ));
                }
                out.push(finding);
            }
        }
    }
}

fn port_scope(rule: &NetworkPolicyRule) -> &'static str {
    match rule.ports.as_deref() {
        None | Some([]) => "every port",
        Some(_) => "the listed ports",
    }
}
