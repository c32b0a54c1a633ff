/** The engine's fixes as text edits of the editor, grouped per file. */
import type { ReportedFix } from '../engine/types';
import { type PlainRange, toPlainRange } from './positions';

export interface EditData {
  range: PlainRange;
  newText: string;
}

export interface FixData {
  title: string;
  /** Edits per file uri, in the engine's order. */
  edits: Map<string, EditData[]>;
}

export function toFixData(fix: ReportedFix): FixData {
  const edits = new Map<string, EditData[]>();
  for (const edit of fix.edits) {
    const list = edits.get(edit.file) ?? [];
    list.push({ range: toPlainRange(edit.range), newText: edit.new_text });
    edits.set(edit.file, list);
  }
  return { title: fix.title, edits };
}
