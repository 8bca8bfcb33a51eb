// What the store (and every source) derives from a span: the columns the list, filters and stats
// read, and the per-trace roll-up behind a `TraceSummary`. One implementation, so the local store's
// incremental roll-up and `summarizeTrace` over a fetched trace agree exactly.
import { estimateCost } from '@agent-otel/core';
import type { AttributeValue, Attributes, Span, TraceSummary } from '../model.js';

/** Longest run name / root span name kept in a summary (characters). */
export const MAX_SUMMARY_NAME_CHARS = 1024;
/** Longest service, model, agent, tool, conversation id kept in a summary or a derived column. */
export const MAX_DERIVED_VALUE_CHARS = 256;
/** At most this many models / agents listed per trace. */
export const MAX_SUMMARY_LIST_ENTRIES = 32;
/** Attribute values longer than this (characters) are not indexed for attribute filters. */
export const MAX_INDEXED_VALUE_CHARS = 256;
/** Attribute keys longer than this are not indexed. */
export const MAX_INDEXED_KEY_CHARS = 256;
/** Token counts of one span are clamped to 0..this; costs of one span to 0..MAX_SPAN_COST_USD. */
export const MAX_SPAN_TOKENS = 1e15;
export const MAX_SPAN_COST_USD = 1e6;
/** Costs are kept as integer picodollars (core rounds costs to 12 decimals), so sums are exact. */
export const PICO_PER_USD = 1e12;

/** Content attributes: never indexed for attribute filters (large, and model input/output). */
export const CONTENT_ATTRIBUTE_KEYS: ReadonlySet<string> = new Set([
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.system_instructions',
  'gen_ai.tool.definitions',
  'gen_ai.tool.call.arguments',
  'gen_ai.tool.call.result',
]);
const CONTENT_ATTRIBUTE_PREFIX = 'gen_ai.retrieval.';

/** `gen_ai.operation.name` values of spans that are one model call (as core's `CompletedTrace`). */
export const MODEL_CALL_OPERATIONS: ReadonlySet<string> = new Set([
  'chat',
  'text_completion',
  'generate_content',
  'embeddings',
  'text_to_speech',
  'speech_to_text',
  'rerank',
]);

/** Attribute keys of the static filters (the store indexes them like any attribute). */
export const KEY = {
  service: 'service.name',
  operation: 'gen_ai.operation.name',
  spanKind: 'agent_otel.span.kind',
  requestModel: 'gen_ai.request.model',
  responseModel: 'gen_ai.response.model',
  provider: 'gen_ai.provider.name',
  legacyProvider: 'gen_ai.system',
  agent: 'gen_ai.agent.name',
  tool: 'gen_ai.tool.name',
  conversationId: 'gen_ai.conversation.id',
  cost: 'agent_otel.cost.usd',
  inputTokens: 'gen_ai.usage.input_tokens',
  outputTokens: 'gen_ai.usage.output_tokens',
  cacheReadInputTokens: 'gen_ai.usage.cache_read.input_tokens',
  cacheWriteInputTokens: 'gen_ai.usage.cache_write.input_tokens',
} as const;

/** Stats groups of a span: a model call (by model), an agent run (by agent), a tool execution (by tool). */
export const STAT_GROUP = { none: 0, model: 1, agent: 2, tool: 3 } as const;
export type StatGroupCode = (typeof STAT_GROUP)[keyof typeof STAT_GROUP];

/** What the store keeps in columns for one span. */
export interface SpanFacts {
  readonly startMs: number;
  readonly endMs: number;
  readonly durationMs: number;
  readonly isRoot: boolean;
  readonly isError: boolean;
  readonly isModelCall: boolean;
  readonly operation: string | undefined;
  readonly model: string | undefined;
  readonly agent: string | undefined;
  readonly conversationId: string | undefined;
  /** The span's own `gen_ai.usage.*` input / output tokens (0 when absent). */
  readonly inputTokens: number;
  readonly outputTokens: number;
  /**
   * Picodollars: for a model call the price-table estimate, else its recorded `agent_otel.cost.usd`
   * (as core's `CompletedTrace.cost`); for any other span its recorded cost (a roll-up).
   */
  readonly costPico: number | undefined;
  readonly statGroup: StatGroupCode;
  readonly statKey: string | undefined;
}

/** A string attribute (non-empty), bounded to `max` characters. */
export function stringAttr(
  attributes: Attributes,
  key: string,
  max = MAX_DERIVED_VALUE_CHARS,
): string | undefined {
  const v = Object.prototype.hasOwnProperty.call(attributes, key) ? attributes[key] : undefined;
  return typeof v === 'string' && v !== '' ? bound(v, max) : undefined;
}

/** A finite number attribute. */
export function numberAttr(attributes: Attributes, key: string): number | undefined {
  const v = Object.prototype.hasOwnProperty.call(attributes, key) ? attributes[key] : undefined;
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** `text` cut to at most `max` characters (never splitting a surrogate pair). */
export function bound(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

const NANOS = /^\d{1,20}$/;

/** A `…UnixNano` decimal string as `[seconds, nanoseconds]` (`[0, 0]` when it is not one). */
export function nanosToHrTime(nanos: string): [number, number] {
  if (typeof nanos !== 'string' || !NANOS.test(nanos)) return [0, 0];
  const split = nanos.length - 9;
  return split <= 0 ? [0, Number(nanos)] : [Number(nanos.slice(0, split)), Number(nanos.slice(split))];
}

/** Milliseconds since the epoch of a `…UnixNano` string (0 when it is not one). */
export function nanosToMs(nanos: string): number {
  const [s, n] = nanosToHrTime(nanos);
  return s * 1e3 + n / 1e6;
}

/** Milliseconds from `start` to `end` (both `…UnixNano` strings); 0 when negative or unreadable. */
export function durationMsBetween(start: string, end: string): number {
  const [s0, n0] = nanosToHrTime(start);
  const [s1, n1] = nanosToHrTime(end);
  const ms = (s1 - s0) * 1e3 + (n1 - n0) / 1e6;
  return Number.isFinite(ms) && ms > 0 ? ms : 0;
}

function clamp(value: number, max: number): number {
  return value > 0 ? Math.min(value, max) : 0;
}

function toPico(usd: number | undefined): number | undefined {
  return usd === undefined ? undefined : Math.round(clamp(usd, MAX_SPAN_COST_USD) * PICO_PER_USD);
}

/** The derived columns of one span. */
export function spanFacts(span: Span): SpanFacts {
  const a = span.attributes;
  const operation = stringAttr(a, KEY.operation);
  const kind = stringAttr(a, KEY.spanKind);
  const isModelCall = operation !== undefined && MODEL_CALL_OPERATIONS.has(operation);
  const model = stringAttr(a, KEY.responseModel) ?? stringAttr(a, KEY.requestModel);
  const agent = stringAttr(a, KEY.agent);
  const input = numberAttr(a, KEY.inputTokens);
  const output = numberAttr(a, KEY.outputTokens);
  const recorded = numberAttr(a, KEY.cost);
  let cost = recorded;
  if (isModelCall) {
    const cacheRead = numberAttr(a, KEY.cacheReadInputTokens);
    const cacheWrite = numberAttr(a, KEY.cacheWriteInputTokens);
    const usage =
      input === undefined && output === undefined && cacheRead === undefined && cacheWrite === undefined
        ? undefined
        : {
            ...(input === undefined ? {} : { inputTokens: input }),
            ...(output === undefined ? {} : { outputTokens: output }),
            ...(cacheRead === undefined ? {} : { cacheReadInputTokens: cacheRead }),
            ...(cacheWrite === undefined ? {} : { cacheWriteInputTokens: cacheWrite }),
          };
    // Read the model as core does (response model first); a span whose model is unpriced keeps its recorded cost.
    cost = estimateCost(model, usage) ?? recorded;
  }
  let statGroup: StatGroupCode = STAT_GROUP.none;
  let statKey: string | undefined;
  if (isModelCall) {
    statGroup = STAT_GROUP.model;
    statKey = model ?? '(unknown model)';
  } else if (operation === 'invoke_agent' || kind === 'agent') {
    statGroup = STAT_GROUP.agent;
    statKey = agent ?? bound(span.name, MAX_DERIVED_VALUE_CHARS);
  } else if (operation === 'execute_tool' && kind !== 'handoff') {
    statGroup = STAT_GROUP.tool;
    statKey = stringAttr(a, KEY.tool) ?? bound(span.name, MAX_DERIVED_VALUE_CHARS);
  }
  const startMs = nanosToMs(span.startTimeUnixNano);
  const durationMs = durationMsBetween(span.startTimeUnixNano, span.endTimeUnixNano);
  return {
    startMs,
    endMs: startMs + durationMs,
    durationMs,
    isRoot: span.parentSpanId === undefined || span.parentSpanId === '',
    isError: span.status?.code === 'ERROR',
    isModelCall,
    operation,
    model,
    agent: operation === 'invoke_workflow' || kind === 'workflow' ? undefined : agent,
    conversationId: stringAttr(a, KEY.conversationId),
    inputTokens: clamp(input ?? 0, MAX_SPAN_TOKENS),
    outputTokens: clamp(output ?? 0, MAX_SPAN_TOKENS),
    costPico: toPico(cost),
    statGroup,
    statKey,
  };
}

/**
 * The attributes indexed for attribute filters, as `[key, value]`: the span's scalar attributes and
 * its resource's, and `service.name` (the span's service). Strings of at most
 * {@link MAX_INDEXED_VALUE_CHARS} characters, finite numbers, booleans (as `"true"` / `"false"`);
 * content attributes excluded.
 */
export function indexedAttributes(
  span: Span,
  out: [string, string | number][] = [],
): [string, string | number][] {
  if (span.serviceName) out.push([KEY.service, bound(span.serviceName, MAX_INDEXED_VALUE_CHARS)]);
  collect(span.attributes, out);
  collect(span.resource, out);
  return out;
}

function collect(attributes: Attributes | undefined, out: [string, string | number][]): void {
  if (!attributes) return;
  for (const key of Object.keys(attributes)) {
    if (key === '' || key.length > MAX_INDEXED_KEY_CHARS || isContentKey(key)) continue;
    const value = indexValue(attributes[key]);
    if (value !== undefined) out.push([key, value]);
  }
}

/** True for content attributes (never indexed). */
export function isContentKey(key: string): boolean {
  return CONTENT_ATTRIBUTE_KEYS.has(key) || key.startsWith(CONTENT_ATTRIBUTE_PREFIX);
}

/** The indexed form of an attribute value, or undefined when it is not indexed. */
export function indexValue(value: AttributeValue | undefined): string | number | undefined {
  switch (typeof value) {
    case 'string':
      return value.length <= MAX_INDEXED_VALUE_CHARS ? value : undefined;
    case 'number':
      return Number.isFinite(value) ? value : undefined;
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      return undefined;
  }
}

/** The part of a trace's roll-up that describes its root (or the best stand-in received so far). */
export interface RootChoice {
  readonly spanId: string;
  readonly startMs: number;
  /** True when the span has no parent (a true root); a stand-in is the earliest span otherwise. */
  readonly isTrue: boolean;
  readonly name: string;
  readonly rootSpanName: string;
  readonly serviceName: string;
}

/** A trace's roll-up, folded span by span in any order (the result does not depend on the order). */
export interface TraceRollup {
  startMs: number;
  endMs: number;
  spanCount: number;
  modelCalls: number;
  inputTokens: number;
  outputTokens: number;
  costPico: number | undefined;
  errorCount: number;
  root: RootChoice | undefined;
  /** From the earliest span carrying `gen_ai.conversation.id` (ties: smallest span id). */
  conversation: { id: string; startMs: number; spanId: string } | undefined;
  models: string[];
  agents: string[];
}

export function newRollup(): TraceRollup {
  return {
    startMs: Infinity,
    endMs: -Infinity,
    spanCount: 0,
    modelCalls: 0,
    inputTokens: 0,
    outputTokens: 0,
    costPico: undefined,
    errorCount: 0,
    root: undefined,
    conversation: undefined,
    models: [],
    agents: [],
  };
}

/** True when `a` is a better root than `b`: a true root first, then the earliest, then the smallest id. */
function betterRoot(a: RootChoice, b: RootChoice | undefined): boolean {
  if (!b) return true;
  if (a.isTrue !== b.isTrue) return a.isTrue;
  if (a.startMs !== b.startMs) return a.startMs < b.startMs;
  return a.spanId < b.spanId;
}

function addSorted(list: string[], value: string | undefined): void {
  if (value === undefined || list.length >= MAX_SUMMARY_LIST_ENTRIES || list.includes(value)) return;
  list.push(value);
  list.sort();
}

/** Adds one span (not already counted) to the roll-up. */
export function addToRollup(r: TraceRollup, span: Span, facts: SpanFacts = spanFacts(span)): void {
  r.startMs = Math.min(r.startMs, facts.startMs);
  r.endMs = Math.max(r.endMs, facts.endMs);
  r.spanCount++;
  if (facts.isError) r.errorCount++;
  if (facts.isModelCall) {
    r.modelCalls++;
    r.inputTokens += facts.inputTokens;
    r.outputTokens += facts.outputTokens;
    if (facts.costPico !== undefined) r.costPico = (r.costPico ?? 0) + facts.costPico;
  }
  const candidate: RootChoice = {
    spanId: span.spanId,
    startMs: facts.startMs,
    isTrue: facts.isRoot,
    name:
      stringAttr(span.attributes, KEY.agent, MAX_SUMMARY_NAME_CHARS) ??
      bound(span.name, MAX_SUMMARY_NAME_CHARS),
    rootSpanName: bound(span.name, MAX_SUMMARY_NAME_CHARS),
    serviceName: bound(span.serviceName ?? '', MAX_DERIVED_VALUE_CHARS),
  };
  if (betterRoot(candidate, r.root)) r.root = candidate;
  const conversationId = facts.conversationId;
  if (conversationId !== undefined) {
    const c = r.conversation;
    if (!c || facts.startMs < c.startMs || (facts.startMs === c.startMs && span.spanId < c.spanId))
      r.conversation = { id: conversationId, startMs: facts.startMs, spanId: span.spanId };
  }
  addSorted(r.models, facts.model);
  addSorted(r.agents, facts.agent);
}

/** Rounds a millisecond figure to the nanosecond (sums of doubles otherwise differ in the last bits). */
export function roundMs(ms: number): number {
  return Math.round(ms * 1e6) / 1e6;
}

/** The `TraceSummary` of a roll-up. */
export function rollupSummary(traceId: string, r: TraceRollup): TraceSummary {
  const start = Number.isFinite(r.startMs) ? r.startMs : 0;
  const end = Number.isFinite(r.endMs) ? r.endMs : start;
  return {
    traceId,
    name: r.root?.name ?? '',
    rootSpanName: r.root?.rootSpanName ?? '',
    serviceName: r.root?.serviceName ?? '',
    startMs: start,
    durationMs: roundMs(Math.max(0, end - start)),
    spanCount: r.spanCount,
    modelCalls: r.modelCalls,
    inputTokens: r.inputTokens,
    outputTokens: r.outputTokens,
    ...(r.costPico === undefined ? {} : { costUsd: r.costPico / PICO_PER_USD }),
    errorCount: r.errorCount,
    ...(r.conversation ? { conversationId: r.conversation.id } : {}),
    models: [...r.models],
    agents: [...r.agents],
  };
}
