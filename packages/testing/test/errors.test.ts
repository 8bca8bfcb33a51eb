import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { scriptedResponses } from '../src/index.js';
import { anthropic, chat, messages, openai, server, useScriptedClients } from './scripted-clients.js';

useScriptedClients();

async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('OpenAI error responses', () => {
  it('surfaces a scripted 429 as RateLimitError with the real body and the retry-after header', async () => {
    server.enqueue(scriptedResponses.rateLimitReply(7));
    const error = await rejection(openai.chat.completions.create(chat));
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.status).toBe(429);
    expect(error.error).toEqual({
      message: 'Rate limit reached. Please try again later.',
      type: 'requests',
      param: null,
      code: 'rate_limit_exceeded',
    });
    expect(error.headers.get('retry-after')).toBe('7');
    expect(error.headers.get('x-request-id')).toMatch(/^req_/);
  });

  it.each([
    [400, 'invalid_request_error', OpenAI.BadRequestError],
    [401, 'invalid_request_error', OpenAI.AuthenticationError],
    [500, 'server_error', OpenAI.InternalServerError],
    [503, 'server_error', OpenAI.InternalServerError],
  ])('surfaces status %i (type %s) as the typed error', async (status, type, ErrorClass) => {
    server.enqueue({ error: { status, message: `failed with ${status}` } });
    const error = await rejection(openai.responses.create({ model: 'gpt-test', input: 'x' }));
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error.status).toBe(status);
    expect(error.type).toBe(type);
    expect(error.message).toContain(`failed with ${status}`);
  });

  it('keeps scripted type, code and param', async () => {
    server.enqueue({
      error: {
        status: 400,
        message: 'bad model',
        type: 'invalid_request_error',
        code: 'model_not_found',
        param: 'model',
      },
    });
    const error = await rejection(openai.embeddings.create({ model: 'nope', input: 'x' }));
    expect(error.error).toEqual({
      message: 'bad model',
      type: 'invalid_request_error',
      code: 'model_not_found',
      param: 'model',
    });
  });

  it('answers a streaming request with the HTTP error before any stream starts', async () => {
    server.enqueue({ error: { status: 500, message: 'boom' } });
    const error = await rejection(openai.chat.completions.create({ ...chat, stream: true }));
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
  });

  it('answers unknown routes with 404 in the OpenAI shape', async () => {
    const error = await rejection(openai.models.list());
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.error).toMatchObject({
      type: 'invalid_request_error',
      message: 'Invalid URL (GET /v1/models)',
    });
    expect(server.requests[0]).toMatchObject({ route: 'unknown', provider: 'openai', method: 'GET' });
  });
});

describe('Anthropic error responses', () => {
  it('surfaces a scripted 529 as OverloadedError with the real error body', async () => {
    server.enqueue({ error: { status: 529, message: 'Overloaded' } });
    const error = await rejection(anthropic.messages.create(messages));
    expect(error).toBeInstanceOf(Anthropic.OverloadedError);
    expect(error.status).toBe(529);
    expect(error.type).toBe('overloaded_error');
    expect(error.error).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
      request_id: expect.stringMatching(/^req_/),
    });
    expect(error.requestID).toBe(error.error.request_id);
  });

  it.each([
    [400, 'invalid_request_error', Anthropic.BadRequestError],
    [401, 'authentication_error', Anthropic.AuthenticationError],
    [429, 'rate_limit_error', Anthropic.RateLimitError],
    [500, 'api_error', Anthropic.InternalServerError],
  ])('surfaces status %i (type %s) as the typed error', async (status, type, ErrorClass) => {
    server.enqueue({ error: { status, message: 'nope', headers: { 'retry-after': '3' } } });
    const error = await rejection(anthropic.messages.create(messages));
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error.type).toBe(type);
    expect(error.headers.get('retry-after')).toBe('3');
  });

  it('answers unknown routes with 404 in the Anthropic shape', async () => {
    const error = await rejection(anthropic.models.list());
    expect(error).toBeInstanceOf(Anthropic.NotFoundError);
    expect(error.type).toBe('not_found_error');
    expect(server.requests[0]).toMatchObject({ route: 'unknown', provider: 'anthropic' });
  });
});

describe('malformed requests and failing handlers', () => {
  async function post(path: string, body: string, headers: Record<string, string> = {}) {
    const res = await fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body,
    });
    return { status: res.status, body: (await res.json()) as any };
  }

  it('answers malformed JSON with 400 in each provider shape and keeps serving', async () => {
    const openaiReply = await post('/v1/chat/completions', '{"model": ');
    expect(openaiReply.status).toBe(400);
    expect(openaiReply.body.error).toMatchObject({ type: 'invalid_request_error', param: null, code: null });

    const anthropicReply = await post('/v1/messages', 'not json');
    expect(anthropicReply.status).toBe(400);
    expect(anthropicReply.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });

    const arrayReply = await post('/v1/responses', '[1, 2]');
    expect(arrayReply.status).toBe(400);

    expect(server.requests.map((request) => request.body)).toEqual([undefined, undefined, [1, 2]]);
    expect(server.pending()).toBe(0);
    const completion = await openai.chat.completions.create(chat);
    expect(completion.choices[0]?.message.content).toBe('ok');
  });

  it('does not consume the script for malformed requests', async () => {
    server.enqueue({ text: 'kept' });
    await post('/v1/chat/completions', '{');
    expect(server.pending()).toBe(1);
    expect((await openai.chat.completions.create(chat)).choices[0]?.message.content).toBe('kept');
  });

  it('survives a handler returning garbage: 500 in the provider shape, then keeps serving', async () => {
    server.enqueue((() => null) as never);
    const error = await rejection(anthropic.messages.create(messages));
    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect(error.type).toBe('api_error');
    expect(error.message).toContain('Scripted server error');
    expect((await anthropic.messages.create(messages)).content).toEqual([{ type: 'text', text: 'ok' }]);
  });

  it('answers a throwing handler with 500 and the thrown message', async () => {
    server.enqueue(() => {
      throw new Error('handler bug');
    });
    const error = await rejection(openai.chat.completions.create(chat));
    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect(error.message).toContain('Scripted handler threw: handler bug');
  });
});
