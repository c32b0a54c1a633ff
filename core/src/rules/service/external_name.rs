//! What an ExternalName Service points at (shared by the `external-name-*` rules).

use std::net::{IpAddr, Ipv4Addr};

use crate::model::Service;
use crate::rules::{Context, Decoded};
use crate::validate::ip::parse_ip_sloppy;

use super::support::service_type;

/// What an `externalName` denotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExternalTarget {
    /// The local host: `localhost` names, 127.0.0.0/8, 0.0.0.0/8 (possibly through a wildcard
    /// DNS service such as nip.io).
    Loopback {
        /// Why.
        reason: String,
    },
    /// A cloud instance-metadata host name or address.
    Metadata {
        /// Why.
        reason: String,
    },
    /// Another IPv4 address, written as a name.
    Address {
        /// The address.
        addr: Ipv4Addr,
        /// Written through a wildcard DNS service (`10.0.0.1.nip.io`).
        via_wildcard_dns: bool,
    },
    /// A cluster-internal name: the API server or a Service of another namespace.
    ClusterInternal {
        /// The Kubernetes API server (`kubernetes.default...`).
        api_server: bool,
        /// The namespace the name points into, when it says.
        namespace: Option<String>,
    },
    /// Something else.
    Other,
}

/// Host names of cloud metadata services.
const METADATA_NAMES: &[&str] = &[
    "metadata",
    "metadata.google.internal",
    "metadata.goog",
    "instance-data",
    "instance-data.ec2.internal",
    "metadata.tencentyun.com",
    "metadata.platformequinix.com",
    "metadata.packet.net",
];

/// Names that resolve to the loopback address.
const LOOPBACK_DOMAINS: &[&str] = &[
    "localhost",
    "localhost.localdomain",
    "ip6-localhost",
    "ip6-loopback",
    "localtest.me",
    "lvh.me",
    "vcap.me",
];

/// Wildcard DNS services that resolve a name made of an address to that address.
const WILDCARD_DNS: &[&str] = &["nip.io", "sslip.io", "xip.io", "traefik.me"];

/// The ExternalName Services of the bundle, with their target.
pub fn external_names<'c, 'a>(
    ctx: &'c Context<'a>,
) -> impl Iterator<Item = (&'c Decoded<'a, Service>, String, ExternalTarget)> + 'c {
    ctx.services.iter().filter_map(move |service| {
        if service_type(&service.value) != "ExternalName" {
            return None;
        }
        let name = service.value.spec.external_name.as_deref()?.trim();
        if name.is_empty() {
            return None;
        }
        let target = classify(ctx, name, &service.namespace);
        Some((service, name.to_owned(), target))
    })
}

/// Classifies an `externalName` (trailing dot and case ignored).
pub fn classify(ctx: &Context<'_>, name: &str, own_namespace: &str) -> ExternalTarget {
    let name = name.trim_end_matches('.').to_ascii_lowercase();
    let within = |domain: &str| name == domain || name.ends_with(&format!(".{domain}"));
    if LOOPBACK_DOMAINS.iter().any(|d| within(d)) {
        return ExternalTarget::Loopback {
            reason: format!("`{name}` resolves to the loopback address"),
        };
    }
    if METADATA_NAMES.contains(&name.as_str()) {
        return ExternalTarget::Metadata {
            reason: format!("`{name}` is a cloud instance-metadata host"),
        };
    }
    let (addr, via_wildcard_dns) = match address_of(&name) {
        Some(found) => found,
        None => return cluster_internal(&name, own_namespace),
    };
    let describe = |what: &str| {
        if via_wildcard_dns {
            format!("`{name}` resolves to {addr}, {what}")
        } else {
            format!("`{name}` is {what}")
        }
    };
    if addr.is_loopback() || addr.octets().first() == Some(&0) {
        let what = if addr.is_loopback() {
            "a loopback address"
        } else {
            "an address meaning this host"
        };
        return ExternalTarget::Loopback {
            reason: describe(what),
        };
    }
    let metadata = ctx
        .options
        .cluster
        .metadata_addresses
        .iter()
        .filter_map(|a| parse_ip_sloppy(a))
        .any(|a| a.addr == IpAddr::V4(addr));
    if metadata {
        return ExternalTarget::Metadata {
            reason: describe("a cloud instance-metadata address"),
        };
    }
    ExternalTarget::Address {
        addr,
        via_wildcard_dns,
    }
}

/// The IPv4 address a name spells: a dotted quad, or a wildcard DNS name embedding one
/// (`10.0.0.1.nip.io`, `app-10-0-0-1.sslip.io`).
fn address_of(name: &str) -> Option<(Ipv4Addr, bool)> {
    if let Some(ip) = dotted_quad(name) {
        return Some((ip, false));
    }
    let service = WILDCARD_DNS
        .iter()
        .find(|d| name.ends_with(&format!(".{d}")))?;
    let prefix = name.strip_suffix(&format!(".{service}"))?;
    let labels: Vec<&str> = prefix.split('.').collect();
    if labels.len() >= 4 {
        let tail = labels.get(labels.len() - 4..)?.join(".");
        if let Some(ip) = dotted_quad(&tail) {
            return Some((ip, true));
        }
    }
    let last = labels.last()?;
    let parts: Vec<&str> = last.split('-').collect();
    let tail = parts.get(parts.len().checked_sub(4)?..)?.join(".");
    dotted_quad(&tail).map(|ip| (ip, true))
}

fn dotted_quad(text: &str) -> Option<Ipv4Addr> {
    let parts: Vec<&str> = text.split('.').collect();
    if parts.len() != 4
        || !parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    match parse_ip_sloppy(text)?.addr {
        IpAddr::V4(v4) => Some(v4),
        IpAddr::V6(_) => None,
    }
}

/// `kubernetes.default[.svc[.cluster.local]]`, `<svc>.<ns>.svc[.cluster.local]`.
fn cluster_internal(name: &str, own_namespace: &str) -> ExternalTarget {
    let trimmed = name.strip_suffix(".cluster.local").unwrap_or(name);
    let api_server = matches!(trimmed, "kubernetes.default" | "kubernetes.default.svc");
    if api_server {
        return ExternalTarget::ClusterInternal {
            api_server,
            namespace: Some("default".to_owned()),
        };
    }
    let labels: Vec<&str> = trimmed.split('.').collect();
    // <service>.<namespace>.svc, or <pod>.<service>.<namespace>.svc.
    let namespace = match labels.as_slice() {
        [.., namespace, "svc"] if labels.len() >= 3 => Some((*namespace).to_owned()),
        _ => None,
    };
    match namespace {
        Some(ns) if ns != own_namespace => ExternalTarget::ClusterInternal {
            api_server: false,
            namespace: Some(ns),
        },
        Some(_) => ExternalTarget::Other,
        None if name.ends_with(".cluster.local") => ExternalTarget::ClusterInternal {
            api_server: false,
            namespace: None,
        },
        None => ExternalTarget::Other,
    }
}
