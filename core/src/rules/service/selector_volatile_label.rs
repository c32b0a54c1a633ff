//! `service-selector-uses-volatile-label`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::selector;

declare_rule! {
    /// ## What it does
    /// Reports a Service selector that uses a label whose value changes on rollouts or
    /// upgrades: the labels controllers set on the pods they create (`pod-template-hash`,
    /// `controller-revision-hash`, `controller-uid`, `batch.kubernetes.io/controller-uid`), and
    /// the release labels of Helm charts (`helm.sh/chart`, `chart`,
    /// `app.kubernetes.io/version`). Per-pod labels that StatefulSets set on purpose
    /// (`statefulset.kubernetes.io/pod-name`, `apps.kubernetes.io/pod-index`) are not
    /// reported.
    ///
    /// ## Why it matters
    /// The selector keeps the old value while the next rollout or chart upgrade gives new pods
    /// a new one: the Service then selects only old pods, and none once they are gone. During
    /// a rolling upgrade the Service also flips between pod generations instead of spreading
    /// over both.
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
    ///     app.kubernetes.io/name: web
    ///     pod-template-hash: 7d4b9c8f6d
    ///   ports:
    ///     - port: 80
    /// ```
    ///
    /// ## Use instead
    /// Select on the labels that identify the application:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     app.kubernetes.io/name: web
    ///     app.kubernetes.io/instance: web
    ///   ports:
    ///     - port: 80
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, Deployments, "Pod-template-hash label"; "Recommended Labels"
    /// - Helm documentation, "Labels and Annotations" (`helm.sh/chart` is not for selectors)
    pub RULE {
        code: "NW2016",
        name: "service-selector-uses-volatile-label",
        category: Correctness,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "A Service selects on a label that changes with every rollout or release, so it loses its pods.",
        check: check,
    }
}

/// Labels whose value changes on rollouts or upgrades, and who sets them.
const VOLATILE: &[(&str, &str)] = &[
    ("pod-template-hash", "the Deployment controller sets it per pod template, so it changes on every rollout"),
    ("controller-revision-hash", "the StatefulSet and DaemonSet controllers set it per revision, so it changes on every rollout"),
    ("controller-uid", "the Job controller sets it to the Job's UID, so it changes when the Job is recreated"),
    ("batch.kubernetes.io/controller-uid", "the Job controller sets it to the Job's UID, so it changes when the Job is recreated"),
    ("helm.sh/chart", "it carries the chart version, so it changes on every chart upgrade"),
    ("chart", "it conventionally carries the chart version, so it changes on every chart upgrade"),
    ("app.kubernetes.io/version", "it carries the application version, so it changes on every release"),
];

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &ctx.services {
        let Some(selector) = selector(&service.value) else {
            continue;
        };
        for (key, value) in selector {
            let Some((_, why)) = VOLATILE.iter().find(|(k, _)| k == key) else {
                continue;
            };
            let message = format!(
                "Service {} selects on {key}={value}: {why}, and the Service then loses its pods",
                service.qualified_name()
            );
            out.push(
                service
                    .report(&RULE, FieldPath::new(["spec", "selector"]).key(key), message)
                    .with_help(format!(
                        "remove {key} from the selector and select on labels that identify the application (app.kubernetes.io/name, app.kubernetes.io/instance)"
                    )),
            );
        }
    }
}
