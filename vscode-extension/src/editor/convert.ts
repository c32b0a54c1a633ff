/** The pure mapping's plain data as `vscode` objects. */
import * as vscode from 'vscode';
import type { DiagnosticData } from '../mapping/diagnostics';
import type { FixData } from '../mapping/fixes';
import type { PlainRange } from '../mapping/positions';

export function toRange(range: PlainRange): vscode.Range {
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}

export function toDiagnostic(data: DiagnosticData): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toRange(data.range), data.message, data.severity);
  diagnostic.source = data.source;
  diagnostic.code = { value: data.code.value, target: vscode.Uri.parse(data.code.target, true) };
  if (data.related.length > 0) {
    diagnostic.relatedInformation = data.related.map(
      (r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.parse(r.uri, true), toRange(r.range)), r.message),
    );
  }
  return diagnostic;
}

export function toWorkspaceEdit(fix: FixData): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  for (const [uri, edits] of fix.edits) {
    edit.set(
      vscode.Uri.parse(uri, true),
      edits.map((e) => new vscode.TextEdit(toRange(e.range), e.newText)),
    );
  }
  return edit;
}
