// Real error bodies of each provider, with defaults derived from the HTTP status.
import type { Provider, ScriptedError } from './script.js';

/** The error fields of a provider error body, defaults applied. */
export interface ResolvedError {
  message: string;
  type: string;
  code: string | null;
  param: string | null;
}

const ANTHROPIC_TYPES: Readonly<Record<number, string>> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  504: 'timeout_error',
  529: 'overloaded_error',
};

function openaiDefaults(status: number): { type: string; code: string | null } {
  if (status === 401) return { type: 'invalid_request_error', code: 'invalid_api_key' };
  if (status === 403) return { type: 'permission_error', code: null };
  if (status === 429) return { type: 'requests', code: 'rate_limit_exceeded' };
  if (status >= 500) return { type: 'server_error', code: null };
  return { type: 'invalid_request_error', code: null };
}

function anthropicDefaultType(status: number): string {
  return ANTHROPIC_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
}

/** Applies the provider's status-derived defaults to a scripted error. */
export function resolveError(provider: Provider, error: ScriptedError): ResolvedError {
  if (provider === 'anthropic') {
    return {
      message: error.message,
      type: error.type ?? anthropicDefaultType(error.status),
      code: null,
      param: null,
    };
  }
  const defaults = openaiDefaults(error.status);
  return {
    message: error.message,
    type: error.type ?? defaults.type,
    code: error.code === undefined ? defaults.code : error.code,
    param: error.param ?? null,
  };
}

/**
 * The JSON error body a provider returns with an HTTP error status:
 * OpenAI `{error: {message, type, param, code}}`, Anthropic `{type: 'error', error: {type, message}, request_id}`.
 */
export function errorBody(
  provider: Provider,
  error: ScriptedError,
  requestId: string,
): Record<string, unknown> {
  const { message, type, code, param } = resolveError(provider, error);
  if (provider === 'anthropic') return { type: 'error', error: { type, message }, request_id: requestId };
  return { error: { message, type, param, code } };
}

/** The default error sent inside a stream by `streamErrorAfterChunks` when no `error` is scripted. */
export function defaultStreamError(provider: Provider): ScriptedError {
  return provider === 'anthropic'
    ? { status: 529, message: 'Overloaded' }
    : { status: 500, message: 'The server had an error while processing your request. Sorry about that!' };
}
