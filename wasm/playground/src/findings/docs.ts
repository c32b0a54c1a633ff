/** The rule docs panel: the engine's Markdown page of a rule, rendered without HTML strings. */
import type { RuleInfo } from '../engine/types';
import { h, setChildren } from '../ui/dom';
import { type Block, type Inline, linkTarget, parseMarkdown } from './markdown';

function inline(nodes: Inline[], openRule: (code: string) => void): Node[] {
  return nodes.map((n) => {
    switch (n.kind) {
      case 'text':
        return document.createTextNode(n.text);
      case 'code':
        return h('code', null, n.text);
      case 'strong':
        return h('strong', null, ...inline(n.children, openRule));
      case 'em':
        return h('em', null, ...inline(n.children, openRule));
      case 'link': {
        const target = linkTarget(n.href);
        const label = inline(n.children, openRule);
        if (target?.kind === 'web') return h('a', { attrs: { href: target.url, target: '_blank', rel: 'noopener noreferrer' } }, ...label);
        if (target?.kind === 'rule') return h('a', { attrs: { href: '#' }, on: { click: (e) => (e.preventDefault(), openRule(target.code)) } }, ...label);
        return h('span', null, ...label);
      }
    }
  });
}

/** DOM of parsed Markdown. */
export function renderBlocks(blocks: Block[], openRule: (code: string) => void): Node[] {
  return blocks.map((b) => {
    switch (b.kind) {
      case 'heading':
        return h(`h${Math.min(6, b.level + 1)}` as 'h2', null, ...inline(b.children, openRule));
      case 'paragraph':
        return h('p', null, ...inline(b.children, openRule));
      case 'code':
        return h('pre', { class: 'code-block', attrs: { 'data-lang': b.lang || undefined } }, h('code', null, b.text));
      case 'list':
        return h(b.ordered ? 'ol' : 'ul', null, ...b.items.map((item) => h('li', null, ...inline(item, openRule))));
      case 'table':
        return h(
          'div',
          { class: 'table-wrap' },
          h(
            'table',
            null,
            b.head.some((c) => c.length > 0) ? h('thead', null, h('tr', null, ...b.head.map((c) => h('th', null, ...inline(c, openRule))))) : null,
            h('tbody', null, ...b.rows.map((row) => h('tr', null, ...row.map((c) => h('td', null, ...inline(c, openRule)))))),
          ),
        );
      case 'rule':
        return h('hr');
    }
  });
}

export class RuleDocsView {
  private rules = new Map<string, RuleInfo>();
  private readonly body: HTMLElement;
  private readonly search: HTMLInputElement;
  current: string | undefined;

  constructor(readonly root: HTMLElement) {
    this.search = h('input', {
      class: 'input',
      attrs: { type: 'search', placeholder: 'Find a rule: code, name or words', 'aria-label': 'Find a rule' },
      on: { input: () => this.renderIndex() },
    });
    this.body = h('div', { class: 'docs-body', attrs: { 'data-testid': 'rule-docs' } });
    setChildren(root, h('div', { class: 'docs-toolbar' }, this.search), this.body);
  }

  setRules(rules: RuleInfo[]): void {
    this.rules = new Map(rules.map((r) => [r.code, r]));
    if (this.current) this.show(this.current);
    else this.renderIndex();
  }

  /** Shows one rule's page. */
  show(code: string): void {
    this.current = code;
    const rule = this.rules.get(code);
    if (!rule) {
      setChildren(this.body, h('p', { class: 'muted' }, `No documentation for ${code}.`));
      return;
    }
    const back = h('button', { class: 'btn btn-ghost btn-small', attrs: { type: 'button' }, on: { click: () => ((this.current = undefined), this.renderIndex()) } }, '← All rules');
    const page = rule.docs ? renderBlocks(parseMarkdown(rule.docs), (c) => this.show(c)) : [h('h2', null, `${rule.code} ${rule.name}`), h('p', null, rule.summary)];
    setChildren(this.body, back, h('article', { class: 'markdown' }, ...page));
    this.body.scrollTop = 0;
  }

  private renderIndex(): void {
    this.current = undefined;
    const q = this.search.value.trim().toLowerCase();
    const shown = [...this.rules.values()].filter((r) => !q || `${r.code} ${r.name} ${r.summary} ${r.category}`.toLowerCase().includes(q));
    setChildren(
      this.body,
      h(
        'ul',
        { class: 'rule-index' },
        ...shown.map((r) =>
          h(
            'li',
            null,
            h(
              'button',
              { class: 'rule-link', attrs: { type: 'button' }, on: { click: () => this.show(r.code) } },
              h('span', { class: 'code' }, r.code),
              h('span', { class: `sev-dot sev-${r.severity}` }),
              h('span', { class: 'rule-name' }, r.name),
              h('span', { class: 'rule-summary' }, r.summary),
            ),
          ),
        ),
      ),
    );
  }
}
