import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { createOpenAIClientOptions, startScriptedServer } from '../src/index.js';
import { anthropic, chat, messages, openai, server, useScriptedClients } from './scripted-clients.js';

useScriptedClients();

/** Collects items until the iteration ends or fails. */
async function drain<T>(iterable: AsyncIterable<T>): Promise<{ items: T[]; error: any }> {
  const items: T[] = [];
  try {
    for await (const item of iterable) items.push(item);
  } catch (error) {
    return { items, error };
  }
  return { items, error: undefined };
}

// fetch discards body chunks that arrived but were not read yet when the connection fails, so the tests
// that count delivered chunks pace the frames (chunkDelayMs) to let the client read each one first.
describe('cut streams', () => {
  it('chat: the SDK iteration rejects after exactly the delivered chunks', async () => {
    server.enqueue({ text: 'abcdefghijklmnop', chunkSize: 2, cutAfterChunks: 3, chunkDelayMs: 20 });
    const stream = await openai.chat.completions.create({ ...chat, stream: true });
    const { items, error } = await drain(stream);
    expect(items.map((chunk) => chunk.choices[0]?.delta.content)).toEqual(['', 'ab', 'cd']);
    // Neither SDK wraps it: the iteration rejects with fetch's own `TypeError: terminated`.
    expect(error).toMatchObject({ name: 'TypeError', message: 'terminated' });
    expect(error).not.toBeInstanceOf(OpenAI.APIError);
  });

  it('chat: finalChatCompletion() rejects', async () => {
    server.enqueue({ text: 'abcdefgh', chunkSize: 1, cutAfterChunks: 4 });
    await expect(openai.chat.completions.stream(chat).finalChatCompletion()).rejects.toThrow();
  });

  it('responses: the event iteration and finalResponse() reject', async () => {
    server.enqueue([
      { text: 'abcdefgh', cutAfterChunks: 2, chunkDelayMs: 20 },
      { text: 'abcdefgh', cutAfterChunks: 5 },
    ]);
    const stream = await openai.responses.create({ model: 'gpt-test', input: 'x', stream: true });
    const { items, error } = await drain(stream);
    expect(items.map((event) => event.type)).toEqual(['response.created', 'response.in_progress']);
    expect(error).toMatchObject({ name: 'TypeError', message: 'terminated' });
    await expect(
      openai.responses.stream({ model: 'gpt-test', input: 'x' }).finalResponse(),
    ).rejects.toThrow();
  });

  it('anthropic: the event iteration and finalMessage() reject', async () => {
    server.enqueue([
      { text: 'abcdefgh', cutAfterChunks: 2, chunkDelayMs: 20 },
      { text: 'abcdefgh', cutAfterChunks: 4 },
    ]);
    const stream = await anthropic.messages.create({ ...messages, stream: true });
    const { items, error } = await drain(stream);
    expect(items.map((event) => event.type)).toEqual(['message_start']); // the SDK drops the `ping`
    expect(error).toMatchObject({ name: 'TypeError', message: 'terminated' });
    await expect(anthropic.messages.stream(messages).finalMessage()).rejects.toThrow();
  });

  it('a non-streaming request with cutAfterChunks drops the connection (APIConnectionError)', async () => {
    server.enqueue({ text: 'never sent', cutAfterChunks: 0 });
    await expect(openai.chat.completions.create(chat)).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    server.enqueue({ text: 'never sent', cutAfterChunks: 0 });
    await expect(anthropic.messages.create(messages)).rejects.toBeInstanceOf(Anthropic.APIConnectionError);
  });
});

describe('mid-stream error events', () => {
  it('chat: an error payload in the stream throws APIError after the delivered chunks', async () => {
    server.enqueue({
      text: 'abcdef',
      chunkSize: 3,
      streamErrorAfterChunks: 2,
      error: { status: 500, message: 'stream broke', type: 'server_error' },
    });
    const stream = await openai.chat.completions.create({ ...chat, stream: true });
    const { items, error } = await drain(stream);
    expect(items).toHaveLength(2);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error.status).toBeUndefined();
    expect(error.message).toContain('stream broke');
    expect(error.type).toBe('server_error');
  });

  it('chat: the default in-stream error is a server_error', async () => {
    server.enqueue({ text: 'abc', streamErrorAfterChunks: 1 });
    const { error } = await drain(await openai.chat.completions.create({ ...chat, stream: true }));
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error.type).toBe('server_error');
  });

  it('responses: an `event: error` throws APIError; finalResponse() rejects with it', async () => {
    server.enqueue([
      {
        text: 'abc',
        streamErrorAfterChunks: 3,
        error: { status: 500, message: 'model failed', code: 'server_error' },
      },
      { text: 'abc', streamErrorAfterChunks: 3 },
    ]);
    const stream = await openai.responses.create({ model: 'gpt-test', input: 'x', stream: true });
    const { items, error } = await drain(stream);
    expect(items).toHaveLength(3);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error.message).toContain('model failed');
    expect(error.code).toBe('server_error');
    await expect(
      openai.responses.stream({ model: 'gpt-test', input: 'x' }).finalResponse(),
    ).rejects.toBeInstanceOf(OpenAI.APIError);
  });

  it('anthropic: an `event: error` throws APIError with the error type; finalMessage() rejects', async () => {
    server.enqueue([
      { text: 'abc', streamErrorAfterChunks: 3 },
      { text: 'abc', streamErrorAfterChunks: 3 },
    ]);
    const stream = await anthropic.messages.create({ ...messages, stream: true });
    const { items, error } = await drain(stream);
    expect(items.map((event) => event.type)).toEqual(['message_start', 'content_block_start']);
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error.type).toBe('overloaded_error');
    expect(error.error).toEqual({
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    });
    await expect(anthropic.messages.stream(messages).finalMessage()).rejects.toBeInstanceOf(
      Anthropic.APIError,
    );
  });
});

describe('delays', () => {
  it('waits delayMs before sending the response', async () => {
    server.enqueue({ text: 'slow', delayMs: 150 });
    const started = performance.now();
    await openai.chat.completions.create(chat);
    expect(performance.now() - started).toBeGreaterThanOrEqual(145);
  });

  it('paces SSE frames by chunkDelayMs: deltas arrive one by one', async () => {
    server.enqueue({ text: 'abc', chunkSize: 1, chunkDelayMs: 60 });
    const stream = await anthropic.messages.create({ ...messages, stream: true });
    const arrivals: number[] = [];
    for await (const event of stream) {
      if (event.type === 'content_block_delta') arrivals.push(performance.now());
    }
    expect(arrivals).toHaveLength(3);
    expect(arrivals[1]! - arrivals[0]!).toBeGreaterThanOrEqual(50);
    expect(arrivals[2]! - arrivals[1]!).toBeGreaterThanOrEqual(50);
  });

  it('a delayed response does not block others (requests are served concurrently)', async () => {
    server.enqueue({ text: 'slow', delayMs: 300 }, { route: 'openai.chat' });
    server.enqueue({ text: 'fast' }, { route: 'anthropic.messages' });
    const order: string[] = [];
    await Promise.all([
      openai.chat.completions.create(chat).then(() => order.push('slow')),
      anthropic.messages.create(messages).then(() => order.push('fast')),
    ]);
    expect(order).toEqual(['fast', 'slow']);
  });

  it('a client abort during a delay leaves the server healthy', async () => {
    server.enqueue({ text: 'never', delayMs: 10_000 });
    const controller = new AbortController();
    const pending = openai.chat.completions.create(chat, { signal: controller.signal });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toBeInstanceOf(OpenAI.APIUserAbortError);
    expect((await openai.chat.completions.create(chat)).choices[0]?.message.content).toBe('ok');
  });

  it('close() resolves promptly while a response is delayed, and the request fails', async () => {
    const own = await startScriptedServer();
    own.enqueue({ text: 'never', delayMs: 60_000 });
    const client = new OpenAI(createOpenAIClientOptions(own));
    const pending = client.chat.completions.create(chat);
    while (own.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await own.close();
    await expect(pending).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
  });
});
