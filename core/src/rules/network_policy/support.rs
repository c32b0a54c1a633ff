//! Helpers the NetworkPolicy rules share: directions and field paths, the cluster ids of
//! decoded policies, objects by location, readable selectors and peers, partial-knowledge
//! selector matching, and edits of YAML block lists.

use std::collections::{BTreeMap, HashMap};

use crate::diagnostic::{Diagnostic, Edit, Label, Severity};
use crate::model::decode::Decoder;
use crate::model::{
    IntOrString, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyRule, NetworkPolicySpec, ObjectMeta,
};
use crate::netpol::cluster::{Location, NamespaceId, PodId, PolicyId};
use crate::netpol::{Direction, NAMESPACE_NAME_LABEL};
use crate::object::ManifestObject;
use crate::path::{FieldPath, Segment};
use crate::rules::{Context, Decoded, LintRule};
use crate::selector::LabelSelector;
use crate::source::{FileId, Node, SourceFile, Span};

/// Both directions, ingress first.
pub(super) const DIRECTIONS: [Direction; 2] = [Direction::Ingress, Direction::Egress];

/// `Ingress` / `Egress`, as `policyTypes` spells it.
pub(super) fn type_name(direction: Direction) -> &'static str {
    match direction {
        Direction::Ingress => "Ingress",
        Direction::Egress => "Egress",
    }
}

/// Whether the direction is an effective policy type of the (defaulted) policy.
pub(super) fn applies(spec: &NetworkPolicySpec, direction: Direction) -> bool {
    let wanted = type_name(direction);
    spec.policy_types.iter().flatten().any(|t| t == wanted)
}

/// The rules of one direction (empty when absent).
pub(super) fn rules(spec: &NetworkPolicySpec, direction: Direction) -> &[NetworkPolicyRule] {
    let rules = match direction {
        Direction::Ingress => spec.ingress.as_deref(),
        Direction::Egress => spec.egress.as_deref(),
    };
    rules.unwrap_or_default()
}

/// The peers of a rule (empty when absent).
pub(super) fn peers(rule: &NetworkPolicyRule) -> &[NetworkPolicyPeer] {
    rule.peers.as_deref().unwrap_or_default()
}

/// `spec.ingress[i]` / `spec.egress[i]`.
pub(super) fn rule_path(direction: Direction, rule: usize) -> FieldPath {
    FieldPath::new(["spec", direction.field()]).index(rule)
}

/// `spec.ingress[i].from[j]` / `spec.egress[i].to[j]`.
pub(super) fn peer_path(direction: Direction, rule: usize, peer: usize) -> FieldPath {
    rule_path(direction, rule)
        .child(direction.peer_field())
        .index(peer)
}

/// `spec.<direction>[i].ports[k]`.
pub(super) fn port_path(direction: Direction, rule: usize, port: usize) -> FieldPath {
    rule_path(direction, rule).child("ports").index(port)
}

/// `ingress[i]` / `egress[i]`, for messages.
pub(super) fn rule_name(direction: Direction, rule: usize) -> String {
    format!("{}[{rule}]", direction.field())
}

/// Whether the policy's `podSelector` is empty (selects every pod of its namespace).
pub(super) fn selects_whole_namespace(spec: &NetworkPolicySpec) -> bool {
    spec.pod_selector
        .as_ref()
        .is_none_or(LabelSelector::is_empty)
}

/// Whether a rule has neither peers nor ports: it allows everything.
pub(super) fn allows_everything(rule: &NetworkPolicyRule) -> bool {
    rule.peers.as_ref().is_none_or(Vec::is_empty) && rule.ports.as_ref().is_none_or(Vec::is_empty)
}

/// The node at a field path of an object's tree.
pub(super) fn node_at<'n>(root: &'n Node, path: &FieldPath) -> Option<&'n Node> {
    let mut node = root;
    for segment in path.segments() {
        node = match segment {
            Segment::Field(name) | Segment::Key(name) => node.get(name)?,
            Segment::Index(i) => node.as_seq()?.get(*i)?,
        };
    }
    Some(node)
}

/// The cluster ids of the policies the API server would accept (a policy replaced by a later
/// one of the same name has none).
pub(super) struct PolicyIds(HashMap<(FileId, Span), PolicyId>);

impl PolicyIds {
    /// Indexes the cluster's policies by where they are written.
    pub(super) fn new(ctx: &Context<'_>) -> Self {
        PolicyIds(
            ctx.cluster
                .policies
                .iter()
                .enumerate()
                .map(|(id, p)| ((p.origin.file, p.origin.span), id))
                .collect(),
        )
    }

    /// The id of a decoded policy.
    pub(super) fn get(&self, policy: &Decoded<'_, NetworkPolicy>) -> Option<PolicyId> {
        self.0
            .get(&(policy.file.id, policy.object.node.span))
            .copied()
    }
}

/// The decoded policies the cluster evaluates, with their ids.
pub(super) fn evaluated<'c, 'a>(
    ctx: &'c Context<'a>,
) -> Vec<(&'c Decoded<'a, NetworkPolicy>, PolicyId)> {
    let ids = PolicyIds::new(ctx);
    ctx.policies
        .iter()
        .filter(|p| p.valid)
        .filter_map(|p| ids.get(p).map(|id| (p, id)))
        .collect()
}

/// Pods on the pod network, per namespace.
pub(super) fn pods_by_namespace(ctx: &Context<'_>) -> Vec<Vec<PodId>> {
    let mut by_namespace = vec![Vec::new(); ctx.cluster.namespaces.len()];
    for (id, pod) in ctx.cluster.pods.iter().enumerate() {
        if ctx.evaluator.on_pod_network(id) {
            if let Some(list) = by_namespace.get_mut(pod.namespace) {
                list.push(id);
            }
        }
    }
    by_namespace
}

/// A rule of an accepted policy, in a direction the policy's types enforce.
#[derive(Clone, Copy)]
pub(super) struct EnforcedRule<'c, 'a> {
    /// The policy.
    pub policy: &'c Decoded<'a, NetworkPolicy>,
    /// `ingress` or `egress`.
    pub direction: Direction,
    /// Index of the rule in its list.
    pub index: usize,
    /// The rule.
    pub rule: &'c NetworkPolicyRule,
}

/// The rule list of each direction every policy the API server would accept enforces (rules
/// of other directions are ignored by Kubernetes).
pub(super) fn enforced_rule_lists<'c, 'a>(
    ctx: &'c Context<'a>,
) -> impl Iterator<
    Item = (
        &'c Decoded<'a, NetworkPolicy>,
        Direction,
        &'c [NetworkPolicyRule],
    ),
> + 'c {
    ctx.policies.iter().filter(|p| p.valid).flat_map(|policy| {
        DIRECTIONS
            .into_iter()
            .filter(move |&direction| applies(&policy.value.spec, direction))
            .map(move |direction| (policy, direction, rules(&policy.value.spec, direction)))
    })
}

/// Every rule of [`enforced_rule_lists`], one by one.
pub(super) fn enforced_rules<'c, 'a>(
    ctx: &'c Context<'a>,
) -> impl Iterator<Item = EnforcedRule<'c, 'a>> + 'c {
    enforced_rule_lists(ctx).flat_map(|(policy, direction, list)| {
        list.iter()
            .enumerate()
            .map(move |(index, rule)| EnforcedRule {
                policy,
                direction,
                index,
                rule,
            })
    })
}

/// A from/to entry of an [`EnforcedRule`].
pub(super) struct EnforcedPeer<'c, 'a> {
    /// The rule holding the entry.
    pub rule: EnforcedRule<'c, 'a>,
    /// Index of the entry in the rule's `from`/`to`.
    pub index: usize,
    /// The entry.
    pub peer: &'c NetworkPolicyPeer,
}

impl EnforcedPeer<'_, '_> {
    /// `spec.<direction>[i].<from|to>[j]`.
    pub fn path(&self) -> FieldPath {
        peer_path(self.rule.direction, self.rule.index, self.index)
    }
}

/// Every from/to entry of [`enforced_rules`], one by one.
pub(super) fn enforced_peers<'c, 'a>(
    ctx: &'c Context<'a>,
) -> impl Iterator<Item = EnforcedPeer<'c, 'a>> + 'c {
    enforced_rules(ctx).flat_map(|rule| {
        peers(rule.rule)
            .iter()
            .enumerate()
            .map(move |(index, peer)| EnforcedPeer { rule, index, peer })
    })
}

/// The id of a namespace by name.
pub(super) fn namespace_id(ctx: &Context<'_>, name: &str) -> Option<NamespaceId> {
    ctx.cluster.namespaces.iter().position(|n| n.name == name)
}

/// Every object of the workspace, by where it is written.
pub(super) struct Objects<'a> {
    by_location: HashMap<(FileId, Span), (&'a SourceFile, ManifestObject<'a>)>,
}

impl<'a> Objects<'a> {
    /// Indexes the workspace's objects.
    pub(super) fn new(ctx: &Context<'a>) -> Self {
        let by_location = ctx
            .objects
            .iter()
            .map(|&(file, object)| ((file.id, object.node.span), (file, object)))
            .collect();
        Objects { by_location }
    }

    /// The object written at `location`.
    pub(super) fn at(&self, location: Location) -> Option<(&'a SourceFile, ManifestObject<'a>)> {
        self.by_location
            .get(&(location.file, location.span))
            .copied()
    }

    /// The object's metadata.
    pub(super) fn meta(&self, location: Location) -> Option<ObjectMeta> {
        let (file, object) = self.at(location)?;
        Some(ObjectMeta::decode(
            object.node,
            &mut Decoder::new(&file.text),
        ))
    }

    /// A finding at `path` of the object written at `location`.
    pub(super) fn report(
        &self,
        lint: &LintRule,
        location: Location,
        path: FieldPath,
        message: impl Into<String>,
    ) -> Diagnostic {
        match self.at(location) {
            Some((file, object)) => {
                Diagnostic::new(lint.rule, file.id, object.node.locate(&path).0, message)
                    .with_object(Some(object.reference()))
                    .with_path(path)
            }
            None => Diagnostic::new(lint.rule, location.file, location.span, message),
        }
    }

    /// A secondary label at `path` of the object written at `location`.
    pub(super) fn label(
        &self,
        location: Location,
        path: &FieldPath,
        message: impl Into<String>,
    ) -> Label {
        let span = self
            .at(location)
            .map_or(location.span, |(_, object)| object.node.locate(path).0);
        Label {
            file: location.file,
            span,
            message: message.into(),
        }
    }
}

/// Error when the bundle is declared complete, the rule's severity otherwise.
pub(super) fn certain(ctx: &Context<'_>, mut diagnostic: Diagnostic) -> Diagnostic {
    if ctx.options.bundle_complete {
        diagnostic.severity = Severity::Error;
    }
    diagnostic
}

/// A selector as `kubectl` writes it (`app=web,tier in (a,b)`), `{}` when empty.
pub(super) fn selector_text(selector: &LabelSelector) -> String {
    if selector.is_empty() {
        return "{}".to_owned();
    }
    selector
        .to_selector()
        .map_or_else(|_| "(invalid)".to_owned(), |s| s.to_string())
}

/// A peer in words: `podSelector app=web`, `namespaceSelector team=ops and podSelector
/// app=x`, `ipBlock 10.0.0.0/8`.
pub(super) fn peer_text(peer: &NetworkPolicyPeer) -> String {
    if let Some(block) = &peer.ip_block {
        return if block.except.is_empty() {
            format!("ipBlock {}", block.cidr)
        } else {
            format!("ipBlock {} except {}", block.cidr, block.except.join(", "))
        };
    }
    match (&peer.namespace_selector, &peer.pod_selector) {
        (Some(ns), Some(pods)) => format!(
            "namespaceSelector {} and podSelector {}",
            selector_text(ns),
            selector_text(pods)
        ),
        (Some(ns), None) => format!("namespaceSelector {}", selector_text(ns)),
        (None, Some(pods)) => format!("podSelector {}", selector_text(pods)),
        (None, None) => "(empty peer)".to_owned(),
    }
}

/// A list of names for a message: `a, b and 3 more`.
pub(super) fn name_list(names: &[String], shown: usize) -> String {
    let mut text = String::new();
    let count = names.len();
    for (i, name) in names.iter().take(shown).enumerate() {
        if i > 0 {
            text.push_str(if i + 1 == count { " and " } else { ", " });
        }
        text.push_str(name);
    }
    if count > shown {
        text.push_str(&format!(" and {} more", count - shown));
    }
    text
}

/// Labels of which only some keys are known (a namespace without a manifest knows only its
/// name label; a pod described by configuration knows only the configured labels).
pub(super) struct PartialLabels<'l> {
    /// The known labels.
    pub(super) labels: &'l BTreeMap<String, String>,
    /// Every label is known.
    pub(super) complete: bool,
}

impl PartialLabels<'_> {
    /// Whether the selector may match: requirements on unknown keys count as satisfied.
    pub(super) fn may_match(&self, selector: &LabelSelector) -> bool {
        if self.complete {
            return selector.matches(self.labels);
        }
        let labels_hold = selector
            .match_labels
            .iter()
            .all(|(key, value)| self.labels.get(key).is_none_or(|v| v == value));
        labels_hold
            && selector.match_expressions.iter().all(|expression| {
                !self.labels.contains_key(&expression.key)
                    || LabelSelector {
                        match_labels: BTreeMap::new(),
                        match_expressions: vec![expression.clone()],
                    }
                    .matches(self.labels)
            })
    }
}

/// Whether a namespace selector only reads the name label the API server sets.
pub(super) fn reads_only_name_label(selector: &LabelSelector) -> bool {
    selector
        .match_labels
        .keys()
        .all(|k| k == NAMESPACE_NAME_LABEL)
        && selector
            .match_expressions
            .iter()
            .all(|e| e.key == NAMESPACE_NAME_LABEL)
}

/// A numeric port entry's range (`port`..`endPort`), or `None` for a named or absent port.
pub(super) fn numeric_range(port: &crate::model::NetworkPolicyPort) -> Option<(i32, i32)> {
    match port.port {
        Some(IntOrString::Int(start)) => Some((start, port.end_port.unwrap_or(start).max(start))),
        _ => None,
    }
}

/// The start and end of the whole lines of a block-sequence item (`- ...` through the end of
/// its last line, newline included), when the item is written alone on its lines.
pub(super) fn item_lines(text: &str, item: &Node) -> Option<Span> {
    let start = item.span.start as usize;
    let end = item.span.end as usize;
    let line_start = text.get(..start)?.rfind('\n').map_or(0, |i| i + 1);
    let prefix = text.get(line_start..start)?.trim_start();
    let after_dash = prefix.strip_prefix('-')?;
    if after_dash.is_empty() || !after_dash.trim().is_empty() {
        return None;
    }
    let rest = text.get(end..)?;
    let line_end = rest.find('\n').map_or(text.len(), |i| end + i);
    let tail = text.get(end..line_end)?.trim();
    if !(tail.is_empty() || tail.starts_with('#')) {
        return None;
    }
    let stop = if line_end < text.len() {
        line_end + 1
    } else {
        line_end
    };
    Some(Span::new(line_start, stop))
}

/// An edit deleting a block-sequence item (its whole lines).
pub(super) fn delete_item(file: &SourceFile, item: &Node) -> Option<Edit> {
    let span = item_lines(&file.text, item)?;
    Some(Edit {
        file: file.id,
        span,
        replacement: String::new(),
    })
}

/// An edit inserting a new block-sequence item after `item`, indented like it. `lines` are
/// the new item's lines relative to its content column (the first follows the dash).
pub(super) fn insert_item_after(file: &SourceFile, item: &Node, lines: &[String]) -> Option<Edit> {
    let text = &file.text;
    let span = item_lines(text, item)?;
    let line = text.get(span.start as usize..item.span.start as usize)?;
    let dash = line.find('-')?;
    let content = line.len();
    let mut new = String::new();
    if span.end as usize == text.len() && !text.ends_with('\n') {
        new.push('\n');
    }
    for (i, body) in lines.iter().enumerate() {
        if i == 0 {
            new.push_str(&" ".repeat(dash));
            new.push('-');
            new.push_str(&" ".repeat(content.saturating_sub(dash + 1).max(1)));
        } else {
            new.push_str(&" ".repeat(content));
        }
        new.push_str(body);
        new.push('\n');
    }
    Some(Edit {
        file: file.id,
        span: Span::at(span.end as usize),
        replacement: new,
    })
}

/// The ports of a rule in words: `every port`, `TCP 443, UDP 53`, `TCP 8000-8080`, `TCP http`.
pub(super) fn ports_text(rule: &NetworkPolicyRule) -> String {
    let entries = rule.ports.as_deref().unwrap_or_default();
    if entries.is_empty() {
        return "every port".to_owned();
    }
    let texts: Vec<String> = entries
        .iter()
        .map(|p| {
            let protocol = p.protocol.as_deref().unwrap_or("TCP");
            match (&p.port, p.end_port) {
                (None, _) => format!("every {protocol} port"),
                (Some(IntOrString::Int(start)), Some(end)) => format!("{protocol} {start}-{end}"),
                (Some(port), _) => format!("{protocol} {port}"),
            }
        })
        .collect();
    texts.join(", ")
}

/// The pods a compiled peer matches (`None` when the rule or peer is not compiled).
pub(super) fn compiled_peer_pods<'e>(
    ctx: &'e Context<'_>,
    policy: PolicyId,
    direction: Direction,
    rule: usize,
    peer: usize,
) -> Option<&'e crate::netpol::PodSet> {
    let compiled = ctx.evaluator.policies().get(policy)?;
    match &compiled.rules(direction).get(rule)?.peers {
        crate::netpol::compile::Peers::List { peers, .. } => peers.get(peer).map(|p| &p.pods),
        crate::netpol::compile::Peers::Any => None,
    }
}

/// At most how many other namespaces may hold a podSelector's pods for the selector to look
/// like it was meant for them (a generic label found everywhere says nothing).
const CROSS_NAMESPACE_HINT_MAX: usize = 3;

/// For a peer with only a (non-empty) `podSelector`: the other namespaces (one to three) whose
/// pods on the pod network it would match if it had a namespaceSelector.
pub(super) fn other_namespaces_matching(
    ctx: &Context<'_>,
    namespace: NamespaceId,
    peer: &NetworkPolicyPeer,
) -> Vec<String> {
    let Some(selector) = peer.pod_selector.as_ref().filter(|s| !s.is_empty()) else {
        return Vec::new();
    };
    if peer.namespace_selector.is_some() || peer.ip_block.is_some() {
        return Vec::new();
    }
    let mut names: Vec<String> = Vec::new();
    for (id, pod) in ctx.cluster.pods.iter().enumerate() {
        if pod.namespace == namespace
            || !ctx.evaluator.on_pod_network(id)
            || !selector.matches(&pod.labels)
        {
            continue;
        }
        if let Some(ns) = ctx.cluster.namespace(pod.namespace) {
            if !names.contains(&ns.name) {
                names.push(ns.name.clone());
            }
        }
        if names.len() > CROSS_NAMESPACE_HINT_MAX {
            return Vec::new();
        }
    }
    names
}

/// `Deployment shop/web`, `Pod shop/debug`.
pub(super) fn pod_text(ctx: &Context<'_>, pod: PodId) -> String {
    let Some(p) = ctx.cluster.pods.get(pod) else {
        return String::new();
    };
    let namespace = ctx
        .cluster
        .namespace(p.namespace)
        .map_or("", |n| n.name.as_str());
    format!("{} {namespace}/{}", p.workload.unwrap_or("Pod"), p.name)
}

/// Whether a cluster policy affects the direction.
pub(super) fn affects(policy: &crate::netpol::Policy, direction: Direction) -> bool {
    match direction {
        Direction::Ingress => policy.affects_ingress,
        Direction::Egress => policy.affects_egress,
    }
}

/// A namespace-wide default deny of the direction: a policy of the namespace with an empty
/// podSelector, the direction effective, and no rule of that direction allowing everything.
pub(super) fn is_default_deny(policy: &crate::netpol::Policy, direction: Direction) -> bool {
    affects(policy, direction)
        && selects_whole_namespace(&policy.spec)
        && !rules(&policy.spec, direction).iter().any(allows_everything)
}

/// A peer with only a `namespaceSelector`.
pub(super) fn namespace_only(peer: &NetworkPolicyPeer) -> bool {
    peer.namespace_selector.is_some() && peer.pod_selector.is_none() && peer.ip_block.is_none()
}

/// A peer with only a non-empty `podSelector`.
pub(super) fn pods_only(peer: &NetworkPolicyPeer) -> bool {
    peer.namespace_selector.is_none()
        && peer.ip_block.is_none()
        && peer.pod_selector.as_ref().is_some_and(|s| !s.is_empty())
}

/// For a pod-only peer at `index`: the adjacent namespace-only peer it forms an OR pair
/// with (the one-dash AND/OR confusion).
pub(super) fn split_partner(peers: &[NetworkPolicyPeer], index: usize) -> Option<usize> {
    if !peers.get(index).is_some_and(pods_only) {
        return None;
    }
    let before = index
        .checked_sub(1)
        .filter(|&i| peers.get(i).is_some_and(namespace_only));
    let after = Some(index + 1).filter(|&i| peers.get(i).is_some_and(namespace_only));
    before.or(after)
}

/// Whether a rule's ports admit `port` over `protocol` (named ports count as unknown: no).
pub(super) fn rule_admits_port(rule: &NetworkPolicyRule, protocol: &str, port: i32) -> bool {
    let entries = rule.ports.as_deref().unwrap_or_default();
    entries.is_empty()
        || entries.iter().any(|p| {
            p.protocol.as_deref().unwrap_or("TCP") == protocol
                && match &p.port {
                    None => true,
                    Some(IntOrString::Int(start)) => {
                        (*start..=p.end_port.unwrap_or(*start)).contains(&port)
                    }
                    Some(IntOrString::String(_)) => false,
                }
        })
}

/// Services whose selector matches no pod of the bundle: evidence that pods are deployed
/// from elsewhere (another chart, an operator's custom resource).
pub(super) struct Unserved<'c>(Vec<(NamespaceId, &'c BTreeMap<String, String>)>);

impl<'c> Unserved<'c> {
    /// Finds them.
    pub(super) fn new(ctx: &'c Context<'_>) -> Self {
        let mut pods_by_namespace: HashMap<NamespaceId, Vec<&crate::netpol::ClusterPod>> =
            HashMap::new();
        for pod in &ctx.cluster.pods {
            pods_by_namespace
                .entry(pod.namespace)
                .or_default()
                .push(pod);
        }
        let mut found = Vec::new();
        for service in &ctx.services {
            let Some(wanted) = service
                .value
                .spec
                .selector
                .as_ref()
                .filter(|s| !s.is_empty())
            else {
                continue;
            };
            let Some(namespace) = namespace_id(ctx, &service.namespace) else {
                continue;
            };
            let served = pods_by_namespace.get(&namespace).is_some_and(|pods| {
                pods.iter()
                    .any(|p| wanted.iter().all(|(k, v)| p.labels.get(k) == Some(v)))
            });
            if !served {
                found.push((namespace, wanted));
            }
        }
        Unserved(found)
    }

    /// Whether such a Service, in one of the namespaces, could select pods the selector
    /// matches: it shares a key with the selector and does not contradict it (any such
    /// Service when there is no pod selector).
    pub(super) fn may_select(
        &self,
        namespaces: &[NamespaceId],
        selector: Option<&LabelSelector>,
    ) -> bool {
        self.0.iter().any(|(namespace, wanted)| {
            if !namespaces.contains(namespace) {
                return false;
            }
            let Some(selector) = selector.filter(|s| !s.is_empty()) else {
                return true;
            };
            let shares_key = selector.match_labels.keys().any(|k| wanted.contains_key(k))
                || selector
                    .match_expressions
                    .iter()
                    .any(|e| wanted.contains_key(&e.key));
            shares_key
                && PartialLabels {
                    labels: wanted,
                    complete: false,
                }
                .may_match(selector)
        })
    }
}

/// Whether a rule's ports admit `protocol` port `number` on the destination pod (named ports
/// resolved on it).
pub(super) fn rule_admits_on_pod(
    rule: &NetworkPolicyRule,
    pod: &crate::netpol::ClusterPod,
    protocol: &str,
    number: i32,
) -> bool {
    let entries = rule.ports.as_deref().unwrap_or_default();
    entries.is_empty()
        || entries.iter().any(|entry| {
            entry.protocol.as_deref().unwrap_or("TCP") == protocol
                && match &entry.port {
                    None => true,
                    Some(IntOrString::Int(start)) => {
                        (*start..=entry.end_port.unwrap_or(*start)).contains(&number)
                    }
                    Some(IntOrString::String(name)) => pod.ports.iter().any(|p| {
                        p.name.as_deref() == Some(name.as_str())
                            && p.protocol.as_str() == protocol
                            && i32::from(p.port) == number
                    }),
                }
        })
}

/// The container port a Service port leads to on a pod (`None` when a named targetPort is
/// not declared there).
pub(super) fn service_target(
    port: &crate::model::ServicePort,
    pod: &crate::netpol::ClusterPod,
) -> Option<i32> {
    let protocol = port.protocol.as_deref().unwrap_or("TCP");
    match &port.target_port {
        None => port.port,
        Some(IntOrString::Int(n)) => Some(*n),
        Some(IntOrString::String(name)) => pod
            .ports
            .iter()
            .find(|p| p.name.as_deref() == Some(name.as_str()) && p.protocol.as_str() == protocol)
            .map(|p| i32::from(p.port)),
    }
}

/// Whether a Service selector (a plain map) selects the pod.
pub(super) fn service_selects(
    selector: &BTreeMap<String, String>,
    pod: &crate::netpol::ClusterPod,
) -> bool {
    !selector.is_empty() && selector.iter().all(|(k, v)| pod.labels.get(k) == Some(v))
}
