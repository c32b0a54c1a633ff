/**
 * The shapes the netward WASM engine speaks, from the types wasm-bindgen generated with it
 * (`wasm/pkg/node/netward_wasm.d.ts`, itself generated from the Rust types). Positions are
 * 0-based; columns count code units of the engine's position encoding.
 */
export type {
  Category,
  ClusterView,
  Diagnostic,
  ExplainQuery,
  Explanation,
  Flow,
  LineColumn,
  ObjectRef,
  PortRoute,
  PortView,
  PositionEncoding,
  Protocol,
  Range,
  ReachAnswer,
  ReachQuery,
  RelatedLocation,
  ReportedEdit,
  ReportedFix,
  RuleInfo,
  SelectorMatch,
  ServiceRoutes,
  Severity,
} from '../../../wasm/pkg/node/netward_wasm';

/** The engine class itself (types only: the worker loads the module at run time). */
export type { Engine as WasmEngine } from '../../../wasm/pkg/node/netward_wasm';
