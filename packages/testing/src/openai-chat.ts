// OpenAI Chat Completions, POST /v1/chat/completions: `chat.completion` JSON and
// `chat.completion.chunk` SSE (`data: {...}` frames ending in `data: [DONE]`).
import { resolveError } from './errors.js';
import type { RenderContext, Reply, SseFrame } from './reply.js';
import type { ScriptedError } from './script.js';
import { jsonFrame } from './sse.js';
import { chunkText } from './text.js';
import { chatFinishReason, resolveTurn, type Turn } from './turn.js';

/** Chat Completions `usage` of a turn. */
export function chatUsage(turn: Turn): Record<string, unknown> {
  const { usage } = turn;
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: {
      cached_tokens: usage.cacheReadInputTokens,
      audio_tokens: 0,
      ...(usage.cacheWriteInputTokens > 0 ? { cache_write_tokens: usage.cacheWriteInputTokens } : {}),
    },
    completion_tokens_details: {
      reasoning_tokens: usage.reasoningOutputTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** Renders a Chat Completions response (JSON, or SSE when the request has `stream: true`). */
export function renderChat({ request, body, script, ids }: RenderContext): Reply {
  const turn = resolveTurn(script, body, ids, 'call_');
  const id = turn.id ?? ids.next('chatcmpl-');
  const created = Math.floor(Date.now() / 1000);
  const finishReason = chatFinishReason(turn.finishReason);
  const fingerprint =
    turn.systemFingerprint === undefined ? {} : { system_fingerprint: turn.systemFingerprint };
  if (!request.stream) {
    const message: Record<string, unknown> = {
      role: 'assistant',
      content: turn.text ?? null,
      refusal: null,
      annotations: [],
    };
    if (turn.toolCalls.length > 0) {
      message['tool_calls'] = turn.toolCalls.map((call) => ({
        id: call.id,
        type: 'function',
        function: { name: call.name, arguments: call.arguments },
      }));
    }
    return {
      kind: 'json',
      status: 200,
      body: {
        id,
        object: 'chat.completion',
        created,
        model: turn.model,
        choices: [{ index: 0, message, logprobs: null, finish_reason: finishReason }],
        usage: chatUsage(turn),
        service_tier: turn.serviceTier,
        ...fingerprint,
      },
    };
  }

  const includeUsage = body['stream_options']?.['include_usage'] === true;
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): SseFrame =>
    jsonFrame({
      id,
      object: 'chat.completion.chunk',
      created,
      model: turn.model,
      service_tier: turn.serviceTier,
      ...fingerprint,
      choices,
      ...(includeUsage ? { usage: null } : {}),
      ...extra,
    });
  const delta = (value: Record<string, unknown>, finish: string | null = null): SseFrame =>
    chunk([{ index: 0, delta: value, logprobs: null, finish_reason: finish }]);

  const frames: SseFrame[] = [
    delta({ role: 'assistant', content: turn.text === undefined ? null : '', refusal: null }),
  ];
  for (const piece of chunkText(turn.text ?? '', turn.chunkSize)) frames.push(delta({ content: piece }));
  turn.toolCalls.forEach((call, index) => {
    frames.push(
      delta({
        tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } }],
      }),
    );
    for (const piece of chunkText(call.arguments, turn.chunkSize)) {
      frames.push(delta({ tool_calls: [{ index, function: { arguments: piece } }] }));
    }
  });
  frames.push(delta({}, finishReason));
  if (includeUsage) frames.push(chunk([], { usage: chatUsage(turn) }));
  frames.push({ data: '[DONE]' });

  return {
    kind: 'sse',
    frames,
    errorFrame: errorFrameOf,
  };
}

/** An error payload on a data-only stream; the OpenAI SDK throws it as an `APIError`. */
export function errorFrameOf(error: ScriptedError): SseFrame {
  const { message, type, param, code } = resolveError('openai', error);
  return jsonFrame({ error: { message, type, param, code } });
}
