/** The page's side of the engine worker: one promise per call, answered in call order. */
import type { InitAnswer, Request, Response } from './protocol';
import type { EngineApi, EngineMethod } from './types';

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void; method: string };

/** Anything that carries messages like a Worker (a fake in tests). */
export interface Port {
  postMessage(message: Request): void;
  onmessage: ((event: MessageEvent<Response>) => void) | null;
  onerror: ((event: ErrorEvent | Event) => void) | null;
}

export class EngineClient {
  private next = 1;
  private readonly pending = new Map<number, Pending>();
  private failure: Error | undefined;
  /** Engine time of the last answered call, in ms. */
  lastEngineMs = 0;

  constructor(private readonly port: Port) {
    port.onmessage = (event) => this.receive(event.data);
    port.onerror = (event) => {
      const message = 'message' in event && event.message ? event.message : 'the engine worker failed to load';
      this.fail(new Error(message));
    };
  }

  /** Starts the engine with the options text ('' for the defaults). */
  init(options: string): Promise<InitAnswer> {
    return this.send('init', [options]) as Promise<InitAnswer>;
  }

  call<M extends EngineMethod>(method: M, ...args: Parameters<EngineApi[M]>): Promise<ReturnType<EngineApi[M]>> {
    return this.send(method, args) as Promise<ReturnType<EngineApi[M]>>;
  }

  private send(method: string, args: unknown[]): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, method });
      this.port.postMessage({ id, method, args } as Request);
    });
  }

  private receive(message: Response): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    this.pending.delete(message.id);
    if (message.ok) {
      this.lastEngineMs = message.ms;
      pending.resolve(message.value);
    } else {
      pending.reject(new Error(`${pending.method}: ${message.error}`));
    }
  }

  private fail(error: Error): void {
    this.failure = error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }
}

/** A client over a new module worker. */
export function startEngineWorker(url: string): EngineClient {
  const worker = new Worker(new URL(url, import.meta.url), { type: 'module', name: 'netward-engine' });
  return new EngineClient(worker as unknown as Port);
}
