// With @agent-otel/instrumentation-openai also active, a model call appears once (modelSpans: merge),
// with the attributes of both layers; `nest` and `client` are the configurable alternatives.
import * as agents from '@openai/agents';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import * as openai from 'openai';
import { configureContent, resetContentPolicy } from '@agent-otel/core';
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
  it('merge (default): one chat span per model call, with the attributes of both layers', async () => {
    await runSupport('merge');
    const spans = chats();
    expect(spans).toHaveLength(3);
    expect(tracing.spans().filter((s) => s.name.startsWith('POST'))).toHaveLength(0);
    for (const chat of spans) {
      expect(chat.name).toBe('chat gpt-4o-mini');
      // From the SDK (bridge): its span id, its place in the tree, the response.
      expect(String(chat.attributes['agent_otel.source.span_id'])).toMatch(/^span_/);
      expect(String(chat.attributes['gen_ai.response.id'])).toMatch(/^resp_/);
      // From the client instrumentation: where the request went.
      expect(chat.attributes['server.address']).toBe('127.0.0.1');
      expect(chat.attributes['server.port']).toBe(server.port);
      expect(chat.attributes['gen_ai.request.model']).toBe('gpt-4o-mini');
      expect(chat.attributes['gen_ai.usage.input_tokens']).toEqual(expect.any(Number));
      const parent = tracing.spans().find((s) => s.spanContext().spanId === parentOf(chat))!;
      expect(parent.name).toMatch(/^turn /);
    }
    // Usage is counted once.
    expect(tracing.byName('invoke_workflow support').attributes['agent_otel.usage.model_calls']).toBe(3);
  });

  it('merge honours traceIncludeSensitiveData: false for what the client recorded too', async () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    await runSupport('merge', { traceIncludeSensitiveData: false });
    const spans = chats();
    expect(spans).toHaveLength(3);
    for (const chat of spans) {
      expect(chat.name).toBe('chat gpt-4o-mini');
      expect(chat.attributes['gen_ai.input.messages']).toBeUndefined();
      expect(chat.attributes['gen_ai.output.messages']).toBeUndefined();
      expect(chat.attributes['gen_ai.system_instructions']).toBeUndefined();
      expect(chat.attributes['gen_ai.usage.input_tokens']).toEqual(expect.any(Number));
    }
  });

  it('nest: the client span nested under the bridge span (two spans per call)', async () => {
    await runSupport('nest');
    const spans = chats();
    expect(spans).toHaveLength(6);
    const bridge = spans.filter((s) => s.attributes['agent_otel.source.span_id'] !== undefined);
    const client = spans.filter((s) => s.attributes['agent_otel.source.span_id'] === undefined);
    expect(bridge).toHaveLength(3);
    expect(new Set(client.map(parentOf))).toEqual(new Set(bridge.map((s) => s.spanContext().spanId)));
    for (const span of client) expect(scopeOf(span)).toBe('@agent-otel/instrumentation-openai');
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
