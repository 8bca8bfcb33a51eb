// A trace's summary and run analysis from its spans, whatever source they came from. The analysis is
// core's `CompletedTrace` over the spans adapted to the `ReadableSpan` shape it reads (name, kind,
// span context, parent, times, status, attributes, events), so the viewer and core's trace
// processors describe a run the same way.
import { CompletedTrace } from '@agent-otel/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { Span, TraceAnalysis, TraceDetail, TraceSummary } from './model.js';
import { addToRollup, nanosToHrTime, newRollup, rollupSummary, roundMs } from './store/derive.js';

/** The slow spans an analysis lists. */
export const SLOW_SPANS = 5;

const SPAN_KIND: Readonly<Record<string, number>> = {
  UNSPECIFIED: 0,
  INTERNAL: 0,
  SERVER: 1,
  CLIENT: 2,
  PRODUCER: 3,
  CONSUMER: 4,
};
const STATUS_CODE: Readonly<Record<string, number>> = { UNSET: 0, OK: 1, ERROR: 2 };

function hrDiff(start: [number, number], end: [number, number]): [number, number] {
  let s = end[0] - start[0];
  let n = end[1] - start[1];
  if (n < 0) {
    s -= 1;
    n += 1e9;
  }
  return s < 0 ? [0, 0] : [s, n];
}

/** A stored span in the shape of the SDK's `ReadableSpan`, as far as `CompletedTrace` reads it. */
function readable(span: Span): ReadableSpan {
  const startTime = nanosToHrTime(span.startTimeUnixNano);
  const endTime = nanosToHrTime(span.endTimeUnixNano);
  const context = { traceId: span.traceId, spanId: span.spanId, traceFlags: 1 };
  return {
    name: span.name,
    kind: SPAN_KIND[span.kind] ?? 0,
    spanContext: () => context,
    parentSpanContext: span.parentSpanId
      ? { traceId: span.traceId, spanId: span.parentSpanId, traceFlags: 1, isRemote: false }
      : undefined,
    startTime,
    endTime,
    duration: hrDiff(startTime, endTime),
    status: {
      code: STATUS_CODE[span.status?.code] ?? 0,
      ...(span.status?.message ? { message: span.status.message } : {}),
    },
    attributes: span.attributes,
    links: [],
    events: span.events.map((e) => ({
      name: e.name,
      time: nanosToHrTime(e.timeUnixNano),
      attributes: e.attributes,
    })),
    ended: true,
    resource: { attributes: span.resource },
    instrumentationScope: span.scope,
    droppedAttributesCount: span.dropped?.attributes ?? 0,
    droppedEventsCount: span.dropped?.events ?? 0,
    droppedLinksCount: 0,
  } as unknown as ReadableSpan;
}

/** The root: the earliest span without a parent, else the earliest span (ties: smallest span id). */
function rootOf(spans: readonly ReadableSpan[], byReadable: Map<ReadableSpan, Span>): ReadableSpan {
  let best: ReadableSpan | undefined;
  let bestKey: [boolean, number, string] | undefined;
  for (const r of spans) {
    const s = byReadable.get(r)!;
    const key: [boolean, number, string] = [
      !s.parentSpanId,
      r.startTime[0] * 1e3 + r.startTime[1] / 1e6,
      s.spanId,
    ];
    if (
      !bestKey ||
      (key[0] !== bestKey[0] ? key[0] : key[1] !== bestKey[1] ? key[1] < bestKey[1] : key[2] < bestKey[2])
    ) {
      best = r;
      bestKey = key;
    }
  }
  return best!;
}

interface Analyzed {
  readonly spans: Span[];
  readonly analysis: TraceAnalysis;
}

const EMPTY_ANALYSIS: TraceAnalysis = Object.freeze({
  durationMs: 0,
  tokens: Object.freeze({
    inputTokens: 0,
    outputTokens: 0,
    cacheReadInputTokens: 0,
    cacheWriteInputTokens: 0,
    reasoningOutputTokens: 0,
    modelCalls: 0,
  }),
  toolCalls: Object.freeze({}),
  handoffPath: Object.freeze([]),
  slowSpans: Object.freeze([]),
  errors: Object.freeze([]),
});

/** Compares `…UnixNano` decimal strings as numbers. */
function compareNanos(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

function analyze(spans: readonly Span[]): Analyzed {
  if (spans.length === 0) return { spans: [], analysis: EMPTY_ANALYSIS };
  const byReadable = new Map<ReadableSpan, Span>();
  // By start, then end (of two siblings starting in the same clock tick, the one that ended first ran
  // first), then span id: the same order whatever order the spans came in (CompletedTrace's sort keeps
  // the given order of equal starts, after putting ancestors first).
  const given = [...spans].sort(
    (a, b) =>
      compareNanos(String(a.startTimeUnixNano), String(b.startTimeUnixNano)) ||
      compareNanos(String(a.endTimeUnixNano), String(b.endTimeUnixNano)) ||
      (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0),
  );
  const all = given.map((s) => {
    const r = readable(s);
    byReadable.set(r, s);
    return r;
  });
  const trace = new CompletedTrace(rootOf(all, byReadable), all);
  const cost = trace.cost();
  const analysis: TraceAnalysis = {
    durationMs: roundMs(trace.durationMs),
    tokens: trace.tokenTotals(),
    ...(cost === undefined ? {} : { costUsd: cost }),
    toolCalls: trace.toolCallCounts(),
    handoffPath: trace.handoffPath(),
    slowSpans: trace
      .slowSpans(0)
      .slice(0, SLOW_SPANS)
      .map((r) => {
        const s = byReadable.get(r)!;
        return {
          spanId: s.spanId,
          name: s.name,
          durationMs: roundMs(r.duration[0] * 1e3 + r.duration[1] / 1e6),
        };
      }),
    errors: trace.errors().map((e) => ({
      spanId: byReadable.get(e.span)!.spanId,
      errorType: e.errorType,
      ...(e.message === undefined ? {} : { message: e.message }),
    })),
  };
  // CompletedTrace orders by start time, an ancestor before its descendants on equal starts.
  const sorted = trace.spans.length === all.length ? trace.spans.map((r) => byReadable.get(r)!) : given;
  return { spans: sorted, analysis };
}

/** The run analysis of a trace's spans (any order): tokens, cost, tools, handoffs, slow spans, errors. */
export function analyzeTrace(spans: readonly Span[]): TraceAnalysis {
  return analyze(spans).analysis;
}

/** The list entry of a trace from its spans (any order); the local store's roll-up gives the same. */
export function summarizeTrace(spans: readonly Span[]): TraceSummary {
  const rollup = newRollup();
  const seen = new Set<string>();
  for (const span of spans) {
    if (seen.has(span.spanId)) continue;
    seen.add(span.spanId);
    addToRollup(rollup, span);
  }
  return rollupSummary(spans[0]?.traceId ?? '', rollup);
}

/** Spans in start order (an ancestor before its descendants on equal starts), and their analysis. */
export function analyzeSpans(spans: readonly Span[]): { spans: Span[]; analysis: TraceAnalysis } {
  return analyze(spans);
}

/** A whole trace from its spans: summary, start-ordered spans, analysis; undefined for no spans. */
export function traceDetail(spans: readonly Span[]): TraceDetail | undefined {
  if (spans.length === 0) return undefined;
  const { spans: sorted, analysis } = analyze(spans);
  return { summary: summarizeTrace(spans), spans: sorted, analysis };
}
