/**
 * The workspace in a URL fragment: JSON, deflate-raw compressed, base64url encoded
 * (`#ws=...`). Nothing leaves the browser: fragments are never sent to a server.
 */
import type { FileSnapshot } from './files';
import { nameProblem } from './files';

export interface SharedWorkspace {
  files: FileSnapshot[];
  /** The open file. */
  active?: string;
}

const VERSION = 1;
const KEY = 'ws';
/** Decompressed size above which a fragment is refused (a deflate bomb, or not ours). */
export const MAX_SHARED_BYTES = 8 * 1024 * 1024;

export function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new Error('not base64url text');
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  const binary = atob(b64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

async function pipe(bytes: Uint8Array<ArrayBuffer>, stream: CompressionStream | DecompressionStream, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  const writer = stream.writable.getWriter();
  writer.write(bytes).catch(() => {});
  writer.close().catch(() => {});
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw new Error(`the shared workspace is larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** The fragment (without `#`) that holds `workspace`. */
export async function encodeWorkspace(workspace: SharedWorkspace): Promise<string> {
  const json = JSON.stringify({ v: VERSION, files: workspace.files.map((f) => [f.name, f.text]), active: workspace.active });
  const packed = await pipe(new TextEncoder().encode(json), new CompressionStream('deflate-raw'), Infinity);
  return `${KEY}=${toBase64Url(packed)}`;
}

/** Whether a fragment (with or without `#`) carries a workspace. */
export function hasWorkspace(fragment: string): boolean {
  return new URLSearchParams(fragment.replace(/^#/, '')).has(KEY);
}

/** The workspace a fragment holds; throws with a readable message when it is damaged. */
export async function decodeWorkspace(fragment: string): Promise<SharedWorkspace> {
  const value = new URLSearchParams(fragment.replace(/^#/, '')).get(KEY);
  if (value === null) throw new Error('the link holds no workspace');
  let json: unknown;
  try {
    const bytes = await pipe(fromBase64Url(value), new DecompressionStream('deflate-raw'), MAX_SHARED_BYTES);
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    const why = error instanceof Error && /larger than|base64url/.test(error.message) ? error.message : 'it cannot be decompressed';
    throw new Error(`the link's workspace is damaged: ${why}`);
  }
  return parseShared(json);
}

/** Checks the decoded JSON's shape. */
export function parseShared(json: unknown): SharedWorkspace {
  const bad = (why: string) => new Error(`the link's workspace is damaged: ${why}`);
  if (typeof json !== 'object' || json === null) throw bad('not an object');
  const o = json as { v?: unknown; files?: unknown; active?: unknown };
  if (o.v !== VERSION) throw bad(`version ${String(o.v)} is not supported`);
  if (!Array.isArray(o.files)) throw bad('no files');
  const files: FileSnapshot[] = [];
  for (const entry of o.files) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'string') throw bad('a file entry is not [name, text]');
    const problem = nameProblem(entry[0], files.map((f) => f.name));
    if (problem) throw bad(problem);
    files.push({ name: entry[0], text: entry[1] });
  }
  const active = typeof o.active === 'string' && files.some((f) => f.name === o.active) ? o.active : undefined;
  return { files, active };
}
