import {
  aiSdkModelId,
  aiSdkProviderOf,
  hrTimeToMs,
  isoToHrTime,
  msToHrTime,
  sdkErrorType,
} from '../src/utils.js';

describe('isoToHrTime', () => {
  const seconds = Date.parse('2026-11-22T03:07:15Z') / 1000;

  it("converts the SDK's millisecond timestamps exactly", () => {
    expect(isoToHrTime('2026-11-22T03:07:15.993Z')).toEqual([seconds, 993_000_000]);
    expect(isoToHrTime('2026-11-22T03:07:15.000Z')).toEqual([seconds, 0]);
  });

  it('keeps micro- and nanosecond digits and honours offsets', () => {
    expect(isoToHrTime('2026-11-22T03:07:15.123456Z')).toEqual([seconds, 123_456_000]);
    expect(isoToHrTime('2026-11-22T03:07:15.123456789Z')).toEqual([seconds, 123_456_789]);
    expect(isoToHrTime('2026-11-22T04:07:15.5+01:00')).toEqual([seconds, 500_000_000]);
    expect(isoToHrTime('2026-11-22T03:07:15Z')).toEqual([seconds, 0]);
  });

  it('returns undefined for anything that is not a timestamp', () => {
    expect(isoToHrTime(null)).toBeUndefined();
    expect(isoToHrTime('yesterday')).toBeUndefined();
    expect(isoToHrTime(1234)).toBeUndefined();
  });

  it('round-trips epoch milliseconds through HrTime without float error', () => {
    const ms = 1_795_317_493_671;
    expect(msToHrTime(ms)).toEqual([1_795_317_493, 671_000_000]);
    expect(hrTimeToMs(msToHrTime(ms))).toBe(ms);
  });
});

describe('sdkErrorType', () => {
  it('prefers data.type, then the error class in data.error, then known SDK messages', () => {
    expect(sdkErrorType({ message: 'x', data: { type: 'RateLimit' } })).toBe('RateLimit');
    expect(
      sdkErrorType({
        message: 'Error in agent run',
        data: { error: 'MaxTurnsExceededError: Max turns (2) exceeded' },
      }),
    ).toBe('MaxTurnsExceededError');
    expect(sdkErrorType({ message: 'Max turns exceeded', data: { max_turns: 2 } })).toBe(
      'MaxTurnsExceededError',
    );
    expect(sdkErrorType({ message: 'Error running tool', data: { error: 'boom' } })).toBe('tool_error');
  });

  it('falls back to _OTHER and never throws', () => {
    expect(sdkErrorType({ message: 'free text with invoice 123' })).toBe('_OTHER');
    expect(sdkErrorType(null)).toBe('_OTHER');
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('no');
        },
      },
    );
    expect(sdkErrorType(hostile)).toBe('_OTHER');
  });
});

describe('AI SDK generation spans', () => {
  const aiSdk = (provider: unknown) => ({ provider, model_impl: 'ai-sdk' });

  it('names the provider as semconv does, from the AI SDK provider id', () => {
    expect(aiSdkProviderOf(aiSdk('openai.responses'))).toBe('openai');
    expect(aiSdkProviderOf(aiSdk('anthropic.messages'))).toBe('anthropic');
    expect(aiSdkProviderOf(aiSdk('google.generative-ai'))).toBe('gcp.gemini');
    expect(aiSdkProviderOf(aiSdk('google.vertex.chat'))).toBe('gcp.vertex_ai');
    expect(aiSdkProviderOf(aiSdk('azure.chat'))).toBe('azure.ai.openai');
    expect(aiSdkProviderOf(aiSdk('amazon-bedrock'))).toBe('aws.bedrock');
    expect(aiSdkProviderOf(aiSdk('mistral.chat'))).toBe('mistral_ai');
    expect(aiSdkProviderOf(aiSdk('xai.chat'))).toBe('x_ai');
  });

  it("keeps the AI SDK's name of a provider semconv does not list", () => {
    expect(aiSdkProviderOf(aiSdk('ollama.chat'))).toBe('ollama');
    expect(aiSdkProviderOf(aiSdk('constructor.chat'))).toBe('constructor');
  });

  it('is undefined for a generation span the AI SDK adapter did not record', () => {
    expect(aiSdkProviderOf({ temperature: 0.2 })).toBeUndefined();
    expect(aiSdkProviderOf({ provider: 'anthropic.messages' })).toBeUndefined();
    expect(aiSdkProviderOf(aiSdk(42))).toBeUndefined();
    expect(aiSdkProviderOf(aiSdk(''))).toBeUndefined();
  });

  it('strips the provider prefix the adapter puts before the model id', () => {
    const config = aiSdk('anthropic.messages');
    expect(aiSdkModelId('anthropic.messages:claude-sonnet-4-5', config)).toBe('claude-sonnet-4-5');
    expect(aiSdkModelId('claude-sonnet-4-5', config)).toBe('claude-sonnet-4-5');
    expect(aiSdkModelId('anthropic.messages:', config)).toBe('anthropic.messages:');
    expect(aiSdkModelId(undefined, config)).toBeUndefined();
  });
});
