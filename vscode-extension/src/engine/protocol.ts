/**
 * The messages between the extension and the engine worker: one request per call, answered
 * by a response with the same id. The worker handles requests in the order they arrive.
 */
import type {
  ClusterView,
  Diagnostic,
  ExplainQuery,
  Explanation,
  PositionEncoding,
  ReachAnswer,
  ReachQuery,
  RuleInfo,
  SelectorMatch,
  ServiceRoutes,
} from './types';

/** Every call the worker answers: its parameters and its result. */
export interface EngineCalls {
  /** Creates the engine (replacing any earlier one); answers its version. */
  init: { params: [options: string, encoding: PositionEncoding]; result: string };
  /** Whether the engine accepts these options (without changing its own); rejects with why not. */
  checkOptions: { params: [options: string]; result: null };
  setOptions: { params: [options: string]; result: null };
  setFile: { params: [uri: string, text: string]; result: null };
  removeFile: { params: [uri: string]; result: boolean };
  files: { params: []; result: string[] };
  lint: { params: [uri: string]; result: Diagnostic[] };
  /** `lint` of several files in one message: answers `[uri, diagnostics]` pairs. */
  lintMany: { params: [uris: string[]]; result: [string, Diagnostic[]][] };
  selectedPods: { params: [uri: string, offset: number]; result: SelectorMatch | null };
  serviceAt: { params: [uri: string, offset: number]; result: ServiceRoutes | null };
  endpointAt: { params: [uri: string, offset: number]; result: string | null };
  /** The pods, workloads, namespaces and policies the files describe. */
  cluster: { params: []; result: ClusterView };
  reach: { params: [query: ReachQuery]; result: ReachAnswer };
  explain: { params: [query: ExplainQuery]; result: Explanation };
  rules: { params: []; result: RuleInfo[] };
  schema: { params: []; result: Record<string, unknown> };
  version: { params: []; result: string };
}

export type Method = keyof EngineCalls;
export type Params<M extends Method> = EngineCalls[M]['params'];
export type Result<M extends Method> = EngineCalls[M]['result'];

export interface Request<M extends Method = Method> {
  id: number;
  method: M;
  params: Params<M>;
}

export type Response =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: string };

/** What the worker is started with. */
export interface WorkerData {
  /** Path of the wasm-bindgen glue (`netward_wasm.js`, nodejs target). */
  wasmModule: string;
}

/** Exit code of a worker whose WebAssembly instance trapped and cannot be trusted any more. */
export const EXIT_AFTER_TRAP = 70;
