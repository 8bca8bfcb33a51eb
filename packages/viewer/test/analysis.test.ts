import {
  CompletedTrace,
  setTracerProvider,
  withAgentSpan,
  withGenerationSpan,
  withHandoffSpan,
  withToolSpan,
  withTrace,
} from '@agent-otel/core';
import { setupTracing, type TestTracing } from '@agent-otel/testing/tracing';
import type { HrTime } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { analyzeSpans, analyzeTrace, summarizeTrace, traceDetail } from '../src/analysis';
import type { Span } from '../src/model';
import { chat, sid, span, T0, tid } from './store/spans';

const KINDS: Span['kind'][] = ['INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const CODES: Span['status']['code'][] = ['UNSET', 'OK', 'ERROR'];
const ns = (t: HrTime) => (BigInt(t[0]) * 1_000_000_000n + BigInt(t[1])).toString();

/** An SDK span as the receiver stores it (what an OTLP export of it decodes to). */
function stored(s: ReadableSpan): Span {
  const parent = s.parentSpanContext?.spanId;
  return {
    traceId: s.spanContext().traceId,
    spanId: s.spanContext().spanId,
    ...(parent ? { parentSpanId: parent } : {}),
    name: s.name,
    kind: KINDS[s.kind]!,
    startTimeUnixNano: ns(s.startTime),
    endTimeUnixNano: ns(s.endTime),
    status: { code: CODES[s.status.code]!, ...(s.status.message ? { message: s.status.message } : {}) },
    attributes: { ...s.attributes } as Span['attributes'],
    events: s.events.map((e) => ({
      name: e.name,
      timeUnixNano: ns(e.time),
      attributes: { ...(e.attributes ?? {}) } as Span['attributes'],
    })),
    serviceName: String(s.resource.attributes['service.name'] ?? ''),
    resource: { ...s.resource.attributes } as Span['attributes'],
    scope: { name: s.instrumentationScope.name },
  };
}

describe('analyzeTrace over spans recorded by core', () => {
  let t: TestTracing;
  beforeAll(() => {
    t = setupTracing({ setTracerProvider });
  });
  afterAll(() => t.shutdown());

  it('says what core’s CompletedTrace says about the same run', async () => {
    await withTrace('support', { groupId: 'conv-9', metadata: { tenant: 'acme' } }, async () => {
      await withAgentSpan('triage', async () => {
        await withGenerationSpan({ model: 'gpt-4o', provider: 'openai' }, async (g) => {
          g.update({
            usage: {
              inputTokens: 1000,
              outputTokens: 100,
              cacheReadInputTokens: 200,
              reasoningOutputTokens: 30,
            },
          });
        });
        await withToolSpan('lookup', async () => 'found');
        await withToolSpan('lookup', async () => 'found again');
        await withToolSpan('refund', async () => {
          throw new TypeError('refund failed');
        }).catch(() => undefined);
        withHandoffSpan({ fromAgent: 'triage', toAgent: 'billing' }, () => undefined);
      });
      await withAgentSpan('billing', async () => {
        await withGenerationSpan({ model: 'unpriced-model', provider: 'acme' }, async (g) => {
          g.update({ usage: { inputTokens: 50, outputTokens: 5 } });
        });
      });
    });
    const sdk = t.spans();
    const root = sdk.find((s) => !s.parentSpanContext)!;
    const core = new CompletedTrace(root, sdk);
    // Stored in any order, as a receiver gets them.
    const spans = sdk.map(stored).reverse();
    const analysis = analyzeTrace(spans);

    expect(analysis.tokens).toEqual(core.tokenTotals());
    expect(analysis.tokens).toMatchObject({
      inputTokens: 1050,
      outputTokens: 105,
      cacheReadInputTokens: 200,
      modelCalls: 2,
    });
    expect(analysis.costUsd).toBe(core.cost());
    expect(analysis.costUsd).toBeGreaterThan(0);
    expect(analysis.toolCalls).toEqual(core.toolCallCounts());
    expect(analysis.toolCalls).toEqual({ lookup: 2, refund: 1 });
    expect(analysis.handoffPath).toEqual(core.handoffPath());
    expect(analysis.handoffPath).toEqual(['triage', 'billing']);
    expect(analysis.errors).toEqual(
      core.errors().map((e) => ({
        spanId: e.span.spanContext().spanId,
        errorType: e.errorType,
        ...(e.message === undefined ? {} : { message: e.message }),
      })),
    );
    expect(analysis.errors).toEqual([
      expect.objectContaining({ errorType: 'TypeError', message: 'refund failed' }),
    ]);
    expect(analysis.slowSpans).toEqual(
      core
        .slowSpans(0)
        .slice(0, 5)
        .map((s) => ({
          spanId: s.spanContext().spanId,
          name: s.name,
          durationMs: Math.round((s.duration[0] * 1e3 + s.duration[1] / 1e6) * 1e6) / 1e6,
        })),
    );
    expect(analysis.durationMs).toBe(Math.round(core.durationMs * 1e6) / 1e6);

    const summary = summarizeTrace(spans);
    expect(summary).toMatchObject({
      traceId: root.spanContext().traceId,
      name: core.name,
      rootSpanName: 'invoke_workflow support',
      spanCount: sdk.length,
      modelCalls: 2,
      inputTokens: 1050,
      outputTokens: 105,
      costUsd: core.cost(),
      errorCount: core.errors().length,
      conversationId: 'conv-9',
      agents: ['billing', 'triage'],
    });
    // Start order, the root first, whatever the order they came in.
    const ordered = analyzeSpans(spans).spans;
    expect(ordered[0]!.spanId).toBe(root.spanContext().spanId);
    expect(ordered.map((s) => BigInt(s.startTimeUnixNano))).toEqual(
      ordered.map((s) => BigInt(s.startTimeUnixNano)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)),
    );
    expect(analyzeSpans(sdk.map(stored)).spans).toEqual(ordered);
  });
});

describe('analysis of stored spans', () => {
  const trace = (): Span[] => [
    span({ trace: 1, id: 1, start: 0, duration: 100, name: 'root' }),
    span({ trace: 1, id: 2, parent: 1, start: 0, duration: 60, name: 'a' }),
    span({ trace: 1, id: 3, parent: 2, start: 0, duration: 60, name: 'b' }),
    span({ trace: 1, id: 4, parent: 1, start: 70, duration: 5, name: 'c' }),
    span({ trace: 1, id: 5, parent: 1, start: 75, duration: 20, name: 'd' }),
    span({ trace: 1, id: 6, parent: 1, start: 76, duration: 1, name: 'e' }),
    chat({ trace: 1, id: 7, parent: 1, start: 80, duration: 10, input: 3, output: 4, cost: 0.5 }),
  ];

  it('does not depend on the order the spans come in', () => {
    const spans = trace();
    const expected = analyzeSpans(spans);
    for (const shuffled of [
      [...spans].reverse(),
      [spans[3]!, spans[0]!, spans[6]!, spans[1]!, spans[5]!, spans[2]!, spans[4]!],
    ]) {
      expect(analyzeSpans(shuffled)).toEqual(expected);
      expect(summarizeTrace(shuffled)).toEqual(summarizeTrace(spans));
    }
    // Equal starts: ancestors first.
    expect(expected.spans.map((s) => s.name)).toEqual(['root', 'a', 'b', 'c', 'd', 'e', 'chat test-model']);
  });

  it('lists the five slowest spans, ties by start', () => {
    expect(analyzeTrace(trace()).slowSpans).toEqual([
      { spanId: sid(1), name: 'root', durationMs: 100 },
      { spanId: sid(2), name: 'a', durationMs: 60 },
      { spanId: sid(3), name: 'b', durationMs: 60 },
      { spanId: sid(5), name: 'd', durationMs: 20 },
      { spanId: sid(7), name: 'chat test-model', durationMs: 10 },
    ]);
  });

  it('reads an error from the exception event when the status has no message', () => {
    const failed = span({
      trace: 2,
      id: 1,
      events: [
        {
          name: 'exception',
          timeUnixNano: String(BigInt(T0) * 1_000_000n),
          attributes: { 'exception.type': 'RangeError', 'exception.message': 'too far' },
        },
      ],
    });
    const withError = { ...failed, status: { code: 'ERROR' as const } };
    expect(analyzeTrace([withError]).errors).toEqual([
      { spanId: sid(1), errorType: 'RangeError', message: 'too far' },
    ]);
  });

  it('describes a trace whose root has not arrived by its earliest span', () => {
    const spans = trace().slice(3);
    const summary = summarizeTrace(spans);
    expect(summary).toMatchObject({
      rootSpanName: 'c',
      name: 'c',
      startMs: T0 + 70,
      durationMs: 25,
      spanCount: 4,
      costUsd: 0.5,
    });
    expect(analyzeTrace(spans).durationMs).toBe(5);
  });

  it('gives an empty analysis and no detail for no spans', () => {
    expect(analyzeTrace([])).toEqual({
      durationMs: 0,
      tokens: {
        inputTokens: 0,
        outputTokens: 0,
        cacheReadInputTokens: 0,
        cacheWriteInputTokens: 0,
        reasoningOutputTokens: 0,
        modelCalls: 0,
      },
      toolCalls: {},
      handoffPath: [],
      slowSpans: [],
      errors: [],
    });
    expect(traceDetail([])).toBeUndefined();
    expect(summarizeTrace([])).toMatchObject({ traceId: '', spanCount: 0, startMs: 0, durationMs: 0 });
  });

  it('builds a whole detail', () => {
    const detail = traceDetail(trace().reverse())!;
    expect(detail.summary).toEqual(summarizeTrace(trace()));
    expect(detail.spans[0]!.name).toBe('root');
    expect(detail.analysis).toEqual(analyzeTrace(trace()));
    expect(detail.summary.traceId).toBe(tid(1));
  });
});
