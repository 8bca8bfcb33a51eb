// generateSpeech / transcribe with the real `ai` 7 and @ai-sdk/openai against the scripted server's audio routes.
import { configureContent, withTrace } from '@agent-otel/core';
import * as ai from 'ai';
import { generateSpeech, transcribe } from 'ai';
import { registerAiSdkTelemetry, type AgentOtelTelemetry } from '../src/index';
import { attributesOf, setupTracing, treeOf, useServer, type TestTracing } from './helpers';

/** A few bytes that start like a WAV file (`RIFF….WAVE`), so the SDK detects `audio/wav`. */
const WAV = new Uint8Array([
  0x52, 0x49, 0x46, 0x46, 0x24, 0x00, 0x00, 0x00, 0x57, 0x41, 0x56, 0x45, 0x66, 0x6d, 0x74, 0x20, 1, 2, 3, 4,
  5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
]);

describe('generateSpeech and transcribe', () => {
  const h = useServer();
  let t: TestTracing;
  let integration: AgentOtelTelemetry | undefined;
  beforeAll(() => {
    t = setupTracing();
    integration = registerAiSdkTelemetry(ai);
  });
  afterEach(() => {
    t.reset();
    configureContent({ captureMode: 'NO_CONTENT' });
  });
  afterAll(() => t.shutdown());

  it('records a text_to_speech span (golden attributes, no content by default)', async () => {
    const result = await generateSpeech({
      model: h.openai.speech('tts-1'),
      text: 'Hello there',
      voice: 'alloy',
      outputFormat: 'mp3',
      telemetry: { functionId: 'narrator' },
    });
    expect(result.audio.uint8Array.length).toBeGreaterThan(0);
    expect(h.server.requests.map((request) => request.path)).toEqual(['/v1/audio/speech']);
    expect(treeOf(t.spans())).toEqual(['text_to_speech tts-1 [CLIENT]']);
    expect(attributesOf(t.byName('text_to_speech tts-1'))).toEqual({
      'agent_otel.span.kind': 'speech',
      'gen_ai.operation.name': 'text_to_speech',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'tts-1',
      'gen_ai.output.type': 'speech',
      'agent_otel.speech.output.format': 'mp3',
      'agent_otel.metadata.function_id': 'narrator',
    });
    expect(integration?.openCalls).toBe(0);
  });

  it('records the text to speak only under the content policy', async () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    await generateSpeech({ model: h.openai.speech('tts-1'), text: 'Read me aloud', voice: 'alloy' });
    const span = t.byName('text_to_speech tts-1');
    expect(JSON.parse(span.attributes['gen_ai.input.messages'] as string)).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Read me aloud' }] },
    ]);
    // The format the SDK detected, when none was requested.
    expect(span.attributes['agent_otel.speech.output.format']).toBe('mp3');
  });

  it('records a speech_to_text span with usage (audio modality) and the input format', async () => {
    h.server.enqueue({ text: 'the transcript', usage: { inputTokens: 9, outputTokens: 3 } });
    const result = await transcribe({ model: h.openai.transcription('gpt-4o-transcribe'), audio: WAV });
    expect(result.text).toBe('the transcript');
    expect(treeOf(t.spans())).toEqual(['speech_to_text gpt-4o-transcribe [CLIENT]']);
    expect(attributesOf(t.byName('speech_to_text gpt-4o-transcribe'))).toEqual({
      'agent_otel.span.kind': 'transcription',
      'gen_ai.operation.name': 'speech_to_text',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-transcribe',
      'agent_otel.speech.input.format': 'wav',
      'gen_ai.usage.input_tokens': 9,
      'gen_ai.usage.output_tokens': 3,
      'gen_ai.usage.audio.input_tokens': 9,
      'agent_otel.cost.usd': expect.any(Number),
    });
  });

  it('records the transcript only under the content policy, and nests inside withTrace', async () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    h.server.enqueue({ text: 'said out loud' });
    await withTrace('dictation', () =>
      transcribe({ model: h.openai.transcription('whisper-1'), audio: WAV }),
    );
    expect(treeOf(t.spans())).toEqual([
      'invoke_workflow dictation [INTERNAL]',
      '  speech_to_text whisper-1 [CLIENT]',
    ]);
    expect(
      JSON.parse(t.byName('speech_to_text whisper-1').attributes['gen_ai.output.messages'] as string),
    ).toEqual([
      expect.objectContaining({ role: 'assistant', parts: [{ type: 'text', content: 'said out loud' }] }),
    ]);
  });

  it('records a failed call (500) on the span and rethrows it unchanged', async () => {
    h.server.enqueue({ error: { status: 500, message: 'boom' } });
    const error = await generateSpeech({
      model: h.openai.speech('tts-1'),
      text: 'x',
      voice: 'alloy',
      maxRetries: 0,
    }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Error);
    expect((error as { statusCode?: number }).statusCode).toBe(500);
    const span = t.byName('text_to_speech tts-1');
    expect([span.status.code, span.attributes['error.type']]).toEqual([2, '500']);
    expect(integration?.openCalls).toBe(0);
  });

  it('records gen_ai.client.operation.duration for both operations', async () => {
    await t.metrics();
    await generateSpeech({ model: h.openai.speech('tts-1'), text: 'a', voice: 'alloy' });
    h.server.enqueue({ text: 'b' });
    await transcribe({ model: h.openai.transcription('whisper-1'), audio: WAV });
    const metrics = await t.metrics();
    const duration = metrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .find((metric) => metric.descriptor.name === 'gen_ai.client.operation.duration')!;
    expect(duration.dataPoints.map((point) => point.attributes['gen_ai.operation.name']).sort()).toEqual([
      'speech_to_text',
      'text_to_speech',
    ]);
  });
});
