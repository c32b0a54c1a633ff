/** The engine worker: loads the WASM engine once, then answers calls in order. */
import init, { Engine } from '../../../pkg/web/netward_wasm.js';
import type { Request, Response } from './protocol';

let engine: Engine | undefined;
const ready = init({ module_or_path: new URL(NETWARD_WASM_URL, import.meta.url) });

function reply(message: Response): void {
  postMessage(message);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Calls are handled strictly one after the other, in arrival order. */
let queue: Promise<void> = Promise.resolve();

self.onmessage = (event: MessageEvent<Request>) => {
  const request = event.data;
  queue = queue.then(async () => {
    try {
      await ready;
      const start = performance.now();
      let value: unknown;
      if (request.method === 'init') {
        engine?.free();
        engine = new Engine(request.args[0], 'utf-16');
        value = { version: engine.version() };
      } else {
        if (!engine) throw new Error('the engine is not initialised');
        const method = (engine as unknown as Record<string, (...args: unknown[]) => unknown>)[request.method];
        if (typeof method !== 'function') throw new Error(`the engine has no method ${request.method}`);
        value = method.apply(engine, request.args);
      }
      reply({ id: request.id, ok: true, value, ms: performance.now() - start });
    } catch (error) {
      reply({ id: request.id, ok: false, error: errorText(error) });
    }
  });
};
