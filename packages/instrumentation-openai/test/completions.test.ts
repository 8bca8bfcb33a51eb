import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { API_KEY, json, OPENAI_VERSIONS, useHarness } from './helpers';

const MODEL = 'gpt-3.5-turbo-instruct';

describe.each(OPENAI_VERSIONS)('%s completions.create (legacy Completions API)', (_name, OpenAI) => {
  const h = useHarness();

  it('records a text_completion span with the semantic-convention attributes', async () => {
    h.server.enqueue({
      text: ' world',
      id: 'cmpl-golden',
      model: 'gpt-3.5-turbo-instruct:20230824-v2',
      systemFingerprint: 'fp_legacy',
      finishReason: 'length',
      usage: { inputTokens: 4, outputTokens: 2 },
    });
    const completion = await h.client(OpenAI).completions.create({
      model: MODEL,
      prompt: 'Hello',
      max_tokens: 2,
      temperature: 0.5,
      top_p: 0.8,
      stop: ['\n'],
      seed: 3,
      n: 2,
      frequency_penalty: 0.1,
      presence_penalty: 0.2,
    });

    expect(completion.choices[0].text).toBe(' world');
    const span = h.span();
    expect(span.name).toBe(`text_completion ${MODEL}`);
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.status.code).toBe(SpanStatusCode.UNSET);
    expect(span.attributes).toEqual({
      'agent_otel.span.kind': 'generation',
      'gen_ai.operation.name': 'text_completion',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': MODEL,
      'server.address': '127.0.0.1',
      'server.port': h.server.port,
      'gen_ai.request.max_tokens': 2,
      'gen_ai.request.temperature': 0.5,
      'gen_ai.request.top_p': 0.8,
      'gen_ai.request.frequency_penalty': 0.1,
      'gen_ai.request.presence_penalty': 0.2,
      'gen_ai.request.stop_sequences': ['\n'],
      'gen_ai.request.seed': 3,
      'gen_ai.request.choice.count': 2,
      'openai.response.system_fingerprint': 'fp_legacy',
      'gen_ai.response.id': 'cmpl-golden',
      'gen_ai.response.model': 'gpt-3.5-turbo-instruct:20230824-v2',
      'gen_ai.response.finish_reasons': ['length'],
      'gen_ai.usage.input_tokens': 4,
      'gen_ai.usage.output_tokens': 2,
      'agent_otel.cost.usd': expect.any(Number),
    });
    expect(JSON.stringify(span.attributes)).not.toContain(API_KEY);
  });

  it('records the prompt and the completion text only when content capture is on', async () => {
    h.capture('SPAN_ONLY');
    h.server.enqueue({ text: ' there' });
    await h.client(OpenAI).completions.create({ model: MODEL, prompt: 'Hi' });
    const captured = h.span().attributes;
    expect(json(captured['gen_ai.input.messages'])).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Hi' }] },
    ]);
    expect(json(captured['gen_ai.output.messages'])).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: ' there' }], finish_reason: 'stop' },
    ]);

    h.exporter.reset();
    h.server.enqueue({ text: '!' });
    await h.client(OpenAI).completions.create({ model: MODEL, prompt: [[15496, 11], [40]] });
    expect(json(h.span().attributes['gen_ai.input.messages'])).toEqual([
      { role: 'user', parts: [{ type: 'generic', content: [15496, 11] }] },
      { role: 'user', parts: [{ type: 'generic', content: [40] }] },
    ]);

    h.exporter.reset();
    h.capture('NO_CONTENT');
    h.server.enqueue({ text: ' there' });
    await h.client(OpenAI).completions.create({ model: MODEL, prompt: 'Hi' });
    const keys = Object.keys(h.span().attributes);
    expect(keys.filter((key) => /messages|definitions|instructions/.test(key))).toEqual([]);
  });

  it('records a streamed completion: text, finish reason, time to first chunk and the final usage chunk', async () => {
    h.capture('SPAN_ONLY');
    h.server.enqueue({
      text: 'Once upon a time',
      id: 'cmpl-stream',
      chunkSize: 4,
      usage: { inputTokens: 5, outputTokens: 4 },
    });
    const stream = await h.client(OpenAI).completions.create({
      model: MODEL,
      prompt: 'Tell a story',
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';

    expect(text).toBe('Once upon a time');
    const span = h.span();
    expect(span.name).toBe(`text_completion ${MODEL}`);
    expect(span.attributes).toMatchObject({
      'gen_ai.operation.name': 'text_completion',
      'gen_ai.request.stream': true,
      'gen_ai.response.id': 'cmpl-stream',
      'gen_ai.response.model': MODEL,
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.response.time_to_first_chunk': expect.any(Number),
      'gen_ai.usage.input_tokens': 5,
      'gen_ai.usage.output_tokens': 4,
    });
    expect(span.attributes['openai.api.type']).toBeUndefined();
    expect(span.attributes['agent_otel.stream.end_reason']).toBeUndefined();
    expect(json(span.attributes['gen_ai.output.messages'])).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'Once upon a time' }], finish_reason: 'stop' },
    ]);
  });

  it('ends a stream stopped early once, with the partial text, marked as an early stop', async () => {
    h.capture('SPAN_ONLY');
    h.server.enqueue({ text: 'abcdefghijklmnop', chunkSize: 4, chunkDelayMs: 2 });
    const stream = await h.client(OpenAI).completions.create({ model: MODEL, prompt: 'x', stream: true });
    for await (const _chunk of stream) break;

    const span = h.span();
    expect(span.attributes['agent_otel.stream.end_reason']).toBe('return');
    expect(span.attributes['agent_otel.stream.ended_early']).toBe(true);
    expect(json(span.attributes['gen_ai.output.messages'])).toEqual([
      { role: 'assistant', parts: [{ type: 'text', content: 'abcd' }], finish_reason: 'stop' },
    ]);
  });

  it('records an API error with its status as error.type and re-throws it unchanged', async () => {
    h.server.enqueue({ error: { status: 429, message: 'slow down' } });
    const error = await h
      .client(OpenAI)
      .completions.create({ model: MODEL, prompt: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const span = h.span();
    expect(span.status).toEqual({
      code: SpanStatusCode.ERROR,
      message: expect.stringContaining('slow down'),
    });
    expect(span.attributes['error.type']).toBe('429');
  });
});
