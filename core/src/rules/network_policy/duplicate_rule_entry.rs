//! `duplicate-rule-entry`.

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Fix};
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::{
    applies, delete_item, node_at, peer_path, peers, port_path, rule_name, rule_path, rules,
    DIRECTIONS,
};

declare_rule! {
    /// ## What it does
    /// Reports a rule identical to an earlier rule of the same direction, a `from`/`to`
    /// entry identical to an earlier entry of the same rule, and a `ports` entry identical to
    /// an earlier one of the same rule (after defaulting: a missing `protocol` equals `TCP`).
    /// The fix deletes the repetition, which changes nothing the policy allows.
    ///
    /// ## Why it matters
    /// Repetitions are noise that hides the real intent in review, and are often the trace
    /// of a copy-paste where something else was meant to change.
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
    ///     - from:
    ///         - podSelector:
    ///             matchLabels:
    ///               app: web
    ///       ports:
    ///         - port: 8080
    ///         - protocol: TCP
    ///           port: 8080
    /// ```
    ///
    /// ## Use instead
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
    ///               app: web
    ///       ports:
    ///         - port: 8080
    /// ```
    ///
    /// ## References
    /// - `netpol-semantics.md` §6 (rules and list entries are a union)
    pub RULE {
        code: "NW3017",
        name: "duplicate-rule-entry",
        category: Style,
        severity: Info,
        scope: Object,
        fix: true,
        summary: "A rule, peer or port entry repeats an earlier one of the same policy.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for policy in ctx.policies.iter().filter(|p| p.valid) {
        let mut report = |path: FieldPath, message: String, what: &str| {
            let mut diagnostic = policy
                .report(&RULE, path.clone(), message)
                .with_help(format!("delete the repeated {what}"));
            if let Some(edit) =
                node_at(policy.object.node, &path).and_then(|node| delete_item(policy.file, node))
            {
                diagnostic = diagnostic.with_fix(Fix {
                    title: format!("Delete the repeated {what}"),
                    edits: vec![edit],
                });
            }
            out.push(diagnostic);
        };
        for direction in DIRECTIONS {
            if !applies(&policy.value.spec, direction) {
                continue;
            }
            let list = rules(&policy.value.spec, direction);
            for (i, rule) in list.iter().enumerate() {
                if let Some(first) = list.iter().take(i).position(|r| r == rule) {
                    let message = format!(
                        "{} {} repeats {}",
                        policy.qualified_name(),
                        rule_name(direction, i),
                        rule_name(direction, first)
                    );
                    report(rule_path(direction, i), message, "rule");
                    continue;
                }
                let field = direction.peer_field();
                let entries = peers(rule);
                for (j, peer) in entries.iter().enumerate() {
                    if let Some(first) = entries.iter().take(j).position(|p| p == peer) {
                        let message = format!(
                            "{} {} {field}[{j}] repeats {field}[{first}]",
                            policy.qualified_name(),
                            rule_name(direction, i)
                        );
                        report(peer_path(direction, i, j), message, "entry");
                    }
                }
                let ports = rule.ports.as_deref().unwrap_or_default();
                for (k, port) in ports.iter().enumerate() {
                    if let Some(first) = ports.iter().take(k).position(|p| p == port) {
                        let message = format!(
                            "{} {} ports[{k}] repeats ports[{first}]",
                            policy.qualified_name(),
                            rule_name(direction, i)
                        );
                        report(port_path(direction, i, k), message, "port entry");
                    }
                }
            }
        }
    }
}
