// audio.speech.create → a `speech` span (`text_to_speech {model}`);
// audio.transcriptions.create → a `transcription` span (`speech_to_text {model}`).
import { isRecord, openAIErrorType, openAIUsage, stringOf } from '@agent-otel/core/instrumentation';
import { type SpeechSpanData, type TranscriptionSpanData } from '@agent-otel/core';
import type { ClientLike, Json, TracedCall } from './internal-types.js';

import { capturesContent, endpointOf } from './utils.js';

/** Span data of a text-to-speech request; the text to speak is content. */
export function speechRequestData(body: unknown, client: ClientLike | undefined): SpeechSpanData {
  const params: Json = isRecord(body) ? body : {};
  const data: SpeechSpanData = {
    type: 'speech',
    model: stringOf(params.model),
    outputFormat: stringOf(params.response_format),
    ...endpointOf(client),
  };
  if (capturesContent() && typeof params.input === 'string') data.input = params.input;
  return data;
}

/** Traces one `audio.speech.create` call: it ends when the response headers arrive (the audio is the caller's). */
export function startSpeech(body: unknown, client: ClientLike | undefined): TracedCall<SpeechSpanData> {
  return { data: speechRequestData(body, client), hooks: { errorType: openAIErrorType } };
}

/** The audio format from the uploaded file's name (`speech.mp3` → `mp3`), when it has one. */
function fileFormatOf(file: unknown): string | undefined {
  if (!isRecord(file) && typeof file !== 'function') return undefined;
  const record = file as Json;
  const name = stringOf(record.name) ?? (typeof record.path === 'string' ? record.path : undefined);
  const match = name ? /\.([a-z0-9]{1,8})$/i.exec(name) : null;
  return match ? match[1]!.toLowerCase() : undefined;
}

/** Span data of a transcription request. */
export function transcriptionRequestData(
  body: unknown,
  client: ClientLike | undefined,
): TranscriptionSpanData {
  const params: Json = isRecord(body) ? body : {};
  return {
    type: 'transcription',
    model: stringOf(params.model),
    language: stringOf(params.language),
    inputFormat: fileFormatOf(params.file),
    ...endpointOf(client),
  };
}

/** Span data of a transcription result: `{text, usage, language?}` JSON, or the bare text (`text`, `srt`, `vtt`). */
export function transcriptionResultData(
  result: unknown,
  requested: TranscriptionSpanData,
): Partial<TranscriptionSpanData> {
  const data: Partial<TranscriptionSpanData> = {};
  const text = typeof result === 'string' ? result : isRecord(result) ? stringOf(result.text) : undefined;
  if (capturesContent() && text !== undefined) data.output = text;
  if (isRecord(result)) {
    data.usage = openAIUsage(result.usage);
    if (!requested.language) data.language = stringOf(result.language);
  }
  return data;
}

/** Rebuilds a streamed transcription (`transcript.text.delta` / `transcript.text.done` events). */
class TranscriptionStreamAccumulator {
  private text = '';
  private done?: Json;

  add(event: unknown): void {
    if (!isRecord(event)) return;
    if (event.type === 'transcript.text.delta' && typeof event.delta === 'string') this.text += event.delta;
    if (event.type === 'transcript.text.done') this.done = event;
  }

  result(): Json {
    return this.done ?? { text: this.text };
  }
}

/** Traces one `audio.transcriptions.create` call. */
export function startTranscription(
  body: unknown,
  client: ClientLike | undefined,
): TracedCall<TranscriptionSpanData> {
  const data = transcriptionRequestData(body, client);
  const accumulator = new TranscriptionStreamAccumulator();
  return {
    data,
    hooks: {
      onResult: (span, result) => span.update(transcriptionResultData(result, data)),
      onStreamItem: (_span, event) => accumulator.add(event),
      onStreamEnd: (span) => span.update(transcriptionResultData(accumulator.result(), data)),
      errorType: openAIErrorType,
    },
  };
}
