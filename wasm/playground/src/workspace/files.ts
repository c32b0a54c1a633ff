/** Workspace file names: validation, fresh names, and the engine URIs they map to. */

/** A file of the workspace as it is shared, saved and exported. */
export interface FileSnapshot {
  name: string;
  text: string;
}

const URI_PREFIX = 'file:///workspace/';
export const MAX_NAME_LENGTH = 120;

/** The engine URI of a workspace file. */
export function uriOf(name: string): string {
  return URI_PREFIX + encodeURIComponent(name);
}

/** The workspace file name of an engine URI, or undefined for a URI outside the workspace. */
export function nameOf(uri: string): string | undefined {
  if (!uri.startsWith(URI_PREFIX)) return undefined;
  try {
    return decodeURIComponent(uri.slice(URI_PREFIX.length));
  } catch {
    return undefined;
  }
}

/** Why `name` cannot name a file next to `others`, or undefined when it can. */
export function nameProblem(name: string, others: readonly string[]): string | undefined {
  if (name.trim() !== name) return 'a file name cannot start or end with spaces';
  if (name === '') return 'a file needs a name';
  if (name.length > MAX_NAME_LENGTH) return `a file name has at most ${MAX_NAME_LENGTH} characters`;
  if (/[/\\\u0000-\u001f]/.test(name)) return 'a file name cannot contain slashes or control characters';
  if (name === '.' || name === '..') return 'not a file name';
  if (others.includes(name)) return `${name} already exists`;
  return undefined;
}

/** `name`, or `base-2.yaml`, `base-3.yaml`, ... when it is taken. */
export function freshName(name: string, taken: readonly string[]): string {
  if (!taken.includes(name)) return name;
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let i = 2; ; i++) {
    const candidate = `${stem}-${i}${ext}`;
    if (!taken.includes(candidate)) return candidate;
  }
}

/** Whether the playground treats a file as a manifest it can open. */
export function isManifestName(name: string): boolean {
  return /\.(ya?ml|json)$/i.test(name);
}

/** The editor language of a file. */
export function languageOf(name: string): 'yaml' | 'json' {
  return /\.json$/i.test(name) ? 'json' : 'yaml';
}
