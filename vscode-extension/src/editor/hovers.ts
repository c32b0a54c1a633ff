/** Hovers: what a label selector matches, and where a Service's ports route. */
import * as vscode from 'vscode';
import type { EngineClient } from '../engine/client';
import type { Linter } from '../linter';
import { isServiceHoverLine, selectorHover, serviceHover } from '../mapping/hover';
import { contains, toPlainRange } from '../mapping/positions';
import { toRange } from './convert';

export class Hovers implements vscode.HoverProvider {
  constructor(
    private readonly engine: EngineClient,
    private readonly linter: Linter,
  ) {}

  async provideHover(
    document: vscode.TextDocument,
    position: vscode.Position,
    token: vscode.CancellationToken,
  ): Promise<vscode.Hover | undefined> {
    if (!(await this.linter.sync(document)) || token.isCancellationRequested) return undefined;
    const uri = document.uri.toString();
    const offset = document.offsetAt(position);
    try {
      const match = await this.engine.call('selectedPods', uri, offset);
      if (token.isCancellationRequested) return undefined;
      if (match) {
        // The engine answers only with the cursor on a selector; its range is the whole entry.
        const range = toPlainRange(match.range);
        const at = contains(range, position) ? toRange(range) : document.getWordRangeAtPosition(position);
        return new vscode.Hover(new vscode.MarkdownString(selectorHover(match)), at);
      }
      if (!isServiceHoverLine(document.lineAt(position.line).text)) return undefined;
      const routes = await this.engine.call('serviceAt', uri, offset);
      if (!routes) return undefined;
      const word = document.getWordRangeAtPosition(position);
      return new vscode.Hover(new vscode.MarkdownString(serviceHover(routes)), word);
    } catch {
      return undefined; // the engine restarted or the file left it: no hover
    }
  }
}
