// "@agent-otel/testing/tracing": an in-memory OTel SDK pipeline and span-tree helpers for tests.
// Kept off the main entry, which needs nothing but Node built-ins; this one needs the OTel SDK
// (@opentelemetry/sdk-trace, context-async-hooks and core). Every export is listed by name.

export { enableAsyncContext, setupTracing } from './setup-tracing.js';
export type { SetupTracingOptions, TestTracing } from './setup-tracing.js';
export { assertChildOf, childrenOf, parentOf, spanNamed, treeOf } from './span-tree.js';
export { captureDiag } from './capture-diag.js';
export type { CapturedDiag, DiagMessage } from './capture-diag.js';
export {
  byModality,
  counterTotal,
  ids,
  onlyHistogramPoint,
  points,
  spanAttributes,
  spanSeconds,
  USAGE_COUNTERS,
} from './telemetry.js';
export type { Metrics, Point } from './telemetry.js';
