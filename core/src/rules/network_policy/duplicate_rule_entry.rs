//! `duplicate-rule-entry`.

use std::collections::HashMap;
use std::hash::Hash;

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
            let repeated_rules = repeats(list);
            for (i, rule) in list.iter().enumerate() {
                if let Some(&first) = repeated_rules.get(&i) {
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
                for (j, first) in sorted(repeats(peers(rule))) {
                    let message = format!(
                        "{} {} {field}[{j}] repeats {field}[{first}]",
                        policy.qualified_name(),
                        rule_name(direction, i)
                    );
                    report(peer_path(direction, i, j), message, "entry");
                }
                for (k, first) in sorted(repeats(rule.ports.as_deref().unwrap_or_default())) {
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

/// The items equal to an earlier one, each with the index of its first occurrence (hashed, so
/// a policy with thousands of entries costs linear time).
fn repeats<T: Eq + Hash>(items: &[T]) -> HashMap<usize, usize> {
    let mut first_seen: HashMap<&T, usize> = HashMap::with_capacity(items.len());
    let mut repeated = HashMap::new();
    for (index, item) in items.iter().enumerate() {
        let first = *first_seen.entry(item).or_insert(index);
        if first != index {
            repeated.insert(index, first);
        }
    }
    repeated
}

/// The pairs in index order, so findings come out in source order.
fn sorted(pairs: HashMap<usize, usize>) -> Vec<(usize, usize)> {
    let mut pairs: Vec<(usize, usize)> = pairs.into_iter().collect();
    crate::sort::sort(&mut pairs);
    pairs
}
