import {
  createAnthropicClientOptions,
  createOpenAIClientOptions,
  scriptedResponses,
  startScriptedServer,
  toolResults,
  type RecordedRequest,
} from '../src/index.js';
import { anthropic, chat, messages, openai, server, useScriptedClients } from './scripted-clients.js';

useScriptedClients();
const chatText = async () => (await openai.chat.completions.create(chat)).choices[0]?.message.content;
const anthropicText = async () => {
  const block = (await anthropic.messages.create(messages)).content[0];
  return block?.type === 'text' ? block.text : undefined;
};

describe('server basics', () => {
  it('listens on 127.0.0.1 with a random port and exposes both SDK base URLs', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(server.openaiBaseURL).toBe(`${server.url}/v1`);
    expect(server.anthropicBaseURL).toBe(server.url);
  });

  it('builds client options with a test key and no retries', () => {
    expect(createOpenAIClientOptions(server)).toEqual({
      baseURL: server.openaiBaseURL,
      apiKey: 'test-key',
      maxRetries: 0,
    });
    expect(createAnthropicClientOptions(server, { maxRetries: 2 })).toEqual({
      baseURL: server.anthropicBaseURL,
      apiKey: 'test-key',
      maxRetries: 2,
    });
  });

  it('close() is idempotent', async () => {
    const own = await startScriptedServer();
    await own.close();
    await expect(own.close()).resolves.toBeUndefined();
  });
});

describe('script queue', () => {
  it('consumes the shared queue FIFO across endpoints, then falls back to the default', async () => {
    server.enqueue([{ text: 'first' }, { text: 'second' }]).enqueue({ text: 'third' });
    expect(server.pending()).toBe(3);
    expect(await chatText()).toBe('first');
    expect(await anthropicText()).toBe('second');
    expect(await chatText()).toBe('third');
    expect(await anthropicText()).toBe('ok');
  });

  it('serves a route queue before the shared queue', async () => {
    server.enqueue({ text: 'shared' });
    server.enqueue({ text: 'for anthropic' }, { route: 'anthropic.messages' });
    expect(server.pending('anthropic.messages')).toBe(1);
    expect(server.pending()).toBe(2);
    expect(await anthropicText()).toBe('for anthropic');
    expect(await anthropicText()).toBe('shared');
    expect(server.pending()).toBe(0);
  });

  it('uses route defaults before the shared default', async () => {
    server.setDefault({ text: 'shared default' });
    server.setDefault({ text: 'chat default' }, { route: 'openai.chat' });
    expect(await chatText()).toBe('chat default');
    expect(await chatText()).toBe('chat default');
    expect(await anthropicText()).toBe('shared default');
  });

  it('computes responses with (async) handlers from the recorded request', async () => {
    server.enqueue(async (request) => ({ text: `you said ${request.body.messages[0].content}` }));
    server.enqueue((request) => ({ text: `route ${request.route}` }));
    expect(await chatText()).toBe('you said hi');
    expect(await anthropicText()).toBe('route anthropic.messages');
  });

  it('reset() clears queues, defaults, recorded requests and id counters', async () => {
    const firstId = (await openai.chat.completions.create(chat)).id;
    server.enqueue({ text: 'queued' });
    server.setDefault({ text: 'default' });
    server.reset();
    expect(server.pending()).toBe(0);
    expect(server.requests).toEqual([]);
    const completion = await openai.chat.completions.create(chat);
    expect(completion.choices[0]?.message.content).toBe('ok');
    expect(completion.id).toBe(firstId);
  });
});

describe('agent loop driven by a handler', () => {
  it('chat: calls a tool until the tool result is sent back', async () => {
    server.setDefault((request) =>
      toolResults(request).length === 0
        ? scriptedResponses.toolCallReply('get_weather', { city: 'Paris' }, { id: 'call_w' })
        : { text: `Weather: ${toolResults(request)[0]?.content}` },
    );
    const first = await openai.chat.completions.create(chat);
    const call = first.choices[0]!.message.tool_calls![0]!;
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    const second = await openai.chat.completions.create({
      ...chat,
      messages: [
        ...chat.messages,
        first.choices[0]!.message,
        { role: 'tool', tool_call_id: call.id, content: 'sunny' },
      ],
    });
    expect(second.choices[0]?.message.content).toBe('Weather: sunny');
  });

  it('anthropic: calls a tool until a tool_result block is sent back', async () => {
    server.setDefault((request) =>
      toolResults(request).length === 0
        ? scriptedResponses.toolCallReply('get_weather', { city: 'Paris' })
        : {
            text: `got ${toolResults(request)
              .map((result) => result.toolCallId)
              .join(',')}`,
          },
    );
    const first = await anthropic.messages.create(messages);
    const toolUse = first.content.find((block) => block.type === 'tool_use')!;
    const second = await anthropic.messages.create({
      ...messages,
      messages: [
        ...messages.messages,
        { role: 'assistant', content: first.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: toolUse.id, content: 'sunny' }] },
      ],
    });
    expect(second.content[0]).toMatchObject({ type: 'text', text: `got ${toolUse.id}` });
  });

  it('responses: toolResults() reads function_call_output items', async () => {
    server.enqueue(scriptedResponses.toolCallReply('lookup', { q: 'x' }, { id: 'call_r' }));
    await openai.responses.create({ model: 'gpt-test', input: 'x' });
    await openai.responses.create({
      model: 'gpt-test',
      input: [{ type: 'function_call_output', call_id: 'call_r', output: '42' }],
    });
    expect(server.requests.map(toolResults)).toEqual([[], [{ toolCallId: 'call_r', content: '42' }]]);
  });
});

describe('request recording', () => {
  it('records route, path, parsed body, stream flag, time and the auth header each SDK sent', async () => {
    const before = Date.now();
    await openai.chat.completions.create({ ...chat, temperature: 0.5 });
    const stream = await anthropic.messages.create({ ...messages, stream: true });
    for await (const _event of stream) {
      // drain
    }
    const [openaiRequest, anthropicRequest] = server.requests as [RecordedRequest, RecordedRequest];
    expect(openaiRequest).toMatchObject({
      route: 'openai.chat',
      provider: 'openai',
      method: 'POST',
      path: '/v1/chat/completions',
      body: { model: 'gpt-test', temperature: 0.5, messages: chat.messages },
      stream: false,
    });
    expect(openaiRequest.headers['authorization']).toBe('Bearer test-key');
    expect(openaiRequest.receivedAt).toBeGreaterThanOrEqual(before);
    expect(JSON.parse(openaiRequest.rawBody.toString())).toEqual(openaiRequest.body);
    expect(anthropicRequest).toMatchObject({
      route: 'anthropic.messages',
      provider: 'anthropic',
      stream: true,
    });
    // @anthropic-ai/sdk 1.x sends the API key as a bearer token (0.x sent `x-api-key`).
    expect(anthropicRequest.headers['authorization']).toBe('Bearer test-key');
    expect(anthropicRequest.headers['anthropic-version']).toBeDefined();
  });

  it('returns a snapshot: later requests do not change an earlier `requests` array', async () => {
    await chatText();
    const snapshot = server.requests;
    await chatText();
    expect(snapshot).toHaveLength(1);
    expect(server.requests).toHaveLength(2);
  });

  it('sends scripted headers and a request id on success', async () => {
    server.enqueue({ text: 'x', headers: { 'x-ratelimit-remaining-requests': '99' } });
    const { response } = await openai.chat.completions.create(chat).withResponse();
    expect(response.headers.get('x-ratelimit-remaining-requests')).toBe('99');
    expect(response.headers.get('x-request-id')).toMatch(/^req_/);
    const { response: anthropicResponse } = await anthropic.messages.create(messages).withResponse();
    expect(anthropicResponse.headers.get('request-id')).toMatch(/^req_/);
  });
});

describe('builders', () => {
  it('build the documented shapes', () => {
    expect(scriptedResponses.textReply('hi', { model: 'm' })).toEqual({ text: 'hi', model: 'm' });
    expect(scriptedResponses.toolCallReply('f', { a: 1 })).toEqual({
      toolCalls: [{ name: 'f', arguments: { a: 1 } }],
    });
    expect(scriptedResponses.toolCallsReply([{ name: 'f', arguments: '{}' }], { text: 't' })).toEqual({
      text: 't',
      toolCalls: [{ name: 'f', arguments: '{}' }],
    });
    expect(scriptedResponses.reasoningReply('r', 't')).toEqual({ reasoning: 'r', text: 't' });
    expect(scriptedResponses.errorReply(503)).toEqual({
      error: { status: 503, message: 'Scripted error 503' },
    });
    expect(scriptedResponses.cutStreamReply(2, { text: 'x' })).toEqual({ text: 'x', cutAfterChunks: 2 });
  });
});
