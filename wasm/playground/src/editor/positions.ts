/** Engine positions (0-based lines, UTF-16 columns) as document offsets and back. */
import type { LineColumn, Range } from '../engine/types';

/** The part of CodeMirror's `Text` this needs (1-based lines). */
export interface LineDoc {
  readonly lines: number;
  readonly length: number;
  line(n: number): { from: number; to: number };
}

/** The offset of a position, clamped into the document (a stale or past-the-end position). */
export function offsetOf(doc: LineDoc, at: LineColumn): number {
  if (at.line < 0) return 0;
  if (at.line >= doc.lines) return doc.length;
  const line = doc.line(at.line + 1);
  return Math.min(line.from + Math.max(0, at.column), line.to);
}

/** A range as offsets, `from <= to`. */
export function offsetsOf(doc: LineDoc, range: Range): { from: number; to: number } {
  const from = offsetOf(doc, range.start);
  const to = offsetOf(doc, range.end);
  return to < from ? { from: to, to: from } : { from, to };
}

/** `12:5` for people: 1-based line and column. */
export function describePosition(at: LineColumn): string {
  return `${at.line + 1}:${at.column + 1}`;
}
