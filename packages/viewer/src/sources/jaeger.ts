// A TraceSource over Jaeger's HTTP query API (Jaeger v2, and v1 query services with /api/v3):
//   GET /api/v3/traces?query.*      search; whole traces as OTLP JSON ({"result":{"resourceSpans":[…]}})
//   GET /api/v3/traces/{id}         one trace, OTLP JSON
//   GET /api/v3/services            the services
//   GET /api/traces?service&tags    Jaeger's UI search, used only for the trace ids of an attribute
//                                   search: /api/v3's HTTP search ignores attributes (checked in the source of
//                                   github.com/jaegertracing/jaeger v1.76.0, the module built here:
//                                   its gateway leaves them empty), the UI search does not.
// Spans are decoded by the receiver's OTLP/JSON decoder (same bounds) and the GenAI views computed
// from them (see remote.ts). Which filters narrow the remote search and which are only applied to
// the fetched traces: see the README's table (and `jaegerSearchPlan`).

import type { TraceDetail, TracePage, TraceQuery, TraceSource } from '../model.js';
import { parseDecimal } from '../query/filters.js';
import {
  RemoteHttp,
  RemoteSourceError,
  CONTROL_CHARS,
  FacetsCache,
  decodeRemoteTraces,
  detailOf,
  shownUrl,
  conversationsOf,
  facetList,
  facetsOf,
  isTraceId,
  mapLimit,
  mergeTraces,
  normalizeTraceId,
  pageOf,
  pageOfTrace,
  resolveRemoteOptions,
  statsOf,
  windowOf,
  type Facets,
  type FetchedTrace,
  type RemoteSourceOptions,
  type ResolvedRemoteOptions,
} from './remote.js';

/** Options of {@link JaegerSource}: the base URL of Jaeger's query service (port 16686 by default). */
export type JaegerSourceOptions = RemoteSourceOptions;

/** One attribute condition Jaeger can search for (`key = value` on some span). */
export interface JaegerTag {
  readonly key: string;
  readonly value: string;
}

/** What of a query goes to Jaeger's search. Every filter is checked again on the fetched traces. */
export interface JaegerSearchPlan {
  readonly service?: string;
  readonly fromMs: number;
  readonly toMs: number;
  /** Microseconds; Jaeger matches them on one span (with the service), see the README. */
  readonly minDurationUs?: number;
  readonly maxDurationUs?: number;
  /** One `key = value` condition for the UI search's `tags` (its trace ids), when the query has one. */
  readonly tag?: JaegerTag;
}

/** The `key = value` conditions of a query, in the order the search prefers them. */
function tagCandidates(query: TraceQuery): JaegerTag[] {
  const tags: JaegerTag[] = [];
  for (const filter of query.attributes ?? []) {
    if (filter.op !== '=') continue;
    // Jaeger compares the text of a value: `42.0` would miss 42, which the local store matches.
    const n = parseDecimal(filter.value);
    if (n === undefined || String(n) === filter.value) tags.push({ key: filter.key, value: filter.value });
  }
  // (The provider is two keys, gen_ai.provider.name or gen_ai.system: not one tag.)
  const named: [string, string | undefined][] = [
    ['gen_ai.conversation.id', query.conversationId],
    ['gen_ai.agent.name', query.agent],
    ['gen_ai.tool.name', query.tool],
    ['agent_otel.span.kind', query.spanKind],
    ['gen_ai.operation.name', query.operation],
  ];
  for (const [key, value] of named) if (value !== undefined) tags.push({ key, value });
  // `error` is Jaeger's status filter, not an attribute; control characters do not survive a search.
  return tags.filter(
    (tag) => tag.key !== 'error' && !CONTROL_CHARS.test(tag.key) && !CONTROL_CHARS.test(tag.value),
  );
}

/**
 * What of `query` Jaeger's search is asked for: the service, the time window, the trace duration
 * bounds (without an attribute condition: Jaeger checks them on one span together with the
 * attributes) and at most one attribute condition (Jaeger needs all of its conditions on one span;
 * two conditions of the query may hold on two spans); `attributes: false` leaves attributes out.
 */
export function jaegerSearchPlan(
  query: TraceQuery,
  lookbackMs: number,
  options: { readonly attributes?: boolean } = {},
): JaegerSearchPlan {
  const { fromMs, toMs } = windowOf(query, lookbackMs);
  const tag = options.attributes === false ? undefined : tagCandidates(query)[0];
  return {
    ...(query.service !== undefined ? { service: query.service } : {}),
    fromMs,
    toMs,
    ...(tag === undefined && query.minDurationMs !== undefined && query.minDurationMs > 0
      ? { minDurationUs: Math.floor(query.minDurationMs * 1000) }
      : {}),
    ...(tag === undefined && query.maxDurationMs !== undefined
      ? { maxDurationUs: Math.ceil(query.maxDurationMs * 1000) }
      : {}),
    ...(tag !== undefined ? { tag } : {}),
  };
}

/** True for Jaeger's own "nothing found" 404 (a JSON error body), not a 404 of another server. */
function isJaegerNotFound(body: unknown): boolean {
  const error = (body as { error?: { httpCode?: unknown } } | undefined)?.error;
  return typeof error === 'object' && error !== null && Number(error.httpCode) === 404;
}

/** Traces read for the facets (models, agents, ... of recent traces). */
const FACETS_TRACES = 200;

/** A {@link TraceSource} reading a Jaeger cluster through its HTTP query API. */
export class JaegerSource implements TraceSource {
  readonly description: { readonly kind: 'jaeger'; readonly url: string };
  private readonly options: ResolvedRemoteOptions;
  private readonly http: RemoteHttp;
  /** Set when a search without a service was refused (Cassandra, Elasticsearch, Badger backends). */
  private needsService = false;
  private readonly facetsCache = new FacetsCache(() => this.readFacets());

  constructor(options: JaegerSourceOptions) {
    this.options = resolveRemoteOptions('jaeger', options);
    this.http = new RemoteHttp('jaeger', this.options);
    this.description = { kind: 'jaeger', url: shownUrl(this.options.url) };
  }

  async listTraces(query: TraceQuery): Promise<TracePage> {
    if (query.traceId !== undefined) {
      return pageOfTrace(await this.fetchTrace(query.traceId), query);
    }
    const { traces, full } = await this.window(query, this.options.maxTraces);
    return pageOf(traces, query, full);
  }

  async getTrace(traceId: string): Promise<TraceDetail | undefined> {
    return detailOf(await this.fetchTrace(traceId));
  }

  async listConversations(
    query: Parameters<TraceSource['listConversations']>[0],
  ): ReturnType<TraceSource['listConversations']> {
    const window = {
      ...(query.fromMs !== undefined ? { fromMs: query.fromMs } : {}),
      ...(query.toMs !== undefined ? { toMs: query.toMs } : {}),
    };
    const { traces } = await this.window(window, this.options.maxTraces);
    return conversationsOf(traces, query);
  }

  async stats(query: { readonly fromMs?: number; readonly toMs?: number }): ReturnType<TraceSource['stats']> {
    const window = windowOf(query, this.options.lookbackMs);
    const { traces } = await this.window(window, this.options.maxTraces);
    return statsOf(traces, window);
  }

  facets(): Promise<Facets> {
    return this.facetsCache.get();
  }

  async close(): Promise<void> {
    this.facetsCache.clear();
  }

  private async readFacets(): Promise<Facets> {
    const [services, recent] = await Promise.all([
      this.services(),
      this.window({}, Math.min(FACETS_TRACES, this.options.maxTraces)),
    ]);
    const seen = facetsOf(recent.traces);
    return { ...seen, services: facetList([...services, ...seen.services]) };
  }

  /** The services Jaeger knows (`GET /api/v3/services`). */
  async services(): Promise<string[]> {
    const url = this.http.url('/api/v3/services');
    const answer = await this.http.getJson(url);
    if (answer.status === 404) {
      throw notJaeger(url);
    }
    const services = (answer.body as { services?: unknown } | null)?.services;
    if (services !== undefined && services !== null && !Array.isArray(services)) {
      throw new RemoteSourceError(
        'jaeger',
        url.href,
        'bad-response',
        '"services" is not a list',
        answer.status,
      );
    }
    return (services ?? []).filter((s): s is string => typeof s === 'string');
  }

  /** One trace by id, or undefined when Jaeger does not have it. */
  private async fetchTrace(traceId: string): Promise<FetchedTrace | undefined> {
    if (!isTraceId(traceId)) return undefined;
    const url = this.http.url(`/api/v3/traces/${traceId.toLowerCase()}`, { raw_traces: 'true' });
    const answer = await this.http.getJson(url);
    if (answer.status === 404) {
      if (isJaegerNotFound(answer.body)) return undefined;
      throw notJaeger(url);
    }
    const traces = this.decode(url, answer.body, answer.status);
    return traces.find((trace) => trace.summary.traceId === traceId.toLowerCase());
  }

  /**
   * The traces the query's remote part selects, most recent first, at most `max`; `full` when the
   * remote may hold more (a search returned its limit, or the services searched were capped).
   */
  private async window(query: TraceQuery, max: number): Promise<{ traces: FetchedTrace[]; full: boolean }> {
    let plan = jaegerSearchPlan(query, this.options.lookbackMs);
    if (plan.tag !== undefined) {
      // The UI search takes one service at a time: with no service in the query, each service, as
      // long as there are at most maxServices of them; else the plain search of the time window.
      const services = plan.service !== undefined ? [plan.service] : await this.services();
      if (services.length <= this.options.maxServices) return this.windowByTag(plan, plan.tag, services, max);
      plan = jaegerSearchPlan(query, this.options.lookbackMs, { attributes: false });
    }
    if (plan.service !== undefined || !this.needsService) {
      try {
        const traces = await this.search(plan, plan.service, max);
        return { traces, full: traces.length >= max };
      } catch (error) {
        if (plan.service !== undefined || !needsServiceError(error)) throw error;
        this.needsService = true;
      }
    }
    // The backend searches one service at a time: search each (bounded) and keep the most recent.
    const all = await this.services();
    const services = all.slice(0, this.options.maxServices);
    const lists = await mapLimit(services, Math.min(4, this.options.concurrency), (service) =>
      this.search(plan, service, max),
    );
    const merged = mostRecent(mergeTraces(lists), max);
    return {
      traces: merged,
      full: all.length > services.length || lists.some((list) => list.length >= max) || merged.length >= max,
    };
  }

  /** `GET /api/v3/traces` with the plan's service, window and duration bounds. */
  private async search(
    plan: JaegerSearchPlan,
    service: string | undefined,
    max: number,
  ): Promise<FetchedTrace[]> {
    const url = this.http.url('/api/v3/traces', {
      'query.service_name': service,
      'query.start_time_min': new Date(plan.fromMs).toISOString(),
      'query.start_time_max': new Date(plan.toMs).toISOString(),
      'query.num_traces': String(max),
      'query.duration_min': plan.minDurationUs !== undefined ? `${plan.minDurationUs}us` : undefined,
      'query.duration_max': plan.maxDurationUs !== undefined ? `${plan.maxDurationUs}us` : undefined,
      'query.raw_traces': 'true',
    });
    const answer = await this.http.getJson(url);
    if (answer.status === 404) {
      if (isJaegerNotFound(answer.body)) return [];
      throw notJaeger(url);
    }
    return this.decode(url, answer.body, answer.status);
  }

  /**
   * An attribute search: trace ids from Jaeger's UI search (`/api/traces?service&tags`) for each
   * of `services` (that API needs one), then each trace from `/api/v3/traces/{id}`.
   */
  private async windowByTag(
    plan: JaegerSearchPlan,
    tag: JaegerTag,
    services: readonly string[],
    max: number,
  ): Promise<{ traces: FetchedTrace[]; full: boolean }> {
    const found = await mapLimit(services, Math.min(4, this.options.concurrency), (service) =>
      this.traceIdsByTag(plan, service, tag, max),
    );
    const startOf = new Map<string, number>();
    for (const list of found) {
      for (const { traceId, startUs } of list) {
        startOf.set(traceId, Math.min(startOf.get(traceId) ?? Infinity, startUs));
      }
    }
    const ids = [...startOf].sort((a, b) => b[1] - a[1]).map(([id]) => id);
    const chosen = ids.slice(0, max);
    const traces = await mapLimit(chosen, this.options.concurrency, (id) => this.fetchTrace(id));
    return {
      traces: traces.filter((trace): trace is FetchedTrace => trace !== undefined),
      full: found.some((list) => list.length >= max) || ids.length > max,
    };
  }

  private async traceIdsByTag(
    plan: JaegerSearchPlan,
    service: string,
    tag: JaegerTag,
    max: number,
  ): Promise<{ traceId: string; startUs: number }[]> {
    const url = this.http.url('/api/traces', {
      service,
      tags: JSON.stringify({ [tag.key]: tag.value }),
      start: String(Math.floor(plan.fromMs * 1000)),
      end: String(Math.ceil(plan.toMs * 1000)),
      limit: String(max),
    });
    const answer = await this.http.getJson(url);
    if (answer.status === 404) return [];
    const data = (answer.body as { data?: unknown } | null)?.data;
    if (data === null || data === undefined) return [];
    if (!Array.isArray(data)) {
      throw new RemoteSourceError(
        'jaeger',
        url.href,
        'bad-response',
        '"data" is not a list of traces',
        answer.status,
      );
    }
    const out: { traceId: string; startUs: number }[] = [];
    for (const trace of data as { traceID?: unknown; spans?: { startTime?: unknown }[] }[]) {
      const traceId = normalizeTraceId(trace?.traceID);
      if (traceId === undefined) continue;
      const starts = (Array.isArray(trace.spans) ? trace.spans : [])
        .map((span) => Number(span?.startTime))
        .filter(Number.isFinite);
      out.push({ traceId, startUs: starts.length > 0 ? Math.min(...starts) : 0 });
    }
    return out;
  }

  /** `{"result": {"resourceSpans": […]}}` → traces, through the receiver's decoder. */
  private decode(url: URL, body: unknown, status: number): FetchedTrace[] {
    const result = (body as { result?: unknown } | null)?.result;
    if (typeof result !== 'object' || result === null) {
      throw new RemoteSourceError(
        'jaeger',
        url.href,
        'bad-response',
        'no "result" object in the answer',
        status,
      );
    }
    return decodeRemoteTraces('jaeger', url, result, status);
  }
}

/** A 404 that is not Jaeger's: the URL is probably not its query API. */
function notJaeger(url: URL): RemoteSourceError {
  return new RemoteSourceError(
    'jaeger',
    url.href,
    'http',
    'not found: is this the Jaeger query API (port 16686)?',
    404,
  );
}

/** True for a search refused because it names no service (Cassandra, Elasticsearch, Badger). */
function needsServiceError(error: unknown): boolean {
  return (
    error instanceof RemoteSourceError &&
    error.reason === 'http' &&
    (error.status === 400 || error.status === 500) &&
    /service/i.test(error.message)
  );
}

/** The `max` traces that started last. */
function mostRecent(traces: readonly FetchedTrace[], max: number): FetchedTrace[] {
  return [...traces].sort((a, b) => b.summary.startMs - a.summary.startMs).slice(0, max);
}
