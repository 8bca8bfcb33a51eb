import type { ContextKey } from './internal-types.js';

// Context keys are `Symbol.for` symbols (not `createContextKey`, which makes a fresh symbol per copy)
// so that two copies of this package see each other's spans, traces and flags.

/** The innermost agent-otel span handle. */
export const CURRENT_SPAN_KEY: ContextKey = Symbol.for('agent_otel.current_span');
/** The current trace (workflow) handle. */
export const CURRENT_TRACE_KEY: ContextKey = Symbol.for('agent_otel.current_trace');
/** The innermost usage accumulator (agent or workflow span) that model calls roll up into. */
export const USAGE_ROLLUP_KEY: ContextKey = Symbol.for('agent_otel.usage_rollup');
/**
 * Set by `withoutModelCallMerge`: model-client spans started beneath nest under the owner's model-call
 * span instead of merging into it, and the owner counts the call (usage, metrics) alone.
 */
export const NO_MERGE_KEY: ContextKey = Symbol.for('agent_otel.model_call_no_merge');
/** Set by a per-trace `disabled: true`; every agent-otel span beneath is a no-op. */
export const TRACING_DISABLED_KEY: ContextKey = Symbol.for('agent_otel.tracing_disabled');
/**
 * The OpenTelemetry SDK's "suppress tracing" flag: `suppressTracing()` of `@opentelemetry/core` sets it
 * under `createContextKey('OpenTelemetry SDK Context Key SUPPRESS_TRACING')`, which is this
 * `Symbol.for` symbol, and the SDK's tracer then makes non-recording spans. Set here so that core
 * needs no SDK package (test/export/sdk-values.test.ts checks it against `isTracingSuppressed`).
 */
export const SUPPRESS_TRACING_KEY: ContextKey = Symbol.for('OpenTelemetry SDK Context Key SUPPRESS_TRACING');
