/**
 * The options text the engine receives. Without `netward.rules.*` settings it is the options
 * file, unchanged, so that the engine reads it exactly as the CLI does. With settings, the file
 * is first checked by the engine on its own (its mistakes are reported against it), then read
 * as the engine reads YAML (1.1, as kubectl: `on`/`yes` are booleans, `0755` is octal) and sent
 * as JSON with the settings laid over it; what the engine refuses then is the settings' doing.
 */
import { parseDocument } from 'yaml';

/** The rule settings of the extension (`netward.rules.select`, `.disable`, `.severity`). */
export interface RuleSettings {
  select: string[];
  disable: string[];
  severity: Record<string, string>;
}

/** The options file: its name in messages, and its text. */
export interface OptionsFile {
  name: string;
  text: string;
}

/**
 * The text for the engine, the name to give in front of its message if it refuses it, and
 * whether the engine's line and column in such a message point into text the user wrote (not
 * into the JSON merged from the settings).
 */
export type OptionsText = { ok: true; text: string; blame: string; located: boolean } | { ok: false; error: string };

export type MergedOptions = { ok: true; text: string } | { ok: false; error: string };

/** The name the settings go by in messages. */
export const SETTINGS_NAME = 'settings netward.rules.*';

export function hasRuleSettings(s: RuleSettings): boolean {
  return s.select.length > 0 || s.disable.length > 0 || Object.keys(s.severity).length > 0;
}

/** The options for the engine; `check` asks the engine whether it accepts a text (rejecting with why not). */
export async function optionsText(
  file: OptionsFile | undefined,
  settings: RuleSettings,
  check: (text: string) => Promise<unknown>,
): Promise<OptionsText> {
  if (!hasRuleSettings(settings)) return { ok: true, text: file?.text ?? '', blame: file?.name ?? 'options', located: true };
  if (file) {
    try {
      await check(file.text);
    } catch (error) {
      return { ok: false, error: renameOptions((error as Error).message, file.name) };
    }
  }
  const merged = mergeOptions(file?.text, settings);
  if (!merged.ok) return { ok: false, error: `${file?.name ?? 'options'}: ${merged.error}` };
  return { ok: true, text: merged.text, blame: file ? `${SETTINGS_NAME} (over ${file.name})` : SETTINGS_NAME, located: false };
}

/**
 * The engine's message about options text (`options:3:5: …`, `options: invalid options: …`),
 * naming `name` instead; without the line and column when they point into generated text.
 */
export function renameOptions(message: string, name: string, located = true): string {
  if (!message.startsWith('options:')) return `${name}: ${message}`;
  const rest = message.slice('options'.length);
  return `${name}${located ? rest : rest.replace(/^:\d+:\d+:/, ':')}`;
}

/**
 * Merges `settings` over the options file's text (`undefined` when there is none) into JSON:
 * `select` replaces the file's when not empty, `disable` adds to it, `severity` overrides key
 * by key. The file is read as YAML 1.1, as the engine reads it, and should be options the
 * engine accepts (a `disable` or `severity` of another type is replaced).
 */
export function mergeOptions(fileText: string | undefined, settings: RuleSettings): MergedOptions {
  let base: Record<string, unknown> = {};
  if (fileText !== undefined && fileText.trim() !== '') {
    const document = parseDocument(fileText, { version: '1.1', uniqueKeys: true });
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
  if (settings.disable.length > 0) {
    const existing: unknown[] = Array.isArray(base.disable) ? base.disable : [];
    merged.disable = [...new Set([...existing, ...settings.disable])];
  }
  if (Object.keys(settings.severity).length > 0) {
    merged.severity = { ...(isRecord(base.severity) ? base.severity : {}), ...settings.severity };
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
