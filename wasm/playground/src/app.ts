/** The playground: wires the editor, the engine worker and the panels together. */
import { AdmissionView } from './admission/view';
import { groupByFile } from './editor/diagnostics';
import { changesFor, editsByFile } from './editor/fixes';
import { offsetsOf } from './editor/positions';
import { WorkspaceEditor } from './editor/workspaceEditor';
import type { EngineClient } from './engine/client';
import type { Diagnostic, Place, Range } from './engine/types';
import { EXAMPLES, type Example, type Panel } from './examples/catalog';
import { Gallery } from './examples/gallery';
import { RuleDocsView } from './findings/docs';
import { FindingsView } from './findings/view';
import { LintScheduler, type RunStats } from './lint/scheduler';
import { ReachView } from './reach/view';
import { download, h, setChildren } from './ui/dom';
import { TabsView } from './ui/tabs';
import { toast } from './ui/toast';
import { type FileSnapshot, freshName, nameOf, nameProblem, uriOf } from './workspace/files';
import { encodeWorkspace, type SharedWorkspace } from './workspace/share';
import { save } from './workspace/storage';
import { MAX_IMPORT_BYTES, planImport, workspaceJson, yamlStream } from './workspace/transfer';

/** Debounce between the last keystroke and the lint run, in ms. */
export const LINT_DELAY_MS = 10;
/** Pause in the typing after which the graph, matrix and webhook answer follow the text. */
const ANALYSIS_DELAY_MS = 400;

const NEW_FILE = `apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: default
spec:
  selector:
    app: web
  ports:
    - name: http
      port: 80
      targetPort: 8080
`;

interface LintResult {
  diagnostics: Diagnostic[];
  /** The text of each file the diagnostics belong to. */
  texts: Map<string, string>;
}

function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el;
}

export class Playground {
  readonly editor: WorkspaceEditor;
  private readonly tabs: TabsView;
  private readonly findings: FindingsView;
  private readonly docs: RuleDocsView;
  private readonly reach: ReachView;
  private readonly admission: AdmissionView;
  private readonly gallery: Gallery;
  private readonly lint: LintScheduler<LintResult>;
  private panel: Panel = 'reach';
  private diagnostics: Diagnostic[] = [];
  private lastTexts = new Map<string, string>();
  /** What the engine holds: uri -> text. */
  private readonly engineFiles = new Map<string, string>();
  private saveTimer: ReturnType<typeof setTimeout> | undefined;
  private analysisTimer: ReturnType<typeof setTimeout> | undefined;
  /** The files themselves changed (added, closed, replaced): no reason to wait for a pause. */
  private analysisNow = false;
  /** Files edited since the last applied lint: their diagnostics must be set again. */
  private readonly editedSinceLint = new Set<string>();
  private firstLint = true;

  constructor(private readonly engine: EngineClient) {
    const reveal = (uri: string, range: Range) => this.reveal(uri, range);
    const showDocs = (code: string) => this.showDocs(code);
    this.editor = new WorkspaceEditor($('editor'), (name) => this.edited(name), { applyFix: (d) => this.applyFix(d), showDocs });
    this.tabs = new TabsView($('tabs'), {
      open: (name) => this.openFile(name),
      close: (name) => this.closeFile(name),
      rename: (from, to) => this.renameFile(from, to),
      add: () => this.newFile(),
    });
    this.findings = new FindingsView($('findings'), { reveal, applyFix: (d) => this.applyFix(d), showDocs });
    this.docs = new RuleDocsView($('panel-docs'));
    this.reach = new ReachView($('panel-reach'), engine, { reveal: (primary, all) => this.revealPlaces(primary, all) }, () => this.panel === 'reach');
    this.admission = new AdmissionView($('panel-webhook'), engine, { reveal, showDocs }, () => this.panel === 'webhook');
    this.gallery = new Gallery(EXAMPLES, (e) => this.loadExample(e));
    this.lint = new LintScheduler(
      LINT_DELAY_MS,
      () => this.runLint(),
      (result, stats) => this.applyLint(result, stats),
      (error) => this.engineFailed(error),
    );
    for (const panel of ['reach', 'webhook', 'docs'] as const) {
      $(`tab-${panel}`).addEventListener('click', () => this.showPanel(panel));
    }
    this.wireHeader();
    this.wireDrop();
  }

  /** Loads the first workspace (before the engine is ready: the text shows at once). */
  load(workspace: SharedWorkspace, view?: Example['view']): void {
    this.editor.replaceAll(workspace.files, workspace.active);
    for (const name of this.editor.names()) this.editedSinceLint.add(name);
    if (view) {
      this.reach.setQuery(view.port, view.protocol ?? 'TCP');
      this.showPanel(view.panel);
    }
    this.refreshTabs();
    performance.mark('netward:editor-ready');
  }

  /** The engine is up: rule docs, then the first lint. */
  async start(): Promise<void> {
    const [rules, pages] = await Promise.all([this.engine.call('rules'), rulePages()]);
    this.docs.setRules(rules.map((rule) => ({ ...rule, docs: pages[rule.code] ?? rule.docs })));
    $('engine-version').textContent = `engine ${await this.engine.call('version')}`;
    await this.lint.now();
  }

  // ---- lint ---------------------------------------------------------------------------

  private edited(name: string): void {
    this.editedSinceLint.add(name);
    this.lint.touch();
  }

  private async runLint(): Promise<LintResult> {
    const texts = new Map<string, string>();
    for (const f of this.editor.snapshot()) texts.set(f.name, f.text);
    const wanted = new Map([...texts].map(([name, text]) => [uriOf(name), text]));
    for (const uri of [...this.engineFiles.keys()]) {
      if (!wanted.has(uri)) {
        void this.engine.call('removeFile', uri);
        this.engineFiles.delete(uri);
      }
    }
    for (const [uri, text] of wanted) {
      if (this.engineFiles.get(uri) !== text) {
        void this.engine.call('setFile', uri, text);
        this.engineFiles.set(uri, text);
      }
    }
    const diagnostics = await this.engine.call('lintAll');
    return { diagnostics, texts };
  }

  private applyLint({ diagnostics, texts }: LintResult, stats: RunStats): void {
    const start = performance.now();
    const previous = this.diagnostics;
    this.diagnostics = diagnostics;
    this.lastTexts = texts;
    const byFile = groupByFile(diagnostics);
    const before = groupByFile(previous);
    for (const name of this.editor.names()) {
      const uri = uriOf(name);
      // Files whose text and findings did not change keep their squiggles as they are.
      const same = !this.editedSinceLint.has(name) && JSON.stringify(byFile.get(uri) ?? []) === JSON.stringify(before.get(uri) ?? []);
      if (!same) this.editor.setDiagnostics(name, byFile.get(uri) ?? []);
    }
    this.editedSinceLint.clear();
    if (JSON.stringify(previous) !== JSON.stringify(diagnostics)) {
      this.findings.update(diagnostics, this.activeUri());
      this.refreshTabs();
    }
    this.analysisSoon();
    const end = performance.now();
    // For the benchmark: when the findings show the new text, and where the time went.
    performance.mark('netward:diagnostics', {
      detail: { count: diagnostics.length, engineMs: this.engine.lastEngineMs, waitMs: stats.startedAt - stats.editedAt, roundTripMs: start - stats.startedAt, applyMs: end - start },
    });
    if (this.firstLint) {
      this.firstLint = false;
      performance.mark('netward:first-diagnostics');
      document.documentElement.dataset.ready = 'true';
    }
    this.scheduleSave();
  }

  /**
   * The reach and webhook panels follow the text once typing pauses, so their (bigger)
   * queries never hold up the findings of the next keystroke in the worker.
   */
  private analysisSoon(): void {
    if (this.analysisTimer) clearTimeout(this.analysisTimer);
    this.analysisTimer = setTimeout(() => {
      this.analysisTimer = undefined;
      this.reach.invalidate();
      this.admission.invalidate(this.activeUri());
    }, this.firstLint || this.analysisNow ? 0 : ANALYSIS_DELAY_MS);
    this.analysisNow = false;
  }

  private engineFailed(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    setChildren($('findings'), h('div', { class: 'notice error-text' }, `The engine failed: ${message}`));
  }

  private activeUri(): string | undefined {
    const name = this.editor.active;
    return name === undefined ? undefined : uriOf(name);
  }

  private refreshTabs(): void {
    const byFile = groupByFile(this.diagnostics);
    this.tabs.update(
      this.editor.names().map((name) => {
        const list = byFile.get(uriOf(name)) ?? [];
        return { name, errors: list.filter((d) => d.severity === 'error').length, warnings: list.filter((d) => d.severity === 'warning').length };
      }),
      this.editor.active,
    );
  }

  // ---- files --------------------------------------------------------------------------

  private openFile(name: string): void {
    this.editor.open(name);
    this.refreshTabs();
    this.findings.update(this.diagnostics, this.activeUri());
    this.admission.invalidate(this.activeUri());
  }

  private closeFile(name: string): void {
    const text = this.editor.text(name);
    this.editor.close(name);
    this.afterStructureChange();
    toast(`Closed ${name}.`, 'info', {
      label: 'Undo',
      run: () => {
        const restored = freshName(name, this.editor.names());
        this.editor.add(restored, text);
        this.openFile(restored);
        this.afterStructureChange();
      },
    });
  }

  private renameFile(from: string, to: string): string | undefined {
    const problem = nameProblem(to, this.editor.names().filter((n) => n !== from));
    if (problem) return problem;
    this.editor.rename(from, to);
    this.afterStructureChange();
    return undefined;
  }

  private newFile(): void {
    const name = freshName('untitled.yaml', this.editor.names());
    this.editor.add(name, NEW_FILE);
    this.openFile(name);
    this.afterStructureChange();
    this.tabs.startRename(name);
  }

  private afterStructureChange(): void {
    for (const name of this.editor.names()) this.editedSinceLint.add(name);
    this.analysisNow = true;
    this.refreshTabs();
    this.findings.update(this.diagnostics, this.activeUri());
    this.lint.touch();
  }

  private replaceWorkspace(files: FileSnapshot[], active?: string): void {
    this.editor.replaceAll(files, active);
    this.afterStructureChange();
  }

  /** Replaces the workspace (a link, an import), with Undo. */
  open(workspace: SharedWorkspace, what: string): void {
    const previous = { files: this.editor.snapshot(), active: this.editor.active };
    this.replaceWorkspace(workspace.files, workspace.active);
    toast(`${what} (${workspace.files.length} file${workspace.files.length === 1 ? '' : 's'}).`, 'info', { label: 'Undo', run: () => this.replaceWorkspace(previous.files, previous.active) });
  }

  private loadExample(example: Example): void {
    const previous = { files: this.editor.snapshot(), active: this.editor.active };
    this.replaceWorkspace(example.files, example.open);
    this.reach.setQuery(example.view.port, example.view.protocol ?? 'TCP');
    this.showPanel(example.view.panel);
    history.replaceState(null, '', location.pathname + location.search);
    toast(`Loaded the example "${example.title}".`, 'info', { label: 'Undo', run: () => this.replaceWorkspace(previous.files, previous.active) });
  }

  private scheduleSave(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => save({ files: this.editor.snapshot(), active: this.editor.active }), 400);
  }

  // ---- navigation ---------------------------------------------------------------------

  /** Opens the file of `uri` and selects `range`. */
  reveal(uri: string, range: Range, marks: Range[] = [range]): void {
    const name = nameOf(uri);
    if (!name || !this.editor.has(name)) {
      toast(`${name ?? uri} is not open in the workspace.`, 'error');
      return;
    }
    const doc = this.editor.state(name).doc;
    const ranges = marks.map((r, i) => ({ ...offsetsOf(doc, r), primary: i === 0 }));
    this.editor.reveal(name, offsetsOf(doc, range), ranges);
    this.refreshTabs();
    this.findings.update(this.diagnostics, this.activeUri());
    this.admission.invalidate(this.activeUri());
  }

  private revealPlaces(primary: Place, all: Place[]): void {
    const sameFile = all.filter((p) => p.file === primary.file && p !== primary).map((p) => p.range);
    this.reveal(primary.file, primary.range, [primary.range, ...sameFile]);
  }

  private showDocs(code: string): void {
    this.showPanel('docs');
    this.docs.show(code);
  }

  showPanel(panel: Panel): void {
    this.panel = panel;
    for (const p of ['reach', 'webhook', 'docs'] as const) {
      const selected = p === panel;
      $(`tab-${p}`).setAttribute('aria-selected', String(selected));
      $(`panel-${p}`).hidden = !selected;
    }
    if (panel === 'reach') this.reach.shown();
    if (panel === 'webhook') this.admission.shown();
  }

  // ---- fixes --------------------------------------------------------------------------

  private applyFix(d: Diagnostic): void {
    if (!d.fix) return;
    const edits = editsByFile(d.fix);
    const planned: { name: string; changes: ReturnType<typeof changesFor> }[] = [];
    for (const [uri, list] of edits) {
      const name = nameOf(uri);
      if (!name || !this.editor.has(name)) {
        toast(`The fix edits ${name ?? uri}, which is not open.`, 'error');
        return;
      }
      if (this.editor.text(name) !== this.lastTexts.get(name)) {
        toast(`${name} changed since the findings were computed; try again in a moment.`, 'error');
        this.lint.touch();
        return;
      }
      planned.push({ name, changes: changesFor(this.editor.state(name).doc, list) });
    }
    for (const p of planned) this.editor.applyChanges(p.name, p.changes);
    toast(`Applied: ${d.fix.title}`);
  }

  // ---- header: examples, import, export, share ------------------------------------------

  private wireHeader(): void {
    $('btn-examples').addEventListener('click', () => this.gallery.open());
    const picker = $('file-picker') as HTMLInputElement;
    $('btn-import').addEventListener('click', () => picker.click());
    picker.addEventListener('change', () => {
      void this.importFiles([...(picker.files ?? [])]);
      picker.value = '';
    });
    const menu = $('export-menu');
    const toggle = $('btn-export');
    const closeMenu = () => {
      menu.hidden = true;
      toggle.setAttribute('aria-expanded', 'false');
    };
    toggle.addEventListener('click', (e) => {
      e.stopPropagation();
      menu.hidden = !menu.hidden;
      toggle.setAttribute('aria-expanded', String(!menu.hidden));
    });
    document.addEventListener('click', closeMenu);
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape') closeMenu();
    });
    menu.addEventListener('click', (e) => {
      const action = (e.target as HTMLElement).closest('[data-export]')?.getAttribute('data-export');
      if (action) this.export(action);
      closeMenu();
    });
    $('btn-share').addEventListener('click', () => void this.share());
    $('btn-theme').addEventListener('click', () => toggleTheme());
  }

  private export(what: string): void {
    const files = this.editor.snapshot();
    const active = this.editor.active;
    if (what === 'file' && active) download(active, this.editor.text(active), /\.json$/i.test(active) ? 'application/json' : 'application/yaml');
    if (what === 'stream') download('manifests.yaml', yamlStream(files), 'application/yaml');
    if (what === 'workspace') download('netward-workspace.json', workspaceJson(files), 'application/json');
  }

  /** Imports picked or dropped files: a saved workspace replaces this one; manifests are added. */
  async importFiles(picked: File[]): Promise<void> {
    const tooBig = picked.filter((f) => f.size > MAX_IMPORT_BYTES).map((f) => f.name);
    const read = await Promise.all(picked.filter((f) => f.size <= MAX_IMPORT_BYTES).map(async (f) => ({ name: f.name, text: await f.text() })));
    let plan;
    try {
      plan = planImport(read, this.editor.names());
    } catch (error) {
      toast(error instanceof Error ? error.message : String(error), 'error');
      return;
    }
    if (plan.kind === 'workspace') {
      this.open({ files: plan.files }, 'Opened the workspace');
      return;
    }
    for (const f of plan.files) this.editor.add(f.name, f.text);
    if (plan.files.length > 0) this.openFile(plan.files[plan.files.length - 1].name);
    this.afterStructureChange();
    const skipped = [...plan.skipped, ...tooBig.map((n) => `${n}: larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MiB`)];
    if (plan.files.length) toast(`Imported ${plan.files.map((f) => f.name).join(', ')}.`);
    if (skipped.length) toast(`Not imported: ${skipped.join('; ')}`, 'error', undefined, 8000);
  }

  private wireDrop(): void {
    const overlay = $('drop-overlay');
    let depth = 0;
    const hasFiles = (e: DragEvent) => [...(e.dataTransfer?.types ?? [])].includes('Files');
    window.addEventListener('dragenter', (e) => {
      if (!hasFiles(e)) return;
      depth++;
      overlay.hidden = false;
    });
    window.addEventListener('dragleave', () => {
      depth = Math.max(0, depth - 1);
      if (depth === 0) overlay.hidden = true;
    });
    window.addEventListener('dragover', (e) => {
      if (hasFiles(e)) e.preventDefault();
    });
    window.addEventListener('drop', (e) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      overlay.hidden = true;
      void this.importFiles([...(e.dataTransfer?.files ?? [])]);
    });
  }

  private async share(): Promise<void> {
    const fragment = await encodeWorkspace({ files: this.editor.snapshot(), active: this.editor.active });
    const url = `${location.origin}${location.pathname}#${fragment}`;
    history.replaceState(null, '', `#${fragment}`);
    const input = $('share-url') as HTMLInputElement;
    input.value = url;
    $('share-size').textContent = `${url.length.toLocaleString('en')} characters. The files travel in the link itself (after the #), which browsers never send to a server.`;
    ($('share-dialog') as HTMLDialogElement).showModal();
    input.select();
    try {
      await navigator.clipboard.writeText(url);
      $('share-copied').textContent = 'Copied to the clipboard.';
    } catch {
      $('share-copied').textContent = 'Copy it from the field above.';
    }
  }
}

const THEME_KEY = 'netward.playground.theme';

/** Applies the saved theme choice (none: follow the system). */
export function applySavedTheme(): void {
  let theme: string | null = null;
  try {
    theme = localStorage.getItem(THEME_KEY);
  } catch {
    // storage disabled
  }
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
}

function toggleTheme(): void {
  const current = document.documentElement.dataset.theme ?? (matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light');
  const next = current === 'dark' ? 'light' : 'dark';
  document.documentElement.dataset.theme = next;
  try {
    localStorage.setItem(THEME_KEY, next);
  } catch {
    // storage disabled
  }
}

/**
 * The rules' Markdown pages, shipped beside the engine (its module leaves them out to stay
 * small); none if they cannot be fetched: the docs panel then shows each rule's summary.
 */
async function rulePages(): Promise<Record<string, string>> {
  try {
    const response = await fetch(new URL(NETWARD_RULE_DOCS_URL, import.meta.url));
    return response.ok ? ((await response.json()) as Record<string, string>) : {};
  } catch {
    return {};
  }
}
