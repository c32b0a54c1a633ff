/**
 * Rule documentation inside the editor: a read-only `netward-rule:/NW2001.md` document per
 * rule, shown rendered by the command behind diagnostic code links. The pages come from
 * `netward_rule_docs.json`, shipped beside the WASM engine (which leaves them out to stay
 * small), read the first time a page is shown.
 */
import { readFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import type { EngineClient } from '../engine/client';
import type { RuleInfo } from '../engine/types';
import { codeOfRuleDocsPath, ruleDocsUri } from '../mapping/ruleDocs';

export class RuleDocs implements vscode.TextDocumentContentProvider {
  private rules: Promise<RuleInfo[]> | undefined;
  private pages: Promise<Record<string, string>> | undefined;

  /** `pagesFile`: the JSON object of Markdown pages by rule code. */
  constructor(
    private readonly engine: EngineClient,
    private readonly pagesFile: string,
  ) {}

  /** Forgets the cached catalogue (after the engine restarted). */
  reset(): void {
    this.rules = undefined;
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const code = codeOfRuleDocsPath(uri.path);
    const rule = code ? await this.find(code) : undefined;
    if (!rule) return `# Unknown rule\n\nnetward has no rule \`${code ?? uri.path}\`.\n`;
    const page = (await this.pageBook())[rule.code] ?? rule.docs;
    return page ?? `# ${rule.code} \`${rule.name}\`\n\n${rule.summary}\n`;
  }

  /** The command: shows the docs of `code`, or lets the user pick a rule. */
  async show(code?: string): Promise<void> {
    let wanted = typeof code === 'string' ? code : undefined;
    if (!wanted) {
      const rules = await this.catalogue();
      const picked = await vscode.window.showQuickPick(
        rules.map((r) => ({ label: r.code, description: r.name, detail: r.summary })),
        { placeHolder: 'netward rule', matchOnDescription: true, matchOnDetail: true },
      );
      wanted = picked?.label;
    }
    if (!wanted) return;
    const uri = vscode.Uri.parse(ruleDocsUri(wanted), true);
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: true });
    }
  }

  private async find(code: string): Promise<RuleInfo | undefined> {
    const rules = await this.catalogue();
    const lower = code.toLowerCase();
    return rules.find((r) => r.code.toLowerCase() === lower || r.name === code);
  }

  /** The pages; none (the summary stands in) if the file cannot be read. */
  private pageBook(): Promise<Record<string, string>> {
    this.pages ??= readFile(this.pagesFile, 'utf8').then(
      (text) => JSON.parse(text) as Record<string, string>,
      () => ({}),
    );
    return this.pages;
  }

  private catalogue(): Promise<RuleInfo[]> {
    if (!this.rules) {
      this.rules = this.engine.call('rules');
      this.rules.catch(() => this.reset());
    }
    return this.rules;
  }
}

