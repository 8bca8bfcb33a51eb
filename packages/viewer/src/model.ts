// The viewer's data model: what the receiver decodes, the store keeps, the sources return and the
// HTTP API serves (as JSON). One shape for every source, so the UI does not know where spans live.

/** An attribute value as OTLP carries it (bytes as base64, kvlists as plain objects). */
export type AttributeValue =
  string | number | boolean | null | readonly AttributeValue[] | { readonly [key: string]: AttributeValue };

/** Attributes by key. */
export type Attributes = Readonly<Record<string, AttributeValue>>;

/** OTLP span kinds, by name. */
export type SpanKindName = 'UNSPECIFIED' | 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';

/** OTLP status codes, by name. */
export type StatusCodeName = 'UNSET' | 'OK' | 'ERROR';

/** One span event (an exception, a content event, ...). */
export interface SpanEvent {
  readonly name: string;
  /** Nanoseconds since the epoch, as a decimal string (exact: beyond 2^53). */
  readonly timeUnixNano: string;
  readonly attributes: Attributes;
}

/** One span, decoded and bounded (see `limits.ts`): every string is text, never markup. */
export interface Span {
  /** 32 lowercase hex characters. */
  readonly traceId: string;
  /** 16 lowercase hex characters. */
  readonly spanId: string;
  /** Absent for a root (or a span whose parent is in another trace's part not received). */
  readonly parentSpanId?: string;
  readonly name: string;
  readonly kind: SpanKindName;
  /** Nanoseconds since the epoch, as decimal strings. */
  readonly startTimeUnixNano: string;
  readonly endTimeUnixNano: string;
  readonly status: { readonly code: StatusCodeName; readonly message?: string };
  readonly attributes: Attributes;
  readonly events: readonly SpanEvent[];
  /** `service.name` of the resource. */
  readonly serviceName: string;
  readonly resource: Attributes;
  /** Instrumentation scope. */
  readonly scope: { readonly name: string; readonly version?: string };
  /** How many attributes/events the limits dropped or the sender reported dropped. */
  readonly dropped?: { readonly attributes?: number; readonly events?: number };
}

/** One agent run (trace) in the list. Durations in milliseconds; times in ms since the epoch. */
export interface TraceSummary {
  readonly traceId: string;
  /** The run's name: `gen_ai.agent.name` of the root, else the root span's name. */
  readonly name: string;
  /** The root span's name. */
  readonly rootSpanName: string;
  readonly serviceName: string;
  readonly startMs: number;
  readonly durationMs: number;
  readonly spanCount: number;
  /** Model-call spans (chat, text_completion, generate_content, embeddings, ...). */
  readonly modelCalls: number;
  /** Summed over model-call spans only (agent/workflow spans carry roll-ups of the same tokens). */
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** USD, summed over model-call spans' `agent_otel.cost.usd`; undefined when none reported a cost. */
  readonly costUsd?: number;
  /** Spans with status ERROR. */
  readonly errorCount: number;
  readonly conversationId?: string;
  /** Distinct models and agents seen in the run (for the list's columns and filters). */
  readonly models: readonly string[];
  readonly agents: readonly string[];
}

/** The filters of the traces list (every one optional; all must hold). */
export interface TraceQuery {
  readonly traceId?: string;
  readonly service?: string;
  /** The run's name (workflow/agent name or root span name), exact. */
  readonly name?: string;
  /** `gen_ai.operation.name` of some span. */
  readonly operation?: string;
  /** `agent_otel.span.kind` of some span. */
  readonly spanKind?: string;
  /** `gen_ai.request.model` or `gen_ai.response.model` of some span. */
  readonly model?: string;
  readonly provider?: string;
  /** A span with this `gen_ai.agent.name` / `gen_ai.tool.name`. */
  readonly agent?: string;
  readonly tool?: string;
  readonly conversationId?: string;
  /** `error`: some span failed; `ok`: none did. */
  readonly status?: 'error' | 'ok';
  readonly minDurationMs?: number;
  readonly maxDurationMs?: number;
  readonly minTokens?: number;
  readonly maxTokens?: number;
  readonly minCostUsd?: number;
  readonly maxCostUsd?: number;
  /** Start-time window, ms since the epoch. */
  readonly fromMs?: number;
  readonly toMs?: number;
  /** Conditions on any span attribute (`agent_otel.metadata.*` included). */
  readonly attributes?: readonly AttributeFilter[];
  readonly sort?: TraceSortKey;
  readonly order?: 'asc' | 'desc';
  /** Page size (1..500, default 50) and offset. */
  readonly limit?: number;
  readonly offset?: number;
}

export type TraceSortKey = 'start' | 'duration' | 'spans' | 'tokens' | 'cost' | 'errors' | 'name';

/** `key = value`, `key != value`, `key > n` (and `>=`, `<`, `<=`), `key exists`. */
export type AttributeFilter =
  | { readonly key: string; readonly op: '=' | '!='; readonly value: string }
  | { readonly key: string; readonly op: '>' | '>=' | '<' | '<='; readonly value: number }
  | { readonly key: string; readonly op: 'exists' };

/** A page of the traces list. */
export interface TracePage {
  readonly traces: readonly TraceSummary[];
  /** Total matching traces (capped at `totalCap` when counting more would be slow; then `totalIsLowerBound`). */
  readonly total: number;
  readonly totalIsLowerBound?: boolean;
}

/** A whole trace and its analysis (from core's `CompletedTrace`). */
export interface TraceDetail {
  readonly summary: TraceSummary;
  /** Start-ordered. */
  readonly spans: readonly Span[];
  readonly analysis: TraceAnalysis;
}

export interface TraceAnalysis {
  readonly durationMs: number;
  readonly tokens: {
    readonly inputTokens: number;
    readonly outputTokens: number;
    readonly cacheReadInputTokens: number;
    readonly cacheWriteInputTokens: number;
    readonly reasoningOutputTokens: number;
    readonly modelCalls: number;
  };
  readonly costUsd?: number;
  /** Tool name → executions. */
  readonly toolCalls: Readonly<Record<string, number>>;
  /** Agent names in handoff order. */
  readonly handoffPath: readonly string[];
  /** The slowest spans (span id, name, duration ms), at most 5. */
  readonly slowSpans: readonly {
    readonly spanId: string;
    readonly name: string;
    readonly durationMs: number;
  }[];
  readonly errors: readonly {
    readonly spanId: string;
    readonly errorType: string;
    readonly message?: string;
  }[];
}

/** Traces grouped by `gen_ai.conversation.id`. */
export interface ConversationSummary {
  readonly conversationId: string;
  readonly traceCount: number;
  readonly firstStartMs: number;
  readonly lastStartMs: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd?: number;
  readonly errorCount: number;
  readonly services: readonly string[];
}

/** Per model, agent or tool over a time window. */
export interface StatsRow {
  readonly group: 'model' | 'agent' | 'tool';
  readonly key: string;
  readonly count: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd?: number;
  /** Errors / count, 0..1. */
  readonly errorRate: number;
}

/** Where traces come from: the local store, or a Jaeger / Tempo cluster's query API. */
export interface TraceSource {
  /** `local`, `jaeger` or `tempo`, and for a remote source its URL (shown in the UI). */
  readonly description: { readonly kind: 'local' | 'jaeger' | 'tempo'; readonly url?: string };
  listTraces(query: TraceQuery): Promise<TracePage>;
  /** `undefined` when the trace is not there. */
  getTrace(traceId: string): Promise<TraceDetail | undefined>;
  listConversations(query: {
    readonly fromMs?: number;
    readonly toMs?: number;
    readonly limit?: number;
    readonly offset?: number;
  }): Promise<{ readonly conversations: readonly ConversationSummary[]; readonly total: number }>;
  stats(query: { readonly fromMs?: number; readonly toMs?: number }): Promise<readonly StatsRow[]>;
  /** Distinct values for the filter pickers (services, models, providers, agents, tools, operations). */
  facets(): Promise<
    Readonly<
      Record<'services' | 'models' | 'providers' | 'agents' | 'tools' | 'operations', readonly string[]>
    >
  >;
  close(): Promise<void>;
}
