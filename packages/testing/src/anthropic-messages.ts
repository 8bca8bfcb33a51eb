// Anthropic Messages, POST /v1/messages: the `message` object as JSON, or the SSE event stream
// (message_start, ping, content_block_start/delta/stop, message_delta, message_stop).
import { resolveError } from './errors.js';
import type { RenderContext, Reply, SseFrame } from './reply.js';
import { jsonFrame } from './sse.js';
import { chunkText } from './text.js';
import { anthropicStopReason, resolveTurn, type Turn } from './turn.js';

/** The tool input object; a scripted string that is not JSON is passed through as is. */
function toolInput(args: string): unknown {
  try {
    return JSON.parse(args);
  } catch {
    return args;
  }
}

/** Anthropic `usage` of a turn; `input_tokens` excludes the cache reads and writes, as the API reports it. */
export function anthropicUsage(turn: Turn): Record<string, unknown> {
  const { usage } = turn;
  return {
    input_tokens: Math.max(0, usage.inputTokens - usage.cacheReadInputTokens - usage.cacheWriteInputTokens),
    cache_creation_input_tokens: usage.cacheWriteInputTokens,
    cache_read_input_tokens: usage.cacheReadInputTokens,
    cache_creation: { ephemeral_5m_input_tokens: usage.cacheWriteInputTokens, ephemeral_1h_input_tokens: 0 },
    output_tokens: usage.outputTokens,
    output_tokens_details:
      usage.reasoningOutputTokens > 0 ? { thinking_tokens: usage.reasoningOutputTokens } : null,
    server_tool_use: null,
    service_tier: 'standard',
  };
}

/** One content block: its final shape, its `content_block_start` shape and its streamed deltas. */
interface PlannedBlock {
  block: Record<string, unknown>;
  start: Record<string, unknown>;
  deltas: Record<string, unknown>[];
}

/** The content blocks of a turn, in order: thinking, text, tool_use. */
function planBlocks(turn: Turn): PlannedBlock[] {
  const size = turn.chunkSize;
  const planned: PlannedBlock[] = [];
  if (turn.reasoning !== undefined) {
    planned.push({
      block: { type: 'thinking', thinking: turn.reasoning, signature: turn.reasoningSignature },
      start: { type: 'thinking', thinking: '', signature: '' },
      deltas: [
        ...chunkText(turn.reasoning, size).map((thinking) => ({ type: 'thinking_delta', thinking })),
        { type: 'signature_delta', signature: turn.reasoningSignature },
      ],
    });
  }
  if (turn.text !== undefined) {
    planned.push({
      block: { type: 'text', text: turn.text },
      start: { type: 'text', text: '' },
      deltas: chunkText(turn.text, size).map((text) => ({ type: 'text_delta', text })),
    });
  }
  for (const call of turn.toolCalls) {
    const block = { type: 'tool_use', id: call.id, name: call.name, input: {}, caller: { type: 'direct' } };
    planned.push({
      block: { ...block, input: toolInput(call.arguments) },
      start: block,
      deltas: ['', ...chunkText(call.arguments, size)].map((partial_json) => ({
        type: 'input_json_delta',
        partial_json,
      })),
    });
  }
  return planned;
}

/** Renders an Anthropic Messages response (JSON, or SSE when the request has `stream: true`). */
export function renderAnthropicMessages({ request, body, script, ids }: RenderContext): Reply {
  const turn = resolveTurn(script, body, ids, 'toolu_');
  const id = turn.id ?? ids.next('msg_');
  const stopReason = anthropicStopReason(turn.finishReason);
  const usage = anthropicUsage(turn);
  const planned = planBlocks(turn);
  const message = (content: unknown[], stop: string | null, messageUsage: Record<string, unknown>) => ({
    id,
    type: 'message',
    role: 'assistant',
    model: turn.model,
    content,
    stop_reason: stop,
    stop_sequence: null,
    stop_details: null,
    container: null,
    usage: messageUsage,
  });
  if (!request.stream) {
    return {
      kind: 'json',
      status: 200,
      body: message(
        planned.map((entry) => entry.block),
        stopReason,
        usage,
      ),
    };
  }

  const frames: SseFrame[] = [];
  const emit = (type: string, payload: Record<string, unknown> = {}) =>
    frames.push(jsonFrame({ type, ...payload }, type));
  emit('message_start', { message: message([], null, { ...usage, output_tokens: 1 }) });
  emit('ping');
  planned.forEach(({ start, deltas }, index) => {
    emit('content_block_start', { index, content_block: start });
    for (const delta of deltas) emit('content_block_delta', { index, delta });
    emit('content_block_stop', { index });
  });
  const { service_tier: _tier, cache_creation: _creation, ...deltaUsage } = usage;
  emit('message_delta', {
    delta: { stop_reason: stopReason, stop_sequence: null, stop_details: null, container: null },
    usage: deltaUsage,
  });
  emit('message_stop');

  return {
    kind: 'sse',
    frames,
    errorFrame: (error) => {
      const { type, message: text } = resolveError('anthropic', error);
      return jsonFrame({ type: 'error', error: { type, message: text } }, 'error');
    },
  };
}
