#!/usr/bin/env python3
"""Differential check and speed comparison: netward vs IBM's network-config-analyzer (NCA).

For each size, `netward gen` writes a cluster (namespaces, pods, NetworkPolicies). The same
cluster goes to both tools:
  * netward: `netward reach FILE --matrix --format json` (per ordered pod pair: TCP/UDP/SCTP port
    intervals);
  * NCA: the file is split into NamespaceList / PodList / policy files and run through
    `nca --connectivity ... -o txt_no_fw_rules --output_endpoints pods`, whose per-pair lines are
    parsed into the same shape.
Every ordered pod pair (self pairs and non-pod endpoints excluded) is compared. Where NCA differs
from the Kubernetes semantics the engine follows (/work/shared/reference/netpol-semantics.md) by
design, the NCA input is rewritten to the equivalent spec reading, or the affected pairs are
excluded; every such step is printed with its reason and count, never applied silently. See
README.md beside this file.

Run: bench/nca/.venv/bin/python bench/nca/compare.py [--sizes 20/5,50/10] [--netward PATH]
Self-test (no netward binary needed): ... compare.py --self-test
Exit status: 0 all compared pairs agree, 1 a mismatch, 2 a tool failed or bad usage.

Besides the standard library this uses PyYAML, which is already in bench/nca/.venv as a
dependency of NCA: NCA reads its inputs with PyYAML, so reading the cluster with it gives the
converter exactly NCA's view of the scalars.
"""

import argparse
import collections
import copy
import ipaddress
import json
import os
import re
import shutil
import subprocess
import sys
import time

try:
    import yaml
except ImportError:  # pragma: no cover - depends on the interpreter used
    sys.stderr.write("compare.py needs PyYAML, which comes with NCA: run it with bench/nca/.venv/bin/python "
                     "(bench/nca/setup.sh creates that venv)\n")
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
PROTOS = ("TCP", "UDP", "SCTP")
MIN_PORT, MAX_PORT = 1, 65535
FULL = ((MIN_PORT, MAX_PORT),)
EMPTY = ((), (), ())
ALL = (FULL, FULL, FULL)
# Label added to every pod of the NCA input, so that ipBlock peers can be given their pod-IP
# meaning through a selector (see emulate_ipblocks). Its value is p<index>.
ID_KEY = "nca-bench.netward.io/pod-id"

YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YamlDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


# ----------------------------------------------------------------------------------------------
# Port-interval sets. A connection set is a 3-tuple (TCP, UDP, SCTP) of normalized interval
# tuples: sorted, merged (overlapping or adjacent), clamped to 1..65535.

def norm(intervals):
    out = []
    for lo, hi in sorted((max(int(lo), MIN_PORT), min(int(hi), MAX_PORT)) for lo, hi in intervals):
        if lo > hi:
            continue
        if out and lo <= out[-1][1] + 1:
            if hi > out[-1][1]:
                out[-1] = (out[-1][0], hi)
        else:
            out.append((lo, hi))
    return tuple(out)


def subtract(a, b):
    """a minus b, both normalized."""
    out = []
    for lo, hi in a:
        cur = lo
        for blo, bhi in b:
            if bhi < cur or blo > hi:
                continue
            if blo > cur:
                out.append((cur, blo - 1))
            cur = max(cur, bhi + 1)
            if cur > hi:
                break
        if cur <= hi:
            out.append((cur, hi))
    return tuple(out)


def contains(intervals, port):
    return any(lo <= port <= hi for lo, hi in intervals)


def fmt_intervals(iv):
    if iv == FULL:
        return "all ports"
    return ",".join(str(lo) if lo == hi else f"{lo}-{hi}" for lo, hi in iv)


def fmt_conn(c):
    if c == ALL:
        return "everything (TCP, UDP, SCTP: all ports)"
    parts = [f"{p} {fmt_intervals(iv)}" for p, iv in zip(PROTOS, c) if iv]
    return "; ".join(parts) if parts else "nothing"


def conn_diff(a, b):
    return tuple(subtract(x, y) for x, y in zip(a, b))


# ----------------------------------------------------------------------------------------------
# NCA's txt_no_fw_rules output.
#
# Grammar observed in NCA 2.1.0 (ConnectivityGraph.get_connections_without_fw_rules_txt_format and
# ConnectivityProperties.get_simplified_connections_representation):
#   line     := SRC " => " DST " : " CONN           (sorted; one pair may appear on several lines,
#                                                    one per connection cube: union them)
#   SRC, DST := "ns/name" (with --output_endpoints pods) | IP range "a.b.c.d-e.f.g.h" | CIDR
#   CONN     := "All connections" | "No connections" | "All but " CUBES | CUBES
#   CUBES    := CUBE ("," CUBE)*
#   CUBE     := "{" ITEM ("," ITEM)* "}"             items whose value is the whole domain are left out
#   ITEM     := "protocols:" PROTOS | "dst_ports:" PORTS | (other dimensions, not used by k8s)
#   PROTOS   := NAME (", " NAME)* | "all but " NAME (", " NAME)*      (names TCP, UDP, SCTP, ICMP, ...)
#   PORTS    := RANGE ("," RANGE)*,  RANGE := N | N "-" M
# Pairs that may open nothing are not printed. Self pairs are never printed. Lines such as
# "TCP Connections:" only appear with Istio resources; they are skipped.

class NcaParseError(Exception):
    pass


_LINE_RE = re.compile(r"^(\S+) => (\S+) : (.+)$")
_CUBE_RE = re.compile(r"\{([^{}]*)\}")
_ITEM_SPLIT_RE = re.compile(r",(?=[A-Za-z_]+:)")
_IGNORABLE_DIMS = {"icmp_type", "icmp_code"}  # only constrain ICMP; checked below


def _parse_protocols(value):
    value = value.strip()
    if value == "*":
        return set(PROTOS)
    if value.startswith("all but "):
        names = {n.strip() for n in value[len("all but "):].split(",")}
        return {p for p in PROTOS if p not in names}
    names = {n.strip() for n in value.split(",")}
    if not all(names):
        raise NcaParseError(f"bad protocol list {value!r}")
    return {p for p in PROTOS if p in names}


def _parse_ports(value):
    out = []
    for part in value.split(","):
        part = part.strip()
        m = re.fullmatch(r"(\d+)(?:-(\d+))?", part)
        if not m:
            raise NcaParseError(f"bad port range {part!r} in {value!r}")
        lo = int(m.group(1))
        hi = int(m.group(2)) if m.group(2) else lo
        if lo > hi:
            raise NcaParseError(f"bad port range {part!r}")
        out.append((lo, hi))
    return out


def _parse_cubes(text):
    cubes = _CUBE_RE.findall(text)
    if not cubes or ",".join("{" + c + "}" for c in cubes) != text:
        raise NcaParseError(f"not a list of {{...}} cubes: {text!r}")
    acc = {p: [] for p in PROTOS}
    for inner in cubes:
        items = {}
        for item in _ITEM_SPLIT_RE.split(inner):
            key, sep, val = item.partition(":")
            if not sep:
                raise NcaParseError(f"bad cube item {item!r} in {text!r}")
            if key in items:
                raise NcaParseError(f"dimension {key} twice in {text!r}")
            items[key] = val
        protos = _parse_protocols(items.pop("protocols", "*"))
        ports = _parse_ports(items.pop("dst_ports")) if "dst_ports" in items else list(FULL)
        for key in list(items):
            if key in _IGNORABLE_DIMS and not protos:
                items.pop(key)  # an ICMP-only cube: says nothing about TCP/UDP/SCTP
        if items:
            raise NcaParseError(f"unsupported dimension(s) {sorted(items)} in {text!r}")
        for p in protos:
            acc[p].extend(ports)
    return tuple(norm(acc[p]) for p in PROTOS)


def parse_nca_conn(text):
    """One CONN of a txt_no_fw_rules line -> (TCP, UDP, SCTP) interval tuples."""
    text = text.strip()
    if text == "All connections":
        return ALL
    if text == "No connections":
        return EMPTY
    if text.startswith("All but "):
        return conn_diff(ALL, _parse_cubes(text[len("All but "):]))
    return _parse_cubes(text)


def _is_ip_endpoint(name):
    for part in name.split(","):
        try:
            if "-" in part:
                lo, hi = part.split("-", 1)
                ipaddress.ip_address(lo)
                ipaddress.ip_address(hi)
            else:
                ipaddress.ip_network(part, strict=False)
        except ValueError:
            return False
    return True


def parse_nca_txt(text, pod_names):
    """-> ({(src, dst): conn}, stats). Lines with an IP-range endpoint are counted and skipped."""
    pairs = {}
    stats = collections.Counter()
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.endswith("Connections:"):
            continue
        m = _LINE_RE.match(line)
        if not m:
            raise NcaParseError(f"unrecognized NCA output line: {raw!r}")
        src, dst, conn_text = m.groups()
        kinds = []
        for ep in (src, dst):
            if ep in pod_names:
                kinds.append("pod")
            elif _is_ip_endpoint(ep):
                kinds.append("ip")
            else:
                raise NcaParseError(f"NCA endpoint {ep!r} is neither a pod of the input nor an IP range "
                                    f"(line {raw!r})")
        conn = parse_nca_conn(conn_text)
        if kinds != ["pod", "pod"]:
            stats["lines with an IP-range endpoint (not compared)"] += 1
            continue
        stats["pod-pair lines"] += 1
        if src == dst:
            continue
        prev = pairs.get((src, dst), EMPTY)
        pairs[(src, dst)] = tuple(norm(a + b) for a, b in zip(prev, conn))
    return pairs, stats


# ----------------------------------------------------------------------------------------------
# netward's JSON.

class NetwardFormatError(Exception):
    pass


def parse_netward_full(obj):
    """-> (pods, {(i, j): conn}, contract violations as strings)."""
    violations = []
    if not isinstance(obj, dict) or not isinstance(obj.get("pods"), list) or \
            not isinstance(obj.get("connections"), list):
        raise NetwardFormatError('expected {"pods": [...], "connections": [[...]]}')
    pods = obj["pods"]
    rows = obj["connections"]
    n = len(pods)
    if len(set(pods)) != n or not all(isinstance(p, str) for p in pods):
        raise NetwardFormatError("pods must be distinct strings")
    if len(rows) != n or any(not isinstance(r, list) or len(r) != n for r in rows):
        raise NetwardFormatError(f"connections must be {n}x{n}")
    cells = {}
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            if not isinstance(cell, dict) or set(cell) - set(PROTOS):
                raise NetwardFormatError(f"cell [{i}][{j}] is not a {{TCP,UDP,SCTP}} object: {cell!r}")
            conn = []
            for p in PROTOS:
                iv = cell.get(p, [])
                if not isinstance(iv, list) or any(
                        not isinstance(x, list) or len(x) != 2 or not all(isinstance(v, int) for v in x)
                        or x[0] > x[1] for x in iv):
                    raise NetwardFormatError(f"cell [{i}][{j}] {p}: bad interval list {iv!r}")
                tup = tuple((lo, hi) for lo, hi in iv)
                normalized = norm(tup)
                if tup != normalized and len(violations) < 20:
                    violations.append(f"{pods[i]} -> {pods[j]} {p}: intervals not sorted/merged/within "
                                      f"{MIN_PORT}-{MAX_PORT}: {iv}")
                conn.append(normalized)
            cells[(i, j)] = tuple(conn)
        if cells[(i, i)] != ALL and len(violations) < 20:
            violations.append(f"{pods[i]} -> itself: the diagonal must be everything, got {fmt_conn(cells[(i, i)])}")
    return pods, cells, violations


# ----------------------------------------------------------------------------------------------
# The cluster as generated.

class Pod:
    def __init__(self, index, doc):
        md = doc.get("metadata") or {}
        spec = doc.get("spec") or {}
        status = doc.get("status") or {}
        self.index = index
        self.doc = doc
        self.ns = md.get("namespace") or "default"
        self.name = md.get("name") or ""
        self.key = f"{self.ns}/{self.name}"
        self.id = f"p{index}"
        ips = []
        if status.get("podIP"):
            ips.append(status["podIP"])
        for entry in status.get("podIPs") or []:
            if isinstance(entry, dict) and entry.get("ip") and entry["ip"] not in ips:
                ips.append(entry["ip"])
        self.ips = []
        for ip in ips:
            try:
                self.ips.append(ipaddress.ip_address(ip))
            except ValueError:
                pass
        self.phase = status.get("phase")
        self.host_network = bool(spec.get("hostNetwork"))
        # spec §2: no IP yet, or finished -> takes part in no connection
        self.active = bool(self.ips) and self.phase not in ("Succeeded", "Failed")
        self.ports = []  # (name, number, protocol, where)
        for c in spec.get("containers") or []:
            for p in c.get("ports") or []:
                self.ports.append((p.get("name"), p.get("containerPort"), p.get("protocol") or "TCP", "container"))
        self.sidecar_ports = []
        for c in spec.get("initContainers") or []:
            if c.get("restartPolicy") == "Always":
                for p in c.get("ports") or []:
                    self.sidecar_ports.append(p)
                    self.ports.append((p.get("name"), p.get("containerPort"), p.get("protocol") or "TCP", "sidecar"))

    def duplicate_port_names(self):
        seen = collections.defaultdict(set)
        for name, num, proto, _ in self.ports:
            if name:
                seen[name].add((num, proto))
        return {n for n, v in seen.items() if len(v) > 1}


class Cluster:
    def __init__(self, paths):
        self.namespaces = {}
        self.pods = []
        self.policies = []
        self.ignored = collections.Counter()
        for path in paths:
            with open(path) as f:
                for doc in yaml.load_all(f, Loader=YamlLoader):
                    self._add(doc)
        self.pod_by_key = {p.key: p for p in self.pods}
        if len(self.pod_by_key) != len(self.pods):
            raise ValueError("two pods share a namespace/name")

    def _add(self, doc):
        if not isinstance(doc, dict):
            return
        kind = doc.get("kind")
        if kind in ("List", "NamespaceList", "PodList", "NetworkPolicyList"):
            for item in doc.get("items") or []:
                if isinstance(item, dict) and kind != "List" and "kind" not in item:
                    item = dict(item, kind=kind[:-4])
                self._add(item)
        elif kind == "Namespace":
            self.namespaces[(doc.get("metadata") or {}).get("name")] = doc
        elif kind == "Pod":
            self.pods.append(Pod(len(self.pods), doc))
        elif kind == "NetworkPolicy":
            self.policies.append(doc)
        else:
            self.ignored[str(kind)] += 1


def effective_types(spec):
    """spec §3: policyTypes as the API server defaults it."""
    listed = spec.get("policyTypes")
    if listed:
        eff = set(listed)
    else:
        eff = {"Ingress"}
        if spec.get("egress"):
            eff.add("Egress")
    return [t for t in ("Ingress", "Egress") if t in eff]


def ipblock_matches(block, ip):
    try:
        net = ipaddress.ip_network(block.get("cidr"), strict=False)
    except (TypeError, ValueError):
        return False
    if ip.version != net.version or ip not in net:
        return False
    for ex in block.get("except") or []:
        try:
            if ip in ipaddress.ip_network(ex, strict=False):
                return False
        except (TypeError, ValueError):
            pass
    return True


NO_SUCH_VALUE = "nca-bench-no-such-value"


def rewrite_key_requirements(selector, label_values):
    """Exists k -> In k [values of k]; DoesNotExist k -> NotIn k [values of k] (same pods, given these
    pods). Returns how many requirements were rewritten."""
    if not isinstance(selector, dict):
        return 0
    n = 0
    for req in selector.get("matchExpressions") or []:
        op = req.get("operator")
        if op in ("Exists", "DoesNotExist"):
            values = sorted(label_values.get(req.get("key"), ()), key=str) or [NO_SUCH_VALUE]
            req["operator"] = "In" if op == "Exists" else "NotIn"
            req["values"] = values
            n += 1
    return n


def iter_rule_peers(spec, direction):
    key = "from" if direction == "ingress" else "to"
    for rule in spec.get(direction) or []:
        if isinstance(rule, dict):
            yield rule, key


# ----------------------------------------------------------------------------------------------
# Building NCA's input. Each rewrite is counted and printed.

class Conversion:
    def __init__(self):
        self.notes = collections.Counter()   # reason -> count
        self.exclusions = []                 # (reason, predicate(src_pod, dst_pod) -> bool)
        self.excluded_from_nca = set()       # pod keys left out of NCA's input

    def note(self, reason, n=1):
        if n:
            self.notes[reason] += n


def convert_for_nca(cluster, opts, outdir):
    conv = Conversion()
    normalize = not opts.no_normalize

    # Namespaces: every namespace that a pod or policy names exists for NCA anyway (it creates
    # missing ones with the kubernetes.io/metadata.name label, like spec §12).
    ns_items = []
    for name, doc in cluster.namespaces.items():
        doc = copy.deepcopy(doc)
        labels = (doc.setdefault("metadata", {}).get("labels") or {})
        if normalize and labels.get("kubernetes.io/metadata.name", name) != name:
            conv.note("namespace label kubernetes.io/metadata.name set to the namespace's name (spec §12; "
                      "NCA keeps a manifest's different value)")
            labels["kubernetes.io/metadata.name"] = name
            doc["metadata"]["labels"] = labels
        ns_items.append(doc)

    if not normalize:
        conv.note("--no-normalize: policies, pods and namespaces given to NCA as generated; NCA's own readings "
                  "of policyTypes, Exists/DoesNotExist in peers etc. will show up as mismatches")
    if opts.ipblock == "none":
        conv.note("--ipblock none: ipBlocks are not related to pod IPs for NCA; pairs that depend on an ipBlock "
                  "containing a pod IP will show up as mismatches")

    # Pods.
    referenced_names = set()
    for pol in cluster.policies:
        spec = pol.get("spec") or {}
        for direction in ("ingress", "egress"):
            for rule, _ in iter_rule_peers(spec, direction):
                for port in rule.get("ports") or []:
                    if isinstance(port, dict) and isinstance(port.get("port"), str):
                        referenced_names.add(port["port"])
    for pod in cluster.pods:
        if ID_KEY in ((pod.doc.get("metadata") or {}).get("labels") or {}):
            raise ValueError(f"pod {pod.key} already has the label {ID_KEY} that compare.py reserves")

    pod_items = []
    for pod in cluster.pods:
        if not pod.active:
            conv.excluded_from_nca.add(pod.key)
            conv.note("inactive pods (no IP, or phase Succeeded/Failed) left out of NCA's input: spec §2 gives them "
                      "no connections, NCA does not read status; netward must report them with nothing allowed "
                      "(or leave them out)")
            continue
        doc = copy.deepcopy(pod.doc)
        md = doc.setdefault("metadata", {})
        md["namespace"] = pod.ns
        md["labels"] = dict(md.get("labels") or {}, **{ID_KEY: pod.id})
        if normalize and md.get("ownerReferences"):
            del md["ownerReferences"]
            conv.note("ownerReferences removed (NCA keeps at most 2 isomorphic pods per owner and names "
                      "them after the workload)")
        if normalize and pod.sidecar_ports:
            spec = doc.setdefault("spec", {})
            spec.setdefault("containers", []).append({"name": "nca-bench-sidecar-ports", "ports": pod.sidecar_ports})
            conv.note("restartable init (sidecar) container ports copied into containers (spec A16; NCA reads "
                      "spec.containers only)")
        doc.setdefault("spec", {}).setdefault("containers", [])
        pod_items.append(doc)

    host_network = {p.key for p in cluster.pods if p.host_network}
    if host_network:
        conv.exclusions.append((
            "hostNetwork pod on either side (spec §11.4: node traffic, invisible to selectors; NCA reads "
            "hostNetwork as an ordinary pod)",
            lambda s, d: s.key in host_network or d.key in host_network))

    dup_dst = {p.key for p in cluster.pods if p.duplicate_port_names() & referenced_names}
    if dup_dst:
        conv.exclusions.append((
            "destination pod declares a policy-referenced port name twice with different numbers/protocols "
            "(spec A8: either matches; NCA keeps only the last)",
            lambda s, d: d.key in dup_dst))

    # Policies.
    label_values = collections.defaultdict(set)  # label key -> values it has on the pods NCA sees
    for pod in cluster.pods:
        if pod.active:
            for k, v in ((pod.doc.get("metadata") or {}).get("labels") or {}).items():
                label_values[k].add(v)
    active_pods = [p for p in cluster.pods if p.active and not p.host_network]
    egress_ip = collections.defaultdict(set)   # ns -> pods matched by egress ipBlocks of its policies
    ingress_ip = collections.defaultdict(set)  # ns -> pods matched by ingress ipBlocks of its policies
    pol_items = []
    for pol in cluster.policies:
        pol = copy.deepcopy(pol)
        md = pol.setdefault("metadata", {})
        md.setdefault("namespace", "default")
        ns = md["namespace"]
        spec = pol.get("spec")
        if spec is None:
            spec = pol["spec"] = {}
        if normalize:
            if spec.get("podSelector") is None:
                spec["podSelector"] = {}
                conv.note("absent/null spec.podSelector written as {} (NCA requires the field)")
            eff = effective_types(spec)
            if spec.get("policyTypes") != eff:
                why = ("policyTypes written out as the API server defaults it (spec §3; NCA counts a present "
                       "`egress:` key, even `[]`, as Egress, and rejects duplicates or the order [Egress, Ingress])")
                conv.note(why)
                spec["policyTypes"] = eff
            for t, key in (("Ingress", "ingress"), ("Egress", "egress")):
                if t not in eff and key in spec:
                    del spec[key]
                    conv.note(f"`{key}` rules of a policy without {t} in policyTypes dropped (ignored per spec §3; "
                              f"NCA rejects the whole input)")
        eff = effective_types(spec)
        for direction, typ in (("ingress", "Ingress"), ("egress", "Egress")):
            if typ not in eff:
                continue
            for rule, key in iter_rule_peers(spec, direction):
                peers = rule.get(key) or []
                if normalize:
                    for peer in peers:
                        if isinstance(peer, dict) and peer.get("namespaceSelector") is not None:
                            n = rewrite_key_requirements(peer.get("podSelector"), label_values)
                            conv.note("Exists/DoesNotExist in the podSelector of a peer that also has a "
                                      "namespaceSelector written as In/NotIn over the label's values in the input "
                                      "(NCA evaluates Exists/DoesNotExist of a peer's podSelector only among the "
                                      "policy's own namespace's pods, so other namespaces' pods were missed)", n)
                added = []
                for peer in peers:
                    if not isinstance(peer, dict) or not isinstance(peer.get("ipBlock"), dict):
                        continue
                    matched = [p for p in active_pods if any(ipblock_matches(peer["ipBlock"], ip) for ip in p.ips)]
                    if not matched:
                        continue
                    (egress_ip if direction == "egress" else ingress_ip)[ns].update(p.key for p in matched)
                    if opts.ipblock == "emulate":
                        added.append({"namespaceSelector": {}, "podSelector": {"matchExpressions": [
                            {"key": ID_KEY, "operator": "In", "values": [p.id for p in matched]}]}})
                        conv.note("ipBlock peers that contain pod IPs: a selector peer for exactly those pods added "
                                  "beside the ipBlock (spec §10/§15 A4: ipBlock matches pod IPs both ways; NCA "
                                  "gives pods no IPs)")
                if added:
                    rule[key] = list(peers) + added
        pol_items.append(pol)

    if opts.ipblock == "exclude":
        conv.exclusions.append((
            "an ipBlock of a policy in the source's namespace (egress) or destination's namespace (ingress) "
            "contains the peer pod's IP (NCA gives pods no IPs; --ipblock exclude)",
            lambda s, d: d.key in egress_ip.get(s.ns, ()) or s.key in ingress_ip.get(d.ns, ())))

    os.makedirs(outdir, exist_ok=True)
    paths = {k: os.path.join(outdir, f"nca-{k}.yaml") for k in ("namespaces", "pods", "policies")}
    with open(paths["namespaces"], "w") as f:
        yaml.dump({"apiVersion": "v1", "kind": "NamespaceList", "items": ns_items}, f, Dumper=YamlDumper)
    with open(paths["pods"], "w") as f:
        yaml.dump({"apiVersion": "v1", "kind": "PodList", "items": pod_items}, f, Dumper=YamlDumper)
    with open(paths["policies"], "w") as f:
        if pol_items:
            yaml.dump_all(pol_items, f, Dumper=YamlDumper)
        else:
            f.write("[]\n")
    return conv, paths


# ----------------------------------------------------------------------------------------------
# Running the tools.

class ToolError(Exception):
    pass


def run_timed(cmd, timeout, env=None):
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        raise ToolError(f"timed out after {timeout} s: {' '.join(cmd)}")
    elapsed = time.perf_counter() - t0
    return proc, elapsed


def check(proc, cmd):
    if proc.returncode != 0:
        tail = (proc.stderr.strip() or proc.stdout.strip())[-3000:]
        raise ToolError(f"exit {proc.returncode}: {' '.join(cmd)}\n{tail}")


def run_nca(opts, paths, outdir):
    out_file = os.path.join(outdir, "nca-out.txt")
    cmd = [opts.nca, "--connectivity", paths["policies"], "--ns_list", paths["namespaces"],
           "--pod_list", paths["pods"], "--output_format", "txt_no_fw_rules", "--output_endpoints", "pods",
           "--file_out", out_file]
    times, internal = [], []
    for _ in range(opts.nca_runs):
        if os.path.exists(out_file):
            os.remove(out_file)
        proc, elapsed = run_timed(cmd, opts.nca_timeout)
        check(proc, cmd)
        times.append(elapsed)
        m = re.search(r"Total run time:\s*([\d.]+) seconds", proc.stdout)
        if m:
            internal.append(float(m.group(1)))
        with open(os.path.join(outdir, "nca-stdout.txt"), "w") as f:
            f.write(proc.stdout)
        with open(os.path.join(outdir, "nca-stderr.txt"), "w") as f:
            f.write(proc.stderr)
    with open(out_file) as f:
        text = f.read()
    return text, min(times), (min(internal) if internal else None)


def run_netward_json(opts, files, extra, runs):
    cmd = [opts.netward, "reach", *files, "--matrix", *extra, "--format", "json"]
    best, out = None, None
    for _ in range(runs):
        proc, elapsed = run_timed(cmd, opts.netward_timeout)
        check(proc, cmd)
        best = elapsed if best is None else min(best, elapsed)
        out = proc.stdout
    try:
        return json.loads(out), best
    except json.JSONDecodeError as e:
        raise ToolError(f"netward printed no JSON ({e}): {' '.join(cmd)}\n{out[:500]}")


# ----------------------------------------------------------------------------------------------
# One comparison.

def compare_one(label, cluster_file, opts, outdir, gen_args=None):
    """-> result dict (also printed)."""
    res = {"label": label, "error": None, "mismatches": 0, "compared": 0, "excluded": collections.Counter(),
           "pods": None, "policies": None, "nca_s": None, "nca_internal_s": None, "netward_s": None,
           "mismatch_pairs": [], "port_mismatches": 0}
    print(f"\n## {label}")
    try:
        if gen_args is not None:
            cmd = [opts.netward, "gen", *gen_args, "--out", cluster_file]
            proc, elapsed = run_timed(cmd, opts.netward_timeout)
            check(proc, cmd)
            print(f"netward gen: {elapsed:.2f} s -> {cluster_file}")
        cluster = Cluster([cluster_file])
        res["pods"], res["policies"] = len(cluster.pods), len(cluster.policies)
        print(f"input: {len(cluster.namespaces)} namespaces, {len(cluster.pods)} pods, "
              f"{len(cluster.policies)} policies" +
              (f"; ignored kinds: {dict(cluster.ignored)}" if cluster.ignored else ""))

        conv, paths = convert_for_nca(cluster, opts, outdir)
        for reason, n in sorted(conv.notes.items()):
            print(f"  NCA input ({n}x): {reason}")

        # NCA
        nca_pairs = {}
        if not opts.skip_nca:
            text, res["nca_s"], res["nca_internal_s"] = run_nca(opts, paths, outdir)
            nca_pods = {p.key for p in cluster.pods if p.key not in conv.excluded_from_nca}
            nca_pairs, stats = parse_nca_txt(text, nca_pods)
            internal = f" (NCA's own 'Total run time' {res['nca_internal_s']:.2f} s)" \
                if res["nca_internal_s"] is not None else ""
            print(f"NCA: {res['nca_s']:.2f} s wall{internal}; " +
                  ", ".join(f"{v} {k}" for k, v in sorted(stats.items())))
        if opts.nca_only:
            return res

        # netward
        nw_obj, res["netward_s"] = run_netward_json(opts, [cluster_file], [], opts.netward_runs)
        nw_pods, nw_cells, violations = parse_netward_full(nw_obj)
        print(f"netward reach --matrix: {res['netward_s']:.3f} s wall (best of {opts.netward_runs})")
        for v in violations:
            print(f"  OUTPUT CONTRACT: {v}")
        res["mismatches"] += len(violations)

        # Which pods take part.
        unknown = [p for p in nw_pods if p not in cluster.pod_by_key]
        for p in unknown:
            print(f"  MISMATCH: netward lists pod {p}, which is not in the input")
        res["mismatches"] += len(unknown)
        nw_index = {p: i for i, p in enumerate(nw_pods)}
        missing_active = [p.key for p in cluster.pods
                          if p.key not in nw_index and p.key not in conv.excluded_from_nca and not p.host_network]
        for p in missing_active:
            print(f"  MISMATCH: active pod {p} is missing from netward's pod list")
        res["mismatches"] += len(missing_active)
        omitted_inactive = [p.key for p in cluster.pods if p.key not in nw_index and p.key in conv.excluded_from_nca]
        if omitted_inactive:
            print(f"  note: netward leaves out {len(omitted_inactive)} inactive pod(s), as NCA's input does")
        omitted_host = [p.key for p in cluster.pods if p.key not in nw_index and p.host_network]
        if omitted_host:
            print(f"  note: netward leaves out {len(omitted_host)} hostNetwork pod(s) (node endpoints, spec §11.4); "
                  f"pairs with them are not compared")

        both = [cluster.pod_by_key[p] for p in nw_pods if p in cluster.pod_by_key]
        shown = 0
        for s in both:
            for d in both:
                if s is d:
                    res["excluded"]["self pair (loopback, spec §11.1)"] += 1
                    continue
                reason = next((r for r, pred in conv.exclusions if pred(s, d)), None)
                if reason:
                    res["excluded"][reason] += 1
                    continue
                res["compared"] += 1
                nw = nw_cells[(nw_index[s.key], nw_index[d.key])]
                nc = nca_pairs.get((s.key, d.key), EMPTY)
                if nw == nc:
                    continue
                res["mismatches"] += 1
                res["mismatch_pairs"].append((s.key, d.key))
                if shown < opts.show:
                    shown += 1
                    extra = ""
                    if s.key in conv.excluded_from_nca or d.key in conv.excluded_from_nca:
                        extra = "  (inactive pod: not in NCA's input, spec §2 expects nothing)"
                    print(f"  MISMATCH {s.key} -> {d.key}{extra}\n"
                          f"      netward: {fmt_conn(nw)}\n"
                          f"      NCA    : {fmt_conn(nc)}\n"
                          f"      only netward allows: {fmt_conn(conn_diff(nw, nc))}\n"
                          f"      only NCA allows    : {fmt_conn(conn_diff(nc, nw))}")
        if res["mismatches"] > shown + len(violations) + len(unknown) + len(missing_active):
            print(f"  ... {res['mismatches'] - shown - len(violations) - len(unknown) - len(missing_active)} "
                  f"more mismatching pairs (--show N to see more; inputs and outputs are in {outdir})")
        for reason, n in sorted(res["excluded"].items()):
            print(f"  excluded x{n}: {reason}")

        # Single-port matrices, if asked: against NCA and against netward's own full matrix.
        for spec in opts.check_port:
            port, proto = spec
            pi = PROTOS.index(proto)
            obj, _ = run_netward_json(opts, [cluster_file], ["--port", str(port), "--protocol", proto], 1)
            if obj.get("pods") != nw_pods:
                print(f"  MISMATCH --port {port}/{proto}: pod list differs from the full matrix's")
                res["port_mismatches"] += 1
                continue
            bad = 0
            for s in both:
                for d in both:
                    if s is d or any(pred(s, d) for _, pred in conv.exclusions):
                        continue
                    i, j = nw_index[s.key], nw_index[d.key]
                    got = obj["matrix"][i][j]
                    want_nca = contains(nca_pairs.get((s.key, d.key), EMPTY)[pi], port)
                    want_full = contains(nw_cells[(i, j)][pi], port)
                    if got is not want_nca or got is not want_full:
                        bad += 1
                        if bad <= opts.show:
                            print(f"  MISMATCH --port {port}/{proto} {s.key} -> {d.key}: netward {got}, "
                                  f"NCA {want_nca}, netward full matrix {want_full}")
            print(f"  --port {port}/{proto}: {bad} mismatching pairs")
            res["port_mismatches"] += bad
        res["mismatches"] += res["port_mismatches"]
        print(f"compared {res['compared']} ordered pod pairs: {res['mismatches']} mismatch(es)")
    except (ToolError, NcaParseError, NetwardFormatError, ValueError, OSError, yaml.YAMLError) as e:
        res["error"] = f"{type(e).__name__}: {e}"
        print(f"ERROR: {res['error']}")
    return res


def markdown_table(results, nca_only=False):
    def f(v, digits=2):
        return "-" if v is None else f"{v:.{digits}f}"
    lines = ["| pods | policies | pairs compared | pairs excluded | mismatches | NCA s | NCA internal s | "
             "netward s | NCA / netward |",
             "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in results:
        if r["error"]:
            err = r["error"].splitlines()[0][:80]
            lines.append(f"| {r['pods'] or '?'} | {r['policies'] or '?'} | error: {err} | | | "
                         f"{f(r['nca_s'])} | {f(r['nca_internal_s'])} | {f(r['netward_s'], 3)} | |")
            continue
        excluded = sum(n for k, n in r["excluded"].items() if not k.startswith("self pair"))
        ratio = "-"
        if r["nca_s"] and r["netward_s"]:
            q = r["nca_s"] / r["netward_s"]
            ratio = f"{q:.1f}x" if q < 10 else f"{q:.0f}x"
        compared = "-" if nca_only else r["compared"]
        mism = "-" if nca_only else r["mismatches"]
        lines.append(f"| {r['pods']} | {r['policies']} | {compared} | {excluded} | {mism} | {f(r['nca_s'])} | "
                     f"{f(r['nca_internal_s'])} | {f(r['netward_s'], 3)} | {ratio} |")
    return "\n".join(lines)


# ----------------------------------------------------------------------------------------------
# Self-test: parser cases and the hand-written fixture through the whole pipeline, with
# fixture/fake_netward.py in place of the binary.

def self_test(opts):
    failures = []

    def expect(name, got, want):
        if got != want:
            failures.append(f"{name}: got {got!r}, want {want!r}")

    T = lambda *iv: tuple(iv)  # noqa: E731
    cases = [
        ("All connections", ALL),
        ("No connections", EMPTY),
        ("{protocols:TCP,dst_ports:5432}", (T((5432, 5432)), (), ())),
        ("{protocols:TCP, UDP,dst_ports:53}", (T((53, 53)), T((53, 53)), ())),
        ("{protocols:TCP, UDP, SCTP}", ALL),
        ("{protocols:SCTP}", ((), (), FULL)),
        ("{protocols:TCP,dst_ports:80,100,102,8000-8010}", (T((80, 80), (100, 100), (102, 102), (8000, 8010)), (), ())),
        ("{protocols:TCP,dst_ports:1-79,81-65535}", (T((1, 79), (81, 65535)), (), ())),
        ("{protocols:TCP,dst_ports:53},{protocols:UDP,dst_ports:5353}", (T((53, 53)), T((5353, 5353)), ())),
        ("{dst_ports:80-81}", (T((80, 81)), T((80, 81)), T((80, 81)))),
        ("{protocols:all but ICMP, TCP}", ((), FULL, FULL)),
        ("All but {protocols:TCP,dst_ports:80}", (T((1, 79), (81, 65535)), FULL, FULL)),
        ("All but {protocols:UDP, SCTP}", (FULL, (), ())),
        ("{protocols:ICMP,icmp_type:8}", EMPTY),
    ]
    for text, want in cases:
        try:
            expect(f"parse {text!r}", parse_nca_conn(text), want)
        except NcaParseError as e:
            failures.append(f"parse {text!r}: {e}")
    for bad in ("{protocols:TCP,src_ports:80}", "{protocols:TCP", "TCP 80", "{protocols:TCP,dst_ports:8x}"):
        try:
            parse_nca_conn(bad)
            failures.append(f"parse {bad!r}: accepted, should be rejected")
        except NcaParseError:
            pass
    pairs, _ = parse_nca_txt("a/x => a/y : {protocols:SCTP}\n"
                             "a/x => a/y : {protocols:TCP,dst_ports:80,8000-8010}\n"
                             "0.0.0.0-255.255.255.255 => a/x : All connections\n"
                             "a/y => 10.0.0.0/8 : All connections\n", {"a/x", "a/y"})
    expect("multi-line pair", pairs, {("a/x", "a/y"): (T((80, 80), (8000, 8010)), (), FULL)})
    expect("subtract", subtract(FULL, T((80, 80))), T((1, 79), (81, 65535)))
    expect("norm", norm([(5, 9), (1, 4), (20, 30), (25, 26), (0, 0)]), T((1, 9), (20, 30)))
    print(f"parser checks: {len(cases) + 8} run, {len(failures)} failed")

    fake = os.path.join(HERE, "fixture", "fake_netward.py")
    base = ["--netward", fake, "--nca", opts.nca, "--sizes", "6/5", "--netward-runs", "1",
            "--out-dir", os.path.join(opts.out_dir, "self-test")]
    web_api = [("frontend/web-1", "backend/api-1"), ("frontend/web-2", "backend/api-1")]
    runs = [
        ("default (rewrites + ipBlock emulation)", ["--check-port", "9000/TCP", "--check-port", "53/UDP",
                                                    "--check-port", "3868/SCTP"], 0, 30, 0, None),
        ("--ipblock exclude", ["--ipblock", "exclude"], 0, 24, 6, None),
        ("NCA as-is (--no-normalize --ipblock none)", ["--no-normalize", "--ipblock", "none"], 1, 30, 0, sorted(
            [("backend/api-1", "backend/db-1"), ("backend/api-1", "backend/dns-1"),
             ("frontend/web-1", "backend/dns-1"), ("frontend/web-2", "backend/dns-1"),
             ("monitoring/prom-1", "backend/api-1"),
             ("monitoring/prom-1", "frontend/web-1"), ("monitoring/prom-1", "frontend/web-2")] + web_api)),
    ]
    hand = os.path.join(HERE, "fixture", "expected-netward.json")
    for name, extra, want_rc, want_compared, want_excluded, want_pairs in runs:
        print(f"\n=== self-test: {name}; netward's answer = the hand-computed fixture/expected-netward.json")
        os.environ["FAKE_NETWARD_EXPECTED"] = hand
        try:
            rc, results = main(base + extra, return_results=True)
        finally:
            del os.environ["FAKE_NETWARD_EXPECTED"]
        r = results[0]
        expect(f"{name}: exit status", rc, want_rc)
        expect(f"{name}: error", r["error"], None)
        expect(f"{name}: pairs compared", r["compared"], want_compared)
        expect(f"{name}: pairs excluded",
               sum(n for k, n in r["excluded"].items() if not k.startswith("self pair")), want_excluded)
        if want_pairs is not None:
            expect(f"{name}: mismatching pairs", sorted(r["mismatch_pairs"]), want_pairs)

    # The fake's own evaluator must agree with the hand computation ...
    proc = subprocess.run([sys.executable, fake, "reach", os.path.join(HERE, "fixture", "cluster.yaml"),
                           "--matrix", "--format", "json"], capture_output=True, text=True)
    with open(hand) as f:
        expect("fake_netward.py's evaluator on the fixture vs the hand-computed matrix",
               json.loads(proc.stdout or "null"), json.load(f))
    # ... and with NCA on random clusters (this is what checks the NCA conversion at some scale).
    print("\n=== self-test: random clusters, NCA vs fake_netward.py's evaluator")
    os.environ["FAKE_NETWARD_GEN"] = "random"
    try:
        rc, results = main(base + ["--sizes", "40/10,80/20", "--seed", "2", "--show", "3"], return_results=True)
    finally:
        del os.environ["FAKE_NETWARD_GEN"]
    expect("random clusters: exit status", rc, 0)
    expect("random clusters: pairs compared", [r["compared"] for r in results], [40 * 39, 80 * 79])

    # Inputs that NCA reads differently from the spec (inactive/hostNetwork pods, replicas, sidecar
    # ports, duplicate port names, policyTypes forms, a wrong namespace-name label, no Namespace manifest).
    print("\n=== self-test: fixture/edge-cases.yaml, NCA vs fake_netward.py's evaluator")
    rc, results = main(["--netward", fake, "--nca", opts.nca, "--netward-runs", "1",
                        "--input", os.path.join(HERE, "fixture", "edge-cases.yaml"),
                        "--out-dir", os.path.join(opts.out_dir, "self-test")], return_results=True)
    expect("edge cases: exit status", rc, 0)
    expect("edge cases: pairs compared", results[0]["compared"], 25)
    expect("edge cases: pairs excluded", sum(n for k, n in results[0]["excluded"].items()
                                             if not k.startswith("self pair")), 5)

    # A wrong netward answer must be caught: widen web-1 -> api-1 to 9000-9001.
    with open(os.path.join(HERE, "fixture", "expected-netward.json")) as f:
        tampered = json.load(f)
    i, j = tampered["pods"].index("frontend/web-1"), tampered["pods"].index("backend/api-1")
    tampered["connections"][i][j]["TCP"] = [[9000, 9001]]
    tpath = os.path.join(opts.out_dir, "self-test", "tampered-netward.json")
    os.makedirs(os.path.dirname(tpath), exist_ok=True)
    with open(tpath, "w") as f:
        json.dump(tampered, f)
    print("\n=== self-test: a wrong netward cell (web-1 -> api-1 TCP 9000-9001) is reported")
    os.environ["FAKE_NETWARD_EXPECTED"] = tpath
    try:
        rc, results = main(base + ["--check-port", "9001/TCP"], return_results=True)
    finally:
        del os.environ["FAKE_NETWARD_EXPECTED"]
    expect("tampered: exit status", rc, 1)
    expect("tampered: mismatching pairs", results[0]["mismatch_pairs"], [("frontend/web-1", "backend/api-1")])
    expect("tampered: port-mode mismatches", results[0]["port_mismatches"], 1)

    print()
    for f in failures:
        print(f"SELF-TEST FAILURE: {f}")
    print(f"self-test: {'FAILED' if failures else 'ok'} ({len(failures)} failure(s))")
    return 1 if failures else 0


# ----------------------------------------------------------------------------------------------

def parse_size(text):
    parts = text.split("/")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
        raise argparse.ArgumentTypeError(f"size {text!r}: want PODS/POLICIES or PODS/POLICIES/NAMESPACES")
    return tuple(int(p) for p in parts)


def parse_port(text):
    m = re.fullmatch(r"(\d+)(?:/(TCP|UDP|SCTP))?", text)
    if not m or not MIN_PORT <= int(m.group(1)) <= MAX_PORT:
        raise argparse.ArgumentTypeError(f"port {text!r}: want N or N/TCP|UDP|SCTP")
    return int(m.group(1)), m.group(2) or "TCP"


def default_tool(*candidates):
    for c in candidates:
        if os.path.exists(c):
            return c
    return candidates[-1]


def build_parser():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="20/5,50/10,100/20,200/40,500/100,1000/200",
                    help="comma-separated PODS/POLICIES[/NAMESPACES] (default %(default)s)")
    ap.add_argument("--seed", type=int, default=1, help="seed passed to netward gen (default %(default)s)")
    ap.add_argument("--input", action="append", default=[],
                    help="compare on this cluster YAML instead of generating (repeatable; one comparison each)")
    ap.add_argument("--netward", default=None, help="netward binary (default target/release/netward)")
    ap.add_argument("--nca", default=None, help="nca command (default bench/nca/.venv/bin/nca)")
    ap.add_argument("--netward-runs", type=int, default=3, help="netward timing: best of N (default 3)")
    ap.add_argument("--nca-runs", type=int, default=1, help="NCA timing: best of N (default 1)")
    ap.add_argument("--nca-timeout", type=float, default=900, help="seconds per NCA run (default 900)")
    ap.add_argument("--netward-timeout", type=float, default=600, help="seconds per netward run (default 600)")
    ap.add_argument("--ipblock", choices=["emulate", "exclude", "none"], default="emulate",
                    help="how to bridge NCA not giving pods IPs: emulate (default) adds a selector peer for the "
                         "pods an ipBlock contains; exclude drops the pairs such an ipBlock could affect; none "
                         "compares as is (differences then show up as mismatches)")
    ap.add_argument("--no-normalize", action="store_true",
                    help="feed NCA the policies as generated (no policyTypes defaulting etc.); the "
                         "differences then show up as mismatches")
    ap.add_argument("--check-port", type=parse_port, action="append", default=[],
                    help="also run `netward reach --matrix --port N --protocol P` and compare its booleans "
                         "(N or N/PROTO, repeatable)")
    ap.add_argument("--show", type=int, default=10, help="print at most N mismatching pairs per size (default 10)")
    ap.add_argument("--out-dir", default=os.path.join(HERE, "out"),
                    help="where generated inputs and tool outputs are kept (default bench/nca/out)")
    ap.add_argument("--nca-only", action="store_true", help="only convert and time NCA (no netward reach)")
    ap.add_argument("--skip-nca", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--self-test", action="store_true",
                    help="check the NCA parser and run the fixture with fixture/fake_netward.py (needs NCA)")
    return ap


def main(argv=None, return_results=False):
    opts = build_parser().parse_args(argv)
    opts.netward = opts.netward or default_tool("target/release/netward",
                                                os.path.join(REPO, "target", "release", "netward"))
    opts.nca = opts.nca or default_tool(os.path.join(HERE, ".venv", "bin", "nca"), "nca")
    if opts.self_test:
        return self_test(opts)
    if shutil.which(opts.nca) is None and not os.path.exists(opts.nca):
        print(f"NCA not found at {opts.nca}: run bench/nca/setup.sh", file=sys.stderr)
        return 2
    needs_netward = not (opts.input and opts.nca_only)
    if needs_netward and not os.path.exists(opts.netward) and shutil.which(opts.netward) is None:
        print(f"netward binary not found at {opts.netward}: cargo build --release -p netward, or --netward PATH",
              file=sys.stderr)
        return 2

    results = []
    jobs = []
    if opts.input:
        for path in opts.input:
            jobs.append((f"input {path}", os.path.abspath(path), None, os.path.basename(path) + ".d"))
    else:
        for size in (parse_size(s) for s in opts.sizes.split(",") if s.strip()):
            gen_args = ["--pods", str(size[0]), "--policies", str(size[1]), "--seed", str(opts.seed)]
            if len(size) == 3:
                gen_args += ["--namespaces", str(size[2])]
            tag = "p{}-q{}".format(*size) + (f"-n{size[2]}" if len(size) == 3 else "") + f"-s{opts.seed}"
            jobs.append((f"gen {' '.join(gen_args)}", None, gen_args, tag))
    timed_out = False
    for label, path, gen_args, tag in jobs:
        outdir = os.path.join(opts.out_dir, tag)
        os.makedirs(outdir, exist_ok=True)
        if timed_out and gen_args is not None:
            print(f"\n## {label}\nskipped: NCA timed out on a smaller size")
            continue
        cluster_file = path or os.path.join(outdir, "cluster.yaml")
        r = compare_one(label, cluster_file, opts, outdir, gen_args)
        results.append(r)
        if r["error"] and "timed out" in r["error"] and opts.nca in r["error"]:
            timed_out = True

    print("\n" + markdown_table(results, opts.nca_only))
    if any(r["error"] for r in results):
        rc = 2
    elif any(r["mismatches"] for r in results):
        rc = 1
    else:
        rc = 0
    return (rc, results) if return_results else rc


if __name__ == "__main__":
    sys.exit(main())
