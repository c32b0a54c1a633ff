/** The reachability matrix as a table: rows are sources, columns destinations. */
import { h } from '../ui/dom';
import type { GraphSelection } from './graph';
import { parseEndpoint, shortKind } from './endpoints';
import type { Matrix } from './matrix';

export interface MatrixHandlers {
  onPod(id: string): void;
  onCell(from: string, to: string): void;
}

function podLabel(id: string): HTMLElement {
  const e = parseEndpoint(id);
  return h('span', { class: 'pod-label', title: id }, h('span', { class: 'ns' }, e.namespace + '/'), h('span', { class: 'kind' }, shortKind(e.kind) + '/'), e.name);
}

export function renderMatrix(matrix: Matrix, selection: GraphSelection, handlers: MatrixHandlers): HTMLElement {
  const selectedPod = selection?.kind === 'pod' ? selection.id : undefined;
  const head = h(
    'tr',
    null,
    h('th', { class: 'corner' }, h('span', null, 'from ↓ · to →')),
    ...matrix.pods.map((p) =>
      h('th', { class: `col-head${p === selectedPod ? ' selected' : ''}`, attrs: { scope: 'col' } }, h('button', { class: 'vertical', attrs: { type: 'button' }, on: { click: () => handlers.onPod(p) } }, podLabel(p))),
    ),
  );
  const rows = matrix.pods.map((from, i) =>
    h(
      'tr',
      { class: from === selectedPod ? 'selected' : undefined },
      h('th', { class: 'row-head', attrs: { scope: 'row' } }, h('button', { attrs: { type: 'button' }, on: { click: () => handlers.onPod(from) } }, podLabel(from), h('span', { class: 'tally', title: 'destinations it may reach' }, String(matrix.outgoing[i])))),
      ...matrix.pods.map((to, j) => {
        if (i === j) return h('td', { class: 'cell self', title: 'the pod itself' }, '');
        const ports = matrix.cells[i][j];
        const picked = selection?.kind === 'pair' && selection.from === from && selection.to === to;
        const cls = `cell ${ports ? 'allowed' : 'denied'}${picked ? ' picked' : ''}${selectedPod && selectedPod !== from && selectedPod !== to ? ' dim' : ''}`;
        const label = `${from} → ${to}: ${ports ?? 'denied'}`;
        return h(
          'td',
          { class: cls },
          h('button', { attrs: { type: 'button', 'aria-label': `Explain ${label}`, 'data-from': from, 'data-to': to, 'data-testid': 'cell' }, title: label, on: { click: () => handlers.onCell(from, to) } }, ports ? '✓' : '·'),
        );
      }),
    ),
  );
  return h('div', { class: 'matrix-wrap' }, h('table', { class: 'matrix', attrs: { 'data-testid': 'matrix' } }, h('thead', null, head), h('tbody', null, ...rows)));
}
