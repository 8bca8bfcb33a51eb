// The signals sink of the e2e suite: an OTLP/HTTP JSON receiver on 127.0.0.1 that Jaeger forwards
// metrics and log records to (scripts/jaeger/config.yaml, exporter otlphttp/signals_sink). It lives
// in the global-setup process, so the test workers read what it holds over HTTP:
//   POST /v1/metrics, /v1/logs    OTLP/HTTP JSON export requests (from the collector)
//   GET  /metrics?service=NAME    the data points of NAME's metrics (all services without ?service)
//   GET  /logs?service=NAME       NAME's log records
//   GET  /summary                 what arrived, per service, and the requests it refused
// Answers are JSON in the wire form of toWireJson (bytes values survive); read them with
// fromWireJson, or through signals-query.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync, inflateSync } from 'node:zlib';

/** An OTLP AnyValue decoded to plain JavaScript: kvlists become objects, bytes a Uint8Array. */
export type SignalValue =
  string | number | boolean | null | Uint8Array | SignalValue[] | { [key: string]: SignalValue };

/** The instrumentation scope a data point or log record was recorded under. */
export interface SignalScope {
  readonly name: string;
  /** '' when the scope has no version. */
  readonly version: string;
}

/** The aggregation temporality of a sum or histogram; null for gauges and summaries. */
export type Temporality = 'delta' | 'cumulative' | 'unspecified';

/** What every flattened data point carries. */
interface MetricPointBase {
  /** The resource's `service.name` ('' when absent). */
  readonly service: string;
  readonly name: string;
  readonly description: string;
  readonly unit: string;
  readonly attributes: Readonly<Record<string, SignalValue>>;
  readonly startTimeUnixNano: string;
  readonly timeUnixNano: string;
  readonly scope: SignalScope;
  readonly resource: Readonly<Record<string, SignalValue>>;
}

/** The value of a histogram data point; `sum`, `min`, `max` are null when the point has none. */
export interface HistogramValue {
  readonly count: number;
  readonly sum: number | null;
  readonly min: number | null;
  readonly max: number | null;
  /** One more than `explicitBounds`: the last bucket counts values above the last bound. */
  readonly bucketCounts: number[];
  readonly explicitBounds: number[];
}

/** The value of an exponential histogram data point. */
export interface ExponentialHistogramValue {
  readonly count: number;
  readonly sum: number | null;
  readonly min: number | null;
  readonly max: number | null;
  readonly scale: number;
  readonly zeroCount: number;
  readonly positive: { readonly offset: number; readonly bucketCounts: number[] };
  readonly negative: { readonly offset: number; readonly bucketCounts: number[] };
}

/** The value of a summary data point. */
export interface SummaryValue {
  readonly count: number;
  readonly sum: number;
  readonly quantiles: { readonly quantile: number; readonly value: number }[];
}

/** One data point of one metric, with its metric's name, type and scope and its resource. */
export type MetricPoint =
  | (MetricPointBase & { type: 'sum'; temporality: Temporality; isMonotonic: boolean; value: number })
  | (MetricPointBase & { type: 'gauge'; temporality: null; isMonotonic: null; value: number })
  | (MetricPointBase & {
      type: 'histogram';
      temporality: Temporality;
      isMonotonic: null;
      value: HistogramValue;
    })
  | (MetricPointBase & {
      type: 'exponentialHistogram';
      temporality: Temporality;
      isMonotonic: null;
      value: ExponentialHistogramValue;
    })
  | (MetricPointBase & { type: 'summary'; temporality: null; isMonotonic: null; value: SummaryValue });

/** One log record, with its scope and resource. */
export interface LogEntry {
  /** The resource's `service.name` ('' when absent). */
  readonly service: string;
  /** '' when the record has none. */
  readonly eventName: string;
  /** 0 (unspecified) to 24. */
  readonly severityNumber: number;
  readonly severityText: string;
  readonly body: SignalValue;
  readonly attributes: Readonly<Record<string, SignalValue>>;
  /** Lower-case hex as the collector sends it; '' outside a trace. */
  readonly traceId: string;
  readonly spanId: string;
  readonly flags: number;
  readonly timeUnixNano: string;
  readonly observedTimeUnixNano: string;
  readonly scope: SignalScope;
  readonly resource: Readonly<Record<string, SignalValue>>;
}

/** What the sink received, per service, and what it refused. */
export interface SinkSummary {
  readonly services: Record<string, { metricPoints: number; metricNames: string[]; logRecords: number }>;
  readonly requests: { metrics: number; logs: number };
  /** Requests answered with an error status (bad body, wrong encoding), newest last. */
  readonly rejected: string[];
  /** Data points and log records not kept because the sink was full. */
  readonly dropped: { metricPoints: number; logRecords: number };
}

/** A running sink; see {@link startOtlpSink}. */
export interface OtlpSink {
  /** `http://127.0.0.1:<port>`: the collector's exporter endpoint and the query base URL. */
  readonly url: string;
  /** Stops listening and drops open connections. */
  close(): Promise<void>;
}

/** What the sink keeps per signal; beyond that it counts what it drops (see `/summary`). */
const MAX_STORED_PER_SIGNAL = 200_000;
/** The largest export request body accepted (the collector's batches are far smaller). */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
/** How many refused requests `/summary` lists. */
const MAX_REJECTED_KEPT = 20;

// ---- OTLP JSON (the subset the collector's JSON marshaller writes) ----

interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: string | number;
  doubleValue?: number | string;
  bytesValue?: string;
  arrayValue?: { values?: OtlpAnyValue[] };
  kvlistValue?: { values?: OtlpKeyValue[] };
}
interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}
interface OtlpResource {
  attributes?: OtlpKeyValue[];
}
interface OtlpScope {
  name?: string;
  version?: string;
}
type OtlpNumber = number | string;
interface OtlpPointBase {
  attributes?: OtlpKeyValue[];
  startTimeUnixNano?: string;
  timeUnixNano?: string;
}
interface OtlpNumberPoint extends OtlpPointBase {
  asInt?: OtlpNumber;
  asDouble?: OtlpNumber;
}
interface OtlpHistogramPoint extends OtlpPointBase {
  count?: OtlpNumber;
  sum?: OtlpNumber;
  min?: OtlpNumber;
  max?: OtlpNumber;
  bucketCounts?: OtlpNumber[];
  explicitBounds?: OtlpNumber[];
}
interface OtlpBuckets {
  offset?: number;
  bucketCounts?: OtlpNumber[];
}
interface OtlpExponentialHistogramPoint extends OtlpPointBase {
  count?: OtlpNumber;
  sum?: OtlpNumber;
  min?: OtlpNumber;
  max?: OtlpNumber;
  scale?: number;
  zeroCount?: OtlpNumber;
  positive?: OtlpBuckets;
  negative?: OtlpBuckets;
}
interface OtlpSummaryPoint extends OtlpPointBase {
  count?: OtlpNumber;
  sum?: OtlpNumber;
  quantileValues?: { quantile?: OtlpNumber; value?: OtlpNumber }[];
}
type OtlpTemporality = number | string;
interface OtlpMetric {
  name?: string;
  description?: string;
  unit?: string;
  gauge?: { dataPoints?: OtlpNumberPoint[] };
  sum?: {
    dataPoints?: OtlpNumberPoint[];
    aggregationTemporality?: OtlpTemporality;
    isMonotonic?: boolean;
  };
  histogram?: { dataPoints?: OtlpHistogramPoint[]; aggregationTemporality?: OtlpTemporality };
  exponentialHistogram?: {
    dataPoints?: OtlpExponentialHistogramPoint[];
    aggregationTemporality?: OtlpTemporality;
  };
  summary?: { dataPoints?: OtlpSummaryPoint[] };
}
interface OtlpMetricsRequest {
  resourceMetrics?: {
    resource?: OtlpResource;
    scopeMetrics?: { scope?: OtlpScope; metrics?: OtlpMetric[] }[];
  }[];
}
interface OtlpLogRecord {
  timeUnixNano?: string;
  observedTimeUnixNano?: string;
  severityNumber?: number | string;
  severityText?: string;
  eventName?: string;
  body?: OtlpAnyValue;
  attributes?: OtlpKeyValue[];
  traceId?: string;
  spanId?: string;
  flags?: number;
}
interface OtlpLogsRequest {
  resourceLogs?: {
    resource?: OtlpResource;
    scopeLogs?: { scope?: OtlpScope; logRecords?: OtlpLogRecord[] }[];
  }[];
}

/**
 * Decodes an OTLP JSON AnyValue. 64-bit integers (sent as strings) become numbers, exact up to
 * 2^53; bytes (base64 in JSON) become a Uint8Array; an empty AnyValue becomes null.
 */
export function decodeAnyValue(value: OtlpAnyValue | undefined): SignalValue {
  if (value == null) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return Number(value.doubleValue);
  if (value.bytesValue !== undefined) return new Uint8Array(Buffer.from(value.bytesValue, 'base64'));
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(decodeAnyValue);
  if (value.kvlistValue !== undefined) return decodeKeyValues(value.kvlistValue.values);
  return null;
}

/** Decodes an OTLP key-value list (attributes, a kvlist) into a plain object. */
export function decodeKeyValues(list: readonly OtlpKeyValue[] | undefined): Record<string, SignalValue> {
  const out: Record<string, SignalValue> = {};
  // defineProperty: a key such as `__proto__` stays an ordinary property.
  for (const { key, value } of list ?? [])
    Object.defineProperty(out, key, { value: decodeAnyValue(value), enumerable: true });
  return out;
}

const num = (value: OtlpNumber | undefined): number => (value === undefined ? 0 : Number(value));
const optionalNum = (value: OtlpNumber | undefined): number | null =>
  value === undefined ? null : Number(value);

function temporality(value: OtlpTemporality | undefined): Temporality {
  if (value === 1 || value === 'AGGREGATION_TEMPORALITY_DELTA') return 'delta';
  if (value === 2 || value === 'AGGREGATION_TEMPORALITY_CUMULATIVE') return 'cumulative';
  return 'unspecified';
}

const SEVERITY_NAMES = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

/** A severity number sent as a number or as its enum name (`SEVERITY_NUMBER_WARN2` is 14). */
function severityNumber(value: number | string | undefined): number {
  if (typeof value === 'number') return value;
  if (value === undefined) return 0;
  const match = /^SEVERITY_NUMBER_([A-Z]+)([234]?)$/.exec(value);
  if (match === null) return Number(value) || 0;
  const base = SEVERITY_NAMES.indexOf(match[1]!);
  return base < 0 ? 0 : base * 4 + (match[2] ? Number(match[2]) : 1);
}

function resourceOf(resource: OtlpResource | undefined): {
  service: string;
  resource: Record<string, SignalValue>;
} {
  const attributes = decodeKeyValues(resource?.attributes);
  const service = attributes['service.name'];
  return { service: typeof service === 'string' ? service : '', resource: attributes };
}

const scopeOf = (scope: OtlpScope | undefined): SignalScope => ({
  name: scope?.name ?? '',
  version: scope?.version ?? '',
});

function pointBase(
  point: OtlpPointBase,
  metric: OtlpMetric,
  scope: SignalScope,
  owner: { service: string; resource: Record<string, SignalValue> },
): MetricPointBase {
  return {
    service: owner.service,
    name: metric.name ?? '',
    description: metric.description ?? '',
    unit: metric.unit ?? '',
    attributes: decodeKeyValues(point.attributes),
    startTimeUnixNano: point.startTimeUnixNano ?? '0',
    timeUnixNano: point.timeUnixNano ?? '0',
    scope,
    resource: owner.resource,
  };
}

const numberValue = (point: OtlpNumberPoint): number =>
  point.asInt !== undefined ? Number(point.asInt) : num(point.asDouble);

/** Flattens an OTLP JSON metrics export request into one entry per data point. */
export function flattenMetrics(request: OtlpMetricsRequest): MetricPoint[] {
  const points: MetricPoint[] = [];
  for (const resourceMetrics of request.resourceMetrics ?? []) {
    const owner = resourceOf(resourceMetrics.resource);
    for (const scopeMetrics of resourceMetrics.scopeMetrics ?? []) {
      const scope = scopeOf(scopeMetrics.scope);
      for (const metric of scopeMetrics.metrics ?? []) {
        const base = (point: OtlpPointBase) => pointBase(point, metric, scope, owner);
        if (metric.sum) {
          const sum = metric.sum;
          for (const point of sum.dataPoints ?? []) {
            points.push({
              ...base(point),
              type: 'sum',
              temporality: temporality(sum.aggregationTemporality),
              isMonotonic: sum.isMonotonic === true,
              value: numberValue(point),
            });
          }
        } else if (metric.gauge) {
          for (const point of metric.gauge.dataPoints ?? []) {
            points.push({
              ...base(point),
              type: 'gauge',
              temporality: null,
              isMonotonic: null,
              value: numberValue(point),
            });
          }
        } else if (metric.histogram) {
          const histogram = metric.histogram;
          for (const point of histogram.dataPoints ?? []) {
            points.push({
              ...base(point),
              type: 'histogram',
              temporality: temporality(histogram.aggregationTemporality),
              isMonotonic: null,
              value: {
                count: num(point.count),
                sum: optionalNum(point.sum),
                min: optionalNum(point.min),
                max: optionalNum(point.max),
                bucketCounts: (point.bucketCounts ?? []).map(Number),
                explicitBounds: (point.explicitBounds ?? []).map(Number),
              },
            });
          }
        } else if (metric.exponentialHistogram) {
          const histogram = metric.exponentialHistogram;
          const buckets = (side: OtlpBuckets | undefined) => ({
            offset: side?.offset ?? 0,
            bucketCounts: (side?.bucketCounts ?? []).map(Number),
          });
          for (const point of histogram.dataPoints ?? []) {
            points.push({
              ...base(point),
              type: 'exponentialHistogram',
              temporality: temporality(histogram.aggregationTemporality),
              isMonotonic: null,
              value: {
                count: num(point.count),
                sum: optionalNum(point.sum),
                min: optionalNum(point.min),
                max: optionalNum(point.max),
                scale: point.scale ?? 0,
                zeroCount: num(point.zeroCount),
                positive: buckets(point.positive),
                negative: buckets(point.negative),
              },
            });
          }
        } else if (metric.summary) {
          for (const point of metric.summary.dataPoints ?? []) {
            points.push({
              ...base(point),
              type: 'summary',
              temporality: null,
              isMonotonic: null,
              value: {
                count: num(point.count),
                sum: num(point.sum),
                quantiles: (point.quantileValues ?? []).map((q) => ({
                  quantile: num(q.quantile),
                  value: num(q.value),
                })),
              },
            });
          }
        }
      }
    }
  }
  return points;
}

/** Flattens an OTLP JSON logs export request into one entry per log record. */
export function flattenLogs(request: OtlpLogsRequest): LogEntry[] {
  const entries: LogEntry[] = [];
  for (const resourceLogs of request.resourceLogs ?? []) {
    const owner = resourceOf(resourceLogs.resource);
    for (const scopeLogs of resourceLogs.scopeLogs ?? []) {
      const scope = scopeOf(scopeLogs.scope);
      for (const record of scopeLogs.logRecords ?? []) {
        entries.push({
          service: owner.service,
          eventName: record.eventName ?? '',
          severityNumber: severityNumber(record.severityNumber),
          severityText: record.severityText ?? '',
          body: decodeAnyValue(record.body),
          attributes: decodeKeyValues(record.attributes),
          traceId: (record.traceId ?? '').toLowerCase(),
          spanId: (record.spanId ?? '').toLowerCase(),
          flags: record.flags ?? 0,
          timeUnixNano: record.timeUnixNano ?? '0',
          observedTimeUnixNano: record.observedTimeUnixNano ?? '0',
          scope,
          resource: owner.resource,
        });
      }
    }
  }
  return entries;
}

// ---- The wire form of the query answers ----

/** The key of the object that stands for a Uint8Array in the sink's JSON answers. */
const BYTES_KEY = '$bytesBase64';

/** JSON text in which every Uint8Array is `{"$bytesBase64": "..."}`; read it with fromWireJson. */
export function toWireJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item instanceof Uint8Array ? { [BYTES_KEY]: Buffer.from(item).toString('base64') } : item,
  );
}

/** Parses toWireJson's text, turning the bytes objects back into Uint8Arrays. */
export function fromWireJson<T>(text: string): T {
  return JSON.parse(text, (_key, item: unknown) => {
    if (item !== null && typeof item === 'object' && !Array.isArray(item)) {
      const keys = Object.keys(item);
      const encoded = (item as Record<string, unknown>)[BYTES_KEY];
      if (keys.length === 1 && typeof encoded === 'string') {
        return new Uint8Array(Buffer.from(encoded, 'base64'));
      }
    }
    return item;
  }) as T;
}

// ---- The server ----

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Entries grouped by service, with a total cap. */
function store<T extends { service: string }>() {
  const byService = new Map<string, T[]>();
  let size = 0;
  let dropped = 0;
  return {
    add(entries: readonly T[]): void {
      for (const entry of entries) {
        if (size >= MAX_STORED_PER_SIGNAL) {
          dropped++;
          continue;
        }
        const list = byService.get(entry.service) ?? [];
        list.push(entry);
        byService.set(entry.service, list);
        size++;
      }
    },
    of: (service: string | null): T[] =>
      service === null ? [...byService.values()].flat() : (byService.get(service) ?? []),
    byService,
    dropped: () => dropped,
  };
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let length = 0;
    request.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (length > MAX_BODY_BYTES) {
        reject(new HttpError(413, `body larger than ${MAX_BODY_BYTES} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** The request body as OTLP JSON: uncompressed, gzip or deflate; protobuf is refused. */
async function readOtlpJson(request: IncomingMessage): Promise<unknown> {
  const contentType = String(request.headers['content-type'] ?? '');
  if (!contentType.includes('json')) {
    throw new HttpError(
      415,
      `content-type ${contentType || '(none)'}: the sink reads OTLP/HTTP JSON only ` +
        '(set `encoding: json` on the exporter in scripts/jaeger/config.yaml)',
    );
  }
  let body = await readBody(request);
  const encoding = String(request.headers['content-encoding'] ?? '').toLowerCase();
  if (encoding === 'gzip') body = gunzipSync(body);
  else if (encoding === 'deflate') body = inflateSync(body);
  else if (encoding !== '' && encoding !== 'identity') {
    throw new HttpError(415, `content-encoding ${encoding} is not supported (gzip, deflate or none)`);
  }
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new HttpError(400, `body is not JSON: ${(error as Error).message}`);
  }
}

function send(response: ServerResponse, status: number, body: string): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(body);
}

/**
 * Starts the signals sink on a free 127.0.0.1 port. The server does not keep the process alive
 * (the global teardown closes it; a run that dies before the teardown must still exit).
 */
export async function startOtlpSink(): Promise<OtlpSink> {
  const metrics = store<MetricPoint>();
  const logs = store<LogEntry>();
  const requests = { metrics: 0, logs: 0 };
  const rejected: string[] = [];

  const summary = (): SinkSummary => {
    const services: SinkSummary['services'] = {};
    const entry = (service: string) =>
      (services[service] ??= { metricPoints: 0, metricNames: [], logRecords: 0 });
    for (const [service, points] of metrics.byService) {
      entry(service).metricPoints = points.length;
      entry(service).metricNames = [...new Set(points.map((point) => point.name))].sort();
    }
    for (const [service, records] of logs.byService) entry(service).logRecords = records.length;
    return {
      services,
      requests: { ...requests },
      rejected: [...rejected],
      dropped: { metricPoints: metrics.dropped(), logRecords: logs.dropped() },
    };
  };

  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://sink.invalid');
    const route = `${request.method} ${url.pathname}`;
    const service = url.searchParams.get('service');
    if (route === 'POST /v1/metrics') {
      requests.metrics++;
      metrics.add(flattenMetrics((await readOtlpJson(request)) as OtlpMetricsRequest));
      send(response, 200, '{}');
    } else if (route === 'POST /v1/logs') {
      requests.logs++;
      logs.add(flattenLogs((await readOtlpJson(request)) as OtlpLogsRequest));
      send(response, 200, '{}');
    } else if (route === 'GET /metrics') {
      send(response, 200, toWireJson(metrics.of(service)));
    } else if (route === 'GET /logs') {
      send(response, 200, toWireJson(logs.of(service)));
    } else if (route === 'GET /summary') {
      send(response, 200, JSON.stringify(summary()));
    } else {
      throw new HttpError(
        404,
        `${route}: the sink serves POST /v1/metrics, POST /v1/logs, GET /metrics, GET /logs, GET /summary`,
      );
    }
  };

  const server: Server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      const message = error instanceof Error ? error.message : String(error);
      if (request.method === 'POST') {
        rejected.push(`${request.method} ${request.url}: ${status} ${message}`);
        if (rejected.length > MAX_REJECTED_KEPT) rejected.shift();
      }
      if (!response.headersSent) send(response, status, JSON.stringify({ code: status, message }));
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.unref();
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
