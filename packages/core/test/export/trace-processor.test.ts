import {
  context,
  diag,
  DiagLogLevel,
  ROOT_CONTEXT,
  SpanStatusCode,
  trace,
  type DiagLogger,
  type Tracer,
} from '@opentelemetry/api';
import { enableAsyncContext } from '@agent-otel/testing/tracing';
import { TracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace';
import { CompletedTrace } from '../../src/export/CompletedTrace.js';
import {
  ATTR_AGENT_OTEL_HANDOFF_FROM_AGENT,
  ATTR_AGENT_OTEL_HANDOFF_TO_AGENT,
  ATTR_AGENT_OTEL_SPAN_KIND,
  ATTR_AGENT_OTEL_USAGE_INPUT_TOKENS,
  ATTR_AGENT_OTEL_USAGE_MODEL_CALLS,
  ATTR_AGENT_OTEL_USAGE_OUTPUT_TOKENS,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_RESPONSE_MODEL,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
} from '../../src/semconv.js';
import { span } from './timed-span.js';
import type { TraceProcessor } from '../../src/export/trace-processor.js';
import {
  addTraceProcessor,
  getTraceProcessors,
  setTraceProcessors,
} from '../../src/export/trace-processors-registry.js';
import {
  MAX_OPEN_TRACES,
  MAX_SPANS_PER_TRACE,
  TraceProcessorSpanProcessor,
  type TraceProcessorSpanProcessorOptions,
} from '../../src/export/TraceProcessorSpanProcessor.js';

beforeAll(() => enableAsyncContext());
afterAll(() => context.disable());

let provider: TracerProvider | undefined;
afterEach(async () => {
  await provider?.shutdown();
  provider = undefined;
  setTraceProcessors([]);
  diag.disable();
});

function setup(options: TraceProcessorSpanProcessorOptions = {}): {
  tracer: Tracer;
  processor: TraceProcessorSpanProcessor;
} {
  const processor = new TraceProcessorSpanProcessor(options);
  provider = new TracerProvider({ spanProcessors: [processor] });
  return { tracer: provider.getTracer('test'), processor };
}

function mockLogger(): DiagLogger & { warn: jest.Mock; debug: jest.Mock } {
  return { error: jest.fn(), warn: jest.fn(), info: jest.fn(), debug: jest.fn(), verbose: jest.fn() };
}

/** Records every hook call. */
class Recorder implements TraceProcessor {
  readonly calls: string[] = [];
  readonly traces: CompletedTrace[] = [];
  shutdowns = 0;
  onTraceStart(root: ReadableSpan): void {
    this.calls.push(`traceStart:${root.name}`);
  }
  onSpanStart(span: ReadableSpan): void {
    this.calls.push(`spanStart:${span.name}`);
  }
  onSpanEnd(span: ReadableSpan): void {
    this.calls.push(`spanEnd:${span.name}`);
  }
  onTraceEnd(t: CompletedTrace): void {
    this.calls.push(`traceEnd:${t.root.name}`);
    this.traces.push(t);
  }
  async shutdown(): Promise<void> {
    this.shutdowns++;
  }
}

/** A two-agent support run with three model calls, tools, two handoffs and one failing tool. */
function agentRun(tracer: Tracer): void {
  span(
    tracer,
    'invoke_workflow support',
    { [ATTR_GEN_AI_AGENT_NAME]: 'support', [ATTR_AGENT_OTEL_SPAN_KIND]: 'workflow' },
    0,
    1000,
    () => {
      span(
        tracer,
        'invoke_agent triage',
        {
          [ATTR_GEN_AI_OPERATION_NAME]: 'invoke_agent',
          [ATTR_GEN_AI_AGENT_NAME]: 'triage',
          // Rollups that must not be counted again.
          [ATTR_AGENT_OTEL_USAGE_INPUT_TOKENS]: 1000,
          [ATTR_AGENT_OTEL_USAGE_OUTPUT_TOKENS]: 100,
          [ATTR_AGENT_OTEL_USAGE_MODEL_CALLS]: 1,
        },
        10,
        400,
        () => {
          span(
            tracer,
            'chat gpt-4o',
            {
              [ATTR_GEN_AI_OPERATION_NAME]: 'chat',
              [ATTR_GEN_AI_REQUEST_MODEL]: 'gpt-4o',
              [ATTR_GEN_AI_RESPONSE_MODEL]: 'gpt-4o-2024-08-06',
              [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 1000,
              [ATTR_GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS]: 400,
              [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 100,
            },
            20,
            320,
          );
          span(
            tracer,
            'execute_tool lookup_order',
            { [ATTR_GEN_AI_OPERATION_NAME]: 'execute_tool', [ATTR_GEN_AI_TOOL_NAME]: 'lookup_order' },
            330,
            380,
          );
          span(
            tracer,
            'handoff',
            {
              [ATTR_GEN_AI_OPERATION_NAME]: 'execute_tool',
              [ATTR_AGENT_OTEL_SPAN_KIND]: 'handoff',
              [ATTR_GEN_AI_TOOL_NAME]: 'transfer_to_billing',
              [ATTR_AGENT_OTEL_HANDOFF_FROM_AGENT]: 'triage',
              [ATTR_AGENT_OTEL_HANDOFF_TO_AGENT]: 'billing',
            },
            385,
            390,
          );
        },
      );
      span(
        tracer,
        'invoke_agent billing',
        { [ATTR_GEN_AI_OPERATION_NAME]: 'invoke_agent', [ATTR_GEN_AI_AGENT_NAME]: 'billing' },
        400,
        900,
        () => {
          span(
            tracer,
            'chat claude-sonnet-4',
            {
              [ATTR_GEN_AI_OPERATION_NAME]: 'chat',
              [ATTR_GEN_AI_REQUEST_MODEL]: 'claude-sonnet-4-20250514',
              [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 2000,
              [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 200,
            },
            410,
            810,
          );
          span(
            tracer,
            'execute_tool lookup_order',
            { [ATTR_GEN_AI_OPERATION_NAME]: 'execute_tool', [ATTR_GEN_AI_TOOL_NAME]: 'lookup_order' },
            815,
            820,
          );
          span(
            tracer,
            'execute_tool refund',
            {
              [ATTR_GEN_AI_OPERATION_NAME]: 'execute_tool',
              [ATTR_GEN_AI_TOOL_NAME]: 'refund',
              [ATTR_ERROR_TYPE]: 'RefundDenied',
            },
            825,
            880,
            undefined,
            'refund denied',
          );
          span(
            tracer,
            'handoff',
            { [ATTR_AGENT_OTEL_SPAN_KIND]: 'handoff', [ATTR_AGENT_OTEL_HANDOFF_TO_AGENT]: 'supervisor' },
            885,
            890,
          );
        },
      );
      span(
        tracer,
        'embeddings text-embedding-3-small',
        {
          [ATTR_GEN_AI_OPERATION_NAME]: 'embeddings',
          [ATTR_GEN_AI_REQUEST_MODEL]: 'text-embedding-3-small',
          [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 500,
        },
        905,
        910,
      );
    },
  );
}

describe('TraceProcessorSpanProcessor', () => {
  it('delivers each trace once, asynchronously, after its local root ends', async () => {
    const rec = new Recorder();
    const { tracer } = setup({ processors: [rec] });
    agentRun(tracer);
    expect(rec.traces).toHaveLength(0); // not inside end()
    await provider!.forceFlush();
    await provider!.forceFlush();
    expect(rec.traces).toHaveLength(1);
    expect(rec.calls.filter((c) => c.startsWith('traceEnd'))).toEqual(['traceEnd:invoke_workflow support']);
    expect(rec.calls[0]).toBe('traceStart:invoke_workflow support');
    expect(rec.calls[1]).toBe('spanStart:invoke_workflow support');
    expect(rec.calls.filter((c) => c.startsWith('spanStart'))).toHaveLength(11);
    expect(rec.calls.filter((c) => c.startsWith('spanEnd'))).toHaveLength(11);
    expect(rec.calls.at(-2)).toBe('spanEnd:invoke_workflow support');
    expect(rec.traces[0]!.spans).toHaveLength(11);
  });

  it('computes the CompletedTrace helpers', async () => {
    const rec = new Recorder();
    const { tracer } = setup({ processors: [rec] });
    agentRun(tracer);
    await provider!.forceFlush();
    const t = rec.traces[0]!;

    expect(t.name).toBe('support');
    expect(t.traceId).toBe(t.root.spanContext().traceId);
    expect(t.durationMs).toBe(1000);
    expect(t.spans[0]).toBe(t.root);
    expect(t.spans.map((s) => s.startTime)).toEqual(
      [...t.spans.map((s) => s.startTime)].sort((a, b) => a[0] - b[0] || a[1] - b[1]),
    );

    expect(t.tokenTotals()).toEqual({
      inputTokens: 3500,
      outputTokens: 300,
      cacheReadInputTokens: 400,
      cacheWriteInputTokens: 0,
      reasoningOutputTokens: 0,
      modelCalls: 3,
    });
    // gpt-4o: 600*2.5 + 400*1.25 + 100*10; sonnet: 2000*3 + 200*15; embeddings: 500*0.02 (per 1M)
    expect(t.cost()).toBeCloseTo((3000 + 9000 + 10) / 1e6, 12);
    expect(t.toolCallCounts()).toEqual({ lookup_order: 2, refund: 1 });
    expect(t.handoffPath()).toEqual(['triage', 'billing', 'supervisor']);

    expect(t.slowSpans(300).map((s) => s.name)).toEqual([
      'invoke_workflow support',
      'invoke_agent billing',
      'chat claude-sonnet-4',
      'invoke_agent triage',
      'chat gpt-4o',
    ]);
    expect(t.slowSpans(10_000)).toEqual([]);

    const errors = t.errors();
    expect(errors).toHaveLength(1);
    expect(errors[0]!.span.name).toBe('execute_tool refund');
    expect(errors[0]).toMatchObject({ errorType: 'RefundDenied', message: 'refund denied' });

    expect(t.children(t.root).map((s) => s.name)).toEqual([
      'invoke_agent triage',
      'invoke_agent billing',
      'embeddings text-embedding-3-small',
    ]);
    const tree = t.tree();
    expect(tree).toHaveLength(1);
    expect(tree[0]!.span).toBe(t.root);
    expect(tree[0]!.children.map((n) => n.span.name)).toEqual(t.children(t.root).map((s) => s.name));
    expect(tree[0]!.children[0]!.children.map((n) => [n.span.name, n.depth])).toEqual([
      ['chat gpt-4o', 2],
      ['execute_tool lookup_order', 2],
      ['handoff', 2],
    ]);
    // Helpers return copies: mutating a result does not change the next one.
    t.toolCallCounts().refund = 99;
    t.handoffPath().push('x');
    expect(t.toolCallCounts().refund).toBe(1);
    expect(t.handoffPath()).toHaveLength(3);
  });

  it('reads the error type from the exception event when error.type is missing, and counts unpriced calls as uncosted', () => {
    const provider2 = new TracerProvider();
    const tracer = provider2.getTracer('t');
    const root = tracer.startSpan('root');
    const ctx = trace.setSpan(ROOT_CONTEXT, root);
    const failing = tracer.startSpan('fail', {}, ctx);
    failing.recordException(new TypeError('boom'));
    failing.setStatus({ code: SpanStatusCode.ERROR });
    failing.end();
    const local = tracer.startSpan(
      'chat local',
      {
        attributes: {
          [ATTR_GEN_AI_OPERATION_NAME]: 'chat',
          [ATTR_GEN_AI_REQUEST_MODEL]: 'llama-local',
          [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 5,
        },
      },
      ctx,
    );
    local.end();
    root.end();
    const t = new CompletedTrace(
      root as unknown as ReadableSpan,
      [failing, local] as unknown as ReadableSpan[],
    );
    expect(t.errors().map((e) => [e.errorType, e.message])).toEqual([['TypeError', 'boom']]);
    expect(t.tokenTotals().modelCalls).toBe(1);
    expect(t.cost()).toBeUndefined();
    expect(t.name).toBe('root');
    expect(t.handoffPath()).toEqual([]);
  });

  it('starts a trace at a span with a remote parent', async () => {
    const rec = new Recorder();
    const { tracer } = setup({ processors: [rec] });
    const remote = trace.setSpanContext(ROOT_CONTEXT, {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
      spanId: '00f067aa0ba902b7',
      traceFlags: 1,
      isRemote: true,
    });
    context.with(remote, () => span(tracer, 'server', {}, 0, 10, () => span(tracer, 'child', {}, 1, 2)));
    await provider!.forceFlush();
    expect(rec.traces).toHaveLength(1);
    expect(rec.traces[0]!.root.name).toBe('server');
    expect(rec.traces[0]!.traceId).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(rec.traces[0]!.spans.map((s) => s.name)).toEqual(['server', 'child']);
  });

  it('keeps concurrent traces apart', async () => {
    const rec = new Recorder();
    const { tracer } = setup({ processors: [rec] });
    const a = tracer.startSpan('a');
    const b = tracer.startSpan('b');
    const a1 = tracer.startSpan('a1', {}, trace.setSpan(context.active(), a));
    const b1 = tracer.startSpan('b1', {}, trace.setSpan(context.active(), b));
    b1.end();
    a1.end();
    b.end();
    a.end();
    await provider!.forceFlush();
    expect(rec.traces.map((t) => t.spans.map((s) => s.name))).toEqual([
      ['b', 'b1'],
      ['a', 'a1'],
    ]);
  });

  it('dispatches to the global registry', async () => {
    const rec = new Recorder();
    addTraceProcessor(rec);
    addTraceProcessor(rec);
    expect(getTraceProcessors()).toEqual([rec]);
    const { tracer } = setup();
    span(tracer, 'root', {}, 0, 1);
    await provider!.forceFlush();
    expect(rec.traces).toHaveLength(1);

    const second = new Recorder();
    setTraceProcessors([second]);
    expect(getTraceProcessors()).toEqual([second]);
    span(tracer, 'root2', {}, 0, 1);
    await provider!.forceFlush();
    expect(rec.traces).toHaveLength(1);
    expect(second.traces.map((t) => t.name)).toEqual(['root2']);
  });

  it('does not buffer when no processor is registered', async () => {
    const { tracer, processor } = setup();
    span(tracer, 'root', {}, 0, 1, () => span(tracer, 'child', {}, 0, 1));
    const late = new Recorder();
    addTraceProcessor(late);
    await processor.forceFlush();
    expect(late.traces).toHaveLength(0);
  });

  it('isolates a throwing and a rejecting processor from the others and from the app', async () => {
    const logger = mockLogger();
    diag.setLogger(logger, DiagLogLevel.DEBUG);
    const throwing: TraceProcessor = {
      onTraceStart: () => {
        throw new Error('start');
      },
      onSpanStart: () => {
        throw new Error('spanStart');
      },
      onSpanEnd: () => {
        throw new Error('spanEnd');
      },
      onTraceEnd: () => {
        throw new Error('end');
      },
      forceFlush: () => {
        throw new Error('flush');
      },
      shutdown: () => Promise.reject(new Error('shutdown')),
    };
    const rejecting: TraceProcessor = {
      onSpanEnd: (() => Promise.reject(new Error('async spanEnd'))) as unknown as () => void,
      onTraceEnd: () => Promise.reject(new Error('async end')),
    };
    const good = new Recorder();
    const { tracer } = setup({ processors: [throwing, rejecting, good] });

    expect(() => {
      agentRun(tracer);
      agentRun(tracer);
    }).not.toThrow();
    await expect(provider!.forceFlush()).resolves.toBeUndefined();
    expect(good.traces).toHaveLength(2);
    expect(good.calls.filter((c) => c.startsWith('spanEnd'))).toHaveLength(22);

    await provider!.shutdown();
    provider = undefined;
    expect(good.shutdowns).toBe(1);

    const warnings = logger.warn.mock.calls.map((c) => String(c[0]));
    // One warning per processor and hook kind, however many times it failed.
    expect(warnings.filter((w) => w.includes('onTraceStart'))).toHaveLength(1);
    expect(warnings.filter((w) => w.includes('onSpanStart'))).toHaveLength(1);
    expect(warnings.filter((w) => w.includes('onSpanEnd'))).toHaveLength(2);
    expect(warnings.filter((w) => w.includes('onTraceEnd'))).toHaveLength(2);
    expect(warnings.filter((w) => w.includes('forceFlush'))).toHaveLength(1);
    expect(warnings.filter((w) => w.includes('shutdown'))).toHaveLength(1);
    expect(warnings).toHaveLength(8);
  });

  it('forceFlush waits for asynchronous onTraceEnd work', async () => {
    let done = 0;
    const slow: TraceProcessor = {
      onTraceEnd: async () => {
        await new Promise((r) => setTimeout(r, 20));
        done++;
      },
    };
    const { tracer, processor } = setup({ processors: [slow] });
    span(tracer, 'a', {}, 0, 1);
    span(tracer, 'b', {}, 0, 1);
    await processor.forceFlush();
    expect(done).toBe(2);
  });

  it('shutdown delivers pending traces, shuts processors down once, then ignores new spans', async () => {
    const rec = new Recorder();
    const { tracer, processor } = setup({ processors: [rec] });
    span(tracer, 'before', {}, 0, 1);
    await Promise.all([processor.shutdown(), processor.shutdown()]);
    expect(rec.traces.map((t) => t.name)).toEqual(['before']);
    expect(rec.shutdowns).toBe(1);
    span(tracer, 'after', {}, 0, 1);
    await processor.forceFlush();
    expect(rec.calls.some((c) => c.includes('after'))).toBe(false);
  });

  it('evicts the oldest open trace past MAX_OPEN_TRACES, warning once', async () => {
    const logger = mockLogger();
    diag.setLogger(logger, DiagLogLevel.WARN);
    const rec = new Recorder();
    const { tracer } = setup({ processors: [rec] });
    expect(MAX_OPEN_TRACES).toBe(1000);
    const roots = Array.from({ length: MAX_OPEN_TRACES + 2 }, (_, i) => tracer.startSpan(`root${i}`));
    for (const r of roots) r.end();
    await provider!.forceFlush();
    expect(rec.traces).toHaveLength(MAX_OPEN_TRACES);
    expect(rec.traces[0]!.name).toBe('root2');
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(String(logger.warn.mock.calls[0]![0])).toContain('traces in flight');
  });

  it('keeps only the newest spans of a trace past maxSpansPerTrace, warning once', async () => {
    const logger = mockLogger();
    diag.setLogger(logger, DiagLogLevel.WARN);
    const rec = new Recorder();
    const { tracer } = setup({ processors: [rec], maxSpansPerTrace: 5 });
    expect(MAX_SPANS_PER_TRACE).toBe(10_000);
    for (let n = 0; n < 2; n++) {
      span(tracer, `root${n}`, {}, 0, 100, () => {
        for (let i = 0; i < 8; i++) span(tracer, `c${i}`, {}, i + 1, i + 2);
      });
    }
    await provider!.forceFlush();
    expect(rec.traces).toHaveLength(2);
    // 5 newest ended spans; the root always leads the trace.
    expect(rec.traces[0]!.spans.map((s) => s.name)).toEqual(['root0', 'c4', 'c5', 'c6', 'c7']);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(String(logger.warn.mock.calls[0]![0])).toContain('more than 5 spans');
  });

  it('still groups spans past the per-trace ownership limit by trace id', async () => {
    const rec = new Recorder();
    const { tracer } = setup({ processors: [rec], maxSpansPerTrace: 2 });
    span(tracer, 'root', {}, 0, 100, () => {
      span(tracer, 'a', {}, 1, 50, () => span(tracer, 'a1', {}, 2, 3));
    });
    await provider!.forceFlush();
    expect(rec.traces).toHaveLength(1);
    expect(rec.traces[0]!.spans.map((s) => s.name)).toEqual(['root', 'a']);
  });
});
