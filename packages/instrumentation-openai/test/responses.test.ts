import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { createSpan } from '@agent-otel/core';
import { startResponse } from '../src/responses.js';
import { json, OPENAI_VERSIONS, tick, useHarness } from './helpers';

const TOOLS = [
  {
    type: 'function',
    name: 'get_weather',
    description: 'Current weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
    strict: false,
  },
  { type: 'web_search' },
];

describe.each(OPENAI_VERSIONS)('%s responses.create', (_name, OpenAI) => {
  const h = useHarness();

  it('records a call of an AzureOpenAI client as azure.ai.openai, with openai.api.type', async () => {
    h.server.enqueue({ text: 'Hi.', usage: { inputTokens: 4, outputTokens: 2 } });
    const client = new OpenAI.AzureOpenAI({
      endpoint: h.server.url,
      apiKey: 'azure-key',
      apiVersion: '2025-04-01-preview',
      maxRetries: 0,
    });
    await client.responses.create({ model: 'gpt-4.1', input: 'Hello' });

    expect(h.server.requests[0]).toMatchObject({ route: 'openai.responses', path: '/openai/responses' });
    expect(h.span().attributes).toMatchObject({
      'gen_ai.provider.name': 'azure.ai.openai',
      'openai.api.type': 'responses',
      'gen_ai.usage.output_tokens': 2,
    });
  });

  it('records a responses call with the semantic-convention attributes', async () => {
    h.server.enqueue({
      text: '{"city":"Paris"}',
      id: 'resp_golden',
      model: 'gpt-4.1-2025-04-14',
      serviceTier: 'flex',
      usage: { inputTokens: 20, outputTokens: 8, cacheReadInputTokens: 16, reasoningOutputTokens: 3 },
    });
    const response = await h.client(OpenAI).responses.create({
      model: 'gpt-4.1',
      input: 'Where?',
      instructions: 'Answer in JSON.',
      previous_response_id: 'resp_previous',
      max_output_tokens: 200,
      temperature: 0.5,
      top_p: 0.8,
      reasoning: { effort: 'medium' },
      text: { format: { type: 'json_schema', name: 'place', schema: { type: 'object' }, strict: false } },
      service_tier: 'flex',
      conversation: 'conv_123',
    });

    expect(response.output_text).toBe('{"city":"Paris"}');
    const span = h.span();
    expect(span.name).toBe('chat gpt-4.1');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.attributes).toEqual({
      'agent_otel.span.kind': 'response',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4.1',
      'server.address': '127.0.0.1',
      'server.port': h.server.port,
      'gen_ai.request.max_tokens': 200,
      'gen_ai.request.temperature': 0.5,
      'gen_ai.request.top_p': 0.8,
      'gen_ai.request.reasoning.level': 'medium',
      'gen_ai.request.previous_response.id': 'resp_previous',
      'gen_ai.output.type': 'json',
      'gen_ai.conversation.id': 'conv_123',
      'openai.api.type': 'responses',
      'openai.request.service_tier': 'flex',
      'openai.response.service_tier': 'flex',
      'gen_ai.response.id': 'resp_golden',
      'gen_ai.response.model': 'gpt-4.1-2025-04-14',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.input_tokens': 20,
      'gen_ai.usage.output_tokens': 8,
      'gen_ai.usage.cache_read.input_tokens': 16,
      'gen_ai.usage.reasoning.output_tokens': 3,
      'agent_otel.cost.usd': expect.any(Number),
    });
  });

  it('never records top_logprobs as gen_ai.request.top_k', async () => {
    h.server.enqueue({ text: 'Hi.' });
    await h.client(OpenAI).responses.create({ model: 'gpt-4.1', input: 'Hello', top_logprobs: 3 });
    expect(h.server.requests[0]?.body.top_logprobs).toBe(3);
    expect(Object.keys(h.span().attributes).filter((key) => /top_k|logprob/.test(key))).toEqual([]);
  });

  it('records input items, instructions, tools and output items when content capture is on', async () => {
    h.capture('SPAN_ONLY');
    h.server.enqueue({
      reasoning: 'Need the weather tool.',
      text: 'Checking.',
      toolCalls: [{ id: 'call_2', name: 'get_weather', arguments: { city: 'Lyon' } }],
    });
    await h.client(OpenAI).responses.create({
      model: 'gpt-4.1',
      instructions: 'Be brief.',
      tools: TOOLS,
      input: [
        { role: 'user', content: 'Weather in Paris, then Lyon?' },
        { type: 'function_call', call_id: 'call_1', name: 'get_weather', arguments: '{"city":"Paris"}' },
        { type: 'function_call_output', call_id: 'call_1', output: 'sunny' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'And Lyon?' }] },
      ],
    });
    const attributes = h.span().attributes;
    expect(json(attributes['gen_ai.system_instructions'])).toEqual([{ type: 'text', content: 'Be brief.' }]);
    expect(json(attributes['gen_ai.tool.definitions'])).toEqual([
      {
        type: 'function',
        name: 'get_weather',
        description: 'Current weather',
        parameters: { type: 'object', properties: { city: { type: 'string' } } },
      },
      { type: 'web_search', name: 'web_search' },
    ]);
    expect(json(attributes['gen_ai.input.messages'])).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris, then Lyon?' }] },
      {
        role: 'assistant',
        parts: [{ type: 'tool_call', id: 'call_1', name: 'get_weather', arguments: { city: 'Paris' } }],
      },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: 'sunny' }] },
      { role: 'user', parts: [{ type: 'text', content: 'And Lyon?' }] },
    ]);
    expect(attributes['gen_ai.response.finish_reasons']).toEqual(['tool_call']);
    expect(json(attributes['gen_ai.output.messages'])).toEqual([
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', content: 'Need the weather tool.' },
          { type: 'text', content: 'Checking.' },
          { type: 'tool_call', id: 'call_2', name: 'get_weather', arguments: { city: 'Lyon' } },
        ],
        finish_reason: 'tool_call',
      },
    ]);
  });

  it('records a streamed response, with the usage of response.completed', async () => {
    h.capture('SPAN_ONLY');
    h.server.enqueue({
      text: 'Streaming answer.',
      id: 'resp_stream',
      usage: { inputTokens: 7, outputTokens: 3 },
    });
    const stream = await h.client(OpenAI).responses.create({ model: 'gpt-4.1', input: 'Hi', stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.at(-1)).toBe('response.completed');
    const span = h.span();
    expect(span.attributes).toEqual({
      'agent_otel.span.kind': 'response',
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4.1',
      'server.address': '127.0.0.1',
      'server.port': h.server.port,
      'gen_ai.request.stream': true,
      'openai.api.type': 'responses',
      'openai.response.service_tier': 'default',
      'gen_ai.response.id': 'resp_stream',
      'gen_ai.response.model': 'gpt-4.1',
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.response.time_to_first_chunk': expect.any(Number),
      'gen_ai.usage.input_tokens': 7,
      'gen_ai.usage.output_tokens': 3,
      'gen_ai.input.messages': JSON.stringify([{ role: 'user', parts: [{ type: 'text', content: 'Hi' }] }]),
      'gen_ai.output.messages': JSON.stringify([
        { role: 'assistant', parts: [{ type: 'text', content: 'Streaming answer.' }], finish_reason: 'stop' },
      ]),
      'agent_otel.cost.usd': expect.any(Number),
    });
  });

  it('records the partial output of a response stream that stops early, and no usage', async () => {
    h.capture('SPAN_ONLY');
    h.server.enqueue({
      text: 'A long answer that will not finish.',
      toolCalls: [{ id: 'call_x', name: 'lookup', arguments: { q: 'never sent' } }],
      chunkDelayMs: 2,
    });
    const stream = await h.client(OpenAI).responses.create({ model: 'gpt-4.1', input: 'Hi', stream: true });
    let deltas = 0;
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta' && ++deltas === 2) break;
    }
    await tick(20);
    const span = h.span();
    expect(span.attributes['agent_otel.stream.end_reason']).toBe('return');
    expect(span.attributes['gen_ai.response.id']).toEqual(expect.stringMatching(/^resp_/));
    expect(span.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    expect(span.attributes['gen_ai.response.finish_reasons']).toBeUndefined();
    expect(json(span.attributes['gen_ai.output.messages'])).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'A long answer th' }], finish_reason: 'stop' },
    ]);
  });

  it('records an error event inside a response stream', async () => {
    h.server.enqueue({
      text: 'This fails midway.',
      streamErrorAfterChunks: 5,
      error: { status: 500, message: 'boom', code: 'server_error' },
    });
    const stream = await h.client(OpenAI).responses.create({ model: 'gpt-4.1', input: 'Hi', stream: true });
    const thrown = await (async () => {
      for await (const _event of stream) {
        // consume
      }
    })().then(
      () => undefined,
      (error: unknown) => error,
    );
    await tick(20);
    const span = h.span();
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    if (thrown) {
      // openai 7 throws the event as an APIError (no HTTP status).
      expect(thrown).toBeInstanceOf(OpenAI.APIError);
      expect(span.attributes['error.type']).toBe('APIError');
      expect(span.attributes['agent_otel.stream.end_reason']).toBe('error');
    } else {
      // openai 6 yields it as an event: its code is the error type.
      expect(span.attributes['error.type']).toBe('server_error');
      expect(span.status.message).toBe('boom');
    }
  });

  it('records an incomplete response as finish reason length', async () => {
    h.server.enqueue({ text: 'Truncat', finishReason: 'length' });
    await h.client(OpenAI).responses.create({ model: 'gpt-4.1', input: 'Hi', max_output_tokens: 2 });
    expect(h.span().attributes['gen_ai.response.finish_reasons']).toEqual(['length']);
  });

  it('produces one span for responses.stream', async () => {
    h.server.enqueue({ text: 'helper stream', id: 'resp_helper' });
    const response = await h
      .client(OpenAI)
      .responses.stream({ model: 'gpt-4.1', input: 'Hi' })
      .finalResponse();
    expect(response.output[0].content[0].text).toBe('helper stream');
    const span = h.span();
    expect(span.attributes['gen_ai.response.id']).toBe('resp_helper');
    expect(span.attributes['gen_ai.request.stream']).toBe(true);
    expect(span.attributes['gen_ai.usage.output_tokens']).toEqual(expect.any(Number));
  });

  it('produces one span for responses.parse', async () => {
    h.server.enqueue({ text: '{"city":"Paris"}', id: 'resp_parse' });
    const response = await h.client(OpenAI).responses.parse({
      model: 'gpt-4.1',
      input: 'Where?',
      text: {
        format: {
          type: 'json_schema',
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
    expect(response.output_parsed).toEqual({ city: 'Paris' });
    const span = h.span();
    expect(span.attributes['gen_ai.response.id']).toBe('resp_parse');
    expect(span.attributes['gen_ai.output.type']).toBe('json');
  });

  it('records a 429 on responses.create with error.type', async () => {
    h.server.enqueue({ error: { status: 429, message: 'slow down' } });
    await expect(h.client(OpenAI).responses.create({ model: 'gpt-4.1', input: 'Hi' })).rejects.toBeInstanceOf(
      OpenAI.RateLimitError,
    );
    expect(h.span().attributes['error.type']).toBe('429');
  });
});

describe('a failed response', () => {
  const h = useHarness();

  it('marks the span failed with the error code of the response', () => {
    const call = startResponse({ model: 'gpt-4.1', input: 'Hi', background: true }, undefined);
    const span = createSpan(call.data).start();
    call.hooks.onResult?.(span, {
      id: 'resp_failed',
      object: 'response',
      status: 'failed',
      error: { code: 'server_error', message: 'The model failed.' },
      output: [],
    });
    span.end();
    const exported = h.span();
    expect(exported.status).toEqual({ code: SpanStatusCode.ERROR, message: 'The model failed.' });
    expect(exported.attributes['error.type']).toBe('server_error');
    expect(exported.attributes['gen_ai.response.finish_reasons']).toEqual(['error']);
  });
});
