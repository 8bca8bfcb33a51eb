// OpenAI audio: POST /v1/audio/speech (JSON in, audio bytes out) and
// POST /v1/audio/transcriptions (multipart in, `{text, usage}` JSON or plain text out).
import type { RenderContext, Reply } from './reply.js';
import { estimateTokens } from './text.js';

const AUDIO_TYPES: Readonly<Record<string, string>> = {
  mp3: 'audio/mpeg',
  opus: 'audio/ogg',
  aac: 'audio/aac',
  flac: 'audio/flac',
  wav: 'audio/wav',
  pcm: 'audio/pcm',
};

/** A small deterministic stand-in for MP3 bytes: an empty ID3v2 header followed by the input text. */
export function fakeAudio(input: string): Buffer {
  return Buffer.concat([
    Buffer.from([0x49, 0x44, 0x33, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00]),
    Buffer.from(input),
  ]);
}

/** Renders a speech response: the scripted `audio` bytes, or {@link fakeAudio} of the request input. */
export function renderSpeech({ body, script }: RenderContext): Reply {
  const format = typeof body['response_format'] === 'string' ? body['response_format'] : 'mp3';
  const input = typeof body['input'] === 'string' ? body['input'] : '';
  return {
    kind: 'bytes',
    status: 200,
    contentType: AUDIO_TYPES[format] ?? 'audio/mpeg',
    body: script.audio ? Buffer.from(script.audio) : fakeAudio(input),
  };
}

/**
 * Renders a transcription: `{text, usage}` JSON (token usage: audio bytes / 32 as input, text as
 * output, unless scripted), or the bare text for `response_format` `text`, `srt` or `vtt`.
 */
export function renderTranscription({ request, script }: RenderContext): Reply {
  const text = script.text ?? 'ok';
  const format = request.form?.fields['response_format'] ?? 'json';
  if (format === 'text' || format === 'srt' || format === 'vtt') {
    return { kind: 'bytes', status: 200, contentType: 'text/plain; charset=utf-8', body: Buffer.from(text) };
  }
  const audioBytes = request.form?.files.reduce((sum, file) => sum + file.data.length, 0) ?? 0;
  const inputTokens = script.usage?.inputTokens ?? Math.max(1, Math.ceil(audioBytes / 32));
  const outputTokens = script.usage?.outputTokens ?? Math.max(1, estimateTokens(text.length));
  return {
    kind: 'json',
    status: 200,
    body: {
      text,
      usage: {
        type: 'tokens',
        input_tokens: inputTokens,
        input_token_details: { audio_tokens: inputTokens, text_tokens: 0 },
        output_tokens: outputTokens,
        total_tokens: inputTokens + outputTokens,
      },
    },
  };
}
