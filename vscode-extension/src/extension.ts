/** The extension's entry point: wires editor events, providers and commands to one engine. */
import * as vscode from 'vscode';
import { EngineClient } from './engine/client';
import { CodeActions } from './editor/codeActions';
import { DiskFiles } from './editor/diskFiles';
import { Hovers } from './editor/hovers';
import { EditorLinterHost } from './editor/linterHost';
import { OptionsSource } from './editor/optionsSource';
import { ReachCommand } from './editor/reachCommand';
import { RuleDocs } from './editor/ruleDocs';
import { StatusBar } from './editor/statusBar';
import { Linter } from './linter';
import { RULE_DOCS_SCHEME, ruleDocsCommandUri, SHOW_RULE_DOCS_COMMAND } from './mapping/ruleDocs';

const SELECTOR: vscode.DocumentSelector = [
  { language: 'yaml' },
  { language: 'json' },
  { language: 'jsonc' },
];

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('netward', { log: true });
  const status = new StatusBar();
  context.subscriptions.push(log, status);

  const restarted = new vscode.EventEmitter<void>();
  const engine = new EngineClient({
    workerScript: context.asAbsolutePath('dist/worker.js'),
    wasmModule: context.asAbsolutePath('dist/netward_wasm.js'),
    encoding: 'utf-16',
    log: (line) => log.warn(line),
    onRestart: () => restarted.fire(),
  });
  context.subscriptions.push({ dispose: () => engine.dispose() }, restarted);

  const host = new EditorLinterHost(log);
  const lint = new Linter(engine, host, ruleDocsCommandUri);
  const disk = new DiskFiles(lint, log);
  const options = new OptionsSource(engine, status, log, () => void lint.lintAll());
  const docs = new RuleDocs(engine, context.asAbsolutePath('dist/netward_rule_docs.json'));
  const reach = new ReachCommand(engine, lint, log);
  context.subscriptions.push(
    lint,
    host,
    disk,
    options,
    restarted.event(() => {
      docs.reset();
      void lint.lintAll();
    }),
  );

  const version = await options.start();
  log.info(`netward ${version} (engine in a worker thread)`);

  const enabled = (): boolean => vscode.workspace.getConfiguration('netward').get<boolean>('enable', true);
  const scan = async (): Promise<void> => {
    const files = await disk.scan();
    status.update({ files });
  };

  context.subscriptions.push(
    vscode.workspace.onDidOpenTextDocument((d) => lint.opened(d)),
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0) lint.changed(e.document);
    }),
    vscode.workspace.onDidCloseTextDocument((d) => void lint.closed(d)),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('netward.enable')) {
        const on = enabled();
        lint.setEnabled(on);
        status.update({ enabled: on });
        if (on) void scan();
      }
      if (e.affectsConfiguration('netward.optionsFile')) options.watch();
      if (e.affectsConfiguration('netward.optionsFile') || e.affectsConfiguration('netward.rules')) void options.reload();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      options.watch();
      void options.reload();
      if (lint.isEnabled) void scan();
    }),
    vscode.workspace.registerTextDocumentContentProvider(RULE_DOCS_SCHEME, docs),
    vscode.languages.registerCodeActionsProvider(SELECTOR, new CodeActions(lint), {
      providedCodeActionKinds: CodeActions.kinds,
    }),
    vscode.languages.registerHoverProvider(SELECTOR, new Hovers(engine, lint)),
    vscode.commands.registerCommand(SHOW_RULE_DOCS_COMMAND, (code?: string) => docs.show(code)),
    vscode.commands.registerCommand('netward.whoCanReach', () => reach.run()),
    vscode.commands.registerCommand('netward.showLog', () => log.show()),
  );

  lint.setEnabled(enabled());
  status.update({ enabled: lint.isEnabled });
  if (lint.isEnabled) void scan();
}

export function deactivate(): void {
  // Everything is disposed through the context's subscriptions.
}
