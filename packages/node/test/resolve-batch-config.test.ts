import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { ReadableSpan, SpanExporter, SpanProcessor } from '@opentelemetry/sdk-trace';
import { resolveBatchConfig } from '../src/resolve-batch-config.js';
import { ReportingBatchSpanProcessor } from '../src/ReportingBatchSpanProcessor.js';

/** An exporter that accepts every batch at once and records the batch sizes. */
function recordingExporter(): SpanExporter & { readonly batches: number[] } {
  const batches: number[] = [];
  return {
    batches,
    export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
      batches.push(spans.length);
      resultCallback({ code: ExportResultCode.SUCCESS });
    },
    shutdown: () => Promise.resolve(),
  };
}

/** Ends `count` spans in one synchronous burst, flushes, and returns the batch sizes exported. */
async function burst(processor: SpanProcessor, count: number): Promise<void> {
  const provider = new TracerProvider({ spanProcessors: [processor] });
  const tracer = provider.getTracer('burst');
  for (let i = 0; i < count; i++) tracer.startSpan(`span ${i}`).end();
  await provider.forceFlush();
  await provider.shutdown();
}

describe('resolveBatchConfig', () => {
  it("uses the OTel specification's batch defaults (queue 2048, batch 512) for an empty environment", () => {
    const warnings: string[] = [];
    expect(resolveBatchConfig({}, warnings)).toEqual({
      scheduledDelayMillis: 5000,
      exportTimeoutMillis: 30000,
      maxQueueSize: 2048,
      maxExportBatchSize: 512,
    });
    expect(warnings).toEqual([]);
  });

  it('keeps the default batch of 512 when only a larger queue is set', () => {
    const warnings: string[] = [];
    expect(resolveBatchConfig({ OTEL_BSP_MAX_QUEUE_SIZE: '8192' }, warnings)).toMatchObject({
      maxQueueSize: 8192,
      maxExportBatchSize: 512,
    });
    expect(warnings).toEqual([]);
  });

  it('names the setting and the default in the message for a bad queue size', () => {
    const warnings: string[] = [];
    expect(resolveBatchConfig({ OTEL_BSP_MAX_QUEUE_SIZE: 'lots' }, warnings).maxQueueSize).toBe(2048);
    expect(warnings).toEqual([
      'OTEL_BSP_MAX_QUEUE_SIZE="lots" is not a whole number; use e.g. 2048. Falling back to 2048.',
    ]);
  });

  it("keeps and drops what the OTel SDK's own default BatchSpanProcessor keeps and drops in a burst", async () => {
    const sdkExporter = recordingExporter();
    await burst(new BatchSpanProcessor({ exporter: sdkExporter }), 5000);

    const ourExporter = recordingExporter();
    const config = resolveBatchConfig({}, []);
    await burst(
      new ReportingBatchSpanProcessor({
        ...config,
        exporter: ourExporter,
        destination: 'http://127.0.0.1:4318',
      }),
      5000,
    );

    // The first batch leaves as soon as it is full; the queue then holds the rest until it is full too.
    expect(sdkExporter.batches[0]).toBe(512);
    expect(sdkExporter.batches.reduce((sum, n) => sum + n, 0)).toBe(512 + 2048);
    expect(ourExporter.batches).toEqual(sdkExporter.batches);
  });
});
