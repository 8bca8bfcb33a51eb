import { toFile } from 'openai';
import { deterministicEmbedding } from '../src/index.js';
import { openai, server, useScriptedClients } from './scripted-clients.js';

useScriptedClients();

describe('embeddings', () => {
  it('returns deterministic unit vectors of the scripted dimension (SDK default base64 encoding)', async () => {
    server.enqueue({ embeddingDimensions: 5 });
    const result = await openai.embeddings.create({ model: 'emb-test', input: ['alpha', 'beta', 'alpha'] });
    expect(server.requests[0]?.body.encoding_format).toBe('base64');
    expect(result.model).toBe('emb-test');
    expect(result.data.map((item) => item.index)).toEqual([0, 1, 2]);
    const [alpha, beta, alphaAgain] = result.data.map((item) => item.embedding);
    expect(alpha).toHaveLength(5);
    expect(alpha).toEqual(alphaAgain);
    expect(alpha).not.toEqual(beta);
    expect(alpha).toEqual(deterministicEmbedding('alpha', 5));
    expect(Math.hypot(...alpha!)).toBeCloseTo(1, 5);
    expect(result.usage).toEqual({ prompt_tokens: 4, total_tokens: 4 }); // ceil(14 / 4)
  });

  it('honors encoding_format float and the request dimensions', async () => {
    const result = await openai.embeddings.create({
      model: 'emb-test',
      input: 'gamma',
      dimensions: 3,
      encoding_format: 'float',
    });
    expect(result.data[0]?.embedding).toEqual(deterministicEmbedding('gamma', 3));
  });
});

describe('audio', () => {
  it('speech returns the scripted bytes as audio/mpeg', async () => {
    server.enqueue({ audio: new Uint8Array([1, 2, 3, 4]) });
    const response = await openai.audio.speech.create({ model: 'tts-test', voice: 'alloy', input: 'Hello' });
    expect(response.headers.get('content-type')).toBe('audio/mpeg');
    expect(Buffer.from(await response.arrayBuffer())).toEqual(Buffer.from([1, 2, 3, 4]));
    expect(server.requests[0]).toMatchObject({
      route: 'openai.audio.speech',
      body: { input: 'Hello', voice: 'alloy' },
    });
  });

  it('speech defaults to a deterministic fake MP3 (ID3 header)', async () => {
    const response = await openai.audio.speech.create({ model: 'tts-test', voice: 'alloy', input: 'Hi' });
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.subarray(0, 3).toString()).toBe('ID3');
  });

  it('transcription parses the multipart upload and returns {text, usage}', async () => {
    server.enqueue({ text: 'hello from audio', usage: { inputTokens: 11, outputTokens: 4 } });
    const audio = Buffer.from('RIFF....WAVEfake-audio-bytes');
    const transcription = await openai.audio.transcriptions.create({
      model: 'stt-test',
      file: await toFile(audio, 'clip.wav', { type: 'audio/wav' }),
    });
    expect(transcription.text).toBe('hello from audio');
    expect(transcription.usage).toEqual({
      type: 'tokens',
      input_tokens: 11,
      input_token_details: { audio_tokens: 11, text_tokens: 0 },
      output_tokens: 4,
      total_tokens: 15,
    });
    const request = server.requests[0]!;
    expect(request.route).toBe('openai.audio.transcriptions');
    expect(Buffer.isBuffer(request.body)).toBe(true);
    expect(request.form?.fields['model']).toBe('stt-test');
    expect(request.form?.files).toEqual([
      { field: 'file', filename: 'clip.wav', contentType: 'audio/wav', data: audio },
    ]);
  });

  it('transcription with response_format text returns the bare text', async () => {
    server.enqueue({ text: 'plain words' });
    const text = await openai.audio.transcriptions.create({
      model: 'stt-test',
      file: await toFile(Buffer.from('x'), 'a.mp3'),
      response_format: 'text',
    });
    expect(text).toBe('plain words');
  });
});
