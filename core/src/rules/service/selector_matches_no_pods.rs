//! `service-selector-matches-no-pods`.

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Severity};
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::{backends, selected, selector, selector_text, Backend};
use crate::source::Node;

declare_rule! {
    /// ## What it does
    /// Reports a Service whose `selector` matches no Pod and no workload pod template
    /// (Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob, or
    /// a custom kind with `spec.template`) in its namespace. When pods of another namespace
    /// match, the finding names that namespace; otherwise it names the pod template the
    /// selector probably meant and the label that differs.
    ///
    /// Unless the options declare the bundle complete, a Service is reported only when the
    /// bundle shows what was probably meant — pods of another namespace that match, or a pod of
    /// its namespace that misses by one label (a label it lacks, or a value close to the wanted
    /// one, such as `web-frontend` for `web`) — and the finding is a warning; otherwise the
    /// Service's pods are probably just not part of the bundle. With `bundle_complete`, every
    /// Service that selects nothing is reported, as an error.
    ///
    /// ExternalName Services and Services without a selector (their endpoints are written by
    /// hand) are not checked, nor Services whose selector names a custom resource of the
    /// namespace (`prometheus: k8s` next to a `Prometheus` named `k8s`): an operator creates
    /// those pods at run time. Labels that controllers add to the pods they create count as
    /// present (`job-name` for a Job, `statefulset.kubernetes.io/pod-name` for a StatefulSet).
    ///
    /// ## Why it matters
    /// A Service that selects nothing has no endpoints: connections to it are refused or time
    /// out. The usual causes are a typo, labels renamed on one side only, or a Service and its
    /// Deployment written for different namespaces (one of them without
    /// `metadata.namespace`).
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
    ///     - port: 80
    ///       targetPort: 8080
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web-frontend
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web-frontend
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx
    ///           ports:
    ///             - containerPort: 8080
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
    /// Select the labels of the pod template:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     app: web-frontend
    ///   ports:
    ///     - port: 80
    ///       targetPort: 8080
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web-frontend
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web-frontend
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: nginx
    ///           ports:
    ///             - containerPort: 8080
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, Service, "Services without selectors" and "Defining a Service"
    /// - kube-linter `dangling-service`, kube-score `service-targets-pod`
    pub RULE {
        code: "NW2002",
        name: "service-selector-matches-no-pods",
        category: Correctness,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "The Service's selector matches no pod or pod template in its namespace, so it has no endpoints.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let backends = backends(ctx);
    let custom_resources = custom_resources(ctx);
    for service in &ctx.services {
        let Some(wanted) = selector(&service.value) else {
            continue;
        };
        if !selected(service, backends).is_empty() {
            continue;
        }
        let local: Vec<&Backend> = backends.in_namespace(&service.namespace).collect();
        let elsewhere: Vec<&Backend> = backends
            .selected_anywhere(wanted)
            .filter(|b| b.namespace != service.namespace)
            .collect();
        let operator_managed = custom_resources.iter().any(|(namespace, name)| {
            *namespace == service.namespace && wanted.values().any(|v| v == name)
        });
        if operator_managed {
            continue;
        }
        let complete = ctx.options.bundle_complete;
        let near = near_miss(wanted, &local);
        if elsewhere.is_empty() && near.is_none() && !complete {
            continue;
        }
        let message = format!(
            "Service {} selects no pod: nothing in namespace {} has the labels {}",
            service.qualified_name(),
            service.namespace,
            selector_text(wanted)
        );
        let mut diagnostic = service.report(&RULE, FieldPath::new(["spec", "selector"]), message);
        if complete {
            diagnostic.severity = Severity::Error;
        }
        let mut namespaces: Vec<&str> = elsewhere.iter().map(|b| b.namespace.as_str()).collect();
        crate::sort::sort(&mut namespaces);
        namespaces.dedup();
        if let Some(first) = namespaces.first() {
            let names: Vec<&str> = elsewhere.iter().map(|b| b.display.as_str()).collect();
            diagnostic = diagnostic.with_help(format!(
                "pods of namespace {} match ({}): a Service only selects pods of its own namespace; set `metadata.namespace: {first}` on the Service, or move the pods",
                namespaces.join(", "),
                names.join(", ")
            ));
            for backend in &elsewhere {
                diagnostic = diagnostic.with_label(
                    backend.label(format!("{} matches, in another namespace", backend.display)),
                );
            }
        } else if let Some((backend, difference)) = near {
            diagnostic = diagnostic
                .with_help(format!(
                    "did you mean {}? it has {difference}; make the selector and the pod labels agree",
                    backend.display
                ))
                .with_label(backend.label(format!("{}: closest labels", backend.display)));
        } else {
            diagnostic = diagnostic.with_help(
                "make the selector name labels of the pod template meant to serve the Service; if an operator creates the pods at run time, exempt the Service with a reason",
            );
        }
        out.push(diagnostic);
    }
}

/// A pod of the namespace the selector misses by one label: all other entries match, and the
/// missing one is either a label the pod does not have (for selectors of two or more labels)
/// or a label whose value is close to the wanted one (`web-frontend` for `web`). Returns the
/// pod and how it differs.
fn near_miss<'b>(
    wanted: &std::collections::BTreeMap<String, String>,
    local: &[&'b Backend],
) -> Option<(&'b Backend, String)> {
    local.iter().copied().find_map(|backend| {
        let mut failing = wanted
            .iter()
            .filter(|(k, v)| backend.labels.get(*k) != Some(*v));
        let (key, value) = failing.next()?;
        if failing.next().is_some() {
            return None;
        }
        match backend.labels.get(key) {
            Some(other) if similar(other, value) => Some((
                backend,
                format!("{key}={other} where the selector wants {key}={value}"),
            )),
            None if wanted.len() > 1 => {
                let generated = match (backend.kind.as_str(), key.as_str()) {
                    ("StatefulSet", "statefulset.kubernetes.io/pod-name") => {
                        Some(format!("{}-0, {}-1, ...", backend.name, backend.name))
                    }
                    ("Job", "job-name" | "batch.kubernetes.io/job-name") => {
                        Some(backend.name.clone())
                    }
                    _ => None,
                };
                let difference = match generated {
                    Some(values) => format!(
                        "{key}={values} (set by its controller) where the selector wants {key}={value}"
                    ),
                    None => format!("no label {key} (the selector also wants {key}={value})"),
                };
                Some((backend, difference))
            }
            _ => None,
        }
    })
}

/// Two label values that look like one another: one contains the other, or they differ by
/// a typo (edit distance at most one per four characters, at least one).
fn similar(a: &str, b: &str) -> bool {
    let (a, b) = (a.to_ascii_lowercase(), b.to_ascii_lowercase());
    if a == b {
        return true;
    }
    let shorter = a.len().min(b.len());
    if shorter >= 3 && (a.contains(&b) || b.contains(&a)) {
        return true;
    }
    edit_distance(&a, &b) <= (shorter / 4).max(1)
}

/// Levenshtein distance over bytes.
fn edit_distance(a: &str, b: &str) -> usize {
    let b = b.as_bytes();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.bytes().enumerate() {
        let mut current = Vec::with_capacity(b.len() + 1);
        current.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute =
                previous.get(j).copied().unwrap_or(usize::MAX) + usize::from(ca != *cb);
            let delete = previous
                .get(j + 1)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            let insert = current
                .get(j)
                .copied()
                .unwrap_or(usize::MAX)
                .saturating_add(1);
            current.push(substitute.min(delete).min(insert));
        }
        previous = current;
    }
    previous.last().copied().unwrap_or(0)
}

/// `(namespace, name)` of the custom resources of the bundle: their operators may create pods
/// at run time, usually labelled with the resource's name (Prometheus `prometheus: k8s`,
/// Strimzi `strimzi.io/cluster: events`, CloudNativePG `cnpg.io/cluster: pg`).
fn custom_resources(ctx: &Context<'_>) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for object in ctx.workspace.objects() {
        let group = object.group();
        let built_in = !group.contains('.')
            || (group.ends_with(".k8s.io")
                && group != "gateway.networking.k8s.io"
                && !group.ends_with(".x-k8s.io"));
        if built_in {
            continue;
        }
        let metadata = object.node.get("metadata");
        let text = |field: &str| {
            metadata
                .and_then(|m| m.get(field))
                .and_then(Node::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        if let Some(name) = text("name") {
            let namespace =
                text("namespace").unwrap_or_else(|| ctx.options.reach.default_namespace.clone());
            out.push((namespace, name));
        }
    }
    out
}
