// A real OTel SDK pipeline for tests: global tracer, meter and logger providers, AsyncLocalStorage
// context and W3C propagation, with in-memory exporters and the semconv conformance check. Generic
// over the SDK: it never imports @agent-otel/core.
import {
  context,
  logs as logsApi,
  metrics as metricsApi,
  propagation,
  trace,
  type TracerProvider as ApiTracerProvider,
} from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  InMemoryLogRecordExporter,
  LoggerProvider,
  SimpleLogRecordProcessor,
  type ReadableLogRecord,
} from '@opentelemetry/sdk-logs';
import { MeterProvider, type ResourceMetrics } from '@opentelemetry/sdk-metrics';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type ReadableSpan,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace';
import { CollectingMetricReader } from './CollectingMetricReader.js';
import { conformanceMessage } from './assert-conformant.js';
import { conformanceCollector } from './conformance-collector.js';
import type { ConformanceReport } from './conformance-report.js';
import { spanNamed } from './span-tree.js';

/** The pipeline made by {@link setupTracing}. */
export interface TestTracing {
  readonly exporter: InMemorySpanExporter;
  readonly provider: TracerProvider;
  /** The global meter provider; its reader collects only when {@link metrics} asks. */
  readonly meterProvider: MeterProvider;
  /** The global logger provider, exporting in memory. */
  readonly loggerProvider: LoggerProvider;
  /** The finished spans, in the order they ended. */
  spans(): ReadableSpan[];
  /** The only finished span named `name`; throws, listing the names, when there is none or several. */
  byName(name: string): ReadableSpan;
  /** The same as `byName`. */
  one(name: string): ReadableSpan;
  /** The finished spans whose name starts with `chat `. */
  chatSpans(): ReadableSpan[];
  /**
   * Collects the metrics recorded since the previous call (delta temporality: each call sees only
   * what came after the last one; `reset()` does not change that).
   */
  metrics(): Promise<ResourceMetrics>;
  /** The emitted log records since setup or the last `reset()`, in order. */
  logRecords(): ReadableLogRecord[];
  /** Forgets the finished spans and log records (between tests). */
  reset(): void;
  /**
   * The distinct conformance findings of every span, log record and metric seen since setup,
   * `reset()` or not (it collects the metrics first, as {@link metrics} does, and checks them).
   */
  conformance(): Promise<ConformanceReport>;
  /**
   * Shuts the providers down and unregisters the globals (after a file's tests). Then, unless
   * `skipConformance` was given, throws one error listing every conformance violation seen since
   * setup, so each suite that uses this pipeline is also a conformance test.
   */
  shutdown(): Promise<void>;
}

/** Options of {@link setupTracing}. */
export interface SetupTracingOptions {
  /** Processors that see every span before the in-memory exporter's (e.g. one under test). */
  readonly spanProcessors?: readonly SpanProcessor[];
  /**
   * A library's own tracer-provider setter, such as `setTracerProvider` of `@agent-otel/core`:
   * called with the provider once it is registered, and with `undefined` at shutdown, so the library
   * uses this provider even where a global one was registered first.
   */
  readonly setTracerProvider?: (provider: ApiTracerProvider | undefined) => void;
  /** Runs last in `shutdown()`, e.g. to reset process-wide settings a test changed (`resetContentPolicy`). */
  readonly afterShutdown?: () => void;
  /**
   * Why this suite records telemetry outside the semconv registry on purpose (names a user chose,
   * hostile values). When given, `shutdown()` does not fail on conformance violations; `conformance()`
   * still reports them. By default every span, log record and metric the pipeline sees is checked
   * against `@agent-otel/testing/conformance`'s registry, and `shutdown()` throws the listing.
   * An empty reason is a configuration error.
   */
  readonly skipConformance?: string;
}

/**
 * Registers an AsyncLocalStorage context manager as the global one, for tests that build their own
 * providers; `context.disable()` unregisters it.
 */
export function enableAsyncContext(): void {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
}

/**
 * Sets up a real OTel SDK pipeline — global tracer, meter and logger providers, AsyncLocalStorage
 * context, W3C trace-context and baggage propagation — whose spans and log records go to in-memory
 * exporters and whose metrics are collected on demand. Everything it sees is checked against the
 * semconv registry; `shutdown()` fails on a violation unless `skipConformance` says why not.
 */
export function setupTracing(options: SetupTracingOptions = {}): TestTracing {
  if (options.skipConformance !== undefined && options.skipConformance.trim() === '') {
    throw new Error(
      "setupTracing: skipConformance needs the reason the suite's telemetry does not conform " +
        "(e.g. skipConformance: 'records attribute names chosen by the user'); leave it out to check",
    );
  }
  const collector = conformanceCollector();
  const exporter = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [
      ...(options.spanProcessors ?? []),
      new SimpleSpanProcessor({ exporter }),
      collector.spanProcessor,
    ],
  });
  const reader = new CollectingMetricReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const logExporter = new InMemoryLogRecordExporter();
  const loggerProvider = new LoggerProvider({
    processors: [new SimpleLogRecordProcessor({ exporter: logExporter }), collector.logRecordProcessor],
  });
  enableAsyncContext();
  propagation.setGlobalPropagator(
    new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] }),
  );
  trace.setGlobalTracerProvider(provider);
  metricsApi.setGlobalMeterProvider(meterProvider);
  logsApi.setGlobalLoggerProvider(loggerProvider);
  options.setTracerProvider?.(provider);

  const collectMetrics = async (): Promise<ResourceMetrics> => {
    const { resourceMetrics } = await reader.collect();
    collector.addMetrics(resourceMetrics);
    return resourceMetrics;
  };
  const byName = (name: string) => spanNamed(exporter.getFinishedSpans(), name);
  return {
    exporter,
    provider,
    meterProvider,
    loggerProvider,
    spans: () => exporter.getFinishedSpans(),
    byName,
    one: byName,
    chatSpans: () => exporter.getFinishedSpans().filter((span) => span.name.startsWith('chat ')),
    metrics: collectMetrics,
    logRecords: () => logExporter.getFinishedLogRecords(),
    reset() {
      exporter.reset();
      logExporter.reset();
    },
    async conformance() {
      await collectMetrics();
      return collector.report();
    },
    async shutdown() {
      // The last metrics are checked before the reader stops.
      await collectMetrics();
      await Promise.all([provider.shutdown(), meterProvider.shutdown(), loggerProvider.shutdown()]);
      context.disable();
      trace.disable();
      metricsApi.disable();
      logsApi.disable();
      propagation.disable();
      options.setTracerProvider?.(undefined);
      options.afterShutdown?.();
      if (collector.errors.length > 0) {
        throw new Error(`the conformance check failed:\n${collector.errors.join('\n')}`);
      }
      const report = collector.report();
      if (options.skipConformance === undefined && report.violations.length > 0) {
        throw new Error(
          `${conformanceMessage(report)}\n` +
            "(setupTracing checks everything a suite records; a suite that records such telemetry on purpose passes skipConformance: '<why>')",
        );
      }
    },
  };
}
