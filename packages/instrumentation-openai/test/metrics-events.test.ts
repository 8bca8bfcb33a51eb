// The metrics and log-record events of real openai calls, compared with the spans of the same calls.
import { OPENAI_VERSIONS, useHarness } from './helpers';
import {
  byModality,
  counterTotal,
  ids,
  onlyHistogramPoint,
  points,
  spanAttributes,
  spanSeconds,
  USAGE_COUNTERS,
  type Metrics,
} from '@agent-otel/testing/tracing';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { configureMetrics, resetMetrics } from '@agent-otel/core';

const MESSAGES = [
  { role: 'system', content: 'You are terse.' },
  { role: 'user', content: 'Weather in Paris?' },
];

// The time per output chunk is opt-in (one histogram point per chunk); these tests check it too.
beforeAll(() => configureMetrics({ outputChunkTimes: true }));
afterAll(() => resetMetrics());

const INFERENCE_DURATION = 'gen_ai.client.inference.duration';
const TIME_TO_FIRST_CHUNK = 'gen_ai.client.inference.time_to_first_chunk';
const TIME_PER_OUTPUT_CHUNK = 'gen_ai.client.inference.time_per_output_chunk';
const INPUT_TOKENS = 'gen_ai.client.inference.usage.input_tokens';
const OUTPUT_TOKENS = 'gen_ai.client.inference.usage.output_tokens';

/** Each usage counter adds up to the span's usage attribute (0 when the span has none). */
function expectUsageLikeSpan(metrics: Metrics, span: ReadableSpan): void {
  for (const [counter, attribute] of Object.entries(USAGE_COUNTERS)) {
    expect([counter, counterTotal(metrics, counter)]).toEqual([counter, span.attributes[attribute] ?? 0]);
  }
  const input = onlyHistogramPoint(metrics, 'gen_ai.client.inference.operation.input_tokens');
  const output = onlyHistogramPoint(metrics, 'gen_ai.client.inference.operation.output_tokens');
  expect([input.count, input.sum]).toEqual([1, span.attributes['gen_ai.usage.input_tokens'] ?? 0]);
  expect([output.count, output.sum]).toEqual([1, span.attributes['gen_ai.usage.output_tokens'] ?? 0]);
}

/** The one inference duration point: one call, the span's duration, attributes taken from the span. */
function expectInferenceDuration(metrics: Metrics, span: ReadableSpan): Record<string, unknown> {
  const duration = onlyHistogramPoint(metrics, INFERENCE_DURATION);
  expect(duration.count).toBe(1);
  expect(duration.sum).toBeCloseTo(spanSeconds(span), 6);
  expect(duration.attributes).toEqual(spanAttributes(span, Object.keys(duration.attributes)));
  return duration.attributes;
}

/** A `fetch` to the scripted server that adds `details` to the `usage` of its JSON reply. */
function withUsageDetails(details: Record<string, unknown>): typeof fetch {
  return async (input, init) => {
    const response = await fetch(input, init);
    const body = (await response.json()) as { usage: Record<string, unknown> };
    Object.assign(body.usage, details);
    return new Response(JSON.stringify(body), {
      status: response.status,
      headers: { 'content-type': 'application/json', 'x-request-id': 'req_details' },
    });
  };
}

describe.each(OPENAI_VERSIONS)('%s metrics and events', (_name, OpenAI) => {
  const h = useHarness();

  it('records a chat call: one inference duration and usage counters equal to the span', async () => {
    h.server.enqueue({
      text: 'Sunny.',
      model: 'gpt-4o-mini-2024-07-18',
      usage: { inputTokens: 12, outputTokens: 5, cacheReadInputTokens: 4, reasoningOutputTokens: 1 },
    });
    await h.client(OpenAI).chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES });
    const span = h.span();
    const metrics = await h.tracing.metrics();

    expect(expectInferenceDuration(metrics, span)).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini-2024-07-18',
      'server.address': '127.0.0.1',
      'server.port': h.server.port,
      'openai.response.service_tier': 'default',
    });
    expect(span.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 5,
      'gen_ai.usage.cache_read.input_tokens': 4,
      'gen_ai.usage.reasoning.output_tokens': 1,
    });
    expectUsageLikeSpan(metrics, span);
    // The scripted server reports `audio_tokens: 0` only: nothing is broken down by modality.
    expect(byModality(metrics, INPUT_TOKENS)).toEqual({ unknown: 12 });
    expect(points(metrics, TIME_TO_FIRST_CHUNK)).toEqual([]);
    expect(h.tracing.logRecords()).toEqual([]);
  });

  it('records a streamed chat call: time to first chunk as on the span, one time per chunk after the first', async () => {
    h.server.enqueue({
      text: 'Sunny and mild all day.',
      chunkSize: 4,
      usage: { inputTokens: 9, outputTokens: 6 },
    });
    const stream = await h.client(OpenAI).chat.completions.create({
      model: 'gpt-4o-mini',
      messages: MESSAGES,
      stream: true,
      stream_options: { include_usage: true },
    });
    let chunks = 0;
    for await (const _chunk of stream) chunks++;
    const span = h.span();
    const metrics = await h.tracing.metrics();

    // A role chunk, six text chunks, the finish chunk and the usage chunk.
    expect(chunks).toBe(9);
    const attributes = expectInferenceDuration(metrics, span);
    const firstChunk = onlyHistogramPoint(metrics, TIME_TO_FIRST_CHUNK);
    expect(firstChunk.count).toBe(1);
    expect(firstChunk.sum).toBe(span.attributes['gen_ai.response.time_to_first_chunk']);
    expect(firstChunk.attributes).toEqual(attributes);
    const perChunk = onlyHistogramPoint(metrics, TIME_PER_OUTPUT_CHUNK);
    expect(perChunk.count).toBe(chunks - 1);
    expect(perChunk.attributes).toEqual(attributes);
    expect(perChunk.sum).toBeLessThanOrEqual(spanSeconds(span));
    expectUsageLikeSpan(metrics, span);
    expect(counterTotal(metrics, OUTPUT_TOKENS)).toBe(6);
  });

  it('records a Responses call: inference duration and usage counters equal to the span', async () => {
    h.server.enqueue({
      text: 'Paris.',
      model: 'gpt-4.1-2025-04-14',
      serviceTier: 'flex',
      usage: { inputTokens: 20, outputTokens: 8, cacheReadInputTokens: 16, reasoningOutputTokens: 3 },
    });
    await h.client(OpenAI).responses.create({ model: 'gpt-4.1', input: 'Where?', service_tier: 'flex' });
    const span = h.span();
    const metrics = await h.tracing.metrics();

    expect(expectInferenceDuration(metrics, span)).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4.1',
      'gen_ai.response.model': 'gpt-4.1-2025-04-14',
      'server.address': '127.0.0.1',
      'server.port': h.server.port,
      'openai.response.service_tier': 'flex',
    });
    expect(span.attributes['gen_ai.usage.cache_read.input_tokens']).toBe(16);
    expect(span.attributes['gen_ai.usage.reasoning.output_tokens']).toBe(3);
    expectUsageLikeSpan(metrics, span);
  });

  it('records an embeddings call as gen_ai.client.operation.duration, with no inference metrics', async () => {
    h.server.enqueue({ model: 'text-embedding-3-small-001', usage: { inputTokens: 6 } });
    await h.client(OpenAI).embeddings.create({ model: 'text-embedding-3-small', input: ['a', 'b'] });
    const span = h.span();
    const metrics = await h.tracing.metrics();

    const duration = onlyHistogramPoint(metrics, 'gen_ai.client.operation.duration');
    expect(duration.count).toBe(1);
    expect(duration.sum).toBeCloseTo(spanSeconds(span), 6);
    expect(duration.attributes).toEqual({
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'text-embedding-3-small',
      'gen_ai.response.model': 'text-embedding-3-small-001',
      'server.address': '127.0.0.1',
      'server.port': h.server.port,
    });
    expect(duration.attributes).toEqual(spanAttributes(span, Object.keys(duration.attributes)));
    expect(points(metrics, INFERENCE_DURATION)).toEqual([]);
    expect(points(metrics, INPUT_TOKENS)).toEqual([]);
  });

  it('records a failed call (HTTP 429): error.type on the duration, no usage, and the exception log record', async () => {
    h.server.enqueue({ error: { status: 429, message: 'Rate limit reached, slow down' } });
    const error = await h
      .client(OpenAI)
      .chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES })
      .then(
        () => undefined,
        (caught: unknown) => caught,
      );
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const span = h.span();
    const metrics = await h.tracing.metrics();

    expect(expectInferenceDuration(metrics, span)).toEqual({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'server.address': '127.0.0.1',
      'server.port': h.server.port,
      'error.type': '429',
    });
    // A call without usage still counts: 0 input and 0 output tokens, modality unknown.
    expect(byModality(metrics, INPUT_TOKENS)).toEqual({ unknown: 0 });
    expect(byModality(metrics, OUTPUT_TOKENS)).toEqual({ unknown: 0 });
    expectUsageLikeSpan(metrics, span);

    const records = h.tracing.logRecords();
    expect(records.map((record) => record.eventName)).toEqual(['gen_ai.client.inference.exception']);
    const [record] = records;
    expect(record!.severityNumber).toBe(13);
    expect(record!.severityText).toBe('WARN');
    expect(ids(record!.spanContext)).toEqual(ids(span.spanContext()));
    expect(record!.attributes).toEqual({
      ...spanAttributes(span, [
        'gen_ai.operation.name',
        'gen_ai.provider.name',
        'gen_ai.request.model',
        'error.type',
      ]),
      // Which type names the failure is core's choice (its own tests); here, that there is one.
      'exception.type': expect.any(String),
      'exception.message': span.events[0]!.attributes!['exception.message'],
      'exception.stacktrace': (error as Error).stack,
    });
    expect(record!.attributes['exception.message']).toContain('Rate limit reached, slow down');
  });

  it('emits gen_ai.client.inference.operation.details with structured content in EVENT_ONLY mode', async () => {
    h.capture('EVENT_ONLY');
    h.server.enqueue({ text: 'Sunny.', id: 'chatcmpl-details', usage: { inputTokens: 7, outputTokens: 2 } });
    await h.client(OpenAI).chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES });
    const span = h.span();

    // The content goes to the event only.
    expect(
      Object.keys(span.attributes).filter((key) => /messages|instructions|definitions/.test(key)),
    ).toEqual([]);
    const records = h.tracing.logRecords();
    expect(records.map((record) => record.eventName)).toEqual(['gen_ai.client.inference.operation.details']);
    const [record] = records;
    expect(record!.severityNumber).toBe(5);
    expect(record!.severityText).toBe('DEBUG');
    expect(ids(record!.spanContext)).toEqual(ids(span.spanContext()));
    const { 'agent_otel.cost.usd': _cost, ...inference } = span.attributes;
    expect(record!.attributes).toEqual({
      ...inference,
      'gen_ai.input.messages': [
        { role: 'system', parts: [{ type: 'text', content: 'You are terse.' }] },
        { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
      ],
      'gen_ai.output.messages': [
        { role: 'assistant', parts: [{ type: 'text', content: 'Sunny.' }], finish_reason: 'stop' },
      ],
    });
  });

  it('splits the usage by modality as the API reports it, on the span and the usage counters', async () => {
    h.server.enqueue({ text: 'Here you go.', usage: { inputTokens: 40, outputTokens: 30 } });
    // A gpt-4o audio reply: the input breakdown names audio only, the output one text and audio.
    const client = h.client(OpenAI, {
      fetch: withUsageDetails({
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 25 },
        completion_tokens_details: { reasoning_tokens: 0, audio_tokens: 20, text_tokens: 10 },
      }),
    });
    await client.chat.completions.create({ model: 'gpt-4o-audio-preview', messages: MESSAGES });
    const span = h.span();
    const metrics = await h.tracing.metrics();

    expect(
      spanAttributes(
        span,
        Object.keys(span.attributes).filter((key) => key.startsWith('gen_ai.usage.')),
      ),
    ).toEqual({
      'gen_ai.usage.input_tokens': 40,
      'gen_ai.usage.output_tokens': 30,
      'gen_ai.usage.audio.input_tokens': 25,
      'gen_ai.usage.audio.output_tokens': 20,
      'gen_ai.usage.text.output_tokens': 10,
    });
    // Text input is not reported, so it is not derived: the rest of the input counts as unknown.
    expect(byModality(metrics, INPUT_TOKENS)).toEqual({ audio: 25, unknown: 15 });
    expect(byModality(metrics, OUTPUT_TOKENS)).toEqual({ audio: 20, text: 10 });
    expectUsageLikeSpan(metrics, span);
  });
});
