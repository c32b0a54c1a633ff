/** The reachability graph as SVG: namespace boxes, pod nodes, flow curves; clicks pick a pod or a flow. */
import { h, svg } from '../ui/dom';
import { shortKind } from './endpoints';
import type { GraphLayout } from './layout';

export type GraphSelection = { kind: 'pod'; id: string } | { kind: 'pair'; from: string; to: string } | undefined;

export interface GraphHandlers {
  onPod(id: string): void;
  onEdge(from: string, to: string): void;
}

function clip(text: string, max: number): string {
  return text.length > max ? text.slice(0, max - 1) + '…' : text;
}

export function renderGraph(layout: GraphLayout, selection: GraphSelection, handlers: GraphHandlers): SVGSVGElement {
  const selectedPod = selection?.kind === 'pod' ? selection.id : undefined;
  const isSelectedEdge = (from: string, to: string) => selection?.kind === 'pair' && selection.from === from && selection.to === to;
  const marker = (id: string) =>
    svg('marker', { attrs: { id, viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' } }, svg('path', { attrs: { d: 'M0 0L10 5L0 10z' } }));

  const edges = layout.edges.map((e) => {
    const selected = isSelectedEdge(e.from, e.to);
    let cls = 'edge';
    if (selected) cls += ' edge-selected';
    else if (selectedPod) cls += e.from === selectedPod ? ' edge-out' : e.to === selectedPod ? ' edge-in' : ' edge-dim';
    else if (selection?.kind === 'pair') cls += ' edge-dim';
    const label = `${e.from} → ${e.to}: ${e.ports}`;
    return svg(
      'g',
      {
        class: cls,
        attrs: { 'data-from': e.from, 'data-to': e.to, 'data-testid': 'edge', tabindex: 0, role: 'button', 'aria-label': `Explain ${label}` },
        on: {
          click: (ev) => (ev.stopPropagation(), handlers.onEdge(e.from, e.to)),
          keydown: (ev) => {
            if ((ev as KeyboardEvent).key === 'Enter') handlers.onEdge(e.from, e.to);
          },
        },
      },
      svg('title', null, label),
      svg('path', { class: 'edge-hit', attrs: { d: e.d } }),
      svg('path', { class: 'edge-line', attrs: { d: e.d, 'marker-end': `url(#${selected ? 'nw-arrow-hi' : 'nw-arrow'})` } }),
    );
  });

  const labels = layout.edges
    .filter((e) => isSelectedEdge(e.from, e.to))
    .map((e) => {
      const text = clip(e.ports, 28);
      const w = text.length * 7 + 14;
      return svg(
        'g',
        { class: 'edge-label', attrs: { transform: `translate(${e.mid.x - w / 2} ${e.mid.y - 11})` } },
        svg('rect', { attrs: { width: w, height: 22, rx: 11 } }),
        svg('text', { attrs: { x: w / 2, y: 15, 'text-anchor': 'middle' } }, text),
      );
    });

  const connected = new Set<string>();
  if (selectedPod) for (const e of layout.edges) if (e.from === selectedPod || e.to === selectedPod) connected.add(e.from).add(e.to);

  const nodes = layout.nodes.map((n) => {
    let cls = `node kind-${n.kind}`;
    if (n.id === selectedPod) cls += ' node-selected';
    else if (selectedPod && !connected.has(n.id)) cls += ' node-dim';
    if (selection?.kind === 'pair' && (selection.from === n.id || selection.to === n.id)) cls += ' node-endpoint';
    return svg(
      'g',
      {
        class: cls,
        attrs: { transform: `translate(${n.x} ${n.y})`, 'data-id': n.id, 'data-testid': 'node', tabindex: 0, role: 'button', 'aria-label': `Pod ${n.id}` },
        on: {
          click: (ev) => (ev.stopPropagation(), handlers.onPod(n.id)),
          keydown: (ev) => {
            if ((ev as KeyboardEvent).key === 'Enter') handlers.onPod(n.id);
          },
        },
      },
      svg('title', null, n.id),
      svg('rect', { attrs: { width: n.w, height: n.h, rx: 8 } }),
      svg('text', { class: 'node-kind', attrs: { x: 10, y: 15 } }, shortKind(n.kind)),
      svg('text', { class: 'node-name', attrs: { x: 10, y: 31 } }, clip(n.name, 22)),
    );
  });

  const groups = layout.groups.map((g) =>
    svg(
      'g',
      { class: 'group', attrs: { transform: `translate(${g.x} ${g.y})`, 'data-namespace': g.namespace } },
      svg('rect', { attrs: { width: g.w, height: g.h, rx: 12 } }),
      svg('text', { class: 'group-name', attrs: { x: 12, y: 20 } }, clip(g.namespace, 24)),
    ),
  );

  return svg(
    'svg',
    {
      class: 'graph',
      attrs: { width: layout.width, height: layout.height, viewBox: `0 0 ${layout.width} ${layout.height}`, role: 'group', 'aria-label': 'Allowed flows between pods' },
    },
    svg('defs', null, marker('nw-arrow'), marker('nw-arrow-hi')),
    svg('g', { class: 'groups' }, ...groups),
    svg('g', { class: 'edges' }, ...edges),
    svg('g', { class: 'nodes' }, ...nodes),
    svg('g', { class: 'labels' }, ...labels),
  );
}

/** A message in place of the graph. */
export function graphNotice(text: string): HTMLElement {
  return h('div', { class: 'notice' }, text);
}
