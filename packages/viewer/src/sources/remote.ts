// What the Jaeger and Tempo sources share: a bounded HTTP client for the remote's query API (a time
// limit and a size limit on every response, errors that name the remote URL and status), OTLP JSON
// normalisation (hex or base64 ids, `batches` / `instrumentationLibrarySpans` of older Tempo
// releases), and the GenAI views computed from fetched spans: the list (filters, sort, page),
// conversations, stats and facets. The remote search narrows what is fetched; every filter of the
// query is then checked again here on the fetched spans, so a remote that ignores a parameter
// returns fewer right answers, never a wrong one.

import { summarizeTrace, traceDetail } from '../analysis.js';
import { decodeOtlpJsonObject } from '../otlp/decode-json.js';
import { parseDecimal } from '../query/filters.js';
import { KEY, PICO_PER_USD, STAT_GROUP, indexedAttributes, roundMs, spanFacts } from '../store/derive.js';
import type {
  AttributeFilter,
  AttributeValue,
  ConversationSummary,
  Span,
  StatsRow,
  TraceDetail,
  TracePage,
  TraceQuery,
  TraceSortKey,
  TraceSummary,
} from '../model.js';

/** Options shared by the remote sources. */
export interface RemoteSourceOptions {
  /**
   * Base URL of the remote's HTTP query API, e.g. `http://localhost:16686` (Jaeger's query port) or
   * `http://localhost:3200` (Tempo). A path prefix (a reverse proxy, Grafana's datasource proxy) is kept.
   */
  readonly url: string;
  /** Time limit of one HTTP request to the remote, headers and body (default 10 s). */
  readonly timeoutMs?: number;
  /** Largest response body read from the remote, after decompression (default 64 MiB). */
  readonly maxResponseBytes?: number;
  /**
   * Most traces fetched for one list, conversations or stats query (default 500): the window the
   * views are computed over. A page beyond it is empty; `totalIsLowerBound` tells the window was full.
   */
  readonly maxTraces?: number;
  /** The time window searched when a query gives no `fromMs` (default 7 days before `toMs`/now). */
  readonly lookbackMs?: number;
  /** Parallel requests when traces are fetched one by one (default 8). */
  readonly concurrency?: number;
  /** Services searched one by one when the remote needs a service for a search (default 20). */
  readonly maxServices?: number;
  /** Sent with every request to the remote (e.g. `Authorization`). */
  readonly headers?: Readonly<Record<string, string>>;
}

/** The defaults of {@link RemoteSourceOptions}. */
export const REMOTE_DEFAULTS = Object.freeze({
  timeoutMs: 10_000,
  maxResponseBytes: 64 * 1024 * 1024,
  maxTraces: 500,
  lookbackMs: 7 * 24 * 60 * 60 * 1000,
  concurrency: 8,
  maxServices: 20,
});

/** {@link RemoteSourceOptions} with every default applied and checked. */
export interface ResolvedRemoteOptions {
  readonly url: URL;
  readonly timeoutMs: number;
  readonly maxResponseBytes: number;
  readonly maxTraces: number;
  readonly lookbackMs: number;
  readonly concurrency: number;
  readonly maxServices: number;
  readonly headers: Readonly<Record<string, string>>;
}

/** Checks `options` (a bad one throws a TypeError naming it) and applies the defaults. */
export function resolveRemoteOptions(kind: RemoteKind, options: RemoteSourceOptions): ResolvedRemoteOptions {
  let url: URL;
  try {
    url = new URL(options.url);
  } catch {
    throw new TypeError(
      `${kind} source: url must be an absolute http(s) URL, got ${JSON.stringify(options.url)}`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`${kind} source: url must be http:// or https://, got ${url.protocol}`);
  }
  url.search = '';
  url.hash = '';
  const positive = (name: keyof typeof REMOTE_DEFAULTS): number => {
    const value = options[name] ?? REMOTE_DEFAULTS[name];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new TypeError(`${kind} source: ${name} must be a positive integer, got ${String(value)}`);
    }
    return value;
  };
  return {
    url,
    timeoutMs: positive('timeoutMs'),
    maxResponseBytes: positive('maxResponseBytes'),
    maxTraces: positive('maxTraces'),
    lookbackMs: positive('lookbackMs'),
    concurrency: positive('concurrency'),
    maxServices: positive('maxServices'),
    headers: { ...options.headers },
  };
}

export type RemoteKind = 'jaeger' | 'tempo';

/** Why a request to the remote failed. */
export type RemoteFailure = 'unreachable' | 'timeout' | 'http' | 'bad-response' | 'too-large';

/**
 * A request to the remote query API failed: unreachable, timed out, answered with an HTTP error, a
 * body that is not the JSON expected, or a body over the size limit. The viewer's server answers 502
 * with this message; `statusCode` is that status, `url` the request (credentials removed), `status`
 * the remote's HTTP status when it answered.
 */
export class RemoteSourceError extends Error {
  /** The status the viewer's HTTP API answers with: 502 Bad Gateway. */
  readonly statusCode = 502;
  readonly source: RemoteKind;
  readonly url: string;
  readonly status: number | undefined;
  readonly reason: RemoteFailure;

  constructor(source: RemoteKind, url: string, reason: RemoteFailure, detail: string, status?: number) {
    const what = status === undefined ? reason : `HTTP ${status}`;
    super(`${source} query API ${url}: ${what}: ${detail}`);
    this.name = 'RemoteSourceError';
    this.source = source;
    this.url = url;
    this.status = status;
    this.reason = reason;
  }
}

/** Longest part of a remote's error body quoted in a message. */
const MAX_QUOTED_BODY = 300;
/** Longest URL quoted in a message. */
const MAX_QUOTED_URL = 500;

function quoteUrl(url: URL): string {
  const copy = new URL(url.href);
  copy.username = '';
  copy.password = '';
  const text = copy.href;
  return text.length > MAX_QUOTED_URL ? `${text.slice(0, MAX_QUOTED_URL)}…` : text;
}

function oneLine(text: string, max: number): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** A JSON answer of the remote. */
export interface RemoteAnswer {
  readonly status: number;
  /** Parsed JSON (for a 404: its body when that is JSON, else undefined). */
  readonly body: unknown;
}

/** Bounded GETs of JSON from one remote. */
export class RemoteHttp {
  constructor(
    private readonly kind: RemoteKind,
    private readonly options: ResolvedRemoteOptions,
  ) {}

  /** `path` (starting with `/`) under the base URL, with `params`. */
  url(path: string, params?: Readonly<Record<string, string | undefined>>): URL {
    const base = this.options.url.href.replace(/\/+$/, '');
    const url = new URL(base + path);
    for (const [key, value] of Object.entries(params ?? {})) {
      if (value !== undefined) url.searchParams.set(key, value);
    }
    return url;
  }

  /**
   * GETs `url` and parses its JSON body. A 404 answers `{ status: 404, body }` (Jaeger and Tempo
   * say "no such trace" / "no traces found" that way); any other non-2xx, a network error,
   * the time limit, a body over the size limit or not JSON throw a {@link RemoteSourceError}.
   */
  async getJson(url: URL): Promise<RemoteAnswer> {
    const quoted = quoteUrl(url);
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    const headers: Record<string, string> = { accept: 'application/json', ...this.options.headers };
    const hasAuthorization = Object.keys(headers).some((key) => key.toLowerCase() === 'authorization');
    if (!hasAuthorization && (url.username !== '' || url.password !== '')) {
      headers.authorization = `Basic ${Buffer.from(
        `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`,
      ).toString('base64')}`;
    }
    const target = new URL(url.href);
    target.username = '';
    target.password = '';
    let response: Response;
    try {
      response = await fetch(target, { headers, signal, redirect: 'follow' });
    } catch (error) {
      throw this.failure(quoted, error, signal);
    }
    let text: string;
    try {
      text = await this.readBody(response, quoted);
    } catch (error) {
      if (error instanceof RemoteSourceError) throw error;
      throw this.failure(quoted, error, signal);
    }
    if (response.status === 404) {
      let body: unknown;
      try {
        body = JSON.parse(text) as unknown;
      } catch {
        body = undefined;
      }
      return { status: 404, body };
    }
    if (response.status < 200 || response.status > 299) {
      const detail = oneLine(text, MAX_QUOTED_BODY) || response.statusText || 'no body';
      throw new RemoteSourceError(this.kind, quoted, 'http', detail, response.status);
    }
    try {
      return { status: response.status, body: JSON.parse(text) as unknown };
    } catch (error) {
      throw new RemoteSourceError(
        this.kind,
        quoted,
        'bad-response',
        `the body is not JSON (${(error as Error).message}): ${oneLine(text, 80)}`,
        response.status,
      );
    }
  }

  private async readBody(response: Response, quoted: string): Promise<string> {
    const max = this.options.maxResponseBytes;
    const declared = Number(response.headers.get('content-length'));
    const tooLarge = (): RemoteSourceError =>
      new RemoteSourceError(
        this.kind,
        quoted,
        'too-large',
        `the response is larger than ${max} bytes; narrow the query (a service, a shorter time range) or lower maxTraces`,
        response.status,
      );
    if (Number.isFinite(declared) && declared > max && response.headers.get('content-encoding') === null) {
      await response.body?.cancel().catch(() => undefined);
      throw tooLarge();
    }
    if (response.body === null) return '';
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > max) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(value);
    }
    return Buffer.concat(chunks, total).toString('utf8');
  }

  private failure(quoted: string, error: unknown, signal: AbortSignal): RemoteSourceError {
    if (signal.aborted) {
      return new RemoteSourceError(
        this.kind,
        quoted,
        'timeout',
        `no complete answer within ${this.options.timeoutMs} ms`,
      );
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = cause?.code ?? cause?.message ?? (error as Error).message ?? String(error);
    return new RemoteSourceError(
      this.kind,
      quoted,
      'unreachable',
      oneLine(`cannot connect (${detail})`, 300),
    );
  }
}

/** Runs `task` over `items` with at most `limit` at a time; results in input order. */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

// ---------------------------------------------------------------------------------------------
// OTLP JSON as remotes return it → the shape the receiver's JSON decoder reads.

const HEX_ID = /^[0-9a-fA-F]+$/;

/** A trace or span id as hex: hex as is (lower-cased), base64 (protobuf JSON mapping) decoded. */
export function idToHex(id: unknown, bytes: 8 | 16): unknown {
  if (typeof id !== 'string' || id === '') return id;
  if (id.length === bytes * 2 && HEX_ID.test(id)) return id.toLowerCase();
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(id)) {
    const decoded = Buffer.from(id, 'base64');
    if (decoded.length === bytes) return decoded.toString('hex');
  }
  return id;
}

/** A hex trace id of 32 characters (Tempo's search drops leading zeros), or undefined. */
export function normalizeTraceId(id: unknown): string | undefined {
  if (typeof id !== 'string') return undefined;
  const hex = idToHex(id, 16);
  if (typeof hex === 'string' && HEX_ID.test(hex) && hex.length <= 32)
    return hex.toLowerCase().padStart(32, '0');
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The `resourceSpans` of an OTLP JSON document in the form of an OTLP/JSON export request: accepts
 * `resourceSpans` or `batches` (Tempo), `scopeSpans` or `instrumentationLibrarySpans` (older
 * releases), ids as hex or base64. Anything else is left for the decoder to judge.
 */
export function normalizeOtlpTraces(document: unknown): { resourceSpans: unknown[] } {
  if (!isObject(document)) return { resourceSpans: [] };
  const list = document.resourceSpans ?? document.batches;
  if (!Array.isArray(list)) return { resourceSpans: [] };
  return {
    resourceSpans: list.map((resourceSpans: unknown) => {
      if (!isObject(resourceSpans)) return resourceSpans;
      const { instrumentationLibrarySpans, scopeSpans, ...rest } = resourceSpans;
      const scopes = scopeSpans ?? instrumentationLibrarySpans;
      return {
        ...rest,
        scopeSpans: Array.isArray(scopes)
          ? scopes.map((scope: unknown) => {
              if (!isObject(scope)) return scope;
              const { instrumentationLibrary, scope: scopeInfo, spans, ...scopeRest } = scope;
              return {
                ...scopeRest,
                ...(scopeInfo !== undefined || instrumentationLibrary !== undefined
                  ? { scope: scopeInfo ?? instrumentationLibrary }
                  : {}),
                spans: Array.isArray(spans) ? spans.map(normalizeSpanIds) : spans,
              };
            })
          : scopes,
      };
    }),
  };
}

function normalizeSpanIds(span: unknown): unknown {
  if (!isObject(span)) return span;
  const out: Record<string, unknown> = { ...span };
  out.traceId = idToHex(span.traceId, 16);
  out.spanId = idToHex(span.spanId, 8);
  if (span.parentSpanId !== undefined) out.parentSpanId = idToHex(span.parentSpanId, 8);
  if (Array.isArray(span.links)) {
    out.links = span.links.map((link: unknown) =>
      isObject(link)
        ? { ...link, traceId: idToHex(link.traceId, 16), spanId: idToHex(link.spanId, 8) }
        : link,
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Views over fetched traces.

/** One fetched trace: its spans and their summary. */
export interface FetchedTrace {
  readonly summary: TraceSummary;
  readonly spans: readonly Span[];
}

/** Spans grouped by trace id, each trace summarised; a span seen twice (same ids) is kept once. */
export function toTraces(spans: readonly Span[]): FetchedTrace[] {
  const byTrace = new Map<string, Map<string, Span>>();
  for (const span of spans) {
    let trace = byTrace.get(span.traceId);
    if (trace === undefined) byTrace.set(span.traceId, (trace = new Map()));
    if (!trace.has(span.spanId)) trace.set(span.spanId, span);
  }
  return [...byTrace.values()].map((trace) => {
    const list = [...trace.values()];
    return { summary: summarizeTrace(list), spans: list };
  });
}

/** Spans in start order (then end order); ties keep their order. */
export function sortSpans(spans: readonly Span[]): Span[] {
  const compare = (a: string, b: string): number => {
    const d = BigInt(a) - BigInt(b);
    return d === 0n ? 0 : d < 0n ? -1 : 1;
  };
  return [...spans].sort(
    (a, b) =>
      compare(a.startTimeUnixNano, b.startTimeUnixNano) || compare(a.endTimeUnixNano, b.endTimeUnixNano),
  );
}

/** Merges trace lists (the same trace fetched twice: the copy with more spans wins). */
export function mergeTraces(lists: readonly (readonly FetchedTrace[])[]): FetchedTrace[] {
  const byId = new Map<string, FetchedTrace>();
  for (const list of lists) {
    for (const trace of list) {
      const seen = byId.get(trace.summary.traceId);
      if (seen === undefined || seen.spans.length < trace.spans.length)
        byId.set(trace.summary.traceId, trace);
    }
  }
  return [...byId.values()];
}

function stringValue(value: AttributeValue | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function someSpan(trace: FetchedTrace, test: (span: Span) => boolean): boolean {
  return trace.spans.some(test);
}

/** Some span has one of `keys` with the text `value`. */
function someAttribute(trace: FetchedTrace, value: string, ...keys: string[]): boolean {
  return someSpan(trace, (span) =>
    keys.some((key) => Object.hasOwn(span.attributes, key) && span.attributes[key] === value),
  );
}

/** What `key = value` matches (as the local store): the text, and the number when it is a decimal. */
function equalValues(value: string): (string | number)[] {
  const n = parseDecimal(value);
  return n === undefined ? [value] : [value, n];
}

/** The values a span (attributes, resource, service) has for `key`, as the store indexes them. */
function indexedValues(span: Span, key: string): (string | number)[] {
  const values: (string | number)[] = [];
  for (const [k, v] of indexedAttributes(span)) if (k === key) values.push(v);
  return values;
}

/**
 * Whether the trace satisfies `filter`, with the local store's semantics (see query/sql.ts): `=`,
 * `>`, `>=`, `<`, `<=`, `exists`: some span (its attributes, its resource's, its service name) has
 * the key with such a value; `!=`: no span has the key with that value. `=` matches the text, and
 * the number when the text is a decimal number; numeric conditions match number values only.
 * Content attributes (messages, tool arguments and results, retrieval) and values longer than 256
 * characters never match, as they are not indexed.
 */
export function matchesAttributeFilter(trace: FetchedTrace, filter: AttributeFilter): boolean {
  const has = (test: (value: string | number) => boolean): boolean =>
    someSpan(trace, (span) => indexedValues(span, filter.key).some(test));
  switch (filter.op) {
    case 'exists':
      return has(() => true);
    case '=': {
      const values = equalValues(filter.value);
      return has((v) => values.includes(v));
    }
    case '!=': {
      const values = equalValues(filter.value);
      return !has((v) => values.includes(v));
    }
    case '>': {
      const bound = filter.value;
      return has((v) => typeof v === 'number' && v > bound);
    }
    case '>=': {
      const bound = filter.value;
      return has((v) => typeof v === 'number' && v >= bound);
    }
    case '<': {
      const bound = filter.value;
      return has((v) => typeof v === 'number' && v < bound);
    }
    case '<=': {
      const bound = filter.value;
      return has((v) => typeof v === 'number' && v <= bound);
    }
  }
}

/**
 * Whether a fetched trace satisfies every filter of `query` (sort and page aside), with the local
 * store's semantics: service, operation, span kind, model (request or response), provider
 * (`gen_ai.provider.name` or `gen_ai.system`), agent and tool on some span; name, conversation id,
 * status, duration, tokens (input + output), cost (a trace without cost matches no cost bound) and
 * start time on the trace's summary.
 */
export function matchesQuery(trace: FetchedTrace, query: TraceQuery): boolean {
  const s = trace.summary;
  if (query.traceId !== undefined && s.traceId !== query.traceId.toLowerCase()) return false;
  if (query.service !== undefined && !someSpan(trace, (span) => span.serviceName === query.service))
    return false;
  if (query.name !== undefined && s.name !== query.name) return false;
  if (query.conversationId !== undefined && s.conversationId !== query.conversationId) return false;
  if (query.operation !== undefined && !someAttribute(trace, query.operation, KEY.operation)) return false;
  if (query.spanKind !== undefined && !someAttribute(trace, query.spanKind, KEY.spanKind)) return false;
  if (query.model !== undefined && !someAttribute(trace, query.model, KEY.requestModel, KEY.responseModel)) {
    return false;
  }
  if (
    query.provider !== undefined &&
    !someAttribute(trace, query.provider, KEY.provider, KEY.legacyProvider)
  ) {
    return false;
  }
  if (query.agent !== undefined && !someAttribute(trace, query.agent, KEY.agent)) return false;
  if (query.tool !== undefined && !someAttribute(trace, query.tool, KEY.tool)) return false;
  if (query.status === 'error' && s.errorCount === 0) return false;
  if (query.status === 'ok' && s.errorCount > 0) return false;
  const within = (value: number | undefined, min: number | undefined, max: number | undefined): boolean =>
    (min === undefined || (value !== undefined && value >= min)) &&
    (max === undefined || (value !== undefined && value <= max));
  if (!within(s.durationMs, query.minDurationMs, query.maxDurationMs)) return false;
  if (!within(s.inputTokens + s.outputTokens, query.minTokens, query.maxTokens)) return false;
  if (!within(s.costUsd, query.minCostUsd, query.maxCostUsd)) return false;
  if (!within(s.startMs, query.fromMs, query.toMs)) return false;
  for (const filter of query.attributes ?? []) {
    if (!matchesAttributeFilter(trace, filter)) return false;
  }
  return true;
}

function sortValue(s: TraceSummary, key: TraceSortKey): number | string | undefined {
  switch (key) {
    case 'start':
      return s.startMs;
    case 'duration':
      return s.durationMs;
    case 'spans':
      return s.spanCount;
    case 'tokens':
      return s.inputTokens + s.outputTokens;
    case 'cost':
      return s.costUsd;
    case 'errors':
      return s.errorCount;
    case 'name':
      return s.name;
  }
}

/**
 * Sorts summaries by `sort` (default `start`) then start time, both in `order` (default `desc`),
 * as the local store: a trace without cost sorts below every cost (SQL's NULL).
 */
export function sortSummaries(
  summaries: readonly TraceSummary[],
  sort: TraceSortKey = 'start',
  order: 'asc' | 'desc' = 'desc',
): TraceSummary[] {
  const sign = order === 'asc' ? 1 : -1;
  const compare = (va: number | string | undefined, vb: number | string | undefined): number => {
    if (va === vb) return 0;
    if (va === undefined) return -1;
    if (vb === undefined) return 1;
    return va < vb ? -1 : 1;
  };
  return [...summaries].sort(
    (a, b) =>
      sign *
      (compare(sortValue(a, sort), sortValue(b, sort)) ||
        compare(a.startMs, b.startMs) ||
        compare(a.traceId, b.traceId)),
  );
}

/** Page size bounds of the list (as the local store). */
export const MAX_PAGE = 500;
export const DEFAULT_PAGE = 50;

/** The page of `query` over the fetched traces; `windowFull` when the remote may hold more. */
export function pageOf(traces: readonly FetchedTrace[], query: TraceQuery, windowFull: boolean): TracePage {
  const matching = traces.filter((trace) => matchesQuery(trace, query)).map((trace) => trace.summary);
  const sorted = sortSummaries(matching, query.sort, query.order);
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? DEFAULT_PAGE), 1), MAX_PAGE);
  const offset = Math.max(Math.trunc(query.offset ?? 0), 0);
  return {
    traces: sorted.slice(offset, offset + limit),
    total: sorted.length,
    ...(windowFull ? { totalIsLowerBound: true } : {}),
  };
}

/** Conversations (traces grouped by conversation id), most recent first, paged. */
export function conversationsOf(
  traces: readonly FetchedTrace[],
  query: {
    readonly fromMs?: number;
    readonly toMs?: number;
    readonly limit?: number;
    readonly offset?: number;
  },
): { conversations: ConversationSummary[]; total: number } {
  const groups = new Map<string, TraceSummary[]>();
  for (const { summary } of traces) {
    if (summary.conversationId === undefined) continue;
    if (query.fromMs !== undefined && summary.startMs < query.fromMs) continue;
    if (query.toMs !== undefined && summary.startMs > query.toMs) continue;
    const list = groups.get(summary.conversationId) ?? [];
    list.push(summary);
    groups.set(summary.conversationId, list);
  }
  const conversations = [...groups].map(([conversationId, list]): ConversationSummary => {
    const costs = list.map((s) => s.costUsd).filter((c): c is number => c !== undefined);
    return {
      conversationId,
      traceCount: list.length,
      firstStartMs: Math.min(...list.map((s) => s.startMs)),
      lastStartMs: Math.max(...list.map((s) => s.startMs)),
      inputTokens: list.reduce((sum, s) => sum + s.inputTokens, 0),
      outputTokens: list.reduce((sum, s) => sum + s.outputTokens, 0),
      ...(costs.length > 0 ? { costUsd: costs.reduce((sum, c) => sum + c, 0) } : {}),
      errorCount: list.reduce((sum, s) => sum + s.errorCount, 0),
      services: [...new Set(list.map((s) => s.serviceName))].sort(),
    };
  });
  conversations.sort(
    (a, b) => b.lastStartMs - a.lastStartMs || (a.conversationId < b.conversationId ? -1 : 1),
  );
  const limit = Math.min(Math.max(Math.trunc(query.limit ?? DEFAULT_PAGE), 1), MAX_PAGE);
  const offset = Math.max(Math.trunc(query.offset ?? 0), 0);
  return { conversations: conversations.slice(offset, offset + limit), total: conversations.length };
}

/** The value at quantile `q` (0..1), nearest rank, of sorted `values`. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

const GROUP_NAMES: Readonly<Record<number, StatsRow['group']>> = {
  [STAT_GROUP.model]: 'model',
  [STAT_GROUP.agent]: 'agent',
  [STAT_GROUP.tool]: 'tool',
};

/**
 * Per model, agent and tool (the local store's grouping of spans: `spanFacts` in store/derive.ts)
 * over the spans of the traces that start in the window: count, p50/p95 span duration (nearest rank), the spans'
 * own input/output tokens, cost, error rate.
 */
export function statsOf(
  traces: readonly FetchedTrace[],
  window: { fromMs?: number; toMs?: number },
): StatsRow[] {
  interface Acc {
    durations: number[];
    input: number;
    output: number;
    costPico: number | undefined;
    errors: number;
  }
  const groups = new Map<string, Acc>();
  for (const trace of traces) {
    if (window.fromMs !== undefined && trace.summary.startMs < window.fromMs) continue;
    if (window.toMs !== undefined && trace.summary.startMs > window.toMs) continue;
    for (const span of trace.spans) {
      const facts = spanFacts(span);
      const group = GROUP_NAMES[facts.statGroup];
      if (group === undefined || facts.statKey === undefined) continue;
      const id = `${group}\u0000${facts.statKey}`;
      let acc = groups.get(id);
      if (acc === undefined)
        groups.set(id, (acc = { durations: [], input: 0, output: 0, costPico: undefined, errors: 0 }));
      acc.durations.push(facts.durationMs);
      acc.input += facts.inputTokens;
      acc.output += facts.outputTokens;
      if (facts.costPico !== undefined) acc.costPico = (acc.costPico ?? 0) + facts.costPico;
      if (facts.isError) acc.errors++;
    }
  }
  const order: Record<StatsRow['group'], number> = { model: 0, agent: 1, tool: 2 };
  return [...groups]
    .map(([id, acc]): StatsRow => {
      const [group, key] = id.split('\u0000') as [StatsRow['group'], string];
      const sorted = acc.durations.sort((x, y) => x - y);
      return {
        group,
        key,
        count: sorted.length,
        p50Ms: roundMs(quantile(sorted, 0.5)),
        p95Ms: roundMs(quantile(sorted, 0.95)),
        inputTokens: acc.input,
        outputTokens: acc.output,
        ...(acc.costPico !== undefined ? { costUsd: acc.costPico / PICO_PER_USD } : {}),
        errorRate: sorted.length === 0 ? 0 : acc.errors / sorted.length,
      };
    })
    .sort((a, b) => order[a.group] - order[b.group] || b.count - a.count || (a.key < b.key ? -1 : 1));
}

/** Facet names of {@link TraceSource.facets}. */
export type FacetName = 'services' | 'models' | 'providers' | 'agents' | 'tools' | 'operations';
export type Facets = Readonly<Record<FacetName, readonly string[]>>;

/** Most values listed per facet. */
export const MAX_FACET_VALUES = 200;

/** Sorted distinct values, at most {@link MAX_FACET_VALUES}. */
export function facetList(values: Iterable<string>): string[] {
  return [...new Set(values)]
    .filter((v) => v !== '')
    .sort()
    .slice(0, MAX_FACET_VALUES);
}

/** The facets seen in fetched traces. */
export function facetsOf(traces: readonly FetchedTrace[]): Facets {
  const sets: Record<FacetName, Set<string>> = {
    services: new Set(),
    models: new Set(),
    providers: new Set(),
    agents: new Set(),
    tools: new Set(),
    operations: new Set(),
  };
  const put = (set: Set<string>, value: AttributeValue | undefined): void => {
    const text = stringValue(value);
    if (text !== undefined) set.add(text);
  };
  for (const trace of traces) {
    for (const span of trace.spans) {
      const a = span.attributes;
      put(sets.services, span.serviceName);
      put(sets.models, a['gen_ai.request.model']);
      put(sets.models, a['gen_ai.response.model']);
      put(sets.providers, a['gen_ai.provider.name']);
      put(sets.providers, a['gen_ai.system']);
      put(sets.agents, a['gen_ai.agent.name']);
      put(sets.tools, a['gen_ai.tool.name']);
      put(sets.operations, a['gen_ai.operation.name']);
    }
  }
  return {
    services: facetList(sets.services),
    models: facetList(sets.models),
    providers: facetList(sets.providers),
    agents: facetList(sets.agents),
    tools: facetList(sets.tools),
    operations: facetList(sets.operations),
  };
}

/** The time window of a query: `[fromMs ?? toMs - lookback, toMs ?? now]`. */
export function windowOf(
  query: { fromMs?: number; toMs?: number },
  lookbackMs: number,
): { fromMs: number; toMs: number } {
  const toMs = query.toMs ?? Date.now();
  return { fromMs: query.fromMs ?? toMs - lookbackMs, toMs };
}

/** True for a 32-hex-character trace id (any case). */
export function isTraceId(id: string): boolean {
  return /^[0-9a-fA-F]{32}$/.test(id);
}

// ---------------------------------------------------------------------------------------------
// Parts of the Jaeger and Tempo sources themselves.

/** Control characters: text holding one is not put into a remote search. */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** The remote's URL as the viewer shows it: without credentials or a trailing slash. */
export function shownUrl(url: URL): string {
  const shown = new URL(url.href);
  shown.username = '';
  shown.password = '';
  return shown.href.replace(/\/+$/, '');
}

/** A trace by id as the detail view shows it, or undefined for a trace the remote does not have. */
export function detailOf(trace: FetchedTrace | undefined): TraceDetail | undefined {
  return trace === undefined ? undefined : traceDetail(trace.spans);
}

/** The page of a query by trace id: that trace, if the remote has it and it matches the query. */
export function pageOfTrace(trace: FetchedTrace | undefined, query: TraceQuery): TracePage {
  return pageOf(trace === undefined ? [] : [trace], query, false);
}

/** OTLP JSON from a remote → traces, through the receiver's decoder (its errors: a bad response). */
export function decodeRemoteTraces(
  kind: RemoteKind,
  url: URL,
  document: unknown,
  status: number,
): FetchedTrace[] {
  let spans: Span[];
  try {
    spans = decodeOtlpJsonObject(normalizeOtlpTraces(document));
  } catch (error) {
    throw new RemoteSourceError(kind, url.href, 'bad-response', (error as Error).message, status);
  }
  return toTraces(spans);
}

/** How long the facets are reused before they are fetched again. */
export const FACETS_TTL_MS = 30_000;

/** The facets, read once and reused for {@link FACETS_TTL_MS}; a failed read is not kept. */
export class FacetsCache {
  private cached: { at: number; value: Promise<Facets> } | undefined;

  constructor(private readonly read: () => Promise<Facets>) {}

  get(): Promise<Facets> {
    const now = Date.now();
    if (this.cached === undefined || now - this.cached.at > FACETS_TTL_MS) {
      const value = this.read();
      value.catch(() => {
        if (this.cached?.value === value) this.cached = undefined;
      });
      this.cached = { at: now, value };
    }
    return this.cached.value;
  }

  clear(): void {
    this.cached = undefined;
  }
}
