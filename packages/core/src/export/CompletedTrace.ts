import { diag, INVALID_SPAN_CONTEXT, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import {
  ATTR_AGENT_OTEL_HANDOFF_FROM_AGENT,
  ATTR_AGENT_OTEL_HANDOFF_TO_AGENT,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_AGENT_NAME,
  ERROR_TYPE_VALUE_OTHER,
  GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL,
} from '../semconv.js';
import {
  isModelCallSpan,
  modelCallCost,
  sortByStart,
  spanDurationMs,
  spanKindOf,
  spanUsage,
  stringAttr,
} from './span-readers.js';
import { buildSpanTree, indexChildren, type TraceTreeNode } from './span-tree.js';
import type { TokenUsage } from '../usage/usage.js';

/** Token totals over a trace's model calls. Every count is present (0 when nothing was reported). */
export interface TraceTokenTotals extends Required<Omit<TokenUsage, 'modalities'>> {
  /** Number of model-call spans in the trace. */
  modelCalls: number;
}

/** One span of a trace that ended with status ERROR. */
export interface TraceError {
  readonly span: ReadableSpan;
  /** `error.type`, else the `exception` event's `exception.type`, else `_OTHER`. */
  readonly errorType: string;
  /** The status message, else the `exception` event's `exception.message`. */
  readonly message: string | undefined;
}

const HANDOFF_KIND = 'handoff';
const EXCEPTION_EVENT = 'exception';

/** The root of a trace made of spans that could not be read: no name, no time, no attributes. */
const EMPTY_ROOT = Object.freeze({
  name: '',
  kind: 0,
  spanContext: () => INVALID_SPAN_CONTEXT,
  startTime: [0, 0],
  endTime: [0, 0],
  duration: [0, 0],
  status: { code: SpanStatusCode.UNSET },
  attributes: {},
  links: [],
  events: [],
  ended: true,
  droppedAttributesCount: 0,
  droppedEventsCount: 0,
  droppedLinksCount: 0,
}) as unknown as ReadableSpan;

/**
 * A finished local trace: the local root span and the spans under it that ended before it did
 * (spans ending later are not included), as handed to `TraceProcessor.onTraceEnd`.
 * Every helper is computed on first use and cached.
 */
export class CompletedTrace {
  /** The trace id (32 hex characters). */
  readonly traceId: string;
  /** The local root span (no parent, or a remote parent). */
  readonly root: ReadableSpan;
  /** Every span of the trace, the root included, start-ordered. */
  readonly spans: readonly ReadableSpan[];

  #children?: Map<string, ReadableSpan[]>;
  #tokens?: TraceTokenTotals;
  #cost?: { value: number | undefined };
  #tools?: Record<string, number>;
  #handoffs?: string[];
  #errors?: TraceError[];
  #tree?: TraceTreeNode[];

  /**
   * @param spans the spans of the trace; the root is added if missing. Spans that cannot be read
   * (not SDK spans) make an empty trace, with a warning; the methods read the spans' attributes as
   * given, so they are only as safe as those (the SDK's always are).
   */
  constructor(root: ReadableSpan, spans: readonly ReadableSpan[]) {
    try {
      const traceId = root.spanContext().traceId;
      const all = sortByStart(spans.includes(root) ? spans : [root, ...spans]);
      for (const span of all) void [span.name, span.attributes, span.startTime, span.endTime];
      this.root = root;
      this.traceId = traceId;
      this.spans = Object.freeze(all);
    } catch (error) {
      diag.warn(
        'agent-otel: CompletedTrace was given spans it cannot read; it describes an empty trace',
        error,
      );
      this.root = EMPTY_ROOT;
      this.traceId = '';
      this.spans = Object.freeze([]);
    }
  }

  /**
   * The run's name: `gen_ai.agent.name` on the root (a workflow's name since semconv v0.1.0, or the
   * root agent's) when set, else the root span's name.
   */
  get name(): string {
    return stringAttr(this.root.attributes, ATTR_GEN_AI_AGENT_NAME) ?? this.root.name;
  }

  /** Duration of the root span in milliseconds. */
  get durationMs(): number {
    return spanDurationMs(this.root);
  }

  /**
   * Sum of `gen_ai.usage.*` over model-call spans (`gen_ai.operation.name` chat, text_completion,
   * generate_content, embeddings, text_to_speech, speech_to_text). Agent/workflow rollups
   * (`agent_otel.usage.*`) are ignored, so nothing is counted twice.
   */
  tokenTotals(): TraceTokenTotals {
    if (!this.#tokens) {
      const t: TraceTokenTotals = {
        inputTokens: 0,
        outputTokens: 0,
        cacheReadInputTokens: 0,
        cacheWriteInputTokens: 0,
        reasoningOutputTokens: 0,
        modelCalls: 0,
      };
      for (const span of this.modelCalls()) {
        t.modelCalls++;
        const u = spanUsage(span);
        if (!u) continue;
        t.inputTokens += u.inputTokens ?? 0;
        t.outputTokens += u.outputTokens ?? 0;
        t.cacheReadInputTokens += u.cacheReadInputTokens ?? 0;
        t.cacheWriteInputTokens += u.cacheWriteInputTokens ?? 0;
        t.reasoningOutputTokens += u.reasoningOutputTokens ?? 0;
      }
      this.#tokens = Object.freeze(t) as TraceTokenTotals;
    }
    return { ...this.#tokens };
  }

  /**
   * Estimated cost in US dollars: the sum of `estimateCost` over model-call spans (a span's
   * recorded `agent_otel.cost.usd` stands in for a model missing from the price table). Calls that
   * cannot be priced add nothing; `undefined` when no call could be priced.
   */
  cost(): number | undefined {
    if (!this.#cost) {
      let total: number | undefined;
      for (const span of this.modelCalls()) {
        const c = modelCallCost(span);
        if (c !== undefined) total = (total ?? 0) + c;
      }
      this.#cost = { value: total === undefined ? undefined : Number(total.toFixed(12)) };
    }
    return this.#cost.value;
  }

  /** Count of `execute_tool` spans per tool name (`gen_ai.tool.name`, else span name); handoffs excluded. */
  toolCallCounts(): Record<string, number> {
    if (!this.#tools) {
      const counts: Record<string, number> = Object.create(null);
      for (const span of this.spans) {
        if (span.attributes[ATTR_GEN_AI_OPERATION_NAME] !== GEN_AI_OPERATION_NAME_VALUE_EXECUTE_TOOL)
          continue;
        if (spanKindOf(span) === HANDOFF_KIND) continue;
        const name = stringAttr(span.attributes, ATTR_GEN_AI_TOOL_NAME) ?? span.name;
        counts[name] = (counts[name] ?? 0) + 1;
      }
      this.#tools = counts;
    }
    return { ...this.#tools };
  }

  /**
   * Agents in handoff order: the first handoff's source agent, then each handoff's target
   * (`agent_otel.handoff.to_agent`, else `gen_ai.transfer.target.name`), by start time.
   * Empty when the trace has no handoff span (`agent_otel.span.kind` = `handoff`).
   */
  handoffPath(): string[] {
    if (!this.#handoffs) {
      const path: string[] = [];
      for (const span of this.spans) {
        if (spanKindOf(span) !== HANDOFF_KIND) continue;
        if (path.length === 0) {
          const from = stringAttr(span.attributes, ATTR_AGENT_OTEL_HANDOFF_FROM_AGENT);
          if (from !== undefined) path.push(from);
        }
        const to = stringAttr(span.attributes, ATTR_AGENT_OTEL_HANDOFF_TO_AGENT);
        if (to !== undefined) path.push(to);
      }
      this.#handoffs = path;
    }
    return [...this.#handoffs];
  }

  /** Spans lasting at least `thresholdMs`, slowest first (ties by start time). */
  slowSpans(thresholdMs: number): ReadableSpan[] {
    const min = Number.isFinite(thresholdMs) ? thresholdMs : 0;
    return this.spans
      .map((span, i) => ({ span, i, ms: spanDurationMs(span) }))
      .filter((e) => e.ms >= min)
      .sort((a, b) => b.ms - a.ms || a.i - b.i)
      .map((e) => e.span);
  }

  /** Spans with status ERROR, start-ordered, with their error type and message. */
  errors(): TraceError[] {
    if (!this.#errors) {
      this.#errors = this.spans
        .filter((span) => span.status.code === SpanStatusCode.ERROR)
        .map((span) => {
          const exception = span.events.find((e) => e.name === EXCEPTION_EVENT)?.attributes ?? {};
          return Object.freeze({
            span,
            errorType:
              stringAttr(span.attributes, ATTR_ERROR_TYPE) ??
              stringAttr(exception, 'exception.type') ??
              ERROR_TYPE_VALUE_OTHER,
            message: span.status.message || stringAttr(exception, 'exception.message'),
          });
        });
    }
    return [...this.#errors];
  }

  /** Direct children of `span` within this trace, start-ordered. */
  children(span: ReadableSpan): ReadableSpan[] {
    this.#children ??= indexChildren(this.spans);
    return [...(this.#children.get(span.spanContext().spanId) ?? [])];
  }

  /**
   * The spans nested by parent: the root's node first, then any span whose parent is not in the
   * trace (e.g. it ended after being evicted from a full buffer).
   */
  tree(): TraceTreeNode[] {
    if (!this.#tree) {
      const nodes = buildSpanTree(this.spans);
      const rootAt = nodes.findIndex((n) => n.span === this.root);
      if (rootAt > 0) nodes.unshift(...nodes.splice(rootAt, 1));
      this.#tree = nodes;
    }
    return [...this.#tree];
  }

  private modelCalls(): ReadableSpan[] {
    return this.spans.filter(isModelCallSpan);
  }
}
