//! `ingress-nginx-snippet-annotation`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

use super::NGINX_PREFIX;

declare_rule! {
    /// ## What it does
    /// Reports an Ingress annotation that injects raw proxy configuration: any annotation
    /// whose name ends in `-snippet` (ingress-nginx's `configuration-snippet`,
    /// `server-snippet`, `auth-snippet`, `modsecurity-snippet`, `stream-snippet`) or
    /// `-snippets` (NGINX Inc's `nginx.org/server-snippets`, `location-snippets`). The
    /// message says when the snippet reads files, runs Lua or loads modules.
    ///
    /// ## Why it matters
    /// A snippet is pasted into the controller's configuration unchecked, and the controller
    /// runs with a service account that can read every Secret of the cluster. Whoever may
    /// edit an Ingress can therefore read all Secrets, or serve any file of the controller
    /// (CVE-2021-25742). Current ingress-nginx refuses snippets unless the cluster
    /// administrator allows them (`allow-snippet-annotations`, off by default since 1.9,
    /// and, since 1.12, `annotations-risk-level: Critical`): an Ingress relying on one is
    /// either broken or running on a controller configured to allow the exploit.
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
    ///     nginx.ingress.kubernetes.io/configuration-snippet: |
    ///       proxy_set_header X-Tenant shop;
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
    /// The dedicated annotation (here: request headers from a ConfigMap), or the controller's
    /// global configuration, owned by the cluster administrator:
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   namespace: shop
    ///   annotations:
    ///     nginx.ingress.kubernetes.io/custom-headers: shop/tenant-headers
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
    /// - CVE-2021-25742, kubernetes/ingress-nginx#7837
    /// - ingress-nginx documentation, ConfigMap `allow-snippet-annotations` and
    ///   `annotations-risk-level`
    /// - checkov CKV_K8S_152/153/154, kyverno `disallow-ingress-nginx-custom-snippets`,
    ///   kubescape C-0059
    pub RULE {
        code: "NW4013",
        name: "ingress-nginx-snippet-annotation",
        category: Security,
        severity: Error,
        scope: Object,
        fix: false,
        summary: "An Ingress annotation injects raw proxy configuration (snippet), which can expose every Secret the controller reads (CVE-2021-25742).",
        check: check,
    }
}

/// Snippet contents that reach beyond the Ingress's own traffic, with what they do.
const DANGEROUS: &[(&str, &str)] = &[
    ("_by_lua", "runs Lua code"),
    ("lua_package", "loads Lua code"),
    ("load_module", "loads an nginx module"),
    (
        "/var/run/secrets",
        "reads the controller's service account token",
    ),
    (
        "serviceaccount",
        "reads the controller's service account token",
    ),
    ("/etc/", "reads files of the controller"),
];

/// Directives that serve files of the controller's file system.
const FILE_DIRECTIVES: &[&str] = &["alias", "root"];

/// Whether a statement of the snippet starts with one of the file-serving directives.
fn serves_files(snippet: &str) -> bool {
    snippet
        .split([';', '{', '}', '\n'])
        .filter_map(|statement| statement.split_whitespace().next())
        .any(|directive| FILE_DIRECTIVES.contains(&directive))
}

/// Whether an annotation name is a snippet: `prefix/...-snippet` or `prefix/...-snippets`.
pub(crate) fn is_snippet(key: &str) -> bool {
    key.split_once('/').is_some_and(|(_, name)| {
        let name = name.to_ascii_lowercase();
        name.ends_with("-snippet") || name.ends_with("-snippets")
    })
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for ingress in &ctx.ingresses {
        for (key, value) in &ingress.value.metadata.annotations {
            if !is_snippet(key) || value.trim().is_empty() {
                continue;
            }
            let lower = value.to_ascii_lowercase();
            let mut does: Vec<&str> = DANGEROUS
                .iter()
                .filter(|(needle, _)| lower.contains(needle))
                .map(|(_, what)| *what)
                .collect();
            does.dedup();
            if serves_files(&lower) {
                does.push("serves files of the controller (`alias`/`root`)");
            }
            let risk = if key.starts_with(NGINX_PREFIX) {
                "it can read every Secret the controller can (CVE-2021-25742)"
            } else {
                "it can act with the controller's privileges"
            };
            let message = format!(
                "Ingress {} injects raw proxy configuration through `{key}`: {risk}{}",
                ingress.qualified_name(),
                if does.is_empty() {
                    String::new()
                } else {
                    format!("; this snippet {}", does.join(" and "))
                }
            );
            out.push(
                ingress
                    .report(
                        &RULE,
                        FieldPath::new(["metadata", "annotations"]).key(key),
                        message,
                    )
                    .with_help("use the dedicated annotation for the setting, or ask the controller's administrator to set it globally"),
            );
        }
    }
}
