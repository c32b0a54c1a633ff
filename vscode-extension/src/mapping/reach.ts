/** The answer of "who can reach this?" as quick-pick items and as a text report. */
import type { Explanation, ReachAnswer } from '../engine/types';

export interface ReachItem {
  label: string;
  description: string;
  /** The source endpoint, for a follow-up `explain`. */
  from: string;
  /** The first port of the flow (`TCP/80` → 80, TCP), when one is named. */
  port?: { number: number; protocol: 'TCP' | 'UDP' | 'SCTP' };
}

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

/** `TCP 80, UDP 53` (or `TCP/80`) → TCP 80; `TCP 8000-8080` → TCP 8000; `all` → none. */
export function firstPort(ports: string): ReachItem['port'] {
  const match = /\b(TCP|UDP|SCTP)[ /](\d+)/.exec(ports);
  if (!match) return undefined;
  return { number: Number(match[2]), protocol: match[1] as 'TCP' | 'UDP' | 'SCTP' };
}

/** The answer as lines for the output channel. */
export function reachReport(endpoint: string, answer: ReachAnswer): string[] {
  const lines = [`Who can reach ${endpoint}:`];
  if (answer.flows.length === 0) lines.push('  nobody (no allowed flow)');
  for (const item of reachItems(answer)) lines.push(`  ${item.label} → ${item.description}`);
  for (const note of answer.notes) lines.push(`  note: ${note}`);
  return lines;
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
