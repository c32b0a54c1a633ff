/** The linter's view of VS Code: open documents, the workspace's files, the Problems panel. */
import * as vscode from 'vscode';
import type { LinterHost } from '../linter';
import type { DiagnosticData } from '../mapping/diagnostics';
import { isExcludedPath, languageOfPath, looksLikeManifest } from '../manifest';
import { toDiagnostic } from './convert';

/** Files larger than this are not loaded from disk (the engine's own limit is 64 MiB). */
export const MAX_DISK_FILE_BYTES = 8 * 1024 * 1024;

export class EditorLinterHost implements LinterHost, vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('netward');

  constructor(private readonly log: vscode.LogOutputChannel) {}

  openDocument(uri: string): vscode.TextDocument | undefined {
    return vscode.workspace.textDocuments.find((d) => !d.isClosed && d.uri.toString() === uri);
  }

  openDocuments(): readonly vscode.TextDocument[] {
    return vscode.workspace.textDocuments.filter((d) => !d.isClosed);
  }

  async readManifest(uri: string): Promise<string | undefined> {
    const file = vscode.Uri.parse(uri, true);
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

  inWorkspace(uri: string): boolean {
    const file = vscode.Uri.parse(uri, true);
    return (
      languageOfPath(file.path) !== undefined &&
      !isExcludedPath(file.path) &&
      vscode.workspace.getWorkspaceFolder(file) !== undefined
    );
  }

  publish(uri: string, diagnostics: DiagnosticData[] | undefined): void {
    const file = vscode.Uri.parse(uri, true);
    if (diagnostics) this.collection.set(file, diagnostics.map(toDiagnostic));
    else this.collection.delete(file);
  }

  clear(): void {
    this.collection.clear();
  }

  trace(message: string): void {
    this.log.trace(message);
  }

  error(message: string): void {
    this.log.error(message);
  }

  dispose(): void {
    this.collection.dispose();
  }
}
