import { metrics } from '@opentelemetry/api';
import {
  AggregationTemporality,
  DataPointType,
  MeterProvider,
  MetricReader,
  type DataPoint,
  type Histogram,
  type MetricData,
} from '@opentelemetry/sdk-metrics';
import { configureContent } from '../../src/content/policy';
import { configureMetrics, resetMetrics, activeInstruments } from '../../src/metrics/genai-metrics';
import {
  withAgentSpan,
  withEmbeddingsSpan,
  withFunctionSpan,
  withGenerationSpan,
  withMcpCallSpan,
  withRerankSpan,
  withRetrievalSpan,
} from '../../src/kinds/factories';
import { withTrace } from '../../src/api/trace';
import { traceClientCall } from '../../src/calls/client-call';
import { createGenerationSpan } from '../../src/kinds/factories';
import { startSpan } from '../../src/api/with-span';
import type { GenerationSpanData } from '../../src/kinds/span-data';
import { getTracer } from '../../src/api/tracer';
import { startModelCallSpan, withoutModelCallMerge } from '../../src/calls/model-call-claim';
import { setupTracing, type TestTracing } from '../helpers';

/** A reader the test collects from on demand (cumulative). */
class TestReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

let t: TestTracing;
let reader: TestReader;
let meterProvider: MeterProvider;

beforeEach(() => {
  t = setupTracing();
  reader = new TestReader({ aggregationTemporalitySelector: () => AggregationTemporality.CUMULATIVE });
  meterProvider = new MeterProvider({ readers: [reader] });
  configureMetrics({ meterProvider });
});

afterEach(async () => {
  resetMetrics();
  await meterProvider.shutdown();
  await t.shutdown();
});

async function collected(): Promise<MetricData[]> {
  const { resourceMetrics, errors } = await reader.collect();
  expect(errors).toEqual([]);
  return resourceMetrics.scopeMetrics.flatMap((scope) => {
    expect(scope.scope.name).toBe('@agent-otel/core');
    return scope.metrics;
  });
}

function metric(all: MetricData[], name: string): MetricData {
  const found = all.filter((m) => m.descriptor.name === name);
  if (found.length !== 1) {
    throw new Error(
      `expected one metric ${name}, got ${found.length}: ${all.map((m) => m.descriptor.name).join(', ')}`,
    );
  }
  return found[0]!;
}

function points(all: MetricData[], name: string): DataPoint<unknown>[] {
  return metric(all, name).dataPoints as DataPoint<unknown>[];
}

function onlyPoint(all: MetricData[], name: string): DataPoint<unknown> {
  const found = points(all, name);
  expect(found).toHaveLength(1);
  return found[0]!;
}

function spanSeconds(name: string): number {
  const span = t.byName(name);
  return span.duration[0] + span.duration[1] / 1e9;
}

const CHAT_ATTRIBUTES = {
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o',
  'gen_ai.response.model': 'gpt-4o-2024-08-06',
  'server.address': 'api.openai.com',
  'server.port': 443,
};

function chat(usage?: object, fail?: Error): void {
  const run = () =>
    withGenerationSpan(
      { model: 'gpt-4o', provider: 'openai', serverAddress: 'api.openai.com', serverPort: 443 },
      (span) => {
        span.update({ responseModel: 'gpt-4o-2024-08-06', usage: usage as never, responseId: 'resp_1' });
        if (fail) throw fail;
      },
    );
  if (fail) expect(run).toThrow(fail);
  else run();
}

describe('inference metrics', () => {
  it('records the duration of a model call as its span lasted, with the listed attributes only', async () => {
    chat({ inputTokens: 100, outputTokens: 20 });
    const all = await collected();
    const duration = metric(all, 'gen_ai.client.inference.duration');
    expect(duration.descriptor.unit).toBe('s');
    expect(duration.dataPointType).toBe(DataPointType.HISTOGRAM);
    const point = duration.dataPoints[0] as DataPoint<Histogram>;
    expect(duration.dataPoints).toHaveLength(1);
    expect(point.attributes).toEqual(CHAT_ATTRIBUTES); // no response id, no content
    expect(point.value.count).toBe(1);
    expect(point.value.sum).toBeCloseTo(spanSeconds('chat gpt-4o'), 9);
    expect(point.value.buckets.boundaries).toEqual([
      0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92,
    ]);
    expect(all.map((m) => m.descriptor.name)).not.toContain('gen_ai.client.inference.time_to_first_chunk');
    expect(all.map((m) => m.descriptor.name)).not.toContain('gen_ai.client.operation.duration');
  });

  it('counts usage per modality where the provider broke it down, the rest as unknown', async () => {
    chat({
      inputTokens: 300,
      outputTokens: 50,
      cacheReadInputTokens: 40,
      cacheWriteInputTokens: 7,
      reasoningOutputTokens: 12,
      modalities: {
        text: { inputTokens: 100, cacheReadInputTokens: 40 },
        image: { inputTokens: 200 },
        audio: { outputTokens: 30 },
      },
    });
    const all = await collected();
    const byModality = (name: string) =>
      Object.fromEntries(
        points(all, name).map((p) => {
          const { 'gen_ai.token.modality': modality, ...rest } = p.attributes;
          expect(rest).toEqual(CHAT_ATTRIBUTES);
          return [modality, p.value];
        }),
      );
    expect(metric(all, 'gen_ai.client.inference.usage.input_tokens').descriptor.unit).toBe('{token}');
    expect(byModality('gen_ai.client.inference.usage.input_tokens')).toEqual({ text: 100, image: 200 });
    expect(byModality('gen_ai.client.inference.usage.output_tokens')).toEqual({ audio: 30, unknown: 20 });
    expect(byModality('gen_ai.client.inference.usage.cache_read.input_tokens')).toEqual({ text: 40 });
    expect(byModality('gen_ai.client.inference.usage.cache_write.input_tokens')).toEqual({ unknown: 7 });
    expect(byModality('gen_ai.client.inference.usage.reasoning.output_tokens')).toEqual({ unknown: 12 });
    const input = onlyPoint(all, 'gen_ai.client.inference.operation.input_tokens') as DataPoint<Histogram>;
    expect(input.value.sum).toBe(300);
    expect(input.value.buckets.boundaries[0]).toBe(1);
    expect(
      (onlyPoint(all, 'gen_ai.client.inference.operation.output_tokens') as DataPoint<Histogram>).value.sum,
    ).toBe(50);
  });

  it('sums the counters over calls and leaves zero cache and reasoning out', async () => {
    chat({ inputTokens: 10, outputTokens: 2, cacheReadInputTokens: 0 });
    chat({ inputTokens: 5, outputTokens: 1 });
    const all = await collected();
    expect(onlyPoint(all, 'gen_ai.client.inference.usage.input_tokens').value).toBe(15);
    expect(onlyPoint(all, 'gen_ai.client.inference.usage.output_tokens').value).toBe(3);
    expect(all.map((m) => m.descriptor.name)).not.toContain(
      'gen_ai.client.inference.usage.cache_read.input_tokens',
    );
    const duration = onlyPoint(all, 'gen_ai.client.inference.duration') as DataPoint<Histogram>;
    expect(duration.value.count).toBe(2);
  });

  it('records a failed call with error.type and zero usage as unknown modality', async () => {
    chat(undefined, new RangeError('boom'));
    const all = await collected();
    const duration = onlyPoint(all, 'gen_ai.client.inference.duration');
    expect(duration.attributes).toEqual({ ...CHAT_ATTRIBUTES, 'error.type': 'RangeError' });
    const input = onlyPoint(all, 'gen_ai.client.inference.usage.input_tokens');
    expect(input.value).toBe(0);
    expect(input.attributes['gen_ai.token.modality']).toBe('unknown');
    expect(input.attributes['error.type']).toBeUndefined();
    const tokens = onlyPoint(all, 'gen_ai.client.inference.operation.input_tokens');
    expect(tokens.attributes['error.type']).toBe('RangeError');
  });

  it('records time to first chunk and, when asked, the time per output chunk of a stream', async () => {
    configureMetrics({ meterProvider, outputChunkTimes: true });
    const span = createGenerationSpan({ model: 'gpt-4o', provider: 'openai', stream: true });
    span.start();
    async function* chunks() {
      for (let i = 0; i < 4; i++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        yield { i };
      }
    }
    const stream = traceClientCall(span, () => chunks());
    for await (const chunk of stream) void chunk;
    const all = await collected();
    const ttfc = onlyPoint(all, 'gen_ai.client.inference.time_to_first_chunk') as DataPoint<Histogram>;
    expect(ttfc.value.count).toBe(1);
    expect(ttfc.value.sum).toBeCloseTo(
      t.byName('chat gpt-4o').attributes['gen_ai.response.time_to_first_chunk'] as number,
      9,
    );
    const perChunk = onlyPoint(all, 'gen_ai.client.inference.time_per_output_chunk') as DataPoint<Histogram>;
    expect(perChunk.value.count).toBe(3); // every chunk after the first
    expect(perChunk.value.min).toBeGreaterThan(0.003);
    expect(perChunk.attributes).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o',
    });
  });

  it('records gen_ai.client.operation.duration for embeddings, not the inference metrics', async () => {
    withEmbeddingsSpan({ model: 'text-embedding-3-small', provider: 'openai' }, (span) =>
      span.update({ usage: { inputTokens: 8 } }),
    );
    const all = await collected();
    expect(onlyPoint(all, 'gen_ai.client.operation.duration').attributes).toEqual({
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'text-embedding-3-small',
    });
    expect(all.map((m) => m.descriptor.name).filter((n) => n.startsWith('gen_ai.client.inference'))).toEqual(
      [],
    );
  });

  it('records gen_ai.client.operation.duration for a rerank, with error.type when it fails', async () => {
    const rerank = {
      model: 'rerank-v3.5',
      provider: 'cohere',
      serverAddress: 'api.cohere.com',
      serverPort: 443,
    };
    withRerankSpan({ ...rerank, topN: 2, documentCount: 3 }, (span) =>
      span.update({ responseModel: 'rerank-v3.5-2025', usage: { inputTokens: 12 } }),
    );
    expect(() =>
      withRerankSpan(rerank, () => {
        throw new TypeError('no');
      }),
    ).toThrow('no');
    const all = await collected();
    const byError = Object.fromEntries(
      points(all, 'gen_ai.client.operation.duration').map((p) => [String(p.attributes['error.type']), p]),
    );
    expect(byError.undefined!.attributes).toEqual({
      'gen_ai.operation.name': 'rerank',
      'gen_ai.provider.name': 'cohere',
      'gen_ai.request.model': 'rerank-v3.5',
      'gen_ai.response.model': 'rerank-v3.5-2025',
      'server.address': 'api.cohere.com',
      'server.port': 443,
    });
    expect(byError.TypeError!.attributes).toEqual({
      'gen_ai.operation.name': 'rerank',
      'gen_ai.provider.name': 'cohere',
      'gen_ai.request.model': 'rerank-v3.5',
      'server.address': 'api.cohere.com',
      'server.port': 443,
      'error.type': 'TypeError',
    });
    expect((byError.undefined as DataPoint<Histogram>).value.count).toBe(1);
    // Not an inference: no inference duration, no token counters (its usage is on the span).
    expect(all.map((m) => m.descriptor.name).filter((n) => n.startsWith('gen_ai.client.inference'))).toEqual(
      [],
    );
  });
});

describe('retrieval metrics', () => {
  it('records gen_ai.client.operation.duration for a retrieval, without its data source, query or documents', async () => {
    configureContent({ captureMode: 'SPAN_AND_EVENT' });
    withRetrievalSpan(
      {
        dataSourceId: 'kb-docs',
        provider: 'openai',
        model: 'text-embedding-3-small',
        topK: 3,
        serverAddress: 'api.openai.com',
        serverPort: 443,
        query: 'q',
      },
      (span) => span.update({ documents: [{ id: 'd0', score: 1 }] }),
    );
    // A local vector store: no GenAI provider (conditionally required only when there is one).
    expect(() =>
      withRetrievalSpan({ dataSourceId: 'local-index' }, () => {
        throw new RangeError('index missing');
      }),
    ).toThrow('index missing');
    const all = await collected();
    const byError = Object.fromEntries(
      points(all, 'gen_ai.client.operation.duration').map((p) => [String(p.attributes['error.type']), p]),
    );
    expect(Object.keys(byError).sort()).toEqual(['RangeError', 'undefined']);
    expect(byError.undefined!.attributes).toEqual({
      'gen_ai.operation.name': 'retrieval',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'text-embedding-3-small',
      'server.address': 'api.openai.com',
      'server.port': 443,
    });
    expect(byError.RangeError!.attributes).toEqual({
      'gen_ai.operation.name': 'retrieval',
      'error.type': 'RangeError',
    });
    expect((byError.undefined as DataPoint<Histogram>).value.count).toBe(1);
    // Not an inference and no usage: nothing else is recorded for it.
    expect(all.map((m) => m.descriptor.name)).toEqual(['gen_ai.client.operation.duration']);
  });
});

describe('agent, workflow, tool and MCP metrics', () => {
  it('records runs on gen_ai.invoke_agent.duration, workflows as invoke_workflow', async () => {
    withTrace('support', () => withAgentSpan({ name: 'triage', model: 'gpt-4o' }, () => undefined));
    const all = await collected();
    const byOperation = Object.fromEntries(
      points(all, 'gen_ai.invoke_agent.duration').map((p) => [p.attributes['gen_ai.operation.name'], p]),
    );
    expect(byOperation.invoke_workflow!.attributes).toEqual({
      'gen_ai.operation.name': 'invoke_workflow',
      'gen_ai.agent.name': 'support',
    });
    expect(byOperation.invoke_agent!.attributes).toEqual({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'triage',
      'gen_ai.request.model': 'gpt-4o',
    });
    expect((byOperation.invoke_agent as DataPoint<Histogram>).value.sum).toBeCloseTo(
      spanSeconds('invoke_agent triage'),
      9,
    );
    expect((byOperation.invoke_agent as DataPoint<Histogram>).value.buckets.boundaries[0]).toBe(0.1);
  });

  it('records tool executions with the tool name and error.type when they fail', async () => {
    withFunctionSpan({ name: 'lookup', agentName: 'triage' }, () => undefined);
    expect(() =>
      withFunctionSpan({ name: 'refund' }, () => {
        throw new TypeError('no');
      }),
    ).toThrow(TypeError);
    const all = await collected();
    const byTool = Object.fromEntries(
      points(all, 'gen_ai.execute_tool.duration').map((p) => [
        p.attributes['gen_ai.tool.name'],
        p.attributes,
      ]),
    );
    expect(byTool).toEqual({
      lookup: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'lookup',
        'gen_ai.tool.type': 'function',
        'gen_ai.agent.name': 'triage',
      },
      refund: {
        'gen_ai.operation.name': 'execute_tool',
        'gen_ai.tool.name': 'refund',
        'gen_ai.tool.type': 'function',
        'error.type': 'TypeError',
      },
    });
  });

  it('records an MCP tool call on the MCP client operation metric, without session or request ids', async () => {
    withMcpCallSpan(
      {
        toolName: 'read',
        server: 'files',
        sessionId: 's1',
        requestId: 7,
        networkTransport: 'pipe',
        protocolVersion: '2025-06-18',
      },
      (span) => span.update({ isError: true }),
    );
    const all = await collected();
    expect(onlyPoint(all, 'mcp.client.operation.duration').attributes).toEqual({
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'read',
      'gen_ai.operation.name': 'execute_tool',
      'mcp.protocol.version': '2025-06-18',
      'network.transport': 'pipe',
      'error.type': 'tool_error',
    });
    expect(metric(all, 'mcp.client.operation.duration').dataPoints[0]).toBeDefined();
    expect(onlyPoint(all, 'gen_ai.execute_tool.duration').attributes['error.type']).toBe('tool_error');
  });
});

describe('one model call, one set of metrics', () => {
  it('records nothing for a client span nested under a model-call span that counts the call itself', async () => {
    const request: GenerationSpanData = { type: 'generation', provider: 'openai', model: 'gpt-4o' };
    const owner = startSpan({ ...request });
    const nested = startModelCallSpan({ ...request }, getTracer(), withoutModelCallMerge(owner.context))!;
    nested.update({ usage: { inputTokens: 100, outputTokens: 5 } });
    nested.end();
    owner.update({ usage: { inputTokens: 100, outputTokens: 5 } });
    owner.end();
    expect(t.chatSpans()).toHaveLength(2);
    const all = await collected();
    expect((onlyPoint(all, 'gen_ai.client.inference.duration') as DataPoint<Histogram>).value.count).toBe(1);
    expect(onlyPoint(all, 'gen_ai.client.inference.usage.input_tokens').value).toBe(100);
  });
});

describe('metrics setup', () => {
  it('leaves the time per output chunk out unless asked (one histogram point per chunk is costly)', async () => {
    const span = createGenerationSpan({ model: 'gpt-4o', provider: 'openai', stream: true });
    span.start();
    async function* chunks() {
      yield* [1, 2, 3];
    }
    for await (const chunk of traceClientCall(span, () => chunks())) void chunk;
    const names = (await collected()).map((m) => m.descriptor.name);
    expect(names).toContain('gen_ai.client.inference.time_to_first_chunk');
    expect(names).not.toContain('gen_ai.client.inference.time_per_output_chunk');
  });

  it('records nothing, and computes nothing, without a meter provider', () => {
    resetMetrics();
    metrics.disable();
    expect(activeInstruments()).toBeUndefined();
    chat({ inputTokens: 1, outputTokens: 1 });
  });

  it('follows the global meter provider when none is configured', async () => {
    resetMetrics();
    chat({ inputTokens: 3, outputTokens: 1 });
    expect(await collected()).toEqual([]);
    // setupTracing registered a global MeterProvider: the call was recorded there.
    const global = (await t.metrics()).scopeMetrics.flatMap((scope) => scope.metrics);
    expect(onlyPoint(global, 'gen_ai.client.inference.usage.input_tokens').value).toBe(3);
  });

  it('records the pre-v0.1.0 names too when asked', async () => {
    configureMetrics({ meterProvider, legacyNames: true });
    chat({ inputTokens: 9, outputTokens: 4 });
    const all = await collected();
    expect(onlyPoint(all, 'gen_ai.client.operation.duration').attributes).toEqual(CHAT_ATTRIBUTES);
    const legacy = Object.fromEntries(
      points(all, 'gen_ai.client.token.usage').map((p) => [
        p.attributes['gen_ai.token.type'],
        (p as DataPoint<Histogram>).value.sum,
      ]),
    );
    expect(legacy).toEqual({ input: 9, output: 4 });
  });
});
