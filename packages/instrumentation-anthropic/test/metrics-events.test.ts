// The metrics and log-record events of real Anthropic calls, compared with the spans of the same calls.
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import {
  versions,
  tracing,
  server,
  params,
  onlySpan,
  useMessagesTestSetup,
  clientOf,
} from './messages-setup.js';
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
import { configureContent, configureMetrics, resetMetrics } from '@agent-otel/core';

useMessagesTestSetup();
// Each test sees only the metrics it records.
beforeEach(() => tracing.metrics());

// The time per output chunk is opt-in (one histogram point per chunk); these tests check it too.
beforeAll(() => configureMetrics({ outputChunkTimes: true }));
afterAll(() => resetMetrics());

const INFERENCE_DURATION = 'gen_ai.client.inference.duration';
const TIME_TO_FIRST_CHUNK = 'gen_ai.client.inference.time_to_first_chunk';
const TIME_PER_OUTPUT_CHUNK = 'gen_ai.client.inference.time_per_output_chunk';
const INPUT_TOKENS = 'gen_ai.client.inference.usage.input_tokens';
const CACHE_READ_TOKENS = 'gen_ai.client.inference.usage.cache_read.input_tokens';
const CACHE_WRITE_TOKENS = 'gen_ai.client.inference.usage.cache_write.input_tokens';

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

describe.each(versions)('%s metrics and events', (_label, sdk) => {
  const client = () => clientOf(sdk);
  const expectedAttributes = () => ({
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'anthropic',
    'gen_ai.request.model': 'claude-test',
    'gen_ai.response.model': 'claude-test',
    'server.address': '127.0.0.1',
    'server.port': server.port,
  });

  it('records a messages call with cache reads and writes: usage counters equal to the span', async () => {
    server.enqueue({
      text: 'Sunny.',
      usage: { inputTokens: 100, outputTokens: 7, cacheReadInputTokens: 60, cacheWriteInputTokens: 30 },
    });
    await client().messages.create(params);
    const span = onlySpan();
    const metrics = await tracing.metrics();

    expect(expectInferenceDuration(metrics, span)).toEqual(expectedAttributes());
    // Anthropic reports cache reads and writes apart from input_tokens (10 here); both count in.
    expect(span.attributes).toMatchObject({
      'gen_ai.usage.input_tokens': 100,
      'gen_ai.usage.output_tokens': 7,
      'gen_ai.usage.cache_read.input_tokens': 60,
      'gen_ai.usage.cache_write.input_tokens': 30,
    });
    expectUsageLikeSpan(metrics, span);
    // Anthropic reports no modality breakdown.
    expect(byModality(metrics, INPUT_TOKENS)).toEqual({ unknown: 100 });
    expect(byModality(metrics, CACHE_READ_TOKENS)).toEqual({ unknown: 60 });
    expect(byModality(metrics, CACHE_WRITE_TOKENS)).toEqual({ unknown: 30 });
    expect(points(metrics, TIME_TO_FIRST_CHUNK)).toEqual([]);
    expect(tracing.logRecords()).toEqual([]);
  });

  it('records a streamed call: time to first chunk as on the span, one time per event after the first', async () => {
    server.enqueue({
      text: 'Sunny and mild all day.',
      chunkSize: 4,
      usage: { inputTokens: 9, outputTokens: 6 },
    });
    const stream = await client().messages.create({ ...params, stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    const span = onlySpan();
    const metrics = await tracing.metrics();

    // message_start, content_block_start, six text deltas, content_block_stop, message_delta, message_stop.
    expect(types).toHaveLength(11);
    const attributes = expectInferenceDuration(metrics, span);
    expect(attributes).toEqual(expectedAttributes());
    const firstChunk = onlyHistogramPoint(metrics, TIME_TO_FIRST_CHUNK);
    expect(firstChunk.count).toBe(1);
    expect(firstChunk.sum).toBe(span.attributes['gen_ai.response.time_to_first_chunk']);
    expect(firstChunk.attributes).toEqual(attributes);
    const perChunk = onlyHistogramPoint(metrics, TIME_PER_OUTPUT_CHUNK);
    expect(perChunk.count).toBe(types.length - 1);
    expect(perChunk.attributes).toEqual(attributes);
    expect(perChunk.sum).toBeLessThanOrEqual(spanSeconds(span));
    expectUsageLikeSpan(metrics, span);
  });

  it('records a failed call (HTTP 429): error.type on the duration and the exception log record', async () => {
    server.enqueue({ error: { status: 429, message: 'Number of requests exceeds your rate limit' } });
    const error = await client()
      .messages.create(params)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(sdk.RateLimitError);
    const span = onlySpan();
    const metrics = await tracing.metrics();

    const { 'gen_ai.response.model': _none, ...requested } = expectedAttributes();
    expect(expectInferenceDuration(metrics, span)).toEqual({ ...requested, 'error.type': '429' });
    expect(byModality(metrics, INPUT_TOKENS)).toEqual({ unknown: 0 });
    expectUsageLikeSpan(metrics, span);
    const records = tracing.logRecords();
    expect(records.map((record) => record.eventName)).toEqual(['gen_ai.client.inference.exception']);
    const [record] = records;
    expect(record!.severityNumber).toBe(13);
    expect(ids(record!.spanContext)).toEqual(ids(span.spanContext()));
    expect(record!.attributes).toEqual({
      ...spanAttributes(span, [
        'gen_ai.operation.name',
        'gen_ai.provider.name',
        'gen_ai.request.model',
        'error.type',
      ]),
      'exception.type': expect.any(String),
      'exception.message': span.events[0]!.attributes!['exception.message'],
      'exception.stacktrace': (error as Error).stack,
    });
    expect(record!.attributes['exception.message']).toContain('Number of requests exceeds your rate limit');
  });

  it('emits gen_ai.client.inference.operation.details with structured content in EVENT_ONLY mode', async () => {
    configureContent({ captureMode: 'EVENT_ONLY' });
    server.enqueue({ text: 'Sunny.', usage: { inputTokens: 12, outputTokens: 2 } });
    await client().messages.create({ ...params, system: 'Be brief.' });
    const span = onlySpan();

    expect(
      Object.keys(span.attributes).filter((key) => /messages|instructions|definitions/.test(key)),
    ).toEqual([]);
    const records = tracing.logRecords();
    expect(records.map((record) => record.eventName)).toEqual(['gen_ai.client.inference.operation.details']);
    const [record] = records;
    expect(record!.severityNumber).toBe(5);
    expect(ids(record!.spanContext)).toEqual(ids(span.spanContext()));
    expect(record!.attributes).toEqual({
      ...span.attributes,
      'gen_ai.system_instructions': [{ type: 'text', content: 'Be brief.' }],
      'gen_ai.input.messages': [{ role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] }],
      'gen_ai.output.messages': [
        { role: 'assistant', parts: [{ type: 'text', content: 'Sunny.' }], finish_reason: 'stop' },
      ],
    });
  });
});
