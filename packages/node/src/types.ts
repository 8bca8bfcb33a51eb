import type {
  AttributeValue,
  DiagLogLevel,
  LoggerProvider,
  MeterProvider,
  TracerProvider,
} from '@opentelemetry/api';
import type { ContentOptions } from '@agent-otel/core';
import type { LogRecordProcessor } from '@opentelemetry/sdk-logs';
import type { IMetricReader } from '@opentelemetry/sdk-metrics';
import type { SpanProcessor } from '@opentelemetry/sdk-trace';

/** A local (developer) exporter from `@agent-otel/core`: `tree` prints each trace, `jsonl` appends to a file. */
export type LocalExporterName = 'tree' | 'jsonl';

/**
 * The minimum an instrumentation must offer to be enabled by {@link register}; every
 * `@opentelemetry/instrumentation` `Instrumentation` satisfies it.
 */
export interface InstrumentationLike {
  /** Used in diagnostics only. */
  readonly instrumentationName?: string;
  setTracerProvider(tracerProvider: TracerProvider): void;
  /** Called with register()'s meter provider, when it set one up, before `enable()`. */
  setMeterProvider?(meterProvider: MeterProvider): void;
  /** Called with register()'s logger provider, when it set one up, before `enable()`. */
  setLoggerProvider?(loggerProvider: LoggerProvider): void;
  enable(): void;
  /** Called by `shutdown()` when present. */
  disable?(): void;
  /**
   * When present and `true`, `enable()` is not called again: an `InstrumentationBase` enables itself
   * in its constructor unless its config says `enabled: false` (as `registerInstrumentations()` does).
   */
  isEnabled?(): boolean;
}

/**
 * Options of {@link register}. Every option is optional; options win over the environment, and
 * the environment wins over the defaults.
 */
export interface RegisterOptions {
  /**
   * `service.name` of the resource. Default: `OTEL_SERVICE_NAME`, else `service.name` from
   * `OTEL_RESOURCE_ATTRIBUTES`, else `unknown_service:<argv0>`.
   */
  serviceName?: string;
  /**
   * Extra resource attributes, merged over those of `OTEL_RESOURCE_ATTRIBUTES`. Default: none.
   */
  resourceAttributes?: Record<string, AttributeValue>;
  /**
   * Local exporters from `@agent-otel/core` added beside the `OTEL_TRACES_EXPORTER` ones.
   * Default: `AGENT_OTEL_EXPORTERS` (comma list of `tree`, `jsonl`), else none.
   */
  localExporters?: LocalExporterName[];
  /** File the `jsonl` exporter appends to. Default: `AGENT_OTEL_JSONL_PATH`, else `./agent-otel-traces.jsonl`. */
  jsonlPath?: string;
  /**
   * Baggage entries copied onto every span started in their context (`['*']`: all). Default:
   * `AGENT_OTEL_BAGGAGE_KEYS` (read by core's `BaggageSpanProcessor`), else `user.id`, `session.id`.
   */
  baggageKeys?: string[];
  /** Content capture policy, passed to core's `configureContent`. Default: core's own (environment) policy. */
  content?: ContentOptions;
  /**
   * Instrumentations to enable in addition to the auto-loaded ones, or `false` to load none
   * automatically (those listed here are still enabled). Default: auto-load every agent-otel
   * instrumentation whose target library is installed.
   */
  instrumentations?: InstrumentationLike[] | false;
  /** Extra span processors, added after agent-otel's own and before the exporters. Default: none. */
  spanProcessors?: SpanProcessor[];
  /**
   * `false`: no meter provider is created or installed globally, whatever `OTEL_METRICS_EXPORTER` and
   * `metricReaders` say (`handle.meterProvider` is a no-op one). Default: `true`: a meter provider
   * with a periodic reader per `OTEL_METRICS_EXPORTER` exporter (default `otlp`), plus `metricReaders`;
   * none when that leaves no reader.
   */
  metrics?: boolean;
  /**
   * Extra metric readers (for example a `PeriodicExportingMetricReader` with your own exporter),
   * added beside the `OTEL_METRICS_EXPORTER` ones. Default: none.
   */
  metricReaders?: IMetricReader[];
  /**
   * `false`: no logger provider is created or installed globally, whatever `OTEL_LOGS_EXPORTER` and
   * `logRecordProcessors` say (`handle.loggerProvider` is a no-op one). Default: `true`: a logger
   * provider with a processor per `OTEL_LOGS_EXPORTER` exporter (default `otlp`), plus
   * `logRecordProcessors`; none when that leaves no processor.
   */
  logs?: boolean;
  /** Extra log record processors, added before the `OTEL_LOGS_EXPORTER` ones. Default: none. */
  logRecordProcessors?: LogRecordProcessor[];
  /**
   * Level of the `DiagConsoleLogger` that `register()` installs when no diag logger is set yet.
   * Default: `OTEL_LOG_LEVEL`, else `DiagLogLevel.WARN`.
   */
  diagLogLevel?: DiagLogLevel;
  /**
   * Upper bound for `shutdown()`, `forceFlush()` and the flushes on `beforeExit` and signals (the
   * tracer, meter and logger providers are flushed side by side within it). Default: 5000 (no
   * environment variable).
   */
  shutdownTimeoutMillis?: number;
}

/** What {@link register} returns. Its methods never reject. */
export interface AgentOtelHandle {
  /** The tracer provider registered globally (a no-op provider when the SDK is disabled). */
  readonly tracerProvider: TracerProvider;
  /**
   * The meter provider registered globally: a no-op one when the SDK is disabled, for
   * `metrics: false`, or when there is no reader (`OTEL_METRICS_EXPORTER=none` and no `metricReaders`).
   */
  readonly meterProvider: MeterProvider;
  /**
   * The logger provider registered globally: a no-op one when the SDK is disabled, for `logs: false`,
   * or when there is no processor (`OTEL_LOGS_EXPORTER=none` and no `logRecordProcessors`).
   */
  readonly loggerProvider: LoggerProvider;
  /**
   * Exports every finished span, the metrics recorded so far and every emitted log record; resolves
   * after at most `shutdownTimeoutMillis`.
   */
  forceFlush(): Promise<void>;
  /**
   * Ends unconsumed stream spans, flushes, shuts the tracer, meter and logger providers down,
   * disables instrumentations, removes the process listeners and the globals installed by
   * `register()`; resolves after at most `shutdownTimeoutMillis`. `register()` may be called again
   * afterwards.
   */
  shutdown(): Promise<void>;
}

/** OTLP protocols bundled with `@agent-otel/node`. */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

/** A standard `OTEL_TRACES_EXPORTER` value that `@agent-otel/node` supports (besides `none`). */
export type TracesExporterName = 'otlp' | 'console';

/** A standard `OTEL_METRICS_EXPORTER` value that `@agent-otel/node` supports (besides `none`). */
export type MetricsExporterName = 'otlp' | 'console';

/** A standard `OTEL_LOGS_EXPORTER` value that `@agent-otel/node` supports (besides `none`). */
export type LogsExporterName = 'otlp' | 'console';

/** An `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE` value. */
export type MetricsTemporalityPreference = 'cumulative' | 'delta' | 'lowmemory';

/** An `OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION` value. */
export type MetricsHistogramAggregation = 'explicit_bucket_histogram' | 'base2_exponential_bucket_histogram';

/** A standard `OTEL_PROPAGATORS` value that `@agent-otel/node` supports (besides `none`). */
export type PropagatorName = 'tracecontext' | 'baggage';

/** The OTLP/HTTP exporter settings of one signal (traces, metrics or logs) after validation. */
export interface ResolvedOtlpConfig {
  readonly protocol: OtlpProtocol;
  /** Full URL of the signal, e.g. `http://localhost:4318/v1/traces`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMillis: number;
  readonly compression: 'gzip' | 'none';
}

/** `BatchSpanProcessor` settings from `OTEL_BSP_*`, or `BatchLogRecordProcessor` ones from `OTEL_BLRP_*`. */
export interface ResolvedBatchConfig {
  readonly scheduledDelayMillis: number;
  readonly exportTimeoutMillis: number;
  readonly maxQueueSize: number;
  readonly maxExportBatchSize: number;
}

/** The metrics settings of the OTLP metric exporter and its `PeriodicExportingMetricReader`. */
export interface ResolvedMetricsConfig {
  /** `OTEL_METRIC_EXPORT_INTERVAL`: time between two exports. */
  readonly exportIntervalMillis: number;
  /** `OTEL_METRIC_EXPORT_TIMEOUT`, at most the interval: how long one export may take. */
  readonly exportTimeoutMillis: number;
  /** `OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE` (OTLP exporter only). */
  readonly temporalityPreference: MetricsTemporalityPreference;
  /** `OTEL_EXPORTER_OTLP_METRICS_DEFAULT_HISTOGRAM_AGGREGATION` (OTLP exporter only). */
  readonly histogramAggregation: MetricsHistogramAggregation;
}

/**
 * Log record limits from `OTEL_LOGRECORD_ATTRIBUTE_*_LIMIT` (else `OTEL_ATTRIBUTE_*_LIMIT`), passed to
 * the SDK's `LoggerProvider`; a limit left unset keeps the SDK default (no value length limit, 128
 * attributes).
 */
export interface ResolvedLogRecordLimits {
  readonly attributeValueLengthLimit?: number;
  readonly attributeCountLimit?: number;
}

/**
 * Span limits from the `OTEL_*_LIMIT` variables, passed to the SDK's `TracerProvider` as
 * `spanLimits` (`@opentelemetry/sdk-trace` 3.x does not read them itself). A limit left unset keeps
 * the SDK default: no value length limit, 128 for every count.
 */
export interface ResolvedSpanLimits {
  /** `OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT`, else `OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT`. */
  readonly attributeValueLengthLimit?: number;
  /** `OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT`, else `OTEL_ATTRIBUTE_COUNT_LIMIT`. */
  readonly attributeCountLimit?: number;
  /** `OTEL_SPAN_EVENT_COUNT_LIMIT`. */
  readonly eventCountLimit?: number;
  /** `OTEL_SPAN_LINK_COUNT_LIMIT`. */
  readonly linkCountLimit?: number;
  /** `OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT`. */
  readonly attributePerEventCountLimit?: number;
  /** `OTEL_LINK_ATTRIBUTE_COUNT_LIMIT`. */
  readonly attributePerLinkCountLimit?: number;
}

/**
 * The configuration {@link register} would use, as returned by {@link resolveConfig}: a plain
 * object; every problem found is in `warnings` (and nothing was logged yet).
 */
export interface ResolvedConfig {
  /** `OTEL_SDK_DISABLED=true`. */
  readonly disabled: boolean;
  /** Resource attributes from the environment and options, `service.name` included when known. */
  readonly resourceAttributes: Readonly<Record<string, AttributeValue>>;
  /** Empty for `OTEL_PROPAGATORS=none`. */
  readonly propagators: readonly PropagatorName[];
  /** Empty for `OTEL_TRACES_EXPORTER=none`. */
  readonly tracesExporters: readonly TracesExporterName[];
  /** The OTLP trace exporter. */
  readonly otlp: ResolvedOtlpConfig;
  /** `OTEL_BSP_*`. */
  readonly batch: ResolvedBatchConfig;
  /** False for the `metrics: false` option. */
  readonly metricsEnabled: boolean;
  /** Empty for `OTEL_METRICS_EXPORTER=none`. */
  readonly metricsExporters: readonly MetricsExporterName[];
  /** The OTLP metric exporter (`/v1/metrics`). */
  readonly metricsOtlp: ResolvedOtlpConfig;
  readonly metrics: ResolvedMetricsConfig;
  /** False for the `logs: false` option. */
  readonly logsEnabled: boolean;
  /** Empty for `OTEL_LOGS_EXPORTER=none`. */
  readonly logsExporters: readonly LogsExporterName[];
  /** The OTLP log record exporter (`/v1/logs`). */
  readonly logsOtlp: ResolvedOtlpConfig;
  /** `OTEL_BLRP_*`. */
  readonly logBatch: ResolvedBatchConfig;
  /** Only the limits that are set; the SDK's defaults apply to the others. */
  readonly logRecordLimits: ResolvedLogRecordLimits;
  /** Only the limits that are set; the SDK's defaults apply to the others. */
  readonly spanLimits: ResolvedSpanLimits;
  readonly localExporters: readonly LocalExporterName[];
  readonly jsonlPath: string;
  /** `undefined`: core's `BaggageSpanProcessor` reads `AGENT_OTEL_BAGGAGE_KEYS` itself. */
  readonly baggageKeys: readonly string[] | undefined;
  readonly diagLogLevel: DiagLogLevel;
  readonly shutdownTimeoutMillis: number;
  /** One message per invalid setting, each naming the variable, the bad value, the fix and the fallback. */
  readonly warnings: readonly string[];
}
