import { closedPort, scriptedResponses } from '@agent-otel/testing';
import { SpanStatusCode } from '@opentelemetry/api';
import {
  versions,
  API_KEY,
  tracing,
  server,
  params,
  baseAttributes,
  onlySpan,
  contentOn,
  contentOff,
  useMessagesTestSetup,
  clientOf,
} from './messages-setup.js';

useMessagesTestSetup();

describe.each(versions)('%s', (_label, sdk) => {
  const client = (overrides: Record<string, unknown> = {}) => clientOf(sdk, overrides);

  describe('messages.create (JSON)', () => {
    it('records the golden attribute set without content', async () => {
      contentOff();
      server.enqueue({
        id: 'msg_json_1',
        text: 'Sunny.',
        usage: { inputTokens: 100, outputTokens: 7, cacheReadInputTokens: 60, cacheWriteInputTokens: 30 },
      });
      const message = await client().messages.create({
        ...params,
        temperature: 0.5,
        top_p: 0.9,
        top_k: 40,
        stop_sequences: ['END'],
        system: 'Be brief.',
      });
      expect(message.content).toEqual([{ type: 'text', text: 'Sunny.' }]);
      const span = onlySpan();
      expect(span.kind).toBe(2); // CLIENT
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(span.attributes).toEqual(
        baseAttributes({
          'gen_ai.request.temperature': 0.5,
          'gen_ai.request.top_p': 0.9,
          'gen_ai.request.top_k': 40,
          'gen_ai.request.stop_sequences': ['END'],
          'gen_ai.response.id': 'msg_json_1',
          'gen_ai.response.model': 'claude-test',
          'gen_ai.response.finish_reasons': ['stop'],
          'gen_ai.usage.input_tokens': 100, // 10 + 60 cache read + 30 cache write
          'gen_ai.usage.output_tokens': 7,
          'gen_ai.usage.cache_read.input_tokens': 60,
          'gen_ai.usage.cache_write.input_tokens': 30,
        }),
      );
    });

    it('records top_k as an int, and not a top_k that is not an integer', async () => {
      server.enqueue([{ text: 'a' }, { text: 'b' }]);
      await client().messages.create({ ...params, top_k: 5 });
      expect(onlySpan().attributes['gen_ai.request.top_k']).toBe(5);
      tracing.reset();
      await client().messages.create({ ...params, top_k: 2.5 });
      expect(onlySpan().attributes).not.toHaveProperty('gen_ai.request.top_k');
    });

    it('records thinking, text and tool_use blocks, tools and system with content on', async () => {
      contentOn();
      server.enqueue({
        id: 'msg_json_2',
        reasoning: 'Need the weather tool.',
        text: 'Let me check.',
        toolCalls: [{ id: 'toolu_1', name: 'get_weather', arguments: { city: 'Paris' } }],
        usage: { inputTokens: 50, outputTokens: 20, reasoningOutputTokens: 6 },
      });
      await client().messages.create({
        ...params,
        system: [{ type: 'text', text: 'You are a weather bot.', cache_control: { type: 'ephemeral' } }],
        tools: [
          {
            name: 'get_weather',
            description: 'Current weather',
            input_schema: { type: 'object', properties: { city: { type: 'string' } } },
          },
          { type: 'web_search_20250305', name: 'web_search', max_uses: 2 },
        ],
        thinking: { type: 'enabled', budget_tokens: 1024 },
        output_config: { effort: 'high' },
      });
      expect(onlySpan().attributes).toEqual(
        baseAttributes({
          'gen_ai.request.reasoning.level': 'high',
          'anthropic.thinking.type': 'enabled',
          'anthropic.thinking.budget_tokens': 1024,
          'gen_ai.response.id': 'msg_json_2',
          'gen_ai.response.model': 'claude-test',
          'gen_ai.response.finish_reasons': ['tool_call'],
          'gen_ai.usage.input_tokens': 50,
          'gen_ai.usage.output_tokens': 20,
          'gen_ai.usage.reasoning.output_tokens': 6,
          'gen_ai.system_instructions': JSON.stringify([{ type: 'text', content: 'You are a weather bot.' }]),
          'gen_ai.tool.definitions': JSON.stringify([
            {
              type: 'function',
              name: 'get_weather',
              description: 'Current weather',
              parameters: { type: 'object', properties: { city: { type: 'string' } } },
            },
            { type: 'web_search_20250305', name: 'web_search' },
          ]),
          'gen_ai.input.messages': JSON.stringify([
            { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
          ]),
          'gen_ai.output.messages': JSON.stringify([
            {
              role: 'assistant',
              parts: [
                { type: 'reasoning', content: 'Need the weather tool.' },
                { type: 'text', content: 'Let me check.' },
                { type: 'tool_call', id: 'toolu_1', name: 'get_weather', arguments: { city: 'Paris' } },
              ],
              finish_reason: 'tool_call',
            },
          ]),
        }),
      );
    });

    it('records tool_use and tool_result blocks of the input history', async () => {
      contentOn();
      server.enqueue({ text: 'It is sunny in Paris.' });
      await client().messages.create({
        ...params,
        messages: [
          { role: 'user', content: 'Weather in Paris?' },
          {
            role: 'assistant',
            content: [{ type: 'tool_use', id: 'toolu_9', name: 'get_weather', input: { city: 'Paris' } }],
          },
          {
            role: 'user',
            content: [{ type: 'tool_result', tool_use_id: 'toolu_9', content: 'sunny, 21°C' }],
          },
        ],
      });
      expect(JSON.parse(onlySpan().attributes['gen_ai.input.messages'] as string)).toEqual([
        { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
        {
          role: 'assistant',
          parts: [{ type: 'tool_call', id: 'toolu_9', name: 'get_weather', arguments: { city: 'Paris' } }],
        },
        { role: 'user', parts: [{ type: 'tool_call_response', id: 'toolu_9', response: 'sunny, 21°C' }] },
      ]);
    });

    it('records no content attributes when capture is off', async () => {
      contentOff();
      server.enqueue({ text: 'secret answer', reasoning: 'secret thought' });
      await client().messages.create({ ...params, system: 'secret system' });
      const attributes = JSON.stringify(onlySpan().attributes);
      for (const secret of ['secret answer', 'secret thought', 'secret system', 'Weather in Paris?']) {
        expect(attributes).not.toContain(secret);
      }
    });

    it('keeps the APIPromise helpers: withResponse() and asResponse()', async () => {
      server.enqueue({ id: 'msg_wr', text: 'ok' });
      const { data, response, request_id } = await client().messages.create(params).withResponse();
      expect(data.id).toBe('msg_wr');
      expect(response.status).toBe(200);
      expect(request_id).toMatch(/^req_/);
      expect(onlySpan().attributes['gen_ai.response.id']).toBe('msg_wr');
    });

    it('nests under the active span and propagates the chat span to the server', async () => {
      const { withAgentSpan } = await import('@agent-otel/core');
      server.enqueue({ text: 'ok' });
      await withAgentSpan({ name: 'weather' }, () => client().messages.create(params));
      const chat = tracing.one('chat claude-test');
      const agent = tracing.one('invoke_agent weather');
      expect(chat.parentSpanContext?.spanId).toBe(agent.spanContext().spanId);
      const traceparent = server.requests[0]!.headers['traceparent'];
      expect(traceparent).toBe(`00-${chat.spanContext().traceId}-${chat.spanContext().spanId}-01`);
    });
  });

  describe('errors', () => {
    it.each([429, 529])(
      'records a %s as error.type and re-throws the SDK error unchanged',
      async (status) => {
        server.enqueue(scriptedResponses.errorReply(status, 'nope'));
        const thrown = await client()
          .messages.create(params)
          .catch((error: unknown) => error);
        // 1.12 has OverloadedError for 529; 1.0 throws InternalServerError.
        expect(thrown).toBeInstanceOf(
          status === 429 ? sdk.RateLimitError : (sdk.OverloadedError ?? sdk.InternalServerError),
        );
        expect((thrown as { status: number }).status).toBe(status);
        const span = onlySpan();
        expect(span.status.code).toBe(SpanStatusCode.ERROR);
        expect(span.attributes['error.type']).toBe(String(status));
        expect(span.events.map((event) => event.name)).toEqual(['exception']);
      },
    );

    it('records a 429 on a streamed call', async () => {
      server.enqueue(scriptedResponses.rateLimitReply(1));
      await expect(client().messages.create({ ...params, stream: true })).rejects.toBeInstanceOf(
        sdk.RateLimitError,
      );
      expect(onlySpan().attributes).toMatchObject({ 'error.type': '429', 'gen_ai.request.stream': true });
    });

    it('handles connection errors without crashing', async () => {
      const port = await closedPort();
      const offline = client({ baseURL: `http://127.0.0.1:${port}` });
      await expect(offline.messages.create(params)).rejects.toBeInstanceOf(sdk.APIConnectionError);
      const span = onlySpan();
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.attributes['error.type']).toBe('APIConnectionError');
      expect(span.attributes['server.port']).toBe(port);
    });

    it('records an abort before the response as AbortError, as an aborted stream', async () => {
      server.enqueue({ text: 'too late', delayMs: 500 });
      const controller = new AbortController();
      const call = client().messages.create(params, { signal: controller.signal });
      setTimeout(() => controller.abort(), 20);
      await expect(call).rejects.toBeInstanceOf(sdk.APIUserAbortError);
      expect(onlySpan().attributes['error.type']).toBe('AbortError');
    });

    it('never exports the API key', async () => {
      contentOn();
      server.enqueue([{ text: 'a' }, { text: 'b' }, scriptedResponses.errorReply(401, 'bad key')]);
      const anthropic = client();
      await anthropic.messages.create(params);
      for await (const _event of await anthropic.messages.create({ ...params, stream: true })) {
        // consume
      }
      await anthropic.messages.create(params).catch(() => undefined);
      expect(server.requests[0]!.headers['x-api-key'] ?? server.requests[0]!.headers.authorization).toContain(
        API_KEY,
      );
      const exported = JSON.stringify(
        tracing
          .spans()
          .map((span) => ({ attributes: span.attributes, events: span.events, status: span.status })),
      );
      expect(tracing.spans()).toHaveLength(3);
      expect(exported).not.toContain(API_KEY);
      expect(exported).not.toMatch(/x-api-key|authorization/i);
    });
  });

  describe('inside a framework model-call span', () => {
    it('records onto the enclosing generation span instead of adding a second one', async () => {
      const { startSpan } = await import('@agent-otel/core');
      const { modelCallOwnerContext } = await import('@agent-otel/core/instrumentation');
      const { context } = await import('@opentelemetry/api');
      server.enqueue({ id: 'msg_claimed', text: 'claimed', usage: { inputTokens: 4, outputTokens: 2 } });
      const owner = startSpan({ type: 'generation', model: 'claude-test', provider: 'anthropic' });
      await context.with(modelCallOwnerContext(owner.context), () => client().messages.create(params));
      expect(tracing.spans()).toHaveLength(0); // the owner ends its span itself
      owner.end();
      expect(onlySpan().attributes).toMatchObject({
        'gen_ai.response.id': 'msg_claimed',
        'gen_ai.usage.input_tokens': 4,
        'gen_ai.usage.output_tokens': 2,
        'server.port': server.port,
      });
      const chat = onlySpan().spanContext();
      expect(server.requests[0]!.headers.traceparent).toBe(`00-${chat.traceId}-${chat.spanId}-01`);
    });
  });
});
