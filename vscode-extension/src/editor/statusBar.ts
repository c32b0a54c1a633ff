/** The status bar item: netward's version, options source and file count, or why the options were refused. */
import * as vscode from 'vscode';

export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('netward.status', vscode.StatusBarAlignment.Right, 100);
  private version = '';
  private source = 'defaults';
  private files: number | undefined;
  private problem: string | undefined;
  private enabled = true;

  constructor() {
    this.item.name = 'netward';
    this.item.command = 'netward.showLog';
    this.item.text = '$(sync~spin) netward';
    this.item.show();
  }

  update(state: { version?: string; source?: string; files?: number; enabled?: boolean }): void {
    if (state.version !== undefined) this.version = state.version;
    if (state.source !== undefined) {
      this.source = state.source;
      this.problem = undefined;
    }
    if (state.files !== undefined) this.files = state.files;
    if (state.enabled !== undefined) this.enabled = state.enabled;
    this.render();
  }

  /** The options were refused: the previous ones stay in force. */
  refused(message: string): void {
    this.problem = message;
    this.render();
  }

  private render(): void {
    const item = this.item;
    item.backgroundColor = undefined;
    if (!this.enabled) {
      item.text = '$(circle-slash) netward';
      item.tooltip = 'netward is disabled (setting netward.enable)';
    } else if (this.problem !== undefined) {
      item.text = '$(error) netward: options';
      item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
      item.tooltip = `netward ${this.version}: the options were refused; the previous ones stay in force.\n${this.problem}`;
    } else {
      item.text = '$(shield) netward';
      const files = this.files === undefined ? '' : `\n${this.files} manifest file(s)`;
      item.tooltip = `netward ${this.version}\noptions: ${this.source}${files}`;
    }
  }

  dispose(): void {
    this.item.dispose();
  }
}
