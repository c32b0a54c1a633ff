//! `load-balancer-opens-node-ports`.

use crate::declare_rule;
use crate::diagnostic::{Diagnostic, Edit, Fix};
use crate::model::Service;
use crate::path::FieldPath;
use crate::rules::{Context, Decoded};

use super::support::{insert_entry_before, service_type};

declare_rule! {
    /// ## What it does
    /// Reports a `LoadBalancer` Service that leaves `allocateLoadBalancerNodePorts` unset or
    /// `true` and has a port without an explicit `nodePort`: that port silently gets a node
    /// port too. Ports whose `nodePort` is written are taken as intended (`NodePort`
    /// Services are `service-opens-node-port`'s concern).
    ///
    /// ## Why it matters
    /// A LoadBalancer Service is a NodePort Service underneath: unless told otherwise, the
    /// API server allocates a node port for each Service port and kube-proxy opens it on
    /// every node, whatever addresses the load balancer itself admits. Clients that reach a
    /// node directly bypass the load balancer's source ranges and firewall, and policies
    /// that forbid `type: NodePort` (admission rules, `service-opens-node-port`) do not see
    /// these ports. Load balancers that send traffic straight to pod addresses (AWS Load
    /// Balancer Controller in IP mode, GKE container-native load balancing, MetalLB in L2 or
    /// BGP mode, Cilium) do not need the node ports at all.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   type: LoadBalancer
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - name: https
    ///       port: 443
    /// ```
    ///
    /// ## Use instead
    /// When the load balancer routes to pods directly:
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: web
    ///   namespace: shop
    /// spec:
    ///   type: LoadBalancer
    ///   allocateLoadBalancerNodePorts: false
    ///   selector:
    ///     app: web
    ///   ports:
    ///     - name: https
    ///       port: 443
    /// ```
    ///
    /// ## References
    /// - Kubernetes documentation, Service, "Load balancer NodePort allocation"
    /// - kubernetes/enhancements KEP-1864 (optionally disable NodePorts for LoadBalancer Services)
    pub RULE {
        code: "NW2039",
        name: "load-balancer-opens-node-ports",
        category: Security,
        severity: Warning,
        scope: Object,
        fix: true,
        summary: "A LoadBalancer Service implicitly opens node ports on every node, which bypass the load balancer's source ranges.",
        check: check,
    }
}

fn check(ctx: &Context<'_>, out: &mut Vec<Diagnostic>) {
    for service in &ctx.services {
        let spec = &service.value.spec;
        let implicit = spec.ports.iter().filter(|p| p.node_port.is_none()).count();
        if service_type(&service.value) != "LoadBalancer"
            || spec.allocate_load_balancer_node_ports == Some(false)
            || implicit == 0
        {
            continue;
        }
        let field = FieldPath::new(["spec", "allocateLoadBalancerNodePorts"]);
        let (path, how) = if service.has(&field) {
            (field, "allocateLoadBalancerNodePorts is true")
        } else {
            (
                FieldPath::new(["spec", "type"]),
                "allocateLoadBalancerNodePorts is not set",
            )
        };
        let ports = if implicit == 1 {
            "a node port".to_owned()
        } else {
            format!("{implicit} node ports")
        };
        let message = format!(
            "LoadBalancer Service {} also opens {ports} on every node ({how}): clients reaching a node bypass the load balancer and its source ranges",
            service.qualified_name()
        );
        let mut diagnostic = service.report(&RULE, path, message).with_help(
            "set `allocateLoadBalancerNodePorts: false` if the load balancer sends traffic to pod addresses directly",
        );
        if let Some(fix) = fix(service) {
            diagnostic = diagnostic.with_fix(fix);
        }
        out.push(diagnostic);
    }
}

/// Sets `allocateLoadBalancerNodePorts: false`: the written value is replaced, or the field
/// is added as the first entry of `spec`.
fn fix(service: &Decoded<'_, Service>) -> Option<Fix> {
    let spec = service.object.node.get("spec")?;
    let edit = match spec.get("allocateLoadBalancerNodePorts") {
        Some(value) => Edit {
            file: service.file.id,
            span: value.span,
            replacement: "false".to_owned(),
        },
        None => {
            let first = spec.as_map()?.first()?.key.key_text()?;
            insert_entry_before(
                service.file,
                spec,
                &first,
                "allocateLoadBalancerNodePorts: false",
            )?
        }
    };
    Some(Fix {
        title: "Set `allocateLoadBalancerNodePorts: false` (only if the load balancer routes to pods directly)".to_owned(),
        edits: vec![edit],
    })
}
