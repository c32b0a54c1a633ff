//! `Options`: the one configuration type the CLI, the webhook, the WASM engine and the editor
//! all read (JSON or YAML; its JSON Schema comes from `schemars`).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::diagnostic::Severity;
use crate::netpol::ReachOptions;
use crate::validate::{NodePortRange, ValidationProfile};

/// netward's configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "snake_case", deny_unknown_fields)]
pub struct Options {
    /// Which rules run: `workspace` (all; the bundle is analysed as a whole) or `admission`
    /// (only rules decidable from one object, as a validating webhook sees it).
    pub profile: Profile,
    /// When not empty, only these lint rules run: codes like `NW2101`, names, or categories
    /// (`security`, `correctness`, `suspicious`, `style`).
    pub select: Vec<String>,
    /// Rules that never run (codes, names or categories). The loader's warnings (`NW0005`,
    /// `NW0012`) can be disabled too; what the API server rejects cannot.
    pub disable: Vec<String>,
    /// Severity per rule (code, name or category): `error`, `warning`, `info` or `off`. Also
    /// applies to the loader's warnings, never to what the API server rejects.
    pub severity: BTreeMap<String, SeverityLevel>,
    /// Objects some rules do not apply to, each with the reason.
    pub exemptions: Vec<Exemption>,
    /// The bundle holds every object of the namespaces it mentions, so "matches nothing"
    /// findings are certain (reported as errors).
    pub bundle_complete: bool,
    /// Facts about the cluster the manifests are for.
    pub cluster: ClusterFacts,
    /// What some rules accept or look for (allowed ExternalName domains and Ingress classes,
    /// administration interfaces).
    pub rule_settings: RuleSettings,
    /// NetworkPolicy evaluation choices on plugin-dependent points.
    pub reach: ReachOptions,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            profile: Profile::Workspace,
            select: Vec::new(),
            disable: Vec::new(),
            severity: BTreeMap::new(),
            exemptions: Vec::new(),
            bundle_complete: false,
            cluster: ClusterFacts::default(),
            rule_settings: RuleSettings::default(),
            reach: ReachOptions::default(),
        }
    }
}

/// Which rules run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// Every rule; cross-object rules see the whole bundle.
    Workspace,
    /// Only single-object rules, and no allocator pre-checks: what an admission webhook
    /// decides, without a cache, on an object the API server has already allocated for.
    Admission,
}

/// A severity, or `off`. An unquoted `off` in a YAML options file is the boolean `false` to
/// the YAML 1.1 reader (as kubectl reads it); it is taken as `off`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SeverityLevel {
    /// Error.
    Error,
    /// Warning.
    Warning,
    /// Info.
    Info,
    /// Not reported.
    Off,
}

impl<'de> Deserialize<'de> for SeverityLevel {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Level;
        impl serde::de::Visitor<'_> for Level {
            type Value = SeverityLevel;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("error, warning, info or off")
            }
            fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<SeverityLevel, E> {
                match name {
                    "error" => Ok(SeverityLevel::Error),
                    "warning" => Ok(SeverityLevel::Warning),
                    "info" => Ok(SeverityLevel::Info),
                    "off" => Ok(SeverityLevel::Off),
                    other => Err(E::custom(format_args!(
                        "unknown severity `{other}`, expected error, warning, info or off"
                    ))),
                }
            }
            fn visit_bool<E: serde::de::Error>(self, on: bool) -> Result<SeverityLevel, E> {
                if on {
                    Err(E::custom(
                        "expected error, warning, info or off, found a boolean",
                    ))
                } else {
                    Ok(SeverityLevel::Off)
                }
            }
        }
        deserializer.deserialize_any(Level)
    }
}

impl SeverityLevel {
    /// The severity, or `None` for `off`.
    pub fn severity(self) -> Option<Severity> {
        match self {
            SeverityLevel::Error => Some(Severity::Error),
            SeverityLevel::Warning => Some(Severity::Warning),
            SeverityLevel::Info => Some(Severity::Info),
            SeverityLevel::Off => None,
        }
    }
}

/// Rules that do not apply to some objects.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct Exemption {
    /// Rules (codes, names or categories); empty means every lint rule.
    #[serde(default)]
    pub rules: Vec<String>,
    /// Only objects of this namespace.
    #[serde(default)]
    pub namespace: Option<String>,
    /// Only objects of this kind.
    #[serde(default)]
    pub kind: Option<String>,
    /// Only the object with this name.
    #[serde(default)]
    pub name: Option<String>,
    /// Only objects whose `metadata.labels` match this label selector (kubectl `-l` syntax:
    /// `app=x,tier!=db`, `env in (dev,test)`, `!legacy`).
    #[serde(default)]
    pub selector: Option<String>,
    /// Why (required: an exemption nobody can explain is a finding waiting to happen).
    pub reason: String,
}

/// What some rules accept or look for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "snake_case", deny_unknown_fields)]
pub struct RuleSettings {
    /// Domains ExternalName Services may point into: a domain covers itself and its
    /// subdomains (`example.com` allows `db.example.com`). `service-uses-external-name` does
    /// not report these targets.
    pub external_name_domains: Vec<String>,
    /// The Ingress classes the cluster serves. When not empty, `ingress-class-not-allowed`
    /// reports an Ingress naming any other class.
    pub ingress_classes: Vec<String>,
    /// Administration interfaces that must not be reachable from outside the cluster. Setting
    /// it replaces the built-in list (Kubernetes Dashboard, Helm Tiller, Argo CD and Argo
    /// Workflows servers, Jupyter, Kubeflow, Portainer, Weave Scope; see `netward schema`).
    pub admin_interfaces: Vec<AdminInterface>,
}

impl Default for RuleSettings {
    fn default() -> Self {
        Self {
            external_name_domains: Vec::new(),
            ingress_classes: Vec::new(),
            admin_interfaces: crate::rules::admin_interface::built_in(),
        }
    }
}

/// An administration interface and how to recognise it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub struct AdminInterface {
    /// What it is, for messages (`Kubernetes Dashboard`).
    pub name: String,
    /// Names that identify it: a Service's name, or the value of an `app`,
    /// `app.kubernetes.io/name`, `k8s-app` or `name` label of the Service, its selector or
    /// its pods.
    #[serde(default)]
    pub names: Vec<String>,
    /// Container image repositories that identify its pods (`kubernetesui/dashboard`; the
    /// registry host, tag and digest are ignored).
    #[serde(default)]
    pub images: Vec<String>,
}

/// What netward cannot see in manifests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "snake_case", deny_unknown_fields)]
pub struct ClusterFacts {
    /// The API server's `--service-node-port-range`.
    pub node_port_range: NodePortRange,
    /// Feature gate `StrictIPCIDRValidation` (on from 1.36).
    pub strict_ip_cidr_validation: bool,
    /// Feature gate `RelaxedServiceNameValidation`.
    pub relaxed_service_name_validation: bool,
    /// Feature gate `PreferSameTrafficDistribution` (on from 1.34).
    pub prefer_same_traffic_distribution: bool,
    /// Pod network CIDRs.
    pub pod_cidrs: Vec<String>,
    /// Service (ClusterIP) CIDRs.
    pub service_cidrs: Vec<String>,
    /// Cloud instance-metadata addresses pods must not reach.
    pub metadata_addresses: Vec<String>,
    /// Where cluster DNS runs: its namespace and the labels of its pods.
    pub dns: DnsServer,
}

impl Default for ClusterFacts {
    fn default() -> Self {
        Self {
            node_port_range: NodePortRange::default(),
            strict_ip_cidr_validation: false,
            relaxed_service_name_validation: false,
            prefer_same_traffic_distribution: true,
            pod_cidrs: Vec::new(),
            service_cidrs: Vec::new(),
            metadata_addresses: [
                "169.254.169.254",
                "fd00:ec2::254",
                "100.100.100.200",
                "169.254.170.2",
            ]
            .map(str::to_owned)
            .to_vec(),
            dns: DnsServer::default(),
        }
    }
}

/// The cluster DNS pods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default, rename_all = "snake_case", deny_unknown_fields)]
pub struct DnsServer {
    /// Namespace (kube-system).
    pub namespace: String,
    /// Pod labels (k8s-app: kube-dns).
    pub pod_labels: BTreeMap<String, String>,
}

impl Default for DnsServer {
    fn default() -> Self {
        Self {
            namespace: "kube-system".to_owned(),
            pod_labels: crate::sort::map([("k8s-app".to_owned(), "kube-dns".to_owned())]),
        }
    }
}

impl Options {
    /// The validation switches these options imply. The admission profile leaves out the
    /// allocator's pre-checks: a validating webhook sees the object after the API server's own
    /// allocators have assigned (and range-checked) its node ports and addresses.
    pub fn validation_profile(&self) -> ValidationProfile {
        ValidationProfile {
            strict_ip_cidr_validation: self.cluster.strict_ip_cidr_validation,
            relaxed_service_name_validation: self.cluster.relaxed_service_name_validation,
            prefer_same_traffic_distribution: self.cluster.prefer_same_traffic_distribution,
            node_port_range: self.cluster.node_port_range,
            allocator_checks: self.profile == Profile::Workspace,
            ..ValidationProfile::default()
        }
    }

    /// Reads options from a YAML or JSON document (`name` is used in messages).
    pub fn parse(name: &str, text: &str) -> Result<Options, String> {
        use crate::source::{FileId, LoadLimits, PositionEncoding, SourceFile, Span};
        let file = SourceFile::load(FileId(0), name, text.as_bytes(), &LoadLimits::default());
        let located = |span: Span, what: &str, message: &str| {
            let at = file.position(span.start as usize, PositionEncoding::Utf32);
            format!("{name}:{}:{}: {what}{message}", at.line + 1, at.column + 1)
        };
        if let Some(problem) = file.problems.first() {
            return Err(located(problem.span, "", &problem.message));
        }
        let options: Options = match file.documents.first() {
            Some(document) if !document.root.is_null() => crate::source::from_node(&document.root)
                .map_err(|e| {
                    located(e.span.unwrap_or_default(), "invalid options: ", &e.message)
                })?,
            _ => Options::default(),
        };
        options
            .check()
            .map_err(|e| format!("{name}: invalid options: {e}"))?;
        Ok(options)
    }

    /// What serde cannot check: every exemption's label selector parses.
    pub fn check(&self) -> Result<(), String> {
        for (i, exemption) in self.exemptions.iter().enumerate() {
            if let Some(selector) = &exemption.selector {
                crate::selector::parse(selector)
                    .map_err(|e| format!("exemptions[{i}].selector: {e}"))?;
            }
        }
        Ok(())
    }

    /// The JSON Schema of the options.
    pub fn json_schema() -> serde_json::Value {
        serde_json::to_value(schemars::schema_for!(Options)).unwrap_or_default()
    }
}
