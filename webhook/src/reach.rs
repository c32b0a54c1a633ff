//! `netward reach`: who can reach whom, on which ports, and why.

use std::io::{BufWriter, Write};
use std::net::IpAddr;
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use netward_core::netpol::compile::Peers;
use netward_core::netpol::{
    AddressFamily, Cluster, Connection, Direction, Endpoint, Evaluator, Explainer, HostNetwork,
    Matrix, Note, PodSet, Protocol, ProtocolPorts, ReachOptions, SelfTraffic,
};
use netward_core::report::PositionStyle;
use netward_core::{LoadLimits, Workspace};

use crate::exit;
use crate::inputs::read_inputs;

/// Output formats of `netward reach`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Words and aligned tables.
    Text,
    /// One JSON document.
    Json,
    /// A Graphviz digraph of the allowed flows.
    Dot,
}

/// Arguments of `netward reach`.
#[derive(Debug, Args)]
pub struct ReachArgs {
    /// Files or directories with Namespaces, Pods, workloads and NetworkPolicies; `-` reads
    /// standard input.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Source: `NS/POD`, `NS/KIND/NAME` (a workload, e.g. `shop/deployment/web`), or an IP
    /// address (outside the cluster unless it is a pod's).
    #[arg(long, requires = "to", conflicts_with = "matrix")]
    from: Option<String>,
    /// Destination, written like --from.
    #[arg(long, requires = "from", conflicts_with = "matrix")]
    to: Option<String>,
    /// Destination port (the pod's port, after Service translation). Without it a pair query
    /// lists every allowed port, and --matrix lists the allowed ports of every pair.
    #[arg(long)]
    port: Option<u16>,
    /// Protocol.
    #[arg(long, default_value = "TCP", value_parser = parse_protocol)]
    protocol: Protocol,
    /// The whole pod-by-pod matrix.
    #[arg(long)]
    matrix: bool,
    /// Which pods a policy (`NS/NAME`) selects and which pods each of its rules' peers match.
    #[arg(long, value_name = "NS/NAME", conflicts_with_all = ["from", "matrix"])]
    policy: Option<String>,
    /// Pods that no policy selects in either direction (open both ways).
    #[arg(long, conflicts_with_all = ["from", "matrix", "policy"])]
    unselected: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Evaluate a pod's connections to itself instead of allowing them (plugin-dependent).
    #[arg(long)]
    evaluate_self_traffic: bool,
    /// Treat hostNetwork pods as ordinary pods instead of as their node.
    #[arg(long)]
    host_network_pods: bool,
    /// ipBlock peers match external addresses only, not pod addresses.
    #[arg(long)]
    ip_block_ignores_pods: bool,
    /// Ignore `endPort` (network plugins without port-range support enforce only `port`).
    #[arg(long)]
    ignore_end_port: bool,
    /// Exempt egress from a pod to its own node from egress rules.
    #[arg(long)]
    exempt_egress_to_own_node: bool,
    /// Address family of connections (default: each pod's primary address).
    #[arg(long, value_parser = parse_family)]
    family: Option<AddressFamily>,
    /// Namespace of objects that set none (default: `default`).
    #[arg(long)]
    default_namespace: Option<String>,
    /// Options file (the `reach` section is read; flags override it).
    #[arg(long, value_name = "FILE")]
    options: Option<PathBuf>,
}

fn parse_protocol(text: &str) -> Result<Protocol, String> {
    Protocol::parse(text).ok_or_else(|| format!("{text:?} is not TCP, UDP or SCTP"))
}

fn parse_family(text: &str) -> Result<AddressFamily, String> {
    match text.to_ascii_lowercase().as_str() {
        "ipv4" | "4" => Ok(AddressFamily::V4),
        "ipv6" | "6" => Ok(AddressFamily::V6),
        _ => Err(format!("{text:?} is not IPv4 or IPv6")),
    }
}

impl ReachArgs {
    /// The options file's `reach` section, with the flags applied on top.
    fn options(&self) -> Result<ReachOptions, String> {
        let mut options = crate::options_file::load(self.options.as_deref())?.reach;
        if self.evaluate_self_traffic {
            options.self_traffic = SelfTraffic::Evaluate;
        }
        if self.host_network_pods {
            options.host_network = HostNetwork::Pod;
        }
        options.exempt_egress_to_own_node |= self.exempt_egress_to_own_node;
        if self.ip_block_ignores_pods {
            options.ip_block_matches_pods = false;
        }
        if self.ignore_end_port {
            options.enforce_end_port = false;
        }
        if self.family.is_some() {
            options.family = self.family;
        }
        if let Some(namespace) = &self.default_namespace {
            options.default_namespace = namespace.clone();
        }
        Ok(options)
    }
}

/// Answers the question the arguments ask. Exit status: a single connection gives 0 when
/// allowed and 1 when denied; a pair without --port gives 1 when nothing is allowed.
pub fn run(args: &ReachArgs) -> Result<u8, String> {
    let limits = LoadLimits::default();
    let inputs = read_inputs(&args.paths, limits.max_file_bytes)?;
    let mut workspace = Workspace::new(limits);
    for input in &inputs {
        workspace.add_file(input.name.clone(), &input.bytes);
    }
    for file in workspace.files() {
        for problem in &file.problems {
            let at = file.position(
                problem.span.start as usize,
                netward_core::PositionEncoding::Utf32,
            );
            eprintln!(
                "netward: {}:{}:{}: skipped: {}",
                file.name,
                at.line + 1,
                at.column + 1,
                problem.message
            );
        }
    }
    let options = args.options()?;
    let cluster = Cluster::from_workspace(&workspace, &options);
    let evaluator = Evaluator::compile(&cluster, &options);
    let out = std::io::stdout();
    let mut out = BufWriter::new(out.lock());
    let code = if let (Some(from), Some(to)) = (&args.from, &args.to) {
        let from = endpoint(&cluster, from)?;
        let to = endpoint(&cluster, to)?;
        match args.port {
            Some(port) => single(args, &workspace, &evaluator, from, to, port, &mut out),
            None => pair_ports(args, &evaluator, from, to, &mut out),
        }
    } else if args.matrix {
        match args.port {
            Some(port) => matrix(args, &evaluator, port, &mut out),
            None => connections(args, &evaluator, &mut out),
        }
    } else if (args.policy.is_some() || args.unselected) && args.format == Format::Dot {
        return Err(
            "--format dot draws allowed flows; use text or json with --policy and --unselected"
                .to_owned(),
        );
    } else if let Some(policy) = &args.policy {
        policy_pods(args, &evaluator, policy, &mut out)
    } else if args.unselected {
        unselected(args, &evaluator, &mut out)
    } else {
        return Err(
            "say what to answer: --from/--to, --matrix, --policy or --unselected".to_owned(),
        );
    }
    .map_err(|e| format!("cannot write the answer: {e}"))?;
    out.flush()
        .map_err(|e| format!("cannot write the answer: {e}"))?;
    if args.format == Format::Text {
        for note in notes(&evaluator) {
            let object = note.object.as_ref().map_or(String::new(), |o| {
                format!(
                    "{} {}/{}: ",
                    o.kind,
                    o.namespace.as_deref().unwrap_or("-"),
                    o.name.as_deref().unwrap_or("-")
                )
            });
            eprintln!("note: {object}{}", note.message);
        }
    }
    Ok(code)
}

fn endpoint(cluster: &Cluster, text: &str) -> Result<Endpoint, String> {
    if let Some(pod) = cluster.find_pod(text) {
        return Ok(Endpoint::Pod(pod));
    }
    match text.parse::<IpAddr>() {
        Ok(ip) => Ok(Endpoint::External(ip)),
        Err(_) => Err(format!(
            "no pod or workload {text:?} in the manifests (write NS/POD, NS/KIND/NAME or an IP address)"
        )),
    }
}

/// What the snapshot left out or assumed, and the caveats of compiling it.
fn notes<'a>(evaluator: &'a Evaluator<'_>) -> impl Iterator<Item = &'a Note> {
    evaluator.cluster().notes.iter().chain(evaluator.notes())
}

fn notes_json(evaluator: &Evaluator<'_>) -> Vec<serde_json::Value> {
    notes(evaluator)
        .map(|n| {
            serde_json::json!({
                "object": n.object.as_ref().map(|o| format!(
                    "{}/{}/{}", o.kind, o.namespace.as_deref().unwrap_or(""), o.name.as_deref().unwrap_or("")
                )),
                "message": n.message,
            })
        })
        .collect()
}

fn single(
    args: &ReachArgs,
    workspace: &Workspace,
    evaluator: &Evaluator<'_>,
    from: Endpoint,
    to: Endpoint,
    port: u16,
    out: &mut impl Write,
) -> std::io::Result<u8> {
    let connection = Connection {
        from,
        to,
        protocol: args.protocol,
        port,
    };
    let verdict = evaluator.check(&connection);
    let explanation =
        Explainer::new(evaluator, workspace, PositionStyle::CLI).explain(&connection, &verdict);
    match args.format {
        Format::Json => {
            let document = serde_json::json!({
                "allowed": verdict.allowed,
                "explanation": explanation,
                "notes": notes_json(evaluator),
            });
            write_pretty_json(out, &document)?;
        }
        Format::Text => write!(out, "{}", explanation.to_text())?,
        Format::Dot => {
            let names = [explanation.from.name.clone(), explanation.to.name.clone()];
            writeln!(out, "digraph reach {{")?;
            let style = if verdict.allowed {
                ""
            } else {
                ", style=dashed, color=red"
            };
            writeln!(
                out,
                "  {} -> {} [label=\"{}/{}\"{style}];",
                dot_id(&names[0]),
                dot_id(&names[1]),
                args.protocol,
                port
            )?;
            writeln!(out, "}}")?;
        }
    }
    Ok(if verdict.allowed {
        exit::OK
    } else {
        exit::FINDINGS
    })
}

/// A JSON document, indented, on its own lines.
fn write_pretty_json(out: &mut impl Write, document: &serde_json::Value) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, document)?;
    writeln!(out)
}

fn pair_ports(
    args: &ReachArgs,
    evaluator: &Evaluator<'_>,
    from: Endpoint,
    to: Endpoint,
    out: &mut impl Write,
) -> std::io::Result<u8> {
    let ports = evaluator.allowed_ports(from, to);
    let name = |e| evaluator.endpoint_name(e);
    match args.format {
        Format::Json => {
            let document = serde_json::json!({
                "from": name(from),
                "to": name(to),
                "allowed": !ports.is_empty(),
                "allowed_ports": ports,
                "summary": ports.to_string(),
                "notes": notes_json(evaluator),
            });
            write_pretty_json(out, &document)?;
        }
        Format::Text => writeln!(out, "{} -> {}: {}", name(from), name(to), ports)?,
        Format::Dot => {
            writeln!(out, "digraph reach {{")?;
            if !ports.is_empty() {
                writeln!(
                    out,
                    "  {} -> {} [label={}];",
                    dot_id(&name(from)),
                    dot_id(&name(to)),
                    dot_id(&ports.to_string())
                )?;
            }
            writeln!(out, "}}")?;
        }
    }
    Ok(if ports.is_empty() {
        exit::FINDINGS
    } else {
        exit::OK
    })
}

fn matrix(
    args: &ReachArgs,
    evaluator: &Evaluator<'_>,
    port: u16,
    out: &mut impl Write,
) -> std::io::Result<u8> {
    let matrix = evaluator.matrix(args.protocol, port);
    let names = evaluator.cluster().pod_names();
    match args.format {
        Format::Json => write_matrix_json(&names, &matrix, args.protocol, port, out)?,
        Format::Text => write_matrix_text(&names, &matrix, out)?,
        Format::Dot => {
            write_dot(evaluator, &names, out, |s, d| {
                matrix.allows(s, d).then(String::new)
            })?;
        }
    }
    Ok(exit::OK)
}

/// `{"protocol":..,"port":..,"pods":[..],"matrix":[[bool,..],..]}`, streamed: a 5,000-pod
/// matrix is 25 million cells.
fn write_matrix_json(
    names: &[String],
    matrix: &Matrix,
    protocol: Protocol,
    port: u16,
    out: &mut impl Write,
) -> std::io::Result<()> {
    write!(
        out,
        "{{\"protocol\":\"{protocol}\",\"port\":{port},\"pods\":"
    )?;
    serde_json::to_writer(&mut *out, names)?;
    write!(out, ",\"matrix\":[")?;
    for s in 0..names.len() {
        if s > 0 {
            out.write_all(b",\n")?;
        }
        out.write_all(b"[")?;
        for d in 0..names.len() {
            if d > 0 {
                out.write_all(b",")?;
            }
            out.write_all(if matrix.allows(s, d) {
                b"true"
            } else {
                b"false"
            })?;
        }
        out.write_all(b"]")?;
    }
    writeln!(out, "]}}")
}

/// The aligned table of the case files: `.` allowed, `X` denied; rows are sources.
fn write_matrix_text(
    names: &[String],
    matrix: &Matrix,
    out: &mut impl Write,
) -> std::io::Result<()> {
    let first = names.iter().map(String::len).max().unwrap_or(1).max(1);
    write!(out, "{:first$}", ".")?;
    for name in names {
        write!(out, " {name}")?;
    }
    writeln!(out)?;
    // Each column's two possible cells, centred under the pod's name, built once.
    let cells: Vec<[String; 2]> = names
        .iter()
        .map(|name| {
            let width = name.len();
            [format!(" {:^width$}", "X"), format!(" {:^width$}", ".")]
        })
        .collect();
    for (s, name) in names.iter().enumerate() {
        write!(out, "{name:first$}")?;
        for (d, [denied, allowed]) in cells.iter().enumerate() {
            let cell = if matrix.allows(s, d) { allowed } else { denied };
            out.write_all(cell.as_bytes())?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn connections(
    args: &ReachArgs,
    evaluator: &Evaluator<'_>,
    out: &mut impl Write,
) -> std::io::Result<u8> {
    let names = evaluator.cluster().pod_names();
    let cells: Vec<Vec<ProtocolPorts>> = evaluator.connections();
    let cell = |s: usize, d: usize| cells.get(s).and_then(|row| row.get(d));
    match args.format {
        Format::Json => {
            write!(out, "{{\"pods\":")?;
            serde_json::to_writer(&mut *out, &names)?;
            write!(out, ",\"connections\":[")?;
            for (s, row) in cells.iter().enumerate() {
                if s > 0 {
                    out.write_all(b",\n")?;
                }
                serde_json::to_writer(&mut *out, row)?;
            }
            writeln!(out, "]}}")?;
        }
        Format::Text => {
            for (s, from) in names.iter().enumerate() {
                for (d, to) in names.iter().enumerate() {
                    if s == d {
                        continue;
                    }
                    if let Some(ports) = cell(s, d).filter(|p| !p.is_empty()) {
                        writeln!(out, "{from} -> {to}: {ports}")?;
                    }
                }
            }
        }
        Format::Dot => {
            write_dot(evaluator, &names, out, |s, d| {
                cell(s, d)
                    .filter(|p| !p.is_empty())
                    .map(ToString::to_string)
            })?;
        }
    }
    Ok(exit::OK)
}

/// A digraph with one cluster per namespace and an edge per allowed flow (self loops left
/// out); `edge(s, d)` gives the label of an allowed flow.
fn write_dot(
    evaluator: &Evaluator<'_>,
    names: &[String],
    out: &mut impl Write,
    edge: impl Fn(usize, usize) -> Option<String>,
) -> std::io::Result<()> {
    let cluster = evaluator.cluster();
    writeln!(out, "digraph reach {{\n  rankdir=LR;\n  node [shape=box];")?;
    for (ns_id, namespace) in cluster.namespaces.iter().enumerate() {
        writeln!(
            out,
            "  subgraph {} {{\n    label={};",
            dot_id(&format!("cluster_{}", namespace.name)),
            dot_id(&namespace.name)
        )?;
        for (pod, name) in cluster.pods.iter().zip(names) {
            if pod.namespace == ns_id {
                writeln!(out, "    {} [label={}];", dot_id(name), dot_id(&pod.name))?;
            }
        }
        writeln!(out, "  }}")?;
    }
    for (s, from) in names.iter().enumerate() {
        for (d, to) in names.iter().enumerate() {
            if s == d {
                continue;
            }
            if let Some(label) = edge(s, d) {
                if label.is_empty() {
                    writeln!(out, "  {} -> {};", dot_id(from), dot_id(to))?;
                } else {
                    writeln!(
                        out,
                        "  {} -> {} [label={}];",
                        dot_id(from),
                        dot_id(to),
                        dot_id(&label)
                    )?;
                }
            }
        }
    }
    writeln!(out, "}}")
}

/// A quoted Graphviz identifier.
fn dot_id(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// What one peer entry of a policy matches.
#[derive(Debug, serde::Serialize)]
struct PeerPods {
    /// `ingress[0].from[1]`.
    peer: String,
    /// Pods matched.
    pods: Vec<String>,
    /// The entry is an ipBlock (it also matches addresses outside the cluster).
    ip_block: bool,
}

/// The peers of one rule of a policy.
#[derive(Debug, serde::Serialize)]
struct RulePeers {
    /// `ingress[0]`.
    rule: String,
    /// The rule has no peer restriction (every pod, node and external address).
    any_peer: bool,
    /// Each peer entry.
    peers: Vec<PeerPods>,
}

fn policy_pods(
    args: &ReachArgs,
    evaluator: &Evaluator<'_>,
    policy: &str,
    out: &mut impl Write,
) -> std::io::Result<u8> {
    let cluster = evaluator.cluster();
    let found = (0..cluster.policies.len()).find(|&p| cluster.policy_name(p) == policy);
    let Some(compiled) = found.and_then(|id| evaluator.policies().get(id)) else {
        eprintln!("netward: no valid policy {policy:?} in the manifests (write NS/NAME)");
        return Ok(exit::USAGE);
    };
    let names = evaluator.cluster().pod_names();
    let list = |set: &PodSet| -> Vec<String> {
        set.iter().filter_map(|p| names.get(p).cloned()).collect()
    };
    let mut rules = Vec::new();
    for direction in [Direction::Ingress, Direction::Egress] {
        for (i, rule) in compiled.rules(direction).iter().enumerate() {
            let rule_name = format!("{}[{i}]", direction.field());
            let peers = match &rule.peers {
                Peers::Any => Vec::new(),
                Peers::List { peers, .. } => peers
                    .iter()
                    .enumerate()
                    .map(|(j, peer)| PeerPods {
                        peer: format!("{rule_name}.{}[{j}]", direction.peer_field()),
                        pods: list(&peer.pods),
                        ip_block: peer.ip_block.is_some(),
                    })
                    .collect(),
            };
            rules.push(RulePeers {
                any_peer: matches!(rule.peers, Peers::Any),
                rule: rule_name,
                peers,
            });
        }
    }
    let selected = list(&compiled.selected);
    if args.format == Format::Json {
        let document = serde_json::json!({"policy": policy, "selects": selected, "rules": rules});
        write_pretty_json(out, &document)?;
    } else {
        writeln!(
            out,
            "{policy} selects {} pod(s): {}",
            selected.len(),
            selected.join(", ")
        )?;
        for rule in &rules {
            if rule.any_peer {
                writeln!(
                    out,
                    "  {}: any peer (pods, nodes and external addresses)",
                    rule.rule
                )?;
            }
            for peer in &rule.peers {
                let extra = if peer.ip_block {
                    " (and the external addresses of its ipBlock)"
                } else {
                    ""
                };
                writeln!(
                    out,
                    "  {}: {} pod(s){extra}: {}",
                    peer.peer,
                    peer.pods.len(),
                    peer.pods.join(", ")
                )?;
            }
        }
    }
    Ok(exit::OK)
}

fn unselected(
    args: &ReachArgs,
    evaluator: &Evaluator<'_>,
    out: &mut impl Write,
) -> std::io::Result<u8> {
    let names = evaluator.cluster().pod_names();
    let pods: Vec<&String> = evaluator
        .unselected_pods()
        .into_iter()
        .filter_map(|p| names.get(p))
        .collect();
    if args.format == Format::Json {
        writeln!(out, "{}", serde_json::json!({ "unselected": pods }))?;
    } else {
        writeln!(
            out,
            "{} pod(s) selected by no NetworkPolicy (open in both directions):",
            pods.len()
        )?;
        for pod in pods {
            writeln!(out, "  {pod}")?;
        }
    }
    Ok(exit::OK)
}
