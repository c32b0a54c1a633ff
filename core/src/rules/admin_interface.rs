//! Administration interfaces (cluster dashboards, deployment servers, notebooks): the
//! built-in list of `rule_settings.admin_interfaces`, and how a Service or a pod is
//! recognised as one. Shared by the Service and Ingress rules that report their exposure.

use std::collections::BTreeMap;

use crate::model::Service;
use crate::options::AdminInterface;
use crate::path::FieldPath;

use super::service::support::Backend;

/// The labels whose value names an application.
pub const NAME_LABELS: &[&str] = &["app.kubernetes.io/name", "app", "k8s-app", "name"];

/// The built-in list: interfaces that hand whoever reaches them control of the cluster or of
/// code execution in it, and that are scanned for on the internet.
pub fn built_in() -> Vec<AdminInterface> {
    let entry = |name: &str, names: &[&str], images: &[&str]| AdminInterface {
        name: name.to_owned(),
        names: names.iter().map(|s| (*s).to_owned()).collect(),
        images: images.iter().map(|s| (*s).to_owned()).collect(),
    };
    vec![
        entry(
            "the Kubernetes Dashboard",
            &[
                "kubernetes-dashboard",
                "kubernetes-dashboard-web",
                "kubernetes-dashboard-api",
                "kubernetes-dashboard-kong-proxy",
            ],
            &[
                "kubernetesui/dashboard",
                "kubernetesui/dashboard-web",
                "kubernetesui/dashboard-api",
            ],
        ),
        entry(
            "Helm v2's Tiller",
            &["tiller", "tiller-deploy"],
            &["kubernetes-helm/tiller"],
        ),
        entry("the Argo CD API server", &["argocd-server"], &[]),
        entry(
            "the Argo Workflows server",
            &["argo-server"],
            &["argoproj/argocli"],
        ),
        entry(
            "a Jupyter notebook server",
            &["jupyter", "jupyter-notebook", "jupyterlab"],
            &[
                "jupyter/base-notebook",
                "jupyter/minimal-notebook",
                "jupyter/scipy-notebook",
                "jupyter/datascience-notebook",
                "jupyter/tensorflow-notebook",
                "jupyter/pyspark-notebook",
                "jupyter/all-spark-notebook",
            ],
        ),
        entry(
            "the Kubeflow dashboard",
            &["centraldashboard", "ml-pipeline-ui"],
            &[],
        ),
        entry(
            "Portainer",
            &["portainer"],
            &[
                "portainer/portainer",
                "portainer/portainer-ce",
                "portainer/portainer-ee",
            ],
        ),
        entry("Weave Scope", &["weave-scope-app"], &["weaveworks/scope"]),
    ]
}

/// Why something was recognised as an administration interface.
#[derive(Debug, Clone)]
pub struct Recognised<'o> {
    /// The interface.
    pub interface: &'o AdminInterface,
    /// What gave it away (`its name`, `label app=tiller`, `image kubernetesui/dashboard`).
    pub evidence: String,
    /// The field of the Service that gave it away (`None` for a pod's labels or images).
    pub path: Option<FieldPath>,
}

/// The interface a Service's name, name labels or selector identify.
pub fn recognise_service<'o>(
    list: &'o [AdminInterface],
    service: &Service,
) -> Option<Recognised<'o>> {
    let name = service.metadata.name.as_deref().unwrap_or_default();
    if let Some(interface) = named(list, name) {
        return Some(Recognised {
            interface,
            evidence: format!("its name `{name}`"),
            path: Some(FieldPath::new(["metadata", "name"])),
        });
    }
    let labels =
        labelled(list, &service.metadata.labels).map(|(interface, key, value)| Recognised {
            interface,
            evidence: format!("its label `{key}: {value}`"),
            path: Some(FieldPath::new(["metadata", "labels"]).key(key)),
        });
    labels.or_else(|| {
        let selector = service.spec.selector.as_ref()?;
        let (interface, key, value) = labelled(list, selector)?;
        Some(Recognised {
            interface,
            evidence: format!("its selector `{key}: {value}`"),
            path: Some(FieldPath::new(["spec", "selector"]).key(key)),
        })
    })
}

/// The interface a pod's name labels or container images identify.
pub fn recognise_pod<'o>(list: &'o [AdminInterface], pod: &Backend) -> Option<Recognised<'o>> {
    if let Some((interface, key, value)) = labelled(list, &pod.labels) {
        return Some(Recognised {
            interface,
            evidence: format!("the label `{key}: {value}` of {}", pod.display),
            path: None,
        });
    }
    pod.images.iter().find_map(|image| {
        let interface = list
            .iter()
            .find(|i| i.images.iter().any(|known| same_repository(image, known)))?;
        Some(Recognised {
            interface,
            evidence: format!("the image `{image}` of {}", pod.display),
            path: None,
        })
    })
}

fn named<'o>(list: &'o [AdminInterface], name: &str) -> Option<&'o AdminInterface> {
    list.iter()
        .find(|i| i.names.iter().any(|n| n.eq_ignore_ascii_case(name)))
}

/// The first name label (in [`NAME_LABELS`] order) whose value names an interface.
fn labelled<'o, 'l>(
    list: &'o [AdminInterface],
    labels: &'l BTreeMap<String, String>,
) -> Option<(&'o AdminInterface, &'static str, &'l str)> {
    NAME_LABELS.iter().find_map(|key| {
        let value = labels.get(*key)?;
        Some((named(list, value)?, *key, value.as_str()))
    })
}

/// Whether the repository `image` (registry-less, see [`super::service::support::image_repository`])
/// is `known`, or ends with `/known`.
fn same_repository(image: &str, known: &str) -> bool {
    let known = known.trim_matches('/');
    !known.is_empty()
        && (image == known
            || image
                .strip_suffix(known)
                .is_some_and(|rest| rest.ends_with('/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repositories_match_whole_path_segments() {
        assert!(same_repository(
            "kubernetesui/dashboard",
            "kubernetesui/dashboard"
        ));
        assert!(same_repository(
            "mirror/kubernetesui/dashboard",
            "kubernetesui/dashboard"
        ));
        assert!(!same_repository(
            "kubernetesui/dashboard-web",
            "kubernetesui/dashboard"
        ));
        assert!(!same_repository(
            "xkubernetesui/dashboard",
            "kubernetesui/dashboard"
        ));
        assert!(!same_repository("kubernetesui/dashboard", ""));
    }
}
