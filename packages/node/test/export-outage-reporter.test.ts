import { diag, DiagLogLevel } from '@opentelemetry/api';
import type { DiagLogger } from '@opentelemetry/api';
import { ExportResultCode } from '@opentelemetry/core';
import type { ExportResult } from '@opentelemetry/core';
import { LoggerProvider, type LogRecordExporter, type ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { SimpleLogRecordProcessor } from '@opentelemetry/sdk-logs';
import {
  AggregationTemporality,
  AggregationType,
  InstrumentType,
  MeterProvider,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import { createOtlpMetricExporter } from '../src/create-otlp-exporter.js';
import { ReportingLogRecordExporter } from '../src/ReportingLogRecordExporter.js';
import { ReportingMetricExporter } from '../src/ReportingMetricExporter.js';
import { resolveConfig } from '../src/index.js';

// The metric and log exporters' failure reporting, with the real SDK reader and processor: one
// warning per outage, a summary with the count when exports work again or at shutdown, and nothing
// passed on to the SDK (which would log every failed export through the global error handler).

function recordingLogger(): DiagLogger & { warnings: string[]; errors: string[] } {
  const warnings: string[] = [];
  const errors: string[] = [];
  const ignore = () => undefined;
  return {
    warnings,
    errors,
    warn: (m: string) => warnings.push(m),
    error: (m: string) => errors.push(m),
    info: ignore,
    debug: ignore,
    verbose: ignore,
  };
}

/** A log exporter whose next results the test decides. */
function scriptedLogExporter(results: ExportResult[]): LogRecordExporter & { calls: number } {
  const exporter = {
    calls: 0,
    export(_records: ReadableLogRecord[], done: (result: ExportResult) => void): void {
      exporter.calls++;
      done(results.shift() ?? { code: ExportResultCode.SUCCESS });
    },
    shutdown: () => Promise.resolve(),
    forceFlush: () => Promise.resolve(),
  };
  return exporter;
}

const failed = (message: string): ExportResult => ({
  code: ExportResultCode.FAILED,
  error: new Error(message),
});

let logger: ReturnType<typeof recordingLogger>;
let now = 0;

beforeEach(() => {
  logger = recordingLogger();
  diag.setLogger(logger, DiagLogLevel.WARN);
  now = 1000;
});
afterEach(() => diag.disable());

describe('ReportingLogRecordExporter', () => {
  it('reports an outage once, and a summary with the records dropped when exports work again', async () => {
    const inner = scriptedLogExporter([failed('connect ECONNREFUSED 127.0.0.1:1'), failed('again')]);
    const provider = new LoggerProvider({
      processors: [
        new SimpleLogRecordProcessor({
          exporter: new ReportingLogRecordExporter(inner, {
            items: 'log records',
            destination: 'http://user:secret@collector:4318/v1/logs?token=abc',
            now: () => now,
          }),
        }),
      ],
    });
    const emitted = provider.getLogger('t');
    emitted.emit({ body: 'one' });
    emitted.emit({ body: 'two' });
    now += 2500;
    emitted.emit({ body: 'three' });
    await provider.forceFlush();

    expect(inner.calls).toBe(3);
    expect(logger.warnings).toEqual([
      '@agent-otel/node: dropping log records: export to http://collector:4318/v1/logs failed: connect ECONNREFUSED 127.0.0.1:1. ' +
        'Reported once; a summary with the number of log records dropped follows when exports succeed again or at shutdown.',
      '@agent-otel/node: exporting log records to http://collector:4318/v1/logs works again after 2.5 s; 2 log records were dropped in 2 failed exports.',
    ]);
    // Nothing reached the SDK's global error handler (it logs at error level).
    expect(logger.errors).toEqual([]);
    await provider.shutdown();
    expect(logger.warnings).toHaveLength(2);
  });

  it('reports an outage still going on at shutdown, and a thrown export as a failure', async () => {
    const inner: LogRecordExporter = {
      export: () => {
        throw new Error('serializer broke');
      },
      shutdown: () => Promise.resolve(),
      forceFlush: () => Promise.resolve(),
    };
    const provider = new LoggerProvider({
      processors: [
        new SimpleLogRecordProcessor({
          exporter: new ReportingLogRecordExporter(inner, {
            items: 'log records',
            destination: 'http://collector:4318/v1/logs',
            now: () => now,
          }),
        }),
      ],
    });
    provider.getLogger('t').emit({ body: 'lost' });
    now += 1000;
    await provider.shutdown();
    expect(logger.warnings).toEqual([
      expect.stringContaining(
        'dropping log records: export to http://collector:4318/v1/logs failed: serializer broke',
      ),
      '@agent-otel/node: exporting log records to http://collector:4318/v1/logs still failing at shutdown after 1.0 s; 1 log records were dropped in 1 failed exports.',
    ]);
    expect(logger.errors).toEqual([]);
  });
});

describe('ReportingMetricExporter', () => {
  it('counts data points, reports once, and keeps the wrapped exporter temporality and aggregation', async () => {
    const results = [failed('HTTP 503')];
    const exported: ResourceMetrics[] = [];
    const inner: PushMetricExporter = {
      export(metrics, done) {
        exported.push(metrics);
        done(results.shift() ?? { code: ExportResultCode.SUCCESS });
      },
      forceFlush: () => Promise.resolve(),
      shutdown: () => Promise.resolve(),
      selectAggregationTemporality: () => AggregationTemporality.DELTA,
    };
    const exporter = new ReportingMetricExporter(inner, {
      items: 'metric data points',
      destination: 'http://collector:4318/v1/metrics',
    });
    expect(exporter.selectAggregationTemporality(InstrumentType.COUNTER)).toBe(AggregationTemporality.DELTA);
    expect(exporter.selectAggregation(InstrumentType.HISTOGRAM)).toEqual({ type: AggregationType.DEFAULT });
    const provider = new MeterProvider({
      readers: [new PeriodicExportingMetricReader({ exporter, exportIntervalMillis: 3_600_000 })],
    });
    const counter = provider.getMeter('m').createCounter('c');
    counter.add(1, { a: '1' });
    counter.add(1, { a: '2' });
    await provider.forceFlush();
    counter.add(1, { a: '1' });
    await provider.forceFlush();
    await provider.shutdown();
    expect(exported.length).toBeGreaterThanOrEqual(2);
    expect(logger.warnings).toEqual([
      expect.stringContaining(
        'dropping metric data points: export to http://collector:4318/v1/metrics failed: HTTP 503',
      ),
      expect.stringContaining('2 metric data points were dropped in 1 failed exports.'),
    ]);
    expect(logger.errors).toEqual([]);
  });

  it('gives the OTLP metric exporter the temporality and histogram aggregation of the environment', () => {
    const config = resolveConfig({
      OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'lowmemory',
      OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION: 'base2_exponential_bucket_histogram',
    });
    const exporter = createOtlpMetricExporter(config.metricsOtlp, config.metrics);
    const temporality = (type: InstrumentType) => exporter.selectAggregationTemporality?.(type);
    expect(temporality(InstrumentType.COUNTER)).toBe(AggregationTemporality.DELTA);
    expect(temporality(InstrumentType.OBSERVABLE_COUNTER)).toBe(AggregationTemporality.CUMULATIVE);
    expect(temporality(InstrumentType.UP_DOWN_COUNTER)).toBe(AggregationTemporality.CUMULATIVE);
    expect(exporter.selectAggregation?.(InstrumentType.HISTOGRAM)).toEqual({
      type: AggregationType.EXPONENTIAL_HISTOGRAM,
    });
    expect(exporter.selectAggregation?.(InstrumentType.COUNTER)).toEqual({ type: AggregationType.DEFAULT });
    const defaults = createOtlpMetricExporter(resolveConfig({}).metricsOtlp, resolveConfig({}).metrics);
    expect(defaults.selectAggregationTemporality?.(InstrumentType.COUNTER)).toBe(
      AggregationTemporality.CUMULATIVE,
    );
    expect(defaults.selectAggregation?.(InstrumentType.HISTOGRAM)).toEqual({ type: AggregationType.DEFAULT });
    return exporter.shutdown().then(() => defaults.shutdown());
  });
});
