// A TraceSource and SpanSink kept in memory: the test double of the store for the HTTP layer's
// tests (routes, status codes, headers, events). It records what it was asked and what it got;
// summaries are computed simply (the store's own tests cover the real ones).
import { analyzeTrace } from '../../src/analysis.js';
import type {
  ConversationSummary,
  Span,
  StatsRow,
  TraceDetail,
  TracePage,
  TraceQuery,
  TraceSource,
  TraceSummary,
} from '../../src/model.js';
import type { SpanSink } from '../../src/server/http.js';

type Facets = Awaited<ReturnType<TraceSource['facets']>>;

export class MemorySource implements TraceSource, SpanSink {
  readonly description: TraceSource['description'];
  /** Each `insert` call's spans, in order. */
  readonly batches: Span[][] = [];
  /** Every query the API passed in, in order. */
  readonly queries: { method: string; query: unknown }[] = [];
  /** When set, every read method rejects with it (a remote that is down). */
  failWith: Error | undefined;
  closed = false;

  constructor(description: TraceSource['description'] = { kind: 'local' }) {
    this.description = description;
  }

  /** Every span received. */
  spans(): Span[] {
    return this.batches.flat();
  }

  insert(spans: Span[]): void {
    this.batches.push(spans);
  }

  #record(method: string, query: unknown): void {
    if (this.failWith) throw this.failWith;
    this.queries.push({ method, query });
  }

  #summary(traceId: string, spans: readonly Span[]): TraceSummary {
    const root = spans.find((span) => span.parentSpanId === undefined) ?? spans[0]!;
    const startNs = spans.reduce(
      (min, s) => (BigInt(s.startTimeUnixNano) < min ? BigInt(s.startTimeUnixNano) : min),
      BigInt(root.startTimeUnixNano),
    );
    const endNs = spans.reduce(
      (max, s) => (BigInt(s.endTimeUnixNano) > max ? BigInt(s.endTimeUnixNano) : max),
      0n,
    );
    return {
      traceId,
      name: root.name,
      rootSpanName: root.name,
      serviceName: root.serviceName,
      startMs: Number(startNs / 1_000_000n),
      durationMs: Number(endNs - startNs) / 1e6,
      spanCount: spans.length,
      modelCalls: 0,
      inputTokens: 0,
      outputTokens: 0,
      errorCount: spans.filter((s) => s.status.code === 'ERROR').length,
      models: [],
      agents: [],
    };
  }

  #traces(): Map<string, Span[]> {
    const traces = new Map<string, Span[]>();
    for (const span of this.spans()) {
      const list = traces.get(span.traceId) ?? [];
      list.push(span);
      traces.set(span.traceId, list);
    }
    return traces;
  }

  async listTraces(query: TraceQuery): Promise<TracePage> {
    this.#record('listTraces', query);
    const traces = [...this.#traces()]
      .filter(([id]) => query.traceId === undefined || id === query.traceId)
      .map(([id, spans]) => this.#summary(id, spans));
    const offset = query.offset ?? 0;
    return { traces: traces.slice(offset, offset + (query.limit ?? 50)), total: traces.length };
  }

  async getTrace(traceId: string): Promise<TraceDetail | undefined> {
    this.#record('getTrace', traceId);
    const spans = this.#traces().get(traceId);
    if (spans === undefined) return undefined;
    const summary = this.#summary(traceId, spans);
    return {
      summary,
      spans,
      analysis: { ...analyzeTrace([]), durationMs: summary.durationMs },
    };
  }

  async listConversations(query: {
    fromMs?: number;
    toMs?: number;
    limit?: number;
    offset?: number;
  }): Promise<{ conversations: ConversationSummary[]; total: number }> {
    this.#record('listConversations', query);
    return { conversations: [], total: 0 };
  }

  async stats(query: { fromMs?: number; toMs?: number }): Promise<StatsRow[]> {
    this.#record('stats', query);
    return [
      {
        group: 'model',
        key: 'gpt-test',
        count: 1,
        p50Ms: 1,
        p95Ms: 1,
        inputTokens: 1,
        outputTokens: 1,
        errorRate: 0,
      },
    ];
  }

  async facets(): Promise<Facets> {
    this.#record('facets', undefined);
    const services = [...new Set(this.spans().map((s) => s.serviceName))];
    return { services, models: [], providers: [], agents: [], tools: [], operations: [] };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
