import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { endOpenStreamSpans } from '@agent-otel/core';
import { eventually, garbageCollector } from '@agent-otel/testing';
import { json, OPENAI_VERSIONS, tick, useHarness } from './helpers';

// Garbage-collection passes are slow when many jest workers share the machine.
jest.setTimeout(20000);

const REQUEST = {
  model: 'gpt-4o-mini',
  messages: [{ role: 'user', content: 'Tell me a story.' }],
  stream: true,
  stream_options: { include_usage: true },
} as const;

/** Twelve 8-character text deltas, so every early stop leaves a known prefix. */
const STORY = 'Once upon a time, a small robot learned to paint the sky with every color it knew. ';

/** A server on 127.0.0.1 that answers every request with `frames` as an SSE chat stream. */
async function startSseServer(frames: unknown[]): Promise<{ server: Server; baseURL: string }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const frame of frames) response.write(`data: ${JSON.stringify(frame)}\n\n`);
    response.end('data: [DONE]\n\n');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` };
}

function outputText(span: ReadableSpan): string {
  const messages = json(span.attributes['gen_ai.output.messages']) as { parts: { content?: string }[] }[];
  return messages[0]?.parts.map((part) => part.content ?? '').join('') ?? '';
}

function endReason(span: ReadableSpan): unknown {
  return span.attributes['agent_otel.stream.end_reason'];
}

describe.each(OPENAI_VERSIONS)('%s streams', (_name, OpenAI) => {
  const h = useHarness();
  beforeEach(() => h.capture('SPAN_ONLY'));

  async function openStream(script: Record<string, unknown> = {}, options?: Record<string, unknown>) {
    h.server.enqueue({ text: STORY, chunkDelayMs: 2, ...script });
    return h.client(OpenAI).chat.completions.create(REQUEST, options);
  }

  it('ends once on full consumption, with output and usage', async () => {
    const stream = await openStream();
    for await (const _chunk of stream) {
      // consume
    }
    await tick(20);
    const span = h.span();
    expect(outputText(span)).toBe(STORY);
    expect(endReason(span)).toBeUndefined();
    expect(span.attributes['agent_otel.stream.ended_early']).toBeUndefined();
    expect(span.attributes['gen_ai.usage.output_tokens']).toEqual(expect.any(Number));
  });

  it('ends once on break, with the partial output, marked as an early stop', async () => {
    const stream = await openStream();
    let chunks = 0;
    for await (const _chunk of stream) {
      if (++chunks === 3) break; // role delta + two text deltas
    }
    await tick(20);
    const span = h.span();
    expect(endReason(span)).toBe('return');
    expect(span.attributes['agent_otel.stream.ended_early']).toBe(true);
    expect(outputText(span)).toBe(STORY.slice(0, 16));
    expect(span.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
  });

  it('ends once on an explicit return()', async () => {
    const stream = await openStream();
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    await iterator.next();
    await iterator.return?.();
    await iterator.return?.();
    await tick(20);
    const span = h.span();
    expect(endReason(span)).toBe('return');
    expect(outputText(span)).toBe(STORY.slice(0, 8));
  });

  it('ends once on an error inside the stream, with the partial output', async () => {
    const stream = await openStream({ streamErrorAfterChunks: 4 });
    let received = 0;
    const error = await (async () => {
      for await (const _chunk of stream) received++;
    })().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(received).toBe(4);
    await tick(20);
    const span = h.span();
    expect(endReason(span)).toBe('error');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toBe('APIError');
    expect(outputText(span)).toBe(STORY.slice(0, 24));
  });

  it('ends once when the connection is cut, with what arrived before', async () => {
    const stream = await openStream({ cutAfterChunks: 3, chunkDelayMs: 15 });
    const error = await (async () => {
      for await (const _chunk of stream) {
        // consume
      }
    })().then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeDefined();
    await tick(20);
    const span = h.span();
    expect(endReason(span)).toBe('error');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(span.attributes['error.type']).toEqual(expect.any(String));
    expect(outputText(span)).toBe(STORY.slice(0, 16));
  });

  it('records the usage of the final chunk when the connection drops after it', async () => {
    // Frames: role, 11 text deltas, finish, usage, [DONE]; cut after the usage chunk.
    const stream = await openStream({ cutAfterChunks: 14, chunkDelayMs: 5, chunkSize: 8 });
    await (async () => {
      for await (const _chunk of stream) {
        // consume
      }
    })().catch(() => undefined);
    await tick(20);
    const span = h.span();
    expect(span.attributes['gen_ai.usage.output_tokens']).toEqual(expect.any(Number));
    expect(span.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
  });

  it('ends once on controller.abort(), marked as an abort', async () => {
    const stream = await openStream();
    let chunks = 0;
    for await (const _chunk of stream) {
      if (++chunks === 2) stream.controller.abort();
    }
    await tick(20);
    const span = h.span();
    expect(endReason(span)).toBe('abort');
    expect(span.attributes['agent_otel.stream.ended_early']).toBe(true);
    expect(span.attributes['error.type']).toBe('AbortError');
    expect(span.status.code).toBe(SpanStatusCode.ERROR);
    expect(outputText(span)).toBe(STORY.slice(0, 8));
  });

  it('ends once when the request AbortSignal fires mid-stream', async () => {
    const controller = new AbortController();
    const stream = await openStream({}, { signal: controller.signal });
    let chunks = 0;
    for await (const _chunk of stream) {
      if (++chunks === 3) controller.abort();
    }
    await tick(20);
    const span = h.span();
    expect(endReason(span)).toBe('abort');
    expect(span.attributes['error.type']).toBe('AbortError');
    expect(outputText(span)).toBe(STORY.slice(0, 16));
  });

  it('ends a never-iterated stream at shutdown (endOpenStreamSpans)', async () => {
    const stream = await openStream();
    expect(stream).toBeDefined();
    await tick(20);
    expect(h.spans()).toHaveLength(0);
    endOpenStreamSpans();
    const span = h.span();
    expect(endReason(span)).toBe('shutdown');
    expect(span.attributes['agent_otel.stream.ended_early']).toBe(true);
    stream.controller.abort();
  });

  it('ends a never-iterated stream when it is garbage-collected', async () => {
    await (async () => {
      const stream = await openStream();
      expect(stream).toBeDefined();
    })();
    await eventually(() => h.spans().length > 0, { collectGarbage: true });
    expect(endReason(h.span())).toBe('unconsumed');
  });

  it('ends a never-awaited call when its promise is garbage-collected', async () => {
    h.server.enqueue({ text: 'nobody reads this' });
    (() => {
      void h.client(OpenAI).chat.completions.create({ ...REQUEST, stream: false, stream_options: undefined });
    })();
    await tick(50);
    await eventually(() => h.spans().length > 0, { collectGarbage: true });
    expect(endReason(h.span())).toBe('unconsumed');
  });

  it('does not end a stream that is still being read when only its iterator is referenced', async () => {
    // As in `for await (const x of await create())`: nothing references the stream object itself.
    const iterator = await (async () => (await openStream({ chunkDelayMs: 5 }))[Symbol.asyncIterator]())();
    for (;;) {
      garbageCollector()();
      await tick(10);
      expect(h.spans()).toHaveLength(0);
      if ((await iterator.next()).done) break;
    }
    await tick(20);
    const span = h.span();
    expect(endReason(span)).toBeUndefined();
    expect(outputText(span)).toBe(STORY);
  });

  it('does not misbehave with double iteration', async () => {
    const stream = await openStream();
    for await (const _chunk of stream) {
      // consume
    }
    await expect(
      (async () => {
        for await (const _chunk of stream) {
          // a second pass
        }
      })(),
    ).rejects.toThrow(/consumed/);
    await tick(20);
    const span = h.span();
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(outputText(span)).toBe(STORY);
  });

  it('does not prevent usage of tee', async () => {
    const stream = await openStream();
    const [left, right] = stream.tee();
    const read = async (branch: AsyncIterable<any>) => {
      let text = '';
      for await (const chunk of branch) text += chunk.choices[0]?.delta?.content ?? '';
      return text;
    };
    const [a, b] = await Promise.all([read(left), read(right)]);
    expect(a).toBe(STORY);
    expect(b).toBe(STORY);
    await tick(20);
    const span = h.span();
    expect(endReason(span)).toBeUndefined();
    expect(outputText(span)).toBe(STORY);
  });

  it('does not prevent usage of toReadableStream', async () => {
    const stream = await openStream();
    const reader = stream.toReadableStream().getReader();
    const decoder = new TextDecoder();
    let ndjson = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      ndjson += decoder.decode(value);
    }
    expect(ndjson.trim().split('\n').length).toBeGreaterThan(10);
    await tick(20);
    expect(outputText(h.span())).toBe(STORY);
  });

  it('keeps .asResponse() working for a streamed call', async () => {
    h.server.enqueue({ text: 'raw sse' });
    const response = await h.client(OpenAI).chat.completions.create(REQUEST).asResponse();
    const body = await response.text();
    expect(body).toContain('data: [DONE]');
    expect(h.span().attributes['gen_ai.request.stream']).toBe(true);
  });
});

describe.each(OPENAI_VERSIONS)('%s chunks from an unusual server', (_name, OpenAI) => {
  const h = useHarness();
  let server: Server;
  let baseURL: string;
  const frames = [
    {
      id: 'odd-1',
      object: 'chat.completion.chunk',
      model: 'odd-model',
      choices: [{ index: 0, delta: { role: 'assistant', content: 'Hel' } }],
    },
    { id: 'odd-1', object: 'chat.completion.chunk' },
    { choices: [{ index: 0 }] },
    { choices: [{ delta: { content: 'lo' } }] },
    { choices: ['junk', { index: 0, delta: { tool_calls: [{ function: { arguments: '{"x":' } }] } }] },
    {
      choices: [
        {
          index: 0,
          delta: {
            tool_calls: [{ index: 0, id: 'call_odd', function: { name: 'odd_tool', arguments: '1}' } }],
          },
        },
      ],
    },
    { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage: null },
    { choices: [], usage: { prompt_tokens: 3 } },
  ];

  beforeAll(async () => {
    ({ server, baseURL } = await startSseServer(frames));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('copes with chunks missing fields', async () => {
    h.capture('SPAN_ONLY');
    const stream = await h.client(OpenAI, { baseURL }).chat.completions.create(REQUEST);
    let received = 0;
    for await (const _chunk of stream) received++;
    expect(received).toBe(frames.length);
    const span = h.span();
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes['gen_ai.response.id']).toBe('odd-1');
    expect(span.attributes['gen_ai.response.model']).toBe('odd-model');
    expect(span.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(span.attributes['gen_ai.usage.input_tokens']).toBe(3);
    expect(span.attributes['gen_ai.usage.output_tokens']).toBeUndefined();
    expect(json(span.attributes['gen_ai.output.messages'])).toEqual([
      {
        role: 'assistant',
        parts: [
          { type: 'text', content: 'Hello' },
          { type: 'tool_call', id: 'call_odd', name: 'odd_tool', arguments: { x: 1 } },
        ],
        finish_reason: 'stop',
      },
    ]);
  });
});

describe.each(OPENAI_VERSIONS)('%s choice indexes from an unusual server', (_name, OpenAI) => {
  const h = useHarness();
  let server: Server;
  let baseURL: string;
  // Without content capture only finish reasons are kept per choice index; an index is whatever the
  // server sent, so a huge one must cost no more than a small one.
  const frames = [
    { id: 'idx-1', object: 'chat.completion.chunk', model: 'm', choices: [{ index: 1e9, delta: {} }] },
    { choices: [{ index: 1e9, delta: {}, finish_reason: 'length' }] },
    { choices: [{ index: -1, delta: {}, finish_reason: 'content_filter' }] },
    { choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
  ];

  beforeAll(async () => {
    ({ server, baseURL } = await startSseServer(frames));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('records the finish reasons of any index in index order, content off', async () => {
    const stream = await h.client(OpenAI, { baseURL }).chat.completions.create(REQUEST);
    let received = 0;
    for await (const _chunk of stream) received++;
    expect(received).toBe(frames.length);
    const span = h.span();
    expect(span.attributes['gen_ai.response.id']).toBe('idx-1');
    expect(span.attributes['gen_ai.response.finish_reasons']).toEqual(['content_filter', 'stop', 'length']);
    expect(span.attributes['gen_ai.output.messages']).toBeUndefined();
  });
});
