/**
 * The reachability panel: port and protocol filter, graph or matrix of the allowed flows,
 * and below it the picked pod (who reaches it, whom it reaches) or the explained connection.
 */
import type { EngineClient } from '../engine/client';
import type { ClusterView, Flow, Place, Protocol } from '../engine/types';
import { h, setChildren } from '../ui/dom';
import { parsePorts, portToExplain, PROTOCOLS } from './endpoints';
import { responsiblePlaces } from './explain';
import { renderExplanation } from './explainView';
import { type GraphSelection, graphNotice, renderGraph } from './graph';
import { layoutGraph } from './layout';
import { buildMatrix } from './matrix';
import { renderMatrix } from './matrixView';

export interface ReachHandlers {
  /** Shows places in the editor; the first is selected. */
  reveal(primary: Place, all: Place[]): void;
}

/** Above this many pods the graph is unreadable: the matrix only. */
const MAX_GRAPH_PODS = 120;
/** Above this many the matrix too. */
const MAX_MATRIX_PODS = 300;

type Mode = 'graph' | 'matrix';

export class ReachView {
  private mode: Mode = 'graph';
  private port: number | undefined;
  private protocol: Protocol = 'TCP';
  private selection: GraphSelection;
  private cluster: ClusterView | undefined;
  private flows: Flow[] = [];
  private notes: string[] = [];
  private stale = true;
  private refreshing: Promise<void> | undefined;
  private detailToken = 0;

  private readonly portInput: HTMLInputElement;
  private readonly protocolSelect: HTMLSelectElement;
  private readonly modeButtons: Record<Mode, HTMLButtonElement>;
  private readonly canvas: HTMLElement;
  private readonly detail: HTMLElement;
  private readonly summary: HTMLElement;

  constructor(
    readonly root: HTMLElement,
    private readonly engine: EngineClient,
    private readonly handlers: ReachHandlers,
    private readonly isVisible: () => boolean,
  ) {
    this.portInput = h('input', {
      class: 'input port-input',
      attrs: { type: 'number', min: 1, max: 65535, placeholder: 'any', 'aria-label': 'Destination port (empty: any port)', 'data-testid': 'reach-port' },
      on: { change: () => this.setFilter() },
    });
    this.protocolSelect = h('select', { class: 'input', attrs: { 'aria-label': 'Protocol', 'data-testid': 'reach-protocol' }, on: { change: () => this.setFilter() } }, ...PROTOCOLS.map((p) => h('option', { attrs: { value: p } }, p)));
    const modeButton = (mode: Mode, label: string) =>
      h('button', { class: 'seg', attrs: { type: 'button', 'aria-pressed': mode === this.mode, 'data-testid': `reach-${mode}` }, on: { click: () => this.setMode(mode) } }, label);
    this.modeButtons = { graph: modeButton('graph', 'Graph'), matrix: modeButton('matrix', 'Matrix') };
    this.summary = h('div', { class: 'reach-summary', attrs: { 'data-testid': 'reach-summary' } });
    // A click on the background (not on a pod, a flow or a cell) clears the pick.
    this.canvas = h('div', {
      class: 'reach-canvas',
      on: {
        click: (e) => {
          if (!(e.target as Element).closest('button, .node, .edge')) this.select(undefined);
        },
      },
    });
    this.detail = h('div', { class: 'reach-detail', attrs: { 'data-testid': 'reach-detail' } });
    setChildren(
      root,
      h(
        'div',
        { class: 'toolbar' },
        h('label', { class: 'field' }, h('span', null, 'Port'), this.portInput),
        h('label', { class: 'field' }, h('span', null, 'Protocol'), this.protocolSelect),
        h('div', { class: 'segmented' }, this.modeButtons.graph, this.modeButtons.matrix),
        this.summary,
      ),
      this.canvas,
      this.detail,
    );
    this.renderDetail();
  }

  /** The manifests changed: recompute now if visible, else when shown. */
  invalidate(): void {
    this.stale = true;
    if (this.isVisible()) void this.refresh();
  }

  /** The panel became visible. */
  shown(): void {
    if (this.stale) void this.refresh();
  }

  /** Sets the filter (from an example): port undefined means any. */
  setQuery(port: number | undefined, protocol: Protocol = 'TCP'): void {
    this.port = port;
    this.protocol = protocol;
    this.portInput.value = port === undefined ? '' : String(port);
    this.protocolSelect.value = protocol;
    this.selection = undefined;
    this.stale = true;
    this.renderDetail();
  }

  /** Resolves when the view shows the current manifests. */
  async refresh(): Promise<void> {
    if (this.refreshing) {
      await this.refreshing;
      if (!this.stale) return;
    }
    this.stale = false;
    this.refreshing = this.load().finally(() => (this.refreshing = undefined));
    await this.refreshing;
  }

  private async load(): Promise<void> {
    try {
      const query = this.port === undefined ? {} : { port: this.port, protocol: this.protocol };
      const [cluster, answer] = await Promise.all([this.engine.call('cluster'), this.engine.call('reach', query)]);
      this.cluster = cluster;
      this.flows = answer.flows;
      this.notes = answer.notes;
      const ids = new Set(cluster.pods.map((p) => p.name));
      if (this.selection?.kind === 'pod' && !ids.has(this.selection.id)) this.selection = undefined;
      if (this.selection?.kind === 'pair' && !(ids.has(this.selection.from) && ids.has(this.selection.to))) this.selection = undefined;
      this.render();
      await this.renderDetail();
    } catch (error) {
      setChildren(this.canvas, graphNotice(`The engine could not answer: ${error instanceof Error ? error.message : String(error)}`));
    }
  }

  private setFilter(): void {
    const raw = this.portInput.value.trim();
    const port = raw === '' ? undefined : Number(raw);
    if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
      this.portInput.setCustomValidity('a port from 1 to 65535, or empty for any');
      this.portInput.reportValidity();
      return;
    }
    this.portInput.setCustomValidity('');
    this.port = port;
    this.protocol = this.protocolSelect.value as Protocol;
    void this.refresh();
  }

  private setMode(mode: Mode): void {
    this.mode = mode;
    for (const [key, button] of Object.entries(this.modeButtons)) button.setAttribute('aria-pressed', String(key === mode));
    this.render();
  }

  private select(selection: GraphSelection): void {
    this.selection = selection;
    this.render();
    void this.renderDetail();
  }

  /** The pods by namespace, then name (the graph and the matrix agree on the order). */
  private pods(): string[] {
    return (this.cluster?.pods ?? []).map((p) => p.name).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  }

  private render(): void {
    const pods = this.pods();
    const filter = this.port === undefined ? 'any port' : `${this.protocol}/${this.port}`;
    setChildren(this.summary, `${pods.length} pod${pods.length === 1 ? '' : 's'} · ${this.flows.length} allowed flow${this.flows.length === 1 ? '' : 's'} on ${filter}`);
    if (!this.cluster) return;
    if (pods.length === 0) {
      setChildren(this.canvas, graphNotice('No pods yet. Add Pods or workloads (Deployment, StatefulSet, DaemonSet, Job, ...) to see who can reach whom.'));
      return;
    }
    const handlers = {
      onPod: (id: string) => this.select({ kind: 'pod', id }),
      onEdge: (from: string, to: string) => this.select({ kind: 'pair', from, to }),
      onCell: (from: string, to: string) => this.select({ kind: 'pair', from, to }),
    };
    const notes = this.notes.length ? h('ul', { class: 'notes' }, ...this.notes.map((n) => h('li', null, n))) : null;
    if (this.mode === 'graph' && pods.length <= MAX_GRAPH_PODS) {
      const layout = layoutGraph({ namespaces: this.cluster.namespaces.map((n) => n.name), pods, flows: this.flows });
      setChildren(this.canvas, renderGraph(layout, this.selection, handlers), notes);
    } else if (pods.length <= MAX_MATRIX_PODS) {
      const lead = this.mode === 'graph' ? graphNotice(`${pods.length} pods are too many to draw: the matrix instead.`) : null;
      setChildren(this.canvas, lead, renderMatrix(buildMatrix(pods, this.flows), this.selection, handlers), notes);
    } else {
      setChildren(this.canvas, graphNotice(`${pods.length} pods: too many to draw. Pick a pod through "Who can reach" queries, or load fewer files.`), notes);
    }
  }

  /** The picked pod or pair, asked of the engine; a newer pick cancels an older answer. */
  private async renderDetail(): Promise<void> {
    const token = ++this.detailToken;
    const selection = this.selection;
    if (!selection) {
      const on = this.port === undefined ? 'on any port' : `on ${this.protocol}/${this.port}`;
      setChildren(
        this.detail,
        h('p', { class: 'hint' }, 'Click a flow (an arrow, or a matrix cell) to see why it is allowed or denied, and the rule that decides. Click a pod to see who can reach it and whom it can reach.'),
        h('p', { class: 'hint' }, `An arrow is a connection the NetworkPolicies allow ${on}; no arrow means denied.${this.port === undefined ? '' : ' Empty the port field to see every allowed port.'}`),
      );
      return;
    }
    const filter = this.port === undefined ? undefined : { port: this.port, protocol: this.protocol };
    try {
      if (selection.kind === 'pod') {
        const query = filter ?? {};
        const [incoming, outgoing] = await Promise.all([this.engine.call('reach', { ...query, to: selection.id }), this.engine.call('reach', { ...query, from: selection.id })]);
        if (token !== this.detailToken) return;
        setChildren(this.detail, this.podDetail(selection.id, incoming.flows, outgoing.flows));
        return;
      }
      const flow = this.flows.find((f) => f.from === selection.from && f.to === selection.to);
      const declared = this.cluster?.pods.find((p) => p.name === selection.to)?.ports ?? [];
      const { port, protocol } = portToExplain(flow ? parsePorts(flow.ports) : undefined, filter, declared);
      await this.explain(selection.from, selection.to, port, protocol, token);
    } catch (error) {
      if (token === this.detailToken) setChildren(this.detail, h('p', { class: 'error-text' }, error instanceof Error ? error.message : String(error)));
    }
  }

  private async explain(from: string, to: string, port: number, protocol: Protocol, token = ++this.detailToken): Promise<void> {
    const x = await this.engine.call('explain', { from, to, port, protocol });
    if (token !== this.detailToken) return;
    const portField = h('input', { class: 'input port-input', attrs: { type: 'number', min: 1, max: 65535, value: port, 'aria-label': 'Port to explain' } });
    const protoField = h('select', { class: 'input', attrs: { 'aria-label': 'Protocol to explain' } }, ...PROTOCOLS.map((p) => h('option', { attrs: { value: p, selected: p === protocol } }, p)));
    const form = h(
      'form',
      {
        class: 'explain-form',
        on: {
          submit: (e) => {
            e.preventDefault();
            const p = Number(portField.value);
            if (Number.isInteger(p) && p >= 1 && p <= 65535) void this.explain(from, to, p, protoField.value as Protocol);
          },
        },
      },
      h('span', null, 'Explain on'),
      protoField,
      portField,
      h('button', { class: 'btn btn-small', attrs: { type: 'submit' } }, 'Explain'),
    );
    const reveal = (place: Place) => this.handlers.reveal(place, [place]);
    setChildren(this.detail, form, renderExplanation(x, { reveal }));
    const { primary, all } = responsiblePlaces(x);
    if (primary) this.handlers.reveal(primary, all);
  }

  private podDetail(id: string, incoming: Flow[], outgoing: Flow[]): HTMLElement {
    const list = (flows: Flow[], pick: (f: Flow) => string, empty: string) =>
      flows.length === 0
        ? h('p', { class: 'muted' }, empty)
        : h(
            'ul',
            { class: 'peer-list' },
            ...flows.map((f) =>
              h(
                'li',
                null,
                h('button', { class: 'peer', attrs: { type: 'button' }, title: 'Explain this flow', on: { click: () => this.select({ kind: 'pair', from: f.from, to: f.to }) } }, h('span', null, pick(f)), h('span', { class: 'ports' }, f.ports)),
              ),
            ),
          );
    const pod = this.cluster?.pods.find((p) => p.name === id);
    const openPod = pod
      ? h('button', { class: 'btn btn-ghost btn-small', attrs: { type: 'button' }, on: { click: () => this.handlers.reveal({ file: pod.file, range: pod.range }, [{ file: pod.file, range: pod.range }]) } }, 'Show manifest')
      : null;
    const labels = pod ? Object.entries(pod.labels).map(([k, v]) => h('code', { class: 'label-chip' }, `${k}=${v}`)) : [];
    const ports = pod?.ports.map((p) => h('code', { class: 'label-chip' }, `${p.protocol}/${p.port}${p.name ? ` (${p.name})` : ''}`)) ?? [];
    return h(
      'div',
      { class: 'pod-detail', attrs: { 'data-testid': 'pod-detail' } },
      h('div', { class: 'pod-head' }, h('h3', null, id), openPod),
      labels.length || ports.length ? h('div', { class: 'chips' }, ...labels, ...ports) : null,
      h('div', { class: 'two-cols' }, h('section', null, h('h4', null, `Reachable from (${incoming.length})`), list(incoming, (f) => f.from, 'No pod can reach it.')), h('section', null, h('h4', null, `Can reach (${outgoing.length})`), list(outgoing, (f) => f.to, 'It can reach no pod.'))),
    );
  }
}
