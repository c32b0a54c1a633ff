/**
 * Which files look like Kubernetes manifests: a cheap textual test, run on every edit, for
 * `apiVersion` and `kind` at the top level of some YAML document (or of a JSON object).
 */

export type ManifestLanguage = 'yaml' | 'json';

/** The manifest language of an editor language id, if it is one netward reads. */
export function languageOfId(languageId: string): ManifestLanguage | undefined {
  if (languageId === 'yaml') return 'yaml';
  return languageId === 'json' || languageId === 'jsonc' ? 'json' : undefined;
}

/** The manifest language of a file name, if it is one netward reads. */
export function languageOfPath(path: string): ManifestLanguage | undefined {
  const lower = path.toLowerCase();
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  if (lower.endsWith('.json')) return 'json';
  return undefined;
}

/** Folders whose files the workspace scan and the file watcher leave alone. */
const EXCLUDED_FOLDERS = ['node_modules', '.git'];
/** The same folders as a glob, for `findFiles`. */
export const EXCLUDED_GLOB = `**/{${EXCLUDED_FOLDERS.join(',')}}/**`;

/** Whether a file's path lies in one of the excluded folders. */
export function isExcludedPath(path: string): boolean {
  return path.split('/').slice(0, -1).some((folder) => EXCLUDED_FOLDERS.includes(folder));
}

/** Go-template actions as Helm charts write them: such files are templates, not manifests. */
const TEMPLATE_ACTION =
  /\{\{-?\s*(?:\.Values|\.Release|\.Chart|\.Capabilities|\$|if\b|else\b|end\b|range\b|with\b|include\b|template\b|define\b|toYaml\b|tpl\b)/;

/** Whether `text` holds at least one Kubernetes object (and is not a Helm template). */
export function looksLikeManifest(text: string, language: ManifestLanguage): boolean {
  if (TEMPLATE_ACTION.test(text)) return false;
  const start = text.search(/\S/);
  if (start < 0) return false;
  if (language === 'json' || text[start] === '{' || text[start] === '[') return jsonHasObject(text);
  return yamlHasObject(text);
}

/** Both keys anywhere in a JSON text (a `kind: List`'s items count too). */
function jsonHasObject(text: string): boolean {
  return /"apiVersion"\s*:/.test(text) && /"kind"\s*:/.test(text);
}

const TOP_LEVEL_API_VERSION = /^(?:apiVersion|"apiVersion"|'apiVersion')[ \t]*:/;
const TOP_LEVEL_KIND = /^(?:kind|"kind"|'kind')[ \t]*:/;
const DOCUMENT_BOUNDARY = /^(?:---|\.\.\.)(?:[ \t]|$)/;

/** Some `---` document of the stream has both keys at column 0. */
function yamlHasObject(text: string): boolean {
  let apiVersion = false;
  let kind = false;
  for (const line of text.split('\n')) {
    if (DOCUMENT_BOUNDARY.test(line)) {
      apiVersion = false;
      kind = false;
      continue;
    }
    if (TOP_LEVEL_API_VERSION.test(line)) apiVersion = true;
    else if (TOP_LEVEL_KIND.test(line)) kind = true;
    if (apiVersion && kind) return true;
  }
  return false;
}
