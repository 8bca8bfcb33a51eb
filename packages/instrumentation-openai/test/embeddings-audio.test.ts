import { SpanKind } from '@opentelemetry/api';
import { json, OPENAI_VERSIONS, useHarness } from './helpers';

describe.each(OPENAI_VERSIONS)('%s embeddings.create', (_name, OpenAI) => {
  const h = useHarness();

  it('records an embeddings call with the semantic-convention attributes', async () => {
    h.server.enqueue({ model: 'text-embedding-3-small-001', usage: { inputTokens: 6 } });
    const result = await h.client(OpenAI).embeddings.create({
      model: 'text-embedding-3-small',
      input: ['first text', 'second text'],
      dimensions: 4,
      encoding_format: 'float',
    });
    expect(result.data).toHaveLength(2);
    const span = h.span();
    expect(span.name).toBe('embeddings text-embedding-3-small');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(span.attributes).toEqual({
      'agent_otel.span.kind': 'embeddings',
      'gen_ai.operation.name': 'embeddings',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'text-embedding-3-small',
      'gen_ai.response.model': 'text-embedding-3-small-001',
      'gen_ai.embeddings.dimension.count': 4,
      'gen_ai.request.encoding_formats': ['float'],
      'server.address': '127.0.0.1',
      'server.port': h.server.port,
      'gen_ai.usage.input_tokens': 6,
    });
  });

  it('takes the dimension count from the vectors when the request does not set it', async () => {
    h.capture('SPAN_ONLY');
    h.server.enqueue({ embeddingDimensions: 5 });
    const result = await h
      .client(OpenAI)
      .embeddings.create({ model: 'text-embedding-3-small', input: 'secret text' });
    expect(result.data[0].embedding).toHaveLength(5);
    const span = h.span();
    expect(span.attributes['gen_ai.embeddings.dimension.count']).toBe(5);
    expect(span.attributes['gen_ai.request.encoding_formats']).toBeUndefined();
    // Embeddings spans carry no content, whatever the policy.
    expect(JSON.stringify(span.attributes)).not.toContain('secret text');
  });

  it('records a 500 with error.type', async () => {
    h.server.enqueue({ error: { status: 500, message: 'down' } });
    await expect(
      h.client(OpenAI).embeddings.create({ model: 'text-embedding-3-small', input: 'x' }),
    ).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    expect(h.span().attributes['error.type']).toBe('500');
  });
});

describe.each(OPENAI_VERSIONS)('%s audio', (_name, OpenAI) => {
  const h = useHarness();

  it('records audio.speech.create, with the text as content when capture is on', async () => {
    h.capture('SPAN_ONLY');
    const response = await h.client(OpenAI).audio.speech.create({
      model: 'gpt-4o-mini-tts',
      voice: 'alloy',
      input: 'Hello there',
      response_format: 'wav',
    });
    const audio = Buffer.from(await response.arrayBuffer());
    expect(audio.toString('latin1')).toContain('Hello there');
    const span = h.span();
    expect(span.name).toBe('text_to_speech gpt-4o-mini-tts');
    expect(span.attributes).toEqual({
      'agent_otel.span.kind': 'speech',
      'gen_ai.operation.name': 'text_to_speech',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini-tts',
      'gen_ai.output.type': 'speech',
      'agent_otel.speech.output.format': 'wav',
      'server.address': '127.0.0.1',
      'server.port': h.server.port,
      'gen_ai.input.messages': JSON.stringify([
        { role: 'user', parts: [{ type: 'text', content: 'Hello there' }] },
      ]),
    });
  });

  it('records audio.transcriptions.create with language, input format, transcript and usage', async () => {
    h.capture('SPAN_ONLY');
    h.server.enqueue({ text: 'bonjour tout le monde', usage: { inputTokens: 11, outputTokens: 5 } });
    const file = await OpenAI.toFile(Buffer.from('fake audio bytes'), 'greeting.MP3');
    const result = await h
      .client(OpenAI)
      .audio.transcriptions.create({ model: 'gpt-4o-transcribe', file, language: 'fr' });
    expect(result.text).toBe('bonjour tout le monde');
    const span = h.span();
    expect(span.name).toBe('speech_to_text gpt-4o-transcribe');
    expect(span.attributes).toEqual({
      'agent_otel.span.kind': 'transcription',
      'gen_ai.operation.name': 'speech_to_text',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-transcribe',
      'agent_otel.speech.input.format': 'mp3',
      'agent_otel.speech.input.language': 'fr',
      'server.address': '127.0.0.1',
      'server.port': h.server.port,
      'gen_ai.usage.input_tokens': 11,
      'gen_ai.usage.output_tokens': 5,
      // The API reports the input as audio tokens (`input_token_details.audio_tokens`).
      'gen_ai.usage.audio.input_tokens': 11,
      'gen_ai.output.messages': expect.any(String),
      'agent_otel.cost.usd': expect.any(Number),
    });
    expect(json(span.attributes['gen_ai.output.messages'])).toEqual([
      {
        role: 'assistant',
        parts: [{ type: 'text', content: 'bonjour tout le monde' }],
        finish_reason: 'stop',
      },
    ]);
  });

  it('records a plain-text transcription without content when capture is off', async () => {
    h.server.enqueue({ text: 'plain transcript' });
    const file = await OpenAI.toFile(Buffer.from('fake audio bytes'), 'clip.wav');
    const text = await h
      .client(OpenAI)
      .audio.transcriptions.create({ model: 'whisper-1', file, response_format: 'text' });
    expect(String(text).trim()).toBe('plain transcript');
    const span = h.span();
    expect(span.attributes['gen_ai.output.messages']).toBeUndefined();
    expect(span.attributes['agent_otel.speech.input.format']).toBe('wav');
  });
});
