/** The answer of "who can reach this?" as quick-pick items and as a text report. */
import type { Explanation, PortView, Protocol, ReachAnswer } from '../engine/types';

/** One port to explain a verdict for. */
export interface PortChoice {
  number: number;
  protocol: Protocol;
}

export interface ReachItem {
  label: string;
  /** The flow's ports, as the engine writes them. */
  description: string;
  /** The source endpoint, for a follow-up `explain`. */
  from: string;
  /** The first port the flow names (`TCP 80, 443` → TCP 80), if it names one. */
  port?: PortChoice;
}

/** What a flow allows: inclusive port ranges per protocol. */
export type AllowedPorts = Map<Protocol, [number, number][]>;

const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];
const EVERY_PORT: [number, number] = [1, 65535];

/** Sources the answer never lists, said with every answer. */
export const IP_BLOCK_NOTE = 'sources allowed only through ipBlock (addresses outside the cluster) are not listed';

/** One item per allowed flow into `endpoint`, sources sorted by name. */
export function reachItems(answer: ReachAnswer): ReachItem[] {
  return [...answer.flows]
    .sort((a, b) => a.from.localeCompare(b.from))
    .map((flow) => {
      const item: ReachItem = { label: flow.from, description: flow.ports, from: flow.from };
      const port = firstPort(flow.ports);
      if (port) item.port = port;
      return item;
    });
}

/**
 * Reads a flow's ports as the engine writes them (core's `ProtocolPorts` display): `all ports`,
 * `none`, or protocols in the order TCP, UDP, SCTP separated by `; `, each with its ports
 * (`80, 8000-8080`) or `all` (`TCP 8000-8080, 9000; UDP 53; SCTP all`).
 */
export function parseFlowPorts(ports: string): AllowedPorts {
  const allowed: AllowedPorts = new Map();
  if (ports.trim() === 'all ports') {
    for (const protocol of PROTOCOLS) allowed.set(protocol, [EVERY_PORT]);
    return allowed;
  }
  for (const part of ports.split(';')) {
    const match = /^\s*(TCP|UDP|SCTP) (.+?)\s*$/.exec(part);
    if (!match) continue;
    const ranges = match[2] === 'all' ? [EVERY_PORT] : parseRanges(match[2]);
    if (ranges.length > 0) allowed.set(match[1] as Protocol, ranges);
  }
  return allowed;
}

/** `80, 8000-8080` → [80, 80], [8000, 8080]. */
function parseRanges(text: string): [number, number][] {
  const ranges: [number, number][] = [];
  for (const entry of text.split(',')) {
    const range = /^\s*(\d+)(?:-(\d+))?\s*$/.exec(entry);
    if (range) ranges.push([Number(range[1]), Number(range[2] ?? range[1])]);
  }
  return ranges;
}

/** The first port a flow names: `TCP 8000-8080` → TCP 8000; `TCP all; UDP 53` → UDP 53; `all ports` → none. */
export function firstPort(ports: string): PortChoice | undefined {
  for (const [protocol, ranges] of parseFlowPorts(ports)) {
    const [first] = ranges;
    if (first[0] !== EVERY_PORT[0] || first[1] !== EVERY_PORT[1]) return { number: first[0], protocol };
  }
  return undefined;
}

/** The first of the destination's declared container ports that the flow allows. */
export function declaredPort(ports: string, declared: readonly PortView[]): PortChoice | undefined {
  const allowed = parseFlowPorts(ports);
  for (const { port, protocol } of declared) {
    const ranges = allowed.get(protocol) ?? [];
    if (ranges.some(([start, end]) => start <= port && port <= end)) return { number: port, protocol };
  }
  return undefined;
}

/** The answer as lines for the output channel. */
export function reachReport(endpoint: string, answer: ReachAnswer): string[] {
  const lines = [`Who can reach ${endpoint}:`];
  if (answer.flows.length === 0) lines.push('  no pod or workload (no allowed flow)');
  for (const item of reachItems(answer)) lines.push(`  ${item.label} → ${item.description}`);
  for (const note of [...answer.notes, IP_BLOCK_NOTE]) lines.push(`  note: ${note}`);
  return lines;
}

/** Why a picked flow is not explained: it names no port, and the destination declares none it allows. */
export function noPortReport(from: string, to: string, ports: string): string {
  return `${from} → ${to} allows ${ports} but names no port, and ${to} declares no container port among them: no verdict to explain`;
}

/** An explained verdict as lines: the verdict, then each side with the policies and rules deciding it. */
export function explanationReport(e: Explanation): string[] {
  const where = (place: { file: string; range: { start: { line: number } } }): string =>
    `${place.file}:${place.range.start.line + 1}`;
  const lines = [`${e.from.name} → ${e.to.name} ${e.protocol} ${e.port}: ${e.allowed ? 'allowed' : 'denied'}`];
  const sides: [string, Explanation['egress']][] = [
    [`egress of ${e.from.name}`, e.egress],
    [`ingress of ${e.to.name}`, e.ingress],
  ];
  for (const [name, side] of sides) {
    lines.push(`  ${name}: ${side.verdict}: ${side.detail}`);
    for (const p of side.isolated_by ?? []) lines.push(`    isolated by ${p.policy} (${p.policy_types.join(', ')}) at ${where(p.place)}`);
    for (const r of side.allowed_by ?? []) {
      const entries = [r.peer && `peer ${r.peer}`, r.port && `port ${r.port}`].filter(Boolean).join(', ');
      lines.push(`    allowed by ${r.policy} ${r.rule}${entries ? ` (${entries})` : ''} at ${where(r.place)}`);
    }
    for (const m of side.denied_because ?? []) {
      lines.push(`    not by ${m.policy}${m.rule ? ` ${m.rule}` : ''}: ${m.reason} at ${where(m.place)}`);
    }
  }
  for (const note of e.notes ?? []) lines.push(`  note: ${note}`);
  return lines;
}
