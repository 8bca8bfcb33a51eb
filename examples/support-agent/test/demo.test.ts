import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readJsonlSpans, type JsonlSpanRecord } from '@agent-otel/core';
import { runNode, startOtlpReceiver, type NodeRunResult } from '@agent-otel/testing';

const exampleDir = join(__dirname, '..');

/** Runs the demo exactly as `npm run start` does, with extra environment. */
function runDemo(env: Record<string, string>): Promise<NodeRunResult> {
  return runNode(
    ['--import', './src/demo-env.mjs', '--import', '@agent-otel/node/register', 'src/main.mjs'],
    {
      cwd: exampleDir,
      env: { ...process.env, NO_COLOR: '1', ...env },
    },
  );
}

function byName(spans: JsonlSpanRecord[], name: string): JsonlSpanRecord[] {
  return spans.filter((s) => s.name === name);
}

describe('support-agent demo', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agent-otel-demo-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs offline, prints the trace tree and exports the whole agent workflow', async () => {
    const jsonl = join(dir, 'spans.jsonl');
    const result = await runDemo({ AGENT_OTEL_EXPORTERS: 'tree,jsonl', AGENT_OTEL_JSONL_PATH: jsonl });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Agent: Your order A-1001 has shipped');
    expect(result.stdout).toMatch(/invoke_workflow customer-support\s+[\d.]+ ms\s+ok/);
    expect(result.stdout).toContain('execute_tool lookup_order');
    // The tree printer's totals line, from the spans' usage.
    expect(result.stdout).toMatch(
      /^Totals {2}model_calls=2 in=330 out=43 cache_read=128 cost=\$\d+\.\d+ tool_calls=1$/m,
    );

    const spans = await readJsonlSpans(jsonl);
    expect(spans.map((s) => s.name).sort()).toEqual([
      'chat gpt-4o-mini',
      'chat gpt-4o-mini',
      'execute_tool lookup_order',
      'invoke_agent support-agent',
      'invoke_workflow customer-support',
    ]);
    const [root] = byName(spans, 'invoke_workflow customer-support');
    const [agent] = byName(spans, 'invoke_agent support-agent');
    const [tool] = byName(spans, 'execute_tool lookup_order');
    const chats = byName(spans, 'chat gpt-4o-mini');
    expect(root!.parentSpanId).toBeNull();
    expect(agent!.parentSpanId).toBe(root!.spanId);
    expect(tool!.parentSpanId).toBe(agent!.spanId);
    for (const chat of chats) {
      expect(chat.parentSpanId).toBe(agent!.spanId);
      expect(chat.kind).toBe('CLIENT');
      // Recorded by the auto-loaded openai instrumentation, not by the example's code.
      expect(chat.instrumentationScope.name).toBe('@agent-otel/instrumentation-openai');
      expect(chat.attributes['gen_ai.request.model']).toBe('gpt-4o-mini');
      expect(chat.attributes['gen_ai.provider.name']).toBe('openai');
      expect(chat.attributes['server.address']).toBe('127.0.0.1');
    }
    expect(new Set(spans.map((s) => s.traceId)).size).toBe(1);
    expect(root!.resource.attributes['service.name']).toBe('support-agent-demo');
    expect(root!.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_workflow',
      'gen_ai.agent.name': 'customer-support',
      'gen_ai.conversation.id': 'ticket-1234',
      // The workflow's usage, rolled up from its model calls; cache reads stay agent-otel's own.
      'gen_ai.usage.input_tokens': 142 + 188,
      'gen_ai.usage.output_tokens': 19 + 24,
      'agent_otel.usage.cache_read.input_tokens': 128,
    });
    expect(agent!.attributes['gen_ai.usage.input_tokens']).toBe(142 + 188);
    expect(agent!.attributes['gen_ai.usage.output_tokens']).toBe(19 + 24);
    expect(agent!.attributes['agent_otel.usage.model_calls']).toBe(2);
    expect(tool!.attributes['gen_ai.tool.call.id']).toBe('call_lookup_1');

    // Content capture is off by default, and the API key is never recorded.
    const everything = readFileSync(jsonl, 'utf8');
    expect(everything).not.toContain('gen_ai.input.messages');
    expect(everything).not.toContain('Where is my order');
    expect(everything).not.toContain('sk-demo-not-a-real-key');
  });

  it('records prompts and replies when content capture is turned on, still without the API key', async () => {
    const jsonl = join(dir, 'spans.jsonl');
    const result = await runDemo({
      AGENT_OTEL_EXPORTERS: 'jsonl',
      AGENT_OTEL_JSONL_PATH: jsonl,
      OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'SPAN_ONLY',
    });
    expect(result.code).toBe(0);
    const spans = await readJsonlSpans(jsonl);
    const firstChat = byName(spans, 'chat gpt-4o-mini').find((s) =>
      String(s.attributes['gen_ai.output.messages']).includes('tool_call'),
    );
    const input = JSON.parse(String(firstChat!.attributes['gen_ai.input.messages']));
    expect(input[1]).toEqual({
      role: 'user',
      parts: [{ type: 'text', content: 'Where is my order A-1001?' }],
    });
    const [tool] = byName(spans, 'execute_tool lookup_order');
    expect(JSON.parse(String(tool!.attributes['gen_ai.tool.call.arguments']))).toEqual({ orderId: 'A-1001' });
    expect(readFileSync(jsonl, 'utf8')).not.toContain('sk-demo-not-a-real-key');
  });

  it('exports traces, metrics and logs over OTLP once a collector endpoint is configured', async () => {
    const receiver = await startOtlpReceiver();
    try {
      const result = await runDemo({
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        // The details events of the model calls are log records.
        OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'SPAN_AND_EVENT',
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const paths = new Set(receiver.requests.map((request) => request.path));
      expect([...paths].sort()).toEqual(['/v1/logs', '/v1/metrics', '/v1/traces']);
      const metrics = receiver.requests
        .filter((request) => request.path === '/v1/metrics')
        .map((request) => request.body.toString('utf8'))
        .join('');
      expect(metrics).toContain('"gen_ai.client.inference.duration"');
      expect(metrics).toContain('"gen_ai.invoke_agent.duration"');
      const logs = receiver.requests
        .filter((request) => request.path === '/v1/logs')
        .map((request) => request.body.toString('utf8'))
        .join('');
      expect(logs).toContain('gen_ai.client.inference.operation.details');
      expect(logs).not.toContain('sk-demo-not-a-real-key');
    } finally {
      await receiver.close();
    }
  });
});
