import { endOpenStreamSpans } from '@agent-otel/core';
import { SpanStatusCode } from '@opentelemetry/api';
import { eventually, tick } from './helpers.js';
import {
  versions,
  tracing,
  server,
  params,
  baseAttributes,
  onlySpan,
  contentOn,
  sseFetch,
  useMessagesTestSetup,
  clientOf,
} from './messages-setup.js';

useMessagesTestSetup();

describe.each(versions)('%s', (_label, sdk) => {
  const client = (overrides: Record<string, unknown> = {}) => clientOf(sdk, overrides);

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
      expect(await eventually(() => tracing.spans().length > 0, { collectGarbage: true })).toBe(true);
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
      expect(await eventually(() => tracing.spans().length > 0, { collectGarbage: true })).toBe(true);
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
});
