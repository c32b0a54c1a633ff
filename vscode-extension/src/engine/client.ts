/**
 * The extension's handle on the engine worker: typed calls answered by promises, and a mirror
 * of the engine's state (options, files) replayed into a fresh worker when one dies.
 */
import { Worker } from 'node:worker_threads';
import type { Method, Params, Request, Response, Result, WorkerData } from './protocol';
import type { PositionEncoding } from './types';

export interface EngineClientOptions {
  /** The bundled worker script (`dist/worker.js`). */
  workerScript: string;
  /** The wasm-bindgen glue (`dist/netward_wasm.js`). */
  wasmModule: string;
  encoding: PositionEncoding;
  /** Called with one line of news: restarts, crashes. */
  log?: (line: string) => void;
  /** Called after a fresh worker has received the mirrored state again. */
  onRestart?: () => void;
  /** At most this many restarts per minute; then calls fail until `start` is called again. */
  maxRestartsPerMinute?: number;
}

/** The worker died (or was stopped) before answering. */
export class EngineUnavailable extends Error {}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

export class EngineClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private options = '';
  private readonly files = new Map<string, string>();
  private restarts: number[] = [];
  private disposed = false;

  constructor(private readonly config: EngineClientOptions) {}

  /** Starts a fresh worker (no files) with `options`; answers the engine version. Rejects on invalid options. */
  async start(options: string): Promise<string> {
    this.disposed = false;
    this.files.clear();
    this.spawn();
    const version = await this.call('init', options, this.config.encoding);
    this.options = options;
    return version;
  }

  /** Replaces the options; on rejection the engine keeps the old ones. */
  async setOptions(options: string): Promise<void> {
    await this.call('setOptions', options);
    this.options = options;
  }

  setFile(uri: string, text: string): Promise<null> {
    this.files.set(uri, text);
    return this.call('setFile', uri, text);
  }

  removeFile(uri: string): Promise<boolean> {
    this.files.delete(uri);
    return this.call('removeFile', uri);
  }

  /** Whether the engine holds `uri`. */
  has(uri: string): boolean {
    return this.files.has(uri);
  }

  /** The uris the engine holds. */
  uris(): string[] {
    return [...this.files.keys()];
  }

  /** Any engine call, answered in order with every other call. */
  call<M extends Method>(method: M, ...params: Params<M>): Promise<Result<M>> {
    const worker = this.worker;
    if (!worker) return Promise.reject(new EngineUnavailable('the netward engine is not running'));
    const id = this.nextId++;
    return new Promise<Result<M>>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      const request: Request<M> = { id, method, params };
      worker.postMessage(request);
    });
  }

  dispose(): void {
    this.disposed = true;
    const worker = this.worker;
    this.worker = undefined;
    this.failPending('the netward engine was stopped');
    void worker?.terminate();
  }

  private spawn(): void {
    const old = this.worker;
    this.worker = undefined;
    if (old) {
      this.failPending('the netward engine was restarted');
      void old.terminate();
    }
    const data: WorkerData = { wasmModule: this.config.wasmModule };
    const worker = new Worker(this.config.workerScript, { workerData: data });
    this.worker = worker;
    worker.on('message', (response: Response) => this.settle(response));
    worker.on('error', (error) => this.config.log?.(`engine worker error: ${error.stack ?? error.message}`));
    worker.on('exit', (code) => this.exited(worker, code));
  }

  private settle(response: Response): void {
    const pending = this.pending.get(response.id);
    if (!pending) return;
    this.pending.delete(response.id);
    if (response.ok) pending.resolve(response.result);
    else pending.reject(new Error(response.error));
  }

  private exited(worker: Worker, code: number): void {
    if (worker !== this.worker) return; // replaced or stopped on purpose
    this.worker = undefined;
    this.failPending(`the netward engine stopped (exit code ${code})`);
    if (this.disposed) return;
    const now = Date.now();
    this.restarts = this.restarts.filter((t) => now - t < 60_000);
    if (this.restarts.length >= (this.config.maxRestartsPerMinute ?? 3)) {
      this.config.log?.(`engine worker exited with code ${code}; not restarting (too many restarts)`);
      return;
    }
    this.restarts.push(now);
    this.config.log?.(`engine worker exited with code ${code}; restarting with ${this.files.size} files`);
    void this.replay();
  }

  /** A fresh worker with the mirrored options and files. */
  private async replay(): Promise<void> {
    try {
      this.spawn();
      const calls: Promise<unknown>[] = [this.call('init', this.options, this.config.encoding)];
      for (const [uri, text] of this.files) calls.push(this.call('setFile', uri, text));
      await Promise.all(calls);
      this.config.onRestart?.();
    } catch (error) {
      this.config.log?.(`engine restart failed: ${(error as Error).message}`);
    }
  }

  private failPending(reason: string): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(new EngineUnavailable(reason));
  }
}
