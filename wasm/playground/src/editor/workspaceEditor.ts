/**
 * The files of the workspace in one CodeMirror view: an editor state per file (its own undo
 * history and diagnostics), swapped in when its tab is opened.
 */
import { setDiagnostics } from '@codemirror/lint';
import { EditorSelection, EditorState, type TransactionSpec } from '@codemirror/state';
import { EditorView } from '@codemirror/view';
import type { Diagnostic } from '../engine/types';
import type { FileSnapshot } from '../workspace/files';
import { type MapOptions, toLintDiagnostics } from './diagnostics';
import { type Change } from './fixes';
import { type MarkedRange, setMarks } from './marks';
import { editorExtensions, nameCompartment, nameExtensions } from './setup';

interface Entry {
  name: string;
  state: EditorState;
}

export class WorkspaceEditor {
  readonly view: EditorView;
  private readonly entries: Entry[] = [];
  private activeEntry: Entry | undefined;

  /** `onChange(name)` is called after each edit of a file's text. */
  constructor(
    parent: HTMLElement,
    private readonly onChange: (name: string) => void,
    private readonly mapOptions: MapOptions,
  ) {
    this.view = new EditorView({ parent, state: EditorState.create({ doc: '' }) });
  }

  names(): string[] {
    return this.entries.map((e) => e.name);
  }

  get active(): string | undefined {
    return this.activeEntry?.name;
  }

  has(name: string): boolean {
    return this.entries.some((e) => e.name === name);
  }

  text(name: string): string {
    return this.entry(name).state.doc.toString();
  }

  snapshot(): FileSnapshot[] {
    return this.entries.map((e) => ({ name: e.name, text: this.stateOf(e).doc.toString() }));
  }

  /** Adds a file (at the end of the tabs). */
  add(name: string, text: string): void {
    if (this.has(name)) throw new Error(`${name} already exists`);
    const entry: Entry = { name, state: EditorState.create({ doc: '' }) };
    entry.state = EditorState.create({
      doc: text,
      extensions: editorExtensions(name, () => this.onChange(entry.name)),
    });
    this.entries.push(entry);
  }

  /** Replaces every file; opens `active` or the first. */
  replaceAll(files: readonly FileSnapshot[], active?: string): void {
    this.entries.length = 0;
    this.activeEntry = undefined;
    for (const f of files) this.add(f.name, f.text);
    const first = active && this.has(active) ? active : this.entries[0]?.name;
    if (first) this.open(first);
    else this.view.setState(EditorState.create({ doc: '' }));
  }

  open(name: string): void {
    const entry = this.entry(name);
    if (entry === this.activeEntry) return;
    if (this.activeEntry) this.activeEntry.state = this.view.state;
    this.activeEntry = entry;
    this.view.setState(entry.state);
  }

  rename(from: string, to: string): void {
    const entry = this.entry(from);
    entry.name = to;
    this.update(entry, { effects: nameCompartment.reconfigure(nameExtensions(to)) });
  }

  /** Removes a file; opens its neighbour when it was open. Answers the file now open. */
  close(name: string): string | undefined {
    const entry = this.entry(name);
    const index = this.entries.indexOf(entry);
    this.entries.splice(index, 1);
    if (entry === this.activeEntry) {
      this.activeEntry = undefined;
      const next = this.entries[Math.min(index, this.entries.length - 1)];
      if (next) this.open(next.name);
      else this.view.setState(EditorState.create({ doc: '' }));
    }
    return this.active;
  }

  /** Shows the engine's diagnostics of a file (they must belong to its current text). */
  setDiagnostics(name: string, diagnostics: readonly Diagnostic[]): void {
    const entry = this.entry(name);
    const state = this.stateOf(entry);
    this.update(entry, setDiagnostics(state, toLintDiagnostics(state.doc, diagnostics, this.mapOptions)));
  }

  /** Applies changes (all relative to the current text) to a file, as one undoable step. */
  applyChanges(name: string, changes: readonly Change[], userEvent = 'input.fix'): void {
    this.update(this.entry(name), { changes: [...changes], userEvent });
  }

  /**
   * Opens a file, marks `ranges` (offsets) and shows `target`: a range within one line is
   * selected, a block gets the cursor at its start (its band says where it ends).
   */
  reveal(name: string, target: { from: number; to: number }, ranges: MarkedRange[] = [target]): void {
    this.open(name);
    const doc = this.view.state.doc;
    const clamp = (n: number) => Math.max(0, Math.min(n, doc.length));
    const from = clamp(target.from);
    const to = clamp(target.to);
    const oneLine = doc.lineAt(from).number === doc.lineAt(to).number;
    this.view.dispatch({
      selection: oneLine ? EditorSelection.range(from, to) : EditorSelection.cursor(from),
      effects: [setMarks.of(ranges), EditorView.scrollIntoView(EditorSelection.range(from, to), { y: 'center' })],
    });
  }

  /** The current state of a file (the view's when it is open). */
  state(name: string): EditorState {
    return this.stateOf(this.entry(name));
  }

  private stateOf(entry: Entry): EditorState {
    return entry === this.activeEntry ? this.view.state : entry.state;
  }

  private update(entry: Entry, spec: TransactionSpec): void {
    if (entry === this.activeEntry) {
      this.view.dispatch(spec);
      return;
    }
    // A closed tab has no view, so no update listener: report its edits here.
    const tr = entry.state.update(spec);
    entry.state = tr.state;
    if (tr.docChanged) this.onChange(entry.name);
  }

  private entry(name: string): Entry {
    const entry = this.entries.find((e) => e.name === name);
    if (!entry) throw new Error(`no file ${name}`);
    return entry;
  }
}
