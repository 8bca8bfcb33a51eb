import { context, ROOT_CONTEXT, trace, type Tracer } from '@opentelemetry/api';
import { enableAsyncContext } from '@agent-otel/testing/tracing';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import {
  InMemorySpanExporter,
  SimpleSpanProcessor,
  TracerProvider,
  type IdGenerator,
  type ReadableSpan,
} from '@opentelemetry/sdk-trace';
import { ConsoleTreeExporter } from '../../src/export/ConsoleTreeExporter.js';
import { renderTraceTree } from '../../src/export/render-trace-tree.js';
import {
  ATTR_AGENT_OTEL_HANDOFF_FROM_AGENT,
  ATTR_AGENT_OTEL_HANDOFF_TO_AGENT,
  ATTR_AGENT_OTEL_SPAN_KIND,
  ATTR_AGENT_OTEL_USAGE_INPUT_TOKENS,
  ATTR_AGENT_OTEL_USAGE_OUTPUT_TOKENS,
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_AGENT_NAME,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_REQUEST_MODEL,
  ATTR_GEN_AI_TOOL_NAME,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
  ATTR_GEN_AI_USAGE_OUTPUT_TOKENS,
} from '../../src/semconv.js';
import { span, T0 } from './timed-span.js';

beforeAll(() => enableAsyncContext());
afterAll(() => context.disable());

/** Sequential ids, so rendered output is fixed. */
class SequentialIds implements IdGenerator {
  #trace = 0;
  #span = 0;
  generateTraceId(): string {
    return (++this.#trace).toString(16).padStart(32, '0');
  }
  generateSpanId(): string {
    return (++this.#span).toString(16).padStart(16, '0');
  }
}

function run(tracer: Tracer): void {
  span(
    tracer,
    'invoke_workflow support',
    { [ATTR_GEN_AI_OPERATION_NAME]: 'invoke_workflow', [ATTR_GEN_AI_AGENT_NAME]: 'support' },
    0,
    1000,
    () => {
      span(
        tracer,
        'invoke_agent triage',
        {
          [ATTR_GEN_AI_OPERATION_NAME]: 'invoke_agent',
          [ATTR_GEN_AI_AGENT_NAME]: 'triage',
          [ATTR_AGENT_OTEL_USAGE_INPUT_TOKENS]: 1000,
          [ATTR_AGENT_OTEL_USAGE_OUTPUT_TOKENS]: 100,
        },
        0,
        500,
        () => {
          span(
            tracer,
            'chat gpt-4o',
            {
              [ATTR_GEN_AI_OPERATION_NAME]: 'chat',
              [ATTR_GEN_AI_REQUEST_MODEL]: 'gpt-4o',
              [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 1000,
              [ATTR_GEN_AI_USAGE_OUTPUT_TOKENS]: 100,
            },
            100,
            400,
          );
          span(
            tracer,
            'execute_tool lookup',
            {
              [ATTR_GEN_AI_OPERATION_NAME]: 'execute_tool',
              [ATTR_GEN_AI_TOOL_NAME]: 'lookup',
              [ATTR_ERROR_TYPE]: 'TimeoutError',
            },
            400,
            450,
            undefined,
            'failed',
          );
        },
      );
      span(
        tracer,
        'handoff',
        {
          [ATTR_AGENT_OTEL_SPAN_KIND]: 'handoff',
          [ATTR_AGENT_OTEL_HANDOFF_FROM_AGENT]: 'triage',
          [ATTR_AGENT_OTEL_HANDOFF_TO_AGENT]: 'billing',
        },
        500,
        550,
      );
    },
  );
}

function setup(options: ConstructorParameters<typeof ConsoleTreeExporter>[0] = {}) {
  const lines: string[] = [];
  const exporter = new ConsoleTreeExporter({
    write: (l) => lines.push(l),
    color: false,
    timelineWidth: 20,
    ...options,
  });
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    idGenerator: new SequentialIds(),
    spanProcessors: [new SimpleSpanProcessor({ exporter }), new SimpleSpanProcessor({ exporter: memory })],
  });
  return { lines, exporter, memory, provider, tracer: provider.getTracer('test') };
}

const EXPECTED = [
  'Trace 00000000000000000000000000000001  support  1000.0 ms  5 spans',
  'invoke_workflow support      1000.0 ms  ok     |====================|',
  '|-- invoke_agent triage       500.0 ms  ok     |==========          |  agent=triage in=1000 out=100',
  '|   |-- chat gpt-4o           300.0 ms  ok     |  ======            |  model=gpt-4o in=1000 out=100 cost=$0.003500',
  '|   `-- execute_tool lookup    50.0 ms  ERROR  |        =           |  tool=lookup error=TimeoutError',
  '`-- handoff                    50.0 ms  ok     |          =         |  handoff=triage->billing',
  'Totals  model_calls=1 in=1000 out=100 cost=$0.003500 tool_calls=1 errors=1',
].join('\n');

describe('ConsoleTreeExporter', () => {
  it('prints a trace as a tree with durations, status, timeline and key attributes', async () => {
    const { lines, provider, tracer } = setup();
    run(tracer);
    expect(lines.join('\n')).toBe(EXPECTED);
    await provider.shutdown();
  });

  it('waits for the local root before printing', async () => {
    const { lines, provider, tracer } = setup();
    const root = tracer.startSpan('root', { startTime: T0 });
    tracer.startSpan('child', { startTime: T0 + 1 }, trace.setSpan(ROOT_CONTEXT, root)).end(T0 + 2);
    expect(lines).toEqual([]);
    root.end(T0 + 4);
    expect(lines).toEqual([
      'Trace 00000000000000000000000000000001  root  4.0 ms  2 spans',
      'root       4.0 ms  ok     |====================|',
      '`-- child  1.0 ms  ok     |     =====          |',
    ]);
    await provider.shutdown();
  });

  it('prints spans whose root never arrives at the top level on forceFlush', async () => {
    const { lines, provider, tracer } = setup();
    const missingParent = tracer.startSpan('never-exported', { startTime: T0 });
    const ctx = trace.setSpan(ROOT_CONTEXT, missingParent);
    tracer.startSpan('orphan-a', { startTime: T0 }, ctx).end(T0 + 10);
    tracer.startSpan('orphan-b', { startTime: T0 + 10 }, ctx).end(T0 + 20);
    expect(lines).toEqual([]);
    await provider.forceFlush();
    expect(lines).toEqual([
      'Trace 00000000000000000000000000000001  orphan-a  20.0 ms  2 spans  (partial: local root not received)',
      'orphan-a  10.0 ms  ok     |==========          |',
      'orphan-b  10.0 ms  ok     |          ==========|',
    ]);
    await provider.shutdown();
  });

  it('prints a trace without its root after maxWaitMs', async () => {
    const { lines, provider, tracer } = setup({ maxWaitMs: 5 });
    const parent = tracer.startSpan('p');
    tracer.startSpan('late', {}, trace.setSpan(ROOT_CONTEXT, parent)).end();
    expect(lines).toEqual([]);
    await new Promise((r) => setTimeout(r, 50));
    expect(lines[0]).toContain('(partial: local root not received)');
    expect(lines[1]).toMatch(/^late /);
    await provider.shutdown();
  });

  it('hides attributes and the timeline on request, and colors on request', async () => {
    const plain = setup({ showAttributes: false, timelineWidth: 0 });
    run(plain.tracer);
    expect(plain.lines[3]).toBe('|   |-- chat gpt-4o           300.0 ms  ok');
    expect(plain.lines).toHaveLength(6);
    await plain.provider.shutdown();

    const colored = setup({ color: true });
    run(colored.tracer);
    const text = colored.lines.join('\n');
    expect(text).toContain('\x1b[31mERROR\x1b[0m');
    expect(text).toContain('\x1b[32mok\x1b[0m');
    const ansi = new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g');
    expect(text.replace(ansi, '')).toBe(EXPECTED);
    await colored.provider.shutdown();
  });

  it('fails exports after shutdown and reports a failing write without throwing', async () => {
    const results: ExportResult[] = [];
    const { memory, provider, tracer } = setup();
    tracer.startSpan('x').end();
    const spans = memory.getFinishedSpans();

    const broken = new ConsoleTreeExporter({
      write: () => {
        throw new Error('EPIPE');
      },
    });
    expect(() => broken.export(spans, (r) => results.push(r))).not.toThrow();
    await broken.shutdown();
    broken.export(spans, (r) => results.push(r));
    expect(results.map((r) => r.code)).toEqual([ExportResultCode.FAILED, ExportResultCode.FAILED]);
    await provider.shutdown();
  });
});

describe('renderTraceTree', () => {
  it('renders the same spans the same way, whatever their order', async () => {
    const { memory, provider, tracer } = setup();
    run(tracer);
    const spans = memory.getFinishedSpans();
    const reversed: ReadableSpan[] = [...spans].reverse();
    const options = { timelineWidth: 20 };
    expect(renderTraceTree(spans, options)).toBe(EXPECTED);
    expect(renderTraceTree(reversed, options)).toBe(EXPECTED);
    await provider.shutdown();
  });

  it('renders one block per trace and nothing for no spans', async () => {
    const { memory, provider, tracer } = setup();
    tracer.startSpan('one', { startTime: T0 }).end(T0 + 1);
    tracer.startSpan('two', { startTime: T0 }).end(T0 + 2);
    const text = renderTraceTree(memory.getFinishedSpans(), { timelineWidth: 4, showAttributes: false });
    expect(text).toBe(
      [
        'Trace 00000000000000000000000000000001  one  1.0 ms  1 span',
        'one  1.0 ms  ok     |====|',
        'Trace 00000000000000000000000000000002  two  2.0 ms  1 span',
        'two  2.0 ms  ok     |====|',
      ].join('\n'),
    );
    expect(renderTraceTree([])).toBe('');
    await provider.shutdown();
  });
});
