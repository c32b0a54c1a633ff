//! `external-name-points-to-loopback`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::path::FieldPath;
use crate::rules::Context;

use super::external_name::{external_names, ExternalTarget};

declare_rule! {
    /// ## What it does
    /// Reports an ExternalName Service whose `externalName` denotes the local host:
    /// `localhost` and names under it, `localhost.localdomain`, `ip6-localhost`, public names
    /// that resolve to 127.0.0.1 (`localtest.me`, `lvh.me`, `vcap.me`), an address of
    /// 127.0.0.0/8 or 0.0.0.0/8 written as a name, or such an address through a wildcard DNS
    /// service (`127.0.0.1.nip.io`).
    ///
    /// ## Why it matters
    /// Ingress controllers and gateways resolve ExternalName backends themselves and connect
    /// from their own pod: a Service pointing at localhost makes them send requests to their
    /// own loopback interface, where admin and metrics endpoints listen without
    /// authentication. Anyone who may create a Service and an Ingress can reach them this way.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: local
    ///   namespace: shop
    /// spec:
    ///   type: ExternalName
    ///   externalName: localhost
    /// ```
    ///
    /// ## Use instead
    /// Point at the real host:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: mail
    ///   namespace: shop
    /// spec:
    ///   type: ExternalName
    ///   externalName: smtp.example.com
    /// ```
    ///
    /// ## References
    /// - Kyverno policy `disallow-localhost-services`
    /// - CVE-2021-25740 (kubernetes/kubernetes#103675): confused deputies through Services
    pub RULE {
        code: "NW2010",
        name: "external-name-points-to-loopback",
        category: Security,
        severity: Error,
        scope: Object,
        fix: false,
        summary: "An ExternalName Service points at localhost, so proxies that follow it talk to their own loopback interface.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for (service, _, target) in external_names(ctx) {
        let ExternalTarget::Loopback { reason } = target else {
            continue;
        };
        let message = format!(
            "ExternalName Service {} points at the local host: {reason}; ingress controllers and gateways that follow it connect to their own loopback interface",
            service.qualified_name()
        );
        out.push(
            service
                .report(&RULE, FieldPath::new(["spec", "externalName"]), message)
                .with_help("point externalName at the real host name of the service"),
        );
    }
}
