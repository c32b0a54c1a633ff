/**
 * Keeps the engine's files in step with the editor (open documents override the disk) and
 * publishes diagnostics: debounced per document as you type, then the other files, whose
 * cross-file findings may have changed. Answers that arrive after a newer edit are dropped.
 */
import * as vscode from 'vscode';
import { EngineUnavailable, type EngineClient } from '../engine/client';
import type { Diagnostic } from '../engine/types';
import { diagnosticKey, toDiagnosticData, type DiagnosticData } from '../mapping/diagnostics';
import { languageOfId, languageOfPath, looksLikeManifest } from '../manifest';
import { LintTickets } from '../tickets';
import { toDiagnostic } from './convert';

/** Quiet time after a keystroke before the document is linted. */
const EDIT_DELAY_MS = 250;
/** Quiet time before the other files are linted again. */
const OTHERS_DELAY_MS = 400;
/** Files larger than this are not loaded from disk (the engine's own limit is 64 MiB). */
export const MAX_DISK_FILE_BYTES = 8 * 1024 * 1024;
/** The schemes of documents netward lints. */
const SCHEMES = new Set(['file', 'untitled', 'vscode-remote', 'vscode-vfs']);

/** A published diagnostic and the engine finding it came from. */
export interface Published {
  key: string;
  finding: Diagnostic;
}

interface FileResult {
  /** The document version the findings belong to (`undefined` for a file not open). */
  version: number | undefined;
  findings: Published[];
}

export class Linter implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('netward');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** The version of each open document the engine holds. */
  private readonly synced = new Map<string, number>();
  private readonly tickets = new LintTickets();
  private readonly results = new Map<string, FileResult>();
  /** Files linted on their own since the last run over the others. */
  private readonly fresh = new Set<string>();
  private othersTimer: NodeJS.Timeout | undefined;
  private enabled = true;

  constructor(
    private readonly engine: EngineClient,
    private readonly docsTarget: (code: string) => string,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  get isEnabled(): boolean {
    return this.enabled;
  }

  /** Stops linting and clears every diagnostic, or starts again (the caller reloads the files). */
  setEnabled(enabled: boolean): void {
    this.enabled = enabled;
    if (!enabled) this.clear();
  }

  /** Whether netward reads this document at all (scheme and language). */
  isCandidate(document: vscode.TextDocument): boolean {
    return SCHEMES.has(document.uri.scheme) && languageOfId(document.languageId) !== undefined;
  }

  /** An edit: lint the document once typing pauses. */
  changed(document: vscode.TextDocument): void {
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
  opened(document: vscode.TextDocument): void {
    if (!this.enabled || !this.isCandidate(document)) return;
    void this.syncAndLint(document);
  }

  /** A document was closed: back to the disk's content (or gone, for an untitled one). */
  async closed(document: vscode.TextDocument): Promise<void> {
    const uri = document.uri.toString();
    clearTimeout(this.timers.get(uri));
    this.timers.delete(uri);
    this.synced.delete(uri);
    if (this.enabled && this.engine.has(uri)) await this.diskChanged(document.uri);
  }

  /** A file changed or appeared on disk; ignored while it is open in the editor. */
  async diskChanged(file: vscode.Uri): Promise<void> {
    if (!this.enabled || this.openDocument(file.toString())) return;
    const text = await readManifest(file);
    const uri = file.toString();
    if (text !== undefined) {
      await this.put(uri, text);
      await this.lintFiles([uri]);
      this.othersChanged(uri);
    } else if (this.engine.has(uri)) {
      await this.forget(uri);
    }
  }

  /** A file was deleted on disk. */
  async diskDeleted(file: vscode.Uri): Promise<void> {
    const uri = file.toString();
    if (!this.enabled || this.openDocument(uri) || !this.engine.has(uri)) return;
    await this.forget(uri);
  }

  /**
   * Loads many files at once (the workspace scan): open documents give their text, the rest
   * is read from disk; then everything is linted.
   */
  async load(files: vscode.Uri[]): Promise<number> {
    let loaded = 0;
    for (const file of files) {
      if (!this.enabled) return loaded;
      const document = this.openDocument(file.toString());
      if (document) {
        if (await this.syncDocument(document)) loaded++;
        continue;
      }
      const text = await readManifest(file);
      if (text !== undefined) {
        await this.put(file.toString(), text);
        loaded++;
      }
    }
    await this.lintAll();
    return loaded;
  }

  /** Every open candidate document into the engine (open documents override the disk). */
  async loadOpenDocuments(): Promise<void> {
    for (const document of vscode.workspace.textDocuments) {
      if (this.isCandidate(document)) await this.syncDocument(document);
    }
  }

  /** Lints every file the engine holds (after options changed, the engine restarted, ...). */
  async lintAll(): Promise<void> {
    if (!this.enabled) return;
    await this.lintFiles(this.engine.uris());
  }

  /** Makes the engine hold the current text of `document` (before a hover, a command). */
  async sync(document: vscode.TextDocument): Promise<boolean> {
    if (!this.enabled || !this.isCandidate(document)) return false;
    const uri = document.uri.toString();
    if (this.synced.get(uri) === document.version && this.engine.has(uri)) return true;
    return this.syncDocument(document);
  }

  /** The findings published for `document`, if they belong to its current version. */
  findings(document: vscode.TextDocument): Map<string, Diagnostic> {
    const result = this.results.get(document.uri.toString());
    const found = new Map<string, Diagnostic>();
    if (!result || (result.version !== undefined && result.version !== document.version)) return found;
    for (const item of result.findings) found.set(item.key, item.finding);
    return found;
  }

  dispose(): void {
    this.clear();
    this.collection.dispose();
  }

  private clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    clearTimeout(this.othersTimer);
    this.othersTimer = undefined;
    this.results.clear();
    this.collection.clear();
  }

  private async syncAndLint(document: vscode.TextDocument): Promise<void> {
    const uri = document.uri.toString();
    const held = this.engine.has(uri);
    if (await this.syncDocument(document)) {
      await this.lintFiles([uri]);
      this.othersChanged(uri);
    } else if (held) {
      await this.forget(uri);
    }
  }

  /** Puts the document's text in the engine if it is a manifest, or takes it out; true when held. */
  private async syncDocument(document: vscode.TextDocument): Promise<boolean> {
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

  private async put(uri: string, text: string): Promise<void> {
    await this.quietly(this.engine.setFile(uri, text));
  }

  private async forget(uri: string): Promise<void> {
    this.synced.delete(uri);
    this.tickets.forget(uri);
    this.results.delete(uri);
    this.collection.delete(vscode.Uri.parse(uri, true));
    await this.quietly(this.engine.removeFile(uri));
    this.othersChanged(uri);
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
    const asked = uris.map((uri) => this.tickets.issue(uri, this.openDocument(uri) ? this.synced.get(uri) : undefined));
    const started = Date.now();
    const answers = await this.quietly(this.engine.call('lintMany', uris));
    if (!answers) return;
    const byUri = new Map(answers);
    for (const ticket of asked) {
      if (!this.enabled || !this.engine.has(ticket.uri)) continue;
      if (!this.tickets.accept(ticket, this.openDocument(ticket.uri)?.version)) continue; // newer answer coming, or edited since
      this.publish(ticket.uri, ticket.version, byUri.get(ticket.uri) ?? []);
    }
    this.log.trace(`linted ${uris.length} file(s) in ${Date.now() - started} ms`);
  }

  private publish(uri: string, version: number | undefined, findings: Diagnostic[]): void {
    const published: Published[] = [];
    const diagnostics: vscode.Diagnostic[] = [];
    for (const finding of findings) {
      const data: DiagnosticData = toDiagnosticData(finding, this.docsTarget);
      published.push({ key: diagnosticKey(data.code.value, data.range, data.message), finding });
      diagnostics.push(toDiagnostic(data));
    }
    this.results.set(uri, { version, findings: published });
    this.collection.set(vscode.Uri.parse(uri, true), diagnostics);
  }

  private openDocument(uri: string): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.toString() === uri);
  }

  /** Engine calls whose failure is logged, not thrown (a stopped engine during shutdown). */
  private async quietly<T>(call: Promise<T>): Promise<T | undefined> {
    try {
      return await call;
    } catch (error) {
      if (!(error instanceof EngineUnavailable)) this.log.error(`engine call failed: ${(error as Error).message}`);
      return undefined;
    }
  }
}

/** The file's text when it is a manifest netward reads, else `undefined`. */
async function readManifest(file: vscode.Uri): Promise<string | undefined> {
  const language = languageOfPath(file.path);
  if (!language) return undefined;
  try {
    const stat = await vscode.workspace.fs.stat(file);
    if (stat.type !== vscode.FileType.File || stat.size > MAX_DISK_FILE_BYTES) return undefined;
    const text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(file));
    return looksLikeManifest(text, language) ? text : undefined;
  } catch {
    return undefined; // gone or unreadable: treated as not a manifest
  }
}
