//! `service-selects-unrelated-workloads`.

use std::collections::{BTreeMap, BTreeSet};

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::{backends, join_names, selected, Backend};

declare_rule! {
    /// ## What it does
    /// Reports a Service whose selector matches the pods of two or more workloads that run
    /// different applications. Workloads are taken as one application — a canary (`web` and
    /// `web-canary`), a blue/green pair, the versions of an Istio traffic split — when they
    /// share a container image repository (registry, tag and digest aside), or when their
    /// pod labels are the same apart from variant labels (`version`,
    /// `app.kubernetes.io/version`, `track`, `variant`, `color`, `slot`). Job and CronJob
    /// pods are left to `service-selects-job-pods`, workloads without a written image are
    /// left out, and service-mesh proxy images (Istio, Linkerd, Envoy) do not make two
    /// workloads one.
    ///
    /// ## Why it matters
    /// A Service spreads its connections over every pod its selector matches. When two
    /// unrelated applications carry the selector's labels — typically a shared `app` or
    /// `part-of` label, or a copied label block — clients get answers from the wrong program
    /// for a share of their requests, which looks like an intermittent failure. The check
    /// cannot see intent: two gateways built from the same proxy image that share a label
    /// are one application to it.
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
    ///     app: shop
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
    ///       app: shop
    ///       component: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: shop
    ///         component: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: registry.example/shop/web:3
    ///           ports:
    ///             - containerPort: 8080
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: cart
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: shop
    ///       component: cart
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: shop
    ///         component: cart
    ///     spec:
    ///       containers:
    ///         - name: cart
    ///           image: registry.example/shop/cart:7
    ///           ports:
    ///             - containerPort: 8080
    /// ---
    /// apiVersion: networking.k8s.io/v1
    /// kind: NetworkPolicy
    /// metadata:
    ///   name: baseline
    ///   namespace: shop
    /// spec:
    ///   podSelector: {}
    ///   policyTypes:
    ///     - Ingress
    ///     - Egress
    ///   ingress:
    ///     - from:
    ///         - podSelector: {}
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
    /// Select on the label that tells the applications apart:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     app: shop
    ///     component: web
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
    ///       app: shop
    ///       component: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: shop
    ///         component: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: registry.example/shop/web:3
    ///           ports:
    ///             - containerPort: 8080
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: cart
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: shop
    ///       component: cart
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: shop
    ///         component: cart
    ///     spec:
    ///       containers:
    ///         - name: cart
    ///           image: registry.example/shop/cart:7
    ///           ports:
    ///             - containerPort: 8080
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, Service, "Defining a Service"; Labels and Selectors
    /// - kgateway-dev/kgateway#1029 (two gateways sharing one selector label)
    pub RULE {
        code: "NW2038",
        name: "service-selects-unrelated-workloads",
        category: Correctness,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "A Service selects the pods of several workloads that share no container image, so its traffic is spread over unrelated applications.",
        check: check,
    }
}

/// Proxies a service mesh injects into unrelated workloads alike.
const MESH_PROXIES: &[&str] = &["istio/proxyv2", "linkerd/proxy", "envoyproxy/envoy"];

/// Pod labels that tell variants of one application apart (versions, canary tracks,
/// blue/green slots).
const VARIANT_LABELS: &[&str] = &[
    "version",
    "app.kubernetes.io/version",
    "track",
    "variant",
    "color",
    "slot",
];

/// Workloads taken as one application, with their image repositories and their pod labels
/// without the variant labels.
struct Application<'b> {
    workloads: Vec<&'b Backend>,
    images: BTreeSet<&'b str>,
    labels: Vec<BTreeMap<&'b str, &'b str>>,
}

impl Application<'_> {
    fn same_as(&self, other: &Application<'_>) -> bool {
        !self.images.is_disjoint(&other.images)
            || self
                .labels
                .iter()
                .any(|l| !l.is_empty() && other.labels.contains(l))
    }
}

/// The selected workloads (with images, not Jobs), grouped into applications: workloads that
/// share an image repository, or whose pod labels differ only in variant labels, are one.
fn applications<'b>(pods: &[&'b Backend]) -> Vec<Application<'b>> {
    let mut apps: Vec<Application<'b>> = Vec::new();
    let mut seen: BTreeSet<(&str, &str)> = BTreeSet::new();
    for &pod in pods {
        if matches!(pod.kind.as_str(), "Job" | "CronJob")
            || !seen.insert((pod.kind.as_str(), pod.name.as_str()))
        {
            continue;
        }
        let images = crate::sort::set(
            pod.images
                .iter()
                .map(String::as_str)
                .filter(|i| !MESH_PROXIES.contains(i)),
        );
        if images.is_empty() {
            continue;
        }
        let labels = crate::sort::map(
            pod.labels
                .iter()
                .filter(|(k, _)| !VARIANT_LABELS.contains(&k.as_str()))
                .map(|(k, v)| (k.as_str(), v.as_str())),
        );
        let mut merged = Application {
            workloads: vec![pod],
            images,
            labels: vec![labels],
        };
        let (same, other): (Vec<_>, Vec<_>) =
            apps.into_iter().partition(|app| app.same_as(&merged));
        for app in same {
            merged.workloads.extend(app.workloads);
            merged.images.extend(app.images);
            merged.labels.extend(app.labels);
        }
        apps = other;
        apps.push(merged);
    }
    crate::sort::sort_by_key(&mut apps, |app| {
        app.workloads.first().map(|w| w.display.clone())
    });
    apps
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let backends = backends(ctx);
    for service in &ctx.services {
        let pods = selected(service, backends);
        if pods.len() < 2 {
            continue;
        }
        let apps = applications(&pods);
        if apps.len() < 2 {
            continue;
        }
        let describe = |app: &Application<'_>| {
            format!(
                "{} ({})",
                join_names(app.workloads.iter().map(|w| w.display.as_str())),
                join_names(app.images.iter().copied())
            )
        };
        let message = format!(
            "Service {} selects {} workloads that share no image: {}; its connections are spread over all of them",
            service.qualified_name(),
            apps.iter().map(|a| a.workloads.len()).sum::<usize>(),
            apps.iter().map(describe).collect::<Vec<_>>().join(", ")
        );
        let mut diagnostic = service
            .report(&RULE, FieldPath::new(["spec", "selector"]), message)
            .with_help("add a selector label that only the pods meant to serve this Service carry; if they are one application built from different images, suppress with a reason");
        for app in &apps {
            for workload in &app.workloads {
                diagnostic = diagnostic.with_label(workload.label(format!(
                    "{} runs {}",
                    workload.display,
                    join_names(workload.images.iter().map(String::as_str))
                )));
            }
        }
        out.push(diagnostic);
    }
}
