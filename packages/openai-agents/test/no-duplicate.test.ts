// With @agent-otel/instrumentation-openai also active, a model call appears once (modelSpans: merge),
// with the attributes of both layers; `nest` and `client` are the configurable alternatives.
import * as agents from '@openai/agents';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import * as openai from 'openai';
import { claimModelCallSpan, openAIUsage, traceClientCall } from '@agent-otel/core/instrumentation';
import {
  configureContent,
  createSpan,
  isTracingDisabled,
  resetContentPolicy,
  type ResponseSpanData,
} from '@agent-otel/core';
import { OpenAIInstrumentation } from '@agent-otel/instrumentation-openai';
import { createOpenAIClientOptions, startScriptedServer, type ScriptedServer } from '@agent-otel/testing';
import {
  instrumentOpenAIAgents,
  type ModelSpanMode,
  type OpenAIAgentsInstrumentationHandle,
} from '../src/index.js';
import { parentOf, setupTracing, treeOf, type TestTracing } from './helpers.js';
import { createAgents, supportModel } from './support-flow.js';

let server: ScriptedServer;
let tracing: TestTracing;
let clientInstrumentation: OpenAIInstrumentation;
let handle: OpenAIAgentsInstrumentationHandle | undefined;

beforeAll(async () => {
  server = await startScriptedServer();
  tracing = setupTracing();
  clientInstrumentation = new OpenAIInstrumentation();
  clientInstrumentation.setTracerProvider(tracing.provider);
  clientInstrumentation.manuallyInstrument(openai);
  agents.setTracingDisabled(false);
  agents.setDefaultOpenAIClient(new openai.OpenAI(createOpenAIClientOptions(server)) as never);
  agents.setOpenAIAPI('responses');
});

afterEach(() => {
  handle?.uninstrument();
  handle = undefined;
  tracing.reset();
  server.reset();
  resetContentPolicy();
});

afterAll(async () => {
  clientInstrumentation.disable();
  await server.close();
  await tracing.shutdown();
});

async function runSupport(modelSpans: ModelSpanMode, runConfig: Partial<agents.RunConfig> = {}) {
  handle = instrumentOpenAIAgents(agents, { openAIExporter: 'drop', modelSpans });
  server.setDefault(supportModel);
  await new agents.Runner({ workflowName: 'support', ...runConfig }).run(
    createAgents().triage,
    'What is the status of invoice INV-7?',
  );
}

function chats(): ReadableSpan[] {
  return tracing.spans().filter((span) => span.name.startsWith('chat'));
}

function scopeOf(span: ReadableSpan): string {
  return span.instrumentationScope.name;
}

describe('model calls with the openai instrumentation on', () => {
  it("merge (default): one chat span per model call, the bridge's, with usage counted once", async () => {
    await runSupport('merge');
    const spans = chats();
    expect(spans).toHaveLength(3);
    for (const chat of spans) {
      expect(chat.name).toBe('chat gpt-4o-mini');
      expect(String(chat.attributes['agent_otel.source.span_id'])).toMatch(/^span_/);
      expect(String(chat.attributes['gen_ai.response.id'])).toMatch(/^resp_/);
      expect(chat.attributes['gen_ai.usage.input_tokens']).toEqual(expect.any(Number));
      // The client instrumentation claimed the bridge's span: its attributes are on the same span.
      expect(chat.attributes['server.address']).toBe('127.0.0.1');
      expect(chat.attributes['openai.api.type']).toBe('responses');
      const parent = tracing.spans().find((s) => s.spanContext().spanId === parentOf(chat))!;
      expect(parent.name).toMatch(/^turn /);
    }
    const root = tracing.byName('invoke_workflow support');
    expect(root.attributes['agent_otel.usage.model_calls']).toBe(3);
    expect(root.attributes['gen_ai.usage.input_tokens']).toBe(50 + 80 + 120);
  });

  it('merge with traceIncludeSensitiveData: false: the model from the client, no content', async () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    await runSupport('merge', { traceIncludeSensitiveData: false });
    const spans = chats();
    expect(spans).toHaveLength(3);
    for (const chat of spans) {
      // The SDK withholds the model; the client instrumentation that claimed the span records it.
      expect(chat.name).toBe('chat gpt-4o-mini');
      expect(chat.attributes['gen_ai.request.model']).toBe('gpt-4o-mini');
      expect(chat.attributes['gen_ai.input.messages']).toBeUndefined();
      expect(chat.attributes['gen_ai.output.messages']).toBeUndefined();
    }
    const root = tracing.byName('invoke_workflow support');
    expect(root.attributes['gen_ai.input.messages']).toBeUndefined();
    expect(root.attributes['gen_ai.output.messages']).toBeUndefined();
  });

  it('merge with content: one chat span per call, and the agent takes its messages from them', async () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    handle = instrumentOpenAIAgents(agents, { openAIExporter: 'drop', modelSpans: 'merge' });
    server.setDefault(supportModel);
    await new agents.Runner({ workflowName: 'billing' }).run(
      createAgents().billing,
      'What is the status of invoice INV-7?',
    );
    // Two model calls (the lookup, then the answer): two chat spans, each claimed by the client.
    const spans = chats();
    expect(spans.map((s) => s.name)).toEqual(['chat gpt-4o-mini', 'chat gpt-4o-mini']);
    for (const chat of spans) expect(chat.attributes['server.address']).toBe('127.0.0.1');
    const [first, last] = spans as [ReadableSpan, ReadableSpan];
    expect(String(last.attributes['gen_ai.output.messages'])).toContain('is paid');
    for (const name of ['invoke_agent Billing agent', 'invoke_workflow billing']) {
      const run = tracing.byName(name);
      expect(JSON.parse(String(run.attributes['gen_ai.input.messages']))).toEqual(
        JSON.parse(String(first.attributes['gen_ai.input.messages'])),
      );
      expect(JSON.parse(String(run.attributes['gen_ai.output.messages']))).toEqual(
        JSON.parse(String(last.attributes['gen_ai.output.messages'])),
      );
    }
  });

  it('nest: the client span nested under the bridge span (two spans per call), usage counted once', async () => {
    await runSupport('nest');
    const spans = chats();
    expect(spans).toHaveLength(6);
    const bridge = spans.filter((s) => s.attributes['agent_otel.source.span_id'] !== undefined);
    const client = spans.filter((s) => s.attributes['agent_otel.source.span_id'] === undefined);
    expect(bridge).toHaveLength(3);
    expect(new Set(client.map(parentOf))).toEqual(new Set(bridge.map((s) => s.spanContext().spanId)));
    for (const span of client) expect(scopeOf(span)).toBe('@agent-otel/instrumentation-openai');
    expect(tracing.byName('invoke_workflow support').attributes['agent_otel.usage.model_calls']).toBe(3);
  });

  it('client: only the client span, under the turn', async () => {
    await runSupport('client');
    const spans = chats();
    expect(spans).toHaveLength(3);
    for (const chat of spans) {
      expect(scopeOf(chat)).toBe('@agent-otel/instrumentation-openai');
      expect(chat.attributes['agent_otel.source.span_id']).toBeUndefined();
      const parent = tracing.spans().find((s) => s.spanContext().spanId === parentOf(chat))!;
      expect(parent.name).toMatch(/^turn /);
    }
    expect(treeOf(tracing.spans()).filter((line) => line.includes('execute_tool'))).toHaveLength(2);
  });
});

/**
 * A client instrumentation that claims (core's `claimModelCallSpan`), shaped like
 * @agent-otel/instrumentation-openai's patched `responses.create`: what the merge rule gives once the
 * client claims — one span with the attributes of both layers.
 */
function installClaimingResponsesClient(): () => void {
  const responses = (openai.OpenAI as unknown as { Responses: { prototype: Record<string, any> } }).Responses
    .prototype;
  const original = responses.create as (...args: unknown[]) => unknown;
  responses.create = function create(
    this: unknown,
    body: { model: string; stream?: boolean },
    ...rest: unknown[]
  ) {
    const data: ResponseSpanData = {
      type: 'response',
      model: body.model,
      provider: 'openai',
      serverAddress: '127.0.0.1',
      serverPort: server.port,
      stream: body.stream === true,
      input: [{ role: 'user', content: 'as the client saw it' }],
    };
    const span = claimModelCallSpan(data) ?? (isTracingDisabled() ? undefined : createSpan(data).start());
    if (!span) return original.call(this, body, ...rest);
    return traceClientCall(span, () => original.call(this, body, ...rest), {
      onResult: (claimed, result) =>
        claimed.update({
          responseId: (result as { id: string }).id,
          usage: openAIUsage((result as { usage: unknown }).usage),
        }),
    });
  };
  return () => {
    responses.create = original;
  };
}

describe('model calls with a client instrumentation that claims', () => {
  let uninstall: () => void;
  beforeAll(() => {
    clientInstrumentation.disable();
    uninstall = installClaimingResponsesClient();
  });
  afterAll(() => {
    uninstall();
    clientInstrumentation.enable();
  });

  it('merge: one chat span per model call, with the attributes of both layers', async () => {
    await runSupport('merge');
    const spans = chats();
    expect(spans).toHaveLength(3);
    for (const chat of spans) {
      expect(chat.name).toBe('chat gpt-4o-mini');
      // From the SDK (bridge): its span id, its place in the tree, the response.
      expect(String(chat.attributes['agent_otel.source.span_id'])).toMatch(/^span_/);
      expect(String(chat.attributes['gen_ai.response.finish_reasons'])).toMatch(/stop|tool_call/);
      // From the client: where the request went.
      expect(chat.attributes['server.address']).toBe('127.0.0.1');
      expect(chat.attributes['server.port']).toBe(server.port);
      expect(chat.attributes['gen_ai.request.model']).toBe('gpt-4o-mini');
      const parent = tracing.spans().find((s) => s.spanContext().spanId === parentOf(chat))!;
      expect(parent.name).toMatch(/^turn /);
    }
    expect(tracing.byName('invoke_workflow support').attributes['agent_otel.usage.model_calls']).toBe(3);
  });

  it("merge honours traceIncludeSensitiveData: false for the client's content too", async () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    await runSupport('merge', { traceIncludeSensitiveData: false });
    const spans = chats();
    expect(spans).toHaveLength(3);
    for (const chat of spans) {
      // The SDK records neither model nor usage then; the client does.
      expect(chat.name).toBe('chat gpt-4o-mini');
      expect(chat.attributes['gen_ai.usage.input_tokens']).toEqual(expect.any(Number));
      expect(chat.attributes['gen_ai.input.messages']).toBeUndefined();
    }
  });

  it("merge with content allowed: the client's content is kept", async () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    await runSupport('merge');
    for (const chat of chats()) {
      expect(String(chat.attributes['gen_ai.input.messages'])).toContain('as the client saw it');
    }
  });
});
