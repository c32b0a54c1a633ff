/** Quick fixes on netward's diagnostics: the engine's own fix, and "ignore this rule here". */
import * as vscode from 'vscode';
import type { Linter } from '../linter';
import { diagnosticKey, SOURCE } from '../mapping/diagnostics';
import { toFixData } from '../mapping/fixes';
import { ignoreEdit } from '../mapping/ignore';
import { toWorkspaceEdit } from './convert';

export class CodeActions implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  constructor(private readonly linter: Linter) {}

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    if (!this.linter.isEnabled) return [];
    const findings = this.linter.findings(document);
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== SOURCE) continue;
      const code = typeof diagnostic.code === 'object' ? String(diagnostic.code.value) : String(diagnostic.code ?? '');
      const range = {
        start: { line: diagnostic.range.start.line, character: diagnostic.range.start.character },
        end: { line: diagnostic.range.end.line, character: diagnostic.range.end.character },
      };
      const fix = findings.get(diagnosticKey(code, range, diagnostic.message))?.fix;
      if (fix) {
        const action = new vscode.CodeAction(fix.title, vscode.CodeActionKind.QuickFix);
        action.edit = toWorkspaceEdit(toFixData(fix));
        action.diagnostics = [diagnostic];
        action.isPreferred = true;
        actions.push(action);
      }
      if (document.languageId === 'yaml' && code) actions.push(this.ignoreAction(document, diagnostic, code));
    }
    return actions;
  }

  private ignoreAction(document: vscode.TextDocument, diagnostic: vscode.Diagnostic, code: string): vscode.CodeAction {
    const ignore = ignoreEdit(document.getText(), diagnostic.range.start.line, code);
    const action = new vscode.CodeAction(`Ignore ${code} here (netward-ignore comment)`, vscode.CodeActionKind.QuickFix);
    const position = new vscode.Position(ignore.position.line, ignore.position.character);
    const snippet = vscode.SnippetTextEdit.insert(position, new vscode.SnippetString(ignore.snippet));
    snippet.keepWhitespace = true;
    const edit = new vscode.WorkspaceEdit();
    edit.set(document.uri, [snippet]);
    action.edit = edit;
    action.diagnostics = [diagnostic];
    return action;
  }
}

