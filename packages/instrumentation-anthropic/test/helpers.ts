import { resetContentPolicy, setTracerProvider } from '@agent-otel/core';
import { setupTracing as setupSdkTracing, type TestTracing } from '@agent-otel/testing/tracing';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

export { eventually, tick } from '@agent-otel/testing';
export type { TestTracing } from '@agent-otel/testing/tracing';

/** The shared in-memory pipeline, with core's manual API on its provider and its content policy reset at shutdown. */
export const setupTracing = (): TestTracing =>
  setupSdkTracing({ setTracerProvider, afterShutdown: resetContentPolicy });

/** A second in-memory pipeline, for the spans `@anthropic-ai/sdk` records itself. */
export interface SdkSpans {
  readonly provider: TracerProvider;
  readonly exporter: InMemorySpanExporter;
  /** The `openTelemetry` client option that sends a client's own spans here. */
  readonly clientOption: { tracerProvider: TracerProvider };
}

/**
 * The pipeline for the SDK's own spans (`anthropic.messages.create`), given to each client as its
 * `openTelemetry.tracerProvider`. The client keeps its tracer, so this instrumentation takes the same
 * path as with the SDK's spans on (placeholder, `defer`, `keep`), but those spans stay out of the
 * conformance-checked pipeline: they are the SDK's telemetry, named by the SDK, not ours.
 */
export function sdkSpanPipeline(): SdkSpans {
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter })] });
  return { provider, exporter, clientOption: { tracerProvider: provider } };
}
