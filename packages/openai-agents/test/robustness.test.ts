// Guarded hooks, other processors failing, concurrency, bounded memory, abandoned traces, flushing.
import { SpanStatusCode } from '@opentelemetry/api';
import { BatchSpanProcessor, InMemorySpanExporter, TracerProvider } from '@opentelemetry/sdk-trace';
import { configureContent, resetContentPolicy } from '@agent-otel/core';
import { garbageCollector } from '@agent-otel/testing';
import * as agents from '@openai/agents';
import { Runner, Span, Trace, type SpanData, type TracingProcessor } from '@openai/agents';
import { OpenAIAgentsTracingProcessor } from '../src/index.js';
import { useAgentsHarness } from './agents-harness.js';
import { captureDiag, parentOf, tick, treeOf, waitFor } from './helpers.js';
import { createAgents, supportModel } from './support-flow.js';

const harness = useAgentsHarness();

afterEach(() => resetContentPolicy());

function throwingProcessor(): TracingProcessor {
  const fail = () => {
    throw new Error('processor bug');
  };
  return {
    onTraceStart: async () => undefined,
    onTraceEnd: async () => undefined,
    onSpanStart: fail as never,
    onSpanEnd: async () => Promise.reject(new Error('async processor bug')),
    shutdown: async () => undefined,
    forceFlush: async () => undefined,
  };
}

describe('other processors failing', () => {
  it('a processor whose span hooks throw or reject (added later, or set later) does not affect the bridge', async () => {
    const consoleError = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      agents.addTraceProcessor(throwingProcessor());
      harness.server.setDefault(supportModel);
      const result = await new Runner({ workflowName: 'support' }).run(
        createAgents().triage,
        'Status of INV-7?',
      );
      expect(result.finalOutput).toBe('Invoice INV-7 is paid: 42 EUR.');
      expect(treeOf(harness.tracing.spans())).toHaveLength(13);

      harness.tracing.reset();
      agents.setTraceProcessors([throwingProcessor()]);
      await new Runner({ workflowName: 'support' }).run(createAgents().triage, 'Status of INV-7?');
      expect(treeOf(harness.tracing.spans())).toHaveLength(13);
      expect(harness.tracing.spans().every((s) => s.status.code !== SpanStatusCode.ERROR)).toBe(true);
    } finally {
      agents.setTraceProcessors([]);
      consoleError.mockRestore();
    }
  });

  it('records a span whose start hook never reached the bridge, from its end, with SDK timestamps', async () => {
    const processor = new OpenAIAgentsTracingProcessor();
    const trace = new Trace({ traceId: 'trace_1', name: 'late' });
    await processor.onTraceStart(trace);
    const span = new Span(
      {
        traceId: 'trace_1',
        spanId: 'span_late',
        data: { type: 'custom', name: 'late', data: {} },
        startedAt: '2026-01-01T00:00:00.250Z',
        endedAt: '2026-01-01T00:00:01.500Z',
      },
      processor,
    );
    await processor.onSpanEnd(span);
    await processor.onSpanStart(span); // late: must not reopen it
    await processor.onTraceEnd(trace);
    const late = harness.tracing.byName('late');
    expect(late.startTime).toEqual([Date.parse('2026-01-01T00:00:00Z') / 1000, 250_000_000]);
    expect(late.endTime).toEqual([Date.parse('2026-01-01T00:00:01Z') / 1000, 500_000_000]);
  });
});

describe('guarded hooks', () => {
  it('never throws or rejects, whatever the SDK hands it; logs one warning per hook', async () => {
    const processor = new OpenAIAgentsTracingProcessor();
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('hostile getter');
        },
      },
    );
    const diag = captureDiag();
    const calls = [
      processor.onTraceStart(hostile as never),
      processor.onSpanStart(hostile as never),
      processor.onSpanStart(hostile as never),
      processor.onSpanEnd(hostile as never),
      processor.onTraceEnd(hostile as never),
      processor.onSpanStart(undefined as never),
      processor.onTraceStart(null as never),
      processor.forceFlush(),
      processor.shutdown(10),
    ];
    await expect(Promise.all(calls)).resolves.toBeDefined();
    diag.restore();
    const warnings = diag.messages.filter((m) => m.level === 'warn').map((m) => m.text.split(';')[0]);
    expect(new Set(warnings).size).toBe(warnings.length);
    expect(warnings).toEqual(
      expect.arrayContaining([
        '@agent-otel/openai-agents: onTraceStart failed',
        '@agent-otel/openai-agents: onSpanStart failed',
        '@agent-otel/openai-agents: onSpanEnd failed',
      ]),
    );
  });

  it('returns the same resolved promise from every span hook (no allocation, nothing to reject)', () => {
    const processor = new OpenAIAgentsTracingProcessor();
    expect(processor.onSpanStart(undefined as never)).toBe(processor.onSpanEnd(undefined as never));
  });
});

describe('concurrency', () => {
  it("200 concurrent runs: every span lands in its own run's trace", async () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    harness.server.setDefault((request) => ({
      ...supportModel(request),
      delayMs: Math.floor(Math.random() * 5),
    }));
    const runs = Array.from({ length: 200 }, (_, i) =>
      new Runner({ workflowName: 'support', groupId: `conv-${i}` }).run(
        createAgents().triage,
        `What is the status of invoice INV-${i}?`,
      ),
    );
    const results = await Promise.all(runs);
    results.forEach((result, i) => expect(result.finalOutput).toBe(`Invoice INV-${i} is paid: 42 EUR.`));

    const spans = harness.tracing.spans();
    const byTrace = new Map<string, typeof spans>();
    for (const span of spans) {
      const id = span.spanContext().traceId;
      byTrace.set(id, [...(byTrace.get(id) ?? []), span]);
    }
    expect(byTrace.size).toBe(200);
    for (const trace of byTrace.values()) {
      expect(treeOf(trace)).toHaveLength(13);
      const root = trace.find((s) => s.name === 'invoke_workflow support')!;
      const run = String(root.attributes['gen_ai.conversation.id']).replace('conv-', '');
      const tool = trace.find((s) => s.name === 'execute_tool lookup_invoice')!;
      expect(JSON.parse(String(tool.attributes['gen_ai.tool.call.arguments']))).toEqual({
        invoiceId: `INV-${run}`,
      });
      for (const agent of trace.filter((s) => s.name.startsWith('invoke_agent'))) {
        expect(agent.attributes['gen_ai.conversation.id']).toBe(`conv-${run}`);
      }
      const ids = new Set(trace.map((s) => s.spanContext().spanId));
      expect(trace.filter((s) => !ids.has(parentOf(s) ?? ''))).toEqual([root]);
    }
    expect(harness.handle.processor.openCounts).toEqual({ traces: 0, spans: 0 });
  }, 30_000);
});

describe('bounded memory', () => {
  function openSpan(
    processor: OpenAIAgentsTracingProcessor,
    traceId: string,
    spanId: string,
    data: SpanData,
  ) {
    return processor.onSpanStart(
      new Span({ traceId, spanId, data, startedAt: new Date().toISOString() }, processor),
    );
  }

  it('ends the oldest open span past maxOpenSpans, marked ended_by=evicted', async () => {
    const processor = new OpenAIAgentsTracingProcessor({ maxOpenSpans: 3 });
    await processor.onTraceStart(new Trace({ traceId: 'trace_leak', name: 'leaky' }));
    for (let i = 0; i < 5; i += 1) {
      await openSpan(processor, 'trace_leak', `span_${i}`, { type: 'custom', name: `leak ${i}`, data: {} });
    }
    expect(processor.openCounts).toEqual({ traces: 1, spans: 3 });
    expect(
      harness.tracing.spans().map((s) => [s.name, s.attributes['agent_otel.openai_agents.ended_by']]),
    ).toEqual([
      ['leak 0', 'evicted'],
      ['leak 1', 'evicted'],
    ]);
  });

  it('ends the oldest trace (root and open spans) past maxOpenTraces', async () => {
    const processor = new OpenAIAgentsTracingProcessor({ maxOpenTraces: 2 });
    for (let i = 0; i < 3; i += 1) {
      await processor.onTraceStart(new Trace({ traceId: `trace_${i}`, name: `run ${i}` }));
      await openSpan(processor, `trace_${i}`, `span_${i}`, { type: 'agent', name: `agent ${i}` });
    }
    expect(processor.openCounts).toEqual({ traces: 2, spans: 2 });
    expect(
      harness.tracing.spans().map((s) => [s.name, s.attributes['agent_otel.openai_agents.ended_by']]),
    ).toEqual([
      ['invoke_agent agent 0', 'evicted'],
      ['invoke_workflow run 0', 'evicted'],
    ]);
  });

  it('rejects invalid limits with a warning and uses the defaults', () => {
    const diag = captureDiag();
    new OpenAIAgentsTracingProcessor({ maxOpenSpans: -1, maxOpenTraces: 1.5 });
    diag.restore();
    expect(diag.messages.filter((m) => m.level === 'warn')).toHaveLength(2);
  });

  it('ends the spans of an SDK trace that was garbage-collected unfinished, marked ended_by=abandoned', async () => {
    const processor = new OpenAIAgentsTracingProcessor();
    await (async () => {
      const trace = new Trace({ traceId: 'trace_abandoned', name: 'abandoned run' });
      await processor.onTraceStart(trace);
      await openSpan(processor, 'trace_abandoned', 'span_open', { type: 'agent', name: 'forgotten' });
    })();
    const collect = garbageCollector();
    await waitFor(
      () => {
        collect();
        return processor.openCounts.traces === 0;
      },
      { timeoutMillis: 5000 },
    );
    await tick();
    expect(
      harness.tracing.spans().map((s) => [s.name, s.attributes['agent_otel.openai_agents.ended_by']]),
    ).toEqual([
      ['invoke_agent forgotten', 'abandoned'],
      ['invoke_workflow abandoned run', 'abandoned'],
    ]);
  });
});

describe('flushing', () => {
  it('forceFlush() and shutdown() flush the OTel side, also through the SDK provider', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new TracerProvider({
      spanProcessors: [new BatchSpanProcessor({ exporter, scheduledDelayMillis: 60_000 })],
    });
    const processor = new OpenAIAgentsTracingProcessor({ tracerProvider: provider });
    const trace = new Trace({ traceId: 'trace_flush', name: 'flushed' });
    await processor.onTraceStart(trace);
    await processor.onTraceEnd(trace);
    expect(exporter.getFinishedSpans()).toHaveLength(0);
    await processor.forceFlush();
    expect(exporter.getFinishedSpans().map((s) => s.name)).toEqual(['invoke_workflow flushed']);

    await processor.onTraceStart(new Trace({ traceId: 'trace_flush_2', name: 'second' }));
    await processor.onTraceEnd(new Trace({ traceId: 'trace_flush_2', name: 'second' }));
    await processor.shutdown(1000);
    expect(exporter.getFinishedSpans()).toHaveLength(2);
    // shutdown() also runs when setTraceProcessors() replaces the processors: the bridge keeps working.
    await processor.onTraceStart(new Trace({ traceId: 'trace_flush_3', name: 'third' }));
    await processor.onTraceEnd(new Trace({ traceId: 'trace_flush_3', name: 'third' }));
    await processor.forceFlush();
    expect(exporter.getFinishedSpans()).toHaveLength(3);
    await provider.shutdown();
  });

  it("the SDK's getGlobalTraceProvider().forceFlush() flushes the OTel side too", async () => {
    const flush = jest.spyOn(harness.tracing.provider, 'forceFlush');
    await agents.getGlobalTraceProvider().forceFlush();
    expect(flush).toHaveBeenCalled();
    flush.mockRestore();
  });
});
