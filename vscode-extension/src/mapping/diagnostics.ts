/** Engine diagnostics as editor diagnostics: range, severity, code link, related locations. */
import type { Diagnostic, Severity } from '../engine/types';
import { type PlainRange, toPlainRange } from './positions';

/** VS Code's `DiagnosticSeverity` values. */
export const DiagnosticSeverity = { Error: 0, Warning: 1, Information: 2, Hint: 3 } as const;
export type SeverityValue = (typeof DiagnosticSeverity)[keyof typeof DiagnosticSeverity];

export const SOURCE = 'netward';

export interface RelatedData {
  uri: string;
  range: PlainRange;
  message: string;
}

export interface DiagnosticData {
  range: PlainRange;
  message: string;
  severity: SeverityValue;
  source: string;
  code: { value: string; target: string };
  related: RelatedData[];
}

export function severityOf(severity: Severity): SeverityValue {
  switch (severity) {
    case 'error':
      return DiagnosticSeverity.Error;
    case 'warning':
      return DiagnosticSeverity.Warning;
    default:
      return DiagnosticSeverity.Information;
  }
}

/** The editor's view of `d`; `docsTarget` gives the link of a rule code. */
export function toDiagnosticData(d: Diagnostic, docsTarget: (code: string) => string): DiagnosticData {
  const message = d.help ? `${d.message}\nhelp: ${d.help}` : d.message;
  return {
    range: toPlainRange(d.range),
    message,
    severity: severityOf(d.severity),
    source: SOURCE,
    code: { value: d.code, target: docsTarget(d.code) },
    related: (d.related ?? []).map((r) => ({ uri: r.file, range: toPlainRange(r.range), message: r.message })),
  };
}

/** What identifies a published diagnostic when the editor hands it back (code actions). */
export function diagnosticKey(code: string, range: PlainRange, message: string): string {
  const r = range;
  return `${code}@${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}|${message}`;
}
