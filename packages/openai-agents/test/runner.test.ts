// Real Runner.run and streamed runs of the support workflow against the scripted model server.
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { configureContent, resetContentPolicy } from '@agent-otel/core';
import {
  InputGuardrailTripwireTriggered,
  MaxTurnsExceededError,
  Runner,
  type RunStreamEvent,
} from '@openai/agents';
import { useAgentsHarness } from './agents-harness.js';
import { parentOf, treeOf, waitFor } from './helpers.js';
import { createAgents, SUPPORT_TREE, supportModel } from './support-flow.js';

const harness = useAgentsHarness();

afterEach(() => resetContentPolicy());

function runner(): Runner {
  return new Runner({ workflowName: 'support', groupId: 'conv-7', traceMetadata: { ticket: 'T-7' } });
}

function spans(): ReadableSpan[] {
  return harness.tracing.spans();
}

function named(name: string): ReadableSpan[] {
  return spans().filter((span) => span.name === name);
}

function one(name: string): ReadableSpan {
  return harness.tracing.byName(name);
}

/** Every span of the run shares one OTel trace and every parent is in it. */
function expectOneConnectedTrace(): void {
  const all = spans();
  expect(new Set(all.map((s) => s.spanContext().traceId)).size).toBe(1);
  const ids = new Set(all.map((s) => s.spanContext().spanId));
  const roots = all.filter((s) => !ids.has(parentOf(s) ?? ''));
  expect(roots.map((s) => s.name)).toEqual(['invoke_workflow support']);
}

describe('Runner.run', () => {
  it('records the support workflow as the exact span tree, with names, kinds, parents and attributes', async () => {
    harness.server.setDefault(supportModel);
    const { triage } = createAgents();
    const result = await runner().run(triage, 'What is the status of invoice INV-7?');
    expect(result.finalOutput).toBe('Invoice INV-7 is paid: 42 EUR.');

    expect(treeOf(spans())).toEqual(SUPPORT_TREE);
    expectOneConnectedTrace();

    const root = one('invoke_workflow support');
    expect(root.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_workflow',
      'gen_ai.agent.name': 'support',
      'gen_ai.conversation.id': 'conv-7',
      'agent_otel.metadata.ticket': 'T-7',
      // The usage of every model call of the run, rolled up: totals as gen_ai.usage.*, breakdowns ours.
      'gen_ai.usage.input_tokens': 250,
      'gen_ai.usage.output_tokens': 30,
      'agent_otel.usage.cache_read.input_tokens': 64,
      'agent_otel.usage.model_calls': 3,
    });
    expect(root.attributes['gen_ai.workflow.name']).toBeUndefined();
    expect(root.attributes['agent_otel.usage.cache_write.input_tokens']).toBeUndefined();
    expect(String(root.attributes['agent_otel.source.trace_id'])).toMatch(/^trace_[0-9a-f]{32}$/);

    const billing = one('invoke_agent Billing agent');
    expect(billing.attributes).toMatchObject({
      'gen_ai.agent.name': 'Billing agent',
      'gen_ai.conversation.id': 'conv-7',
      'agent_otel.agent.tools': ['lookup_invoice', 'refund_invoice'],
      'gen_ai.usage.input_tokens': 200,
      'gen_ai.usage.output_tokens': 25,
      'agent_otel.usage.model_calls': 2,
    });

    const chats = named('chat gpt-4o-mini');
    expect(chats).toHaveLength(3);
    for (const chat of chats) {
      expect(chat.kind).toBe(SpanKind.CLIENT);
      expect(chat.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'openai.api.type': 'responses',
        'gen_ai.conversation.id': 'conv-7',
      });
      expect(String(chat.attributes['gen_ai.response.id'])).toMatch(/^resp_/);
      expect(String(chat.attributes['agent_otel.source.span_id'])).toMatch(/^span_[0-9a-f]{24}$/);
    }
    expect(chats.map((c) => c.attributes['gen_ai.response.finish_reasons'])).toEqual(
      expect.arrayContaining([['tool_call'], ['tool_call'], ['stop']]),
    );

    const handoff = one('execute_tool transfer_to_Billing_agent');
    expect(handoff.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'transfer_to_Billing_agent',
      'gen_ai.agent.name': 'Triage agent',
      'agent_otel.handoff.from_agent': 'Triage agent',
      'agent_otel.handoff.to_agent': 'Billing agent',
      'agent_otel.handoff.mode': 'pass_control',
    });
    const tool = one('execute_tool lookup_invoice');
    expect(tool.attributes).toMatchObject({
      'gen_ai.tool.name': 'lookup_invoice',
      'gen_ai.tool.type': 'function',
      'gen_ai.agent.name': 'Billing agent',
    });
    // The call ids are the ones the model sent.
    const sent = harness.server.requests.flatMap((r) =>
      ((r.body as { input?: { type?: string; call_id?: string; name?: string }[] }).input ?? []).filter(
        (item) => item.type === 'function_call',
      ),
    );
    expect(tool.attributes['gen_ai.tool.call.id']).toBe(
      sent.find((c) => c.name === 'lookup_invoice')!.call_id,
    );
    expect(handoff.attributes['gen_ai.tool.call.id']).toBe(
      sent.find((c) => c.name === 'transfer_to_Billing_agent')!.call_id,
    );

    const guardrail = one('guardrail account_ownership');
    expect(guardrail.attributes['agent_otel.guardrail.triggered']).toBe(false);
    expect(spans().every((s) => s.status.code !== SpanStatusCode.ERROR)).toBe(true);

    // Nothing is recorded as content by default.
    expect(JSON.stringify(spans().map((s) => s.attributes))).not.toContain('INV-7');
  });

  it('nests every span inside its parent in time, with SDK timestamps (ms) on SDK spans', async () => {
    harness.server.setDefault(supportModel);
    await runner().run(createAgents().triage, 'What is the status of invoice INV-7?');
    const byId = new Map(spans().map((s) => [s.spanContext().spanId, s]));
    const ns = (t: [number, number]) => t[0] * 1e9 + t[1];
    for (const span of spans()) {
      expect(span.startTime[1] % 1_000_000).toBe(0);
      const parent = byId.get(parentOf(span) ?? '');
      if (!parent) continue;
      expect(ns(span.startTime)).toBeGreaterThanOrEqual(ns(parent.startTime));
      expect(ns(span.endTime)).toBeLessThanOrEqual(ns(parent.endTime));
    }
  });

  it('records content only under the content policy, and then as GenAI messages', async () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    harness.server.setDefault(supportModel);
    await runner().run(createAgents().triage, 'What is the status of invoice INV-7?');
    const tool = one('execute_tool lookup_invoice');
    expect(JSON.parse(String(tool.attributes['gen_ai.tool.call.arguments']))).toEqual({ invoiceId: 'INV-7' });
    expect(JSON.parse(String(tool.attributes['gen_ai.tool.call.result']))).toMatchObject({ amount: 42 });
    const last = named('chat gpt-4o-mini').find((c) =>
      String(c.attributes['gen_ai.output.messages']).includes('paid'),
    )!;
    const input = JSON.parse(String(last.attributes['gen_ai.input.messages']));
    expect(input[0]).toEqual({
      role: 'user',
      parts: [{ type: 'text', content: 'What is the status of invoice INV-7?' }],
    });
    expect(input.some((m: { role: string }) => m.role === 'tool')).toBe(true);
    expect(JSON.parse(String(last.attributes['gen_ai.output.messages']))).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'text', content: 'Invoice INV-7 is paid: 42 EUR.' }],
        finish_reason: 'stop',
      },
    ]);
    expect(JSON.parse(String(last.attributes['gen_ai.system_instructions']))[0].content).toContain(
      'billing agent',
    );
  });

  it('records a guardrail trip: the guardrail result event and the error on the agent span', async () => {
    harness.server.setDefault(supportModel);
    await expect(
      runner().run(createAgents().triage, "Show me someone else's invoice INV-9"),
    ).rejects.toBeInstanceOf(InputGuardrailTripwireTriggered);
    await waitFor(() => named('invoke_workflow support').length === 1);
    expectOneConnectedTrace();
    const guardrail = one('guardrail account_ownership');
    expect(guardrail.attributes['agent_otel.guardrail.triggered']).toBe(true);
    expect(guardrail.events.find((e) => e.name === 'agent_otel.guardrail.result')?.attributes).toEqual({
      'agent_otel.guardrail.name': 'account_ownership',
      'agent_otel.guardrail.result.type': 'tripwire_triggered',
      'agent_otel.guardrail.result.value': 'true',
    });
    const triage = one('invoke_agent Triage agent');
    // The SDK records 'Guardrail tripwire triggered', then replaces it with the run's error.
    expect(triage.status).toEqual({ code: SpanStatusCode.ERROR, message: 'Error in agent run' });
    expect(triage.attributes['error.type']).toBe('InputGuardrailTripwireTriggered');
    expect(named('invoke_agent Billing agent')).toHaveLength(0);
    // The SDK does not end a trace whose run failed; the bridge ends it, with the run's error.
    const root = one('invoke_workflow support');
    expect(root.status.code).toBe(SpanStatusCode.ERROR);
    expect(root.attributes['error.type']).toBe('InputGuardrailTripwireTriggered');
    expect(harness.handle.processor.openCounts).toEqual({ traces: 0, spans: 0 });
  });

  it('records a tool that throws as an errored execute_tool span; the run goes on', async () => {
    harness.server.setDefault(supportModel);
    const result = await runner().run(createAgents().triage, 'What is the status of invoice INV-404?');
    expect(result.finalOutput).toBe('Sorry, I could not find invoice INV-404.');
    const tool = one('execute_tool lookup_invoice');
    expect(tool.status.code).toBe(SpanStatusCode.ERROR);
    expect(tool.attributes['error.type']).toBe('tool_error');
    expect(tool.events.map((e) => e.name)).toContain('exception');
    expect(one('invoke_agent Billing agent').status.code).toBe(SpanStatusCode.UNSET);
  });

  it('records a max-turns failure on the agent and task spans; every span is ended', async () => {
    harness.server.setDefault(supportModel);
    await expect(
      runner().run(createAgents().triage, 'What is the status of invoice INV-7?', { maxTurns: 2 }),
    ).rejects.toBeInstanceOf(MaxTurnsExceededError);
    await waitFor(() => named('invoke_workflow support').length === 1);
    expectOneConnectedTrace();
    const billing = one('invoke_agent Billing agent');
    expect(billing.status).toEqual({ code: SpanStatusCode.ERROR, message: 'Error in agent run' });
    expect(billing.attributes['error.type']).toBe('MaxTurnsExceededError');
    const task = one('task support');
    expect(task.status.code).toBe(SpanStatusCode.ERROR);
    expect(task.attributes['error.type']).toBe('MaxTurnsExceededError');
    expect(one('invoke_workflow support').attributes['error.type']).toBe('MaxTurnsExceededError');
    expect(harness.handle.processor.openCounts).toEqual({ traces: 0, spans: 0 });
  });
});

describe('streamed runs', () => {
  it('records the same span tree for a streamed run, ending the trace when the stream is consumed', async () => {
    harness.server.setDefault(supportModel);
    const result = await runner().run(createAgents().triage, 'What is the status of invoice INV-7?', {
      stream: true,
    });
    const events: RunStreamEvent[] = [];
    for await (const event of result) events.push(event);
    await result.completed;
    expect(result.finalOutput).toBe('Invoice INV-7 is paid: 42 EUR.');
    expect(events.length).toBeGreaterThan(10);
    await waitFor(() => named('invoke_workflow support').length === 1);
    expect(treeOf(spans())).toEqual(SUPPORT_TREE);
    expectOneConnectedTrace();
    expect(harness.server.requests.every((r) => r.stream)).toBe(true);
    for (const chat of named('chat gpt-4o-mini')) {
      expect(chat.attributes['gen_ai.usage.input_tokens']).toEqual(expect.any(Number));
    }
  });

  it('records a failed streamed run (max turns) on the agent, the task and the root', async () => {
    harness.server.setDefault(supportModel);
    const result = await runner().run(createAgents().triage, 'What is the status of invoice INV-7?', {
      stream: true,
      maxTurns: 2,
    });
    const consume = async () => {
      for await (const _event of result) {
        // consume
      }
    };
    await expect(consume()).rejects.toBeInstanceOf(MaxTurnsExceededError);
    await result.completed.catch(() => undefined);
    await waitFor(() => named('invoke_workflow support').length === 1);
    expectOneConnectedTrace();
    expect(one('task support').attributes['error.type']).toBe('MaxTurnsExceededError');
    const root = one('invoke_workflow support');
    expect(root.status.code).toBe(SpanStatusCode.ERROR);
    expect(root.attributes['error.type']).toBe('MaxTurnsExceededError');
    expect(harness.handle.processor.openCounts).toEqual({ traces: 0, spans: 0 });
  });

  it('ends every span of a streamed run nobody reads: the SDK finishes the run, the trace ends', async () => {
    harness.server.setDefault(supportModel);
    const result = await runner().run(createAgents().triage, 'What is the status of invoice INV-7?', {
      stream: true,
    });
    void result; // never iterated, never awaited
    await waitFor(() => named('invoke_workflow support').length === 1, { timeoutMillis: 5000 });
    expect(treeOf(spans())).toEqual(SUPPORT_TREE);
    expect(harness.handle.processor.openCounts).toEqual({ traces: 0, spans: 0 });
  });
});
