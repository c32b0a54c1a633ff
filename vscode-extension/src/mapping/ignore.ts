/**
 * The "ignore this rule here" edit: a `# netward-ignore: NW2001 <reason>` comment line above
 * the finding, at its indentation. The engine applies such a comment to the block below it
 * (the next line that is not a comment, and the lines indented deeper); a comment with no
 * reason suppresses nothing, so the reason is a placeholder the user is asked to replace.
 */
import type { Position } from './positions';

export const IGNORE_MARKER = 'netward-ignore:';
export const REASON_PLACEHOLDER = 'reason';

export interface IgnoreEdit {
  /** `insert`: a new comment line; `extend`: the code added to the comment just above. */
  kind: 'insert' | 'extend';
  /** Where the text is inserted. */
  position: Position;
  text: string;
  /** The same text as a snippet, with the reason as its placeholder. */
  snippet: string;
}

/** The edit that suppresses `code` on line `findingLine` (0-based) of `text`. */
export function ignoreEdit(text: string, findingLine: number, code: string): IgnoreEdit {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const eol = /\r\n/.test(text.slice(0, text.indexOf('\n') + 1)) ? '\r\n' : '\n';
  const target = outsideBlockScalar(lines, Math.max(0, Math.min(findingLine, lines.length - 1)));

  const above = target > 0 ? lines[target - 1] : undefined;
  const markerAt = above?.indexOf(IGNORE_MARKER) ?? -1;
  if (above !== undefined && above.trimStart().startsWith('#') && markerAt >= 0) {
    // Stacked comments would all cover the block too, but one list with one reason reads better.
    const afterMarker = markerAt + IGNORE_MARKER.length;
    const codesStart = afterMarker + (above.slice(afterMarker).length - above.slice(afterMarker).trimStart().length);
    const codes = /^\S*/.exec(above.slice(codesStart))?.[0] ?? '';
    const space = codesStart === above.length && !/\s$/.test(above) ? ' ' : '';
    return {
      kind: 'extend',
      position: { line: target - 1, character: codesStart + codes.length },
      text: codes ? `,${code}` : `${space}${code} ${REASON_PLACEHOLDER}`,
      snippet: codes ? escapeSnippet(`,${code}`) : `${space}${escapeSnippet(code)} \${1:${REASON_PLACEHOLDER}}`,
    };
  }
  const indent = /^[ \t]*/.exec(lines[target])?.[0] ?? '';
  const head = `${indent}# ${IGNORE_MARKER} ${code} `;
  return {
    kind: 'insert',
    position: { line: target, character: 0 },
    text: `${head}${REASON_PLACEHOLDER}${eol}`,
    snippet: `${escapeSnippet(head)}\${1:${REASON_PLACEHOLDER}}${escapeSnippet(eol)}`,
  };
}

/** `key: |`, `- >-`, `data: |2+`: the line opens a block scalar. */
const BLOCK_SCALAR_HEADER = /(?:^|[:-])\s*[|>](?:[1-9][+-]?|[+-][1-9]?)?\s*(?:#.*)?$/;

/**
 * A comment inside a block scalar would become part of its text: for a line in one, the line
 * that opens the scalar (the outermost opener among the line's ancestors by indentation).
 */
function outsideBlockScalar(lines: string[], line: number): number {
  let result = line;
  let indent = indentation(lines[line]);
  for (let j = line - 1; j >= 0 && indent > 0; j--) {
    const trimmed = lines[j].trim();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const own = indentation(lines[j]);
    if (own >= indent) continue;
    indent = own;
    if (BLOCK_SCALAR_HEADER.test(lines[j])) result = j;
  }
  return result;
}

function indentation(line: string): number {
  return line.length - line.trimStart().length;
}

function escapeSnippet(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}
