/** Messages between the page and the engine worker. */
import type { EngineMethod } from './types';

/** `init` creates the engine; every other method is forwarded to it. */
export type Request =
  | { id: number; method: 'init'; args: [options: string] }
  | { id: number; method: EngineMethod; args: unknown[] };

export type Response =
  | { id: number; ok: true; value: unknown; /** engine time in ms */ ms: number }
  | { id: number; ok: false; error: string };

/** What `init` answers. */
export interface InitAnswer {
  version: string;
}
