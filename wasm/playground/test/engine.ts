/** The real engine for the unit tests: the web build, instantiated synchronously from its .wasm file. */
import fs from 'node:fs';
import { Engine, initSync } from '../../pkg/web/netward_wasm.js';
import type { FileSnapshot } from '../src/workspace/files';
import { uriOf } from '../src/workspace/files';

let initialised = false;

/** An engine (default options, UTF-16 columns) holding `files` under their workspace URIs. */
export function engineWith(files: readonly FileSnapshot[]): Engine {
  if (!initialised) {
    initSync({ module: fs.readFileSync(NETWARD_WASM_PATH) });
    initialised = true;
  }
  const engine = new Engine('', 'utf-16');
  for (const f of files) engine.setFile(uriOf(f.name), f.text);
  return engine;
}
