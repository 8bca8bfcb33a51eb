import { setupTracing as setupSdkTracing, type TestTracing } from '@agent-otel/testing/tracing';
import { resetContentPolicy } from '../src/content/policy';
import { setTracerProvider } from '../src/api/tracer';

export { tick } from '@agent-otel/testing';
export { parentOf } from '@agent-otel/testing/tracing';
export type { TestTracing } from '@agent-otel/testing/tracing';

/** The shared in-memory pipeline, with core's manual API on its provider and its content policy reset at shutdown. */
export const setupTracing = (): TestTracing =>
  setupSdkTracing({ setTracerProvider, afterShutdown: resetContentPolicy });
