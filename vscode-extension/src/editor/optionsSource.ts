/**
 * Where the engine's options come from: the options file (found or configured) with the
 * `netward.rules.*` settings over it. Reloaded when either changes; options the engine refuses
 * leave the previous ones in force, with one notification and the status bar saying so.
 */
import * as vscode from 'vscode';
import type { EngineClient } from '../engine/client';
import { hasRuleSettings, type OptionsFile, optionsText, renameOptions, ruleSettingsOf, SETTINGS_NAME } from '../options';
import type { StatusBar } from './statusBar';

/** The names looked for in a workspace folder when `netward.optionsFile` is empty. */
export const OPTIONS_FILE_NAMES = ['.netward.yaml', '.netward.yml', '.netward.json', 'netward.options.json'];

export class OptionsSource implements vscode.Disposable {
  private watchers: vscode.Disposable[] = [];
  private lastError: string | undefined;
  private file: vscode.Uri | undefined;

  constructor(
    private readonly engine: EngineClient,
    private readonly status: StatusBar,
    private readonly log: vscode.LogOutputChannel,
    /** Called after new options were accepted. */
    private readonly applied: () => void,
  ) {}

  /** Starts the engine, then gives it the options (the defaults stay when they are refused); answers its version. */
  async start(): Promise<string> {
    this.watch();
    const version = await this.engine.start('');
    this.status.update({ version });
    await this.apply();
    return version;
  }

  /** Reads the options again and hands them to the engine. */
  async reload(): Promise<void> {
    if (await this.apply()) this.applied();
  }

  /** Follows the options file (call again when `netward.optionsFile` changes). */
  watch(): void {
    for (const w of this.watchers) w.dispose();
    this.watchers = [];
    const configured = configuredPath();
    const patterns: vscode.RelativePattern[] = [];
    if (configured && isAbsolute(configured)) {
      const file = vscode.Uri.file(configured);
      patterns.push(new vscode.RelativePattern(vscode.Uri.joinPath(file, '..'), file.path.split('/').pop() ?? ''));
    } else {
      const glob = configured || `{${OPTIONS_FILE_NAMES.join(',')}}`;
      for (const folder of vscode.workspace.workspaceFolders ?? []) patterns.push(new vscode.RelativePattern(folder, glob));
    }
    for (const pattern of patterns) {
      const watcher = vscode.workspace.createFileSystemWatcher(pattern);
      const reload = () => void this.reload();
      this.watchers.push(watcher, watcher.onDidCreate(reload), watcher.onDidChange(reload), watcher.onDidDelete(reload));
    }
  }

  dispose(): void {
    for (const w of this.watchers) w.dispose();
  }

  /** Reads the options file and the settings, and hands the engine their options; true when it took them. */
  private async apply(): Promise<boolean> {
    const config = vscode.workspace.getConfiguration('netward');
    const settings = ruleSettingsOf({
      select: config.get('rules.select'),
      disable: config.get('rules.disable'),
      severity: config.get('rules.severity'),
    });
    const located = await locate();
    if (!located.ok) return this.refused(located.error);
    this.file = located.file;
    let file: OptionsFile | undefined;
    if (located.file) {
      const name = vscode.workspace.asRelativePath(located.file);
      try {
        file = { name, text: new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(located.file)) };
      } catch (error) {
        return this.refused(`cannot read ${name}: ${(error as Error).message}`);
      }
    }
    const options = await optionsText(file, settings, (text) => this.engine.call('checkOptions', text));
    if (!options.ok) return this.refused(options.error);
    try {
      await this.engine.setOptions(options.text);
    } catch (error) {
      return this.refused(renameOptions((error as Error).message, options.blame, options.located));
    }
    this.accepted([file?.name, hasRuleSettings(settings) && SETTINGS_NAME].filter(Boolean).join(' + ') || 'defaults');
    return true;
  }

  private accepted(source: string): void {
    this.lastError = undefined;
    this.status.update({ source });
    this.log.info(`options in force: ${source}`);
  }

  /** Says why the options were refused (once per reason); answers false. */
  private refused(message: string): false {
    this.status.refused(message);
    this.log.error(`options refused (the previous ones stay in force): ${message}`);
    if (message === this.lastError) return false;
    this.lastError = message;
    const open = 'Open options file';
    const file = this.file;
    void vscode.window
      .showErrorMessage(`netward: invalid options, the previous ones stay in force. ${message}`, ...(file ? [open] : []))
      .then((choice) => {
        if (choice === open && file) void vscode.window.showTextDocument(file);
      });
    return false;
  }
}

function configuredPath(): string {
  return (vscode.workspace.getConfiguration('netward').get<string>('optionsFile') ?? '').trim();
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path);
}

/** The configured options file, or the first default name present in a workspace folder. */
async function locate(): Promise<{ ok: true; file: vscode.Uri | undefined } | { ok: false; error: string }> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const configured = configuredPath();
  const exists = async (uri: vscode.Uri): Promise<boolean> => {
    try {
      return (await vscode.workspace.fs.stat(uri)).type === vscode.FileType.File;
    } catch {
      return false;
    }
  };
  if (configured) {
    const candidates = isAbsolute(configured)
      ? [vscode.Uri.file(configured)]
      : folders.map((f) => vscode.Uri.joinPath(f.uri, configured));
    for (const uri of candidates) if (await exists(uri)) return { ok: true, file: uri };
    return { ok: false, error: `the options file ${configured} (setting netward.optionsFile) does not exist` };
  }
  for (const folder of folders) {
    for (const name of OPTIONS_FILE_NAMES) {
      const uri = vscode.Uri.joinPath(folder.uri, name);
      if (await exists(uri)) return { ok: true, file: uri };
    }
  }
  return { ok: true, file: undefined };
}
