/**
 * A deterministic layout of the reachability graph: one column per namespace (sources to the
 * left, destinations to the right), pods stacked by name inside it, flows as curves between
 * points spread along the nodes' sides.
 */
import type { Flow } from '../engine/types';
import { parseEndpoint } from './endpoints';

export interface LayoutInput {
  /** Namespaces to draw, even those without pods. */
  namespaces: readonly string[];
  pods: readonly string[];
  flows: readonly Flow[];
}

export interface GroupBox {
  namespace: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface NodeBox {
  id: string;
  namespace: string;
  kind: string;
  name: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface EdgePath {
  from: string;
  to: string;
  ports: string;
  /** SVG path data. */
  d: string;
  /** The curve's middle, for a label. */
  mid: { x: number; y: number };
}

export interface GraphLayout {
  width: number;
  height: number;
  groups: GroupBox[];
  nodes: NodeBox[];
  edges: EdgePath[];
}

export const SIZES = {
  margin: 20,
  nodeW: 176,
  nodeH: 40,
  nodeGap: 14,
  groupPad: 12,
  groupHead: 30,
  columnGap: 120,
  loop: 36,
};

/**
 * Namespaces ordered so flows mostly go left to right: more outgoing than incoming first, then
 * by name; namespaces without pods (when `populated` is given) last.
 */
export function orderNamespaces(namespaces: readonly string[], flows: readonly Flow[], populated?: ReadonlySet<string>): string[] {
  const score = new Map(namespaces.map((n) => [n, 0]));
  for (const f of flows) {
    const a = parseEndpoint(f.from).namespace;
    const b = parseEndpoint(f.to).namespace;
    if (a === b || !score.has(a) || !score.has(b)) continue;
    score.set(a, score.get(a)! + 1);
    score.set(b, score.get(b)! - 1);
  }
  const empty = (n: string) => (populated && !populated.has(n) ? 1 : 0);
  return [...namespaces].sort((a, b) => empty(a) - empty(b) || score.get(b)! - score.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
}

const r = (n: number) => Math.round(n * 10) / 10;

/** Cubic Bézier point at t. */
function bezier(p0: number, p1: number, p2: number, p3: number, t: number): number {
  const u = 1 - t;
  return u * u * u * p0 + 3 * u * u * t * p1 + 3 * u * t * t * p2 + t * t * t * p3;
}

export function layoutGraph(input: LayoutInput): GraphLayout {
  const S = SIZES;
  const namespaces = new Set(input.namespaces);
  const populated = new Set(input.pods.map((p) => parseEndpoint(p).namespace));
  for (const n of populated) namespaces.add(n);
  const columns = orderNamespaces([...namespaces], input.flows, populated);

  const groups: GroupBox[] = [];
  const nodes: NodeBox[] = [];
  const byId = new Map<string, NodeBox>();
  const column = new Map<string, number>();
  let height = 0;
  columns.forEach((ns, c) => {
    const x = S.margin + c * (S.nodeW + 2 * S.groupPad + S.columnGap);
    const pods = input.pods.filter((p) => parseEndpoint(p).namespace === ns).sort();
    const inner = pods.length === 0 ? S.nodeH * 0.6 : pods.length * S.nodeH + (pods.length - 1) * S.nodeGap;
    const group = { namespace: ns, x, y: S.margin, w: S.nodeW + 2 * S.groupPad, h: S.groupHead + inner + S.groupPad };
    groups.push(group);
    height = Math.max(height, group.y + group.h + S.margin);
    pods.forEach((id, i) => {
      const e = parseEndpoint(id);
      const node = { id, namespace: ns, kind: e.kind, name: e.name, x: x + S.groupPad, y: group.y + S.groupHead + i * (S.nodeH + S.nodeGap), w: S.nodeW, h: S.nodeH };
      nodes.push(node);
      byId.set(id, node);
      column.set(id, c);
    });
  });
  const width = columns.length === 0 ? 0 : groups[groups.length - 1].x + groups[groups.length - 1].w + S.margin + S.loop;

  // Which side of each node every edge leaves or enters; then spread the points along that side.
  type End = { edge: number; node: NodeBox; side: 'left' | 'right'; other: NodeBox };
  const edges = input.flows.filter((f) => f.from !== f.to && byId.has(f.from) && byId.has(f.to));
  const ends: End[] = [];
  edges.forEach((f, k) => {
    const a = byId.get(f.from)!;
    const b = byId.get(f.to)!;
    const ca = column.get(f.from)!;
    const cb = column.get(f.to)!;
    const aSide = ca < cb ? 'right' : ca > cb ? 'left' : 'right';
    const bSide = ca < cb ? 'left' : ca > cb ? 'right' : 'right';
    ends.push({ edge: k, node: a, side: aSide, other: b }, { edge: k, node: b, side: bSide, other: a });
  });
  const anchor = new Map<string, number>(); // `${edge}:${node}` -> y
  const bySide = new Map<string, End[]>();
  for (const e of ends) {
    const key = `${e.node.id}|${e.side}`;
    const list = bySide.get(key);
    if (list) list.push(e);
    else bySide.set(key, [e]);
  }
  for (const list of bySide.values()) {
    list.sort((p, q) => p.other.y - q.other.y || p.other.x - q.other.x || p.edge - q.edge);
    list.forEach((e, i) => anchor.set(`${e.edge}:${e.node.id}`, e.node.y + (e.node.h * (i + 1)) / (list.length + 1)));
  }

  const paths: EdgePath[] = edges.map((f, k) => {
    const a = byId.get(f.from)!;
    const b = byId.get(f.to)!;
    const ca = column.get(f.from)!;
    const cb = column.get(f.to)!;
    const ay = anchor.get(`${k}:${a.id}`)!;
    const by = anchor.get(`${k}:${b.id}`)!;
    let p: [number, number, number, number, number, number, number, number];
    if (ca === cb) {
      // Same column: a loop out of the right side, wider for nodes further apart.
      const ax = a.x + a.w;
      const bx = b.x + b.w;
      const reach = S.groupPad + S.loop * 0.6 + Math.min(S.loop, Math.abs(by - ay) / 6);
      p = [ax, ay, ax + reach, ay, bx + reach, by, bx, by];
    } else {
      const forward = ca < cb;
      const ax = forward ? a.x + a.w : a.x;
      const bx = forward ? b.x : b.x + b.w;
      const dx = Math.max(50, Math.abs(bx - ax) / 2) * (forward ? 1 : -1);
      p = [ax, ay, ax + dx, ay, bx - dx, by, bx, by];
    }
    const d = `M${r(p[0])} ${r(p[1])}C${r(p[2])} ${r(p[3])} ${r(p[4])} ${r(p[5])} ${r(p[6])} ${r(p[7])}`;
    const mid = { x: r(bezier(p[0], p[2], p[4], p[6], 0.5)), y: r(bezier(p[1], p[3], p[5], p[7], 0.5)) };
    return { from: f.from, to: f.to, ports: f.ports, d, mid };
  });

  return { width: r(width), height: r(height), groups, nodes, edges: paths };
}
