// What the SDK does not record, the bridge cannot: the requested model of a Responses call comes from
// its completed response only. A call without one (traceIncludeSensitiveData: false, a stream cut off,
// a failed request) gives a chat span without gen_ai.request.model when no client instrumentation
// claims the span (no-duplicate.test.ts and metrics.test.ts run those paths with one, conformant).
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { configureContent, resetContentPolicy } from '@agent-otel/core';
import { checkSpans } from '@agent-otel/testing/conformance';
import { Runner } from '@openai/agents';
import { useAgentsHarness } from './agents-harness.js';
import { parentOf, treeOf, waitFor } from './helpers.js';
import { createAgents, SUPPORT_TREE, supportModel } from './support-flow.js';

const harness = useAgentsHarness(
  {},
  'the SDK records the model of a Responses call only from its completed response, so the chat spans ' +
    'of calls without one lack gen_ai.request.model; each test asserts that this is the only gap',
);

afterEach(() => resetContentPolicy());

const QUESTION = 'What is the status of invoice INV-7?';

function spans(): ReadableSpan[] {
  return harness.tracing.spans();
}

/** Asserts that the only conformance gap of the spans is the model of `count` chat spans. */
function expectOnlyTheModelMissing(count: number): void {
  const violations = checkSpans(spans()).violations;
  expect(violations).toHaveLength(count);
  expect(new Set(violations.map((v) => `${v.item}: ${v.detail}`))).toEqual(
    new Set(['chat: gen_ai.request.model is required on span.openai.gen_ai.client.inference']),
  );
}

describe('traceIncludeSensitiveData: false', () => {
  async function runQuietly(): Promise<void> {
    harness.server.setDefault(supportModel);
    await new Runner({ workflowName: 'support', traceIncludeSensitiveData: false }).run(
      createAgents().triage,
      QUESTION,
    );
  }

  it('honours traceIncludeSensitiveData: false even when content capture is on', async () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    await runQuietly();
    // The SDK then records neither the model nor the model's tool calls: model spans are `chat`, and
    // the handoff (whose tool name is known from the model's output only) is `handoff {agent}`.
    expect(treeOf(spans())).toEqual(
      SUPPORT_TREE.map((line) =>
        line
          .replace(' gpt-4o-mini', '')
          .replace('execute_tool transfer_to_Billing_agent', 'handoff Billing agent'),
      ),
    );
    // Nor any content: not on the model spans, nor on the agent and workflow spans that take theirs.
    const everything = JSON.stringify(spans().map((s) => s.attributes));
    expect(everything).not.toContain('INV-7');
    expect(everything).not.toContain('gen_ai.input.messages');
    expect(everything).not.toContain('gen_ai.output.messages');
    expect(everything).not.toContain('gen_ai.tool.call.arguments');
  });

  it('leaves the withheld model as the only conformance gap of the run', async () => {
    await runQuietly();
    expectOnlyTheModelMissing(3);
  });
});

describe('a Responses call without a completed response', () => {
  it('ends every span of a streamed run whose consumer stops reading, and marks what the SDK left open', async () => {
    harness.server.setDefault((request) => ({
      ...supportModel(request),
      chunkDelayMs: 2,
      chunkSize: 2,
    }));
    const result = await new Runner({ workflowName: 'support' }).run(createAgents().triage, QUESTION, {
      stream: true,
    });
    // Read a few events, then walk away without cancelling.
    let seen = 0;
    for await (const _event of result) {
      seen += 1;
      if (seen === 3) break;
    }
    await result.completed.catch(() => undefined);
    await waitFor(() => spans().some((s) => s.name === 'invoke_workflow support'), { timeoutMillis: 5000 });
    expect(harness.handle.processor.openCounts).toEqual({ traces: 0, spans: 0 });
    const ids = new Set(spans().map((s) => s.spanContext().spanId));
    expect(
      spans()
        .filter((s) => !ids.has(parentOf(s) ?? ''))
        .map((s) => s.name),
    ).toEqual(['invoke_workflow support']);
    for (const span of spans()) expect(span.ended).toBe(true);
    // The call cut off has no response, hence no model; every completed call has it.
    const cutOff = spans().filter((s) => s.name === 'chat');
    for (const chat of spans().filter((s) => s.name.startsWith('chat '))) {
      expect(chat.attributes['gen_ai.request.model']).toBe('gpt-4o-mini');
    }
    expectOnlyTheModelMissing(cutOff.length);
  });

  it('records a failed call as an errored chat span; its model is the only gap', async () => {
    harness.server.setDefault({ error: { status: 500, message: 'the model is down' } });
    await expect(
      new Runner({ workflowName: 'support' }).run(createAgents().triage, QUESTION),
    ).rejects.toThrow();
    await waitFor(() => spans().some((s) => s.name === 'invoke_workflow support'));
    const chat = harness.tracing.byName('chat');
    expect(chat.status.code).toBe(SpanStatusCode.ERROR);
    expect(chat.attributes['error.type']).toEqual(expect.any(String));
    expectOnlyTheModelMissing(1);
  });
});
