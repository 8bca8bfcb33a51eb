import { setupTracing as setupSdkTracing, type TestTracing } from '@agent-otel/testing/tracing';
import { resetContentPolicy } from '../src/content/policy';
import { setTracerProvider } from '../src/api/tracer';

export { tick } from '@agent-otel/testing';
export { parentOf } from '@agent-otel/testing/tracing';
export type { TestTracing } from '@agent-otel/testing/tracing';

/**
 * The shared in-memory pipeline, with core's manual API on its provider and its content policy reset
 * at shutdown; its shutdown checks what the suite recorded against the semconv registry, unless
 * `skipConformance` gives the reason the suite's telemetry cannot conform.
 */
export const setupTracing = (skipConformance?: string): TestTracing =>
  setupSdkTracing({ setTracerProvider, afterShutdown: resetContentPolicy, skipConformance });
