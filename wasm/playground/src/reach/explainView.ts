/** One connection explained: the verdict, each side's isolation and the rules that decide, linked to the YAML. */
import { describePosition } from '../editor/positions';
import type { Explanation, Place, SideReport } from '../engine/types';
import { h } from '../ui/dom';
import { nameOf } from '../workspace/files';

export interface ExplainHandlers {
  reveal(place: Place): void;
}

function placeLink(place: Place, label: string, handlers: ExplainHandlers): HTMLElement {
  const where = `${nameOf(place.file) ?? place.file}:${describePosition(place.range.start)}`;
  return h('button', { class: 'place', attrs: { type: 'button', 'data-testid': 'place' }, title: `Show ${where}`, on: { click: () => handlers.reveal(place) } }, h('span', { class: 'place-label' }, label), h('span', { class: 'place-where' }, where));
}

const VERDICT_TEXT: Record<string, string> = {
  allowed: 'allowed',
  denied: 'denied',
  'not-isolated': 'not isolated',
  'not-evaluated': 'not evaluated',
  'own-node': 'own node',
};

function side(title: string, endpoint: string, s: SideReport, handlers: ExplainHandlers): HTMLElement {
  const rows: HTMLElement[] = [];
  for (const p of s.isolated_by ?? []) {
    rows.push(h('li', { class: 'isolated' }, h('span', { class: 'tag' }, 'isolated by'), placeLink(p.place, p.policy + (p.policy_types_defaulted ? ' (policyTypes defaulted)' : ''), handlers)));
  }
  for (const r of s.allowed_by ?? []) {
    const parts = [r.rule, r.peer && `peer ${r.peer.replace(`${r.rule}.`, '')}`, r.port && `port ${r.port.replace(`${r.rule}.`, '')}`].filter(Boolean).join(' · ');
    rows.push(h('li', { class: 'allowed-by' }, h('span', { class: 'tag tag-ok' }, 'allowed by'), placeLink(r.place, `${r.policy} ${parts}`, handlers)));
  }
  for (const m of s.denied_because ?? []) {
    rows.push(
      h('li', { class: 'missed' }, h('span', { class: 'tag tag-bad' }, 'no match'), h('div', { class: 'miss' }, placeLink(m.place, `${m.policy}${m.rule ? ' ' + m.rule : ''}`, handlers), h('div', { class: 'reason' }, m.reason))),
    );
  }
  return h(
    'section',
    { class: `side side-${s.verdict}` },
    h('header', null, h('span', { class: 'side-title' }, title), h('span', { class: 'side-endpoint' }, endpoint), h('span', { class: `verdict verdict-${s.verdict}` }, VERDICT_TEXT[s.verdict] ?? s.verdict)),
    h('p', { class: 'detail' }, s.detail),
    rows.length ? h('ul', { class: 'reasons' }, ...rows) : null,
  );
}

export function renderExplanation(x: Explanation, handlers: ExplainHandlers): HTMLElement {
  return h(
    'div',
    { class: `explanation ${x.allowed ? 'is-allowed' : 'is-denied'}`, attrs: { 'data-testid': 'explanation' } },
    h(
      'div',
      { class: 'verdict-banner' },
      h('span', { class: 'badge' }, x.allowed ? 'ALLOWED' : 'DENIED'),
      h('span', { class: 'flow' }, h('b', null, x.from.name), ' → ', h('b', null, x.to.name)),
      h('span', { class: 'proto' }, `${x.protocol}/${x.port}`),
    ),
    side('Egress', `from ${x.from.name}`, x.egress, handlers),
    side('Ingress', `into ${x.to.name}`, x.ingress, handlers),
    x.notes?.length ? h('ul', { class: 'notes' }, ...x.notes.map((n) => h('li', null, n))) : null,
  );
}
