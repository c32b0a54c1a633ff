//! `service-exposes-sensitive-port`.

use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::IntOrString;
use crate::path::FieldPath;
use crate::rules::Context;

use super::support::external_exposure;

declare_rule! {
    /// ## What it does
    /// Reports a port of an externally reachable Service — `type: NodePort`, a `LoadBalancer`
    /// that is neither internal (by provider annotation) nor limited by source ranges, or any
    /// Service with `externalIPs` — whose `port` or numeric `targetPort` is a well-known
    /// administration or data-store port: SSH (22), Telnet (23), SMB (445), SQL Server (1433),
    /// Oracle (1521), ZooKeeper (2181), Docker API (2375, 2376), etcd (2379, 2380), MySQL
    /// (3306), RDP (3389), PostgreSQL (5432), VNC (5900), CouchDB (5984), Redis (6379),
    /// Cassandra (9042), Elasticsearch (9200, 9300), kubelet (10250, 10255), memcached (11211),
    /// MongoDB (27017).
    ///
    /// ## Why it matters
    /// These services are scanned for continuously on the internet, and many ship without
    /// authentication or with weak defaults (Redis, memcached, Elasticsearch, the Docker API,
    /// the kubelet's read-only port). Exposing them beyond the cluster is rarely intended;
    /// in-cluster clients only need a ClusterIP Service.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    ///   namespace: shop
    /// spec:
    ///   type: NodePort # netward-ignore: NW2026 bare-metal cluster reached through node ports
    ///   selector:
    ///     app: db
    ///   ports:
    ///     - port: 5432
    /// ```
    ///
    /// ## Use instead
    /// A ClusterIP Service for in-cluster clients; for outside clients, an internal load
    /// balancer or one limited to their networks:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    ///   namespace: shop
    /// spec:
    ///   selector:
    ///     app: db
    ///   ports:
    ///     - port: 5432
    /// ```
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: db
    ///   namespace: shop
    /// spec:
    ///   type: LoadBalancer
    ///   selector:
    ///     app: db
    ///   ports:
    ///     - port: 5432
    ///   loadBalancerSourceRanges:
    ///     - 10.20.0.0/16
    /// ```
    ///
    /// ## References
    /// - kubescape C-0021 ("Exposed sensitive interfaces"), C-0042 (SSH server running inside
    ///   container); kube-linter `ssh-port`
    pub RULE {
        code: "NW2015",
        name: "service-exposes-sensitive-port",
        category: Security,
        severity: Warning,
        scope: Object,
        fix: false,
        summary: "An externally reachable Service exposes a well-known administration or database port.",
        check: check,
    }
}

/// Well-known ports that should not face the outside.
const SENSITIVE_PORTS: &[(i32, &str)] = &[
    (22, "SSH"),
    (23, "Telnet"),
    (445, "SMB"),
    (1433, "SQL Server"),
    (1521, "Oracle"),
    (2181, "ZooKeeper"),
    (2375, "the Docker API"),
    (2376, "the Docker API"),
    (2379, "etcd"),
    (2380, "etcd peer"),
    (3306, "MySQL"),
    (3389, "RDP"),
    (5432, "PostgreSQL"),
    (5900, "VNC"),
    (5984, "CouchDB"),
    (6379, "Redis"),
    (9042, "Cassandra"),
    (9200, "Elasticsearch"),
    (9300, "Elasticsearch transport"),
    (10250, "the kubelet API"),
    (10255, "the kubelet read-only API"),
    (11211, "memcached"),
    (27017, "MongoDB"),
];

fn sensitive(port: i32) -> Option<&'static str> {
    SENSITIVE_PORTS
        .iter()
        .find(|(p, _)| *p == port)
        .map(|(_, name)| *name)
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &ctx.services {
        let Some(exposure) = external_exposure(&service.value) else {
            continue;
        };
        let ports = FieldPath::new(["spec", "ports"]);
        for (i, port) in service.value.spec.ports.iter().enumerate() {
            let number = port.port.unwrap_or_default();
            let target = match &port.target_port {
                Some(IntOrString::Int(t)) if *t != 0 => Some(*t),
                _ => None,
            };
            let (value, what, field) = match (sensitive(number), target.and_then(sensitive)) {
                (Some(what), _) => (number, what, "port"),
                (None, Some(what)) => (target.unwrap_or_default(), what, "targetPort"),
                (None, None) => continue,
            };
            let message = format!(
                "Service {} exposes {what} ({value}) outside the cluster through {exposure}",
                service.qualified_name()
            );
            out.push(
                service
                    .report(&RULE, ports.index(i).child(field), message)
                    .with_help("serve in-cluster clients with a ClusterIP Service; for outside clients use an internal load balancer or loadBalancerSourceRanges limited to their networks"),
            );
        }
    }
}
