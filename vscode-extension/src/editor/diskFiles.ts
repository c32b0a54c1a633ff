/**
 * The workspace's manifests on disk: found once at start (so cross-file rules see every
 * object), then followed through a file watcher.
 */
import * as vscode from 'vscode';
import type { Linter } from '../linter';
import { EXCLUDED_GLOB, isExcludedPath } from '../manifest';

/** At most this many files are loaded by the scan. */
export const MAX_SCANNED_FILES = 5000;
const MANIFEST_GLOB = '**/*.{yaml,yml,json}';

export class DiskFiles implements vscode.Disposable {
  private readonly watcher = vscode.workspace.createFileSystemWatcher(MANIFEST_GLOB);
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly linter: Linter,
    private readonly log: vscode.LogOutputChannel,
  ) {
    const follow = (handler: (uri: string) => Promise<void>) => (uri: vscode.Uri) => {
      if (!isExcludedPath(uri.path)) void handler(uri.toString());
    };
    this.subscriptions.push(
      this.watcher,
      this.watcher.onDidCreate(follow((uri) => this.linter.diskChanged(uri))),
      this.watcher.onDidChange(follow((uri) => this.linter.diskChanged(uri))),
      this.watcher.onDidDelete(follow((uri) => this.linter.diskDeleted(uri))),
    );
  }

  /**
   * Finds and loads the workspace's manifests, dropping the files it no longer finds (of a
   * removed folder, deleted while netward was disabled); answers how many the engine holds.
   */
  async scan(): Promise<number> {
    const started = Date.now();
    const files = await vscode.workspace.findFiles(MANIFEST_GLOB, EXCLUDED_GLOB, MAX_SCANNED_FILES + 1);
    if (files.length > MAX_SCANNED_FILES) {
      this.log.warn(`more than ${MAX_SCANNED_FILES} YAML/JSON files: only the first ${MAX_SCANNED_FILES} are checked`);
      files.length = MAX_SCANNED_FILES;
    }
    await this.linter.loadOpenDocuments();
    const loaded = await this.linter.load(files.map((f) => f.toString()));
    this.log.info(`workspace scan: ${loaded} manifest(s) among ${files.length} YAML/JSON file(s) in ${Date.now() - started} ms`);
    return loaded;
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
