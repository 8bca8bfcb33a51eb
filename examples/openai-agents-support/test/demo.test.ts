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
      // jest sets NODE_ENV=test, under which the Agents SDK turns its tracing off; a user's shell does not.
      env: { ...process.env, NODE_ENV: 'development', OPENAI_API_KEY: '', NO_COLOR: '1', ...env },
      timeoutMillis: 60_000,
    },
  );
}

function rootsOf(spans: JsonlSpanRecord[]): JsonlSpanRecord[] {
  return spans.filter((span) => span.parentSpanId === null);
}

function inTrace(spans: JsonlSpanRecord[], traceId: string): JsonlSpanRecord[] {
  return spans.filter((span) => span.traceId === traceId);
}

function childrenOf(spans: JsonlSpanRecord[], parent: JsonlSpanRecord): JsonlSpanRecord[] {
  return spans.filter((span) => span.parentSpanId === parent.spanId);
}

function names(spans: JsonlSpanRecord[]): string[] {
  return spans.map((span) => span.name).sort();
}

describe('openai-agents-support demo', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'agent-otel-agents-demo-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('runs offline through register(), prints the trees and exports the three runs', async () => {
    const jsonl = join(dir, 'spans.jsonl');
    const result = await runDemo({ AGENT_OTEL_EXPORTERS: 'tree,jsonl', AGENT_OTEL_JSONL_PATH: jsonl });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Agent: Invoice INV-1001 is paid: 42 EUR, settled on 2026-11-02.');
    expect(result.stdout).toContain('Agent: (blocked by the account_ownership guardrail)');
    expect(result.stdout).toContain('Agent (streamed): Done: invoice INV-1001 (42 EUR) is refunded');
    expect(result.stdout).toMatch(/invoke_workflow customer-support\s+[\d.]+ ms\s+ERROR/);

    const spans = await readJsonlSpans(jsonl);
    const roots = rootsOf(spans);
    expect(roots.map((r) => r.name)).toEqual([
      'invoke_workflow customer-support',
      'invoke_workflow customer-support',
      'invoke_workflow customer-support',
    ]);
    for (const root of roots) {
      expect(root.attributes['gen_ai.operation.name']).toBe('invoke_workflow');
      expect(root.attributes['gen_ai.agent.name']).toBe('customer-support');
      expect(root.attributes['gen_ai.conversation.id']).toBe('ticket-1234');
      expect(root.attributes['agent_otel.metadata.channel']).toBe('chat');
      expect(String(root.attributes['agent_otel.source.trace_id'])).toMatch(/^trace_/);
      expect(root.resource.attributes['service.name']).toBe('openai-agents-support-demo');
    }
    const [question, blocked, refund] = roots.map((root) => inTrace(spans, root.traceId));

    // 1. A question: triage hands off to billing, which looks the invoice up.
    const [task] = childrenOf(question!, roots[0]!);
    expect(task!.name).toBe('task customer-support');
    expect(names(childrenOf(question!, task!))).toEqual([
      'invoke_agent Billing agent',
      'invoke_agent Triage agent',
    ]);
    const tool = question!.find((s) => s.name === 'execute_tool lookup_invoice')!;
    expect(tool.attributes['gen_ai.agent.name']).toBe('Billing agent');
    expect(String(tool.attributes['gen_ai.tool.call.id'])).toMatch(/^call_/);
    const handoff = question!.find((s) => s.name === 'execute_tool transfer_to_Billing_agent')!;
    expect(handoff.attributes['agent_otel.handoff.to_agent']).toBe('Billing agent');
    expect(handoff.attributes['agent_otel.handoff.mode']).toBe('pass_control');
    // One span per model call, although @agent-otel/instrumentation-openai is active too.
    const chats = question!.filter((s) => s.name.startsWith('chat'));
    expect(chats).toHaveLength(3);
    expect(question!).toHaveLength(13);
    for (const chat of chats) {
      expect(String(chat.attributes['agent_otel.source.span_id'])).toMatch(/^span_/);
      expect(chat.kind).toBe('CLIENT');
      expect(chat.attributes['gen_ai.provider.name']).toBe('openai');
      expect(question!.find((s) => s.spanId === chat.parentSpanId)!.name).toMatch(/^turn /);
    }
    // The root carries the usage of every model call of the run.
    const sum = (key: string) => chats.reduce((total, chat) => total + Number(chat.attributes[key] ?? 0), 0);
    expect(roots[0]!.attributes['gen_ai.usage.input_tokens']).toBe(sum('gen_ai.usage.input_tokens'));
    expect(roots[0]!.attributes['gen_ai.usage.output_tokens']).toBe(sum('gen_ai.usage.output_tokens'));
    expect(roots[0]!.attributes['agent_otel.usage.cache_read.input_tokens']).toBe(
      sum('gen_ai.usage.cache_read.input_tokens'),
    );

    // 2. The guardrail trip: the result event, and the run's error on the agent and the root.
    const guardrail = blocked!.find((s) => s.name === 'guardrail account_ownership')!;
    expect(guardrail.attributes['agent_otel.guardrail.triggered']).toBe(true);
    expect(guardrail.events.map((e) => e.name)).toContain('agent_otel.guardrail.result');
    expect(roots[1]!.status.code).toBe('ERROR');
    expect(roots[1]!.attributes['error.type']).toBe('InputGuardrailTripwireTriggered');

    // 3. The streamed refund: both tools, in order, under the billing agent's turns.
    const refundTools = refund!.filter(
      (s) => s.name.startsWith('execute_tool') && !s.name.includes('transfer'),
    );
    expect(refundTools.map((s) => s.name)).toEqual([
      'execute_tool lookup_invoice',
      'execute_tool refund_invoice',
    ]);
    expect(roots[2]!.status.code).not.toBe('ERROR');

    // No API key or prompt is recorded by default.
    const everything = readFileSync(jsonl, 'utf8');
    expect(everything).not.toContain('sk-demo-not-a-real-key');
    expect(everything).not.toContain('What is the status');
    expect(everything).not.toContain('gen_ai.input.messages');
  }, 90_000);

  it('exports traces and GenAI metrics over OTLP when a collector endpoint is configured', async () => {
    const receiver = await startOtlpReceiver();
    try {
      const result = await runDemo({
        AGENT_OTEL_EXPORTERS: 'none',
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      const sent = (path: string) =>
        receiver.requests
          .filter((request) => request.path === path)
          .map((request) => request.body.toString('latin1'))
          .join('\n');
      expect(sent('/v1/traces')).toContain('invoke_workflow customer-support');
      for (const metric of [
        'gen_ai.invoke_agent.duration',
        'gen_ai.execute_tool.duration',
        'gen_ai.client.inference.duration',
        'gen_ai.client.inference.usage.input_tokens',
      ]) {
        expect(sent('/v1/metrics')).toContain(metric);
      }
    } finally {
      await receiver.close();
    }
  }, 90_000);

  it('records prompts and tool arguments when content capture is turned on', async () => {
    const jsonl = join(dir, 'spans.jsonl');
    const result = await runDemo({
      AGENT_OTEL_EXPORTERS: 'jsonl',
      AGENT_OTEL_JSONL_PATH: jsonl,
      OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'SPAN_ONLY',
    });
    expect(result.code).toBe(0);
    const spans = await readJsonlSpans(jsonl);
    const tool = spans.find((s) => s.name === 'execute_tool refund_invoice')!;
    expect(JSON.parse(String(tool.attributes['gen_ai.tool.call.arguments']))).toEqual({
      invoiceId: 'INV-1001',
    });
    expect(JSON.parse(String(tool.attributes['gen_ai.tool.call.result']))).toMatchObject({ refunded: true });
    const firstChat = spans.find(
      (s) =>
        s.name === 'chat gpt-4o-mini' && String(s.attributes['gen_ai.input.messages']).includes('INV-1001'),
    )!;
    expect(JSON.parse(String(firstChat.attributes['gen_ai.input.messages']))[0]).toEqual({
      role: 'user',
      parts: [{ type: 'text', content: 'What is the status of invoice INV-1001?' }],
    });
    expect(readFileSync(jsonl, 'utf8')).not.toContain('sk-demo-not-a-real-key');
  }, 90_000);
});
