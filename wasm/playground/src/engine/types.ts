/** The engine's answer types, generated from the Rust types (wasm/pkg/web/netward_wasm.d.ts). */
import type { Engine } from '../../../pkg/web/netward_wasm';

export type {
  ClusterView,
  Decision,
  Diagnostic,
  Explanation,
  ExplainQuery,
  Flow,
  LineColumn,
  MissReport,
  ObjectAnswer as AdmissionAnswer,
  Mode as AdmissionMode,
  ObjectRef,
  Place,
  PodView,
  PolicyReport,
  Protocol,
  Range,
  ReachAnswer,
  ReachQuery,
  RelatedLocation,
  ReportedEdit,
  ReportedFix,
  RuleInfo,
  RuleReport,
  Severity,
  SideReport,
} from '../../../pkg/web/netward_wasm';

/** What the playground calls on the engine (the worker forwards each call). */
export type EngineApi = Pick<
  Engine,
  'setFile' | 'removeFile' | 'files' | 'lint' | 'lintAll' | 'reach' | 'explain' | 'rules' | 'version' | 'setOptions' | 'endpointAt' | 'cluster' | 'admission'
>;

export type EngineMethod = keyof EngineApi;
