import { context, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { getCurrentSpan } from '@agent-otel/core';
import { collectedAfterGc } from '@agent-otel/testing';
import { API_KEY, json, OPENAI_VERSIONS, useHarness } from './helpers';

const MESSAGES = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Weather in Paris?' },
];

const TOOLS = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather',
      parameters: { type: 'object', properties: { city: { type: 'string' } } },
    },
  },
];

describe.each(OPENAI_VERSIONS)('%s chat.completions.create', (_name, OpenAI) => {
  const h = useHarness();

  it('records a chat call with the semantic-convention attributes', async () => {
    h.server.enqueue({
      text: 'Sunny.',
      id: 'chatcmpl-golden',
      model: 'gpt-4o-mini-2024-07-18',
      systemFingerprint: 'fp_golden',
      usage: { inputTokens: 12, outputTokens: 5, cacheReadInputTokens: 4, reasoningOutputTokens: 1 },
    });
    const completion = await h.client(OpenAI).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
      max_completion_tokens: 100,
      temperature: 0.2,
      top_p: 0.9,
      stop: 'END',
      seed: 7,
      n: 2,
      frequency_penalty: 0.1,
      presence_penalty: 0.3,
      reasoning_effort: 'low',
      response_format: { type: 'json_object' },
      service_tier: 'auto',
    });

    expect(completion.choices[0].message.content).toBe('Sunny.');
    const span = h.span();
    expect(span.name).toBe('chat gpt-4o-mini');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.instrumentationScope.name).toBe('@agent-otel/instrumentation-openai');
    expect(span.attributes).toEqual({
      'agent_otel.span.kind': 'generation',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'server.address': '127.0.0.1',
      'server.port': h.server.port,
      'gen_ai.request.max_tokens': 100,
      'gen_ai.request.temperature': 0.2,
      'gen_ai.request.top_p': 0.9,
      'gen_ai.request.frequency_penalty': 0.1,
      'gen_ai.request.presence_penalty': 0.3,
      'gen_ai.request.stop_sequences': ['END'],
      'gen_ai.request.seed': 7,
      'gen_ai.request.choice.count': 2,
      'gen_ai.request.reasoning.level': 'low',
      'gen_ai.output.type': 'json',
      'openai.api.type': 'chat_completions',
      'openai.request.service_tier': 'auto',
      'openai.response.service_tier': 'default',
      'openai.response.system_fingerprint': 'fp_golden',
      'gen_ai.response.id': 'chatcmpl-golden',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 5,
      'gen_ai.usage.cache_read.input_tokens': 4,
      'gen_ai.usage.reasoning.output_tokens': 1,
      'agent_otel.cost.usd': expect.any(Number),
    });
  });

  it('never records top_logprobs as gen_ai.request.top_k (top-K sampling is another parameter)', async () => {
    h.server.enqueue({ text: 'Sunny.' });
    await h.client(OpenAI).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
      logprobs: true,
      top_logprobs: 5,
    });
    expect(h.server.requests[0]?.body.top_logprobs).toBe(5);
    expect(Object.keys(h.span().attributes).filter((key) => /top_k|logprob/.test(key))).toEqual([]);
  });

  it('records a streamed call, its time to first chunk and the usage of the final chunk', async () => {
    h.server.enqueue({
      text: 'Sunny and mild.',
      id: 'chatcmpl-stream',
      usage: { inputTokens: 9, outputTokens: 4, cacheReadInputTokens: 0, reasoningOutputTokens: 0 },
    });
    const stream = await h.client(OpenAI).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 50,
      stop: ['END', 'STOP'],
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta?.content ?? '';

    expect(text).toBe('Sunny and mild.');
    const span = h.span();
    expect(span.name).toBe('chat gpt-4o-mini');
    expect(span.attributes).toEqual({
      'agent_otel.span.kind': 'generation',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'server.address': '127.0.0.1',
      'server.port': h.server.port,
      'gen_ai.request.max_tokens': 50,
      'gen_ai.request.stop_sequences': ['END', 'STOP'],
      'gen_ai.request.stream': true,
      'openai.api.type': 'chat_completions',
      'openai.response.service_tier': 'default',
      'gen_ai.response.id': 'chatcmpl-stream',
      'gen_ai.response.model': 'gpt-4o-mini',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.response.time_to_first_chunk': expect.any(Number),
      'gen_ai.usage.input_tokens': 9,
      'gen_ai.usage.output_tokens': 4,
      'agent_otel.cost.usd': expect.any(Number),
    });
    expect(span.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThan(0);
  });

  it('records usage from the final chunk only when the request asked for it, and never adds the option', async () => {
    h.server.enqueue({ text: 'no usage here' });
    const stream = await h.client(OpenAI).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
      stream: true,
    });
    for await (const _chunk of stream) {
      // consume
    }
    const span = h.span();
    expect(h.server.requests[0]?.body.stream_options).toBeUndefined();
    expect(Object.keys(span.attributes).filter((key) => key.includes('usage'))).toEqual([]);
    expect(span.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
  });

  it('records messages, tool definitions and the output only when content capture is on', async () => {
    h.capture('SPAN_ONLY');
    h.server.enqueue({ toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] });
    await h
      .client(OpenAI)
      .chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES, tools: TOOLS });
    const captured = h.span().attributes;
    expect(json(captured['gen_ai.input.messages'])).toEqual([
      { role: 'system', parts: [{ type: 'text', content: 'You are terse.' }] },
      { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
    ]);
    expect(json(captured['gen_ai.tool.definitions'])).toEqual([
      {
        type: 'function',
        name: 'get_weather',
        description: 'Current weather',
        parameters: { type: 'object', properties: { city: { type: 'string' } } },
      },
    ]);
    expect(json(captured['gen_ai.output.messages'])).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }],
        finish_reason: 'tool_call',
      },
    ]);
    expect(captured['gen_ai.response.finish_reasons']).toEqual(['tool_call']);

    h.exporter.reset();
    h.capture('NO_CONTENT');
    h.server.enqueue({ toolCalls: [{ id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }] });
    await h
      .client(OpenAI)
      .chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES, tools: TOOLS });
    const keys = Object.keys(h.span().attributes);
    expect(keys.filter((key) => /messages|definitions|instructions/.test(key))).toEqual([]);
  });

  it('records tool results and earlier tool calls of the conversation as input messages', async () => {
    h.capture('SPAN_ONLY');
    h.server.enqueue({ text: 'It is sunny.' });
    await h.client(OpenAI).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      ],
    });
    expect(json(h.span().attributes['gen_ai.input.messages'])).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }],
      },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: 'sunny' }] },
    ]);
  });

  it('reassembles parallel tool calls streamed as deltas', async () => {
    h.capture('SPAN_ONLY');
    h.server.enqueue({
      text: 'Checking both.',
      chunkSize: 3,
      toolCalls: [
        { id: 'call_a', name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } },
        { id: 'call_b', name: 'get_time', arguments: { timezone: 'Europe/Paris' } },
      ],
    });
    const stream = await h.client(OpenAI).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
      tools: TOOLS,
      stream: true,
    });
    for await (const _chunk of stream) {
      // consume
    }
    const span = h.span();
    expect(span.attributes['gen_ai.response.finish_reasons']).toEqual(['tool_call']);
    expect(json(span.attributes['gen_ai.output.messages'])).toEqual([
      {
        role: 'assistant',
        parts: [
          { type: 'text', content: 'Checking both.' },
          {
            type: 'tool_call',
            id: 'call_a',
            name: 'get_weather',
            arguments: { city: 'Paris', unit: 'celsius' },
          },
          { type: 'tool_call', id: 'call_b', name: 'get_time', arguments: { timezone: 'Europe/Paris' } },
        ],
        finish_reason: 'tool_call',
      },
    ]);
  });

  it('keeps .withResponse() working', async () => {
    h.server.enqueue({ text: 'with response', id: 'chatcmpl-wr' });
    const { data, response, request_id } = await h
      .client(OpenAI)
      .chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES })
      .withResponse();
    expect(data.choices[0].message.content).toBe('with response');
    expect(response.status).toBe(200);
    expect(typeof request_id).toBe('string');
    expect(h.span().attributes['gen_ai.response.id']).toBe('chatcmpl-wr');
  });

  it('keeps .asResponse() working: the body stays readable and the span ends with the response', async () => {
    h.server.enqueue({ text: 'raw body', id: 'chatcmpl-raw' });
    const response = await h
      .client(OpenAI)
      .chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES })
      .asResponse();
    const body = await response.json();
    expect(body.choices[0].message.content).toBe('raw body');
    const span = h.span();
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes['gen_ai.request.model']).toBe('gpt-4o-mini');
    expect(span.attributes['gen_ai.response.id']).toBeUndefined();
  });

  it('produces one span for chat.completions.parse', async () => {
    h.server.enqueue({ text: '{"city":"Paris"}' });
    const completion = await h.client(OpenAI).chat.completions.parse({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'place',
          strict: true,
          schema: {
            type: 'object',
            properties: { city: { type: 'string' } },
            required: ['city'],
            additionalProperties: false,
          },
        },
      },
    });
    expect(completion.choices[0].message.parsed).toEqual({ city: 'Paris' });
    const span = h.span();
    expect(span.attributes['gen_ai.output.type']).toBe('json');
    expect(span.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
  });

  it('produces one span for chat.completions.stream', async () => {
    h.capture('SPAN_ONLY');
    h.server.enqueue({ text: 'streamed by the helper' });
    const runner = h.client(OpenAI).chat.completions.stream({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
      stream_options: { include_usage: true },
    });
    const completion = await runner.finalChatCompletion();
    expect(completion.choices[0].message.content).toBe('streamed by the helper');
    const span = h.span();
    expect(span.attributes['gen_ai.request.stream']).toBe(true);
    expect(span.attributes['gen_ai.usage.output_tokens']).toEqual(expect.any(Number));
    expect(json(span.attributes['gen_ai.output.messages'])).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'text', content: 'streamed by the helper' }],
        finish_reason: 'stop',
      },
    ]);
  });

  it.each([
    [429, 'RateLimitError'],
    [500, 'InternalServerError'],
  ])('records a %s error with error.type and rethrows it unchanged', async (status, className) => {
    h.server.enqueue({ error: { status, message: `scripted ${status}` } });
    const client = h.client(OpenAI);
    const error = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(OpenAI[className]);
    expect((error as { status: number }).status).toBe(status);
    const span = h.span();
    expect(span.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: expect.stringContaining(`scripted ${status}`),
    });
    expect(span.attributes['error.type']).toBe(String(status));
    expect(span.events.map((event) => event.name)).toEqual(['exception']);
  });

  it('handles connection errors without crashing', async () => {
    const client = h.client(OpenAI, { baseURL: 'http://127.0.0.1:9/v1' });
    await expect(
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES }),
    ).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    const span = h.span();
    expect(span.attributes['error.type']).toBe('APIConnectionError');
    expect(span.attributes['server.port']).toBe(9);
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
  });

  it('records an abort before the response as AbortError, as an aborted stream', async () => {
    h.server.enqueue({ text: 'too late', delayMs: 500 });
    const controller = new AbortController();
    const call = h
      .client(OpenAI)
      .chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(call).rejects.toBeInstanceOf(OpenAI.APIUserAbortError);
    expect(h.span().attributes['error.type']).toBe('AbortError');
  });

  it('runs the request with its span active, so HTTP spans nest under it', async () => {
    const active: (string | undefined)[] = [];
    const client = h.client(OpenAI, {
      fetch: (url: string, init: unknown) => {
        active.push(trace.getActiveSpan()?.spanContext().spanId);
        return fetch(url, init as RequestInit);
      },
    });
    h.server.enqueue({ text: 'nested' });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES });
    expect(active).toEqual([h.span().spanContext().spanId]);
  });

  it('lets go of the span once the call is done, while the caller keeps the SDK promise', async () => {
    // The caller (or an SDK helper) may hold the APIPromise long after the call; our state on it
    // must not keep the span, its data and the adapter's recorder alive with it. (The request is
    // sent outside the span's context here: a keep-alive socket opened inside it keeps that context,
    // as it would any OTel span's.)
    let current: WeakRef<object> | undefined;
    const client = h.client(OpenAI, {
      fetch: (url: string, init: unknown) => {
        const span = getCurrentSpan();
        if (span) current = new WeakRef(span);
        return context.with(ROOT_CONTEXT, () => fetch(url, init as RequestInit));
      },
    });
    h.server.enqueue({ text: 'kept' });
    const held: { call?: Promise<{ choices: { message: { content: string | null } }[] }> } = {
      call: client.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES }),
    };
    expect((await held.call!).choices[0].message.content).toBe('kept');
    expect(h.span().name).toBe('chat gpt-4o-mini');
    expect(current).toBeDefined();
    // Node 22's AsyncLocalStorage (async hooks) binds the active context to every promise made in
    // it, the SDK's included, so there the span lives as long as the promise; Node 24's does not.
    if (Number(process.versions.node.split('.')[0]) >= 24) {
      expect(await collectedAfterGc(current!)).toBe(true);
    }
    held.call = undefined;
    expect(await collectedAfterGc(current!)).toBe(true);
  });

  it('never records the API key or request headers', async () => {
    h.capture('SPAN_AND_EVENT');
    const client = h.client(OpenAI, {
      organization: 'org-secret-organization',
      defaultHeaders: { 'X-Custom-Secret': 'custom-header-secret' },
    });
    h.server.enqueue({ text: 'ok' });
    await client.chat.completions.create(
      { model: 'gpt-4o-mini', messages: MESSAGES },
      { headers: { 'X-Per-Call': 'per-call-secret' } },
    );
    h.server.enqueue({ error: { status: 401, message: 'Incorrect API key provided' } });
    await client.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES }).catch(() => undefined);
    h.server.enqueue({ text: 'streamed' });
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
      stream: true,
    });
    for await (const _chunk of stream) {
      // consume
    }

    expect(h.server.requests[0]?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    const spans = h.spans();
    expect(spans).toHaveLength(3);
    const exported = JSON.stringify(
      spans.map((span) => ({
        name: span.name,
        attributes: span.attributes,
        events: span.events,
        status: span.status,
      })),
    );
    for (const secret of [
      API_KEY,
      'org-secret-organization',
      'custom-header-secret',
      'per-call-secret',
      'Bearer',
    ]) {
      expect(exported).not.toContain(secret);
    }
  });

  describe('Azure OpenAI', () => {
    it('reports an AzureOpenAI client as azure.ai.openai, with the api-version it sends kept out', async () => {
      h.server.enqueue({ text: 'Sunny.', usage: { inputTokens: 3, outputTokens: 1 } });
      const client = new OpenAI.AzureOpenAI({
        endpoint: h.server.url,
        apiKey: API_KEY,
        apiVersion: '2024-10-21',
        maxRetries: 0,
      });
      const completion = await client.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES });

      expect(completion.choices[0].message.content).toBe('Sunny.');
      expect(h.server.requests[0]).toMatchObject({
        route: 'openai.chat',
        path: '/openai/deployments/gpt-4o-mini/chat/completions',
      });
      const span = h.span();
      expect(span.name).toBe('chat gpt-4o-mini');
      expect(span.attributes).toMatchObject({
        'gen_ai.provider.name': 'azure.ai.openai',
        'gen_ai.operation.name': 'chat',
        'openai.api.type': 'chat_completions',
        'server.address': '127.0.0.1',
        'server.port': h.server.port,
        'gen_ai.usage.input_tokens': 3,
      });
      expect(JSON.stringify(span.attributes)).not.toContain('2024-10-21');
    });

    it('reports the plain OpenAI client on an Azure OpenAI host as azure.ai.openai', async () => {
      h.server.enqueue({ text: 'Sunny.' });
      // Azure's v1 API through the plain client; its fetch sends the request to the scripted server.
      const toLocal: typeof fetch = (input, init) => {
        const url = new URL(input instanceof Request ? input.url : String(input));
        return fetch(`${h.server.url}${url.pathname}${url.search}`, init);
      };
      const client = new OpenAI.OpenAI({
        baseURL: 'https://my-resource.openai.azure.com/openai/v1',
        apiKey: API_KEY,
        maxRetries: 0,
        fetch: toLocal,
      });
      await client.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES });

      expect(h.server.requests[0]).toMatchObject({
        route: 'openai.chat',
        path: '/openai/v1/chat/completions',
      });
      expect(h.span().attributes).toMatchObject({
        'gen_ai.provider.name': 'azure.ai.openai',
        'server.address': 'my-resource.openai.azure.com',
        'server.port': 443,
      });
    });

    it('goes back to openai for the next client on another host', async () => {
      h.server.enqueue({ text: 'One.' });
      h.server.enqueue({ text: 'Two.' });
      const azure = new OpenAI.AzureOpenAI({
        endpoint: h.server.url,
        apiKey: API_KEY,
        apiVersion: 'v',
        maxRetries: 0,
      });
      await azure.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES });
      await h.client(OpenAI).chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES });

      expect(h.spans().map((span) => span.attributes['gen_ai.provider.name'])).toEqual([
        'azure.ai.openai',
        'openai',
      ]);
    });
  });
});
