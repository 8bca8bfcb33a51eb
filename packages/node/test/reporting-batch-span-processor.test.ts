import { diag, DiagLogLevel } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { OtlpConnectError } from '../src/create-otlp-exporter.js';
import { ReportingBatchSpanProcessor } from '../src/ReportingBatchSpanProcessor.js';

interface RecordingLogger extends DiagLogger {
  readonly warnings: string[];
  readonly errors: string[];
}

function recordingLogger(): RecordingLogger {
  const warnings: string[] = [];
  const errors: string[] = [];
  const ignore = () => undefined;
  return {
    warnings,
    errors,
    warn: (message: string) => warnings.push(message),
    error: (message: string) => errors.push(message),
    info: ignore,
    debug: ignore,
    verbose: ignore,
  };
}

type Answer = ExportResult | 'hold' | 'throw';

/** An exporter whose answers are scripted; `hold` keeps the callback until `release()`. */
class ScriptedExporter implements SpanExporter {
  readonly exported: ReadableSpan[] = [];
  calls = 0;
  answer: Answer = { code: ExportResultCode.SUCCESS };
  private _held: (() => void)[] = [];

  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const answer = this.answer;
    this.calls++;
    if (answer === 'throw') throw new Error('exporter bug');
    if (answer === 'hold') {
      this._held.push(() => {
        this.exported.push(...spans);
        resultCallback({ code: ExportResultCode.SUCCESS });
      });
      return;
    }
    if (answer.code === ExportResultCode.SUCCESS) this.exported.push(...spans);
    setImmediate(() => resultCallback(answer));
  }

  release(): void {
    const held = this._held;
    this._held = [];
    for (const answer of held) answer();
  }

  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

const FAILED: ExportResult = {
  code: ExportResultCode.FAILED,
  error: new Error('connect ECONNREFUSED 127.0.0.1:4318'),
};

/** What the OTLP exporter answers when its agent could not open the connection. */
const CONNECT_FAILED: ExportResult = {
  code: ExportResultCode.FAILED,
  error: new OtlpConnectError(
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:4318'), { code: 'ECONNREFUSED' }),
  ),
};

function setup(
  options: {
    maxQueueSize?: number;
    maxExportBatchSize?: number;
    recoveryQuietMillis?: number;
    maxExportBackoffMillis?: number;
    unreachableHint?: string;
    connectRetryWithinMillis?: number;
  } = {},
) {
  const exporter = new ScriptedExporter();
  let clock = 1_000_000;
  const processor = new ReportingBatchSpanProcessor({
    exporter,
    destination: 'http://user:secret@127.0.0.1:4318/v1/traces?token=abc',
    scheduledDelayMillis: 60_000,
    exportTimeoutMillis: 30_000,
    maxQueueSize: options.maxQueueSize ?? 100,
    maxExportBatchSize: options.maxExportBatchSize ?? 10,
    now: () => clock,
    recoveryQuietMillis: options.recoveryQuietMillis ?? 0,
    maxExportBackoffMillis: options.maxExportBackoffMillis ?? 0,
    unreachableHint: options.unreachableHint,
    connectRetryWithinMillis: options.connectRetryWithinMillis,
  });
  const provider = new TracerProvider({ spanProcessors: [processor] });
  providers.push(provider);
  const tracer = provider.getTracer('test');
  const endSpans = (count: number) => {
    for (let i = 0; i < count; i++) tracer.startSpan(`span-${i}`).end();
  };
  return { exporter, processor, provider, endSpans, advance: (ms: number) => (clock += ms) };
}

let logger: RecordingLogger;
const providers: TracerProvider[] = [];
afterEach(async () => {
  // Quietly: a test's leftover exports must not report into the next test's logger.
  diag.disable();
  for (const provider of providers.splice(0)) await provider.shutdown();
});
beforeEach(() => {
  logger = recordingLogger();
  diag.setLogger(logger, { logLevel: DiagLogLevel.ALL, suppressOverrideMessage: true });
});

describe('ReportingBatchSpanProcessor', () => {
  it('exports like a BatchSpanProcessor and reports nothing while exports succeed', async () => {
    const { exporter, processor, provider, endSpans } = setup();
    endSpans(25);
    await processor.forceFlush();
    expect(exporter.exported).toHaveLength(25);
    expect(processor.getExportStats()).toEqual({
      exportedSpans: 25,
      failedSpans: 0,
      queueFullSpans: 0,
      outages: 0,
    });
    await provider.shutdown();
    expect(logger.warnings).toEqual([]);
    expect(logger.errors).toEqual([]);
  });

  it('reports an outage once when it starts and once with the counts when exports work again', async () => {
    const { exporter, processor, endSpans, advance } = setup();
    exporter.answer = FAILED;
    for (let round = 0; round < 5; round++) {
      endSpans(10);
      await processor.forceFlush();
    }
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toBe(
      '@agent-otel/node: dropping spans: export to http://127.0.0.1:4318/v1/traces failed: connect ECONNREFUSED ' +
        '127.0.0.1:4318. Reported once; a summary with the number of spans dropped follows when exports succeed ' +
        'again or at shutdown.',
    );
    advance(12_300);
    exporter.answer = { code: ExportResultCode.SUCCESS };
    endSpans(10);
    await processor.forceFlush();
    expect(logger.warnings).toHaveLength(2);
    expect(logger.warnings[1]).toBe(
      '@agent-otel/node: exporting spans to http://127.0.0.1:4318/v1/traces works again after 12.3 s; 50 spans ' +
        'were dropped (50 in 5 failed exports, 0 because the queue of 100 was full).',
    );
    // The batch processor did not pass each failure to the global error handler.
    expect(logger.errors).toEqual([]);
    expect(processor.getExportStats()).toEqual({
      exportedSpans: 10,
      failedSpans: 50,
      queueFullSpans: 0,
      outages: 1,
    });
  });

  it('counts spans dropped on a full queue without the batch processor warning on every drain', async () => {
    const { exporter, processor, endSpans } = setup({ maxQueueSize: 20, maxExportBatchSize: 10 });
    exporter.answer = 'hold';
    // 10 go straight to the (held) exporter, 20 fill the queue, 70 are dropped.
    endSpans(100);
    expect(processor.getExportStats().queueFullSpans).toBe(70);
    exporter.answer = { code: ExportResultCode.SUCCESS };
    exporter.release();
    await processor.forceFlush();
    endSpans(5);
    await processor.forceFlush();
    expect(exporter.exported).toHaveLength(35);
    expect(processor.getExportStats()).toEqual({
      exportedSpans: 35,
      failedSpans: 0,
      queueFullSpans: 70,
      outages: 1,
    });
    expect(logger.warnings).toHaveLength(2);
    expect(logger.warnings[0]).toContain('the queue of 20 spans is full');
    expect(logger.warnings[1]).toContain(
      '70 spans were dropped (0 in 0 failed exports, 70 because the queue of 20 was full)',
    );
    expect(logger.warnings.join('\n')).not.toContain('maxQueueSize reached');
  });

  it('reports a flapping outage once: it ends only after exports worked for the quiet period', async () => {
    const { exporter, processor, endSpans, advance } = setup({ recoveryQuietMillis: 100 });
    for (const answer of [
      FAILED,
      { code: ExportResultCode.SUCCESS },
      FAILED,
      { code: ExportResultCode.SUCCESS },
    ]) {
      exporter.answer = answer;
      // Fewer than a batch: the export happens inside forceFlush, at this clock reading.
      endSpans(5);
      await processor.forceFlush();
      advance(1000);
    }
    expect(logger.warnings).toHaveLength(1);
    // Nothing was lost for the quiet period after the last success: one summary with both failures.
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(logger.warnings).toHaveLength(2);
    expect(logger.warnings[1]).toContain(
      'works again after 3.0 s; 10 spans were dropped (10 in 2 failed exports',
    );
  });

  it('spaces export attempts out while they keep failing, and sends at once on forceFlush', async () => {
    const { exporter, processor, endSpans } = setup({ maxExportBackoffMillis: 1000 });
    exporter.answer = FAILED;
    endSpans(10); // a full batch: exported by the batch processor's own schedule
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(exporter.calls).toBe(1);
    endSpans(10); // held: the first pause after a failure is 250 ms
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(exporter.calls).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(exporter.calls).toBe(2);
    endSpans(10); // held again, for 500 ms now; a flush does not wait
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(exporter.calls).toBe(2);
    exporter.answer = { code: ExportResultCode.SUCCESS };
    await processor.forceFlush();
    expect(exporter.calls).toBe(3);
    expect(processor.getExportStats()).toEqual({
      exportedSpans: 10,
      failedSpans: 20,
      queueFullSpans: 0,
      outages: 1,
    });
  });

  it('reports an outage still open at shutdown', async () => {
    const { exporter, provider, endSpans } = setup();
    exporter.answer = FAILED;
    endSpans(3);
    await provider.shutdown();
    expect(logger.warnings).toHaveLength(2);
    expect(logger.warnings[1]).toContain('still failing at shutdown');
    expect(logger.warnings[1]).toContain('3 spans were dropped (3 in 1 failed exports');
  });

  it('treats an exporter that throws as a failed export and never throws itself', async () => {
    const { exporter, processor, endSpans } = setup();
    exporter.answer = 'throw';
    expect(() => endSpans(10)).not.toThrow();
    await expect(processor.forceFlush()).resolves.toBeUndefined();
    expect(processor.getExportStats().failedSpans).toBe(10);
    expect(logger.warnings[0]).toContain('failed: exporter bug');
  });

  it('never names credentials from the destination URL', async () => {
    const { exporter, processor, endSpans } = setup();
    exporter.answer = FAILED;
    endSpans(1);
    await processor.forceFlush();
    expect(logger.warnings.join('\n')).not.toMatch(/secret|token=abc|user:/);
  });

  it('tries a batch again while the app runs when the connection could not be opened, and delivers it', async () => {
    const { exporter, processor, endSpans } = setup({
      maxExportBackoffMillis: 1000,
      connectRetryWithinMillis: 10_000,
    });
    exporter.answer = CONNECT_FAILED;
    endSpans(10); // a full batch: exported by the batch processor's own schedule
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(exporter.calls).toBe(1);
    // The same batch again after the first pause (250 ms); the collector is back by then.
    exporter.answer = { code: ExportResultCode.SUCCESS };
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(exporter.calls).toBe(2);
    await processor.forceFlush();
    expect(exporter.exported).toHaveLength(10);
    expect(processor.getExportStats()).toEqual({
      exportedSpans: 10,
      failedSpans: 0,
      queueFullSpans: 0,
      outages: 0,
    });
    expect(logger.warnings).toEqual([]);
  });

  it('gives a batch one attempt while flushing when the connection cannot be opened, and says what to set', async () => {
    const { exporter, processor, endSpans } = setup({
      maxExportBackoffMillis: 1000,
      connectRetryWithinMillis: 10_000,
      unreachableHint: 'Start a collector',
    });
    exporter.answer = CONNECT_FAILED;
    endSpans(5);
    const flushStarted = Date.now();
    await processor.forceFlush();
    expect(Date.now() - flushStarted).toBeLessThan(1000);
    expect(exporter.calls).toBe(1);
    expect(processor.getExportStats().failedSpans).toBe(5);
    expect(logger.warnings).toEqual([
      '@agent-otel/node: dropping spans: export to http://127.0.0.1:4318/v1/traces failed: connect ECONNREFUSED ' +
        '127.0.0.1:4318. Start a collector. Reported once; a summary with the number of spans dropped follows ' +
        'when exports succeed again or at shutdown.',
    ]);
  });

  it('sends a batch held for a connection retry at once on forceFlush', async () => {
    const { exporter, processor, endSpans } = setup({
      maxExportBackoffMillis: 1000,
      connectRetryWithinMillis: 10_000,
    });
    exporter.answer = CONNECT_FAILED;
    endSpans(10);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(exporter.calls).toBe(1);
    // Held for 250 ms; the flush sends it now, and gives up when it fails again.
    const flushStarted = Date.now();
    await processor.forceFlush();
    expect(Date.now() - flushStarted).toBeLessThan(200);
    expect(exporter.calls).toBe(2);
    expect(processor.getExportStats().failedSpans).toBe(10);
  });

  it('shows the status and the start of the body of an HTTP error answer', async () => {
    const { exporter, processor, endSpans } = setup();
    const answer = Object.assign(new Error('Unprocessable Entity'), {
      code: 422,
      data: '{"error":"header X-Api-Key is required"}\u001b[2J' + 'y'.repeat(10_000),
    });
    exporter.answer = { code: ExportResultCode.FAILED, error: answer };
    endSpans(1);
    await processor.forceFlush();
    expect(logger.warnings[0]).toContain(
      'failed: HTTP 422 Unprocessable Entity: {"error":"header X-Api-Key is required"} yyyy',
    );
    expect(logger.warnings[0]).not.toContain('\u001b');
    expect(logger.warnings[0].length).toBeLessThan(600);
  });

  it('stops trying a batch again once the next attempt would start after the retry window', async () => {
    const { exporter, processor, endSpans } = setup({
      maxExportBackoffMillis: 1000,
      connectRetryWithinMillis: 1000,
    });
    exporter.answer = CONNECT_FAILED;
    endSpans(10);
    // Attempts at 0, 250 and 750 ms; the next would start at 1750 ms, after the window.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(exporter.calls).toBe(3);
    expect(processor.getExportStats().failedSpans).toBe(10);
    expect(logger.warnings).toHaveLength(1);
  });
});
