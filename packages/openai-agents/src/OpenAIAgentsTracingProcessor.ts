import {
  context as contextApi,
  diag,
  trace as traceApi,
  type Context,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import { AgentSpan, Trace, type SpanData } from '@agent-otel/core';
import { ATTR_AGENT_OTEL_SOURCE_SPAN_ID, SEMCONV_SCHEMA_URL } from '@agent-otel/core/semconv';
import {
  FailureLog,
  getContentPolicy,
  getModelCallClaim,
  isClaimableModelCallType,
  modelCallOwnerContext,
  withoutModelCallMerge,
  type ModelCallClaim,
} from '@agent-otel/core/instrumentation';
import type { SpanData as SdkSpanData, TracingProcessor } from '@openai/agents';
import {
  NOOP_ID,
  type RequestedToolCall,
  type SdkContextStore,
  type SdkSpan,
  type SdkTrace,
  type SpanEntry,
  type TraceEntry,
} from './internal-types.js';
import type { ContextBridge } from './OtelTracingContextStorage.js';
import { requestedToolCalls, sdkModelCallHasContent, toCoreSpanData } from './span-mapping.js';
import {
  DEFAULT_MAX_OPEN_SPANS,
  DEFAULT_MAX_OPEN_TRACES,
  type ModelSpanMode,
  type OpenAIAgentsTracingProcessorOptions,
} from './types.js';
import { hrTimeToMs, isoToHrTime, msToHrTime, sdkErrorType } from './utils.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

/**
 * Set on a span the bridge had to end itself: `trace_end` (still open when its SDK trace ended),
 * `evicted` (past `maxOpenSpans` / `maxOpenTraces`), `abandoned` (its SDK trace was garbage-collected
 * unfinished, e.g. a streamed run nobody consumed).
 */
export const ATTR_AGENT_OTEL_OPENAI_AGENTS_ENDED_BY = 'agent_otel.openai_agents.ended_by';

/** Environment variable of {@link OpenAIAgentsTracingProcessorOptions.modelSpans}. */
export const MODEL_SPANS_ENV = 'AGENT_OTEL_OPENAI_AGENTS_MODEL_SPANS';

const MODEL_SPAN_MODES: readonly ModelSpanMode[] = ['merge', 'nest', 'client'];
/** How many ended SDK span ids are remembered, so a late start hook cannot reopen a span. */
const ENDED_IDS_REMEMBERED = 4096;
const RESOLVED: Promise<void> = Promise.resolve();
const CONTENT_FIELDS = ['input', 'output', 'systemInstructions', 'toolDefinitions'] as const;

type EndedBy = 'trace_end' | 'evicted' | 'abandoned';

function resolveModelSpans(option: ModelSpanMode | undefined): ModelSpanMode {
  if (option !== undefined) {
    if (MODEL_SPAN_MODES.includes(option)) return option;
    diag.warn(
      `@agent-otel/openai-agents: modelSpans=${String(option)} is not one of merge, nest, client; using merge.`,
    );
    return 'merge';
  }
  const raw = typeof process === 'undefined' ? undefined : process.env[MODEL_SPANS_ENV];
  if (raw == null || raw.trim() === '') return 'merge';
  const value = raw.trim().toLowerCase() as ModelSpanMode;
  if (MODEL_SPAN_MODES.includes(value)) return value;
  diag.warn(
    `@agent-otel/openai-agents: ${MODEL_SPANS_ENV}=${raw} is not one of merge, nest, client; using merge.`,
  );
  return 'merge';
}

function positiveLimit(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (Number.isInteger(value) && value > 0) return value;
  diag.warn(
    `@agent-otel/openai-agents: ${name}=${String(value)} is not a positive integer; using ${fallback}.`,
  );
  return fallback;
}

/**
 * Bridges the OpenAI Agents SDK's tracing into OpenTelemetry: a `TracingProcessor` that turns every
 * SDK trace into an `invoke_workflow` root span and every SDK span into the agent-otel span of its
 * kind (`invoke_agent`, `chat`, `execute_tool`, MCP, ...), mapped by core per the GenAI semantic
 * conventions, with the SDK's own timestamps, ids (`agent_otel.source.*`) and errors.
 *
 * Register it with `addTraceProcessor()` / `setTraceProcessors()`, or let `instrumentOpenAIAgents()`
 * do it (it also makes the OpenTelemetry context follow the SDK's, through {@link contextFor}).
 * No hook ever throws or rejects: a failure is logged once through `diag` and the run goes on.
 */
export class OpenAIAgentsTracingProcessor implements TracingProcessor, ContextBridge {
  private readonly traces = new Map<string, TraceEntry>();
  private readonly spans = new Map<string, SpanEntry>();
  private readonly endedIds = new Set<string>();
  private readonly modelSpans: ModelSpanMode;
  private readonly maxOpenTraces: number;
  private readonly maxOpenSpans: number;
  private readonly tracerProvider: TracerProvider | undefined;
  private readonly tracer: Tracer | undefined;
  /** Failures of the bridge's own code: logged once through `diag`, never passed to the SDK. */
  private readonly failures = new FailureLog(
    diag,
    (where) => `${PACKAGE_NAME}: ${where} failed; the agent run is not affected`,
  );
  private readonly abandoned: FinalizationRegistry<string> | undefined;
  /** Registered and not shut down: may start a span on first sight from the context hook. */
  private active = true;
  /** Turned off by `uninstrument()`: every hook does nothing. */
  private disabled = false;
  /** While a span is being created, the context hook must not create spans (no re-entry). */
  private creating = 0;

  constructor(options: OpenAIAgentsTracingProcessorOptions = {}) {
    this.modelSpans = resolveModelSpans(options.modelSpans);
    this.maxOpenTraces = positiveLimit(options.maxOpenTraces, DEFAULT_MAX_OPEN_TRACES, 'maxOpenTraces');
    this.maxOpenSpans = positiveLimit(options.maxOpenSpans, DEFAULT_MAX_OPEN_SPANS, 'maxOpenSpans');
    this.tracerProvider = options.tracerProvider;
    this.tracer = options.tracerProvider?.getTracer(PACKAGE_NAME, PACKAGE_VERSION, {
      schemaUrl: SEMCONV_SCHEMA_URL,
    });
    this.abandoned =
      typeof FinalizationRegistry === 'function'
        ? new FinalizationRegistry((sdkTraceId: string) =>
            this.failures.guard('ending an abandoned trace', () => this.endTrace(sdkTraceId, 'abandoned')),
          )
        : undefined;
  }

  /** How SDK model calls and client instrumentations' model spans appear together. */
  get modelSpanMode(): ModelSpanMode {
    return this.modelSpans;
  }

  /** Number of SDK traces and spans currently open (bounded by the limits). */
  get openCounts(): { traces: number; spans: number } {
    return { traces: this.traces.size, spans: this.spans.size };
  }

  onTraceStart(trace: SdkTrace): Promise<void> {
    if (this.disabled) return RESOLVED;
    this.active = true;
    this.failures.guard('onTraceStart', () => {
      if (trace.traceId !== NOOP_ID) this.traceEntry(trace.traceId, trace);
    });
    return RESOLVED;
  }

  onTraceEnd(trace: SdkTrace): Promise<void> {
    if (this.disabled) return RESOLVED;
    this.failures.guard('onTraceEnd', () => this.endTrace(trace.traceId, 'trace_end'));
    return RESOLVED;
  }

  onSpanStart(span: SdkSpan): Promise<void> {
    if (this.disabled) return RESOLVED;
    this.active = true;
    this.failures.guard('onSpanStart', () => this.openSpan(span));
    return RESOLVED;
  }

  onSpanEnd(span: SdkSpan): Promise<void> {
    if (this.disabled) return RESOLVED;
    this.active = true;
    this.failures.guard('onSpanEnd', () => this.closeSpan(span));
    return RESOLVED;
  }

  /**
   * Flushes the OpenTelemetry side (the tracer provider's `forceFlush()`), bounded by `timeout` ms.
   * The SDK also calls this when `setTraceProcessors()` replaces its processors, so spans still open
   * are left open (they end with their SDK spans). Never rejects.
   */
  async shutdown(timeout?: number): Promise<void> {
    this.active = false;
    await this.flushOtel(timeout);
  }

  /** Flushes the OpenTelemetry side (the tracer provider's `forceFlush()`). Never rejects. */
  async forceFlush(): Promise<void> {
    await this.flushOtel(undefined);
  }

  /**
   * The OpenTelemetry context of work running inside an SDK context: the context of its current SDK
   * span (starting that span on first sight when the start hook has not run yet), else of its trace.
   * `undefined` when the bridge knows neither. Used by the context-storage hook; never throws.
   */
  contextFor(store: SdkContextStore | undefined): Context | undefined {
    if (this.disabled || !store || store.active !== true) return undefined;
    try {
      const span = store.span;
      if (span && span.spanId !== NOOP_ID) {
        let entry = this.spans.get(span.spanId);
        if (!entry && this.active && this.creating === 0 && span.startedAt && !span.endedAt) {
          entry = this.openSpan(span);
        }
        if (entry) return entry.context;
        const parent = span.parentId ? this.spans.get(span.parentId) : undefined;
        if (parent) return parent.context;
      }
      const trace = store.trace;
      return trace ? this.traces.get(trace.traceId)?.root.context : undefined;
    } catch (error) {
      this.failures.report('resolving the context', error);
      return undefined;
    }
  }

  /** Whether an SDK trace is open in the bridge (used by the context-storage hook). */
  knowsTrace(sdkTraceId: string): boolean {
    return this.traces.has(sdkTraceId);
  }

  /**
   * The scope that started an SDK trace (`withTrace`, e.g. `Runner.run`) failed: the SDK never calls
   * `onTraceEnd` then, so the root is ended here, with the run's error (used by the context-storage
   * hook; without it, such a root ends when its SDK trace is garbage-collected). Never throws.
   */
  traceScopeFailed(sdkTraceId: string, error: unknown): void {
    if (this.disabled) return;
    this.failures.guard('ending a failed trace', () => {
      const entry = this.traces.get(sdkTraceId);
      if (!entry) return;
      entry.root.setError(error);
      entry.rootErrored = true;
      this.endTrace(sdkTraceId, 'trace_end');
    });
  }

  /** Marks the processor as registered again (after `setTraceProcessors` shut it down and re-added it). */
  markRegistered(): void {
    this.active = true;
  }

  /** Turns every hook into a no-op (the SDK has no way to remove one processor). */
  disable(): void {
    this.disabled = true;
  }

  // ─── Traces ───────────────────────────────────────────────────────────────────────────────────

  private traceEntry(sdkTraceId: string, trace: SdkTrace | undefined, span?: SdkSpan): TraceEntry {
    const existing = this.traces.get(sdkTraceId);
    if (existing) return existing;
    this.creating++;
    try {
      // A trace first seen through one of its spans (the processor was added mid-run, or a span was
      // dispatched without its trace) gets a root of its own, under whatever context is active.
      const root = new Trace(
        {
          type: 'workflow',
          name: trace?.name || 'Agent workflow',
          groupId: trace?.groupId ?? undefined,
          metadata: trace?.metadata ?? span?.traceMetadata,
          sourceTraceId: sdkTraceId,
        },
        { parent: contextApi.active(), startTime: msToHrTime(this.rootStartMs(span)), tracer: this.tracer },
      ).start();
      const entry: TraceEntry = {
        sdkTraceId,
        root,
        groupId: trace?.groupId ?? undefined,
        openSpans: new Set(),
        lastEndMs: 0,
        lastRunError: undefined,
        rootErrored: false,
      };
      this.traces.set(sdkTraceId, entry);
      if (trace) this.abandoned?.register(trace, sdkTraceId);
      while (this.traces.size > this.maxOpenTraces) {
        const oldest = this.traces.keys().next().value as string;
        this.endTrace(oldest, 'evicted');
      }
      return entry;
    } finally {
      this.creating--;
    }
  }

  /** Now, or the start of the span through which a trace is first seen, if earlier. */
  private rootStartMs(span: SdkSpan | undefined): number {
    const now = Date.now();
    const started = span ? isoToHrTime(span.startedAt) : undefined;
    return started ? Math.min(now, hrTimeToMs(started)) : now;
  }

  private endTrace(sdkTraceId: string, reason: EndedBy): void {
    const entry = this.traces.get(sdkTraceId);
    if (!entry) return;
    this.traces.delete(sdkTraceId);
    const nowMs = Date.now();
    // Children first: a span's own children started after it.
    for (const spanId of [...entry.openSpans].reverse()) {
      const open = this.spans.get(spanId);
      if (open) this.forceEnd(open, reason, nowMs);
    }
    if (reason !== 'trace_end') entry.root.setAttribute(ATTR_AGENT_OTEL_OPENAI_AGENTS_ENDED_BY, reason);
    else if (!entry.rootErrored && entry.lastRunError) {
      // The workflow's last run failed (e.g. a streamed run, whose trace the SDK does end).
      entry.root.setError(entry.lastRunError, sdkErrorType(entry.lastRunError));
    }
    entry.root.end(msToHrTime(Math.max(nowMs, entry.lastEndMs)));
  }

  // ─── Spans ────────────────────────────────────────────────────────────────────────────────────

  private openSpan(span: SdkSpan): SpanEntry | undefined {
    const spanId = span.spanId;
    if (spanId === NOOP_ID || this.endedIds.has(spanId)) return undefined;
    const existing = this.spans.get(spanId);
    if (existing) return existing;
    this.creating++;
    try {
      const trace = this.traceEntry(span.traceId, undefined, span);
      const parent = span.parentId ? this.spans.get(span.parentId) : undefined;
      const parentContext = parent?.context ?? trace.root.context;
      const data = span.spanData;
      const agentName =
        data.type === 'agent' ? data.name : data.type === 'turn' ? data.agent_name : parent?.agentName;
      const toolCall =
        data.type === 'function' || data.type === 'handoff' ? this.takeToolCall(parent, data) : undefined;
      let recorded: AgentSpan | undefined;
      let context = parentContext;
      if (!(isClaimableModelCallType(data.type) && this.modelSpans === 'client')) {
        const coreData = toCoreSpanData(data, this.mappingContext(agentName, trace, toolCall));
        recorded = new AgentSpan(coreData, {
          parent: parentContext,
          startTime: isoToHrTime(span.startedAt) ?? msToHrTime(Date.now()),
          tracer: this.tracer,
        }).start();
        recorded.setAttribute(ATTR_AGENT_OTEL_SOURCE_SPAN_ID, spanId);
        context = recorded.context;
        if (isClaimableModelCallType(data.type)) {
          // merge: a client instrumentation claims this span (or, if it cannot claim, records
          // nothing); nest: it starts its own span under this one. Usage is counted here, once.
          context =
            this.modelSpans === 'nest' ? withoutModelCallMerge(context) : modelCallOwnerContext(context);
        }
      }
      const entry: SpanEntry = {
        sdkSpanId: spanId,
        sdkTraceId: span.traceId,
        type: data.type,
        span: recorded,
        context,
        agentName,
        agent: data.type === 'agent' ? undefined : parent?.type === 'agent' ? parent : parent?.agent,
        toolCall,
        sdkSpan: span,
        requestedToolCalls: undefined,
      };
      this.spans.set(spanId, entry);
      trace.openSpans.add(spanId);
      while (this.spans.size > this.maxOpenSpans) {
        const oldest = this.spans.values().next().value as SpanEntry;
        this.forceEnd(oldest, 'evicted', Date.now());
      }
      return entry;
    } finally {
      this.creating--;
    }
  }

  private closeSpan(span: SdkSpan): void {
    const entry = this.spans.get(span.spanId) ?? this.openSpan(span);
    if (!entry) return;
    this.forget(entry);
    const data = span.spanData;
    if (isClaimableModelCallType(data.type)) {
      // The function and handoff spans that follow in the same parent execute these calls.
      const calls = requestedToolCalls(data);
      const parent = calls && span.parentId ? this.spans.get(span.parentId) : undefined;
      if (parent) parent.requestedToolCalls = calls;
    }
    const endMs = this.recordEnd(entry, span.endedAt);
    if (!span.parentId) {
      const trace = this.traces.get(entry.sdkTraceId);
      if (trace) trace.lastRunError = span.error ?? undefined;
    }
    const recorded = entry.span;
    if (!recorded) return;
    const claim = isClaimableModelCallType(data.type) ? getModelCallClaim(recorded) : undefined;
    this.applyFinalData(entry, claim);
    if (span.error && !claim?.errored) recorded.setError(span.error, sdkErrorType(span.error));
    recorded.end(msToHrTime(endMs));
  }

  /** Ends a span the SDK has not ended (yet), with what its data says so far. */
  private forceEnd(entry: SpanEntry, reason: EndedBy, nowMs: number): void {
    this.forget(entry);
    const recorded = entry.span;
    if (!recorded) return;
    try {
      this.applyFinalData(entry, getModelCallClaim(recorded));
      const error = entry.sdkSpan.error;
      if (error) recorded.setError(error, sdkErrorType(error));
    } catch (error) {
      this.failures.report('recording an unfinished span', error);
    }
    recorded.setAttribute(ATTR_AGENT_OTEL_OPENAI_AGENTS_ENDED_BY, reason);
    recorded.end(msToHrTime(nowMs));
    const trace = this.traces.get(entry.sdkTraceId);
    if (trace) trace.lastEndMs = Math.max(trace.lastEndMs, nowMs);
  }

  private forget(entry: SpanEntry): void {
    this.spans.delete(entry.sdkSpanId);
    this.traces.get(entry.sdkTraceId)?.openSpans.delete(entry.sdkSpanId);
    this.endedIds.add(entry.sdkSpanId);
    if (this.endedIds.size > ENDED_IDS_REMEMBERED) {
      this.endedIds.delete(this.endedIds.values().next().value as string);
    }
  }

  /** The span's end (epoch ms) from the SDK's `endedAt`; remembered so the root never ends first. */
  private recordEnd(entry: SpanEntry, endedAt: string | null): number {
    const end = isoToHrTime(endedAt);
    const endMs = end ? hrTimeToMs(end) : Date.now();
    const trace = this.traces.get(entry.sdkTraceId);
    if (trace) trace.lastEndMs = Math.max(trace.lastEndMs, endMs);
    return endMs;
  }

  /**
   * Records the SDK span's final data. Only fields with a value are written; on a model call a client
   * instrumentation claimed, the client's values win, and content the SDK withheld
   * (`traceIncludeSensitiveData: false`) is removed, whoever recorded it.
   */
  private applyFinalData(entry: SpanEntry, claim: ModelCallClaim | undefined): void {
    const recorded = entry.span!;
    const data = entry.sdkSpan.spanData;
    const trace = this.traces.get(entry.sdkTraceId);
    const coreData = toCoreSpanData(data, this.mappingContext(entry.agentName, trace, entry.toolCall));
    const { type: _type, ...fields } = coreData as SpanData & Record<string, unknown>;
    const patch: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined && !claim?.fields.has(key)) patch[key] = value;
    }
    const current = recorded.spanData as unknown as Record<string, unknown>;
    if (patch.mcp !== undefined && current.mcp !== undefined) {
      // An MCP instrumentation inside the tool recorded the protocol details; keep them.
      patch.mcp = { ...(patch.mcp as object), ...(current.mcp as object) };
    }
    if (claim && !sdkModelCallHasContent(data)) {
      for (const key of CONTENT_FIELDS) patch[key] = undefined;
    }
    recorded.update(patch as Partial<Omit<SpanData, 'type'>>);
  }

  private mappingContext(
    agentName: string | undefined,
    trace: TraceEntry | undefined,
    toolCall: RequestedToolCall | undefined,
  ): Parameters<typeof toCoreSpanData>[1] {
    return {
      captureContent: getContentPolicy().mode !== 'NO_CONTENT',
      agentName,
      conversationId: trace?.groupId,
      toolCall,
    };
  }

  /** The model's tool call a `function` / `handoff` span executes: the first one asked for by that name
   * (a function tool), or the first one that names none of the agent's tools (a handoff). */
  private takeToolCall(parent: SpanEntry | undefined, data: SdkSpanData): RequestedToolCall | undefined {
    const calls = parent?.requestedToolCalls;
    if (!calls || calls.length === 0) return undefined;
    let index: number;
    if (data.type === 'function') {
      index = calls.findIndex((call) => call.name === data.name);
    } else {
      const agentData = (parent.type === 'agent' ? parent : parent.agent)?.sdkSpan.spanData;
      const tools = new Set(agentData?.type === 'agent' ? (agentData.tools ?? []) : []);
      index = calls.findIndex((call) => !tools.has(call.name));
    }
    return index < 0 ? undefined : calls.splice(index, 1)[0];
  }

  // ─── Flushing ────────────────────────────────────────────────────────────────────────────────────

  private async flushOtel(timeout: number | undefined): Promise<void> {
    try {
      const provider = this.tracerProvider ?? traceApi.getTracerProvider();
      const delegate = (provider as { getDelegate?: () => TracerProvider }).getDelegate?.() ?? provider;
      const flush = (delegate as { forceFlush?: () => Promise<unknown> }).forceFlush;
      if (typeof flush !== 'function') return;
      const flushed = Promise.resolve(flush.call(delegate)).then(
        () => undefined,
        (error: unknown) => this.failures.report('flushing the tracer provider', error),
      );
      if (timeout === undefined || !(timeout > 0)) return await flushed;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const expired = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, timeout);
        timer.unref?.();
      });
      await Promise.race([flushed, expired]);
      clearTimeout(timer);
    } catch (error) {
      this.failures.report('flushing the tracer provider', error);
    }
  }
}
