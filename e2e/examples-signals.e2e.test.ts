import { randomUUID } from 'node:crypto';
import { checkTelemetry, conformanceMessage } from '@agent-otel/testing/conformance';
import { runNode } from './support/child';
import { sharedJaeger, uniqueService } from './support/e2e-env';
import { discoverExamples } from './support/examples';
import type { Example, ExpectedSpan } from './support/examples';
import { RUN_ATTRIBUTE, waitForRunSpans } from './support/jaeger-query';
import type { StoredSpan } from './support/jaeger-query';
import { waitForLogs, waitForMetrics } from './support/signals-query';
import type { LogEntry, MetricPoint } from './support/signals-query';
import {
  checkableLogRecords,
  checkableMetrics,
  checkableSpans,
  latestPerSeries,
} from './support/conformance-input';

// The examples' metrics and log records, next to their traces: each example runs as a user runs it
// (`--import @agent-otel/node/register`, content captured as events), exports all three signals to
// the real Jaeger (an OpenTelemetry Collector), which stores the traces and forwards metrics and
// logs to the suite's sink. What arrived must conform to the vendored semconv registry, and the
// metric values must be those of the spans of the same run.

const examples = discoverExamples();

interface Signals {
  spans: StoredSpan[];
  metrics: MetricPoint[];
  logs: LogEntry[];
}

function countSpans(node: ExpectedSpan): number {
  return 1 + (node.children ?? []).reduce((sum, child) => sum + countSpans(child), 0);
}

const ofRun = (runId: string) => (item: { resource: Readonly<Record<string, unknown>> }) =>
  item.resource[RUN_ATTRIBUTE] === runId;

async function runWithSignals(example: Example): Promise<Signals> {
  const { otlpUrl, queryUrl } = sharedJaeger();
  const service = uniqueService(`${example.dir}-signals`);
  const runId = randomUUID();
  const result = await runNode([...example.args], {
    cwd: example.path,
    env: {
      ...example.descriptor?.env,
      OTEL_SERVICE_NAME: service,
      OTEL_RESOURCE_ATTRIBUTES: `${RUN_ATTRIBUTE}=${runId}`,
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
      OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'EVENT_ONLY',
    },
  });
  if (result.code !== 0) throw new Error(`${example.dir} exited ${result.code}:\n${result.stderr}`);
  expect(result.stderr).toBe('');
  const expectedSpans = example.descriptor
    ? example.descriptor.traces.reduce((sum, tree) => sum + countSpans(tree), 0)
    : 1;
  const spans = await waitForRunSpans(queryUrl, service, runId, { minSpans: expectedSpans });
  const services = [...new Set(spans.map((span) => String(span.resource['service.name'])))];
  const chatSpans = spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat').length;
  const metrics: MetricPoint[] = [];
  const logs: LogEntry[] = [];
  for (const name of services) {
    const own = spans.filter((span) => span.resource['service.name'] === name);
    const ownChats = own.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat').length;
    // Every process of the run exports its metrics at exit; wait until this one's arrived.
    metrics.push(
      ...(
        await waitForMetrics(name, (points) => {
          const run = points.filter(ofRun(runId));
          return ownChats === 0 ? run.length > 0 : inferenceCount(latestPerSeries(run)) >= ownChats;
        })
      ).filter(ofRun(runId)),
    );
    if (ownChats > 0) {
      logs.push(
        ...(
          await waitForLogs(name, (records) => detailsOf(records.filter(ofRun(runId))).length >= ownChats)
        ).filter(ofRun(runId)),
      );
    }
  }
  expect(chatSpans).toBeGreaterThan(0);
  return { spans, metrics: latestPerSeries(metrics), logs };
}

function inferenceCount(points: readonly MetricPoint[]): number {
  return points
    .filter((point) => point.name === 'gen_ai.client.inference.duration' && point.type === 'histogram')
    .reduce((sum, point) => sum + (point.type === 'histogram' ? point.value.count : 0), 0);
}

function detailsOf(records: readonly LogEntry[]): LogEntry[] {
  return records.filter((record) => record.eventName === 'gen_ai.client.inference.operation.details');
}

function seconds(span: StoredSpan): number {
  return Number(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1e9;
}

function histogram(points: readonly MetricPoint[], name: string): { count: number; sum: number } {
  let count = 0;
  let sum = 0;
  for (const point of points) {
    if (point.name !== name || point.type !== 'histogram') continue;
    count += point.value.count;
    sum += point.value.sum ?? 0;
  }
  return { count, sum };
}

function counter(points: readonly MetricPoint[], name: string): number {
  return points
    .filter((point) => point.name === name && point.type === 'sum')
    .reduce((sum, point) => sum + (point.type === 'sum' ? point.value : 0), 0);
}

function tokens(spans: readonly StoredSpan[], key: string): number {
  return spans.reduce((sum, span) => sum + Number(span.attributes[key] ?? 0), 0);
}

describe.each(examples.map((example) => [example.dir, example] as const))('example %s', (_dir, example) => {
  let signals: Signals;

  beforeAll(async () => {
    signals = await runWithSignals(example);
  }, 180_000);

  it('exports spans, metrics and log records that conform to the vendored semconv registry', () => {
    const report = checkTelemetry({
      spans: checkableSpans(signals.spans),
      metrics: checkableMetrics(signals.metrics),
      logRecords: checkableLogRecords(signals.logs),
    });
    if (report.violations.length > 0) throw new Error(conformanceMessage(report));
    expect(report.violations).toEqual([]);
    const names = new Set(signals.metrics.map((point) => point.name));
    expect(names).toContain('gen_ai.client.inference.duration');
    expect(names).toContain('gen_ai.client.inference.usage.input_tokens');
  });

  it("records each model call's duration and usage as its span has them", () => {
    const chats = signals.spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat');
    const duration = histogram(signals.metrics, 'gen_ai.client.inference.duration');
    expect(duration.count).toBe(chats.length);
    // Jaeger keeps span times to the microsecond.
    expect(Math.abs(duration.sum - chats.reduce((sum, span) => sum + seconds(span), 0))).toBeLessThan(
      chats.length * 2e-6 + 1e-9,
    );
    expect(counter(signals.metrics, 'gen_ai.client.inference.usage.input_tokens')).toBe(
      tokens(chats, 'gen_ai.usage.input_tokens'),
    );
    expect(counter(signals.metrics, 'gen_ai.client.inference.usage.output_tokens')).toBe(
      tokens(chats, 'gen_ai.usage.output_tokens'),
    );
    expect(histogram(signals.metrics, 'gen_ai.client.inference.operation.input_tokens').sum).toBe(
      tokens(chats, 'gen_ai.usage.input_tokens'),
    );
  });

  it('records every agent and workflow run and every tool execution', () => {
    const runs = signals.spans.filter((span) =>
      ['invoke_agent', 'invoke_workflow'].includes(String(span.attributes['gen_ai.operation.name'])),
    );
    const agentDuration = histogram(signals.metrics, 'gen_ai.invoke_agent.duration');
    expect(agentDuration.count).toBe(runs.length);
    expect(Math.abs(agentDuration.sum - runs.reduce((sum, span) => sum + seconds(span), 0))).toBeLessThan(
      runs.length * 2e-6 + 1e-9,
    );
    const tools = signals.spans.filter(
      (span) =>
        span.attributes['gen_ai.operation.name'] === 'execute_tool' && span.attributes['gen_ai.tool.name'],
    );
    expect(histogram(signals.metrics, 'gen_ai.execute_tool.duration').count).toBe(tools.length);
  });

  it('puts the content of each model call on one details log record, in its span, and none on spans', () => {
    const chats = signals.spans.filter((span) => span.attributes['gen_ai.operation.name'] === 'chat');
    const details = detailsOf(signals.logs);
    expect(details.map((record) => record.spanId).sort()).toEqual(chats.map((span) => span.spanId).sort());
    for (const record of details) {
      expect(record.severityNumber).toBe(5);
      expect(Array.isArray(record.attributes['gen_ai.input.messages'])).toBe(true);
      expect(record.traceId).toBe(chats.find((span) => span.spanId === record.spanId)!.traceId);
    }
    for (const span of signals.spans) expect(span.attributes['gen_ai.input.messages']).toBeUndefined();
  });
});

it('finds the runnable examples', () => {
  expect(examples.map((example) => example.dir).sort()).toEqual([
    'ai-sdk-agent',
    'langgraph-agent',
    'mcp-agent',
    'openai-agents-support',
    'support-agent',
  ]);
});
