/** Reach endpoint names (`ns/pod`, `ns/deployment/web`) and the port summaries of flows. */
import type { Protocol } from '../engine/types';

export interface EndpointName {
  namespace: string;
  /** `pod` for a bare pod, else the workload kind in lower case (`deployment`). */
  kind: string;
  name: string;
}

/** Splits an endpoint name; anything else (an address) is its own namespace-less name. */
export function parseEndpoint(id: string): EndpointName {
  const parts = id.split('/');
  if (parts.length === 3) return { namespace: parts[0], kind: parts[1], name: parts[2] };
  if (parts.length === 2) return { namespace: parts[0], kind: 'pod', name: parts[1] };
  return { namespace: '', kind: 'external', name: id };
}

/** A short form for small spaces: `deploy/web`. */
export function shortKind(kind: string): string {
  const short: Record<string, string> = {
    deployment: 'deploy',
    statefulset: 'sts',
    daemonset: 'ds',
    replicaset: 'rs',
    replicationcontroller: 'rc',
    cronjob: 'cronjob',
    job: 'job',
    pod: 'pod',
  };
  return short[kind] ?? kind;
}

export const PROTOCOLS: readonly Protocol[] = ['TCP', 'UDP', 'SCTP'];

/** Allowed port ranges per protocol; `all` when every port of every protocol is. */
export type PortSet = { all: true } | { all: false; ranges: { protocol: Protocol; from: number; to: number }[] };

/** Reads a flow's `ports` as `netward reach` writes it: `all ports`, `TCP 80,443; UDP 53`, `TCP 8000-8080`. */
export function parsePorts(text: string): PortSet {
  const trimmed = text.trim();
  if (/^all( ports)?$/i.test(trimmed)) return { all: true };
  const ranges: { protocol: Protocol; from: number; to: number }[] = [];
  for (const part of trimmed.split(';')) {
    const m = /^\s*(TCP|UDP|SCTP)\s+(.+?)\s*$/.exec(part);
    if (!m) continue;
    const protocol = m[1] as Protocol;
    for (const item of m[2].split(',')) {
      const r = /^\s*(\d+)(?:\s*-\s*(\d+))?\s*$/.exec(item);
      if (!r) continue;
      const from = Number(r[1]);
      ranges.push({ protocol, from, to: r[2] ? Number(r[2]) : from });
    }
  }
  return { all: false, ranges };
}

/** A port to explain a flow with: the filter's when set, else the first the flow allows, else the destination's first declared port. */
export function portToExplain(
  ports: PortSet | undefined,
  filter: { port: number; protocol: Protocol } | undefined,
  declared: readonly { port: number; protocol: Protocol }[],
): { port: number; protocol: Protocol } {
  if (filter) return filter;
  if (ports && !ports.all && ports.ranges.length > 0) {
    const first = ports.ranges[0];
    const inDeclared = declared.find((d) => d.protocol === first.protocol && d.port >= first.from && d.port <= first.to);
    return inDeclared ?? { port: first.from, protocol: first.protocol };
  }
  return declared[0] ?? { port: 80, protocol: 'TCP' };
}
