import { configureContent, resetContentPolicy, setTracerProvider } from '@agent-otel/core';
import { setupTracing as setupSdkTracing, type TestTracing } from '@agent-otel/testing/tracing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { McpInstrumentation } from '../src/index';

export { parentOf } from '@agent-otel/testing/tracing';
export type { TestTracing } from '@agent-otel/testing/tracing';

/** The shared in-memory pipeline, with core's manual API on its provider and its content policy reset at shutdown. */
export const setupTracing = (): TestTracing =>
  setupSdkTracing({ setTracerProvider, afterShutdown: resetContentPolicy });

/**
 * The one instrumentation of the test process, patching the SDK that jest loaded (jest's module
 * registry bypasses require hooks, so the SDK is instrumented by hand, as a bundled app would).
 */
export function instrumentSdk(
  config: ConstructorParameters<typeof McpInstrumentation>[0] = {},
): McpInstrumentation {
  const instrumentation = new McpInstrumentation(config);
  instrumentation.manuallyInstrument({ Client, Server });
  return instrumentation;
}

/** Turns content capture on for one test. */
export function captureContent(): void {
  configureContent({ captureMode: 'SPAN_ONLY' });
}

export function resetContent(): void {
  resetContentPolicy();
}
