/** The list of findings under the editor: severity, code (opens the rule docs), message, fix, related locations. */
import { countBySeverity } from '../editor/diagnostics';
import { describePosition } from '../editor/positions';
import type { Diagnostic, Range } from '../engine/types';
import { h, setChildren } from '../ui/dom';
import { nameOf } from '../workspace/files';

export interface FindingsActions {
  reveal(uri: string, range: Range): void;
  applyFix(d: Diagnostic): void;
  showDocs(code: string): void;
}

type Filter = 'all' | 'file';

const SEVERITY_LABEL = { error: 'Error', warning: 'Warning', info: 'Info' } as const;

export class FindingsView {
  private filter: Filter = 'all';
  private diagnostics: readonly Diagnostic[] = [];
  private activeUri: string | undefined;
  private readonly counts: HTMLElement;
  private readonly list: HTMLElement;
  private readonly buttons: Record<Filter, HTMLButtonElement>;

  constructor(
    readonly root: HTMLElement,
    private readonly actions: FindingsActions,
  ) {
    this.counts = h('div', { class: 'counts', attrs: { 'data-testid': 'finding-counts' } });
    const filterButton = (filter: Filter, label: string) =>
      h('button', { class: 'seg', attrs: { type: 'button', 'aria-pressed': filter === this.filter }, on: { click: () => this.setFilter(filter) } }, label);
    this.buttons = { all: filterButton('all', 'All files'), file: filterButton('file', 'This file') };
    this.list = h('ul', { class: 'findings-list', attrs: { 'data-testid': 'findings', 'aria-label': 'Findings' } });
    setChildren(
      root,
      h('div', { class: 'pane-head' }, h('h2', null, 'Findings'), this.counts, h('div', { class: 'segmented' }, this.buttons.all, this.buttons.file)),
      this.list,
    );
  }

  update(diagnostics: readonly Diagnostic[], activeUri: string | undefined): void {
    this.diagnostics = diagnostics;
    this.activeUri = activeUri;
    this.render();
  }

  private setFilter(filter: Filter): void {
    this.filter = filter;
    for (const [key, button] of Object.entries(this.buttons)) button.setAttribute('aria-pressed', String(key === filter));
    this.render();
  }

  private render(): void {
    const shown = this.filter === 'file' ? this.diagnostics.filter((d) => d.file === this.activeUri) : this.diagnostics;
    const counts = countBySeverity(shown);
    setChildren(
      this.counts,
      ...(['error', 'warning', 'info'] as const).map((s) =>
        h('span', { class: `count count-${s}`, title: `${counts[s]} ${SEVERITY_LABEL[s].toLowerCase()}${counts[s] === 1 ? '' : 's'}` }, h('i', { class: `sev-dot sev-${s}` }), String(counts[s])),
      ),
    );
    if (shown.length === 0) {
      setChildren(this.list, h('li', { class: 'empty' }, this.diagnostics.length === 0 ? 'No findings. netward has nothing to say about these manifests.' : 'No findings in this file.'));
      return;
    }
    // The open file first, then the others by name (the engine sorts within a file).
    const ordered = [...shown].sort((a, b) => Number(b.file === this.activeUri) - Number(a.file === this.activeUri) || (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
    setChildren(this.list, ...ordered.map((d) => this.item(d)));
  }

  private location(uri: string, range: Range): HTMLButtonElement {
    const name = nameOf(uri) ?? uri;
    return h(
      'button',
      { class: 'loc', attrs: { type: 'button' }, title: `Show ${name} line ${range.start.line + 1}`, on: { click: (e) => (e.stopPropagation(), this.actions.reveal(uri, range)) } },
      `${name}:${describePosition(range.start)}`,
    );
  }

  private item(d: Diagnostic): HTMLLIElement {
    const related = d.related?.length
      ? h('ul', { class: 'related' }, ...d.related.map((r) => h('li', null, this.location(r.file, r.range), ' ', r.message)))
      : null;
    const fix = d.fix
      ? h('button', { class: 'btn btn-small fix', attrs: { type: 'button' }, title: 'Apply the fix', on: { click: (e) => (e.stopPropagation(), this.actions.applyFix(d)) } }, `Fix: ${d.fix.title}`)
      : null;
    return h(
      'li',
      {
        class: `finding sev-${d.severity}`,
        attrs: { 'data-code': d.code, tabindex: 0 },
        on: {
          click: () => this.actions.reveal(d.file, d.range),
          keydown: (e) => {
            if ((e as KeyboardEvent).key === 'Enter') this.actions.reveal(d.file, d.range);
          },
        },
      },
      h('i', { class: `sev-dot sev-${d.severity}`, title: SEVERITY_LABEL[d.severity] }),
      h(
        'div',
        { class: 'finding-main' },
        h(
          'div',
          { class: 'finding-head' },
          h('button', { class: 'code', attrs: { type: 'button' }, title: `Docs of ${d.rule}`, on: { click: (e) => (e.stopPropagation(), this.actions.showDocs(d.code)) } }, d.code),
          h('span', { class: 'rule' }, d.rule),
          this.location(d.file, d.range),
        ),
        h('div', { class: 'finding-msg' }, d.message),
        d.help ? h('div', { class: 'finding-help' }, d.help) : null,
        related,
        fix,
      ),
    );
  }
}
