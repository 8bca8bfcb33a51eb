// The messages of agent and workflow runs: with content capture on, the bridge's invoke_agent and
// invoke_workflow spans take the input of the first model call beneath and the output of the last.
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { configureContent, resetContentPolicy } from '@agent-otel/core';
import { Runner } from '@openai/agents';
import { useAgentsHarness } from './agents-harness.js';
import { parentOf } from './helpers.js';
import { createAgents, supportModel } from './support-flow.js';

const harness = useAgentsHarness();

afterEach(() => resetContentPolicy());

const QUESTION = 'What is the status of invoice INV-7?';

function chats(): ReadableSpan[] {
  return harness.tracing.spans().filter((span) => span.name.startsWith('chat '));
}

function messages(span: ReadableSpan, key: 'gen_ai.input.messages' | 'gen_ai.output.messages'): unknown {
  const value = span.attributes[key];
  return value === undefined ? undefined : JSON.parse(String(value));
}

function chatsUnder(agent: ReadableSpan): ReadableSpan[] {
  const all = harness.tracing.spans();
  const byId = new Map(all.map((span) => [span.spanContext().spanId, span]));
  const isUnder = (span: ReadableSpan): boolean => {
    for (let id = parentOf(span); id;) {
      const parent = byId.get(id);
      if (id === agent.spanContext().spanId) return true;
      id = parent === undefined ? undefined : parentOf(parent);
    }
    return false;
  };
  return chats().filter(isUnder);
}

describe('agent and workflow messages (content capture on the span)', () => {
  it("a run with two model calls: the agent's input is the first call's, its output the last call's", async () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    harness.server.setDefault(supportModel);
    await new Runner({ workflowName: 'billing' }).run(createAgents().billing, QUESTION);

    const [first, last] = chats() as [ReadableSpan, ReadableSpan];
    expect(chats()).toHaveLength(2);
    expect(messages(first, 'gen_ai.input.messages')).toEqual([
      { role: 'user', parts: [{ type: 'text', content: QUESTION }] },
    ]);
    expect(messages(last, 'gen_ai.output.messages')).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'text', content: 'Invoice INV-7 is paid: 42 EUR.' }],
        finish_reason: 'stop',
      },
    ]);
    for (const name of ['invoke_agent Billing agent', 'invoke_workflow billing']) {
      const run = harness.tracing.byName(name);
      expect(messages(run, 'gen_ai.input.messages')).toEqual(messages(first, 'gen_ai.input.messages'));
      expect(messages(run, 'gen_ai.output.messages')).toEqual(messages(last, 'gen_ai.output.messages'));
      // Instructions and tools stay on the model calls.
      expect(run.attributes['gen_ai.system_instructions']).toBeUndefined();
      expect(run.attributes['gen_ai.tool.definitions']).toBeUndefined();
    }
  });

  it('a handoff: each agent has the messages of its own calls, the workflow those of the whole run', async () => {
    configureContent({ captureMode: 'SPAN_AND_EVENT' });
    harness.server.setDefault(supportModel);
    await new Runner({ workflowName: 'support' }).run(createAgents().triage, QUESTION);

    const triage = harness.tracing.byName('invoke_agent Triage agent');
    const billing = harness.tracing.byName('invoke_agent Billing agent');
    const [triageCall] = chatsUnder(triage) as [ReadableSpan];
    const billingCalls = chatsUnder(billing);
    expect(chatsUnder(triage)).toHaveLength(1);
    expect(billingCalls).toHaveLength(2);
    const lastCall = billingCalls[1]!;

    // The triage agent's only call asked for the handoff: its output is that tool call.
    expect(messages(triage, 'gen_ai.input.messages')).toEqual(messages(triageCall, 'gen_ai.input.messages'));
    expect(messages(triage, 'gen_ai.output.messages')).toEqual(
      messages(triageCall, 'gen_ai.output.messages'),
    );
    expect(JSON.stringify(messages(triage, 'gen_ai.output.messages'))).toContain('transfer_to_Billing_agent');
    expect(messages(billing, 'gen_ai.input.messages')).toEqual(
      messages(billingCalls[0]!, 'gen_ai.input.messages'),
    );
    expect(messages(billing, 'gen_ai.output.messages')).toEqual(messages(lastCall, 'gen_ai.output.messages'));

    const root = harness.tracing.byName('invoke_workflow support');
    expect(messages(root, 'gen_ai.input.messages')).toEqual([
      { role: 'user', parts: [{ type: 'text', content: QUESTION }] },
    ]);
    expect(messages(root, 'gen_ai.output.messages')).toEqual(messages(lastCall, 'gen_ai.output.messages'));
  });

  it('EVENT_ONLY: no messages on any span; each model call gives one details log record instead', async () => {
    configureContent({ captureMode: 'EVENT_ONLY' });
    harness.server.setDefault(supportModel);
    await new Runner({ workflowName: 'billing' }).run(createAgents().billing, QUESTION);

    const everything = JSON.stringify(harness.tracing.spans().map((span) => span.attributes));
    expect(everything).not.toContain('gen_ai.input.messages');
    expect(everything).not.toContain('gen_ai.output.messages');
    expect(everything).not.toContain(QUESTION);

    const details = harness.tracing
      .logRecords()
      .filter((record) => record.eventName === 'gen_ai.client.inference.operation.details');
    expect(details.map((record) => record.spanContext?.spanId)).toEqual(
      chats().map((chat) => chat.spanContext().spanId),
    );
    for (const record of details) {
      expect(record.severityNumber).toBe(5);
      expect(record.attributes['gen_ai.request.model']).toBe('gpt-4o-mini');
      // Structured content on events, not JSON text.
      expect(Array.isArray(record.attributes['gen_ai.input.messages'])).toBe(true);
    }
    expect(details[0]!.attributes['gen_ai.input.messages']).toEqual([
      { role: 'user', parts: [{ type: 'text', content: QUESTION }] },
    ]);
  });
});
