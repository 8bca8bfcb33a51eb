// A TraceSource over Grafana Tempo's HTTP API (https://grafana.com/docs/tempo/latest/api_docs/):
//   GET /api/search?q=<TraceQL>&start&end&limit&spss     trace ids of the traces matching a query
//   GET /api/v2/traces/{id}   one trace, OTLP JSON ({"trace": {"resourceSpans"|"batches": […]}});
//                             /api/traces/{id} when the v2 endpoint is missing (older releases)
//   GET /api/v2/search/tag/{scope.name}/values                 facet values (v1 fallback)
// The query's filters become one TraceQL spanset per condition joined with `&&` (each may hold on a
// different span, as in the local store); what TraceQL cannot say is applied to the fetched traces
// (see the README's table and `tempoTraceQL`). Tempo itself is not tested here: its module is
// AGPL-licensed and not used on this machine; the tests use a stand-in speaking the documented API.

import type { AttributeFilter, TraceDetail, TracePage, TraceQuery, TraceSource } from '../model.js';
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
  isTraceId,
  mapLimit,
  normalizeTraceId,
  pageOf,
  pageOfTrace,
  resolveRemoteOptions,
  statsOf,
  windowOf,
  type FacetName,
  type Facets,
  type FetchedTrace,
  type RemoteSourceOptions,
  type ResolvedRemoteOptions,
} from './remote.js';

/** Options of {@link TempoSource}: the base URL of Tempo's HTTP API (port 3200 by default). */
export interface TempoSourceOptions extends RemoteSourceOptions {
  /**
   * Appends TraceQL's `with (most_recent=true)` hint so the search returns the newest traces, not
   * the first found (default true; dropped by itself when Tempo refuses it with a 400).
   */
  readonly mostRecent?: boolean;
}

/** A TraceQL string literal, or undefined for text TraceQL cannot carry (control characters). */
export function traceqlString(value: string): string | undefined {
  if (CONTROL_CHARS.test(value)) return undefined;
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** `span.<key>` (quoted when the key has characters beyond letters, digits, `_` and `.`). */
export function traceqlAttribute(scope: 'span' | 'resource', key: string): string | undefined {
  if (/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$/.test(key)) return `${scope}.${key}`;
  const quoted = traceqlString(key);
  return quoted === undefined ? undefined : `${scope}.${quoted}`;
}

/** A TraceQL number literal, or undefined (not finite, or exponent notation). */
function traceqlNumber(value: number): string | undefined {
  if (!Number.isFinite(value)) return undefined;
  const text = String(value);
  return /^-?\d+(\.\d+)?$/.test(text) ? text : undefined;
}

function equals(scope: 'span' | 'resource', key: string, value: string): string | undefined {
  const attribute = traceqlAttribute(scope, key);
  const literal = traceqlString(value);
  return attribute === undefined || literal === undefined ? undefined : `${attribute} = ${literal}`;
}

/**
 * The TraceQL condition of one attribute filter on a span's or its resource's attributes (as the
 * local store matches them), or undefined when the filter is applied after fetching only (`!=`:
 * the store's "no span has it" is not a spanset condition).
 */
function attributeCondition(filter: AttributeFilter): string | undefined {
  const scopes = [traceqlAttribute('span', filter.key), traceqlAttribute('resource', filter.key)];
  if (scopes.some((a) => a === undefined)) return undefined;
  const either = (condition: (attribute: string) => string): string =>
    scopes.map((attribute) => condition(attribute!)).join(' || ');
  switch (filter.op) {
    case 'exists':
      return either((a) => `${a} != nil`);
    case '=': {
      const literal = traceqlString(filter.value);
      if (literal === undefined) return undefined;
      // The query's value is text; the attribute may be a number (`42` finds 42 and "42") or a boolean.
      const literals = [literal];
      const n = parseDecimal(filter.value);
      const number = n === undefined ? undefined : traceqlNumber(n);
      if (number !== undefined) literals.push(number);
      if (filter.value === 'true' || filter.value === 'false') literals.push(filter.value);
      return literals.map((value) => either((a) => `${a} = ${value}`)).join(' || ');
    }
    case '!=':
      return undefined;
    default: {
      const literal = traceqlNumber(filter.value);
      return literal === undefined ? undefined : either((a) => `${a} ${filter.op} ${literal}`);
    }
  }
}

/**
 * The TraceQL query of `query`: one spanset per condition, joined with `&&` (`{}` for none).
 * Not expressed (applied after fetching only): `status=ok`, tokens, cost, `!=` attribute filters,
 * values with control characters. Where the store's condition is narrower (the run's name: root
 * name or agent name; the conversation: some span's id), TraceQL asks for a superset.
 */
export function tempoTraceQL(query: TraceQuery): string {
  const spansets: string[] = [];
  const add = (condition: string | undefined): void => {
    if (condition !== undefined) spansets.push(`{ ${condition} }`);
  };
  const anyOf = (...conditions: (string | undefined)[]): string | undefined =>
    conditions.every((c) => c !== undefined) ? conditions.join(' || ') : undefined;
  if (query.service !== undefined) add(equals('resource', 'service.name', query.service));
  if (query.name !== undefined) {
    const literal = traceqlString(query.name);
    add(
      literal === undefined
        ? undefined
        : anyOf(`rootName = ${literal}`, equals('span', 'gen_ai.agent.name', query.name)),
    );
  }
  if (query.operation !== undefined) add(equals('span', 'gen_ai.operation.name', query.operation));
  if (query.spanKind !== undefined) add(equals('span', 'agent_otel.span.kind', query.spanKind));
  if (query.model !== undefined) {
    add(
      anyOf(
        equals('span', 'gen_ai.request.model', query.model),
        equals('span', 'gen_ai.response.model', query.model),
      ),
    );
  }
  if (query.provider !== undefined) {
    add(
      anyOf(
        equals('span', 'gen_ai.provider.name', query.provider),
        equals('span', 'gen_ai.system', query.provider),
      ),
    );
  }
  if (query.agent !== undefined) add(equals('span', 'gen_ai.agent.name', query.agent));
  if (query.tool !== undefined) add(equals('span', 'gen_ai.tool.name', query.tool));
  if (query.conversationId !== undefined) add(equals('span', 'gen_ai.conversation.id', query.conversationId));
  if (query.status === 'error') add('status = error');
  const duration: string[] = [];
  if (query.minDurationMs !== undefined && query.minDurationMs > 0) {
    duration.push(`traceDuration >= ${Math.floor(query.minDurationMs * 1000)}us`);
  }
  if (query.maxDurationMs !== undefined)
    duration.push(`traceDuration <= ${Math.ceil(query.maxDurationMs * 1000)}us`);
  if (duration.length > 0) add(duration.join(' && '));
  for (const filter of query.attributes ?? []) add(attributeCondition(filter));
  return spansets.length === 0 ? '{}' : spansets.join(' && ');
}

/** Seconds for Tempo's `start` / `end` (widened to whole seconds around the window). */
function seconds(window: { fromMs: number; toMs: number }): { start: string; end: string } {
  return { start: String(Math.floor(window.fromMs / 1000)), end: String(Math.ceil(window.toMs / 1000) + 1) };
}

/** Tag (TraceQL identifier) → facet. */
const FACET_TAGS: readonly (readonly [FacetName, string])[] = [
  ['services', 'resource.service.name'],
  ['models', 'span.gen_ai.request.model'],
  ['models', 'span.gen_ai.response.model'],
  ['providers', 'span.gen_ai.provider.name'],
  ['agents', 'span.gen_ai.agent.name'],
  ['tools', 'span.gen_ai.tool.name'],
  ['operations', 'span.gen_ai.operation.name'],
];

/** A {@link TraceSource} reading a Grafana Tempo cluster through its HTTP API. */
export class TempoSource implements TraceSource {
  readonly description: { readonly kind: 'tempo'; readonly url: string };
  private readonly options: ResolvedRemoteOptions;
  private readonly http: RemoteHttp;
  private mostRecent: boolean;
  /** Set when /api/v2/traces/{id} is missing and /api/traces/{id} answers. */
  private traceByIdV1 = false;
  private readonly facetsCache = new FacetsCache(() => this.readFacets());

  constructor(options: TempoSourceOptions) {
    this.options = resolveRemoteOptions('tempo', options);
    this.http = new RemoteHttp('tempo', this.options);
    this.mostRecent = options.mostRecent ?? true;
    this.description = { kind: 'tempo', url: shownUrl(this.options.url) };
  }

  async listTraces(query: TraceQuery): Promise<TracePage> {
    if (query.traceId !== undefined) {
      return pageOfTrace(await this.fetchTrace(query.traceId), query);
    }
    const { traces, full } = await this.window(tempoTraceQL(query), windowOf(query, this.options.lookbackMs));
    return pageOf(traces, query, full);
  }

  async getTrace(traceId: string): Promise<TraceDetail | undefined> {
    return detailOf(await this.fetchTrace(traceId));
  }

  async listConversations(
    query: Parameters<TraceSource['listConversations']>[0],
  ): ReturnType<TraceSource['listConversations']> {
    const window = windowOf(query, this.options.lookbackMs);
    const { traces } = await this.window('{ span.gen_ai.conversation.id != nil }', window);
    return conversationsOf(traces, query);
  }

  async stats(query: { readonly fromMs?: number; readonly toMs?: number }): ReturnType<TraceSource['stats']> {
    const window = windowOf(query, this.options.lookbackMs);
    const { traces } = await this.window('{ span.gen_ai.operation.name != nil }', window);
    return statsOf(traces, window);
  }

  facets(): Promise<Facets> {
    return this.facetsCache.get();
  }

  async close(): Promise<void> {
    this.facetsCache.clear();
  }

  private async readFacets(): Promise<Facets> {
    const window = seconds(windowOf({}, this.options.lookbackMs));
    const values = await mapLimit(FACET_TAGS, this.options.concurrency, ([, tag]) =>
      this.tagValues(tag, window),
    );
    const collected: Record<FacetName, string[]> = {
      services: [],
      models: [],
      providers: [],
      agents: [],
      tools: [],
      operations: [],
    };
    FACET_TAGS.forEach(([facet], i) => collected[facet].push(...values[i]!));
    return {
      services: facetList(collected.services),
      models: facetList(collected.models),
      providers: facetList(collected.providers),
      agents: facetList(collected.agents),
      tools: facetList(collected.tools),
      operations: facetList(collected.operations),
    };
  }

  /** Values of one tag: `/api/v2/search/tag/<tag>/values`, else `/api/search/tag/<unscoped>/values`. */
  private async tagValues(tag: string, window: { start: string; end: string }): Promise<string[]> {
    const v2 = this.http.url(`/api/v2/search/tag/${encodeURIComponent(tag)}/values`, {
      ...window,
      limit: '200',
    });
    let answer = await this.http.getJson(v2);
    let url = v2;
    if (answer.status === 404) {
      url = this.http.url(
        `/api/search/tag/${encodeURIComponent(tag.replace(/^(span|resource)\./, ''))}/values`,
        {
          ...window,
          limit: '200',
        },
      );
      answer = await this.http.getJson(url);
      if (answer.status === 404) return [];
    }
    const list = (answer.body as { tagValues?: unknown } | null)?.tagValues;
    if (list === undefined || list === null) return [];
    if (!Array.isArray(list)) {
      throw new RemoteSourceError(
        'tempo',
        url.href,
        'bad-response',
        '"tagValues" is not a list',
        answer.status,
      );
    }
    return list
      .map((item: unknown) => (typeof item === 'string' ? item : (item as { value?: unknown } | null)?.value))
      .filter((value): value is string => typeof value === 'string');
  }

  /** One trace by id, or undefined when Tempo does not have it. */
  private async fetchTrace(traceId: string): Promise<FetchedTrace | undefined> {
    if (!isTraceId(traceId)) return undefined;
    const id = traceId.toLowerCase();
    let url = this.http.url(this.traceByIdV1 ? `/api/traces/${id}` : `/api/v2/traces/${id}`);
    let answer = await this.http.getJson(url);
    if (answer.status === 404 && !this.traceByIdV1) {
      // Tempo answers 404 for a trace it does not have; a release without the v2 endpoint, too.
      const v1 = this.http.url(`/api/traces/${id}`);
      const old = await this.http.getJson(v1);
      if (old.status === 404) return undefined;
      this.traceByIdV1 = true;
      url = v1;
      answer = old;
    }
    if (answer.status === 404) return undefined;
    const body = answer.body as { trace?: unknown } | null;
    if (typeof body !== 'object' || body === null) {
      throw new RemoteSourceError(
        'tempo',
        url.href,
        'bad-response',
        'the answer is not a JSON object',
        answer.status,
      );
    }
    const document = 'trace' in body ? body.trace : body;
    return decodeRemoteTraces('tempo', url, document, answer.status).find(
      (trace) => trace.summary.traceId === id,
    );
  }

  /** The traces a TraceQL query selects in the window: search for ids, then each trace. */
  private async window(
    traceql: string,
    window: { fromMs: number; toMs: number },
  ): Promise<{ traces: FetchedTrace[]; full: boolean }> {
    const max = this.options.maxTraces;
    const ids = await this.search(traceql, window, max);
    const traces = await mapLimit(ids, this.options.concurrency, (id) => this.fetchTrace(id));
    return { traces: traces.filter((t): t is FetchedTrace => t !== undefined), full: ids.length >= max };
  }

  private async search(
    traceql: string,
    window: { fromMs: number; toMs: number },
    max: number,
  ): Promise<string[]> {
    const attempt = async (hint: boolean): Promise<string[]> => {
      const url = this.http.url('/api/search', {
        q: hint ? `${traceql} with (most_recent=true)` : traceql,
        limit: String(max),
        spss: '1',
        ...seconds(window),
      });
      const answer = await this.http.getJson(url);
      if (answer.status === 404) {
        throw new RemoteSourceError(
          'tempo',
          url.href,
          'http',
          "not found: is this Tempo's HTTP API (port 3200)?",
          404,
        );
      }
      const traces = (answer.body as { traces?: unknown } | null)?.traces;
      if (traces === undefined || traces === null) return [];
      if (!Array.isArray(traces)) {
        throw new RemoteSourceError(
          'tempo',
          url.href,
          'bad-response',
          '"traces" is not a list',
          answer.status,
        );
      }
      const ids = traces
        .map((trace: unknown) => normalizeTraceId((trace as { traceID?: unknown } | null)?.traceID))
        .filter((id): id is string => id !== undefined);
      return [...new Set(ids)].slice(0, max);
    };
    if (!this.mostRecent) return attempt(false);
    try {
      return await attempt(true);
    } catch (error) {
      if (!(error instanceof RemoteSourceError) || error.status !== 400) throw error;
      // An older Tempo without query hints: search without it from now on.
      const ids = await attempt(false);
      this.mostRecent = false;
      return ids;
    }
  }
}
