import { configureContent, resetContentPolicy } from '@agent-otel/core';
import { type ReadableSpan } from '@opentelemetry/sdk-trace';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { McpInstrumentation } from '../src/index';

// One in-memory tracing setup for every package's tests: core's.
export { setupTracing } from '../../core/test/helpers';
export type { TestTracing } from '../../core/test/helpers';

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

export function parentOf(span: ReadableSpan): string | undefined {
  return span.parentSpanContext?.spanId;
}
