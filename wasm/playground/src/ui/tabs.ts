/** The file tabs above the editor: open, close, rename in place (double-click or F2), add. */
import { h, setChildren } from './dom';

export interface TabsActions {
  open(name: string): void;
  close(name: string): void;
  /** Answers why the name is refused, or undefined after renaming. */
  rename(from: string, to: string): string | undefined;
  add(): void;
}

export interface TabInfo {
  name: string;
  errors: number;
  warnings: number;
}

export class TabsView {
  private tabs: TabInfo[] = [];
  private active: string | undefined;
  private editing: string | undefined;

  constructor(
    readonly root: HTMLElement,
    private readonly actions: TabsActions,
  ) {
    root.setAttribute('role', 'tablist');
    root.setAttribute('aria-label', 'Files');
  }

  update(tabs: TabInfo[], active: string | undefined): void {
    this.tabs = tabs;
    this.active = active;
    this.render();
  }

  /** Starts renaming a tab. */
  startRename(name: string): void {
    this.editing = name;
    this.render();
  }

  private render(): void {
    const items = this.tabs.map((t) => (t.name === this.editing ? this.renameField(t.name) : this.tab(t)));
    const add = h('button', { class: 'tab-add', attrs: { type: 'button', 'aria-label': 'New file', 'data-testid': 'new-file' }, title: 'New file', on: { click: () => this.actions.add() } }, '+');
    setChildren(this.root, ...items, add);
    this.root.querySelector<HTMLElement>('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  private tab(t: TabInfo): HTMLElement {
    const selected = t.name === this.active;
    const badge = t.errors > 0 ? h('span', { class: 'tab-badge sev-error', title: `${t.errors} error${t.errors === 1 ? '' : 's'}` }, String(t.errors)) : t.warnings > 0 ? h('span', { class: 'tab-badge sev-warning', title: `${t.warnings} warning${t.warnings === 1 ? '' : 's'}` }, String(t.warnings)) : null;
    return h(
      'div',
      { class: `tab${selected ? ' active' : ''}`, attrs: { 'data-name': t.name } },
      h(
        'button',
        {
          class: 'tab-name',
          attrs: { type: 'button', role: 'tab', 'aria-selected': selected, 'data-testid': 'tab' },
          title: `${t.name} (double-click or F2 to rename)`,
          on: {
            click: () => this.actions.open(t.name),
            dblclick: () => this.startRename(t.name),
            keydown: (e) => {
              if ((e as KeyboardEvent).key === 'F2') this.startRename(t.name);
            },
            auxclick: (e) => {
              if ((e as MouseEvent).button === 1) this.actions.close(t.name);
            },
          },
        },
        t.name,
        badge,
      ),
      h('button', { class: 'tab-close', attrs: { type: 'button', 'aria-label': `Close ${t.name}` }, title: 'Close', on: { click: () => this.actions.close(t.name) } }, '×'),
    );
  }

  private renameField(name: string): HTMLElement {
    const input = h('input', { class: 'tab-rename', attrs: { value: name, 'aria-label': `New name for ${name}`, spellcheck: 'false', 'data-testid': 'rename' } });
    let done = false;
    /** Enter keeps the field open on a refused name; leaving the field drops it. */
    const finish = (commit: boolean, leaving = false) => {
      if (done) return;
      const to = input.value.trim();
      if (commit && to !== name) {
        const problem = this.actions.rename(name, to);
        if (problem && !leaving) {
          input.setCustomValidity(problem);
          input.reportValidity();
          return;
        }
      }
      done = true;
      this.editing = undefined;
      this.render();
    };
    input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') finish(true);
      if (e.key === 'Escape') finish(false);
    });
    input.addEventListener('input', () => input.setCustomValidity(''));
    input.addEventListener('blur', () => finish(true, true));
    queueMicrotask(() => {
      input.focus();
      const dot = name.lastIndexOf('.');
      input.setSelectionRange(0, dot > 0 ? dot : name.length);
    });
    return h('div', { class: 'tab active editing' }, input);
  }
}
