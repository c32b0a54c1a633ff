/**
 * Rule documentation inside the editor: a read-only `netward-rule:/NW2001.md` document per
 * rule (the engine's markdown), shown rendered by the command behind diagnostic code links.
 */
import * as vscode from 'vscode';
import type { EngineClient } from '../engine/client';
import type { RuleInfo } from '../engine/types';
import { codeOfRuleDocsPath, ruleDocsUri } from '../mapping/ruleDocs';

export class RuleDocs implements vscode.TextDocumentContentProvider {
  private rules: Promise<RuleInfo[]> | undefined;

  constructor(private readonly engine: EngineClient) {}

  /** Forgets the cached catalogue (after the engine restarted). */
  reset(): void {
    this.rules = undefined;
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const code = codeOfRuleDocsPath(uri.path);
    const rule = code ? await this.find(code) : undefined;
    if (!rule) return `# Unknown rule\n\nnetward has no rule \`${code ?? uri.path}\`.\n`;
    return rule.docs ?? `# ${rule.code} \`${rule.name}\`\n\n${rule.summary}\n`;
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

  private catalogue(): Promise<RuleInfo[]> {
    if (!this.rules) {
      this.rules = this.engine.call('rules');
      this.rules.catch(() => this.reset());
    }
    return this.rules;
  }
}

