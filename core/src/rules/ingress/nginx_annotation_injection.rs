//! `ingress-nginx-annotation-injection`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

use super::nginx_snippet_annotation::is_snippet;
use super::{show_char, NGINX_PREFIX};

declare_rule! {
    /// ## What it does
    /// Reports an ingress-nginx annotation (`nginx.ingress.kubernetes.io/…`, snippets aside:
    /// `ingress-nginx-snippet-annotation` covers those) whose value contains what ends an
    /// nginx directive or opens a new one:
    /// - in every annotation: a line break or other control character, `;`, a quote or a
    ///   backtick, or a word of the CVE-2021-25746 blocklist (`load_module`, `lua_package`,
    ///   `_by_lua`, `proxy_pass`, `serviceaccount`, `/var/run/secrets`);
    /// - in the URL annotations (`auth-url`, `auth-signin`, `mirror-target`, `mirror-host`,
    ///   `permanent-redirect`, `temporal-redirect`): also spaces, `{`, `}`, `<`, `>`, `|`, `^`
    ///   and `\`;
    /// - in `auth-tls-match-cn`: also `{`, `}` and `#`.
    ///
    /// ## Why it matters
    /// ingress-nginx pastes annotation values into its nginx configuration. A value that
    /// closes the directive injects arbitrary configuration, which runs with the controller's
    /// access to every Secret of the cluster: CVE-2021-25746, and the "IngressNightmare"
    /// series (CVE-2025-24514 through `auth-url`, CVE-2025-1097 through `auth-tls-match-cn`,
    /// CVE-2025-1098 through `mirror-target`/`mirror-host`). No legitimate value of these
    /// annotations needs the characters listed; current controllers reject them when
    /// annotation validation is on.
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
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   namespace: shop
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/auth-url: "http://auth.shop.svc/check;\nload_module /tmp/x.so;"
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
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: web
    ///                 port:
    ///                   name: http
    /// ```
    ///
    /// ## Use instead
    /// Plain values:
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   namespace: shop
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/auth-url: "http://auth.shop.svc.cluster.local/check?rd=$escaped_request_uri"
    ///     nginx.ingress.kubernetes.io/server-alias: "~^www\\d+\\.example\\.com$"
    /// spec:
    ///   ingressClassName: nginx
    ///   rules:
    ///     - host: shop.example.com
    ///       http:
    ///         paths:
    ///           - path: /
    ///             pathType: Prefix
    ///             backend:
    ///               service:
    ///                 name: web
    ///                 port:
    ///                   name: http
    /// ```
    ///
    /// ## References
    /// - CVE-2021-25746 (kubernetes/ingress-nginx#8503), CVE-2025-24514, CVE-2025-1097,
    ///   CVE-2025-1098 (kubernetes/kubernetes#131006, #131007, #131008)
    /// - ingress-nginx documentation, ConfigMap `annotation-value-word-blocklist` and
    ///   `--enable-annotation-validation`
    /// - trivy KCV-0093, kyverno `nginx-ingress/restrict-annotations`
    pub RULE {
        code: "NW4014",
        name: "ingress-nginx-annotation-injection",
        category: Security,
        severity: Error,
        scope: Object,
        fix: false,
        summary: "An ingress-nginx annotation value contains characters or words that inject nginx configuration.",
        check: check,
    }
}

/// Characters no non-snippet annotation value needs.
const ALWAYS: &[char] = &[';', '"', '\'', '`'];
/// Words of the blocklist ingress-nginx recommends against CVE-2021-25746.
const WORDS: &[&str] = &[
    "load_module",
    "lua_package",
    "_by_lua",
    "proxy_pass",
    "serviceaccount",
    "/var/run/secrets",
];
/// Annotations holding a URL or host, and what they may not contain besides [`ALWAYS`].
const URL_ANNOTATIONS: &[&str] = &[
    "auth-url",
    "auth-signin",
    "mirror-target",
    "mirror-host",
    "permanent-redirect",
    "temporal-redirect",
];
const URL_CHARS: &[char] = &[' ', '{', '}', '<', '>', '|', '^', '\\'];
const CN_CHARS: &[char] = &['{', '}', '#'];

/// The CVE each annotation's injection was published as.
fn advisory(name: &str) -> &'static str {
    match name {
        "auth-url" => "CVE-2025-24514",
        "auth-tls-match-cn" => "CVE-2025-1097",
        "mirror-target" | "mirror-host" => "CVE-2025-1098",
        _ => "CVE-2021-25746",
    }
}

/// What is wrong with the value, for the message: the offending characters and words.
fn offending(name: &str, value: &str) -> Vec<String> {
    let extra: &[char] = if URL_ANNOTATIONS.contains(&name) {
        URL_CHARS
    } else if name == "auth-tls-match-cn" {
        CN_CHARS
    } else {
        &[]
    };
    let mut found: Vec<String> = Vec::new();
    for c in value.chars() {
        if !(c.is_control() || ALWAYS.contains(&c) || extra.contains(&c)) {
            continue;
        }
        let shown = show_char(c);
        if !found.contains(&shown) {
            found.push(shown);
        }
    }
    let lower = value.to_ascii_lowercase();
    found.extend(
        WORDS
            .iter()
            .filter(|w| lower.contains(**w))
            .map(|w| format!("`{w}`")),
    );
    found
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for ingress in &ctx.ingresses {
        for (key, value) in &ingress.value.metadata.annotations {
            let Some(name) = key.strip_prefix(NGINX_PREFIX) else {
                continue;
            };
            if is_snippet(key) {
                continue;
            }
            let found = offending(name, value);
            if found.is_empty() {
                continue;
            }
            let message = format!(
                "annotation `{key}` of Ingress {} contains {}: ingress-nginx pastes it into its configuration, where this injects directives ({})",
                ingress.qualified_name(),
                found.join(", "),
                advisory(name)
            );
            out.push(
                ingress
                    .report(
                        &RULE,
                        FieldPath::new(["metadata", "annotations"]).key(key),
                        message,
                    )
                    .with_help("keep the value to what the annotation documents (a URL, a host, a name); enable ingress-nginx annotation validation"),
            );
        }
    }
}
