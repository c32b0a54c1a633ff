/**
 * Keeps the engine's files in step with the editor and the disk, and publishes diagnostics.
 * Open documents override the disk, also over a disk read still in flight. A closed file
 * goes back to its disk content only when it belongs to the workspace, and a scan drops the
 * files it no longer finds. Documents are linted debounced as you type, then the other files,
 * whose cross-file findings may have changed; only diagnostics that changed are published,
 * and answers that arrive after a newer edit are dropped. The editor side is a `LinterHost`,
 * so none of this needs the `vscode` module.
 */
import { EngineUnavailable, type EngineClient } from './engine/client';
import type { Diagnostic } from './engine/types';
import { diagnosticKey, toDiagnosticData, type DiagnosticData } from './mapping/diagnostics';
import { languageOfId, looksLikeManifest } from './manifest';
import { LintTickets } from './tickets';

/** Quiet time after a keystroke before the document is linted. */
export const EDIT_DELAY_MS = 250;
/** Quiet time before the other files are linted again. */
export const OTHERS_DELAY_MS = 400;
/** The schemes of documents netward lints. */
const SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs']);

/** What the linter reads of an open document (a `vscode.TextDocument` is one). */
export interface LintedDocument {
  readonly uri: { readonly scheme: string; toString(): string };
  readonly version: number;
  readonly languageId: string;
  getText(): string;
}

/** The engine calls the linter makes (an `EngineClient` answers them). */
export type LintEngine = Pick<EngineClient, 'has' | 'uris' | 'setFile' | 'removeFile' | 'call'>;

/** The editor around the linter: open documents, the disk, the workspace, the diagnostics shown. */
export interface LinterHost {
  /** The document of `uri`, when it is open. */
  openDocument(uri: string): LintedDocument | undefined;
  /** Every open document. */
  openDocuments(): readonly LintedDocument[];
  /** The file's text on disk when it is a manifest netward reads, else `undefined`. */
  readManifest(uri: string): Promise<string | undefined>;
  /** Whether the file is one the workspace scan would load: in a workspace folder, not excluded. */
  inWorkspace(uri: string): boolean;
  /** Shows these diagnostics for `uri` instead of the previous ones; `undefined` shows none. */
  publish(uri: string, diagnostics: DiagnosticData[] | undefined): void;
  /** Shows no diagnostic at all. */
  clear(): void;
  trace(message: string): void;
  error(message: string): void;
}

/** A published diagnostic's key and the engine finding it came from. */
interface Published {
  key: string;
  finding: Diagnostic;
}

interface FileResult {
  /** The document version the findings belong to (`undefined` for a file not open). */
  version: number | undefined;
  findings: Published[];
}

export class Linter {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** The version of each open document the engine holds. */
  private readonly synced = new Map<string, number>();
  private readonly tickets = new LintTickets();
  private readonly results = new Map<string, FileResult>();
  /** What is shown for each file (its diagnostics as JSON), to publish only changes. */
  private readonly shown = new Map<string, string>();
  /** The disk read in flight for each file; a newer read or a removal supersedes it. */
  private readonly reads = new Map<string, number>();
  private nextRead = 1;
  /** Scans started, so that only the newest one drops files. */
  private loads = 0;
  /** Files linted on their own since the last run over the others. */
  private readonly fresh = new Set<string>();
  private othersTimer: NodeJS.Timeout | undefined;
  private enabled = true;

  constructor(
    private readonly engine: LintEngine,
    private readonly host: LinterHost,
    private readonly docsTarget: (code: string) => string,
  ) {}

  get isEnabled(): boolean {
    return this.enabled;
  }

  /** Stops linting and clears every diagnostic, or starts again (the caller scans again). */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (!enabled) this.clear();
  }

  /** Whether netward reads this document at all (scheme and language). */
  private isCandidate(document: LintedDocument): boolean {
    return SCHEMES.has(document.uri.scheme) && languageOfId(document.languageId) !== undefined;
  }

  /** An edit: lint the document once typing pauses. */
  changed(document: LintedDocument): void {
    if (!this.enabled || !this.isCandidate(document)) return;
    const uri = document.uri.toString();
    clearTimeout(this.timers.get(uri));
    this.timers.set(
      uri,
      setTimeout(() => {
        this.timers.delete(uri);
        void this.syncAndLint(document);
      }, EDIT_DELAY_MS),
    );
  }

  /** A document was opened: its text replaces the disk's at once. */
  opened(document: LintedDocument): void {
    if (!this.enabled || !this.isCandidate(document)) return;
    void this.syncAndLint(document);
  }

  /**
   * A document was closed: a file of the workspace goes back to its disk content; any other
   * (outside the workspace folders, excluded, untitled) leaves the engine.
   */
  async closed(document: LintedDocument): Promise<void> {
    const uri = document.uri.toString();
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.synced.delete(uri);
    if (!this.enabled || !this.engine.has(uri)) return;
    if (this.host.inWorkspace(uri)) return this.diskChanged(uri);
    await this.forget(uri);
    this.othersChanged(uri);
  }

  /** A file changed or appeared on disk; ignored while it is open in the editor. */
  async diskChanged(uri: string): Promise<void> {
    if (!this.enabled || this.host.openDocument(uri)) return;
    const held = this.engine.has(uri);
    if (await this.readDisk(uri)) await this.lintFiles([uri]);
    if (held || this.engine.has(uri)) this.othersChanged(uri);
  }

  /** A file was deleted on disk. */
  async diskDeleted(uri: string): Promise<void> {
    if (!this.enabled || this.host.openDocument(uri) || !this.engine.has(uri)) return;
    await this.forget(uri);
    this.othersChanged(uri);
  }

  /**
   * Loads the workspace scan's files (open documents give their text, the rest is read from
   * disk), drops the files held that the scan did not find (open documents stay), then lints
   * everything; answers how many of `uris` the engine holds.
   */
  async load(uris: string[]): Promise<number> {
    const load = ++this.loads;
    const held = new Set<string>();
    for (const uri of uris) {
      if (!this.enabled) return held.size;
      const document = this.host.openDocument(uri);
      if (await (document ? this.sync(document) : this.readDisk(uri))) held.add(uri);
    }
    // Only the newest scan knows which files are gone.
    for (const uri of load === this.loads ? this.engine.uris() : []) {
      if (!held.has(uri) && !this.host.openDocument(uri)) await this.forget(uri);
    }
    await this.lintAll();
    return held.size;
  }

  /** Every open candidate document into the engine (open documents override the disk). */
  async loadOpenDocuments(): Promise<void> {
    for (const document of this.host.openDocuments()) {
      if (this.isCandidate(document)) await this.syncDocument(document);
    }
  }

  /** Lints every file the engine holds (after options changed, the engine restarted, ...). */
  async lintAll(): Promise<void> {
    if (!this.enabled) return;
    await this.lintFiles(this.engine.uris());
  }

  /** Makes the engine hold the current text of `document` (before a hover, a command). */
  async sync(document: LintedDocument): Promise<boolean> {
    if (!this.enabled || !this.isCandidate(document)) return false;
    const uri = document.uri.toString();
    if (this.synced.get(uri) === document.version && this.engine.has(uri)) return true;
    return this.syncDocument(document);
  }

  /** The findings published for `document`, by diagnostic key, if they belong to its current version. */
  findings(document: LintedDocument): Map<string, Diagnostic> {
    const result = this.results.get(document.uri.toString());
    const found = new Map<string, Diagnostic>();
    if (!result || (result.version !== undefined && result.version !== document.version)) return found;
    for (const item of result.findings) found.set(item.key, item.finding);
    return found;
  }

  /** Stops the pending lints (the diagnostics shown go with the host). */
  dispose(): void {
    this.stopTimers();
  }

  private stopTimers(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    clearTimeout(this.othersTimer);
    this.othersTimer = undefined;
  }

  private clear(): void {
    this.stopTimers();
    this.fresh.clear();
    this.reads.clear();
    this.results.clear();
    this.shown.clear();
    this.host.clear();
  }

  private async syncAndLint(document: LintedDocument): Promise<void> {
    const uri = document.uri.toString();
    const held = this.engine.has(uri);
    if (await this.syncDocument(document)) {
      await this.lintFiles([uri]);
      this.othersChanged(uri);
    } else if (held) {
      this.othersChanged(uri);
    }
  }

  /** Puts the document's text in the engine if it is a manifest, or takes it out; true when held. */
  private async syncDocument(document: LintedDocument): Promise<boolean> {
    const uri = document.uri.toString();
    const language = languageOfId(document.languageId);
    const text = document.getText();
    if (language && looksLikeManifest(text, language)) {
      this.synced.set(uri, document.version);
      await this.put(uri, text);
      return true;
    }
    if (this.engine.has(uri)) await this.forget(uri);
    return false;
  }

  /**
   * Puts the file's disk text in the engine, or takes the file out when it is no manifest
   * (any more); true when the engine holds it. A document opened meanwhile wins over the disk,
   * and a read superseded by a newer one (or by a removal) changes nothing.
   */
  private async readDisk(uri: string): Promise<boolean> {
    const read = this.nextRead++;
    this.reads.set(uri, read);
    const text = await this.host.readManifest(uri);
    if (this.reads.get(uri) !== read) return this.engine.has(uri);
    this.reads.delete(uri);
    const document = this.host.openDocument(uri);
    if (document) return this.isCandidate(document) ? this.sync(document) : this.engine.has(uri);
    if (text !== undefined) {
      await this.put(uri, text);
      return true;
    }
    if (this.engine.has(uri)) await this.forget(uri);
    return false;
  }

  private async put(uri: string, text: string): Promise<void> {
    // New text: publish its findings even if they equal the old ones, so that squiggles the
    // editor moved while typing land where the engine says.
    this.shown.delete(uri);
    await this.quietly(this.engine.setFile(uri, text));
  }

  private async forget(uri: string): Promise<void> {
    this.synced.delete(uri);
    this.reads.delete(uri);
    this.tickets.forget(uri);
    this.results.delete(uri);
    this.shown.delete(uri);
    this.host.publish(uri, undefined);
    await this.quietly(this.engine.removeFile(uri));
  }

  /** After `uri` changed: lint the other files once things are quiet. */
  private othersChanged(uri: string): void {
    this.fresh.add(uri);
    clearTimeout(this.othersTimer);
    this.othersTimer = setTimeout(() => {
      this.othersTimer = undefined;
      const skip = new Set(this.fresh);
      this.fresh.clear();
      void this.lintFiles(this.engine.uris().filter((u) => !skip.has(u)));
    }, OTHERS_DELAY_MS);
  }

  private async lintFiles(uris: string[]): Promise<void> {
    if (uris.length === 0 || !this.enabled) return;
    const asked = uris.map((uri) => this.tickets.issue(uri, this.host.openDocument(uri) ? this.synced.get(uri) : undefined));
    const started = Date.now();
    const answers = await this.quietly(this.engine.call('lintMany', uris));
    if (!answers) return;
    const byUri = new Map(answers);
    for (const ticket of asked) {
      if (!this.enabled || !this.engine.has(ticket.uri)) continue;
      if (!this.tickets.accept(ticket, this.host.openDocument(ticket.uri)?.version)) continue; // newer answer coming, or edited since
      this.publish(ticket.uri, ticket.version, byUri.get(ticket.uri) ?? []);
    }
    this.host.trace(`linted ${uris.length} file(s) in ${Date.now() - started} ms`);
  }

  private publish(uri: string, version: number | undefined, findings: Diagnostic[]): void {
    const data = findings.map((finding) => toDiagnosticData(finding, this.docsTarget));
    const published = data.map((d, i) => ({ key: diagnosticKey(d.code.value, d.range, d.message), finding: findings[i] }));
    this.results.set(uri, { version, findings: published });
    const signature = JSON.stringify(data);
    if (this.shown.get(uri) === signature) return;
    this.shown.set(uri, signature);
    this.host.publish(uri, data);
  }

  /** Engine calls whose failure is logged, not thrown (a stopped engine during shutdown). */
  private async quietly<T>(call: Promise<T>): Promise<T | undefined> {
    try {
      return await call;
    } catch (error) {
      if (!(error instanceof EngineUnavailable)) this.host.error(`engine call failed: ${(error as Error).message}`);
      return undefined;
    }
  }
}
