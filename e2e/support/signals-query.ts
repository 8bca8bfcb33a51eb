// Reads metrics and log records back from the signals sink (otlp-sink.ts), which the global setup
// runs and Jaeger forwards them to.
import { sharedSignalsSink } from './e2e-env';
import { fromWireJson, type LogEntry, type MetricPoint, type SinkSummary } from './otlp-sink';

export type { LogEntry, MetricPoint, SignalValue } from './otlp-sink';

/** How long to wait; see {@link waitForMetrics}. */
export interface WaitForSignalsOptions {
  /** Give up after this long and throw, listing what arrived (default 20 s). */
  readonly timeoutMillis?: number;
  /** Once the predicate holds, how long the count must stay the same (default 500 ms). */
  readonly settleMillis?: number;
  /** The sink's URL (default: the shared sink of the global setup). */
  readonly sinkUrl?: string;
}

/** What a predicate is asked about: everything the service sent so far. */
export type SignalsPredicate<T> = (received: readonly T[]) => boolean;

const POLL_INTERVAL_MILLIS = 200;
/** How many received items a timeout message describes. */
const MAX_LISTED = 30;

async function getText(url: string): Promise<string> {
  const response = await fetch(url);
  const text = await response.text();
  if (response.status !== 200)
    throw new Error(`GET ${url} answered ${response.status}: ${text.slice(0, 500)}`);
  return text;
}

const sinkOf = (options: WaitForSignalsOptions | undefined) => options?.sinkUrl ?? sharedSignalsSink().url;

/** Every data point the sink holds for `service`, one entry per point, in arrival order. */
export async function metricsOf(service: string, sinkUrl = sharedSignalsSink().url): Promise<MetricPoint[]> {
  return fromWireJson(await getText(`${sinkUrl}/metrics?service=${encodeURIComponent(service)}`));
}

/** Every log record the sink holds for `service`, in arrival order. */
export async function logsOf(service: string, sinkUrl = sharedSignalsSink().url): Promise<LogEntry[]> {
  return fromWireJson(await getText(`${sinkUrl}/logs?service=${encodeURIComponent(service)}`));
}

/** What the sink received from every service, and what it refused. */
export async function sinkSummary(sinkUrl = sharedSignalsSink().url): Promise<SinkSummary> {
  return JSON.parse(await getText(`${sinkUrl}/summary`)) as SinkSummary;
}

function describeMetric(point: MetricPoint): string {
  return `${point.name} ${point.type} ${JSON.stringify(point.attributes)} = ${JSON.stringify(point.value)}`;
}

function describeLog(entry: LogEntry): string {
  const body = typeof entry.body === 'string' ? entry.body : JSON.stringify(entry.body);
  return `${entry.eventName || '(no event name)'} ${entry.severityText || entry.severityNumber} ${String(body).slice(0, 120)}`;
}

async function timeoutError<T>(
  what: string,
  service: string,
  received: readonly T[],
  describe: (item: T) => string,
  options: WaitForSignalsOptions | undefined,
  timeoutMillis: number,
): Promise<Error> {
  const lines = received.slice(0, MAX_LISTED).map((item) => `  ${describe(item)}`);
  if (received.length > MAX_LISTED) lines.push(`  … and ${received.length - MAX_LISTED} more`);
  let sink: string;
  try {
    const summary = await sinkSummary(sinkOf(options));
    sink =
      `the sink got ${summary.requests.metrics} metrics and ${summary.requests.logs} logs requests, ` +
      `from services ${JSON.stringify(Object.keys(summary.services))}` +
      (summary.requests.metrics + summary.requests.logs === 0
        ? '; is Jaeger forwarding to it? (JAEGER_SIGNALS_SINK_ENDPOINT for scripts/jaeger/start.sh)'
        : '') +
      (summary.rejected.length > 0 ? `; it refused: ${summary.rejected.join(' | ')}` : '') +
      (summary.dropped.metricPoints + summary.dropped.logRecords > 0
        ? `; it was full and dropped ${JSON.stringify(summary.dropped)}`
        : '');
  } catch (error) {
    sink = `the sink's summary failed: ${(error as Error).message}`;
  }
  return new Error(
    `no ${what} of service "${service}" satisfied the predicate within ${timeoutMillis} ms. ` +
      `Received ${received.length}${lines.length > 0 ? `:\n${lines.join('\n')}` : ''}\n(${sink})`,
  );
}

async function waitFor<T>(
  what: string,
  service: string,
  read: () => Promise<T[]>,
  predicate: SignalsPredicate<T>,
  describe: (item: T) => string,
  options: WaitForSignalsOptions | undefined,
): Promise<T[]> {
  const timeoutMillis = options?.timeoutMillis ?? 20_000;
  const settleMillis = options?.settleMillis ?? 500;
  const deadline = Date.now() + timeoutMillis;
  let matchedCount = -1;
  let stableSince = 0;
  for (;;) {
    const received = await read();
    if (predicate(received)) {
      if (received.length !== matchedCount) {
        matchedCount = received.length;
        stableSince = Date.now();
      }
      if (Date.now() - stableSince >= settleMillis || Date.now() > deadline) return received;
    } else {
      matchedCount = -1;
      if (Date.now() > deadline) {
        throw await timeoutError(what, service, received, describe, options, timeoutMillis);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_INTERVAL_MILLIS));
  }
}

/**
 * Polls the sink until the data points of `service` satisfy `predicate` (default: at least one)
 * and their count has stopped growing for `settleMillis`; returns them. Throws after
 * `timeoutMillis` with what arrived, for this service and in the whole sink.
 */
export function waitForMetrics(
  service: string,
  predicate: SignalsPredicate<MetricPoint> = (points) => points.length > 0,
  options?: WaitForSignalsOptions,
): Promise<MetricPoint[]> {
  return waitFor(
    'metric data points',
    service,
    () => metricsOf(service, sinkOf(options)),
    predicate,
    describeMetric,
    options,
  );
}

/** {@link waitForMetrics} for log records. */
export function waitForLogs(
  service: string,
  predicate: SignalsPredicate<LogEntry> = (records) => records.length > 0,
  options?: WaitForSignalsOptions,
): Promise<LogEntry[]> {
  return waitFor(
    'log records',
    service,
    () => logsOf(service, sinkOf(options)),
    predicate,
    describeLog,
    options,
  );
}
