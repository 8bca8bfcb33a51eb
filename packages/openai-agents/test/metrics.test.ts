// GenAI metrics and event log records through the bridge, with @agent-otel/instrumentation-openai
// claiming the bridge's model spans (modelSpans: merge), as @agent-otel/node runs them.
import { SpanStatusCode, type Attributes } from '@opentelemetry/api';
import type { MetricData, ResourceMetrics } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import * as openai from 'openai';
import { OpenAIInstrumentation } from '@agent-otel/instrumentation-openai';
import { Runner } from '@openai/agents';
import { useAgentsHarness } from './agents-harness.js';
import { createAgents, supportModel } from './support-flow.js';

const harness = useAgentsHarness({ modelSpans: 'merge' });
let clientInstrumentation: OpenAIInstrumentation;

beforeAll(() => {
  clientInstrumentation = new OpenAIInstrumentation();
  clientInstrumentation.setTracerProvider(harness.tracing.provider);
  clientInstrumentation.manuallyInstrument(openai);
});

afterAll(() => clientInstrumentation.disable());

interface Point {
  attributes: Attributes;
  /** A counter's value, or a histogram's count. */
  value: number;
  /** A histogram's sum. */
  sum?: number;
}

/** The data points of one metric (none when it was not recorded). */
function points(metrics: ResourceMetrics, name: string): Point[] {
  const metric: MetricData | undefined = metrics.scopeMetrics
    .flatMap((scope) => scope.metrics)
    .find((m) => m.descriptor.name === name);
  return (metric?.dataPoints ?? []).map((point) => {
    const value = point.value as number | { count: number; sum?: number };
    return typeof value === 'number'
      ? { attributes: point.attributes, value }
      : { attributes: point.attributes, value: value.count, sum: value.sum };
  });
}

function total(metrics: ResourceMetrics, name: string): number {
  return points(metrics, name).reduce((sum, point) => sum + point.value, 0);
}

function chats(): ReadableSpan[] {
  return harness.tracing.spans().filter((span) => span.name.startsWith('chat'));
}

/** The sum of one usage attribute over the model spans. */
function spanUsage(key: string): number {
  return chats().reduce((sum, span) => sum + Number(span.attributes[key] ?? 0), 0);
}

/** Runs the billing agent alone: one tool call between two model calls. */
async function runBilling(question: string): Promise<ResourceMetrics> {
  await harness.tracing.metrics(); // what earlier tests recorded
  harness.server.setDefault(supportModel);
  await new Runner({ workflowName: 'billing' }).run(createAgents().billing, question);
  return harness.tracing.metrics();
}

describe('metrics through the bridge', () => {
  it('records the agent and workflow runs, the tool, and each model call once', async () => {
    const metrics = await runBilling('What is the status of invoice INV-7?');
    expect(chats()).toHaveLength(2);

    const runs = points(metrics, 'gen_ai.invoke_agent.duration');
    expect(runs.map((point) => [point.attributes, point.value])).toEqual(
      expect.arrayContaining([
        [{ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'Billing agent' }, 1],
        [{ 'gen_ai.operation.name': 'invoke_workflow', 'gen_ai.agent.name': 'billing' }, 1],
      ]),
    );
    expect(runs).toHaveLength(2);

    expect(points(metrics, 'gen_ai.execute_tool.duration').map((p) => [p.attributes, p.value])).toEqual([
      [
        {
          'gen_ai.operation.name': 'execute_tool',
          'gen_ai.tool.name': 'lookup_invoice',
          'gen_ai.tool.type': 'function',
          'gen_ai.agent.name': 'Billing agent',
        },
        1,
      ],
    ]);

    // Two model calls, two points in all: the client's claim on the bridge's span records nothing twice.
    expect(total(metrics, 'gen_ai.client.inference.duration')).toBe(2);
    for (const point of points(metrics, 'gen_ai.client.inference.duration')) {
      expect(point.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'server.address': '127.0.0.1',
      });
    }
    expect(total(metrics, 'gen_ai.client.inference.operation.input_tokens')).toBe(2);
    expect(total(metrics, 'gen_ai.client.operation.duration')).toBe(0);

    // The usage counters add up to the model spans' usage, and to what the model reported.
    expect(total(metrics, 'gen_ai.client.inference.usage.input_tokens')).toBe(
      spanUsage('gen_ai.usage.input_tokens'),
    );
    expect(total(metrics, 'gen_ai.client.inference.usage.output_tokens')).toBe(
      spanUsage('gen_ai.usage.output_tokens'),
    );
    expect(total(metrics, 'gen_ai.client.inference.usage.cache_read.input_tokens')).toBe(
      spanUsage('gen_ai.usage.cache_read.input_tokens'),
    );
    expect(spanUsage('gen_ai.usage.input_tokens')).toBe(80 + 120);
    expect(spanUsage('gen_ai.usage.output_tokens')).toBe(10 + 15);
    expect(spanUsage('gen_ai.usage.cache_read.input_tokens')).toBe(64);
    // And to the roll-up on the agent span.
    expect(harness.tracing.byName('invoke_agent Billing agent').attributes['gen_ai.usage.input_tokens']).toBe(
      spanUsage('gen_ai.usage.input_tokens'),
    );
  });

  it('a tool that throws: the tool duration with error.type, and one gen_ai.execute_tool.exception', async () => {
    const metrics = await runBilling('What is the status of invoice INV-404?');
    const tool = harness.tracing.byName('execute_tool lookup_invoice');
    expect(tool.status.code).toBe(SpanStatusCode.ERROR);

    expect(points(metrics, 'gen_ai.execute_tool.duration').map((p) => p.attributes)).toEqual([
      {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'lookup_invoice',
        'gen_ai.tool.type': 'function',
        'gen_ai.agent.name': 'Billing agent',
        'error.type': 'tool_error',
      },
    ]);

    const exceptions = harness.tracing
      .logRecords()
      .filter((record) => record.eventName?.endsWith('.exception'));
    expect(exceptions.map((record) => record.eventName)).toEqual(['gen_ai.execute_tool.exception']);
    const [exception] = exceptions;
    expect(exception!.severityNumber).toBe(13);
    expect(exception!.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'lookup_invoice',
      'error.type': 'tool_error',
      'exception.type': 'tool_error',
      // The SDK's SpanError message (the tool's own error is in its data, content).
      'exception.message': 'Error running tool (non-fatal)',
    });
    // In the tool span's context, so a log backend links it to the span.
    expect(exception!.spanContext?.spanId).toBe(tool.spanContext().spanId);
    expect(exception!.spanContext?.traceId).toBe(tool.spanContext().traceId);
  });

  it('a model call that fails: one gen_ai.client.inference.exception, and the duration with error.type', async () => {
    await harness.tracing.metrics();
    harness.server.setDefault({ error: { status: 500, message: 'the model is down' } });
    await expect(
      new Runner({ workflowName: 'billing' }).run(createAgents().billing, 'Status of INV-7?'),
    ).rejects.toThrow();
    const metrics = await harness.tracing.metrics();

    const failed = points(metrics, 'gen_ai.client.inference.duration');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.value).toBe(1);
    expect(failed[0]!.attributes['error.type']).toEqual(expect.any(String));
    const exceptions = harness.tracing
      .logRecords()
      .filter((record) => record.eventName === 'gen_ai.client.inference.exception');
    expect(exceptions).toHaveLength(1);
    expect(exceptions[0]!.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'error.type': failed[0]!.attributes['error.type'],
    });
  });
});
