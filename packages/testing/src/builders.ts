// Builders for common scripted responses.
import type { ScriptedResponse, ScriptedToolCall } from './script.js';

type Extra = Omit<ScriptedResponse, 'text' | 'toolCalls'>;

/** A plain text reply. */
function textReply(text: string, extra: Extra = {}): ScriptedResponse {
  return { ...extra, text };
}

/** A reply with one tool call (finish reason `tool_calls` / `tool_use`). */
function toolCallReply(
  name: string,
  args: Record<string, unknown> | string = {},
  extra: Extra & { id?: string; text?: string } = {},
): ScriptedResponse {
  const { id, text, ...rest } = extra;
  const call: ScriptedToolCall = id === undefined ? { name, arguments: args } : { id, name, arguments: args };
  return { ...rest, ...(text === undefined ? {} : { text }), toolCalls: [call] };
}

/** A reply with several (parallel) tool calls. */
function toolCallsReply(calls: ScriptedToolCall[], extra: Extra & { text?: string } = {}): ScriptedResponse {
  return { ...extra, toolCalls: calls };
}

/** A reply with reasoning (Responses reasoning summary / Anthropic thinking) followed by text. */
function reasoningReply(reasoning: string, text: string, extra: Extra = {}): ScriptedResponse {
  return { ...extra, reasoning, text };
}

/** An API error with the given status, in the provider's error shape. */
function errorReply(
  status: number,
  message = `Scripted error ${status}`,
  extra: Omit<NonNullable<ScriptedResponse['error']>, 'status' | 'message'> = {},
): ScriptedResponse {
  return { error: { ...extra, status, message } };
}

/** A 429 rate-limit error with a `retry-after` header (seconds). */
function rateLimitReply(retryAfterSeconds = 1): ScriptedResponse {
  return errorReply(429, 'Rate limit reached. Please try again later.', {
    headers: { 'retry-after': String(retryAfterSeconds) },
  });
}

/** A streamed reply whose connection is dropped after `afterChunks` SSE frames. */
function cutStreamReply(
  afterChunks: number,
  base: ScriptedResponse = { text: 'this stream is cut short' },
): ScriptedResponse {
  return { ...base, cutAfterChunks: afterChunks };
}

/** Builders for common {@link ScriptedResponse}s. */
export const scriptedResponses = Object.freeze({
  textReply,
  toolCallReply,
  toolCallsReply,
  reasoningReply,
  errorReply,
  rateLimitReply,
  cutStreamReply,
});
