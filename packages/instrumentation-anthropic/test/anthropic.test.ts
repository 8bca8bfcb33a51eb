import { configureContent, resetContentPolicy } from '@agent-otel/core';
import { endOpenStreamSpans } from '@agent-otel/core/instrumentation';
import {
  createAnthropicClientOptions,
  scriptedResponses,
  startScriptedServer,
  type ScriptedServer,
} from '@agent-otel/testing';
import { diag, DiagLogLevel, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { createServer } from 'node:net';
import { AnthropicInstrumentation } from '../src/index.js';
import { eventually, setupTracing, tick, type TestTracing } from './helpers.js';

/* eslint-disable @typescript-eslint/no-require-imports */
const versions: [string, any][] = [
  ['sdk 1.12', require('@anthropic-ai/sdk')],
  ['sdk 1.0', require('anthropic-sdk-v1-0')],
];
/* eslint-enable @typescript-eslint/no-require-imports */

const API_KEY = 'sk-ant-api03-secret-key-never-exported-0123456789';

let tracing: TestTracing;
let server: ScriptedServer;
const instrumentation = new AnthropicInstrumentation();
const diagErrors: string[] = [];

beforeAll(async () => {
  tracing = setupTracing();
  server = await startScriptedServer();
  for (const [, sdk] of versions) instrumentation.manuallyInstrument(sdk);
  const record = (message: string, ...args: unknown[]) => diagErrors.push([message, ...args].join(' '));
  diag.setLogger(
    { error: record, warn: record, info: () => {}, debug: () => {}, verbose: () => {} },
    { logLevel: DiagLogLevel.WARN, suppressOverrideMessage: true },
  );
});
afterEach(() => {
  server.reset();
  tracing.reset();
  resetContentPolicy();
  expect(diagErrors).toEqual([]);
  diagErrors.length = 0;
});
afterAll(async () => {
  diag.disable();
  instrumentation.disable();
  await server.close();
  await tracing.shutdown();
});

const params = {
  model: 'claude-test',
  max_tokens: 256,
  messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
};

/** The attributes every span of a call to the scripted server starts with. */
function baseAttributes(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'agent_otel.span.kind': 'generation',
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'anthropic',
    'gen_ai.request.model': 'claude-test',
    'gen_ai.request.max_tokens': 256,
    'server.address': '127.0.0.1',
    'server.port': server.port,
    ...extra,
  };
}

/** The single span of the test; fails when the call produced more or fewer. */
function onlySpan(): ReadableSpan {
  const spans = tracing.spans();
  expect(spans.map((span) => span.name)).toEqual(['chat claude-test']);
  return spans[0]!;
}

function contentOn(): void {
  configureContent({ captureMode: 'SPAN_ONLY' });
}

function contentOff(): void {
  configureContent({ captureMode: 'NO_CONTENT' });
}

/** An SSE response body made of `events` (each `{ type, … }`), for a client's `fetch` option. */
function sseFetch(events: unknown[]): (url: unknown, init?: unknown) => Promise<Response> {
  const body = events
    .map(
      (event) =>
        `event: ${(event as { type?: string }).type ?? 'unknown'}\ndata: ${JSON.stringify(event)}\n\n`,
    )
    .join('');
  return async () =>
    new Response(body, {
      status: 200,
      headers: { 'content-type': 'text/event-stream', 'request-id': 'req_1' },
    });
}

describe.each(versions)('%s', (_label, sdk) => {
  const client = (overrides: Record<string, unknown> = {}) =>
    new sdk.Anthropic({ ...createAnthropicClientOptions(server), apiKey: API_KEY, ...overrides });

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
          'gen_ai.usage.cache_read.input_tokens': 0,
          'gen_ai.usage.cache_write.input_tokens': 0,
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
      const closed = createServer();
      await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
      const { port } = closed.address() as { port: number };
      await new Promise<void>((resolve) => closed.close(() => resolve()));
      const offline = client({ baseURL: `http://127.0.0.1:${port}` });
      await expect(offline.messages.create(params)).rejects.toBeInstanceOf(sdk.APIConnectionError);
      const span = onlySpan();
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.attributes['error.type']).toBe('APIConnectionError');
      expect(span.attributes['server.port']).toBe(port);
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

  describe('messages.create (stream)', () => {
    const streamAttributes = (extra: Record<string, unknown> = {}) =>
      baseAttributes({
        'gen_ai.request.stream': true,
        'gen_ai.response.time_to_first_chunk': expect.any(Number),
        ...extra,
      });

    it('records the golden attribute set after full consumption', async () => {
      contentOn();
      server.enqueue({
        id: 'msg_stream_1',
        reasoning: 'Think first.',
        text: 'Calling the tool.',
        toolCalls: [{ id: 'toolu_s', name: 'get_weather', arguments: { city: 'Paris', units: 'metric' } }],
        usage: { inputTokens: 40, outputTokens: 25, cacheReadInputTokens: 10, cacheWriteInputTokens: 5 },
        chunkSize: 4,
      });
      const stream = await client().messages.create({ ...params, stream: true });
      const types: string[] = [];
      for await (const event of stream) types.push(event.type);
      expect(types[0]).toBe('message_start');
      expect(types.at(-1)).toBe('message_stop');
      const span = onlySpan();
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(span.attributes).toEqual(
        streamAttributes({
          'gen_ai.response.id': 'msg_stream_1',
          'gen_ai.response.model': 'claude-test',
          'gen_ai.response.finish_reasons': ['tool_call'],
          'gen_ai.usage.input_tokens': 40,
          'gen_ai.usage.output_tokens': 25,
          'gen_ai.usage.cache_read.input_tokens': 10,
          'gen_ai.usage.cache_write.input_tokens': 5,
          'gen_ai.usage.reasoning.output_tokens': 3,
          'gen_ai.input.messages': JSON.stringify([
            { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
          ]),
          'gen_ai.output.messages': JSON.stringify([
            {
              role: 'assistant',
              parts: [
                { type: 'reasoning', content: 'Think first.' },
                { type: 'text', content: 'Calling the tool.' },
                {
                  type: 'tool_call',
                  id: 'toolu_s',
                  name: 'get_weather',
                  arguments: { city: 'Paris', units: 'metric' },
                },
              ],
              finish_reason: 'tool_call',
            },
          ]),
        }),
      );
    });

    it('ends once with partial usage when the consumer breaks', async () => {
      server.enqueue({
        id: 'msg_break',
        text: 'a long answer that is cut',
        chunkSize: 2,
        usage: { inputTokens: 9 },
      });
      const stream = await client().messages.create({ ...params, stream: true });
      for await (const event of stream) {
        if (event.type === 'content_block_delta') break;
      }
      await tick(20);
      expect(onlySpan().attributes).toEqual(
        streamAttributes({
          'gen_ai.response.id': 'msg_break',
          'gen_ai.response.model': 'claude-test',
          'gen_ai.usage.input_tokens': 9,
          'gen_ai.usage.cache_read.input_tokens': 0,
          'gen_ai.usage.cache_write.input_tokens': 0,
          'agent_otel.stream.ended_early': true,
          'agent_otel.stream.end_reason': 'return',
        }),
      );
    });

    it('ends once as an error on an error event mid-stream', async () => {
      server.enqueue({
        id: 'msg_err',
        text: 'doomed answer',
        streamErrorAfterChunks: 4,
        usage: { inputTokens: 9 },
      });
      const stream = await client().messages.create({ ...params, stream: true });
      const seen: string[] = [];
      const thrown = await (async () => {
        for await (const event of stream) seen.push(event.type);
      })().catch((error: unknown) => error);
      expect(thrown).toBeInstanceOf(sdk.APIError);
      expect(seen).toEqual(['message_start', 'content_block_start', 'content_block_delta']);
      const span = onlySpan();
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.attributes).toEqual(
        streamAttributes({
          'gen_ai.response.id': 'msg_err',
          'gen_ai.response.model': 'claude-test',
          'gen_ai.usage.input_tokens': 9,
          'gen_ai.usage.cache_read.input_tokens': 0,
          'gen_ai.usage.cache_write.input_tokens': 0,
          'error.type': 'overloaded_error',
          'agent_otel.stream.ended_early': true,
          'agent_otel.stream.end_reason': 'error',
        }),
      );
    });

    it('ends once as an error when the connection is cut', async () => {
      server.enqueue({ text: 'cut short', cutAfterChunks: 3, chunkDelayMs: 10, usage: { inputTokens: 9 } });
      const stream = await client().messages.create({ ...params, stream: true });
      const thrown = await (async () => {
        for await (const _event of stream) {
          // consume
        }
      })().catch((error: unknown) => error);
      // fetch's `TypeError: terminated` comes from Node's realm, not jest's.
      expect((thrown as Error).constructor.name).toBe('TypeError');
      const span = onlySpan();
      expect(span.status.code).toBe(SpanStatusCode.ERROR);
      expect(span.attributes).toMatchObject({
        'error.type': (thrown as Error).constructor.name,
        'gen_ai.usage.input_tokens': 9,
        'agent_otel.stream.end_reason': 'error',
      });
      expect(span.attributes['gen_ai.usage.output_tokens']).toBeUndefined();
    });

    it('ends once, marked, when the request is aborted mid-stream', async () => {
      server.enqueue({ id: 'msg_abort', text: 'aborted answer', chunkSize: 2, chunkDelayMs: 5 });
      const stream = await client().messages.create({ ...params, stream: true });
      const seen: string[] = [];
      for await (const event of stream) {
        seen.push(event.type);
        if (event.type === 'content_block_delta') stream.controller.abort();
      }
      expect(seen.at(-1)).not.toBe('message_stop');
      const span = onlySpan();
      expect(span.attributes).toMatchObject({
        'gen_ai.response.id': 'msg_abort',
        'error.type': 'AbortError',
        'agent_otel.stream.ended_early': true,
        'agent_otel.stream.end_reason': 'abort',
      });
      expect(span.attributes['gen_ai.usage.output_tokens']).toBeUndefined();
    });

    it('ends a never-iterated stream on endOpenStreamSpans()', async () => {
      server.enqueue({ text: 'never read' });
      const stream = await client().messages.create({ ...params, stream: true });
      await tick(10);
      expect(tracing.spans()).toHaveLength(0);
      endOpenStreamSpans();
      expect(onlySpan().attributes).toMatchObject({
        'agent_otel.stream.ended_early': true,
        'agent_otel.stream.end_reason': 'shutdown',
      });
      stream.controller.abort();
    });

    it('ends a never-iterated stream when it is garbage-collected', async () => {
      server.enqueue({ text: 'dropped' });
      await (async () => {
        await client().messages.create({ ...params, stream: true });
      })();
      expect(await eventually(() => tracing.spans().length > 0, { collect: true })).toBe(true);
      expect(onlySpan().attributes).toMatchObject({
        'agent_otel.stream.ended_early': true,
        'agent_otel.stream.end_reason': 'unconsumed',
      });
    });

    it('ends a never-awaited call when its promise is garbage-collected', async () => {
      server.enqueue({ text: 'not awaited' });
      (() => {
        void client().messages.create(params);
      })();
      expect(await eventually(() => tracing.spans().length > 0, { collect: true })).toBe(true);
      expect(onlySpan().attributes['agent_otel.stream.end_reason']).toBe('unconsumed');
    });

    it('does not misbehave with double iteration', async () => {
      server.enqueue({ text: 'twice' });
      const stream = await client().messages.create({ ...params, stream: true });
      let count = 0;
      for await (const _event of stream) count++;
      const second = (async () => {
        for await (const _event of stream) count++;
      })();
      await expect(second).rejects.toThrow(/consumed/);
      expect(count).toBeGreaterThan(3);
      const span = onlySpan();
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(span.attributes['agent_otel.stream.ended_early']).toBeUndefined();
    });

    it('does not prevent usage of tee', async () => {
      contentOn();
      server.enqueue({ id: 'msg_tee', text: 'teed text' });
      const stream = await client().messages.create({ ...params, stream: true });
      const [left, right] = stream.tee();
      const read = async (branch: AsyncIterable<{ type: string }>) => {
        const types: string[] = [];
        for await (const event of branch) types.push(event.type);
        return types;
      };
      const [leftTypes, rightTypes] = await Promise.all([read(left), read(right)]);
      expect(leftTypes).toEqual(rightTypes);
      expect(leftTypes.at(-1)).toBe('message_stop');
      const span = onlySpan();
      expect(span.attributes['gen_ai.response.id']).toBe('msg_tee');
      expect(JSON.parse(span.attributes['gen_ai.output.messages'] as string)[0].parts).toEqual([
        { type: 'text', content: 'teed text' },
      ]);
    });

    it('copes with chunks missing fields', async () => {
      contentOn();
      const events = [
        { type: 'message_start' },
        { type: 'message_start', message: { id: 'msg_odd' } },
        { type: 'content_block_start' },
        { type: 'content_block_start', index: 0 },
        { type: 'content_block_delta', delta: { type: 'text_delta', text: 'lost' } },
        { type: 'content_block_start', index: 1, content_block: { type: 'text', text: '' } },
        { type: 'content_block_delta', index: 1 },
        { type: 'content_block_delta', index: 1, delta: { type: 'text_delta' } },
        { type: 'content_block_delta', index: 1, delta: { type: 'text_delta', text: 'kept' } },
        { type: 'content_block_delta', index: 7, delta: { type: 'input_json_delta', partial_json: '{' } },
        { type: 'content_block_stop' },
        { type: 'mystery_event', payload: 1 },
        { type: 'message_delta' },
        { type: 'message_delta', delta: null, usage: null },
        { type: 'message_stop' },
      ];
      const odd = client({ fetch: sseFetch(events) });
      const received: unknown[] = [];
      for await (const event of await odd.messages.create({ ...params, stream: true })) received.push(event);
      expect(received).toEqual(events);
      const span = onlySpan();
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(span.attributes['gen_ai.response.id']).toBe('msg_odd');
      expect(span.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
      expect(JSON.parse(span.attributes['gen_ai.output.messages'] as string)).toEqual([
        { role: 'assistant', parts: [{ type: 'text', content: 'kept' }], finish_reason: 'stop' },
      ]);
    });

    it('records usage from the final chunk', async () => {
      const events = [
        {
          type: 'message_start',
          message: {
            id: 'msg_final',
            type: 'message',
            role: 'assistant',
            model: 'claude-test-0001',
            content: [],
            stop_reason: null,
            usage: { input_tokens: 10, cache_read_input_tokens: 0, output_tokens: 1 },
          },
        },
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Done.' } },
        { type: 'content_block_stop', index: 0 },
        {
          type: 'message_delta',
          delta: { stop_reason: 'max_tokens', stop_sequence: null },
          usage: {
            output_tokens: 42,
            input_tokens: 12,
            cache_read_input_tokens: 5,
            cache_creation_input_tokens: null,
          },
        },
        { type: 'message_stop' },
      ];
      const final = client({ fetch: sseFetch(events) });
      for await (const _event of await final.messages.create({ ...params, stream: true })) {
        // consume
      }
      expect(onlySpan().attributes).toMatchObject({
        'gen_ai.response.model': 'claude-test-0001',
        'gen_ai.response.finish_reasons': ['length'],
        'gen_ai.usage.input_tokens': 17,
        'gen_ai.usage.cache_read.input_tokens': 5,
        'gen_ai.usage.output_tokens': 42,
      });
    });

    it('records the output placeholder of message_start only once message_delta confirms it', async () => {
      const events = [
        {
          type: 'message_start',
          message: { id: 'msg_ph', model: 'claude-test', usage: { input_tokens: 10, output_tokens: 1 } },
        },
      ];
      const early = client({ fetch: sseFetch(events) });
      for await (const _event of await early.messages.create({ ...params, stream: true })) {
        // consume
      }
      const attributes = onlySpan().attributes;
      expect(attributes['gen_ai.usage.input_tokens']).toBe(10);
      expect(attributes['gen_ai.usage.output_tokens']).toBeUndefined();
    });
  });

  describe('messages.stream() helper', () => {
    async function helperScenario(anthropic: any, abortAfterFirstText: boolean) {
      const stream = anthropic.messages.stream(params);
      const texts: string[] = [];
      const events: string[] = [];
      stream.on('text', (text: string) => {
        texts.push(text);
        if (abortAfterFirstText) stream.abort();
      });
      for (const name of ['connect', 'message', 'end', 'abort', 'error'])
        stream.on(name, () => events.push(name));
      const outcome = await stream.finalMessage().then(
        (message: { content: unknown }) => ({ content: message.content }),
        (error: Error) => ({ error: error.constructor.name }),
      );
      await tick(10);
      return { texts, events, outcome, aborted: stream.aborted, ended: stream.ended };
    }

    it('produces exactly one span and the same finalMessage() as without instrumentation', async () => {
      contentOn();
      server.enqueue([
        {
          id: 'msg_h1',
          text: 'Hello from the helper.',
          chunkSize: 5,
          usage: { inputTokens: 12, outputTokens: 6 },
        },
        {
          id: 'msg_h1',
          text: 'Hello from the helper.',
          chunkSize: 5,
          usage: { inputTokens: 12, outputTokens: 6 },
        },
      ]);
      const traced = await helperScenario(client(), false);
      const span = onlySpan();
      instrumentation.disable();
      try {
        expect(await helperScenario(client(), false)).toEqual(traced);
      } finally {
        instrumentation.enable();
      }
      // Without this instrumentation, only the SDK's own span is recorded.
      expect(tracing.spans().map((recorded) => recorded.name)).toEqual([
        'chat claude-test',
        'anthropic.messages.create',
      ]);
      expect(traced.texts.join('')).toBe('Hello from the helper.');
      expect(traced.events).toEqual(['connect', 'message', 'end']);
      expect(span.attributes).toEqual(
        baseAttributes({
          'gen_ai.request.stream': true,
          'gen_ai.response.time_to_first_chunk': expect.any(Number),
          'gen_ai.response.id': 'msg_h1',
          'gen_ai.response.model': 'claude-test',
          'gen_ai.response.finish_reasons': ['stop'],
          'gen_ai.usage.input_tokens': 12,
          'gen_ai.usage.output_tokens': 6,
          'gen_ai.usage.cache_read.input_tokens': 0,
          'gen_ai.usage.cache_write.input_tokens': 0,
          'gen_ai.input.messages': JSON.stringify([
            { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
          ]),
          'gen_ai.output.messages': JSON.stringify([
            {
              role: 'assistant',
              parts: [{ type: 'text', content: 'Hello from the helper.' }],
              finish_reason: 'stop',
            },
          ]),
        }),
      );
    });

    it('abort() behaves as without instrumentation and ends the span once, marked', async () => {
      const slow = { text: 'An answer long enough to abort.', chunkSize: 3, chunkDelayMs: 5 };
      server.enqueue([slow, slow]);
      const traced = await helperScenario(client(), true);
      expect(traced.outcome).toEqual({ error: 'APIUserAbortError' });
      expect(traced.aborted).toBe(true);
      const span = onlySpan();
      expect(span.attributes).toMatchObject({
        'agent_otel.stream.ended_early': true,
        'agent_otel.stream.end_reason': 'abort',
      });
      tracing.reset();
      instrumentation.disable();
      try {
        expect(await helperScenario(client(), true)).toEqual(traced);
      } finally {
        instrumentation.enable();
      }
    });

    it('records an HTTP error of the helper request', async () => {
      server.enqueue({ error: { status: 529, message: 'Overloaded' } });
      const stream = client().messages.stream(params);
      stream.on('error', () => {});
      await expect(stream.finalMessage()).rejects.toMatchObject({ status: 529 });
      expect(onlySpan().attributes['error.type']).toBe('529');
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

  describe('beta.messages', () => {
    it('traces beta.messages.create', async () => {
      server.enqueue({ id: 'msg_beta', text: 'beta answer', usage: { inputTokens: 5, outputTokens: 2 } });
      await client().beta.messages.create({ ...params, betas: ['token-efficient-tools-2025-02-19'] });
      expect(onlySpan().attributes).toEqual(
        baseAttributes({
          'gen_ai.response.id': 'msg_beta',
          'gen_ai.response.model': 'claude-test',
          'gen_ai.response.finish_reasons': ['stop'],
          'gen_ai.usage.input_tokens': 5,
          'gen_ai.usage.output_tokens': 2,
          'gen_ai.usage.cache_read.input_tokens': 0,
          'gen_ai.usage.cache_write.input_tokens': 0,
        }),
      );
    });

    it('traces beta.messages.stream() with exactly one span', async () => {
      server.enqueue({ id: 'msg_beta_stream', text: 'beta streamed' });
      const message = await client().beta.messages.stream(params).finalMessage();
      expect(message.id).toBe('msg_beta_stream');
      expect(onlySpan().attributes).toMatchObject({
        'gen_ai.response.id': 'msg_beta_stream',
        'gen_ai.request.stream': true,
      });
    });
  });
});
