//! `statefulset-service-broken`.

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Label, Severity};
use crate::path::FieldPath;
use crate::rules::Context;
use crate::source::Node;

use super::support::{is_headless, selects};

declare_rule! {
    /// ## What it does
    /// Checks the governing Service a StatefulSet names in `spec.serviceName` against the
    /// Services of the bundle:
    ///
    /// - no Service of that name in the StatefulSet's namespace (reported when the bundle
    ///   holds other Services of that namespace; an error with `bundle_complete`);
    /// - the Service is headless but has no selector, or its selector does not match the pod
    ///   template's labels (an error: the per-pod DNS records are never published);
    /// - the Service is not headless (`clusterIP: None`).
    ///
    /// ## Why it matters
    /// A StatefulSet's stable network identity — `web-0.web.shop.svc.cluster.local` — only
    /// exists through a headless Service that selects its pods. Clustered software (databases,
    /// brokers, consensus stores) finds its peers by these names; when the Service is missing,
    /// has a cluster IP or selects other pods, the peers never find each other, often only
    /// after a restart.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    ///   namespace: shop
    /// spec:
    ///   clusterIP: None
    ///   selector:
    ///     app: database
    ///   ports:
    ///     - port: 5432
    /// ---
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: db
    ///   namespace: shop
    /// spec:
    ///   serviceName: db
    ///   selector:
    ///     matchLabels:
    ///       app: db
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: db
    ///     spec:
    ///       containers:
    ///         - name: postgres
    ///           image: postgres:17
    ///           ports:
    ///             - containerPort: 5432
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: default-deny
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   policyTypes:
    ///     - Ingress
    ///     - Egress
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
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    ///   namespace: shop
    /// spec:
    ///   clusterIP: None
    ///   selector:
    ///     app: db
    ///   ports:
    ///     - port: 5432
    /// ---
    /// apiVersion: apps/v1
    /// kind: StatefulSet
    /// metadata:
    ///   name: db
    ///   namespace: shop
    /// spec:
    ///   serviceName: db
    ///   selector:
    ///     matchLabels:
    ///       app: db
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: db
    ///     spec:
    ///       containers:
    ///         - name: postgres
    ///           image: postgres:17
    ///           ports:
    ///             - containerPort: 5432
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, StatefulSets, "Stable Network ID" ("StatefulSets currently
    ///   require a Headless Service to be responsible for the network identity of the Pods")
    /// - kube-score `statefulset-has-servicename`
    pub RULE {
        code: "NW2032",
        name: "statefulset-service-broken",
        category: Correctness,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "A StatefulSet's serviceName names a Service that is missing, not headless, or does not select its pods.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for &(file, object) in &ctx.objects {
        {
            if (object.group(), object.kind()) != ("apps", "StatefulSet") {
                continue;
            }
            let node = object.node;
            let text = |n: Option<&Node>, field: &str| {
                n.and_then(|n| n.get(field))
                    .and_then(Node::as_str)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
            };
            let metadata = node.get("metadata");
            let spec = node.get("spec");
            let Some(service_name) = text(spec, "serviceName") else {
                continue;
            };
            let Some(name) = text(metadata, "name") else {
                continue;
            };
            let namespace = text(metadata, "namespace")
                .unwrap_or_else(|| ctx.options.reach.default_namespace.clone());
            let labels: std::collections::BTreeMap<String, String> = spec
                .and_then(|s| s.get("template"))
                .and_then(|t| t.get("metadata"))
                .and_then(|m| m.get("labels"))
                .and_then(Node::as_map)
                .map(|entries| {
                    crate::sort::map(entries.iter().filter_map(|e| {
                        Some((e.key.key_text()?.into_owned(), e.value.as_str()?.to_owned()))
                    }))
                })
                .unwrap_or_default();
            let path = FieldPath::new(["spec", "serviceName"]);
            let report = |message: String| {
                Diagnostic::new(RULE.rule, file.id, node.locate(&path).0, message)
                    .with_object(Some(object.reference()))
                    .with_path(path.clone())
            };
            let qualified = format!("{namespace}/{name}");
            let service = ctx
                .services
                .iter()
                .rev()
                .find(|s| s.namespace == namespace && s.name == service_name);
            let Some(service) = service else {
                let complete = ctx.options.bundle_complete;
                if !complete && !ctx.services.iter().any(|s| s.namespace == namespace) {
                    continue;
                }
                let mut diagnostic = report(format!(
                    "StatefulSet {qualified} names serviceName {service_name}, but the bundle has no Service {namespace}/{service_name}: its pods get no stable DNS names"
                ))
                .with_help(format!(
                    "add a headless Service {service_name} (clusterIP: None) that selects the StatefulSet's pods, or correct serviceName"
                ));
                if complete {
                    diagnostic.severity = Severity::Error;
                }
                out.push(diagnostic);
                continue;
            };
            let label = Label {
                file: service.file.id,
                span: service.span(&FieldPath::new(["metadata", "name"])),
                message: format!("Service {}", service.qualified_name()),
            };
            let selector = service
                .value
                .spec
                .selector
                .as_ref()
                .filter(|s| !s.is_empty());
            let headless = is_headless(&service.value);
            let mut diagnostic = match selector {
                _ if !headless => report(format!(
                    "StatefulSet {qualified} is governed by Service {}, which is not headless: the pods get no per-pod DNS names ({name}-0.{service_name}.{namespace}.svc)",
                    service.qualified_name()
                ))
                .with_help(format!(
                    "make Service {service_name} headless (clusterIP: None), or add a separate headless Service and name it in serviceName"
                )),
                None => report(format!(
                    "StatefulSet {qualified} is governed by Service {}, which has no selector: the pods' DNS records are never published",
                    service.qualified_name()
                ))
                .with_help("give the Service the selector of the StatefulSet's pods"),
                Some(selector) if !selects(selector, &labels) => report(format!(
                    "StatefulSet {qualified} is governed by Service {}, whose selector does not match the StatefulSet's pod labels: the pods' DNS records are never published",
                    service.qualified_name()
                ))
                .with_help("make the Service's selector match the StatefulSet's pod template labels"),
                Some(_) => continue,
            };
            if headless {
                diagnostic.severity = Severity::Error;
            }
            out.push(diagnostic.with_label(label));
        }
    }
}
