/** Plain line/character positions and ranges, shaped like VS Code's but free of the `vscode` module. */
import type { Range } from '../engine/types';

export interface Position {
  line: number;
  character: number;
}

export interface PlainRange {
  start: Position;
  end: Position;
}

/** An engine range (UTF-16 columns when the engine was asked for them) as an editor range. */
export function toPlainRange(range: Range): PlainRange {
  return {
    start: { line: range.start.line, character: range.start.column },
    end: { line: range.end.line, character: range.end.column },
  };
}

/** Whether `position` lies in `range`, ends included. */
export function contains(range: PlainRange, position: Position): boolean {
  const before = (a: Position, b: Position): boolean =>
    a.line < b.line || (a.line === b.line && a.character <= b.character);
  return before(range.start, position) && before(position, range.end);
}
