//! WebAssembly bindings over netward-core: one [`Engine`] holding a workspace of files and the
//! options, answering the editor's and the playground's questions. Every failure is an
//! `Error` value for JavaScript, never a panic; the answers are plain objects whose
//! TypeScript types (`types/netward.d.ts`) are generated from the Rust types.
#![forbid(unsafe_code)]

mod answers;

use netward_core::admission::{self, Mode};
use netward_core::diagnostic::Diagnostic;
use netward_core::inspect::Inspector;
use netward_core::netpol::{
    Cluster, Connection, Endpoint, Evaluator, Explainer, Protocol, ReachOptions,
};
use netward_core::options::Options;
use netward_core::report::{PositionStyle, ReportedDiagnostic};
use netward_core::rules::RuleInfo;
use netward_core::source::FileId;
use netward_core::{LoadLimits, PositionEncoding, Workspace};
use serde::Serialize;
use wasm_bindgen::prelude::*;

pub use answers::{ExplainQuery, Flow, ReachAnswer, ReachQuery};

/// `docs/options.schema.json`.
const OPTIONS_SCHEMA: &str = include_str!("../../docs/options.schema.json");

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("../types/netward.d.ts");

/// A workspace of manifest files and the options they are checked with.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Engine {
    workspace: Workspace,
    options: Options,
    style: PositionStyle,
    /// The findings of the whole workspace, until a file or the options change.
    findings: Option<Vec<Diagnostic>>,
    /// The cluster the files describe, until a file or the options change (hovers ask often).
    cluster: Option<Cluster>,
}

#[wasm_bindgen]
impl Engine {
    /// An empty workspace. `options` is the text of a netward options file (YAML or JSON;
    /// empty for the defaults); `positionEncoding` is `utf-16` (editors, browsers), `utf-8`
    /// or `utf-32`. Positions are 0-based.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "string")] options: JsValue,
        #[wasm_bindgen(js_name = positionEncoding, unchecked_param_type = "PositionEncoding")]
        position_encoding: JsValue,
    ) -> Result<Engine, JsError> {
        let encoding = match text(&position_encoding, "positionEncoding")?.as_str() {
            "utf-8" => PositionEncoding::Utf8,
            "utf-16" => PositionEncoding::Utf16,
            "utf-32" => PositionEncoding::Utf32,
            other => {
                return Err(JsError::new(&format!(
                    "position encoding {other:?} is not utf-8, utf-16 or utf-32"
                )))
            }
        };
        Ok(Engine {
            workspace: Workspace::new(LoadLimits::default()),
            options: parse_options(&text(&options, "options")?)?,
            style: PositionStyle {
                encoding,
                one_based: false,
            },
            findings: None,
            cluster: None,
        })
    }

    /// Replaces the options; on an error the old options stay in force.
    #[wasm_bindgen(js_name = setOptions)]
    pub fn set_options(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] options: JsValue,
    ) -> Result<(), JsError> {
        self.options = parse_options(&text(&options, "options")?)?;
        self.changed();
        Ok(())
    }

    /// Adds the file `uri`, or replaces its text.
    #[wasm_bindgen(js_name = setFile)]
    pub fn set_file(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] uri: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string")] contents: JsValue,
    ) -> Result<(), JsError> {
        let uri = text(&uri, "uri")?;
        self.workspace
            .set_file(&uri, text(&contents, "text")?.as_bytes());
        self.changed();
        Ok(())
    }

    /// Removes the file `uri`; false when there was none.
    #[wasm_bindgen(js_name = removeFile)]
    pub fn remove_file(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] uri: JsValue,
    ) -> Result<bool, JsError> {
        let removed = self.workspace.remove_file(&text(&uri, "uri")?);
        if removed {
            self.changed();
        }
        Ok(removed)
    }

    /// The files of the workspace.
    pub fn files(&self) -> Vec<String> {
        self.workspace
            .files()
            .iter()
            .map(|f| f.name.clone())
            .collect()
    }

    /// The findings located in `uri` (their related locations may be in other files), sorted
    /// by position; none for an unknown file.
    #[wasm_bindgen(unchecked_return_type = "Diagnostic[]")]
    pub fn lint(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] uri: JsValue,
    ) -> Result<JsValue, JsError> {
        let file = self.workspace.file_named(&text(&uri, "uri")?).map(|f| f.id);
        let reported = self.report(|d| Some(d.file) == file);
        to_js(&reported)
    }

    /// The findings of every file, by file and position.
    #[wasm_bindgen(js_name = lintAll, unchecked_return_type = "Diagnostic[]")]
    pub fn lint_all(&mut self) -> Result<JsValue, JsError> {
        let reported = self.report(|_| true);
        to_js(&reported)
    }

    /// The label selector at `offset` of `uri` (in code units of the position encoding) and
    /// the pods it matches; null when the cursor is on no selector.
    #[wasm_bindgen(js_name = selectedPods, unchecked_return_type = "SelectorMatch | null")]
    pub fn selected_pods(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] uri: JsValue,
        offset: f64,
    ) -> Result<JsValue, JsError> {
        self.inspect(&uri, offset, |inspector, file, at| {
            inspector.selector_at(file, at)
        })
    }

    /// The Service whose manifest holds `offset` of `uri`, and where its ports route; null
    /// when the cursor is not in a Service.
    #[wasm_bindgen(js_name = serviceAt, unchecked_return_type = "ServiceRoutes | null")]
    pub fn service_at(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] uri: JsValue,
        offset: f64,
    ) -> Result<JsValue, JsError> {
        self.inspect(&uri, offset, |inspector, file, at| {
            inspector.service_at(file, at)
        })
    }

    /// The pod or workload whose manifest holds `offset` of `uri`, as a reach endpoint
    /// (`ns/pod`, `ns/deployment/web`); null when the cursor is not in one.
    #[wasm_bindgen(js_name = endpointAt, unchecked_return_type = "string | null")]
    pub fn endpoint_at(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "string")] uri: JsValue,
        offset: f64,
    ) -> Result<JsValue, JsError> {
        self.inspect(&uri, offset, |inspector, file, at| {
            inspector.endpoint_at(file, at)
        })
    }

    /// The allowed flows: between `from` and `to`, from one endpoint, to one, or between
    /// every pair of pods; with `port`, only flows allowing it.
    #[wasm_bindgen(unchecked_return_type = "ReachAnswer")]
    pub fn reach(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "ReachQuery")] query: JsValue,
    ) -> Result<JsValue, JsError> {
        let object = query_object(&query, ReachQuery::FIELDS)?;
        let query = ReachQuery {
            from: query_text(object, "from")?,
            to: query_text(object, "to")?,
            port: query_port(object)?,
            protocol: query_text(object, "protocol")?,
        };
        let protocol = protocol(query.protocol.as_deref())?;
        let port = query.port.map(|p| (protocol, p));
        let (cluster, _, options) = self.snapshot();
        let from = query
            .from
            .as_deref()
            .map(|e| endpoint(cluster, e))
            .transpose()?;
        let to = query
            .to
            .as_deref()
            .map(|e| endpoint(cluster, e))
            .transpose()?;
        let evaluator = Evaluator::compile(cluster, options);
        let flows = evaluator.flows(from, to, port);
        to_js(&ReachAnswer::new(&evaluator, &flows, port))
    }

    /// Whether one connection is allowed, with the policies and rules that decide it.
    #[wasm_bindgen(unchecked_return_type = "Explanation")]
    pub fn explain(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "ExplainQuery")] query: JsValue,
    ) -> Result<JsValue, JsError> {
        let object = query_object(&query, ExplainQuery::FIELDS)?;
        let query = ExplainQuery {
            from: required(query_text(object, "from")?, "from")?,
            to: required(query_text(object, "to")?, "to")?,
            port: required(query_port(object)?, "port")?,
            protocol: query_text(object, "protocol")?,
        };
        let protocol = protocol(query.protocol.as_deref())?;
        let style = self.style;
        let (cluster, workspace, options) = self.snapshot();
        let connection = Connection {
            from: endpoint(cluster, &query.from)?,
            to: endpoint(cluster, &query.to)?,
            protocol,
            port: query.port,
        };
        let evaluator = Evaluator::compile(cluster, options);
        let verdict = evaluator.check(&connection);
        let explanation =
            Explainer::new(&evaluator, workspace, style).explain(&connection, &verdict);
        to_js(&explanation)
    }

    /// The namespaces, pods/workloads and NetworkPolicies the manifests describe.
    #[wasm_bindgen(unchecked_return_type = "ClusterView")]
    pub fn cluster(&mut self) -> Result<JsValue, JsError> {
        let style = self.style;
        let (cluster, workspace, options) = self.snapshot();
        let evaluator = Evaluator::compile(cluster, options);
        to_js(&Inspector::new(workspace, &evaluator, style).cluster_view())
    }

    /// What `netward serve` would answer, in `mode` (`enforce`, `warn` or `audit`), to a
    /// CREATE of each Service, NetworkPolicy and Ingress of `uri`.
    #[wasm_bindgen(unchecked_return_type = "ObjectAnswer[]")]
    pub fn admission(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] uri: JsValue,
        #[wasm_bindgen(unchecked_param_type = "Mode")] mode: JsValue,
    ) -> Result<JsValue, JsError> {
        let uri = text(&uri, "uri")?;
        let mode = match text(&mode, "mode")?.as_str() {
            "enforce" => Mode::Enforce,
            "warn" => Mode::Warn,
            "audit" => Mode::Audit,
            other => {
                return Err(JsError::new(&format!(
                    "mode {other:?} is not enforce, warn or audit"
                )))
            }
        };
        let answers = match self.workspace.file_named(&uri) {
            Some(file) => {
                admission::answers(&self.workspace, file.id, &self.options, mode, self.style)
            }
            None => Vec::new(),
        };
        to_js(&answers)
    }

    /// Every code netward reports, with its documentation.
    #[wasm_bindgen(unchecked_return_type = "RuleInfo[]")]
    pub fn rules(&self) -> Result<JsValue, JsError> {
        to_js(&RuleInfo::catalogue())
    }

    /// The JSON Schema of the options file.
    #[wasm_bindgen(unchecked_return_type = "Record<string, unknown>")]
    pub fn schema(&self) -> Result<JsValue, JsError> {
        // The checked-in copy (a core test keeps it equal to `Options::json_schema()`): the
        // schema generator would add ~70 KB to the module for one constant answer.
        parse_json(OPTIONS_SCHEMA)
    }

    /// The engine's version.
    pub fn version(&self) -> String {
        netward_core::VERSION.to_owned()
    }
}

impl Engine {
    /// The workspace's findings (checked once per change) that `keep` selects, located.
    fn report(&mut self, keep: impl Fn(&Diagnostic) -> bool) -> Vec<ReportedDiagnostic> {
        let findings = self
            .findings
            .get_or_insert_with(|| netward_core::lint::check(&self.workspace, &self.options));
        findings
            .iter()
            .filter(|d| keep(d))
            .map(|d| ReportedDiagnostic::new(&self.workspace, d, self.style))
            .collect()
    }

    /// The cluster the files describe (built once per change), with the workspace and the
    /// reach options, borrowed together.
    fn snapshot(&mut self) -> (&Cluster, &Workspace, &ReachOptions) {
        let (workspace, options) = (&self.workspace, &self.options.reach);
        let cluster = self
            .cluster
            .get_or_insert_with(|| Cluster::from_workspace(workspace, options));
        (cluster, workspace, options)
    }

    /// Forgets what was derived from the files and options.
    fn changed(&mut self) {
        self.findings = None;
        self.cluster = None;
    }

    /// Asks `question` about the character at `offset` (code units of the position encoding)
    /// of `uri`; null for an unknown file.
    fn inspect<T: Serialize>(
        &mut self,
        uri: &JsValue,
        offset: f64,
        question: impl FnOnce(&Inspector<'_, '_>, FileId, usize) -> Option<T>,
    ) -> Result<JsValue, JsError> {
        let uri = text(uri, "uri")?;
        if !(offset.is_finite() && offset >= 0.0 && offset.fract() == 0.0) {
            // The number is not repeated: formatting a float would add 14 KB to the module.
            return Err(JsError::new(
                "the offset is not a non-negative whole number",
            ));
        }
        // Saturating: an offset past the end of the text means its end.
        let offset = offset as usize;
        let style = self.style;
        let (cluster, workspace, options) = self.snapshot();
        let Some(file) = workspace.file_named(&uri) else {
            return Ok(JsValue::NULL);
        };
        let at = file.byte_offset(offset, style.encoding);
        let evaluator = Evaluator::compile(cluster, options);
        let inspector = Inspector::new(workspace, &evaluator, style);
        to_js(&question(&inspector, file.id, at))
    }
}

fn parse_options(text: &str) -> Result<Options, JsError> {
    if text.trim().is_empty() {
        return Ok(Options::default());
    }
    Options::parse("options", text).map_err(|e| JsError::new(&e))
}

fn protocol(text: Option<&str>) -> Result<Protocol, JsError> {
    match text {
        None => Ok(Protocol::Tcp),
        Some(text) => Protocol::parse(text)
            .ok_or_else(|| JsError::new(&format!("{text:?} is not TCP, UDP or SCTP"))),
    }
}

fn endpoint(cluster: &Cluster, text: &str) -> Result<Endpoint, JsError> {
    if let Some(pod) = cluster.find_pod(text) {
        return Ok(Endpoint::Pod(pod));
    }
    text.parse().map(Endpoint::External).map_err(|_| {
        JsError::new(&format!(
            "no pod or workload {text:?} in the workspace (write NS/POD, NS/KIND/NAME or an IP address)"
        ))
    })
}

/// A Rust value as a plain JavaScript object (maps as objects, `None` as null), through JSON
/// text: the serde_json serializer is in the module anyway (options, admission answers), and
/// one `JSON.parse` is cheaper than building the object field by field across the boundary.
fn to_js(value: &impl Serialize) -> Result<JsValue, JsError> {
    let text = serde_json::to_string(value)
        .map_err(|e| JsError::new(&format!("cannot hand the answer over: {e}")))?;
    parse_json(&text)
}

/// JSON text as a JavaScript value.
fn parse_json(text: &str) -> Result<JsValue, JsError> {
    js_sys::JSON::parse(text).map_err(|_| JsError::new("cannot hand the answer over: bad JSON"))
}

/// A query object, checked: a field the query does not know is an error (a misspelt `from`
/// would otherwise widen the question to every pod). Its fields are read one by one, not
/// through serde: the JSON text deserializer would be in the module for the queries alone.
/// Only reflection that turns JavaScript exceptions into errors is used (`Reflect`), so a
/// throwing proxy or getter cannot unwind through the engine while it is borrowed.
fn query_object<'v>(value: &'v JsValue, fields: &[&str]) -> Result<&'v js_sys::Object, JsError> {
    let Some(object) = value.dyn_ref::<js_sys::Object>() else {
        return Err(JsError::new("bad query: not an object"));
    };
    let keys = js_sys::Reflect::own_keys(object)
        .map_err(|_| JsError::new("bad query: its fields cannot be listed"))?;
    for key in keys.iter() {
        let key = key.as_string().unwrap_or_default();
        if !fields.contains(&key.as_str()) {
            return Err(JsError::new(&format!(
                "bad query: unknown field {key:?}, expected one of {}",
                fields.join(", ")
            )));
        }
    }
    Ok(object)
}

/// A field of a query object; `None` when it is absent or null.
fn query_field(object: &js_sys::Object, name: &str) -> Result<Option<JsValue>, JsError> {
    let value = js_sys::Reflect::get(object, &JsValue::from_str(name))
        .map_err(|_| JsError::new(&format!("bad query: {name} cannot be read")))?;
    Ok(Some(value).filter(|v| !v.is_undefined() && !v.is_null()))
}

/// A text field of a query object.
fn query_text(object: &js_sys::Object, name: &str) -> Result<Option<String>, JsError> {
    query_field(object, name)?
        .map(|v| {
            v.as_string()
                .ok_or_else(|| JsError::new(&format!("bad query: {name} is not a string")))
        })
        .transpose()
}

/// The `port` field of a query object.
fn query_port(object: &js_sys::Object) -> Result<Option<u16>, JsError> {
    query_field(object, "port")?
        .map(|v| {
            v.as_f64()
                .filter(|p| p.fract() == 0.0 && (0.0..=65535.0).contains(p))
                .map(|p| p as u16)
                .ok_or_else(|| JsError::new("bad query: port is not a number from 0 to 65535"))
        })
        .transpose()
}

/// A field a query must have.
fn required<T>(value: Option<T>, name: &str) -> Result<T, JsError> {
    value.ok_or_else(|| JsError::new(&format!("bad query: missing field `{name}`")))
}

/// A string argument; anything else is an error rather than a trap in the glue code.
fn text(value: &JsValue, what: &str) -> Result<String, JsError> {
    value
        .as_string()
        .ok_or_else(|| JsError::new(&format!("{what} must be a string")))
}
