// Real spans for the browser tests: core's manual API on a real OTel SDK tracer provider whose
// spans go to the viewer through the real OTLP/HTTP protobuf exporter (and to memory, so a test
// can compute what the viewer should show without the viewer's own code).
import { resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import {
  BatchSpanProcessor,
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace';
import { setTracerProvider } from '@agent-otel/core';

export interface Sender {
  readonly provider: TracerProvider;
  /** Every span ended so far (in memory, beside the export). */
  spans(): ReadableSpan[];
  /** Exports everything ended so far to the viewer. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * A tracer provider with `service.name` = `serviceName` exporting to `${viewerUrl}/v1/traces`,
 * made the one core's manual API uses.
 */
export function createSender(
  viewerUrl: string,
  serviceName: string,
  headers: Record<string, string> = {},
): Sender {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [
      new SimpleSpanProcessor({ exporter: memory }),
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: `${viewerUrl}/v1/traces`, headers }),
        maxQueueSize: 20_000,
        maxExportBatchSize: 2_000,
        scheduledDelayMillis: 50,
      }),
    ],
  });
  setTracerProvider(provider);
  return {
    provider,
    spans: () => memory.getFinishedSpans(),
    flush: () => provider.forceFlush(),
    async shutdown() {
      await provider.shutdown();
      setTracerProvider(undefined);
    },
  };
}

/** Sum of a numeric attribute over spans. */
export function sumAttribute(spans: readonly ReadableSpan[], key: string): number {
  return spans.reduce((sum, span) => {
    const value = span.attributes[key];
    return sum + (typeof value === 'number' ? value : 0);
  }, 0);
}
