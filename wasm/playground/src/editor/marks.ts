/** Ranges the rest of the page points at in the editor (the rule an explanation names). */
import { type Extension, StateEffect, StateField } from '@codemirror/state';
import { Decoration, type DecorationSet, EditorView } from '@codemirror/view';

export interface MarkedRange {
  from: number;
  to: number;
  /** The main one gets the strongest colour. */
  primary?: boolean;
}

/** Replaces the marked ranges (an empty list clears them). */
export const setMarks = StateEffect.define<MarkedRange[]>();

const primaryMark = Decoration.mark({ class: 'nw-reveal nw-reveal-primary' });
const secondaryMark = Decoration.mark({ class: 'nw-reveal' });
const primaryLine = Decoration.line({ class: 'nw-reveal-line nw-reveal-line-primary' });
const secondaryLine = Decoration.line({ class: 'nw-reveal-line' });

type LineDoc = { length: number; lineAt(pos: number): { number: number; from: number }; line(n: number): { from: number } };

/** A range within a line is marked; a block of lines gets a band over its lines. */
function decorate(doc: LineDoc, ranges: MarkedRange[]): DecorationSet {
  const decorations = [];
  for (const r of ranges) {
    const from = Math.max(0, Math.min(r.from, doc.length));
    const to = Math.max(from, Math.min(r.to, doc.length));
    const first = doc.lineAt(from).number;
    const last = doc.lineAt(to).number;
    if (first === last) {
      if (to > from) decorations.push((r.primary ? primaryMark : secondaryMark).range(from, to));
      continue;
    }
    for (let n = first; n <= last; n++) decorations.push((r.primary ? primaryLine : secondaryLine).range(doc.line(n).from));
  }
  return Decoration.set(decorations, true);
}

const marksField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(value, tr) {
    for (const effect of tr.effects) if (effect.is(setMarks)) return decorate(tr.state.doc, effect.value);
    return value.map(tr.changes);
  },
  provide: (field) => EditorView.decorations.from(field),
});

export function marks(): Extension {
  return marksField;
}
