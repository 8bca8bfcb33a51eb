import { diag, DiagLogLevel, logs, metrics, trace } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import {
  BatchLogRecordProcessor,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type LogRecordExporter,
  type LogRecordProcessor,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  MetricReader,
  PeriodicExportingMetricReader,
  type SumMetricData,
} from '@opentelemetry/sdk-metrics';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace';
import { resetContentPolicy, setTracingDisabled } from '@agent-otel/core';
import { getContentPolicy } from '@agent-otel/core/instrumentation';
import { register } from '../src/index.js';
import type { AgentOtelHandle, RegisterOptions } from '../src/index.js';
import { isOtelGlobalSet } from '../src/otel-globals.js';

// register()'s meter and logger providers, in this process, with the user's own readers and
// processors (the OTLP exporters are tested against a real receiver in metrics-logs-export.test.ts).

const SIGNAL_GLOBALS = ['metrics', 'logs'] as const;

function recordingLogger(): DiagLogger & { warnings: string[] } {
  const warnings: string[] = [];
  const ignore = () => undefined;
  return {
    warnings,
    warn: (m: string) => warnings.push(m),
    error: ignore,
    info: ignore,
    debug: ignore,
    verbose: ignore,
  };
}

/** A log record exporter that keeps what it got, also after shutdown (the SDK's in-memory one clears). */
function recordingLogExporter(): LogRecordExporter & { readonly records: ReadableLogRecord[] } {
  const records: ReadableLogRecord[] = [];
  return {
    records,
    export(batch: ReadableLogRecord[], done: (result: ExportResult) => void): void {
      records.push(...batch);
      done({ code: ExportResultCode.SUCCESS });
    },
    shutdown: () => Promise.resolve(),
    forceFlush: () => Promise.resolve(),
  };
}

/** A reader with a long interval: only flushes and shutdown export. */
function metricReader(): { exporter: InMemoryMetricExporter; reader: PeriodicExportingMetricReader } {
  const exporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  return {
    exporter,
    reader: new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 }),
  };
}

function counterValues(exporter: InMemoryMetricExporter, name: string): number[] {
  return exporter
    .getMetrics()
    .flatMap((resourceMetrics) => resourceMetrics.scopeMetrics)
    .flatMap((scope) => scope.metrics)
    .filter((metric) => metric.descriptor.name === name)
    .flatMap((metric) => (metric as SumMetricData).dataPoints.map((point) => point.value));
}

const savedEnv = { ...process.env };
let handles: AgentOtelHandle[] = [];

function registerForTest(options: RegisterOptions = {}): AgentOtelHandle {
  const handle = register({ diagLogLevel: DiagLogLevel.NONE, ...options });
  handles.push(handle);
  return handle;
}

beforeEach(() => {
  for (const variable of ['OTEL_TRACES_EXPORTER', 'OTEL_METRICS_EXPORTER', 'OTEL_LOGS_EXPORTER'])
    process.env[variable] = 'none';
});

afterEach(async () => {
  for (const handle of handles) await handle.shutdown();
  handles = [];
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
  setTracingDisabled(false);
  resetContentPolicy();
  diag.disable();
  metrics.disable();
  logs.disable();
});

describe('register metrics and logs', () => {
  it("installs global meter and logger providers that reach the user's readers and processors, with the tracer provider's resource", async () => {
    const { exporter, reader } = metricReader();
    const logExporter = recordingLogExporter();
    const spanExporter = new InMemorySpanExporter();
    process.env.OTEL_RESOURCE_ATTRIBUTES = 'team=agents';
    const handle = registerForTest({
      serviceName: 'signals-test',
      spanProcessors: [new SimpleSpanProcessor({ exporter: spanExporter })],
      metricReaders: [reader],
      logRecordProcessors: [new SimpleLogRecordProcessor({ exporter: logExporter })],
    });
    expect(metrics.getMeterProvider()).toBe(handle.meterProvider);
    expect(logs.getLoggerProvider()).toBe(handle.loggerProvider);

    metrics.getMeter('test-meter').createCounter('test.calls').add(2, { 'gen_ai.operation.name': 'chat' });
    logs.getLogger('test-logger').emit({
      eventName: 'gen_ai.test.event',
      body: { text: 'hello' },
      attributes: { 'gen_ai.operation.name': 'chat' },
    });
    await handle.forceFlush();

    expect(counterValues(exporter, 'test.calls')).toEqual([2]);
    const metricResource = exporter.getMetrics()[0]!.resource;
    expect(logExporter.records).toHaveLength(1);
    const [record] = logExporter.records;
    expect(record!.eventName).toBe('gen_ai.test.event');
    expect(record!.body).toEqual({ text: 'hello' });
    expect(record!.attributes).toEqual({ 'gen_ai.operation.name': 'chat' });
    trace.getTracer('test-tracer').startSpan('span').end();
    const [span] = spanExporter.getFinishedSpans();
    for (const resource of [metricResource, record!.resource]) {
      expect(resource.attributes['service.name']).toBe('signals-test');
      expect(resource.attributes['team']).toBe('agents');
      expect(resource.attributes['process.pid']).toBe(process.pid);
    }
    // One resource object for all three providers.
    expect(record!.resource).toBe(metricResource);
    expect(span!.resource).toBe(metricResource);
  });

  it('sets up no meter or logger provider when nothing would read them, and offers no-op ones', () => {
    const handle = registerForTest();
    for (const type of SIGNAL_GLOBALS) expect(isOtelGlobalSet(type)).toBe(false);
    expect(() => handle.meterProvider.getMeter('m').createCounter('c').add(1)).not.toThrow();
    expect(() => handle.loggerProvider.getLogger('l').emit({ body: 'ignored' })).not.toThrow();
    expect(handle.meterProvider).not.toBeInstanceOf(MeterProvider);
    expect(handle.loggerProvider).not.toBeInstanceOf(LoggerProvider);
  });

  it('sets up an SDK meter and logger provider for OTEL_METRICS_EXPORTER and OTEL_LOGS_EXPORTER alone', async () => {
    process.env.OTEL_METRICS_EXPORTER = 'console';
    process.env.OTEL_LOGS_EXPORTER = 'console';
    const handle = registerForTest();
    expect(handle.meterProvider).toBeInstanceOf(MeterProvider);
    expect(handle.loggerProvider).toBeInstanceOf(LoggerProvider);
    for (const type of SIGNAL_GLOBALS) expect(isOtelGlobalSet(type)).toBe(true);
  });

  it('installs neither provider for metrics: false and logs: false, even with readers and processors', async () => {
    const { exporter, reader } = metricReader();
    const logExporter = recordingLogExporter();
    process.env.OTEL_METRICS_EXPORTER = 'otlp';
    process.env.OTEL_LOGS_EXPORTER = 'otlp';
    const handle = registerForTest({
      metrics: false,
      logs: false,
      metricReaders: [reader],
      logRecordProcessors: [new SimpleLogRecordProcessor({ exporter: logExporter })],
    });
    for (const type of SIGNAL_GLOBALS) expect(isOtelGlobalSet(type)).toBe(false);
    metrics.getMeter('m').createCounter('test.calls').add(1);
    logs.getLogger('l').emit({ body: 'dropped' });
    handle.loggerProvider.getLogger('l').emit({ body: 'dropped' });
    await handle.forceFlush();
    expect(exporter.getMetrics()).toEqual([]);
    expect(logExporter.records).toEqual([]);
  });

  it('exports buffered metrics and log records on shutdown, then removes the globals', async () => {
    const { exporter, reader } = metricReader();
    const logExporter = recordingLogExporter();
    const handle = registerForTest({
      metricReaders: [reader],
      // A batch processor with a long delay: only a flush exports.
      logRecordProcessors: [
        new BatchLogRecordProcessor({ exporter: logExporter, scheduledDelayMillis: 3_600_000 }),
      ],
    });
    for (const type of SIGNAL_GLOBALS) expect(isOtelGlobalSet(type)).toBe(true);
    metrics.getMeter('m').createHistogram('test.duration').record(0.5);
    logs.getLogger('l').emit({ eventName: 'test.event', body: 'at shutdown' });
    expect(logExporter.records).toEqual([]);

    await handle.shutdown();

    const names = exporter
      .getMetrics()
      .flatMap((r) => r.scopeMetrics)
      .flatMap((scope) => scope.metrics.map((metric) => metric.descriptor.name));
    expect(names).toEqual(['test.duration']);
    expect(logExporter.records.map((record) => record.body)).toEqual(['at shutdown']);
    for (const type of SIGNAL_GLOBALS) expect(isOtelGlobalSet(type)).toBe(false);
  });

  it('does not replace meter and logger providers registered by another setup, and warns once', async () => {
    const logger = recordingLogger();
    diag.setLogger(logger, DiagLogLevel.WARN);
    const otherMeterProvider = new MeterProvider();
    const otherLoggerProvider = new LoggerProvider();
    metrics.setGlobalMeterProvider(otherMeterProvider);
    logs.setGlobalLoggerProvider(otherLoggerProvider);
    // No log processor: only the meter provider is set up, and named.
    const handle = register({ metricReaders: [metricReader().reader] });
    handles.push(handle);
    expect(metrics.getMeterProvider()).toBe(otherMeterProvider);
    expect(handle.meterProvider).not.toBe(otherMeterProvider);
    expect(logger.warnings).toEqual([
      '@agent-otel/node: a global meter provider is already registered (by a NodeSDK or another setup); agent-otel\'s provider is not installed globally. Add agent-otel to that setup instead (see "Inside an existing NodeSDK setup" in the @agent-otel/node README).',
    ]);
    await handle.shutdown();
    // Not ours to remove.
    expect(metrics.getMeterProvider()).toBe(otherMeterProvider);
    expect(logs.getLoggerProvider()).toBe(otherLoggerProvider);
  });

  it('names every provider kind another setup registered in one warning', () => {
    const logger = recordingLogger();
    diag.setLogger(logger, DiagLogLevel.WARN);
    metrics.setGlobalMeterProvider(new MeterProvider());
    logs.setGlobalLoggerProvider(new LoggerProvider());
    process.env.OTEL_METRICS_EXPORTER = 'console';
    process.env.OTEL_LOGS_EXPORTER = 'console';
    handles.push(register());
    expect(logger.warnings).toHaveLength(1);
    expect(logger.warnings[0]).toContain('global meter and logger providers are already registered');
    expect(logger.warnings[0]).toContain("agent-otel's providers are not installed globally");
  });

  it('applies the log record limits, and caps content within them', async () => {
    process.env.OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT = '300';
    process.env.OTEL_ATTRIBUTE_COUNT_LIMIT = '2';
    const logExporter = recordingLogExporter();
    const handle = registerForTest({
      content: { captureMode: 'EVENT_ONLY' },
      logRecordProcessors: [new SimpleLogRecordProcessor({ exporter: logExporter })],
    });
    logs.getLogger('l').emit({ body: 'b', attributes: { long: 'x'.repeat(1000), b: 1, c: 2 } });
    await handle.forceFlush();
    const [record] = logExporter.records;
    expect(record!.attributes['long']).toBe('x'.repeat(300));
    expect(Object.keys(record!.attributes)).toHaveLength(2);
    // Content that core puts on log records stays valid JSON: capped by core at the limit.
    expect(getContentPolicy().maxAttributeLength).toBe(300);
  });

  it('returns no-op meter and logger providers when OTEL_SDK_DISABLED=true', () => {
    process.env.OTEL_SDK_DISABLED = 'true';
    process.env.OTEL_METRICS_EXPORTER = 'otlp';
    process.env.OTEL_LOGS_EXPORTER = 'otlp';
    const { reader } = metricReader();
    const handle = registerForTest({ metricReaders: [reader] });
    for (const type of SIGNAL_GLOBALS) expect(isOtelGlobalSet(type)).toBe(false);
    expect(handle.meterProvider).not.toBeInstanceOf(MeterProvider);
    expect(handle.loggerProvider).not.toBeInstanceOf(LoggerProvider);
    expect(() => handle.meterProvider.getMeter('m').createCounter('c').add(1)).not.toThrow();
    expect(() => handle.loggerProvider.getLogger('l').emit({ body: 'x' })).not.toThrow();
  });

  it('bounds forceFlush and shutdown of stuck metric readers and log processors by shutdownTimeoutMillis', async () => {
    class StuckReader extends MetricReader {
      protected override onForceFlush(): Promise<void> {
        return new Promise(() => undefined);
      }
      protected override onShutdown(): Promise<void> {
        return new Promise(() => undefined);
      }
    }
    const stuckProcessor: LogRecordProcessor = {
      onEmit: () => undefined,
      forceFlush: () => new Promise(() => undefined),
      shutdown: () => new Promise(() => undefined),
    };
    const handle = registerForTest({
      metricReaders: [new StuckReader()],
      logRecordProcessors: [stuckProcessor],
      shutdownTimeoutMillis: 100,
    });
    const started = Date.now();
    await handle.forceFlush();
    await handle.shutdown();
    // Three providers side by side: about one timeout each for the flush and the shutdown, not three.
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
