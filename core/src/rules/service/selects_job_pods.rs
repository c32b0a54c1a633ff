//! `service-selects-job-pods`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::{backends, join_names, selected, Backend};

declare_rule! {
    /// ## What it does
    /// Reports a Service whose selector matches the pods of a Job or CronJob as well as the pods
    /// of a long-running workload (Deployment, StatefulSet, DaemonSet, Pod, ...). A Service
    /// that selects only Job pods (for example the headless Service of an indexed Job) is not
    /// reported.
    ///
    /// ## Why it matters
    /// Jobs often copy the application's labels (database migrations, cache warm-ups, chart
    /// hooks). While such a pod runs and counts as ready — always, when it has no readiness
    /// probe — the Service sends it a share of the client traffic, which it does not serve.
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
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: registry.example/web:3
    /// ---
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata:
    ///   name: migrate
    ///   namespace: shop
    /// spec:
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       restartPolicy: Never
    ///       containers:
    ///         - name: migrate
    ///           image: registry.example/web:3
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
    /// Give the Job's pods labels of their own:
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
    /// ---
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     matchLabels:
    ///       app: web
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web
    ///     spec:
    ///       containers:
    ///         - name: web
    ///           image: registry.example/web:3
    /// ---
    /// apiVersion: batch/v1
    /// kind: Job
    /// metadata:
    ///   name: migrate
    ///   namespace: shop
    /// spec:
    ///   template:
    ///     metadata:
    ///       labels:
    ///         app: web-migrate
    ///     spec:
    ///       restartPolicy: Never
    ///       containers:
    ///         - name: migrate
    ///           image: registry.example/web:3
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, Service, "Services without selectors"; Pod lifecycle,
    ///   "Pod readiness"
    pub RULE {
        code: "NW2033",
        name: "service-selects-job-pods",
        category: Correctness,
        severity: Warning,
        scope: Workspace,
        fix: false,
        summary: "A Service selects the pods of a Job or CronJob along with its serving pods, so they receive client traffic.",
        check: check,
    }
}

fn is_job(backend: &Backend) -> bool {
    matches!(backend.kind.as_str(), "Job" | "CronJob")
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    let backends = backends(ctx);
    for service in &ctx.services {
        let pods = selected(service, backends);
        let (jobs, serving): (Vec<&Backend>, Vec<&Backend>) =
            pods.into_iter().partition(|b| is_job(b));
        if jobs.is_empty() || serving.is_empty() {
            continue;
        }
        let message = format!(
            "Service {} selects the pods of {} along with {}: while they run and count as ready, they receive a share of its traffic",
            service.qualified_name(),
            join_names(jobs.iter().map(|b| b.display.as_str())),
            join_names(serving.iter().map(|b| b.display.as_str()))
        );
        let mut diagnostic = service
            .report(&RULE, FieldPath::new(["spec", "selector"]), message)
            .with_help("give the Job's pod template labels the selector does not match");
        for job in &jobs {
            diagnostic =
                diagnostic.with_label(job.label(format!("{} is a {}", job.display, job.kind)));
        }
        out.push(diagnostic);
    }
}
