// generateText / generateObject / embed with the real `ai` 7 and provider packages against the scripted server.
import { configureContent, withAgentSpan, withCustomSpan, withTrace } from '@agent-otel/core';
import * as ai from 'ai';
import { embed, embedMany, generateObject, generateText, stepCountIs, tool } from 'ai';
import { z } from 'zod';
import { registerAiSdkTelemetry, type AgentOtelTelemetry } from '../src/index';
import { attributesOf, setupTracing, treeOf, useServer, type TestTracing } from './helpers';

const weatherTools = {
  weather: tool({
    description: 'The weather in a city',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => `sunny in ${city}`,
  }),
  time: tool({
    description: 'The time in a city',
    inputSchema: z.object({ city: z.string() }),
    execute: async ({ city }) => ({ city, time: '12:00' }),
  }),
};

describe('generateText', () => {
  const h = useServer();
  let t: TestTracing;
  let integration: AgentOtelTelemetry | undefined;
  beforeAll(() => {
    t = setupTracing();
    integration = registerAiSdkTelemetry(ai);
  });
  afterEach(() => {
    t.reset();
    configureContent({ captureMode: 'NO_CONTENT' });
  });
  afterAll(() => t.shutdown());

  it('registers with the SDK', () => {
    expect(integration).toBeDefined();
    expect(
      (globalThis as { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown[] }).AI_SDK_TELEMETRY_INTEGRATIONS,
    ).toContain(integration);
  });

  it('records an invoke_agent span with a chat span beneath (Chat Completions golden attributes)', async () => {
    h.server.enqueue({
      text: 'Hello!',
      usage: { inputTokens: 12, outputTokens: 3 },
      model: 'gpt-4o-mini-2024-07-18',
    });
    const result = await generateText({
      model: h.openai.chat('gpt-4o-mini'),
      prompt: 'Say hello',
      temperature: 0.2,
      topP: 0.9,
      maxOutputTokens: 50,
      seed: 7,
      stopSequences: ['END'],
      telemetry: { functionId: 'greeter' },
    });
    expect(result.text).toBe('Hello!');
    expect(treeOf(t.spans())).toEqual(['invoke_agent greeter [INTERNAL]', '  chat gpt-4o-mini [CLIENT]']);
    expect(attributesOf(t.byName('invoke_agent greeter'))).toEqual({
      'agent_otel.span.kind': 'agent',
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'greeter',
      'gen_ai.request.model': 'gpt-4o-mini',
      'agent_otel.metadata.function_id': 'greeter',
      'agent_otel.usage.model_calls': 1,
      'agent_otel.cost.usd': expect.any(Number),
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 3,
    });
    expect(attributesOf(t.byName('chat gpt-4o-mini'))).toEqual({
      'agent_otel.span.kind': 'generation',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'openai.api.type': 'chat_completions',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.max_tokens': 50,
      'gen_ai.request.seed': 7,
      'gen_ai.request.stop_sequences': ['END'],
      'gen_ai.response.id': 'chatcmpl-000001',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 3,
      'agent_otel.cost.usd': expect.any(Number),
      'server.address': '127.0.0.1',
      'server.port': h.server.port,
    });
  });

  it('names the agent after the model when no functionId is given', async () => {
    h.server.enqueue({ text: 'ok' });
    await generateText({ model: h.openai.chat('gpt-4o-mini'), prompt: 'hi' });
    expect(
      t
        .spans()
        .map((span) => span.name)
        .sort(),
    ).toEqual(['chat gpt-4o-mini', 'invoke_agent gpt-4o-mini']);
  });

  it('records a multi-step tool loop as agent → chat, execute_tool ×2, chat', async () => {
    h.server.enqueue({
      toolCalls: [
        { id: 'call_w', name: 'weather', arguments: { city: 'Paris' } },
        { id: 'call_t', name: 'time', arguments: { city: 'Paris' } },
      ],
      usage: { inputTokens: 30, outputTokens: 10 },
    });
    h.server.enqueue({ text: 'Sunny, noon.', usage: { inputTokens: 50, outputTokens: 4 } });
    const result = await generateText({
      model: h.openai.chat('gpt-4o-mini'),
      prompt: 'Weather and time in Paris?',
      tools: weatherTools,
      stopWhen: stepCountIs(3),
      telemetry: { functionId: 'planner' },
    });
    expect(result.text).toBe('Sunny, noon.');
    expect(treeOf(t.spans())).toEqual([
      'invoke_agent planner [INTERNAL]',
      '  chat gpt-4o-mini [CLIENT]',
      '  chat gpt-4o-mini [CLIENT]',
      '  execute_tool time [INTERNAL]',
      '  execute_tool weather [INTERNAL]',
    ]);
    const [first, second] = t
      .chatSpans()
      .sort((a, b) => a.startTime[1] - b.startTime[1] + (a.startTime[0] - b.startTime[0]) * 1e9);
    expect(first!.attributes['gen_ai.response.finish_reasons']).toEqual(['tool_call']);
    expect(second!.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(attributesOf(t.byName('execute_tool weather'))).toEqual({
      'agent_otel.span.kind': 'function',
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'weather',
      'gen_ai.tool.type': 'function',
      'gen_ai.tool.call.id': 'call_w',
      'gen_ai.tool.description': 'The weather in a city',
      'gen_ai.agent.name': 'planner',
    });
    // The tools ran between the two model calls.
    const toolSpan = t.byName('execute_tool weather');
    const end = (s: typeof toolSpan) => s.endTime[0] * 1e9 + s.endTime[1];
    const start = (s: typeof toolSpan) => s.startTime[0] * 1e9 + s.startTime[1];
    expect(start(toolSpan)).toBeGreaterThanOrEqual(end(first!));
    expect(end(toolSpan)).toBeLessThanOrEqual(start(second!));
    const agent = t.byName('invoke_agent planner');
    expect([
      agent.attributes['gen_ai.usage.input_tokens'],
      agent.attributes['gen_ai.usage.output_tokens'],
    ]).toEqual([80, 14]);
    expect(agent.attributes['agent_otel.agent.tools']).toEqual(['weather', 'time']);
  });

  it('runs the tool in its execute_tool span, so spans started inside nest under it', async () => {
    h.server.enqueue({ toolCalls: [{ id: 'call_n', name: 'lookup', arguments: {} }] });
    h.server.enqueue({ text: 'done' });
    await generateText({
      model: h.openai.chat('gpt-4o-mini'),
      prompt: 'look it up',
      tools: {
        lookup: tool({
          inputSchema: z.object({}),
          execute: async () => withCustomSpan('database query', async () => 'found'),
        }),
      },
      stopWhen: stepCountIs(2),
    });
    expect(treeOf(t.spans())).toEqual([
      'invoke_agent gpt-4o-mini [INTERNAL]',
      '  chat gpt-4o-mini [CLIENT]',
      '  chat gpt-4o-mini [CLIENT]',
      '  execute_tool lookup [INTERNAL]',
      '    database query [INTERNAL]',
    ]);
  });

  it('nests a generateText called inside a tool under the tool span', async () => {
    h.server.enqueue({ toolCalls: [{ id: 'call_sub', name: 'delegate', arguments: {} }] });
    h.server.enqueue({ text: 'sub answer' });
    h.server.enqueue({ text: 'final' });
    await generateText({
      model: h.openai.chat('gpt-4o-mini'),
      prompt: 'delegate',
      telemetry: { functionId: 'lead' },
      tools: {
        delegate: tool({
          inputSchema: z.object({}),
          execute: async () =>
            (
              await generateText({
                model: h.openai.chat('gpt-4o-mini'),
                prompt: 'sub',
                telemetry: { functionId: 'helper' },
              })
            ).text,
        }),
      },
      stopWhen: stepCountIs(2),
    });
    expect(treeOf(t.spans())).toEqual([
      'invoke_agent lead [INTERNAL]',
      '  chat gpt-4o-mini [CLIENT]',
      '  chat gpt-4o-mini [CLIENT]',
      '  execute_tool delegate [INTERNAL]',
      '    invoke_agent helper [INTERNAL]',
      '      chat gpt-4o-mini [CLIENT]',
    ]);
  });

  it('maps the Responses API and Anthropic Messages, with cache and reasoning usage', async () => {
    h.server.enqueue({
      reasoning: 'thinking it over',
      text: 'Hi',
      usage: { inputTokens: 100, outputTokens: 40, cacheReadInputTokens: 60, reasoningOutputTokens: 30 },
    });
    await generateText({ model: h.openai.responses('gpt-5'), prompt: 'hi' });
    const responses = t.byName('chat gpt-5');
    expect(attributesOf(responses)).toMatchObject({
      'agent_otel.span.kind': 'response',
      'gen_ai.provider.name': 'openai',
      'openai.api.type': 'responses',
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 40,
      'gen_ai.usage.cache_read.input_tokens': 60,
      'gen_ai.usage.reasoning.output_tokens': 30,
    });
    t.reset();
    h.server.enqueue({
      text: 'Hello',
      usage: { inputTokens: 100, outputTokens: 5, cacheReadInputTokens: 20, cacheWriteInputTokens: 30 },
    });
    await generateText({
      model: h.anthropic('claude-sonnet-4-5'),
      prompt: 'hi',
      maxOutputTokens: 100,
      topK: 5,
    });
    expect(attributesOf(t.byName('chat claude-sonnet-4-5'))).toEqual({
      'agent_otel.span.kind': 'generation',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': 'claude-sonnet-4-5',
      'gen_ai.request.max_tokens': 100,
      'gen_ai.request.top_k': 5,
      'gen_ai.response.id': expect.stringMatching(/^msg_/),
      'gen_ai.response.model': 'claude-sonnet-4-5',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 5,
      'gen_ai.usage.cache_read.input_tokens': 20,
      'gen_ai.usage.cache_write.input_tokens': 30,
      // @ai-sdk/anthropic reports no request URL to telemetry: no server.address.
      'agent_otel.cost.usd': expect.any(Number),
    });
  });

  it('records a failed call (429) on the chat and agent spans and rethrows it unchanged', async () => {
    h.server.enqueue({ error: { status: 429, message: 'Rate limit reached' } });
    await expect(
      generateText({ model: h.openai.chat('gpt-4o-mini'), prompt: 'hi', maxRetries: 0 }),
    ).rejects.toThrow('Rate limit reached');
    const chat = t.byName('chat gpt-4o-mini');
    const agent = t.byName('invoke_agent gpt-4o-mini');
    expect([chat.status.code, chat.attributes['error.type']]).toEqual([2, '429']);
    expect([agent.status.code, agent.attributes['error.type']]).toEqual([2, '429']);
    expect(t.logRecords().map((record) => record.eventName)).toContain('gen_ai.client.inference.exception');
  });

  it('records a tool that throws on its span; the run goes on', async () => {
    h.server.enqueue({ toolCalls: [{ id: 'call_x', name: 'broken', arguments: {} }] });
    h.server.enqueue({ text: 'recovered' });
    const result = await generateText({
      model: h.openai.chat('gpt-4o-mini'),
      prompt: 'try it',
      tools: {
        broken: tool({
          inputSchema: z.object({}),
          execute: async (): Promise<string> => {
            throw new TypeError('tool exploded');
          },
        }),
      },
      stopWhen: stepCountIs(2),
    });
    expect(result.text).toBe('recovered');
    const span = t.byName('execute_tool broken');
    expect([span.status.code, span.status.message, span.attributes['error.type']]).toEqual([
      2,
      'tool exploded',
      'TypeError',
    ]);
    expect(t.byName('invoke_agent gpt-4o-mini').status.code).toBe(0);
  });

  it('never breaks the call when a tool returns a revoked Proxy (content capture on)', async () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    h.server.enqueue({ toolCalls: [{ id: 'call_p', name: 'hostile', arguments: {} }] });
    h.server.enqueue({ text: 'still fine' });
    const result = await generateText({
      model: h.openai.chat('gpt-4o-mini'),
      prompt: 'go',
      tools: {
        hostile: tool({ inputSchema: z.object({}), execute: async () => proxy as unknown as string }),
      },
      stopWhen: stepCountIs(2),
    }).catch((error: unknown) => error);
    // Whatever the SDK itself makes of the value, our spans end and nothing of ours throws.
    expect(t.spans().some((span) => span.name === 'execute_tool hostile')).toBe(true);
    expect(t.spans().some((span) => span.name === 'invoke_agent gpt-4o-mini')).toBe(true);
    if (!(result instanceof Error)) expect((result as { text: string }).text).toBe('still fine');
    expect(integration!.openCalls).toBe(0);
  });

  it('rolls usage up into enclosing withTrace / withAgentSpan spans', async () => {
    h.server.enqueue({ text: 'one', usage: { inputTokens: 10, outputTokens: 2, cacheReadInputTokens: 4 } });
    h.server.enqueue({ text: 'two', usage: { inputTokens: 20, outputTokens: 3 } });
    await withTrace('support flow', async () => {
      await withAgentSpan('triage', async () => {
        await generateText({ model: h.openai.chat('gpt-4o-mini'), prompt: 'a' });
        await generateText({ model: h.anthropic('claude-sonnet-4-5'), prompt: 'b' });
      });
    });
    expect(treeOf(t.spans())).toEqual([
      'invoke_workflow support flow [INTERNAL]',
      '  invoke_agent triage [INTERNAL]',
      '    invoke_agent claude-sonnet-4-5 [INTERNAL]',
      '      chat claude-sonnet-4-5 [CLIENT]',
      '    invoke_agent gpt-4o-mini [INTERNAL]',
      '      chat gpt-4o-mini [CLIENT]',
    ]);
    const workflow = t.byName('invoke_workflow support flow');
    const triage = t.byName('invoke_agent triage');
    expect([
      workflow.attributes['gen_ai.usage.input_tokens'],
      workflow.attributes['gen_ai.usage.output_tokens'],
    ]).toEqual([30, 5]);
    expect([
      triage.attributes['gen_ai.usage.input_tokens'],
      triage.attributes['gen_ai.usage.output_tokens'],
    ]).toEqual([30, 5]);
    expect(triage.attributes['agent_otel.usage.cache_read.input_tokens']).toBe(4);
  });

  it('records metrics from the model spans: one inference duration per chat span, usage counters equal to span usage', async () => {
    await t.metrics();
    h.server.enqueue({
      toolCalls: [{ id: 'call_m', name: 'weather', arguments: { city: 'Oslo' } }],
      usage: { inputTokens: 7, outputTokens: 5 },
    });
    h.server.enqueue({ text: 'rain', usage: { inputTokens: 11, outputTokens: 2 } });
    await generateText({
      model: h.openai.chat('gpt-4o-mini'),
      prompt: 'Oslo?',
      tools: weatherTools,
      stopWhen: stepCountIs(2),
    });
    const metrics = await t.metrics();
    const all = metrics.scopeMetrics.flatMap((scope) => scope.metrics);
    const find = (name: string) => all.find((metric) => metric.descriptor.name === name);
    const duration = find('gen_ai.client.inference.duration')!;
    const durationCount = duration.dataPoints.reduce(
      (sum, point) => sum + (point.value as { count: number }).count,
      0,
    );
    expect(durationCount).toBe(t.chatSpans().length);
    const total = (name: string) =>
      find(name)!.dataPoints.reduce((sum, point) => sum + (point.value as number), 0);
    const spanTotal = (attribute: string) =>
      t.chatSpans().reduce((sum, span) => sum + ((span.attributes[attribute] as number | undefined) ?? 0), 0);
    expect(total('gen_ai.client.inference.usage.input_tokens')).toBe(spanTotal('gen_ai.usage.input_tokens'));
    expect(total('gen_ai.client.inference.usage.output_tokens')).toBe(
      spanTotal('gen_ai.usage.output_tokens'),
    );
    expect(spanTotal('gen_ai.usage.input_tokens')).toBe(18);
    const tool = find('gen_ai.execute_tool.duration')!;
    expect(tool.dataPoints.reduce((sum, point) => sum + (point.value as { count: number }).count, 0)).toBe(1);
    const agent = find('gen_ai.invoke_agent.duration')!;
    expect(agent.dataPoints.reduce((sum, point) => sum + (point.value as { count: number }).count, 0)).toBe(
      1,
    );
  });

  it('records no content by default', async () => {
    h.server.enqueue({ toolCalls: [{ id: 'call_c', name: 'weather', arguments: { city: 'Rome' } }] });
    h.server.enqueue({ text: 'warm' });
    await generateText({
      model: h.openai.chat('gpt-4o-mini'),
      instructions: 'Be brief.',
      prompt: 'Rome?',
      tools: weatherTools,
      stopWhen: stepCountIs(2),
    });
    for (const span of t.spans()) {
      const keys = Object.keys(span.attributes);
      expect(keys.filter((key) => /messages|instructions|definitions|arguments|result/.test(key))).toEqual(
        [],
      );
    }
  });

  it('records content when the policy captures it', async () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    h.server.enqueue({ toolCalls: [{ id: 'call_c', name: 'weather', arguments: { city: 'Rome' } }] });
    h.server.enqueue({ text: 'warm' });
    await generateText({
      model: h.openai.chat('gpt-4o-mini'),
      instructions: 'Be brief.',
      prompt: 'Rome?',
      tools: weatherTools,
      stopWhen: stepCountIs(2),
    });
    const chats = t
      .chatSpans()
      .sort((a, b) => (a.startTime[0] - b.startTime[0]) * 1e9 + a.startTime[1] - b.startTime[1]);
    expect(JSON.parse(chats[0]!.attributes['gen_ai.input.messages'] as string)).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Rome?' }] },
    ]);
    expect(JSON.parse(chats[0]!.attributes['gen_ai.system_instructions'] as string)).toEqual([
      { type: 'text', content: 'Be brief.' },
    ]);
    expect(JSON.parse(chats[0]!.attributes['gen_ai.output.messages'] as string)).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'call_c', name: 'weather', arguments: { city: 'Rome' } }],
        finish_reason: 'tool_call',
      },
    ]);
    const definitions = JSON.parse(chats[0]!.attributes['gen_ai.tool.definitions'] as string) as {
      name: string;
    }[];
    expect(definitions.map((definition) => definition.name)).toEqual(['weather', 'time']);
    const secondInput = JSON.parse(chats[1]!.attributes['gen_ai.input.messages'] as string) as {
      role: string;
    }[];
    expect(secondInput.map((message) => message.role)).toEqual(['user', 'assistant', 'tool']);
    const tool = t.byName('execute_tool weather');
    expect(JSON.parse(tool.attributes['gen_ai.tool.call.arguments'] as string)).toEqual({ city: 'Rome' });
    expect(tool.attributes['gen_ai.tool.call.result']).toBe('sunny in Rome');
    const agent = t.byName('invoke_agent gpt-4o-mini');
    expect(JSON.parse(agent.attributes['gen_ai.output.messages'] as string)[0].parts).toEqual([
      { type: 'text', content: 'warm' },
    ]);
  });

  it("lets the call's recordInputs / recordOutputs narrow the content policy", async () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    h.server.enqueue({ text: 'secret answer' });
    await generateText({
      model: h.openai.chat('gpt-4o-mini'),
      prompt: 'secret question',
      telemetry: { recordInputs: false },
    });
    const chat = t.byName('chat gpt-4o-mini');
    expect(chat.attributes['gen_ai.input.messages']).toBeUndefined();
    expect(chat.attributes['gen_ai.output.messages']).toContain('secret answer');
    t.reset();
    h.server.enqueue({ text: 'secret answer' });
    await generateText({
      model: h.openai.chat('gpt-4o-mini'),
      prompt: 'secret question',
      telemetry: { recordOutputs: false },
    });
    const second = t.byName('chat gpt-4o-mini');
    expect(second.attributes['gen_ai.input.messages']).toContain('secret question');
    expect(second.attributes['gen_ai.output.messages']).toBeUndefined();
  });

  it('records generateObject as an agent span with a json chat span', async () => {
    h.server.enqueue({ text: '{"city":"Paris","temperature":21}' });
    const { object } = await generateObject({
      model: h.openai.chat('gpt-4o-mini'),
      schema: z.object({ city: z.string(), temperature: z.number() }),
      prompt: 'weather as json',
    });
    expect(object).toEqual({ city: 'Paris', temperature: 21 });
    expect(treeOf(t.spans())).toEqual(['invoke_agent gpt-4o-mini [INTERNAL]', '  chat gpt-4o-mini [CLIENT]']);
    expect(t.byName('chat gpt-4o-mini').attributes['gen_ai.output.type']).toBe('json');
  });

  it('records embed and embedMany as embeddings spans', async () => {
    await withTrace('indexing', async () => {
      await embed({ model: h.openai.embedding('text-embedding-3-small'), value: 'hello' });
      await embedMany({ model: h.openai.embedding('text-embedding-3-small'), values: ['a', 'b'] });
    });
    expect(treeOf(t.spans())).toEqual([
      'invoke_workflow indexing [INTERNAL]',
      '  embeddings text-embedding-3-small [CLIENT]',
      '  embeddings text-embedding-3-small [CLIENT]',
    ]);
    const [first] = t.spans().filter((span) => span.name.startsWith('embeddings'));
    expect(attributesOf(first!)).toEqual({
      'agent_otel.span.kind': 'embeddings',
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'text-embedding-3-small',
      'gen_ai.embeddings.dimension.count': 8,
      'gen_ai.usage.input_tokens': expect.any(Number),
      'agent_otel.cost.usd': expect.any(Number),
    });
  });
});
