import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJsonlSpans, type JsonlSpanRecord } from '@agent-otel/core';
import { runNode, startOtlpReceiver, type NodeRunResult } from '@agent-otel/testing';

const exampleDir = join(__dirname, '..');

/** Runs the demo exactly as `npm start` does, with extra environment. */
function runDemo(env: Record<string, string>): Promise<NodeRunResult> {
  return runNode(
    ['--import', './src/demo-env.mjs', '--import', '@agent-otel/node/register', 'src/main.mjs'],
    { cwd: exampleDir, env: { ...process.env, NO_COLOR: '1', ...env }, timeoutMillis: 60_000 },
  );
}

function byName(spans: JsonlSpanRecord[], name: string): JsonlSpanRecord[] {
  return spans.filter((span) => span.name === name);
}

/** The spans under `parent`, in start order. */
function childrenOf(spans: JsonlSpanRecord[], parent: JsonlSpanRecord): JsonlSpanRecord[] {
  return spans
    .filter((span) => span.parentSpanId === parent.spanId)
    .sort((a, b) => Number(BigInt(a.startTimeUnixNano) - BigInt(b.startTimeUnixNano)));
}

describe('ai-sdk-agent demo', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agent-otel-ai-sdk-demo-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs offline through register(), prints the answer and the trace tree, and exports the agent run', async () => {
    const jsonl = join(dir, 'spans.jsonl');
    const result = await runDemo({ AGENT_OTEL_EXPORTERS: 'tree,jsonl', AGENT_OTEL_JSONL_PATH: jsonl });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Agent: Order A-1001 is refunded: 42 EUR will be back on your card');
    expect(result.stdout).toMatch(/invoke_agent support-agent\s+[\d.]+ ms\s+ok/);
    expect(result.stdout).toContain('execute_tool lookup_order');
    expect(result.stdout).toContain('execute_tool refund_order');
    // The tree printer's totals line, from the spans' usage.
    expect(result.stdout).toMatch(
      /^Totals {2}model_calls=3 in=706 out=65 cache_read=256 cost=\$\d+\.\d+ tool_calls=2$/m,
    );

    const spans = await readJsonlSpans(jsonl);
    expect(spans).toHaveLength(6);
    expect(new Set(spans.map((span) => span.traceId)).size).toBe(1);
    const [agent] = byName(spans, 'invoke_agent support-agent');
    expect(agent!.parentSpanId).toBeNull();
    expect(agent!.resource.attributes['service.name']).toBe('ai-sdk-agent-demo');
    // One chat span per model call, each tool between the model call that asked for it and the next.
    expect(childrenOf(spans, agent!).map((span) => `${span.name} [${span.kind}]`)).toEqual([
      'chat gpt-4o-mini [CLIENT]',
      'execute_tool lookup_order [INTERNAL]',
      'chat gpt-4o-mini [CLIENT]',
      'execute_tool refund_order [INTERNAL]',
      'chat gpt-4o-mini [CLIENT]',
    ]);
    for (const span of spans) expect(span.instrumentationScope.name).toBe('@agent-otel/ai-sdk');

    // The agent span: the run's name and model, its tools, the usage of its three model calls.
    expect(agent!.kind).toBe('INTERNAL');
    expect(agent!.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'support-agent',
      'gen_ai.request.model': 'gpt-4o-mini',
      'agent_otel.agent.tools': ['lookup_order', 'refund_order'],
      'agent_otel.metadata.function_id': 'support-agent',
      'gen_ai.usage.input_tokens': 180 + 236 + 290,
      'gen_ai.usage.output_tokens': 18 + 25 + 22,
      'agent_otel.usage.cache_read.input_tokens': 128 + 128,
      'agent_otel.usage.model_calls': 3,
    });
    expect(agent!.attributes['agent_otel.cost.usd']).toEqual(expect.any(Number));

    const chats = childrenOf(spans, agent!).filter((span) => span.name === 'chat gpt-4o-mini');
    expect(chats.map((chat) => chat.attributes['gen_ai.response.finish_reasons'])).toEqual([
      ['tool_call'],
      ['tool_call'],
      ['stop'],
    ]);
    expect(chats.map((chat) => chat.attributes['gen_ai.usage.input_tokens'])).toEqual([180, 236, 290]);
    expect(chats.map((chat) => chat.attributes['gen_ai.usage.cache_read.input_tokens'])).toEqual([
      undefined,
      128,
      128,
    ]);
    for (const chat of chats) {
      expect(chat.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'gen_ai.response.model': 'gpt-4o-mini',
        'server.address': '127.0.0.1',
      });
      expect(chat.attributes['gen_ai.response.id']).toMatch(/^chatcmpl-/);
    }

    const [lookup] = byName(spans, 'execute_tool lookup_order');
    const [refund] = byName(spans, 'execute_tool refund_order');
    expect(lookup!.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'lookup_order',
      'gen_ai.tool.call.id': 'call_lookup_1',
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.description': 'Look up an order by id',
      'gen_ai.agent.name': 'support-agent',
    });
    expect(refund!.attributes['gen_ai.tool.call.id']).toBe('call_refund_1');

    // Content capture is off by default, and the API key is never recorded.
    const everything = readFileSync(jsonl, 'utf8');
    expect(everything).not.toContain('gen_ai.input.messages');
    expect(everything).not.toContain('arrived damaged');
    expect(everything).not.toContain('sk-demo-not-a-real-key');
  }, 90_000);

  it('records prompts, instructions and tool arguments when content capture is turned on, still without the API key', async () => {
    const jsonl = join(dir, 'spans.jsonl');
    const result = await runDemo({
      AGENT_OTEL_EXPORTERS: 'jsonl',
      AGENT_OTEL_JSONL_PATH: jsonl,
      OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'SPAN_ONLY',
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const spans = await readJsonlSpans(jsonl);
    const [agent] = byName(spans, 'invoke_agent support-agent');
    const [firstChat] = childrenOf(spans, agent!);
    expect(JSON.parse(String(firstChat!.attributes['gen_ai.input.messages']))).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Order A-1001 arrived damaged. Please refund it.' }] },
    ]);
    expect(JSON.parse(String(firstChat!.attributes['gen_ai.system_instructions']))).toEqual([
      { type: 'text', content: 'You are a helpful support agent. Look orders up before refunding them.' },
    ]);
    const [refund] = byName(spans, 'execute_tool refund_order');
    expect(JSON.parse(String(refund!.attributes['gen_ai.tool.call.arguments']))).toEqual({
      orderId: 'A-1001',
      reason: 'arrived damaged',
    });
    expect(JSON.parse(String(refund!.attributes['gen_ai.tool.call.result']))).toEqual({
      orderId: 'A-1001',
      refunded: true,
      amount: 42,
      currency: 'EUR',
      reason: 'arrived damaged',
    });
    // The agent span: the run's first input and its last output.
    expect(JSON.parse(String(agent!.attributes['gen_ai.output.messages']))[0].parts).toEqual([
      { type: 'text', content: 'Order A-1001 is refunded: 42 EUR will be back on your card in 3 to 5 days.' },
    ]);
    expect(readFileSync(jsonl, 'utf8')).not.toContain('sk-demo-not-a-real-key');
  }, 90_000);

  it('exports traces, metrics and logs over OTLP once a collector endpoint is configured', async () => {
    const receiver = await startOtlpReceiver();
    try {
      const result = await runDemo({
        AGENT_OTEL_EXPORTERS: 'none',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        // The details events of the model calls are log records.
        OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'SPAN_AND_EVENT',
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const sent = (path: string) =>
        receiver.requests
          .filter((request) => request.path === path)
          .map((request) => request.body.toString('utf8'))
          .join('\n');
      expect(sent('/v1/traces')).toContain('invoke_agent support-agent');
      for (const metric of [
        'gen_ai.invoke_agent.duration',
        'gen_ai.execute_tool.duration',
        'gen_ai.client.inference.duration',
        'gen_ai.client.inference.usage.input_tokens',
      ]) {
        expect(sent('/v1/metrics')).toContain(`"${metric}"`);
      }
      expect(sent('/v1/logs')).toContain('gen_ai.client.inference.operation.details');
      expect(sent('/v1/logs')).not.toContain('sk-demo-not-a-real-key');
    } finally {
      await receiver.close();
    }
  }, 90_000);
});
