// completions.create (the legacy Completions API) → a `generation` span (`text_completion {model}`).
// The request has the sampling parameters of Chat Completions and a `prompt` instead of messages;
// the response and its stream chunks have the Chat Completions fields, with each choice's `text`
// instead of a message, so both are read by the Chat Completions code.
import { isRecord, openAICompletionPromptMessages } from '@agent-otel/core/instrumentation';
import { type GenerationSpanData } from '@agent-otel/core';
import { ChatCompletionCall, chatRequestData } from './chat.js';
import type { ClientLike, TracedCall } from './internal-types.js';
import { capturesContent } from './utils.js';

/** Span data of a Completions request, before it is sent. */
export function completionRequestData(body: unknown, client: ClientLike | undefined): GenerationSpanData {
  const data = chatRequestData(body, client);
  data.operation = 'text_completion';
  // `openai.api.type` names the Chat Completions and Responses APIs only.
  data.apiType = undefined;
  if (capturesContent())
    data.input = openAICompletionPromptMessages(isRecord(body) ? body.prompt : undefined);
  return data;
}

/** Traces one `completions.create` call. */
export function startCompletion(
  body: unknown,
  client: ClientLike | undefined,
): TracedCall<GenerationSpanData> {
  return { data: completionRequestData(body, client), hooks: new ChatCompletionCall() };
}
