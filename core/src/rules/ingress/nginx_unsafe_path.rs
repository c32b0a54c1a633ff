//! `ingress-nginx-unsafe-path`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::rules::Context;

use super::{class, is_ingress_nginx, routes, show_char};

declare_rule! {
    /// ## What it does
    /// Reports an Ingress path that ingress-nginx would paste into its configuration as
    /// more than a path, or that it refuses:
    /// - a path containing a space or control character, `;`, a quote or a backtick, a `{`
    ///   or `}` that is not a regular-expression repetition such as `{2,3}`, or what the
    ///   controller's own inspector blocks (`/var/run/secrets`, `/etc/passwd`, `/etc/nginx`
    ///   and similar, `_by_lua`);
    /// - for an Ingress evidently meant for ingress-nginx (its annotations, or a class
    ///   mentioning nginx), an `Exact` or `Prefix` path with characters other than letters,
    ///   digits, `.`, `_`, `-` and `/`, which the controller rejects by default.
    ///
    /// Ingresses of another named class are left out.
    ///
    /// ## Why it matters
    /// ingress-nginx writes each path into an nginx `location`. Before 1.2 a crafted path
    /// injected configuration that let any Ingress author read the controller's service
    /// account token and so every Secret of the cluster (CVE-2021-25745). Current controllers
    /// block such paths (`strict-validate-path-type`, on by default since 1.12), so the
    /// Ingress is rejected and its routes are missing.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - name: http
    ///       port: 80
    ///       targetPort: http
    /// ---
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: api
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     app: api
    ///   ports:
    ///     - name: http
    ///       port: 80
    ///       targetPort: http
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   ingressClassName: nginx
    ///   tls:
    ///     - hosts:
    ///         - shop.example.com
    ///       secretName: shop-example-com-tls
    ///   rules:
    ///     - host: shop.example.com
    ///       http:
    ///         paths:
    ///           - path: "/static { alias /var/run/secrets/; }"
    ///             pathType: ImplementationSpecific
    ///             backend:
    ///               service:
    ///                 name: web
    ///                 port:
    ///                   name: http
    ///           - path: /api/v1:batch
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: api
    ///                 port:
    ///                   name: http
    /// ```
    ///
    /// ## Use instead
    /// Plain paths (regular expressions only with `ImplementationSpecific` and
    /// `use-regex`):
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   namespace: shop
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/use-regex: "true"
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///     - host: shop.example.com
    ///       http:
    ///         paths:
    ///           - path: /static
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: web
    ///                 port:
    ///                   name: http
    ///           - path: /api/v[0-9]{1,2}/batch
    ///             pathType: ImplementationSpecific
    ///             backend:
    ///               service:
    ///                 name: api
    ///                 port:
    ///                   name: http
    /// ```
    ///
    /// ## References
    /// - CVE-2021-25745, kubernetes/ingress-nginx#8502
    /// - ingress-nginx documentation, ConfigMap `strict-validate-path-type`
    /// - kyverno `nginx-ingress/restrict-ingress-paths`
    pub RULE {
        code: "NW4015",
        name: "ingress-nginx-unsafe-path",
        category: Security,
        severity: Error,
        scope: Object,
        fix: false,
        summary: "An Ingress path contains what injects nginx configuration (CVE-2021-25745) or what ingress-nginx rejects for its pathType.",
        check: check,
    }
}

/// Characters that end or open an nginx directive (besides braces, handled apart).
const INJECTION_CHARS: &[char] = &[';', '"', '\'', '`'];
/// What the ingress-nginx inspector blocks in paths (as plain substrings).
const INSPECTOR: &[&str] = &[
    "/var/run/secrets",
    "/etc/passwd",
    "/etc/shadow",
    "/etc/group",
    "/etc/nginx",
    "/etc/ingress-controller",
    "_by_lua",
];

/// The characters and blocked strings of a path that inject configuration.
fn injection(path: &str) -> Vec<String> {
    let mut found: Vec<String> = Vec::new();
    let mut push = |s: String| {
        if !found.contains(&s) {
            found.push(s);
        }
    };
    for c in path.chars() {
        if c.is_whitespace() || c.is_control() || INJECTION_CHARS.contains(&c) {
            push(show_char(c));
        }
    }
    if without_repetitions(path).contains(['{', '}']) {
        push("`{`/`}`".to_owned());
    }
    for blocked in INSPECTOR.iter().filter(|b| path.contains(**b)) {
        push(format!("`{blocked}`"));
    }
    found
}

/// The path with regular-expression repetitions (`{2}`, `{2,}`, `{2,3}`) removed.
fn without_repetitions(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let (before, from) = rest.split_at(open);
        out.push_str(before);
        let after = from.get(1..).unwrap_or_default();
        let close = after.find('}');
        let is_repetition = close.is_some_and(|end| {
            let inner = after.get(..end).unwrap_or_default();
            let (low, high) = inner.split_once(',').unwrap_or((inner, ""));
            !low.is_empty()
                && low.chars().all(|c| c.is_ascii_digit())
                && high.chars().all(|c| c.is_ascii_digit())
        });
        match close {
            Some(end) if is_repetition => rest = after.get(end + 1..).unwrap_or_default(),
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Characters of an `Exact`/`Prefix` path outside what ingress-nginx's strict path
/// validation accepts (`^/[[:alnum:]._\-/]*$`).
fn strict_rejects(path: &str) -> Vec<char> {
    let mut bad: Vec<char> = path
        .chars()
        .filter(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '/')))
        .collect();
    bad.dedup();
    let mut unique = Vec::new();
    for c in bad {
        if !unique.contains(&c) {
            unique.push(c);
        }
    }
    unique
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for ingress in &ctx.ingresses {
        let nginx = is_ingress_nginx(&ingress.value);
        if !nginx && class(&ingress.value).is_some() {
            continue; // another controller's Ingress
        }
        for route in routes(&ingress.value) {
            let Some(path) = route.entry.path.as_deref().filter(|p| !p.is_empty()) else {
                continue;
            };
            let at = route.field.child("path");
            let found = injection(path);
            if !found.is_empty() {
                let message = format!(
                    "path {path:?} of Ingress {} contains {}: ingress-nginx writes it into its configuration, where this injects directives (CVE-2021-25745)",
                    ingress.qualified_name(),
                    found.join(", ")
                );
                out.push(
                    ingress
                        .report(&RULE, at, message)
                        .with_help("use a plain URL path"),
                );
                continue;
            }
            let path_type = route.entry.path_type.as_deref().unwrap_or_default();
            if !nginx || !matches!(path_type, "Exact" | "Prefix") || !path.starts_with('/') {
                continue;
            }
            let bad = strict_rejects(path);
            if bad.is_empty() {
                continue;
            }
            let shown: Vec<String> = bad.iter().map(|c| show_char(*c)).collect();
            let message = format!(
                "path {path} ({path_type}) of Ingress {} contains {}: ingress-nginx rejects it for pathType {path_type} (strict-validate-path-type, on by default since 1.12)",
                ingress.qualified_name(),
                shown.join(", ")
            );
            out.push(
                ingress
                    .report(&RULE, at, message)
                    .with_help("keep Exact and Prefix paths to letters, digits, `.`, `_`, `-` and `/`; use pathType ImplementationSpecific for anything else"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repetitions_are_not_injection() {
        assert_eq!(without_repetitions("/v[0-9]{1,2}/x{3}"), "/v[0-9]/x");
        assert_eq!(without_repetitions("/a{b}"), "/a{b}");
        assert_eq!(without_repetitions("/a{1,}"), "/a");
        assert_eq!(without_repetitions("/a{,2}"), "/a{,2}");
        assert_eq!(without_repetitions("/a}"), "/a}");
        assert!(injection("/v[0-9]{1,2}").is_empty());
        assert_eq!(injection("/x { alias /etc/nginx; }").len(), 4);
        assert_eq!(strict_rejects("/api/v1:batch~x:y"), vec![':', '~']);
        assert!(strict_rejects("/api/v1.2/_x-y").is_empty());
    }
}
