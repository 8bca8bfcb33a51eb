import { anthropicErrorType, resolveSdkSpans } from '../src/utils.js';

describe('anthropicErrorType', () => {
  class APIError extends Error {
    constructor(
      readonly status: number | undefined,
      readonly error: unknown,
      readonly headers: unknown = {},
    ) {
      super('api error');
    }
  }

  it('is the HTTP status of an API error', () => {
    expect(
      anthropicErrorType(new APIError(429, { type: 'error', error: { type: 'rate_limit_error' } })),
    ).toBe('429');
    expect(anthropicErrorType(new APIError(529, undefined))).toBe('529');
  });

  it("is the API's error type for an error event inside a stream", () => {
    expect(
      anthropicErrorType(new APIError(undefined, { type: 'error', error: { type: 'overloaded_error' } })),
    ).toBe('overloaded_error');
  });

  it('leaves other errors to the class name', () => {
    expect(anthropicErrorType(new TypeError('terminated'))).toBeUndefined();
    expect(anthropicErrorType(new APIError(undefined, { type: 'error' }))).toBeUndefined();
    expect(anthropicErrorType('a string')).toBeUndefined();
    expect(anthropicErrorType(undefined)).toBeUndefined();
  });
});

describe('resolveSdkSpans', () => {
  it('prefers the option, then the environment, then suppress', () => {
    expect(resolveSdkSpans('keep', { AGENT_OTEL_ANTHROPIC_SDK_SPANS: 'defer' })).toBe('keep');
    expect(resolveSdkSpans(undefined, { AGENT_OTEL_ANTHROPIC_SDK_SPANS: 'Defer' })).toBe('defer');
    expect(resolveSdkSpans(undefined, {})).toBe('suppress');
    expect(resolveSdkSpans(undefined, { AGENT_OTEL_ANTHROPIC_SDK_SPANS: 'off' })).toBe('suppress');
  });
});
