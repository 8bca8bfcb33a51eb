import { resetContentPolicy, setTracerProvider } from '@agent-otel/core';
import {
  setupTracing as setupSdkTracing,
  type SetupTracingOptions,
  type TestTracing,
} from '@agent-otel/testing/tracing';

export { tick, waitFor } from '@agent-otel/testing';
export { captureDiag, parentOf, treeOf } from '@agent-otel/testing/tracing';
export type { TestTracing } from '@agent-otel/testing/tracing';

/**
 * The shared in-memory pipeline (spans, metrics, log records, the conformance check at shutdown), with
 * core's manual API on its provider and its content policy reset at shutdown.
 */
export const setupTracing = (options: Pick<SetupTracingOptions, 'skipConformance'> = {}): TestTracing =>
  setupSdkTracing({ setTracerProvider, afterShutdown: resetContentPolicy, ...options });
