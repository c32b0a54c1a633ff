/**
 * The options document the engine receives: the options file, with the `netward.rules.*`
 * settings laid over it.
 */
import { parseDocument } from 'yaml';

/** The rule settings of the extension (`netward.rules.select`, `.disable`, `.severity`). */
export interface RuleSettings {
  select: string[];
  disable: string[];
  severity: Record<string, string>;
}

export type MergedOptions = { ok: true; text: string } | { ok: false; error: string };

const isEmpty = (s: RuleSettings): boolean =>
  s.select.length === 0 && s.disable.length === 0 && Object.keys(s.severity).length === 0;

/**
 * Merges `settings` over the options file's text (`undefined` when there is none): `select`
 * replaces the file's when not empty, `disable` adds to it, `severity` overrides key by key.
 * Without settings the file's text goes to the engine unchanged, so the engine alone reads it.
 */
export function mergeOptions(fileText: string | undefined, settings: RuleSettings): MergedOptions {
  if (isEmpty(settings)) return { ok: true, text: fileText ?? '' };
  let base: Record<string, unknown> = {};
  if (fileText !== undefined && fileText.trim() !== '') {
    const document = parseDocument(fileText, { version: '1.2', uniqueKeys: true });
    const problem = document.errors[0];
    if (problem) return { ok: false, error: `the options file is not valid YAML: ${problem.message}` };
    const value: unknown = document.toJS();
    if (value !== null && value !== undefined) {
      if (typeof value !== 'object' || Array.isArray(value)) {
        return { ok: false, error: 'the options file must hold a mapping (key: value)' };
      }
      base = value as Record<string, unknown>;
    }
  }
  const merged: Record<string, unknown> = { ...base };
  if (settings.select.length > 0) merged.select = [...settings.select];
  // A file value of the wrong type stays as it is, so that the engine reports it.
  if (settings.disable.length > 0 && (base.disable === undefined || Array.isArray(base.disable))) {
    const existing = (base.disable as unknown[] | undefined) ?? [];
    merged.disable = [...new Set([...existing, ...settings.disable])];
  }
  if (Object.keys(settings.severity).length > 0 && (base.severity === undefined || isRecord(base.severity))) {
    merged.severity = { ...(base.severity as Record<string, unknown> | undefined), ...settings.severity };
  }
  return { ok: true, text: JSON.stringify(merged) };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads the settings' raw values, dropping what is not of the declared type. */
export function ruleSettingsOf(raw: { select?: unknown; disable?: unknown; severity?: unknown }): RuleSettings {
  const strings = (v: unknown): string[] =>
    Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.trim() !== '') : [];
  const severity: Record<string, string> = {};
  if (isRecord(raw.severity)) {
    for (const [key, level] of Object.entries(raw.severity)) {
      if (typeof level === 'string') severity[key] = level;
    }
  }
  return { select: strings(raw.select), disable: strings(raw.disable), severity };
}
