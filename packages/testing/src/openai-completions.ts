// OpenAI (legacy) Completions, POST /v1/completions: a `text_completion` JSON object, or SSE
// `text_completion` chunks (`data: {...}` frames ending in `data: [DONE]`). The API has no tool
// calls: a scripted turn's tool calls are not rendered, only its text.
import { errorFrameOf } from './openai-chat.js';
import type { RenderContext, Reply, SseFrame } from './reply.js';
import { jsonFrame } from './sse.js';
import { chunkText } from './text.js';
import { chatFinishReason, resolveTurn, type Turn } from './turn.js';

/** Completions `usage`: the three counts, no details. */
function completionUsage({ usage }: Turn): Record<string, number> {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

/** Renders a Completions response (JSON, or SSE when the request has `stream: true`). */
export function renderCompletions({ request, body, script, ids }: RenderContext): Reply {
  const turn = resolveTurn(script, body, ids, 'call_');
  const id = turn.id ?? ids.next('cmpl-');
  const created = Math.floor(Date.now() / 1000);
  // Completions has no tool calls; a turn that would call one ends as `stop`.
  const reason = chatFinishReason(turn.finishReason);
  const finishReason = reason === 'tool_calls' ? 'stop' : reason;
  const text = turn.text ?? '';
  const fingerprint =
    turn.systemFingerprint === undefined ? {} : { system_fingerprint: turn.systemFingerprint };
  const choice = (piece: string, finish: string | null) => ({
    text: piece,
    index: 0,
    logprobs: null,
    finish_reason: finish,
  });
  if (!request.stream) {
    return {
      kind: 'json',
      status: 200,
      body: {
        id,
        object: 'text_completion',
        created,
        model: turn.model,
        choices: [choice(text, finishReason)],
        usage: completionUsage(turn),
        ...fingerprint,
      },
    };
  }

  const includeUsage = body['stream_options']?.['include_usage'] === true;
  const chunk = (choices: unknown[], extra: Record<string, unknown> = {}): SseFrame =>
    jsonFrame({
      id,
      object: 'text_completion',
      created,
      model: turn.model,
      ...fingerprint,
      choices,
      ...(includeUsage ? { usage: null } : {}),
      ...extra,
    });
  const frames: SseFrame[] = chunkText(text, turn.chunkSize).map((piece) => chunk([choice(piece, null)]));
  frames.push(chunk([choice('', finishReason)]));
  if (includeUsage) frames.push(chunk([], { usage: completionUsage(turn) }));
  frames.push({ data: '[DONE]' });
  return { kind: 'sse', frames, errorFrame: errorFrameOf };
}
