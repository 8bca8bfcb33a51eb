// Stand-ins of two external services, on 127.0.0.1, speaking their documented HTTP APIs (not stand-ins
// of our code): a Jaeger query service (api_v3's HTTP gateway: /api/v3/traces, /api/v3/traces/{id},
// /api/v3/services; and the UI's /api/traces search with `tags`, as in Jaeger v2 1.76's in-memory
// store: every condition on one span, service required by the UI search) and a Grafana Tempo
// (/api/search, /api/v2/traces/{id} or the older /api/traces/{id} with `batches`, tag values).
// Both receive spans the way the real ones do, over OTLP/HTTP JSON on POST /v1/traces, from the
// real OTel exporter. The Tempo stand-in does not evaluate TraceQL: its search answers every trace
// that starts in the window (a remote whose search is broad); tests check the TraceQL it was sent.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Json = Record<string, unknown>;

interface OtlpAnyValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpKeyValue {
  key: string;
  value?: OtlpAnyValue;
}
interface OtlpSpan extends Json {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: OtlpKeyValue[];
}
interface OtlpResourceSpans {
  resource?: { attributes?: OtlpKeyValue[] };
  scopeSpans?: { scope?: Json; spans?: OtlpSpan[] }[];
}

/** One stored trace: its resourceSpans (only this trace's spans in each). */
interface StoredTrace {
  readonly traceId: string;
  readonly resourceSpans: OtlpResourceSpans[];
}

/** What a fault hook may answer instead of the API. */
export type Fault =
  { readonly status: number; readonly body: string; readonly contentType?: string } | 'hang' | 'destroy';

export interface StandIn {
  /** Base URL of the query API (and of POST /v1/traces). */
  readonly url: string;
  /** Every GET received (path and query), in order. */
  readonly requests: URL[];
  /** The Authorization header of each GET (undefined when none), in order. */
  readonly authorizations: (string | undefined)[];
  /** Answers `fault(url)` instead of the API while it returns one. */
  fault: ((url: URL) => Fault | undefined) | undefined;
  /** Traces held. */
  traceIds(): string[];
  close(): Promise<void>;
}

function asString(value: OtlpAnyValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return String(value.intValue);
  if (value.doubleValue !== undefined) return String(value.doubleValue);
  if (value.boolValue !== undefined) return String(value.boolValue);
  return undefined;
}

function attribute(list: OtlpKeyValue[] | undefined, key: string): string | undefined {
  return asString(list?.find((kv) => kv.key === key)?.value);
}

const ns = (value: string | number): bigint => BigInt(value);

function spansOf(trace: StoredTrace): { span: OtlpSpan; resource: OtlpKeyValue[] }[] {
  return trace.resourceSpans.flatMap((rs) =>
    (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((span) => ({ span, resource: rs.resource?.attributes ?? [] })),
    ),
  );
}

function startOf(trace: StoredTrace): bigint {
  return spansOf(trace).reduce(
    (min, { span }) => (ns(span.startTimeUnixNano) < min ? ns(span.startTimeUnixNano) : min),
    2n ** 64n,
  );
}

function endOf(trace: StoredTrace): bigint {
  return spansOf(trace).reduce(
    (max, { span }) => (ns(span.endTimeUnixNano) > max ? ns(span.endTimeUnixNano) : max),
    0n,
  );
}

function rootOf(trace: StoredTrace): { span: OtlpSpan; resource: OtlpKeyValue[] } | undefined {
  return spansOf(trace).find(({ span }) => !span.parentSpanId);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  contentType = 'application/json',
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  response.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

type Handler = (url: URL, traces: StoredTrace[], response: ServerResponse) => void;

async function startStandIn(handle: Handler): Promise<StandIn> {
  const traces = new Map<string, StoredTrace>();
  const requests: URL[] = [];
  const authorizations: (string | undefined)[] = [];
  const sockets = new Set<import('node:net').Socket>();
  const standIn: { fault: StandIn['fault'] } = { fault: undefined };
  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://stand-in');
      if (request.method === 'POST' && url.pathname === '/v1/traces') {
        const body = JSON.parse(await readBody(request)) as { resourceSpans?: OtlpResourceSpans[] };
        for (const rs of body.resourceSpans ?? []) {
          for (const ss of rs.scopeSpans ?? []) {
            for (const span of ss.spans ?? []) {
              let trace = traces.get(span.traceId);
              if (trace === undefined)
                traces.set(span.traceId, (trace = { traceId: span.traceId, resourceSpans: [] }));
              trace.resourceSpans.push({
                resource: rs.resource ?? {},
                scopeSpans: [{ scope: ss.scope ?? {}, spans: [span] }],
              });
            }
          }
        }
        return send(response, 200, {});
      }
      requests.push(url);
      authorizations.push(request.headers.authorization);
      const fault = standIn.fault?.(url);
      if (fault === 'hang') return;
      if (fault === 'destroy') return request.socket.destroy();
      if (fault !== undefined)
        return send(response, fault.status, fault.body, fault.contentType ?? 'text/plain');
      // Most recent first, as both answer searches.
      handle(
        url,
        [...traces.values()].sort((a, b) => (startOf(b) > startOf(a) ? 1 : -1)),
        response,
      );
    })().catch((error: unknown) => send(response, 500, String(error), 'text/plain'));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    authorizations,
    get fault() {
      return standIn.fault;
    },
    set fault(value) {
      standIn.fault = value;
    },
    traceIds: () => [...traces.keys()],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// Jaeger

function jaegerError(response: ServerResponse, status: number, message: string): void {
  send(response, status, { error: { httpCode: status, message } });
}

/** Jaeger v2's memory store: one span must satisfy service, operation, time, duration and tags. */
function jaegerMatches(
  trace: StoredTrace,
  q: {
    service?: string;
    operation?: string;
    min?: bigint;
    max?: bigint;
    minDur?: bigint;
    maxDur?: bigint;
    tags?: Record<string, string>;
  },
): boolean {
  return spansOf(trace).some(({ span, resource }) => {
    if (q.service && attribute(resource, 'service.name') !== q.service) return false;
    if (q.operation && span.name !== q.operation) return false;
    const start = ns(span.startTimeUnixNano);
    const duration = ns(span.endTimeUnixNano) - start;
    if (q.min !== undefined && start < q.min) return false;
    if (q.max !== undefined && start > q.max) return false;
    if (q.minDur !== undefined && duration < q.minDur) return false;
    if (q.maxDur !== undefined && q.maxDur !== 0n && duration > q.maxDur) return false;
    for (const [key, value] of Object.entries(q.tags ?? {})) {
      if (attribute(span.attributes, key) !== value && attribute(resource, key) !== value) return false;
    }
    return true;
  });
}

/** A Go duration ("1500us", "2ms", "1.5s") in nanoseconds. */
function goDuration(text: string): bigint {
  const match = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)$/.exec(text);
  if (match === null) throw new Error(`time: invalid duration "${text}"`);
  const scale = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 }[match[2] as 'ns'];
  return BigInt(Math.round(Number(match[1]) * scale));
}

export interface JaegerStandInOptions {
  /** Refuse searches without a service, as Jaeger over Cassandra, Elasticsearch or Badger does. */
  readonly requireService?: boolean;
}

/** A Jaeger query service stand-in (see the file comment). */
export function startJaegerStandIn(options: JaegerStandInOptions = {}): Promise<StandIn> {
  return startStandIn((url, traces, response) => {
    const q = url.searchParams;
    if (url.pathname === '/api/v3/services') {
      const services = new Set<string>();
      for (const trace of traces)
        for (const { resource } of spansOf(trace)) services.add(attribute(resource, 'service.name') ?? '');
      return send(response, 200, { services: [...services].sort() });
    }
    const byId = /^\/api\/v3\/traces\/([0-9a-f]+)$/.exec(url.pathname);
    if (byId !== null) {
      const trace = traces.find((t) => t.traceId === byId[1]);
      if (trace === undefined) return jaegerError(response, 404, 'trace not found');
      return send(response, 200, { result: { resourceSpans: trace.resourceSpans } });
    }
    if (url.pathname === '/api/v3/traces') {
      const min = q.get('query.start_time_min');
      const max = q.get('query.start_time_max');
      if (!min || !max)
        return jaegerError(response, 400, 'query.start_time_min and query.start_time_max are required');
      const service = q.get('query.service_name') ?? '';
      if (options.requireService && service === '')
        return jaegerError(response, 500, 'service Name must be set');
      const depth = Number(q.get('query.num_traces') ?? '0');
      if (!(depth > 0))
        return jaegerError(response, 500, 'search depth must be greater than 0 and less than max traces');
      const found = traces
        .filter((trace) =>
          jaegerMatches(trace, {
            service,
            operation: q.get('query.operation_name') ?? '',
            min: BigInt(Date.parse(min)) * 1_000_000n,
            max: BigInt(Date.parse(max)) * 1_000_000n,
            ...(q.get('query.duration_min') ? { minDur: goDuration(q.get('query.duration_min')!) } : {}),
            ...(q.get('query.duration_max') ? { maxDur: goDuration(q.get('query.duration_max')!) } : {}),
          }),
        )
        .slice(0, depth);
      if (found.length === 0) return jaegerError(response, 404, 'No traces found');
      return send(response, 200, { result: { resourceSpans: found.flatMap((t) => t.resourceSpans) } });
    }
    if (url.pathname === '/api/traces') {
      const service = q.get('service') ?? '';
      if (service === '')
        return send(response, 400, {
          data: null,
          total: 0,
          limit: 0,
          offset: 0,
          errors: [{ code: 400, msg: "parameter 'service' is required" }],
        });
      const tags = q.get('tags') ? (JSON.parse(q.get('tags')!) as Record<string, string>) : {};
      const start = q.get('start') ? BigInt(q.get('start')!) * 1000n : undefined;
      const end = q.get('end') ? BigInt(q.get('end')!) * 1000n : undefined;
      const found = traces
        .filter((trace) =>
          jaegerMatches(trace, {
            service,
            tags,
            ...(start !== undefined ? { min: start } : {}),
            ...(end !== undefined ? { max: end } : {}),
          }),
        )
        .slice(0, Number(q.get('limit') ?? '20'));
      return send(response, 200, {
        data: found.map((trace) => ({
          traceID: trace.traceId,
          spans: spansOf(trace).map(({ span }) => ({
            traceID: span.traceId,
            spanID: span.spanId,
            operationName: span.name,
            startTime: Number(ns(span.startTimeUnixNano) / 1000n),
            duration: Number((ns(span.endTimeUnixNano) - ns(span.startTimeUnixNano)) / 1000n),
          })),
          processes: {},
        })),
        total: found.length,
        limit: 0,
        offset: 0,
        errors: null,
      });
    }
    return send(response, 404, '404 page not found\n', 'text/plain');
  });
}

// ---------------------------------------------------------------------------------------------
// Tempo

const KIND_NAMES = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];

/** A span as Tempo's JSON has it: ids base64 (protobuf JSON mapping of bytes), kind by name. */
function tempoSpan(span: OtlpSpan): Json {
  const b64 = (hex: string | undefined) => (hex ? Buffer.from(hex, 'hex').toString('base64') : undefined);
  const status = span.status as { code?: number } | undefined;
  return {
    ...span,
    traceId: b64(span.traceId),
    spanId: b64(span.spanId),
    ...(span.parentSpanId ? { parentSpanId: b64(span.parentSpanId) } : {}),
    kind: KIND_NAMES[Number(span.kind ?? 0)],
    ...(status
      ? {
          status: {
            ...status,
            code: ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'][status.code ?? 0],
          },
        }
      : {}),
  };
}

export interface TempoStandInOptions {
  /** An older release: no /api/v2 endpoints; /api/traces/{id} answers `batches` with `instrumentationLibrarySpans`. */
  readonly legacy?: boolean;
  /** Refuse TraceQL query hints (`with (…)`) with a 400, as releases before them do. */
  readonly refuseHints?: boolean;
}

/** A Tempo stand-in (see the file comment). */
export function startTempoStandIn(options: TempoStandInOptions = {}): Promise<StandIn> {
  return startStandIn((url, traces, response) => {
    const q = url.searchParams;
    if (url.pathname === '/api/search') {
      const traceql = q.get('q') ?? '';
      if (options.refuseHints && traceql.includes(' with (')) {
        return send(
          response,
          400,
          `invalid TraceQL query: parse error at line 1, col ${traceql.indexOf(' with (') + 2}: syntax error: unexpected with`,
          'text/plain',
        );
      }
      const start = q.get('start') ? BigInt(q.get('start')!) * 1_000_000_000n : 0n;
      const end = q.get('end') ? BigInt(q.get('end')!) * 1_000_000_000n : 2n ** 64n;
      const found = traces
        .filter((trace) => startOf(trace) >= start && startOf(trace) <= end)
        .slice(0, Number(q.get('limit') ?? '20'));
      return send(response, 200, {
        traces: found.map((trace) => {
          const root = rootOf(trace);
          return {
            // Tempo's search drops the leading zeros of trace ids.
            traceID: trace.traceId.replace(/^0+/, ''),
            rootServiceName: root ? attribute(root.resource, 'service.name') : '<root span not yet received>',
            rootTraceName: root?.span.name ?? '',
            startTimeUnixNano: String(startOf(trace)),
            durationMs: Number((endOf(trace) - startOf(trace)) / 1_000_000n),
            spanSets: [{ spans: [], matched: spansOf(trace).length }],
          };
        }),
        metrics: { inspectedTraces: traces.length, totalBlocks: 1 },
      });
    }
    const v2 = /^\/api\/v2\/traces\/([0-9a-fA-F]+)$/.exec(url.pathname);
    const v1 = /^\/api\/traces\/([0-9a-fA-F]+)$/.exec(url.pathname);
    if ((v2 !== null && !options.legacy) || v1 !== null) {
      const id = (v2 ?? v1)![1]!.toLowerCase().padStart(32, '0');
      const trace = traces.find((t) => t.traceId === id);
      if (trace === undefined) return send(response, 404, 'trace not found', 'text/plain');
      if (v2 !== null) {
        const resourceSpans = trace.resourceSpans.map((rs) => ({
          resource: rs.resource,
          scopeSpans: (rs.scopeSpans ?? []).map((ss) => ({
            scope: ss.scope,
            spans: (ss.spans ?? []).map(tempoSpan),
          })),
        }));
        return send(response, 200, { trace: { resourceSpans } });
      }
      const batches = trace.resourceSpans.map((rs) => ({
        resource: rs.resource,
        instrumentationLibrarySpans: (rs.scopeSpans ?? []).map((ss) => ({
          instrumentationLibrary: ss.scope,
          spans: (ss.spans ?? []).map(tempoSpan),
        })),
      }));
      return send(response, 200, { batches });
    }
    const tagValues = /^\/api\/v2\/search\/tag\/([^/]+)\/values$/.exec(url.pathname);
    if (tagValues !== null && !options.legacy) {
      const tag = decodeURIComponent(tagValues[1]!);
      const [scope, ...rest] = tag.split('.');
      const key = rest.join('.');
      const values = new Set<string>();
      for (const trace of traces) {
        for (const { span, resource } of spansOf(trace)) {
          const value = attribute(scope === 'resource' ? resource : span.attributes, key);
          if (value !== undefined) values.add(value);
        }
      }
      return send(response, 200, {
        tagValues: [...values].map((value) => ({ type: 'string', value })),
        metrics: {},
      });
    }
    const tagValuesV1 = /^\/api\/search\/tag\/([^/]+)\/values$/.exec(url.pathname);
    if (tagValuesV1 !== null) {
      const key = decodeURIComponent(tagValuesV1[1]!);
      const values = new Set<string>();
      for (const trace of traces) {
        for (const { span, resource } of spansOf(trace)) {
          const value = attribute(span.attributes, key) ?? attribute(resource, key);
          if (value !== undefined) values.add(value);
        }
      }
      return send(response, 200, { tagValues: [...values] });
    }
    return send(response, 404, '404 page not found\n', 'text/plain');
  });
}
