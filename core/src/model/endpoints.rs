//! Endpoints (`v1`) and EndpointSlices (`discovery.k8s.io/v1`): the Service they give
//! backends to, whether a controller wrote them, and every address with its field path.
//!
//! Only the fields read are type-checked; the API server's validation of these kinds is not
//! reproduced.

use super::decode::Decoder;
use super::meta::ObjectMeta;
use crate::path::FieldPath;
use crate::source::Node;

/// The label that ties an EndpointSlice to its Service.
pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";

/// An Endpoints object or an EndpointSlice.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Endpoints {
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// An EndpointSlice (otherwise a `v1` Endpoints object).
    pub slice: bool,
    /// The addresses, in order, with where they are written.
    pub addresses: Vec<EndpointAddress>,
}

/// One address of an Endpoints object or EndpointSlice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointAddress {
    /// The address as written.
    pub ip: String,
    /// `subsets[i].addresses[j].ip` (or `notReadyAddresses`), `endpoints[i].addresses[j]`.
    pub path: FieldPath,
}

impl Endpoints {
    /// Decodes an Endpoints object (`slice` false) or an EndpointSlice. The addresses of a
    /// slice with `addressType: FQDN` are names, not addresses, and are left out.
    pub fn decode(object: &Node, slice: bool, d: &mut Decoder<'_>) -> Self {
        let metadata = ObjectMeta::decode(object, d);
        let addresses = if slice {
            slice_addresses(object, d)
        } else {
            subset_addresses(object, d)
        };
        Self {
            metadata,
            slice,
            addresses,
        }
    }

    /// `EndpointSlice` or `Endpoints`.
    pub fn kind(&self) -> &'static str {
        if self.slice {
            "EndpointSlice"
        } else {
            "Endpoints"
        }
    }

    /// The name of the Service these endpoints belong to: the Endpoints object's own name, an
    /// EndpointSlice's `kubernetes.io/service-name` label.
    pub fn service(&self) -> Option<&str> {
        let name = if self.slice {
            self.metadata.labels.get(SERVICE_NAME_LABEL)
        } else {
            self.metadata.name.as_ref()
        };
        name.map(String::as_str).filter(|n| !n.is_empty())
    }

    /// Whether a person wrote them, rather than a controller: objects exported from a live
    /// cluster (with a `uid` or `resourceVersion`, or the controllers' `managed-by` label or
    /// change-trigger annotation) are the controllers' work.
    pub fn hand_written(&self) -> bool {
        let meta = &self.metadata;
        let set = |value: Option<&String>| value.is_some_and(|v| !v.is_empty());
        !(set(meta.uid.as_ref())
            || meta.resource_version.is_some()
            || set(meta.labels.get("endpointslice.kubernetes.io/managed-by"))
            || set(meta.labels.get("endpoints.kubernetes.io/managed-by"))
            || set(meta
                .annotations
                .get("endpoints.kubernetes.io/last-change-trigger-time")))
    }
}

/// `subsets[i].addresses[j].ip` and `subsets[i].notReadyAddresses[j].ip`.
fn subset_addresses(object: &Node, d: &mut Decoder<'_>) -> Vec<EndpointAddress> {
    let root = FieldPath::root();
    d.list(object, "subsets", &root, |d, subset, path| {
        let subset = d.object(Some(subset), path, &[])?;
        let mut out = Vec::new();
        for field in ["addresses", "notReadyAddresses"] {
            let found = d.list(subset, field, path, |d, address, path| {
                let address = d.object(Some(address), path, &[])?;
                let ip = d.string(address, "ip", path)?;
                Some(EndpointAddress {
                    ip,
                    path: path.child("ip"),
                })
            });
            out.extend(found.into_iter().flatten());
        }
        Some(out)
    })
    .into_iter()
    .flatten()
    .flatten()
    .collect()
}

/// `endpoints[i].addresses[j]`, unless the slice holds FQDNs.
fn slice_addresses(object: &Node, d: &mut Decoder<'_>) -> Vec<EndpointAddress> {
    let root = FieldPath::root();
    if d.string(object, "addressType", &root).as_deref() == Some("FQDN") {
        return Vec::new();
    }
    d.list(object, "endpoints", &root, |d, endpoint, path| {
        let endpoint = d.object(Some(endpoint), path, &[])?;
        let field = path.child("addresses");
        let addresses = d.string_list(endpoint, "addresses", path)?;
        Some(
            addresses
                .into_iter()
                .enumerate()
                .map(|(i, ip)| EndpointAddress {
                    ip,
                    path: field.index(i),
                })
                .collect::<Vec<_>>(),
        )
    })
    .into_iter()
    .flatten()
    .flatten()
    .collect()
}
