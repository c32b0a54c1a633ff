/** Import and export formats: manifest files, the workspace as JSON, one YAML stream. */
import type { FileSnapshot } from './files';
import { freshName, isManifestName, nameProblem } from './files';

export const WORKSPACE_FORMAT = 'netward-playground-workspace';
/** Files larger than this are not imported: the editor is for reading them. */
export const MAX_IMPORT_BYTES = 4 * 1024 * 1024;

/** The exported workspace (re-importable). */
export function workspaceJson(files: readonly FileSnapshot[]): string {
  return JSON.stringify({ format: WORKSPACE_FORMAT, version: 1, files }, null, 2) + '\n';
}

/** The files of an exported workspace, or undefined when `text` is not one. */
export function parseWorkspaceJson(text: string): FileSnapshot[] | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof json !== 'object' || json === null || (json as { format?: unknown }).format !== WORKSPACE_FORMAT) return undefined;
  const files = (json as { files?: unknown }).files;
  if (!Array.isArray(files)) throw new Error('the workspace file has no files');
  const out: FileSnapshot[] = [];
  for (const f of files) {
    if (typeof f?.name !== 'string' || typeof f?.text !== 'string') throw new Error('a file of the workspace has no name or text');
    const problem = nameProblem(f.name, out.map((o) => o.name));
    if (problem) throw new Error(`the workspace file is damaged: ${problem}`);
    out.push({ name: f.name, text: f.text });
  }
  return out;
}

/** Every file as one YAML stream (`kubectl apply -f` reads it), JSON files left out. */
export function yamlStream(files: readonly FileSnapshot[]): string {
  return files
    .filter((f) => !/\.json$/i.test(f.name))
    .map((f) => `# ${f.name}\n${f.text.replace(/\s+$/, '')}\n`)
    .join('---\n');
}

/** What an import brings: a whole workspace (replaces the current one) or files to add. */
export type Imported = { kind: 'workspace'; files: FileSnapshot[] } | { kind: 'files'; files: FileSnapshot[]; skipped: string[] };

/** Sorts dropped or picked files into an import; names are made unique against `taken`. */
export function planImport(picked: readonly FileSnapshot[], taken: readonly string[]): Imported {
  if (picked.length === 1 && /\.json$/i.test(picked[0].name)) {
    const workspace = parseWorkspaceJson(picked[0].text);
    if (workspace) return { kind: 'workspace', files: workspace };
  }
  const names = [...taken];
  const files: FileSnapshot[] = [];
  const skipped: string[] = [];
  for (const f of picked) {
    const base = f.name.split(/[/\\]/).pop() ?? f.name;
    if (!isManifestName(base) || nameProblem(base, []) !== undefined) {
      skipped.push(`${f.name}: not a .yaml, .yml or .json file`);
      continue;
    }
    const name = freshName(base, names);
    names.push(name);
    files.push({ name, text: f.text });
  }
  return { kind: 'files', files, skipped };
}
