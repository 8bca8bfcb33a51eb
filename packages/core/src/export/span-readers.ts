import type { Attributes, HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { hrTimeToMilliseconds } from './sdk-values.js';
import { estimateCost } from '../usage/pricing.js';
import { numberOf, stringOf } from '../values.js';
import {
  ATTR_AGENT_OTEL_COST_USD,
  ATTR_AGENT_OTEL_SPAN_KIND,
  ATTR_AGENT_OTEL_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_AGENT_OTEL_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_AGENT_OTEL_USAGE_INPUT_TOKENS,
  ATTR_AGENT_OTEL_USAGE_OUTPUT_TOKENS,
  ATTR_AGENT_OTEL_USAGE_REASONING_OUTPUT_TOKENS,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
  GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS,
  GEN_AI_OPERATION_NAME_VALUE_GENERATE_CONTENT,
  GEN_AI_OPERATION_NAME_VALUE_RERANK,
  GEN_AI_OPERATION_NAME_VALUE_SPEECH_TO_TEXT,
  GEN_AI_OPERATION_NAME_VALUE_TEXT_COMPLETION,
  GEN_AI_OPERATION_NAME_VALUE_TEXT_TO_SPEECH,
} from '../semconv.js';
import type { TokenUsage } from '../usage/usage.js';

/*
 * Small readers of agent-otel / GenAI attributes on finished spans, shared by CompletedTrace and the
 * console renderer. Internal: not exported from the package.
 */

/** `gen_ai.operation.name` values of spans that are one model call (their usage is counted once). */
export const MODEL_CALL_OPERATIONS: ReadonlySet<string> = new Set([
  GEN_AI_OPERATION_NAME_VALUE_CHAT,
  GEN_AI_OPERATION_NAME_VALUE_TEXT_COMPLETION,
  GEN_AI_OPERATION_NAME_VALUE_GENERATE_CONTENT,
  GEN_AI_OPERATION_NAME_VALUE_EMBEDDINGS,
  GEN_AI_OPERATION_NAME_VALUE_TEXT_TO_SPEECH,
  GEN_AI_OPERATION_NAME_VALUE_SPEECH_TO_TEXT,
  GEN_AI_OPERATION_NAME_VALUE_RERANK,
]);

/** A string attribute, or undefined when absent/empty/not a string. */
export function stringAttr(attributes: Attributes, key: string): string | undefined {
  return stringOf(attributes[key]);
}

/** A finite number attribute, or undefined. */
export function numberAttr(attributes: Attributes, key: string): number | undefined {
  return numberOf(attributes[key]);
}

/** True for spans that stand for one model call (chat, completion, embeddings, speech...). */
export function isModelCallSpan(span: ReadableSpan): boolean {
  const op = span.attributes[ATTR_GEN_AI_OPERATION_NAME];
  return typeof op === 'string' && MODEL_CALL_OPERATIONS.has(op);
}

/** The `agent_otel.span.kind` of a span, if set. */
export function spanKindOf(span: ReadableSpan): string | undefined {
  return stringAttr(span.attributes, ATTR_AGENT_OTEL_SPAN_KIND);
}

/** The model a span used: response model first, else request model. */
export function spanModel(span: ReadableSpan): string | undefined {
  return (
    stringAttr(span.attributes, ATTR_GEN_AI_RESPONSE_MODEL) ??
    stringAttr(span.attributes, ATTR_GEN_AI_REQUEST_MODEL)
  );
}

function usageFrom(attributes: Attributes, keys: readonly string[]): TokenUsage | undefined {
  const [input, output, cacheRead, cacheWrite, reasoning] = keys.map((k) => numberAttr(attributes, k));
  if ([input, output, cacheRead, cacheWrite, reasoning].every((v) => v === undefined)) return undefined;
  const usage: TokenUsage = {};
  if (input !== undefined) usage.inputTokens = input;
  if (output !== undefined) usage.outputTokens = output;
  if (cacheRead !== undefined) usage.cacheReadInputTokens = cacheRead;
  if (cacheWrite !== undefined) usage.cacheWriteInputTokens = cacheWrite;
  if (reasoning !== undefined) usage.reasoningOutputTokens = reasoning;
  return usage;
}

const GEN_AI_USAGE_KEYS = [
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
] as const;

const ROLLUP_USAGE_KEYS = [
  ATTR_AGENT_OTEL_USAGE_INPUT_TOKENS,
  ATTR_AGENT_OTEL_USAGE_OUTPUT_TOKENS,
  ATTR_AGENT_OTEL_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_AGENT_OTEL_USAGE_CACHE_WRITE_INPUT_TOKENS,
  ATTR_AGENT_OTEL_USAGE_REASONING_OUTPUT_TOKENS,
] as const;

/** The span's own `gen_ai.usage.*` token counts (what one model call reported). */
export function spanUsage(span: ReadableSpan): TokenUsage | undefined {
  return usageFrom(span.attributes, GEN_AI_USAGE_KEYS);
}

/** Usage to display for a span: its own `gen_ai.usage.*`, completed by the `agent_otel.usage.*` roll-up. */
export function displayUsage(span: ReadableSpan): TokenUsage | undefined {
  const own = spanUsage(span);
  const rollup = usageFrom(span.attributes, ROLLUP_USAGE_KEYS);
  // An agent or workflow span has its totals as gen_ai.usage.*, its cache and reasoning as agent_otel.usage.*.
  return own === undefined || rollup === undefined ? (own ?? rollup) : { ...rollup, ...own };
}

/**
 * Cost of one model-call span: the price-table estimate, else a recorded `agent_otel.cost.usd`
 * (e.g. a provider-reported cost for a model missing from the table).
 */
export function modelCallCost(span: ReadableSpan): number | undefined {
  return (
    estimateCost(spanModel(span), spanUsage(span)) ?? numberAttr(span.attributes, ATTR_AGENT_OTEL_COST_USD)
  );
}

/** Cost to display for any span: recorded `agent_otel.cost.usd`, else the estimate for a model call. */
export function displayCost(span: ReadableSpan): number | undefined {
  const recorded = numberAttr(span.attributes, ATTR_AGENT_OTEL_COST_USD);
  if (recorded !== undefined) return recorded;
  return isModelCallSpan(span) ? estimateCost(spanModel(span), spanUsage(span)) : undefined;
}

/** Span duration in milliseconds (0 for a span that is not ended). */
export function spanDurationMs(span: ReadableSpan): number {
  const ms = hrTimeToMilliseconds(span.duration);
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

/** Compares two HrTimes (negative when a is earlier). */
export function compareHrTime(a: HrTime, b: HrTime): number {
  return a[0] - b[0] || a[1] - b[1];
}

/** Milliseconds from `from` to `to`. */
export function hrTimeDiffMs(from: HrTime, to: HrTime): number {
  return (to[0] - from[0]) * 1e3 + (to[1] - from[1]) / 1e6;
}

/**
 * Spans sorted by start time; on equal starts an ancestor comes before its descendants (timestamps
 * are often only millisecond-precise), otherwise input order is kept.
 */
export function sortByStart(spans: readonly ReadableSpan[]): ReadableSpan[] {
  const parentOf = new Map<string, string | undefined>();
  for (const s of spans) parentOf.set(s.spanContext().spanId, s.parentSpanContext?.spanId);
  const depths = new Map<string, number>();
  const depth = (id: string): number => {
    const known = depths.get(id);
    if (known !== undefined) return known;
    // Walk up to a span of known depth or the top of the set, then fill in the path (memoised, so
    // sorting stays near-linear; the path is bounded by the set size, so an id cycle ends).
    const path: string[] = [];
    let base = -1;
    for (
      let cur: string | undefined = id;
      cur !== undefined && parentOf.has(cur) && path.length <= parentOf.size;
    ) {
      const d = depths.get(cur);
      if (d !== undefined) {
        base = d;
        break;
      }
      path.push(cur);
      cur = parentOf.get(cur);
    }
    for (let i = path.length - 1; i >= 0; i--) depths.set(path[i]!, ++base);
    return depths.get(id) ?? 0;
  };
  return [...spans].sort(
    (a, b) =>
      compareHrTime(a.startTime, b.startTime) ||
      depth(a.spanContext().spanId) - depth(b.spanContext().spanId),
  );
}

/** True when a span has no parent, or a remote one (it starts the local part of a trace). */
export function isLocalRoot(span: ReadableSpan): boolean {
  const parent = span.parentSpanContext;
  return !parent || parent.isRemote === true;
}
