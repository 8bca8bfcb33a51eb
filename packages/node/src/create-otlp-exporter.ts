import { OTLPLogExporter as OTLPJsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as OTLPProtobufLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import {
  AggregationTemporalityPreference,
  OTLPMetricExporter as OTLPJsonMetricExporter,
} from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as OTLPProtobufMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as OTLPJsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import type { LogRecordExporter } from '@opentelemetry/sdk-logs';
import { AggregationType, InstrumentType } from '@opentelemetry/sdk-metrics';
import type { AggregationOption, PushMetricExporter } from '@opentelemetry/sdk-metrics';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import type { Agent as HttpAgent, ClientRequestArgs } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ResolvedMetricsConfig, ResolvedOtlpConfig } from './types.js';
import { describeError } from './with-timeout.js';

// The OTLP exporters read OTEL_EXPORTER_OTLP_* again in their constructors and log their own
// warnings (or, for `localhost:4318`, silently use a URL with the scheme `localhost:`). We have
// validated those variables already and pass every value explicitly, so the constructor runs with
// them hidden: each problem is reported once, by us, and the exporter cannot disagree with
// `resolveConfig`. The constructor is synchronous, so nothing else observes the hidden variables.
const OTLP_VARIABLE =
  /^OTEL_EXPORTER_OTLP_((TRACES|METRICS|LOGS)_)?(ENDPOINT|HEADERS|TIMEOUT|COMPRESSION|PROTOCOL)$|^OTEL_EXPORTER_OTLP_METRICS_(TEMPORALITY_PREFERENCE|DEFAULT_HISTOGRAM_AGGREGATION)$/;

function withOtlpVariablesHidden<T>(create: () => T): T {
  const hidden: [string, string][] = [];
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && OTLP_VARIABLE.test(name)) {
      hidden.push([name, value]);
      delete process.env[name];
    }
  }
  try {
    return create();
  } finally {
    for (const [name, value] of hidden) process.env[name] = value;
  }
}

/**
 * A connection to the OTLP endpoint that could not be opened: refused, a host that does not
 * resolve, unreachable, or no answer to the connect within the export timeout. Its message is the
 * system error's (`connect ECONNREFUSED 127.0.0.1:4318`); `cause` is that error, with its `code`.
 */
export class OtlpConnectError extends Error {
  override readonly name = 'OtlpConnectError';
  /** The system error's code, e.g. `ECONNREFUSED` or `ENOTFOUND`, when it has one. */
  readonly reason: string | undefined;

  constructor(cause: Error & { code?: unknown; errors?: unknown }) {
    const code = typeof cause.code === 'string' ? cause.code : undefined;
    // Node reports a failed connect to every address of a host as an AggregateError with no message.
    const inner = Array.isArray(cause.errors)
      ? cause.errors.map((error) => (error instanceof Error ? error.message : String(error))).join('; ')
      : '';
    super(cause.message || inner || code || 'connection failed', { cause });
    this.reason = code;
  }
}

type Callback = (error: Error | null, socket: Duplex) => void;

/** Node's agent calls back with only the error when the socket could not be made. */
function fail(callback: Callback, error: Error): void {
  (callback as (error: Error) => void)(error);
}

/**
 * Hands the agent its socket only once it is connected, and a failed connect as an
 * {@link OtlpConnectError}. The exporter retries a request whose error has a network `code` such as
 * `ECONNREFUSED` (five times, over up to 8 s, on timers that keep the process alive: a script with
 * no collector took ~10 s to end); an OtlpConnectError has no `code`, so it is answered at once and
 * ReportingBatchSpanProcessor decides about retrying, on timers that let the process end. Errors
 * after the connect (a reset keep-alive socket) still reach the exporter unchanged and are retried
 * by it. The connect is bounded by the export timeout, which the request's own timeout does not
 * cover.
 */
function connectThenHandOver(create: () => Duplex, timeoutMillis: number, callback: Callback): void {
  let socket: Socket;
  try {
    socket = create() as Socket;
  } catch (error) {
    fail(callback, error instanceof Error ? error : new Error(String(error)));
    return;
  }
  if (!socket.connecting) {
    callback(null, socket);
    return;
  }
  const settle = (error: Error | undefined): void => {
    socket.removeListener('connect', onConnect);
    socket.removeListener('error', onError);
    socket.removeListener('timeout', onTimeout);
    socket.setTimeout(0);
    if (error === undefined) {
      callback(null, socket);
      return;
    }
    socket.destroy();
    fail(callback, new OtlpConnectError(error));
  };
  const onConnect = (): void => settle(undefined);
  const onError = (error: Error): void => settle(error);
  const onTimeout = (): void =>
    settle(Object.assign(new Error(`connect timed out after ${timeoutMillis} ms`), { code: 'ETIMEDOUT' }));
  socket.once('connect', onConnect);
  socket.once('error', onError);
  socket.once('timeout', onTimeout);
  socket.setTimeout(timeoutMillis);
}

/** The exporter's agent factory: keep-alive agents (its default) whose connects fail fast. */
function agentFactory(timeoutMillis: number): (protocol: string) => Promise<HttpAgent> {
  return async (protocol) => {
    // Loaded when first used, as the exporter does, so an http instrumentation can patch it first.
    const { Agent } = protocol === 'http:' ? await import('node:http') : await import('node:https');
    const agent = new Agent({ keepAlive: true });
    const create = agent.createConnection.bind(agent);
    agent.createConnection = (options: ClientRequestArgs, callback?: Callback): Duplex | undefined => {
      // Without a callback (not how Node's agent calls it) the socket is returned as usual.
      if (callback === undefined) return create(options) ?? undefined;
      connectThenHandOver(() => create(options) as Duplex, timeoutMillis, callback);
      return undefined;
    };
    return agent;
  };
}

type ExporterConfig = NonNullable<ConstructorParameters<typeof OTLPJsonTraceExporter>[0]>;
// The exporters type `compression` as an enum of otlp-exporter-base (not a direct dependency)
// whose values are these same strings.
type Compression = ExporterConfig['compression'];

/** The settings every OTLP/HTTP exporter takes, with the fail-fast connect agent. */
function exporterConfig(config: ResolvedOtlpConfig): ExporterConfig {
  return {
    url: config.url,
    headers: { ...config.headers },
    timeoutMillis: config.timeoutMillis,
    compression: config.compression as Compression,
    httpAgentOptions: agentFactory(config.timeoutMillis),
  };
}

/** An OTLP/HTTP trace exporter (protobuf or JSON) configured from `config` only. */
export function createOtlpExporter(config: ResolvedOtlpConfig): SpanExporter {
  const options = exporterConfig(config);
  return withOtlpVariablesHidden(() =>
    config.protocol === 'http/json'
      ? new OTLPJsonTraceExporter(options)
      : new OTLPProtobufTraceExporter(options),
  );
}

const TEMPORALITY: Record<ResolvedMetricsConfig['temporalityPreference'], AggregationTemporalityPreference> =
  {
    cumulative: AggregationTemporalityPreference.CUMULATIVE,
    delta: AggregationTemporalityPreference.DELTA,
    lowmemory: AggregationTemporalityPreference.LOWMEMORY,
  };

const DEFAULT_AGGREGATION: AggregationOption = { type: AggregationType.DEFAULT };
const EXPONENTIAL_HISTOGRAM: AggregationOption = { type: AggregationType.EXPONENTIAL_HISTOGRAM };

/** Histograms as `histogramAggregation` says; every other instrument its default aggregation. */
function aggregationSelector(
  histogramAggregation: ResolvedMetricsConfig['histogramAggregation'],
): ((instrumentType: InstrumentType) => AggregationOption) | undefined {
  if (histogramAggregation === 'explicit_bucket_histogram') return undefined;
  return (instrumentType) =>
    instrumentType === InstrumentType.HISTOGRAM ? EXPONENTIAL_HISTOGRAM : DEFAULT_AGGREGATION;
}

/** An OTLP/HTTP metric exporter (protobuf or JSON) configured from `config` and `metrics` only. */
export function createOtlpMetricExporter(
  config: ResolvedOtlpConfig,
  metrics: Pick<ResolvedMetricsConfig, 'temporalityPreference' | 'histogramAggregation'>,
): PushMetricExporter {
  const aggregationPreference = aggregationSelector(metrics.histogramAggregation);
  const options = {
    ...exporterConfig(config),
    temporalityPreference: TEMPORALITY[metrics.temporalityPreference],
    ...(aggregationPreference === undefined ? {} : { aggregationPreference }),
  };
  return withOtlpVariablesHidden(() =>
    config.protocol === 'http/json'
      ? new OTLPJsonMetricExporter(options)
      : new OTLPProtobufMetricExporter(options),
  );
}

/** An OTLP/HTTP log record exporter (protobuf or JSON) configured from `config` only. */
export function createOtlpLogExporter(config: ResolvedOtlpConfig): LogRecordExporter {
  const options = exporterConfig(config);
  return withOtlpVariablesHidden(() =>
    config.protocol === 'http/json' ? new OTLPJsonLogExporter(options) : new OTLPProtobufLogExporter(options),
  );
}

/** The URL without user, password, query or fragment, which may hold credentials. */
export function withoutCredentials(destination: string): string {
  try {
    const url = new URL(destination);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return 'the exporter';
  }
}

/** How much of an HTTP error answer's body a warning shows. */
export const BODY_PREVIEW_CHARS = 300;

// Terminal escape sequences (CSI such as colours, OSC such as window titles, two-character ones),
// then every other control or format character (including bidirectional overrides): a body is
// written to the user's terminal and must not be able to restyle or rewrite it.
// eslint-disable-next-line no-control-regex
const ESCAPE_SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]?|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-_])/g;
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

/** `text` on one line, without escapes or control characters, at most `maxChars` long. */
export function sanitizeForLog(text: string, maxChars: number): string {
  // Cut first so a large body costs little; the margin leaves room for what the cleaning removes.
  const clean = text
    .slice(0, maxChars * 4)
    .replace(ESCAPE_SEQUENCE, ' ')
    .replace(CONTROL_OR_FORMAT, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return clean.length > maxChars || text.length > maxChars * 4 ? `${clean.slice(0, maxChars)}…` : clean;
}

/**
 * One line for a failed export: for an HTTP error answer (the exporter's OTLPExporterError: the
 * status in `code`, the body in `data`) the status and the start of the body, which often names
 * the fix; never the answer's headers.
 */
export function describeExportError(error: Error | undefined): string {
  if (error === undefined) return 'unknown error';
  const { code, data } = error as { code?: unknown; data?: unknown };
  if (typeof code !== 'number') return describeError(error);
  const status = `HTTP ${code}${error.message ? ` ${sanitizeForLog(error.message, 100)}` : ''}`;
  const body = typeof data === 'string' ? sanitizeForLog(data, BODY_PREVIEW_CHARS) : '';
  return body === '' ? status : `${status}: ${body}`;
}
