// Chat models and LLMs through the LangChain callback handler: the real @langchain/openai ChatOpenAI and
// OpenAI (completions), @langchain/anthropic ChatAnthropic and OpenAIEmbeddings against the scripted
// server, the real OTel SDK, and (in its own block) @agent-otel/instrumentation-openai for the dedupe.
import { configureContent, endOpenStreamSpans, resetContentPolicy, withTrace } from '@agent-otel/core';
import { OpenAIInstrumentation } from '@agent-otel/instrumentation-openai';
import { counterTotal, onlyHistogramPoint, points, spanSeconds } from '@agent-otel/testing/tracing';
import {
  AIMessage,
  HumanMessage,
  SystemMessage,
  ToolMessage,
  type BaseMessage,
} from '@langchain/core/messages';
import { ChatPromptTemplate } from '@langchain/core/prompts';
import { RunnableLambda } from '@langchain/core/runnables';
import { tool } from '@langchain/core/tools';
import { z } from 'zod';
import { concat } from '@langchain/core/utils/stream';
import type { AIMessageChunk } from '@langchain/core/messages';
import { SpanStatusCode } from '@opentelemetry/api';
import * as openai from 'openai';
import { createLangChainHandler, type AgentOtelCallbackHandler } from '../src/index';
import {
  attributesOf,
  captureDiag,
  parentOf,
  runAttributes,
  setupTracing,
  treeOf,
  useServer,
  waitFor,
  type TestTracing,
} from './helpers';
import { chatAnthropic, chatOpenAI, openAIEmbeddings, openAILLM, WEATHER_TOOLS } from './model-fixtures';

const USAGE = { inputTokens: 120, outputTokens: 40, cacheReadInputTokens: 100, reasoningOutputTokens: 16 };
/** The span attributes of USAGE. */
const USAGE_ATTRIBUTES = {
  'gen_ai.usage.input_tokens': 120,
  'gen_ai.usage.output_tokens': 40,
  'gen_ai.usage.cache_read.input_tokens': 100,
  'gen_ai.usage.reasoning.output_tokens': 16,
};

/** The attributes of a chat span (as attributesOf keeps them) of the provider's model here, and `more`. */
function chatAttributes(provider: 'openai' | 'anthropic', more: Record<string, unknown>) {
  return {
    'agent_otel.span.kind': 'generation',
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': provider,
    'gen_ai.request.model': provider === 'openai' ? 'gpt-4o-mini' : 'claude-3-5-haiku-latest',
    ...more,
  };
}

/** Drains a LangChain stream into one message (LangChain's own aggregation). */
async function drain(stream: AsyncIterable<AIMessageChunk>): Promise<AIMessageChunk | undefined> {
  let all: AIMessageChunk | undefined;
  for await (const chunk of stream) all = all === undefined ? chunk : concat(all, chunk);
  return all;
}

/** The rejection of `promise` (fails when it resolves). */
async function rejectionOf(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

const json = (value: unknown) => JSON.parse(String(value)) as unknown;

describe('LangChain chat models and LLMs', () => {
  const h = useServer();
  let t: TestTracing;
  let client: OpenAIInstrumentation;
  let handler: AgentOtelCallbackHandler;
  beforeAll(() => {
    t = setupTracing();
    client = new OpenAIInstrumentation();
    client.setTracerProvider(t.provider);
    client.manuallyInstrument(openai);
    // Off outside the dedupe block: the spans there are the LangChain handler's alone.
    client.disable();
  });
  beforeEach(async () => {
    handler = createLangChainHandler();
    await t.metrics();
  });
  afterEach(() => {
    // Streams a test left open (a consumer that broke out) end here, so that no test sees another's.
    endOpenStreamSpans();
    t.reset();
    resetContentPolicy();
  });
  afterAll(async () => {
    client.disable();
    await t.shutdown();
  });

  describe('golden attributes (LangChain callbacks only)', () => {
    it('ChatOpenAI invoke: request parameters, response, usage with cache read and reasoning', async () => {
      h.server.enqueue({ text: 'Hello!', model: 'gpt-4o-mini-2024-07-18', usage: USAGE });
      const model = chatOpenAI(h, {
        temperature: 0.2,
        maxTokens: 50,
        topP: 0.9,
        presencePenalty: 0.5,
        frequencyPenalty: 0.25,
      });
      const result = await model.invoke([new SystemMessage('be brief'), new HumanMessage('hi')], {
        callbacks: [handler],
        stop: ['END'],
        seed: 7,
      });
      expect(result.content).toBe('Hello!');
      expect(result.usage_metadata).toMatchObject({
        input_tokens: 120,
        output_tokens: 40,
        input_token_details: { cache_read: 100 },
        output_token_details: { reasoning: 16 },
      });
      expect(treeOf(t.spans())).toEqual(['chat gpt-4o-mini [CLIENT]']);
      expect(attributesOf(t.one('chat gpt-4o-mini'))).toEqual(
        chatAttributes('openai', {
          'gen_ai.request.max_tokens': 50,
          'gen_ai.request.temperature': 0.2,
          'gen_ai.request.top_p': 0.9,
          'gen_ai.request.frequency_penalty': 0.25,
          'gen_ai.request.presence_penalty': 0.5,
          'gen_ai.request.stop_sequences': ['END'],
          'gen_ai.request.seed': 7,
          'gen_ai.response.id': result.id,
          'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
          'gen_ai.response.finish_reasons': ['stop'],
          ...USAGE_ATTRIBUTES,
          'agent_otel.cost.usd': expect.any(Number),
        }),
      );
      expect(result.id).toBe('chatcmpl-000001');
      expect(t.one('chat gpt-4o-mini').status.code).toBe(SpanStatusCode.UNSET);
    });

    it('ChatOpenAI with bound tools answering with 2 parallel tool calls: finish reason tool_call', async () => {
      h.server.enqueue({
        toolCalls: [
          { id: 'call_a', name: 'get_weather', arguments: { city: 'Paris' } },
          { id: 'call_b', name: 'get_time', arguments: { tz: 'CET' } },
        ],
        usage: { inputTokens: 30, outputTokens: 10 },
      });
      const result = await chatOpenAI(h)
        .bindTools(WEATHER_TOOLS, { parallel_tool_calls: true })
        .invoke('weather and time?', { callbacks: [handler] });
      expect(result.tool_calls?.map((call) => call.id)).toEqual(['call_a', 'call_b']);
      expect(h.server.requests[0]!.body.tools).toHaveLength(2);
      // No content by default: neither the tool definitions nor the calls are recorded.
      expect(attributesOf(t.one('chat gpt-4o-mini'))).toEqual(
        chatAttributes('openai', {
          'gen_ai.response.id': 'chatcmpl-000001',
          'gen_ai.response.model': 'gpt-4o-mini',
          'gen_ai.response.finish_reasons': ['tool_call'],
          'gen_ai.usage.input_tokens': 30,
          'gen_ai.usage.output_tokens': 10,
          'agent_otel.cost.usd': expect.any(Number),
        }),
      );
    });

    it('ChatAnthropic invoke: top_k, max_tokens, usage with cache read and cache creation', async () => {
      h.server.enqueue({
        text: 'Bonjour',
        model: 'claude-3-5-haiku-20241022',
        usage: { inputTokens: 100, outputTokens: 7, cacheReadInputTokens: 60, cacheWriteInputTokens: 20 },
      });
      const result = await chatAnthropic(h, { topK: 5, maxTokens: 300, temperature: 0.3 }).invoke('hi', {
        callbacks: [handler],
        stop: ['END'],
      });
      expect(result.content).toBe('Bonjour');
      // LangChain adds the cache tokens back into input_tokens (the server sends 20 uncached).
      expect(result.usage_metadata).toEqual({
        input_tokens: 100,
        output_tokens: 7,
        total_tokens: 107,
        input_token_details: { cache_creation: 20, cache_read: 60 },
      });
      expect(h.server.requests[0]!.body).toMatchObject({ top_k: 5, max_tokens: 300, temperature: 0.3 });
      expect(treeOf(t.spans())).toEqual(['chat claude-3-5-haiku-latest [CLIENT]']);
      expect(attributesOf(t.one('chat claude-3-5-haiku-latest'))).toEqual(
        chatAttributes('anthropic', {
          'gen_ai.request.max_tokens': 300,
          'gen_ai.request.temperature': 0.3,
          'gen_ai.request.top_k': 5,
          'gen_ai.request.stop_sequences': ['END'],
          'gen_ai.response.id': 'msg_000001',
          'gen_ai.response.model': 'claude-3-5-haiku-20241022',
          'gen_ai.response.finish_reasons': ['stop'],
          'gen_ai.usage.input_tokens': 100,
          'gen_ai.usage.output_tokens': 7,
          'gen_ai.usage.cache_read.input_tokens': 60,
          'gen_ai.usage.cache_write.input_tokens': 20,
          'agent_otel.cost.usd': expect.any(Number),
        }),
      );
    });

    it('OpenAI LLM (completions endpoint) → text_completion {model}, with its finish reason', async () => {
      h.server.enqueue({ text: 'done', usage: { inputTokens: 5, outputTokens: 1 } });
      const text = await openAILLM(h, { temperature: 0, maxTokens: 20 }).invoke('Say done', {
        callbacks: [handler],
      });
      expect(text).toBe('done');
      expect(h.server.requests[0]!.route).toBe('openai.completions');
      // LangChain's OpenAI LLM reports neither the response id nor the model (llmOutput has only
      // tokenUsage); its finish reason is generationInfo.finishReason (camelCase).
      expect(attributesOf(t.one('text_completion gpt-3.5-turbo-instruct'))).toEqual({
        'agent_otel.span.kind': 'generation',
        'gen_ai.operation.name': 'text_completion',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-3.5-turbo-instruct',
        'gen_ai.request.max_tokens': 20,
        'gen_ai.request.temperature': 0,
        'gen_ai.response.finish_reasons': ['stop'],
        'gen_ai.usage.input_tokens': 5,
        'gen_ai.usage.output_tokens': 1,
        'agent_otel.cost.usd': expect.any(Number),
      });
    });
  });

  describe('streaming', () => {
    function expectFirstChunkTiming(span: ReturnType<TestTracing['one']>) {
      const ttfc = span.attributes['gen_ai.response.time_to_first_chunk'] as number;
      expect(ttfc).toBeGreaterThan(0);
      expect(ttfc).toBeLessThanOrEqual(spanSeconds(span));
    }

    it('ChatOpenAI .stream() with streamUsage: one span, stream flag, time to first chunk, usage of the last chunk', async () => {
      h.server.enqueue({
        text: 'Streaming hello!',
        usage: { inputTokens: 12, outputTokens: 4 },
        chunkSize: 4,
      });
      const message = await drain(
        await chatOpenAI(h, { streamUsage: true }).stream('hi', { callbacks: [handler] }),
      );
      expect(message?.content).toBe('Streaming hello!');
      expect(h.server.requests[0]!.body.stream_options).toEqual({ include_usage: true });
      expect(t.spans()).toHaveLength(1);
      const span = t.one('chat gpt-4o-mini');
      expectFirstChunkTiming(span);
      expect(attributesOf(span)).toEqual(
        chatAttributes('openai', {
          'gen_ai.request.stream': true,
          'gen_ai.response.id': 'chatcmpl-000001',
          'gen_ai.response.model': 'gpt-4o-mini',
          'gen_ai.response.finish_reasons': ['stop'],
          'gen_ai.response.time_to_first_chunk': expect.any(Number),
          'gen_ai.usage.input_tokens': 12,
          'gen_ai.usage.output_tokens': 4,
          'agent_otel.cost.usd': expect.any(Number),
        }),
      );
    });

    it('ChatAnthropic .stream(): one span, finish reason and response model from the stream, usage as LangChain sums it', async () => {
      h.server.enqueue({
        text: 'Streaming hello!',
        model: 'claude-3-5-haiku-20241022',
        usage: { inputTokens: 12, outputTokens: 4 },
        chunkSize: 4,
      });
      const message = await drain(await chatAnthropic(h).stream('hi', { callbacks: [handler] }));
      expect(message?.content).toBe('Streaming hello!');
      expect(message?.additional_kwargs).toMatchObject({
        stop_reason: 'end_turn',
        model: 'claude-3-5-haiku-20241022',
      });
      // LangChain adds message_start's output_tokens (1) to message_delta's cumulative count (4): its
      // aggregated usage says 5, the span follows LangChain.
      expect(message?.usage_metadata).toMatchObject({ input_tokens: 12, output_tokens: 5 });
      expect(t.spans()).toHaveLength(1);
      const span = t.one('chat claude-3-5-haiku-latest');
      expectFirstChunkTiming(span);
      expect(attributesOf(span)).toEqual(
        chatAttributes('anthropic', {
          'gen_ai.request.max_tokens': expect.any(Number),
          'gen_ai.request.stream': true,
          'gen_ai.response.id': 'msg_000001',
          'gen_ai.response.model': 'claude-3-5-haiku-20241022',
          'gen_ai.response.finish_reasons': ['stop'],
          'gen_ai.response.time_to_first_chunk': expect.any(Number),
          'gen_ai.usage.input_tokens': 12,
          'gen_ai.usage.output_tokens': 5,
          'agent_otel.cost.usd': expect.any(Number),
        }),
      );
    });

    it("streamEvents (v2) on a prompt | model chain: invoke_workflow → chat, the stream's usage rolled up", async () => {
      h.server.enqueue({ text: 'Streaming hello!', usage: { inputTokens: 12, outputTokens: 4 } });
      const chain = ChatPromptTemplate.fromMessages([
        ['system', 'be brief'],
        ['human', '{q}'],
      ]).pipe(chatOpenAI(h));
      const events: string[] = [];
      for await (const event of chain.streamEvents({ q: 'hi' }, { version: 'v2', callbacks: [handler] })) {
        events.push(event.event);
      }
      expect(events).toContain('on_chat_model_stream');
      expect(treeOf(t.spans())).toEqual([
        'invoke_workflow RunnableSequence [INTERNAL]',
        '  chat gpt-4o-mini [CLIENT]',
      ]);
      const chat = t.one('chat gpt-4o-mini');
      expect(chat.attributes['gen_ai.request.stream']).toBe(true);
      expectFirstChunkTiming(chat);
      expect(attributesOf(t.one('invoke_workflow RunnableSequence'))).toEqual(
        runAttributes('invoke_workflow', 'RunnableSequence', {
          'agent_otel.usage.model_calls': 1,
          'gen_ai.usage.input_tokens': 12,
          'gen_ai.usage.output_tokens': 4,
          'agent_otel.cost.usd': expect.any(Number),
        }),
      );
    });

    it('a stream the consumer breaks out of: LangChain reports no end, so the span stays open until endOpenStreamSpans, then ends once (ended_early, end_reason shutdown)', async () => {
      const diagnostics = captureDiag();
      try {
        h.server.enqueue({
          text: 'A long streamed answer, chunk after chunk.',
          chunkSize: 4,
          chunkDelayMs: 5,
        });
        const received: unknown[] = [];
        for await (const chunk of await chatOpenAI(h).stream('hi', { callbacks: [handler] })) {
          received.push(chunk.content);
          break;
        }
        expect(received).toHaveLength(1);
        await new Promise((resolve) => setTimeout(resolve, 100));
        expect(t.spans()).toHaveLength(0);
        expect(handler.openRuns).toBe(1);
        expect(endOpenStreamSpans()).toBeGreaterThanOrEqual(1);
        expect(endOpenStreamSpans()).toBe(0);
        expect(handler.openRuns).toBe(0);
        expect(t.spans()).toHaveLength(1);
        expect(attributesOf(t.one('chat gpt-4o-mini'))).toEqual(
          chatAttributes('openai', {
            'gen_ai.request.stream': true,
            'gen_ai.response.time_to_first_chunk': expect.any(Number),
            'agent_otel.stream.ended_early': true,
            'agent_otel.stream.end_reason': 'shutdown',
          }),
        );
        expect(diagnostics.messages.filter((message) => message.level === 'error')).toEqual([]);
      } finally {
        diagnostics.restore();
      }
    });

    it('a call made after a stream the consumer broke out of still gets its own span', async () => {
      h.server.enqueue({ text: 'A long streamed answer, chunk after chunk.', chunkSize: 4, chunkDelayMs: 5 });
      for await (const _chunk of await chatOpenAI(h).stream('first', { callbacks: [handler] })) break;
      h.server.enqueue({ text: 'second answer' });
      const second = await chatOpenAI(h).invoke('second', { callbacks: [handler] });
      expect(second.content).toBe('second answer');
      const spans = t.chatSpans();
      expect(spans).toHaveLength(1);
      expect(spans[0]!.attributes['gen_ai.response.id']).toBe(second.id);
    });
  });

  describe('errors', () => {
    it('HTTP 500 (maxRetries 0): the span is an error with the SDK error class as error.type, the error reaches the caller', async () => {
      h.server.enqueue({ error: { status: 500, message: 'boom' } });
      const error = await rejectionOf(chatOpenAI(h).invoke('hi', { callbacks: [handler] }));
      expect(error.status).toBe(500);
      expect(h.server.requests).toHaveLength(1);
      const span = t.one('chat gpt-4o-mini');
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: error.message });
      expect(attributesOf(span)).toEqual(
        chatAttributes('openai', {
          'error.type': 'InternalServerError',
        }),
      );
    });

    it('HTTP 429 (maxRetries 0): error.type RateLimitError, LangChain adds its troubleshooting text to the message', async () => {
      h.server.enqueue({ error: { status: 429, message: 'slow down' } });
      const error = await rejectionOf(chatOpenAI(h).invoke('hi', { callbacks: [handler] }));
      expect(error.status).toBe(429);
      expect(error.message).toMatch(/^429 slow down/);
      const span = t.one('chat gpt-4o-mini');
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: error.message });
      expect(span.attributes['error.type']).toBe('RateLimitError');
    });

    it('HTTP 500 then a retry that succeeds (LangChain maxRetries 1): one span, not an error', async () => {
      h.server.enqueue([{ error: { status: 500, message: 'boom' } }, { text: 'ok' }]);
      const result = await chatOpenAI(h, { maxRetries: 1 }).invoke('hi', { callbacks: [handler] });
      expect(result.content).toBe('ok');
      expect(h.server.requests).toHaveLength(2);
      expect(t.chatSpans()).toHaveLength(1);
      const span = t.one('chat gpt-4o-mini');
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(span.attributes['error.type']).toBeUndefined();
      expect(span.attributes['gen_ai.response.id']).toBe(result.id);
    });

    it('an error inside the stream: the span is an error, the stream throws to the consumer', async () => {
      h.server.enqueue({
        text: 'Streaming hello and more',
        streamErrorAfterChunks: 2,
        error: { status: 500, message: 'overloaded mid-stream' },
      });
      const error = await rejectionOf(drain(await chatOpenAI(h).stream('hi', { callbacks: [handler] })));
      expect(error.message).toMatch(/overloaded mid-stream/);
      const span = t.one('chat gpt-4o-mini');
      expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: error.message });
      expect(attributesOf(span)).toEqual(
        chatAttributes('openai', {
          'gen_ai.request.stream': true,
          'gen_ai.response.time_to_first_chunk': expect.any(Number),
          'error.type': 'APIError',
        }),
      );
    });

    const abortedCall = async (callbacks: unknown[], reason?: unknown) => {
      h.server.enqueue({ text: 'late', delayMs: 5_000 });
      const controller = new AbortController();
      const received = h.server.requests.length;
      const call = rejectionOf(
        chatOpenAI(h).invoke('hi', { callbacks: callbacks as never, signal: controller.signal }),
      );
      // Abort once the request is at the server: one aborted before it is sent would reach the server
      // later (LangChain stops waiting, the client still sends it) and take the next test's reply.
      await waitFor(() => h.server.requests.length > received);
      controller.abort(reason);
      return call;
    };

    it.each([
      ['abort()', undefined],
      ['abort(reason)', new Error('user cancelled')],
    ])(
      "an aborted call (%s): error.type AbortError, the caller gets LangChain's own error unchanged",
      async (_label, reason) => {
        const bare = await abortedCall([], reason);
        expect(t.spans()).toHaveLength(0);
        const traced = await abortedCall([handler], reason);
        // LangChain throws its own AbortError ('Request was aborted.'), not the signal's reason.
        expect([traced.constructor, traced.name, traced.message]).toEqual([
          bare.constructor,
          bare.name,
          bare.message,
        ]);
        expect(traced.name).toBe('AbortError');
        const span = t.one('chat gpt-4o-mini');
        expect(span.status).toEqual({ code: SpanStatusCode.ERROR, message: traced.message });
        expect(span.attributes['error.type']).toBe('AbortError');
      },
    );
  });

  describe('concurrent calls (LangChain callbacks only)', () => {
    it('two concurrent invokes of one model (Promise.all): two spans, each with its own response id', async () => {
      h.server.enqueue([{ text: 'one', delayMs: 40 }, { text: 'two' }]);
      const model = chatOpenAI(h);
      const results = await Promise.all([
        model.invoke('a', { callbacks: [handler] }),
        model.invoke('b', { callbacks: [handler] }),
      ]);
      expect(
        t
          .chatSpans()
          .map((span) => span.attributes['gen_ai.response.id'])
          .sort(),
      ).toEqual(results.map((result) => result.id).sort());
      expect(handler.openRuns).toBe(0);
    });
  });

  describe('content capture', () => {
    const history = (): BaseMessage[] => [
      new SystemMessage('You are terse.'),
      new HumanMessage('Weather in Paris?'),
      new AIMessage({
        content: '',
        tool_calls: [{ id: 'call_w', name: 'get_weather', args: { city: 'Paris' } }],
      }),
      new ToolMessage({ content: 'sunny', tool_call_id: 'call_w' }),
    ];

    it('SPAN_ONLY: input messages (system, user, assistant tool call, tool result), output with finish reason, tool definitions', async () => {
      configureContent({ captureMode: 'SPAN_ONLY' });
      h.server.enqueue({ text: 'It is sunny.' });
      await chatOpenAI(h)
        .bindTools(WEATHER_TOOLS)
        .invoke(history(), { callbacks: [handler] });
      const span = t.one('chat gpt-4o-mini');
      expect(json(span.attributes['gen_ai.input.messages'])).toEqual([
        { role: 'system', parts: [{ type: 'text', content: 'You are terse.' }] },
        { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
        {
          role: 'assistant',
          parts: [{ type: 'tool_call', id: 'call_w', name: 'get_weather', arguments: { city: 'Paris' } }],
        },
        { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_w', response: 'sunny' }] },
      ]);
      expect(json(span.attributes['gen_ai.output.messages'])).toEqual([
        { role: 'assistant', parts: [{ type: 'text', content: 'It is sunny.' }], finish_reason: 'stop' },
      ]);
      expect(json(span.attributes['gen_ai.tool.definitions'])).toEqual(WEATHER_TOOLS);
    });

    it('SPAN_ONLY: tool calls in the output messages', async () => {
      configureContent({ captureMode: 'SPAN_ONLY' });
      h.server.enqueue({ toolCalls: [{ id: 'call_t', name: 'get_time', arguments: { tz: 'CET' } }] });
      await chatOpenAI(h)
        .bindTools(WEATHER_TOOLS)
        .invoke('time?', { callbacks: [handler] });
      expect(json(t.one('chat gpt-4o-mini').attributes['gen_ai.output.messages'])).toEqual([
        {
          role: 'assistant',
          parts: [{ type: 'tool_call', id: 'call_t', name: 'get_time', arguments: { tz: 'CET' } }],
          finish_reason: 'tool_call',
        },
      ]);
    });

    it('SPAN_ONLY on the LLM: the prompt as a user message, the text as output', async () => {
      configureContent({ captureMode: 'SPAN_ONLY' });
      h.server.enqueue({ text: 'done' });
      await openAILLM(h).invoke('Say done', { callbacks: [handler] });
      const span = t.one('text_completion gpt-3.5-turbo-instruct');
      expect(json(span.attributes['gen_ai.input.messages'])).toEqual([
        { role: 'user', parts: [{ type: 'text', content: 'Say done' }] },
      ]);
      expect(json(span.attributes['gen_ai.output.messages'])).toEqual([
        { role: 'assistant', parts: [{ type: 'text', content: 'done' }], finish_reason: 'stop' },
      ]);
    });

    it('NO_CONTENT (the default): no messages, no tool definitions', async () => {
      h.server.enqueue({ text: 'It is sunny.' });
      await chatOpenAI(h)
        .bindTools(WEATHER_TOOLS)
        .invoke(history(), { callbacks: [handler] });
      const keys = Object.keys(t.one('chat gpt-4o-mini').attributes);
      expect(keys.filter((key) => /messages|definitions|instructions/.test(key))).toEqual([]);
    });
  });

  describe('with @agent-otel/instrumentation-openai (one span per call)', () => {
    beforeAll(() => client.enable());
    afterAll(() => client.disable());

    it('invoke: one chat span, the LangChain one, with the client attributes merged', async () => {
      h.server.enqueue({ text: 'Hello!', model: 'gpt-4o-mini-2024-07-18', usage: USAGE });
      const result = await chatOpenAI(h, { temperature: 0.2 }).invoke('hi', { callbacks: [handler] });
      expect(t.spans()).toHaveLength(1);
      const span = t.one('chat gpt-4o-mini');
      expect(span.instrumentationScope.name).toBe('@agent-otel/langchain');
      expect(attributesOf(span)).toEqual(
        chatAttributes('openai', {
          'gen_ai.request.temperature': 0.2,
          'gen_ai.response.id': result.id,
          'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
          'gen_ai.response.finish_reasons': ['stop'],
          ...USAGE_ATTRIBUTES,
          'openai.api.type': 'chat_completions',
          'openai.response.service_tier': 'default',
          'server.address': '127.0.0.1',
          'server.port': h.server.port,
          'agent_otel.cost.usd': expect.any(Number),
        }),
      );
    });

    it('stream: one chat span with the stream attributes and the client attributes', async () => {
      h.server.enqueue({ text: 'Hello stream!', usage: { inputTokens: 12, outputTokens: 3 } });
      await drain(await chatOpenAI(h, { streamUsage: true }).stream('hi', { callbacks: [handler] }));
      expect(t.spans()).toHaveLength(1);
      const span = t.one('chat gpt-4o-mini');
      expect(span.attributes).toMatchObject({
        'gen_ai.request.stream': true,
        'gen_ai.usage.input_tokens': 12,
        'gen_ai.usage.output_tokens': 3,
        'server.address': '127.0.0.1',
        'openai.api.type': 'chat_completions',
      });
      expect(span.attributes['gen_ai.response.time_to_first_chunk']).toBeGreaterThan(0);
    });

    it('the OpenAI LLM: one text_completion span with the response id and model from the client', async () => {
      h.server.enqueue({
        text: 'done',
        model: 'gpt-3.5-turbo-instruct-0914',
        usage: { inputTokens: 5, outputTokens: 1 },
      });
      await openAILLM(h).invoke('Say done', { callbacks: [handler] });
      expect(t.spans()).toHaveLength(1);
      expect(t.one('text_completion gpt-3.5-turbo-instruct').attributes).toMatchObject({
        'gen_ai.response.id': expect.any(String),
        'gen_ai.response.model': 'gpt-3.5-turbo-instruct-0914',
        'gen_ai.usage.input_tokens': 5,
        'server.address': '127.0.0.1',
      });
    });

    it('one call under withTrace: the usage is rolled up once onto the workflow', async () => {
      h.server.enqueue({ text: 'Hello!', usage: { inputTokens: 12, outputTokens: 3 } });
      await withTrace('single', () => chatOpenAI(h).invoke('hi', { callbacks: [handler] }));
      expect(treeOf(t.spans())).toEqual(['invoke_workflow single [INTERNAL]', '  chat gpt-4o-mini [CLIENT]']);
      expect(t.one('invoke_workflow single').attributes).toMatchObject({
        'agent_otel.usage.model_calls': 1,
        'gen_ai.usage.input_tokens': 12,
        'gen_ai.usage.output_tokens': 3,
      });
    });

    it('a stream the consumer breaks out of: one span, left open until endOpenStreamSpans, then ended once with the client attributes', async () => {
      h.server.enqueue({ text: 'A long streamed answer, chunk after chunk.', chunkSize: 4, chunkDelayMs: 5 });
      for await (const _chunk of await chatOpenAI(h).stream('hi', { callbacks: [handler] })) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(t.spans()).toHaveLength(0);
      endOpenStreamSpans();
      expect(t.spans()).toHaveLength(1);
      expect(attributesOf(t.one('chat gpt-4o-mini'))).toEqual(
        chatAttributes('openai', {
          'gen_ai.request.stream': true,
          'gen_ai.response.id': 'chatcmpl-000001',
          'gen_ai.response.model': 'gpt-4o-mini',
          'gen_ai.response.time_to_first_chunk': expect.any(Number),
          'agent_otel.stream.ended_early': true,
          'agent_otel.stream.end_reason': 'shutdown',
          'openai.api.type': 'chat_completions',
          'openai.response.service_tier': 'default',
          'server.address': '127.0.0.1',
          'server.port': h.server.port,
        }),
      );
    });

    it('a call made after a stream the consumer broke out of gets its own span with its own client attributes', async () => {
      h.server.enqueue({ text: 'A long streamed answer, chunk after chunk.', chunkSize: 4, chunkDelayMs: 5 });
      for await (const _chunk of await chatOpenAI(h).stream('first', { callbacks: [handler] })) break;
      h.server.enqueue({ text: 'second answer' });
      const second = await chatOpenAI(h, { temperature: 0.5 }).invoke('second', { callbacks: [handler] });
      const spans = t.chatSpans();
      expect(spans).toHaveLength(1);
      expect(spans[0]!.attributes).toMatchObject({
        'gen_ai.request.temperature': 0.5,
        'gen_ai.response.id': second.id,
        'server.address': '127.0.0.1',
      });
    });

    it('two concurrent invokes of one model under one parent (withTrace): two spans, each with its own response id, usage counted once', async () => {
      h.server.enqueue([
        { text: 'one', usage: { inputTokens: 10, outputTokens: 1 }, delayMs: 40 },
        { text: 'two', usage: { inputTokens: 20, outputTokens: 2 } },
      ]);
      const model = chatOpenAI(h);
      const results = await withTrace('pair', () =>
        Promise.all([
          model.invoke('a', { callbacks: [handler] }),
          model.invoke('b', { callbacks: [handler] }),
        ]),
      );
      expect(treeOf(t.spans())).toEqual([
        'invoke_workflow pair [INTERNAL]',
        '  chat gpt-4o-mini [CLIENT]',
        '  chat gpt-4o-mini [CLIENT]',
      ]);
      const ids = t.chatSpans().map((span) => span.attributes['gen_ai.response.id']);
      expect(ids.sort()).toEqual(results.map((result) => result.id).sort());
      for (const result of results) {
        const span = t.chatSpans().find((s) => s.attributes['gen_ai.response.id'] === result.id)!;
        expect(span.attributes['gen_ai.usage.input_tokens']).toBe(result.usage_metadata?.input_tokens);
      }
      expect(t.one('invoke_workflow pair').attributes).toMatchObject({
        'agent_otel.usage.model_calls': 2,
        'gen_ai.usage.input_tokens': 30,
        'gen_ai.usage.output_tokens': 3,
      });
    });

    it('model.batch inside a RunnableLambda chain: two spans under the workflow, usage rolled up once', async () => {
      h.server.setDefault((request) => ({
        text: `echo ${String(request.body.messages.at(-1).content)}`,
        usage: { inputTokens: 10, outputTokens: 2 },
      }));
      const model = chatOpenAI(h);
      const chain = RunnableLambda.from(async (inputs: string[]) => model.batch(inputs)).withConfig({
        runName: 'fan_out',
      });
      const results = await chain.invoke(['a', 'b'], { callbacks: [handler] });
      expect(results.map((result) => result.content)).toEqual(['echo a', 'echo b']);
      expect(treeOf(t.spans())).toEqual([
        'invoke_workflow fan_out [INTERNAL]',
        '  chat gpt-4o-mini [CLIENT]',
        '  chat gpt-4o-mini [CLIENT]',
      ]);
      expect(
        t
          .chatSpans()
          .map((span) => span.attributes['gen_ai.response.id'])
          .sort(),
      ).toEqual(results.map((result) => result.id).sort());
      expect(t.one('invoke_workflow fan_out').attributes).toMatchObject({
        'agent_otel.usage.model_calls': 2,
        'gen_ai.usage.input_tokens': 20,
        'gen_ai.usage.output_tokens': 4,
      });
    });

    it('a retry after HTTP 500 that succeeds: one span, and it is not an error', async () => {
      h.server.enqueue([{ error: { status: 500, message: 'boom' } }, { text: 'ok' }]);
      const result = await chatOpenAI(h, { maxRetries: 1 }).invoke('hi', { callbacks: [handler] });
      expect(h.server.requests).toHaveLength(2);
      expect(t.spans()).toHaveLength(1);
      const span = t.one('chat gpt-4o-mini');
      expect(span.attributes['gen_ai.response.id']).toBe(result.id);
      expect(span.status.code).toBe(SpanStatusCode.UNSET);
      expect(span.attributes['error.type']).toBeUndefined();
    });

    it('HTTP 429: one span, the error type the client recorded', async () => {
      h.server.enqueue({ error: { status: 429, message: 'slow down' } });
      await rejectionOf(chatOpenAI(h).invoke('hi', { callbacks: [handler] }));
      expect(t.spans()).toHaveLength(1);
      expect(t.one('chat gpt-4o-mini').attributes).toMatchObject({
        'error.type': '429',
        'server.address': '127.0.0.1',
      });
    });

    it('OpenAIEmbeddings.embedQuery in a tool: one embeddings span under execute_tool', async () => {
      const embeddings = openAIEmbeddings(h);
      const embedTool = tool(async ({ text }) => (await embeddings.embedQuery(text)).length, {
        name: 'embed_text',
        description: 'Embeds a text',
        schema: z.object({ text: z.string() }),
      });
      expect(await embedTool.invoke({ text: 'hello' }, { callbacks: [handler] })).toBe(8);
      expect(treeOf(t.spans())).toEqual([
        'execute_tool embed_text [INTERNAL]',
        '  embeddings text-embedding-3-small [CLIENT]',
      ]);
    });

    it('OpenAIEmbeddings.embedQuery in a named RunnableLambda: one embeddings span (the client one) under the run', async () => {
      const embeddings = openAIEmbeddings(h);
      const chain = RunnableLambda.from(async (query: string) => embeddings.embedQuery(query)).withConfig({
        runName: 'embedder',
      });
      const vector = await chain.invoke('hello', { callbacks: [handler] });
      expect(vector).toHaveLength(8);
      expect(treeOf(t.spans())).toEqual([
        'invoke_workflow embedder [INTERNAL]',
        '  embeddings text-embedding-3-small [CLIENT]',
      ]);
      const span = t.one('embeddings text-embedding-3-small');
      expect(span.instrumentationScope.name).toBe('@agent-otel/instrumentation-openai');
      expect(parentOf(span)).toBe(t.one('invoke_workflow embedder').spanContext().spanId);
    });

    it('metrics: gen_ai.client.inference.duration and the usage counters recorded once per call', async () => {
      h.server.enqueue({ text: 'Hello!', usage: { inputTokens: 12, outputTokens: 3 } });
      await chatOpenAI(h).invoke('hi', { callbacks: [handler] });
      const metrics = await t.metrics();
      const duration = onlyHistogramPoint(metrics, 'gen_ai.client.inference.duration');
      expect(duration.count).toBe(1);
      expect(duration.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
      });
      expect(duration.sum).toBeCloseTo(spanSeconds(t.one('chat gpt-4o-mini')), 3);
      expect(counterTotal(metrics, 'gen_ai.client.inference.usage.input_tokens')).toBe(12);
      expect(counterTotal(metrics, 'gen_ai.client.inference.usage.output_tokens')).toBe(3);
    });
  });

  describe('metrics (LangChain callbacks only)', () => {
    it('gen_ai.client.inference.duration once per chat call, streamed calls included', async () => {
      h.server.enqueue([{ text: 'one' }, { text: 'two' }]);
      await chatOpenAI(h).invoke('hi', { callbacks: [handler] });
      await drain(await chatAnthropic(h).stream('hi', { callbacks: [handler] }));
      const metrics = await t.metrics();
      const found = points(metrics, 'gen_ai.client.inference.duration');
      expect(
        found
          .map((point) => [
            point.attributes['gen_ai.provider.name'],
            (point.value as { count: number }).count,
          ])
          .sort(),
      ).toEqual([
        ['anthropic', 1],
        ['openai', 1],
      ]);
    });
  });

  describe('never breaks the host app', () => {
    it('a Proxy that throws in metadata: LangChain returns the same result, the call is still traced', async () => {
      const hostile = new Proxy(
        {},
        {
          get() {
            throw new Error('hostile get');
          },
          ownKeys() {
            throw new Error('hostile ownKeys');
          },
          getPrototypeOf() {
            throw new Error('hostile getPrototypeOf');
          },
        },
      );
      h.server.enqueue([{ text: 'same' }, { text: 'same' }]);
      const bare = await chatOpenAI(h).invoke('hi', { metadata: { hostile } });
      const traced = await chatOpenAI(h).invoke('hi', { callbacks: [handler], metadata: { hostile } });
      expect(traced.content).toBe(bare.content);
      expect(t.chatSpans()).toHaveLength(1);
    });

    /** A user message whose tool_calls getter throws (LangChain never reads it on a user message; the handler does). */
    const hostileMessage = () => {
      const message = new HumanMessage('hi');
      Object.defineProperty(message, 'tool_calls', {
        get() {
          throw new Error('hostile tool_calls');
        },
      });
      return message;
    };

    it('a message whose getter throws, content on: LangChain returns the same result', async () => {
      configureContent({ captureMode: 'SPAN_ONLY' });
      h.server.enqueue([{ text: 'same' }, { text: 'same' }]);
      const bare = await chatOpenAI(h).invoke([hostileMessage()]);
      const traced = await chatOpenAI(h).invoke([hostileMessage()], { callbacks: [handler] });
      expect(traced.content).toBe(bare.content);
      expect(traced.usage_metadata).toEqual(bare.usage_metadata);
    });

    it('a message whose getter throws, content on: the call is still traced (without its content)', async () => {
      configureContent({ captureMode: 'SPAN_ONLY' });
      h.server.enqueue({ text: 'same' });
      await chatOpenAI(h).invoke([hostileMessage()], { callbacks: [handler] });
      expect(t.chatSpans()).toHaveLength(1);
    });

    it('a handler failure is logged once through diag, never thrown', async () => {
      const diagnostics = captureDiag();
      try {
        h.server.enqueue({ text: 'same' });
        await chatOpenAI(h).invoke('hi', { callbacks: [handler] });
        // Garbage LangChain would never send: every callback stays quiet.
        handler.handleLLMEnd(null as never, 42 as never);
        handler.handleChatModelStart(null as never, null as never, null as never);
        handler.handleLLMNewToken(null as never, null, null as never);
        expect(diagnostics.messages.filter((message) => message.level === 'error')).toEqual([]);
      } finally {
        diagnostics.restore();
      }
      await waitFor(() => t.chatSpans().length === 1);
    });
  });
});
