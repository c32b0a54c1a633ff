/**
 * The engine worker: loads the WASM engine inside a `worker_threads` Worker and answers
 * requests one at a time, so a slow lint never blocks the extension host.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { EngineCalls, Method, Request, Response, WorkerData } from './protocol';
import { EXIT_AFTER_TRAP } from './protocol';
import type { Diagnostic, PositionEncoding, WasmEngine } from './types';

/** The wasm-bindgen module (nodejs target): the `Engine` class. */
interface WasmModule {
  Engine: new (options: string, encoding: PositionEncoding) => WasmEngine;
}

/** The one WebAssembly API used here (the `lib` setting has no DOM/WebAssembly typings). */
declare const WebAssembly: { RuntimeError: new () => Error };

const port = parentPort;
if (!port) throw new Error('the netward engine worker must run in a worker thread');
const { wasmModule } = workerData as WorkerData;
// A plain require of a path known only at run time: the glue stays a separate file next to its .wasm.
const wasm = require(wasmModule) as WasmModule;
let engine: WasmEngine | undefined;

function current(): WasmEngine {
  if (!engine) throw new Error('the engine is not initialised');
  return engine;
}

type Handlers = { [M in Method]: (...params: EngineCalls[M]['params']) => EngineCalls[M]['result'] };

const handlers: Handlers = {
  init(options, encoding) {
    const next = new wasm.Engine(options, encoding);
    engine?.free();
    engine = next;
    return next.version();
  },
  checkOptions(options) {
    new wasm.Engine(options, 'utf-8').free();
    return null;
  },
  setOptions(options) {
    current().setOptions(options);
    return null;
  },
  setFile(uri, text) {
    current().setFile(uri, text);
    return null;
  },
  removeFile: (uri) => current().removeFile(uri),
  files: () => current().files(),
  lint: (uri) => current().lint(uri),
  lintMany: (uris) => lintMany(uris),
  selectedPods: (uri, offset) => current().selectedPods(uri, offset),
  serviceAt: (uri, offset) => current().serviceAt(uri, offset),
  endpointAt: (uri, offset) => current().endpointAt(uri, offset),
  cluster: () => current().cluster(),
  reach: (query) => current().reach(query),
  explain: (query) => current().explain(query),
  rules: () => current().rules(),
  schema: () => current().schema(),
  version: () => current().version(),
};

/** Several files' findings: one `lintAll` grouped by file beats a `lint` per file. */
function lintMany(uris: string[]): [string, Diagnostic[]][] {
  if (uris.length === 1) return [[uris[0], current().lint(uris[0])]];
  const byFile = new Map<string, Diagnostic[]>(uris.map((uri) => [uri, []]));
  for (const finding of current().lintAll()) byFile.get(finding.file)?.push(finding);
  return [...byFile];
}

function message(error: unknown): string {
  if (error instanceof Error) return error.message;
  return typeof error === 'string' ? error : JSON.stringify(error);
}

port.on('message', (request: Request) => {
  let response: Response;
  let trapped = false;
  try {
    const handler = handlers[request.method] as (...params: unknown[]) => unknown;
    if (!handler) throw new Error(`unknown engine call ${String(request.method)}`);
    response = { id: request.id, ok: true, result: handler(...request.params) };
  } catch (error) {
    trapped = error instanceof WebAssembly.RuntimeError;
    response = { id: request.id, ok: false, error: message(error) };
  }
  port.postMessage(response);
  // A trap (a Rust panic) may leave the instance's memory half-updated: start afresh.
  if (trapped) process.exit(EXIT_AFTER_TRAP);
});
