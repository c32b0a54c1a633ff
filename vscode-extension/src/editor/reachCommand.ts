/** "netward: Who can reach this?": the flows into the pod or workload under the cursor. */
import * as vscode from 'vscode';
import type { EngineClient } from '../engine/client';
import type { Linter } from '../linter';
import { declaredPort, explanationReport, noPortReport, type PortChoice, reachItems, reachReport } from '../mapping/reach';

export class ReachCommand {
  constructor(
    private readonly engine: EngineClient,
    private readonly linter: Linter,
    private readonly output: vscode.LogOutputChannel,
  ) {}

  async run(): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    if (!editor || !(await this.linter.sync(editor.document))) {
      void vscode.window.showInformationMessage('netward: open a Kubernetes manifest and put the cursor in a Pod or workload.');
      return;
    }
    const uri = editor.document.uri.toString();
    const endpoint = await this.engine.call('endpointAt', uri, editor.document.offsetAt(editor.selection.active));
    if (!endpoint) {
      void vscode.window.showInformationMessage(
        'netward: the cursor is not in a Pod or workload (Deployment, StatefulSet, DaemonSet, Job, ...).',
      );
      return;
    }
    let answer;
    try {
      answer = await this.engine.call('reach', { to: endpoint });
    } catch (error) {
      void vscode.window.showErrorMessage(`netward: ${(error as Error).message}`);
      return;
    }
    for (const line of reachReport(endpoint, answer)) this.output.info(line);
    const items = reachItems(answer);
    const picked = await vscode.window.showQuickPick(items, {
      title: `Who can reach ${endpoint}`,
      placeHolder:
        items.length === 0 ? `no pod or workload can reach ${endpoint} (ipBlock sources are not listed)` : 'pick a source to explain the verdict',
    });
    if (!picked) return;
    try {
      // A flow on every port (`all ports`, `TCP all`) is explained on a port the destination declares.
      const port = picked.port ?? (await this.declaredPort(endpoint, picked.description));
      if (!port) {
        this.output.info(noPortReport(picked.from, endpoint, picked.description));
      } else {
        const explanation = await this.engine.call('explain', {
          from: picked.from,
          to: endpoint,
          port: port.number,
          protocol: port.protocol,
        });
        for (const line of explanationReport(explanation)) this.output.info(line);
      }
      this.output.show(true);
    } catch (error) {
      void vscode.window.showErrorMessage(`netward: ${(error as Error).message}`);
    }
  }

  /** The first container port `endpoint` declares that `ports` (a flow's) allows. */
  private async declaredPort(endpoint: string, ports: string): Promise<PortChoice | undefined> {
    const pod = (await this.engine.call('cluster')).pods.find((p) => p.name === endpoint);
    return declaredPort(ports, pod?.ports ?? []);
  }
}
