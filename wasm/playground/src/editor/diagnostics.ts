/** Engine diagnostics as CodeMirror diagnostics: offsets, severity, message, quick fixes. */
import type { Diagnostic as LintDiagnostic } from '@codemirror/lint';
import type { Diagnostic } from '../engine/types';
import { type LineDoc, offsetsOf } from './positions';

export interface MapOptions {
  /** Applies the engine's fix of a diagnostic (it may edit other files too). */
  applyFix?: (d: Diagnostic) => void;
  /** Shows the docs of a rule. */
  showDocs?: (code: string) => void;
}

/** The text shown for a finding: message, then the help line when there is one. */
export function messageOf(d: Diagnostic): string {
  return d.help ? `${d.message}\nhelp: ${d.help}` : d.message;
}

/** One CodeMirror diagnostic per engine diagnostic, sorted by position. */
export function toLintDiagnostics(doc: LineDoc, diagnostics: readonly Diagnostic[], options: MapOptions = {}): LintDiagnostic[] {
  const out: LintDiagnostic[] = [];
  for (const d of diagnostics) {
    const { from, to } = offsetsOf(doc, d.range);
    const actions: NonNullable<LintDiagnostic['actions']>[number][] = [];
    if (d.fix && options.applyFix) {
      const applyFix = options.applyFix;
      actions.push({ name: d.fix.title, apply: () => applyFix(d) });
    }
    if (options.showDocs) {
      const showDocs = options.showDocs;
      actions.push({ name: `Docs ${d.code}`, apply: () => showDocs(d.code) });
    }
    out.push({
      from,
      to,
      severity: d.severity,
      source: `${d.code} ${d.rule}`,
      message: messageOf(d),
      markClass: `nw-mark-${d.code}`,
      actions,
    });
  }
  return out.sort((a, b) => a.from - b.from || a.to - b.to);
}

/** Counts per severity. */
export function countBySeverity(diagnostics: readonly Diagnostic[]): Record<'error' | 'warning' | 'info', number> {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return counts;
}

/** Diagnostics grouped by file URI, each list in the engine's order. */
export function groupByFile(diagnostics: readonly Diagnostic[]): Map<string, Diagnostic[]> {
  const map = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const list = map.get(d.file);
    if (list) list.push(d);
    else map.set(d.file, [d]);
  }
  return map;
}
