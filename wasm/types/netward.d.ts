// Generated from the Rust types by
// `UPDATE_TYPES=1 cargo test -p netward-wasm --features typescript --test typescript`.
// Do not edit by hand.

/** How columns and offsets are counted. */
export type PositionEncoding = "utf-8" | "utf-16" | "utf-32";

export type Severity = "error" | "warning" | "info";

export type Category = "api" | "correctness" | "security" | "suspicious" | "style";

export type Scope = "object" | "manifest" | "workspace";

export type ObjectRef = { 
/**
 * `apiVersion`.
 */
apiVersion: string, 
/**
 * `kind`.
 */
kind: string, 
/**
 * `metadata.namespace`, if given.
 */
namespace: string | null, 
/**
 * `metadata.name` (or `generateName`), if given.
 */
name: string | null, };

export type LineColumn = { 
/**
 * Line.
 */
line: number, 
/**
 * Column.
 */
column: number, };

export type Range = { 
/**
 * Start.
 */
start: LineColumn, 
/**
 * End (exclusive).
 */
end: LineColumn, };

export type RelatedLocation = { 
/**
 * File name.
 */
file: string, 
/**
 * Range.
 */
range: Range, 
/**
 * What is there.
 */
message: string, };

export type ReportedEdit = { 
/**
 * File name.
 */
file: string, 
/**
 * The range to replace.
 */
range: Range, 
/**
 * The new text.
 */
new_text: string, };

export type ReportedFix = { 
/**
 * What it does.
 */
title: string, 
/**
 * The edits.
 */
edits: Array<ReportedEdit>, };

export type Diagnostic = { 
/**
 * Stable code.
 */
code: string, 
/**
 * Rule name.
 */
rule: string, 
/**
 * Category.
 */
category: Category, 
/**
 * Severity.
 */
severity: Severity, 
/**
 * Message.
 */
message: string, 
/**
 * File name.
 */
file: string, 
/**
 * Range.
 */
range: Range, 
/**
 * The object.
 */
object: ObjectRef | null, 
/**
 * Kubernetes field path.
 */
path: string | null, 
/**
 * What to do.
 */
help?: string, 
/**
 * Secondary locations.
 */
related?: Array<RelatedLocation>, 
/**
 * A mechanical fix.
 */
fix?: ReportedFix, };

export type RuleInfo = { 
/**
 * Stable code.
 */
code: string, 
/**
 * Kebab-case name.
 */
name: string, 
/**
 * Category.
 */
category: Category, 
/**
 * Default severity.
 */
severity: Severity, 
/**
 * What it needs; `None` for the loader's and the API server's fixed checks.
 */
scope: Scope | null, 
/**
 * Whether it can offer a mechanical fix.
 */
fix: boolean, 
/**
 * One-line summary.
 */
summary: string, 
/**
 * The Markdown page, when asked for. Never from the WASM engine, which leaves the pages
 * out to stay small: its package ships them in `netward_rule_docs.json`, by code.
 */
docs?: string, };

export type SelectorMatch = { 
/**
 * The object holding the selector.
 */
object: ObjectRef, 
/**
 * The selector's field (`spec.selector`, `spec.podSelector`, `spec.ingress[0].from[1]`).
 */
field: string, 
/**
 * Where the selector is written.
 */
range: Range, 
/**
 * The selector in kubectl's `-l` form (`{}` selects everything).
 */
selector: string, 
/**
 * Every pod matched: `ns/pod`, or `ns/kind/name` for a workload's pods.
 */
pods: Array<string>, 
/**
 * The workloads among them (`ns/deployment/web`).
 */
workloads: Array<string>, 
/**
 * In a sentence: "matches 3 pods: ...".
 */
summary: string, };

export type PortRoute = { 
/**
 * `80/TCP (http)`.
 */
port: string, 
/**
 * The target as written (`8080`, `http`), or the port when `targetPort` is absent.
 */
target_port: string, 
/**
 * Where it arrives: `deployment/web port 8080 (http)`.
 */
backends: Array<string>, 
/**
 * The selected pods it cannot reach, and why: `deployment/web: no TCP container port
 * named "http"`.
 */
unreachable: Array<string>, };

export type ServiceRoutes = { 
/**
 * `ns/name`.
 */
service: string, 
/**
 * In a sentence: "routes to deployment/web port 8080".
 */
summary: string, 
/**
 * One entry per `spec.ports` entry.
 */
routes: Array<PortRoute>, };

export type ReachQuery = { 
/**
 * Source; every pod when absent.
 */
from?: string, 
/**
 * Destination; every pod when absent.
 */
to?: string, 
/**
 * Only flows allowing this destination port.
 */
port?: number, 
/**
 * `TCP` (the default), `UDP` or `SCTP`; used with `port`.
 */
protocol?: string, };

export type Flow = { 
/**
 * Source name.
 */
from: string, 
/**
 * Destination name.
 */
to: string, 
/**
 * What is allowed, as `netward reach` writes it (`TCP 80`, `TCP 80,443; UDP 53`).
 */
ports: string, };

export type ReachAnswer = { 
/**
 * The allowed flows.
 */
flows: Array<Flow>, 
/**
 * What the manifests left out or the evaluation assumed.
 */
notes: Array<string>, };

export type ExplainQuery = { 
/**
 * Source.
 */
from: string, 
/**
 * Destination.
 */
to: string, 
/**
 * Destination port.
 */
port: number, 
/**
 * `TCP` (the default), `UDP` or `SCTP`.
 */
protocol?: string, };

export type Protocol = "TCP" | "UDP" | "SCTP";

export type Place = { 
/**
 * File name.
 */
file: string, 
/**
 * Range.
 */
range: Range, };

export type EndpointReport = { 
/**
 * `ns/pod`, `ns/kind/name`, or the address.
 */
name: string, 
/**
 * `pod`, `node` (a host-network pod), or `external`.
 */
kind: string, 
/**
 * The address used, when known.
 */
address?: string, };

export type PolicyReport = { 
/**
 * `ns/name`.
 */
policy: string, 
/**
 * Effective policy types.
 */
policy_types: Array<string>, 
/**
 * `policyTypes` is not written; the API server's default applies.
 */
policy_types_defaulted: boolean, 
/**
 * Where the policy is.
 */
place: Place, };

export type RuleReport = { 
/**
 * `ns/name` of the policy.
 */
policy: string, 
/**
 * `ingress[0]` / `egress[1]`.
 */
rule: string, 
/**
 * The matching peer entry (`ingress[0].from[1]`), if the rule lists peers.
 */
peer?: string, 
/**
 * The matching port entry (`ingress[0].ports[0]`), if the rule lists ports.
 */
port?: string, 
/**
 * Where the rule is.
 */
place: Place, 
/**
 * Where the matching peer entry is, if the rule lists peers.
 */
peer_place?: Place, 
/**
 * Where the matching port entry is, if the rule lists ports.
 */
port_place?: Place, };

export type MissReport = { 
/**
 * `ns/name` of the policy.
 */
policy: string, 
/**
 * `ingress[0]`; absent for a policy with no rules in this direction.
 */
rule?: string, 
/**
 * Why.
 */
reason: string, 
/**
 * Where the rule (or the policy) is.
 */
place: Place, };

export type SideReport = { 
/**
 * `allowed`, `denied`, `not-isolated`, `not-evaluated`, `own-node`.
 */
verdict: string, 
/**
 * In a sentence.
 */
detail: string, 
/**
 * Policies isolating the pod in this direction.
 */
isolated_by?: Array<PolicyReport>, 
/**
 * Rules that allowed it.
 */
allowed_by?: Array<RuleReport>, 
/**
 * Why each rule did not.
 */
denied_because?: Array<MissReport>, };

export type Explanation = { 
/**
 * Source.
 */
from: EndpointReport, 
/**
 * Destination.
 */
to: EndpointReport, 
/**
 * Protocol.
 */
protocol: Protocol, 
/**
 * Destination port.
 */
port: number, 
/**
 * The verdict.
 */
allowed: boolean, 
/**
 * The source's egress side.
 */
egress: SideReport, 
/**
 * The destination's ingress side.
 */
ingress: SideReport, 
/**
 * Caveats (self traffic, plugin-dependent behaviour).
 */
notes?: Array<string>, };

export type NamespaceView = { 
/**
 * Name.
 */
name: string, 
/**
 * Labels (with `kubernetes.io/metadata.name`, as the API server sets it).
 */
labels: { [key in string]: string }, };

export type PortView = { 
/**
 * `name`, when the port has one.
 */
name: string | null, 
/**
 * `containerPort`.
 */
port: number, 
/**
 * Protocol.
 */
protocol: Protocol, };

export type PodView = { 
/**
 * The name to use as a reach endpoint: `ns/pod` or `ns/deployment/web`.
 */
name: string, 
/**
 * Namespace.
 */
namespace: string, 
/**
 * The workload kind (`Deployment`, ...), or `None` for a Pod.
 */
workload: string | null, 
/**
 * Labels.
 */
labels: { [key in string]: string }, 
/**
 * Container ports.
 */
ports: Array<PortView>, 
/**
 * The file of its manifest.
 */
file: string, 
/**
 * Where its manifest is.
 */
range: Range, };

export type PolicyView = { 
/**
 * `ns/name`.
 */
name: string, 
/**
 * The file of its manifest.
 */
file: string, 
/**
 * Where its manifest is.
 */
range: Range, };

export type ClusterView = { 
/**
 * Namespaces: declared, or implied by the pods and policies in them.
 */
namespaces: Array<NamespaceView>, 
/**
 * Pods and workloads.
 */
pods: Array<PodView>, 
/**
 * NetworkPolicies.
 */
policies: Array<PolicyView>, };

export type Mode = "enforce" | "warn" | "audit";

export type Decision = "skipped" | "allowed" | "warned" | "denied" | "audited";

export type Finding = { 
/**
 * The rule's code.
 */
code: string, 
/**
 * The rule's name.
 */
name: string, 
/**
 * The severity after the options' overrides.
 */
severity: Severity, 
/**
 * The Kubernetes field path (`spec.ports[0].targetPort`).
 */
path: string, 
/**
 * What is wrong.
 */
message: string, 
/**
 * What to do, when the rule says.
 */
remedy: string | null, 
/**
 * On UPDATE: the old object had the same finding, so it does not deny.
 */
unchanged: boolean, };

export type Denial = { 
/**
 * HTTP status code: 403.
 */
code: number, 
/**
 * `Forbidden`.
 */
reason: string, 
/**
 * Every blocking finding with what to do, on one line.
 */
message: string, };

export type Outcome = { 
/**
 * The decision.
 */
decision: Decision, 
/**
 * `response.allowed`.
 */
allowed: boolean, 
/**
 * `response.status` of a denial.
 */
denial: Denial | null, 
/**
 * `response.warnings`, each within [`MAX_WARNING_BYTES`], all within
 * [`MAX_WARNINGS_BYTES`].
 */
warnings: Array<string>, 
/**
 * `response.auditAnnotations` (empty when there is no finding).
 */
audit_annotations: { [key in string]: string }, };

export type ObjectAnswer = { 
/**
 * The object.
 */
object: ObjectRef, 
/**
 * The file it is in.
 */
file: string, 
/**
 * Where it is written.
 */
range: Range, 
/**
 * The error and warning findings behind it.
 */
findings: Array<Finding>, 
/**
 * The decision.
 */
decision: Decision, 
/**
 * `response.allowed`.
 */
allowed: boolean, 
/**
 * `response.status` of a denial.
 */
denial: Denial | null, 
/**
 * `response.warnings`, each within [`MAX_WARNING_BYTES`], all within
 * [`MAX_WARNINGS_BYTES`].
 */
warnings: Array<string>, 
/**
 * `response.auditAnnotations` (empty when there is no finding).
 */
audit_annotations: { [key in string]: string }, };
