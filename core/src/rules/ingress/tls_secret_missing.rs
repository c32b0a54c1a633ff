//! `ingress-tls-secret-missing`.

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Label};
use crate::model::Ingress;
use crate::object::ManifestObject;
use crate::path::FieldPath;
use crate::rules::Context;
use crate::source::Node;

use super::is_intentional_companion;

declare_rule! {
    /// ## What it does
    /// Reports a `spec.tls[].secretName` of an Ingress that names no usable Secret:
    /// - the bundle holds a Secret of that name in the Ingress's namespace, with data, but
    ///   without both `tls.crt` and `tls.key` (in `data` or `stringData`);
    /// - when the options say the bundle is complete (`bundle_complete`), nothing in the
    ///   namespace provides it: no Secret, no object of that name (a SealedSecret, an
    ///   ExternalSecret, a cert-manager Certificate…), no `spec.secretName` or
    ///   `spec.target.name` naming it, and no cert-manager annotation on the Ingress
    ///   (`cert-manager.io/issuer`, `cert-manager.io/cluster-issuer`,
    ///   `kubernetes.io/tls-acme`), which makes cert-manager create it.
    ///
    /// Without `bundle_complete`, a Secret absent from the bundle is not reported: Secrets
    /// rarely live next to the manifests.
    ///
    /// ## Why it matters
    /// Without the certificate the controller serves the host with its default, usually
    /// self-signed, certificate: browsers refuse the site, and API clients either fail or,
    /// worse, are configured to skip verification.
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
    /// kind: Secret
    /// metadata:
    ///   name: shop-tls
    ///   namespace: shop
    /// stringData:
    ///   certificate.pem: placeholder
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
    ///       secretName: shop-tls
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
    /// Let cert-manager issue the Secret (or store the certificate under `tls.crt` and
    /// `tls.key`):
    /// ```yaml
    /// apiVersion: networking.k8s.io/v1
    /// kind: Ingress
    /// metadata:
    ///   name: web
    ///   namespace: shop
    ///   annotations:
    ///     cert-manager.io/cluster-issuer: letsencrypt
    /// spec:
    ///   ingressClassName: nginx
    ///   tls:
    ///     - hosts:
    ///         - shop.example.com
    ///       secretName: shop-tls
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
    /// - Kubernetes documentation, Ingress, "TLS", and Secret, "TLS Secrets"
    /// - cert-manager documentation, "Securing Ingress Resources"
    pub RULE {
        code: "NW4016",
        name: "ingress-tls-secret-missing",
        category: Correctness,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "An Ingress's TLS secretName names no Secret holding a certificate and key.",
        check: check,
    }
}

/// Annotations that make cert-manager create the TLS Secrets of an Ingress.
const CERT_MANAGER_ANNOTATIONS: &[&str] = &[
    "cert-manager.io/issuer",
    "cert-manager.io/cluster-issuer",
    "kubernetes.io/tls-acme",
];

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    // Secrets by (namespace, name), in manifest order.
    let mut secrets_by_name: std::collections::HashMap<(String, &str), Vec<ManifestObject<'_>>> =
        std::collections::HashMap::new();
    for (_, object) in &ctx.objects {
        if object.group().is_empty() && object.kind() == "Secret" {
            if let Some(name) = name_of(object) {
                secrets_by_name
                    .entry((namespace_of(ctx, object).to_owned(), name))
                    .or_default()
                    .push(*object);
            }
        }
    }
    for ingress in &ctx.ingresses {
        if ingress.value.spec.tls.is_empty() || is_intentional_companion(&ingress.value) {
            continue;
        }
        for (i, tls) in ingress.value.spec.tls.iter().enumerate() {
            let Some(secret) = tls.secret_name.as_deref().filter(|s| !s.is_empty()) else {
                continue;
            };
            let path = FieldPath::new(["spec", "tls"]).index(i).child("secretName");
            let qualified = format!("{}/{secret}", ingress.namespace);
            let secrets: Vec<&ManifestObject<'_>> = secrets_by_name
                .get(&(ingress.namespace.clone(), secret))
                .into_iter()
                .flatten()
                .collect();
            if let Some(object) = secrets.first() {
                let keys = data_keys(object.node);
                let has = |k: &str| keys.contains(&k);
                if keys.is_empty() || (has("tls.crt") && has("tls.key")) || secrets.len() > 1 {
                    continue;
                }
                let message = format!(
                    "TLS Secret {qualified} of Ingress {} has no {}: the controller cannot use it and serves its default certificate",
                    ingress.qualified_name(),
                    match (has("tls.crt"), has("tls.key")) {
                        (true, false) => "`tls.key`",
                        (false, true) => "`tls.crt`",
                        _ => "`tls.crt` and `tls.key`",
                    }
                );
                let label = ctx.workspace.file(object.file).map(|file| Label {
                    file: file.id,
                    span: object.node.get("metadata").map_or(object.node.span, |m| {
                        m.get("name").map_or(m.span, |n| n.span)
                    }),
                    message: format!("Secret {qualified}"),
                });
                let mut finding = ingress
                    .report(&RULE, path, message)
                    .with_help("store the certificate chain under `tls.crt` and the private key under `tls.key` (a `kubernetes.io/tls` Secret)");
                if let Some(label) = label {
                    finding = finding.with_label(label);
                }
                out.push(finding);
                continue;
            }
            if !ctx.options.bundle_complete
                || issued_by_cert_manager(&ingress.value)
                || ctx.objects.iter().any(|(_, o)| {
                    namespace_of(ctx, o) == ingress.namespace
                        && !(o.group() == "networking.k8s.io" && o.kind() == "Ingress")
                        && provides(o, secret)
                })
            {
                continue;
            }
            let message = format!(
                "TLS Secret {qualified} of Ingress {} is not in the bundle, and nothing in it creates the Secret: the controller serves its default certificate",
                ingress.qualified_name()
            );
            out.push(ingress.report(&RULE, path, message).with_help(
                "add the Secret (or the Certificate, SealedSecret or ExternalSecret that creates it), or let cert-manager issue it with a `cert-manager.io/cluster-issuer` annotation",
            ));
        }
    }
}

fn issued_by_cert_manager(ingress: &Ingress) -> bool {
    CERT_MANAGER_ANNOTATIONS
        .iter()
        .any(|a| ingress.metadata.annotations.contains_key(*a))
}

fn text<'n>(node: Option<&'n Node>, field: &str) -> Option<&'n str> {
    node?.get(field)?.as_str()
}

fn name_of<'n>(object: &ManifestObject<'n>) -> Option<&'n str> {
    text(object.node.get("metadata"), "name")
}

fn namespace_of<'n>(ctx: &'n Context<'_>, object: &ManifestObject<'n>) -> &'n str {
    text(object.node.get("metadata"), "namespace")
        .filter(|n| !n.is_empty())
        .unwrap_or(&ctx.options.reach.default_namespace)
}

/// The keys of a Secret's `data` and `stringData`.
fn data_keys(secret: &Node) -> Vec<&str> {
    ["data", "stringData"]
        .iter()
        .filter_map(|field| secret.get(field)?.as_map())
        .flatten()
        .filter_map(|entry| entry.key.as_str())
        .collect()
}

/// Whether the object is, or creates, a Secret of that name: its own name (a SealedSecret,
/// an ExternalSecret, a Certificate named like its Secret), or `spec.secretName`
/// (cert-manager Certificate), `spec.target.name` (ExternalSecret) or
/// `spec.destination.name` (Vault Secrets Operator).
fn provides(object: &ManifestObject<'_>, secret: &str) -> bool {
    let spec = object.node.get("spec");
    name_of(object) == Some(secret)
        || text(spec, "secretName") == Some(secret)
        || text(spec.and_then(|s| s.get("target")), "name") == Some(secret)
        || text(spec.and_then(|s| s.get("destination")), "name") == Some(secret)
}

#[cfg(test)]
mod tests {
    use crate::lint;
    use crate::options::Options;
    use crate::{LoadLimits, Workspace};

    const INGRESS: &str = "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  namespace: shop
spec:
  ingressClassName: nginx
  tls:
    - hosts: [shop.example.com]
      secretName: shop-tls
  rules:
    - host: shop.example.com
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  name: http
";

    fn findings(extra: &str, complete: bool) -> usize {
        let mut workspace = Workspace::new(LoadLimits::default());
        workspace.add_file("a.yaml", format!("{INGRESS}---\n{extra}").as_bytes());
        let options = Options {
            bundle_complete: complete,
            ..Options::default()
        };
        lint::check(&workspace, &options)
            .iter()
            .filter(|d| d.rule.code == super::RULE.rule.code)
            .count()
    }

    #[test]
    fn a_missing_secret_counts_only_in_a_complete_bundle() {
        assert_eq!(findings("", false), 0);
        assert_eq!(findings("", true), 1);
    }

    #[test]
    fn whatever_creates_the_secret_provides_it() {
        let certificate = "apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: shop
  namespace: shop
spec:
  secretName: shop-tls
  dnsNames: [shop.example.com]
  issuerRef:
    name: letsencrypt
    kind: ClusterIssuer
";
        assert_eq!(findings(certificate, true), 0);
        let sealed = "apiVersion: bitnami.com/v1alpha1
kind: SealedSecret
metadata:
  name: shop-tls
  namespace: shop
spec:
  encryptedData:
    tls.crt: AgB
    tls.key: AgC
";
        assert_eq!(findings(sealed, true), 0);
        let elsewhere = sealed.replace("namespace: shop", "namespace: other");
        assert_eq!(findings(&elsewhere, true), 1);
        let secret = "apiVersion: v1
kind: Secret
metadata:
  name: shop-tls
  namespace: shop
type: kubernetes.io/tls
data:
  tls.crt: Y2VydA==
  tls.key: a2V5
";
        assert_eq!(findings(secret, true), 0);
    }
}
