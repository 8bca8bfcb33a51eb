import { openAIModalities, openAIUsage as usageOf } from '@agent-otel/core/instrumentation';

describe('openAIModalities', () => {
  it('reads the Chat Completions details: audio and cached input, audio, text and reasoning output', () => {
    // A gpt-4o-audio-preview reply, as the API documents it.
    const usage = {
      prompt_tokens: 117,
      completion_tokens: 90,
      total_tokens: 207,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 30 },
      completion_tokens_details: {
        reasoning_tokens: 0,
        audio_tokens: 72,
        text_tokens: 18,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    };
    expect(openAIModalities(usage)).toEqual({
      audio: { inputTokens: 30, outputTokens: 72 },
      text: { outputTokens: 18 },
    });
    expect(usageOf(usage)).toEqual({
      inputTokens: 117,
      outputTokens: 90,
      cacheReadInputTokens: 0,
      reasoningOutputTokens: 0,
      modalities: { audio: { inputTokens: 30, outputTokens: 72 }, text: { outputTokens: 18 } },
    });
  });

  it('reads text and image input counts when the API sends them', () => {
    expect(
      openAIModalities({
        prompt_tokens: 1200,
        completion_tokens: 5,
        prompt_tokens_details: { cached_tokens: 0, text_tokens: 400, image_tokens: 800 },
      }),
    ).toEqual({ text: { inputTokens: 400 }, image: { inputTokens: 800 } });
  });

  it('reads the transcription input_token_details (gpt-4o-transcribe)', () => {
    const usage = {
      type: 'tokens',
      input_tokens: 14,
      input_token_details: { text_tokens: 4, audio_tokens: 10 },
      output_tokens: 45,
      total_tokens: 59,
    };
    expect(usageOf(usage)).toEqual({
      inputTokens: 14,
      outputTokens: 45,
      modalities: { text: { inputTokens: 4 }, audio: { inputTokens: 10 } },
    });
  });

  it('reads cached input per modality from cached_tokens_details (Realtime)', () => {
    expect(
      openAIModalities({
        input_tokens: 1000,
        output_tokens: 300,
        input_token_details: {
          text_tokens: 200,
          audio_tokens: 800,
          cached_tokens: 640,
          cached_tokens_details: { text_tokens: 128, audio_tokens: 512 },
        },
        output_token_details: { text_tokens: 60, audio_tokens: 240 },
      }),
    ).toEqual({
      text: { inputTokens: 200, cacheReadInputTokens: 128, outputTokens: 60 },
      audio: { inputTokens: 800, cacheReadInputTokens: 512, outputTokens: 240 },
    });
  });

  it('leaves the breakdown out when the API sends none (Responses, embeddings, billing by duration)', () => {
    const responses = {
      input_tokens: 20,
      input_tokens_details: { cached_tokens: 16, cache_write_tokens: 0 },
      output_tokens: 8,
      output_tokens_details: { reasoning_tokens: 3 },
      total_tokens: 28,
    };
    expect(openAIModalities(responses)).toBeUndefined();
    expect(usageOf(responses)).not.toHaveProperty('modalities');
    expect(usageOf({ prompt_tokens: 6, total_tokens: 6 })).toEqual({ inputTokens: 6 });
    expect(usageOf({ type: 'duration', seconds: 3.2 })).toBeUndefined();
  });

  it('never derives text as the total minus the other modalities', () => {
    expect(
      openAIModalities({
        prompt_tokens: 50,
        completion_tokens: 10,
        prompt_tokens_details: { audio_tokens: 30 },
        completion_tokens_details: { audio_tokens: 0 },
      }),
    ).toEqual({ audio: { inputTokens: 30, outputTokens: 0 } });
  });

  it('skips counts that are not numbers and values that are not usage objects', () => {
    expect(
      openAIModalities({
        prompt_tokens_details: { audio_tokens: '30', text_tokens: null, image_tokens: Number.NaN },
        completion_tokens_details: 'none',
      }),
    ).toBeUndefined();
    for (const value of [undefined, null, 42, 'usage', []]) expect(openAIModalities(value)).toBeUndefined();
  });
});
