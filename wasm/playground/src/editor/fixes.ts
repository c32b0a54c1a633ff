/** The engine's fixes as editor changes, per file. */
import type { ReportedFix } from '../engine/types';
import { type LineDoc, offsetsOf } from './positions';

export interface Change {
  from: number;
  to: number;
  insert: string;
}

/** The edits of `fix` grouped by file URI, in the engine's order. */
export function editsByFile(fix: ReportedFix): Map<string, ReportedFix['edits']> {
  const map = new Map<string, ReportedFix['edits']>();
  for (const edit of fix.edits) {
    const list = map.get(edit.file);
    if (list) list.push(edit);
    else map.set(edit.file, [edit]);
  }
  return map;
}

/**
 * The changes that apply `edits` to `doc`, sorted by position, all relative to `doc` (as
 * CodeMirror applies one transaction's changes). Overlapping edits are refused.
 */
export function changesFor(doc: LineDoc, edits: ReportedFix['edits']): Change[] {
  const changes = edits
    .map((e) => ({ ...offsetsOf(doc, e.range), insert: e.new_text }))
    .sort((a, b) => a.from - b.from || a.to - b.to);
  for (let i = 1; i < changes.length; i++) {
    if (changes[i].from < changes[i - 1].to) throw new Error('the fix has overlapping edits');
  }
  return changes;
}
