// OpenAI Responses, POST /v1/responses: the `response` object as JSON, or the typed SSE event stream
// (`event: response.created` … `event: response.completed`, each with a `sequence_number`).
import { resolveError } from './errors.js';
import type { RenderContext, Reply, SseFrame } from './reply.js';
import { jsonFrame } from './sse.js';
import { chunkText } from './text.js';
import { resolveTurn, responsesStatus, type Turn } from './turn.js';

type Item = Record<string, unknown> & { id: string; type: string };
type Emit = (type: string, payload: Record<string, unknown>) => void;

/** One output item: its final shape and the events that stream it. */
interface PlannedItem {
  item: Item;
  /** Emits the item's events between `output_item.added` and `output_item.done`. */
  stream: (emit: Emit, outputIndex: number, chunkSize: number) => void;
  /** The item as announced by `output_item.added`. */
  added: Item;
}

/** Responses `usage` of a turn. */
export function responsesUsage(turn: Turn): Record<string, unknown> {
  const { usage } = turn;
  return {
    input_tokens: usage.inputTokens,
    input_tokens_details: {
      cached_tokens: usage.cacheReadInputTokens,
      cache_write_tokens: usage.cacheWriteInputTokens,
    },
    output_tokens: usage.outputTokens,
    output_tokens_details: { reasoning_tokens: usage.reasoningOutputTokens },
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
}

function planItems(turn: Turn, ids: RenderContext['ids']): PlannedItem[] {
  const planned: PlannedItem[] = [];
  const { reasoning, text } = turn;
  if (reasoning !== undefined) {
    const id = ids.next('rs_');
    planned.push({
      item: { id, type: 'reasoning', summary: [{ type: 'summary_text', text: reasoning }] },
      added: { id, type: 'reasoning', summary: [] },
      stream: (emit, output_index, chunkSize) => {
        const at = { item_id: id, output_index, summary_index: 0 };
        emit('response.reasoning_summary_part.added', { ...at, part: { type: 'summary_text', text: '' } });
        for (const delta of chunkText(reasoning, chunkSize)) {
          emit('response.reasoning_summary_text.delta', { ...at, delta });
        }
        emit('response.reasoning_summary_text.done', { ...at, text: reasoning });
        emit('response.reasoning_summary_part.done', {
          ...at,
          part: { type: 'summary_text', text: reasoning },
        });
      },
    });
  }
  if (text !== undefined) {
    const id = ids.next('msg_');
    const part = (value: string) => ({ type: 'output_text', text: value, annotations: [], logprobs: [] });
    const message = (status: string, content: unknown[]): Item => ({
      id,
      type: 'message',
      status,
      role: 'assistant',
      content,
    });
    planned.push({
      item: message('completed', [part(text)]),
      added: message('in_progress', []),
      stream: (emit, output_index, chunkSize) => {
        const at = { item_id: id, output_index, content_index: 0 };
        emit('response.content_part.added', { ...at, part: part('') });
        for (const delta of chunkText(text, chunkSize)) {
          emit('response.output_text.delta', { ...at, delta, logprobs: [] });
        }
        emit('response.output_text.done', { ...at, text, logprobs: [] });
        emit('response.content_part.done', { ...at, part: part(text) });
      },
    });
  }
  for (const call of turn.toolCalls) {
    const id = ids.next('fc_');
    const functionCall = (status: string, args: string): Item => ({
      id,
      type: 'function_call',
      status,
      arguments: args,
      call_id: call.id,
      name: call.name,
    });
    planned.push({
      item: functionCall('completed', call.arguments),
      added: functionCall('in_progress', ''),
      stream: (emit, output_index, chunkSize) => {
        for (const delta of chunkText(call.arguments, chunkSize)) {
          emit('response.function_call_arguments.delta', { item_id: id, output_index, delta });
        }
        emit('response.function_call_arguments.done', {
          item_id: id,
          output_index,
          arguments: call.arguments,
        });
      },
    });
  }
  return planned;
}

/** Renders a Responses API response (JSON, or SSE when the request has `stream: true`). */
export function renderResponses({ request, body, script, ids }: RenderContext): Reply {
  const turn = resolveTurn(script, body, ids, 'call_');
  const id = turn.id ?? ids.next('resp_');
  const createdAt = Math.floor(Date.now() / 1000);
  const planned = planItems(turn, ids);
  const { status, incompleteDetails } = responsesStatus(turn.finishReason);

  const response = (state: 'in_progress' | 'completed' | 'incomplete', output: Item[]) => ({
    id,
    object: 'response',
    created_at: createdAt,
    status: state,
    background: false,
    completed_at: state === 'in_progress' ? null : createdAt,
    error: null,
    incomplete_details: state === 'incomplete' ? incompleteDetails : null,
    instructions: body['instructions'] ?? null,
    max_output_tokens: body['max_output_tokens'] ?? null,
    metadata: body['metadata'] ?? {},
    model: turn.model,
    output,
    parallel_tool_calls: body['parallel_tool_calls'] ?? true,
    previous_response_id: body['previous_response_id'] ?? null,
    reasoning: {
      effort: body['reasoning']?.['effort'] ?? null,
      summary: body['reasoning']?.['summary'] ?? null,
    },
    service_tier: turn.serviceTier,
    store: body['store'] ?? true,
    temperature: body['temperature'] ?? 1,
    text: body['text'] ?? { format: { type: 'text' } },
    tool_choice: body['tool_choice'] ?? 'auto',
    tools: body['tools'] ?? [],
    top_p: body['top_p'] ?? 1,
    truncation: body['truncation'] ?? 'disabled',
    usage: state === 'in_progress' ? null : responsesUsage(turn),
    user: body['user'] ?? null,
  });

  const output = planned.map((entry) => entry.item);
  if (!request.stream) return { kind: 'json', status: 200, body: response(status, output) };

  const frames: SseFrame[] = [];
  const emit: Emit = (type, payload) =>
    frames.push(jsonFrame({ type, sequence_number: frames.length, ...payload }, type));
  emit('response.created', { response: response('in_progress', []) });
  emit('response.in_progress', { response: response('in_progress', []) });
  planned.forEach((entry, output_index) => {
    emit('response.output_item.added', { output_index, item: entry.added });
    entry.stream(emit, output_index, turn.chunkSize);
    emit('response.output_item.done', { output_index, item: entry.item });
  });
  emit(status === 'completed' ? 'response.completed' : 'response.incomplete', {
    response: response(status, output),
  });

  return {
    kind: 'sse',
    frames,
    errorFrame: (error, index) => {
      const { message, code, param } = resolveError('openai', error);
      return jsonFrame({ type: 'error', code, message, param, sequence_number: index }, 'error');
    },
  };
}
