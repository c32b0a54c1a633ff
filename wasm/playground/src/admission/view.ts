/** "What the webhook would answer": each Service, NetworkPolicy and Ingress of the open file, reviewed as a CREATE. */
import type { EngineClient } from '../engine/client';
import type { AdmissionAnswer, AdmissionMode, Range } from '../engine/types';
import { h, setChildren } from '../ui/dom';
import { nameOf } from '../workspace/files';
import { kubectlOutput } from './kubectl';

export interface AdmissionHandlers {
  reveal(uri: string, range: Range): void;
  showDocs(code: string): void;
}

const MODES: { mode: AdmissionMode; label: string; what: string }[] = [
  { mode: 'enforce', label: 'enforce', what: 'error findings deny; warnings go back as API warnings' },
  { mode: 'warn', label: 'warn', what: 'never deny: every finding becomes a warning' },
  { mode: 'audit', label: 'audit', what: 'allow silently; findings go into audit annotations' },
];

export class AdmissionView {
  private mode: AdmissionMode = 'enforce';
  private uri: string | undefined;
  private token = 0;
  private stale = true;
  private readonly buttons = new Map<AdmissionMode, HTMLButtonElement>();
  private readonly modeHelp: HTMLElement;
  private readonly body: HTMLElement;

  constructor(
    readonly root: HTMLElement,
    private readonly engine: EngineClient,
    private readonly handlers: AdmissionHandlers,
    private readonly isVisible: () => boolean,
  ) {
    for (const m of MODES) {
      this.buttons.set(
        m.mode,
        h('button', { class: 'seg', attrs: { type: 'button', 'aria-pressed': m.mode === this.mode, 'data-testid': `mode-${m.mode}` }, title: m.what, on: { click: () => this.setMode(m.mode) } }, m.label),
      );
    }
    this.modeHelp = h('span', { class: 'muted mode-help' });
    this.body = h('div', { class: 'admission-body', attrs: { 'data-testid': 'admission' } });
    setChildren(root, h('div', { class: 'toolbar' }, h('span', { class: 'field-label' }, 'Mode'), h('div', { class: 'segmented' }, ...this.buttons.values()), this.modeHelp), this.body);
    this.updateModeHelp();
  }

  /** The open file or the manifests changed. */
  invalidate(uri: string | undefined): void {
    this.uri = uri;
    this.stale = true;
    if (this.isVisible()) void this.refresh();
  }

  shown(): void {
    if (this.stale) void this.refresh();
  }

  setMode(mode: AdmissionMode): void {
    this.mode = mode;
    for (const [m, b] of this.buttons) b.setAttribute('aria-pressed', String(m === mode));
    this.updateModeHelp();
    void this.refresh();
  }

  private updateModeHelp(): void {
    this.modeHelp.textContent = `--mode ${this.mode}: ${MODES.find((m) => m.mode === this.mode)!.what}`;
  }

  async refresh(): Promise<void> {
    this.stale = false;
    const token = ++this.token;
    const uri = this.uri;
    if (!uri) {
      setChildren(this.body, h('p', { class: 'hint' }, 'Open a file to see how the admission webhook would answer for it.'));
      return;
    }
    try {
      const answers = await this.engine.call('admission', uri, this.mode);
      if (token !== this.token) return;
      this.render(uri, answers);
    } catch (error) {
      if (token === this.token) setChildren(this.body, h('p', { class: 'error-text' }, error instanceof Error ? error.message : String(error)));
    }
  }

  private render(uri: string, answers: AdmissionAnswer[]): void {
    const file = nameOf(uri) ?? uri;
    const intro = h(
      'p',
      { class: 'hint' },
      `Each Service, NetworkPolicy and Ingress of ${file}, sent as a CREATE to `,
      h('code', null, `netward serve --mode ${this.mode}`),
      '. The webhook sees one object at a time: rules that need other objects (pods, other Services) run only in the editor and in ',
      h('code', null, 'netward check'),
      '.',
    );
    if (answers.length === 0) {
      setChildren(this.body, intro, h('div', { class: 'notice' }, `${file} has no Service, NetworkPolicy or Ingress: the webhook allows every other kind untouched.`));
      return;
    }
    setChildren(this.body, intro, ...answers.map((a) => this.card(a, file)));
  }

  private card(a: AdmissionAnswer, file: string): HTMLElement {
    const name = `${a.object.namespace ? a.object.namespace + '/' : ''}${a.object.name ?? '(no name)'}`;
    const field = (label: string, value: Node | string) => h('div', { class: 'kv' }, h('span', { class: 'k' }, label), h('span', { class: 'v' }, value));
    const status = a.denial
      ? h('div', { class: 'status' }, field('status.code', String(a.denial.code)), field('status.reason', a.denial.reason), field('status.message', h('pre', { class: 'message', attrs: { 'data-testid': 'status-message' } }, a.denial.message)))
      : null;
    const warnings = a.warnings.map((w, i) => field(`warnings[${i}]`, h('pre', { class: 'message', attrs: { 'data-testid': 'warning' } }, w)));
    const audit = Object.entries(a.audit_annotations).map(([k, v]) => field(`auditAnnotations[${JSON.stringify(k)}]`, h('code', null, v)));
    const findings = a.findings.length
      ? h(
          'table',
          { class: 'findings-table' },
          h('thead', null, h('tr', null, h('th', null, 'rule'), h('th', null, 'field'), h('th', null, 'finding'))),
          h(
            'tbody',
            null,
            ...a.findings.map((f) =>
              h(
                'tr',
                { class: `sev-${f.severity}` },
                h('td', null, h('button', { class: 'code', attrs: { type: 'button' }, title: f.name, on: { click: () => this.handlers.showDocs(f.code) } }, f.code), h('i', { class: `sev-dot sev-${f.severity}` })),
                h('td', null, h('code', null, f.path)),
                h('td', null, f.message, f.remedy ? h('div', { class: 'muted' }, f.remedy) : null, f.unchanged ? h('span', { class: 'tag' }, 'unchanged') : null),
              ),
            ),
          ),
        )
      : h('p', { class: 'muted' }, 'No finding of the admission profile.');
    return h(
      'article',
      { class: `admission-card card-${a.decision}`, attrs: { 'data-decision': a.decision, 'data-testid': 'admission-card' } },
      h(
        'header',
        null,
        h('span', { class: `decision decision-${a.decision}` }, a.decision),
        h('span', { class: 'object' }, h('span', { class: 'kind' }, a.object.kind), ' ', name),
        h('button', { class: 'btn btn-ghost btn-small', attrs: { type: 'button' }, on: { click: () => this.handlers.reveal(a.file, a.range) } }, 'Show'),
      ),
      h('div', { class: 'response' }, field('allowed', h('code', null, String(a.allowed))), status, ...warnings, ...audit),
      h('div', { class: 'kubectl' }, h('div', { class: 'k' }, 'kubectl apply -f ' + file), h('pre', { class: 'terminal', attrs: { 'data-testid': 'kubectl' } }, kubectlOutput(a, file).join('\n'))),
      findings,
    );
  }
}
