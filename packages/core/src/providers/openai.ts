/*
 * Converters from the OpenAI API formats (Chat Completions, Responses, Embeddings, audio; the `openai`
 * SDK or any OpenAI-shaped payload) to agent-otel span data. Adapters (the `openai` instrumentation,
 * the Agents SDK bridge) call these, so the format's rules live in one place.
 */
import {
  genericPart,
  parseArguments,
  textPart,
  toMessagePart,
  toolResponse,
} from '../content/message-parts.js';
import {
  normalizeFinishReason,
  type ChatMessage,
  type FinishReason,
  type MessagePart,
  type OutputMessage,
} from '../content/messages.js';
import type { ModalityUsage, TokenUsage } from '../usage/usage.js';

type Modalities = NonNullable<TokenUsage['modalities']>;
type Modality = keyof Modalities;
import { isRecord, numberOf } from '../values.js';

function detail(details: unknown, key: string): number | undefined {
  return isRecord(details) ? numberOf(details[key]) : undefined;
}

/** The modalities and the `*_details` field that counts each one's tokens. */
const MODALITY_FIELDS: readonly (readonly [Modality, string])[] = [
  ['text', 'text_tokens'],
  ['image', 'image_tokens'],
  ['audio', 'audio_tokens'],
];

/** The first of `keys` that holds an object in `usage`. */
function details(usage: Record<string, unknown>, ...keys: string[]): Record<string, unknown> | undefined {
  for (const key of keys) {
    const value = usage[key];
    if (isRecord(value)) return value;
  }
  return undefined;
}

function setCount(
  modalities: Modalities,
  modality: Modality,
  field: keyof ModalityUsage,
  value: number | undefined,
): void {
  if (value === undefined) return;
  (modalities[modality] ??= {})[field] = value;
}

/**
 * The per-modality breakdown of an OpenAI `usage` object, as far as the API reports one:
 * `{text,image,audio}_tokens` of the input details (Chat Completions `prompt_tokens_details`,
 * Responses `input_tokens_details`, transcriptions and Realtime `input_token_details`), the same
 * counts of cached input under `cached_tokens_details` (Realtime), and of the output details
 * (`completion_tokens_details`, `output_tokens_details`, `output_token_details`). Only counts the API
 * sent are set: text is never derived as the total minus the other modalities (what is not broken
 * down is counted as `unknown` by the metrics). `undefined` when there is no breakdown.
 */
export function openAIModalities(usage: unknown): Modalities | undefined {
  if (!isRecord(usage)) return undefined;
  const modalities: Modalities = {};
  const input = details(usage, 'input_tokens_details', 'prompt_tokens_details', 'input_token_details');
  const output = details(usage, 'output_tokens_details', 'completion_tokens_details', 'output_token_details');
  const cached = input && details(input, 'cached_tokens_details');
  for (const [modality, key] of MODALITY_FIELDS) {
    if (input) setCount(modalities, modality, 'inputTokens', numberOf(input[key]));
    if (cached) setCount(modalities, modality, 'cacheReadInputTokens', numberOf(cached[key]));
    if (output) setCount(modalities, modality, 'outputTokens', numberOf(output[key]));
  }
  return Object.keys(modalities).length > 0 ? modalities : undefined;
}

/**
 * Token usage from an OpenAI `usage` object, in any of its shapes: Chat Completions and Embeddings
 * (`prompt_tokens`, `completion_tokens`, `prompt_tokens_details.cached_tokens`,
 * `completion_tokens_details.reasoning_tokens`), Responses and transcriptions (`input_tokens`,
 * `output_tokens`, `input_tokens_details.cached_tokens`, `output_tokens_details.reasoning_tokens`).
 * OpenAI counts cached tokens inside the input and reasoning tokens inside the output, as the semantic
 * conventions do, so the numbers are taken as they are. The per-modality breakdown, where the API
 * reports one, is {@link openAIModalities}. Fields the API did not send stay unset (nothing
 * is estimated). Returns `undefined` for anything that is not a usage object with token counts (e.g. a
 * transcription billed by duration).
 */
export function openAIUsage(usage: unknown): TokenUsage | undefined {
  if (!isRecord(usage)) return undefined;
  const result: TokenUsage = {};
  const input = numberOf(usage.input_tokens) ?? numberOf(usage.prompt_tokens);
  if (input !== undefined) result.inputTokens = input;
  const output = numberOf(usage.output_tokens) ?? numberOf(usage.completion_tokens);
  if (output !== undefined) result.outputTokens = output;
  const inputDetails = usage.input_tokens_details ?? usage.prompt_tokens_details;
  const cacheRead = detail(inputDetails, 'cached_tokens');
  if (cacheRead !== undefined) result.cacheReadInputTokens = cacheRead;
  const cacheWrite = detail(inputDetails, 'cache_write_tokens');
  if (cacheWrite !== undefined) result.cacheWriteInputTokens = cacheWrite;
  const reasoning = detail(
    usage.output_tokens_details ?? usage.completion_tokens_details,
    'reasoning_tokens',
  );
  if (reasoning !== undefined) result.reasoningOutputTokens = reasoning;
  const modalities = openAIModalities(usage);
  if (modalities !== undefined) result.modalities = modalities;
  const counted =
    input !== undefined ||
    output !== undefined ||
    cacheRead !== undefined ||
    cacheWrite !== undefined ||
    reasoning !== undefined;
  return counted ? result : undefined;
}

/**
 * `gen_ai.response.finish_reasons` from Chat Completions `choices` (or streamed choice states): one
 * reason per choice, in `index` order, mapped onto the semconv values (`tool_calls` → `tool_call`;
 * `stop`, `length`, `content_filter` unchanged). Choices without a reason are skipped; `undefined` when
 * none has one.
 */
export function openAIFinishReasons(choices: unknown): FinishReason[] | undefined {
  if (!Array.isArray(choices)) return undefined;
  if (choices.length === 1) {
    // The usual reply: one choice, nothing to order.
    const reason = finishReasonOf(choices[0]);
    return reason === undefined ? undefined : [reason];
  }
  const ordered = choices
    .filter(isRecord)
    .map((choice, position) => ({ choice, index: numberOf(choice.index) ?? position }))
    .sort((a, b) => a.index - b.index);
  const reasons: FinishReason[] = [];
  for (const { choice } of ordered) {
    const reason = finishReasonOf(choice);
    if (reason !== undefined) reasons.push(reason);
  }
  return reasons.length > 0 ? reasons : undefined;
}

function finishReasonOf(choice: unknown): FinishReason | undefined {
  if (!isRecord(choice)) return undefined;
  const reason = choice.finish_reason;
  return typeof reason === 'string' && reason !== '' ? normalizeFinishReason(reason) : undefined;
}

/**
 * The finish reason of a Responses API `response`, which has a status instead: `completed` → `stop`
 * (`tool_call` when the output asks for a function or custom tool call), `incomplete` →
 * `length` (`max_output_tokens`) or `content_filter`, `failed` → `error`; other statuses (`cancelled`)
 * pass through; `undefined` while the response is still in progress or has no status.
 */
export function openAIResponsesFinishReason(response: unknown): FinishReason | undefined {
  if (!isRecord(response)) return undefined;
  switch (response.status) {
    case 'completed': {
      const output = Array.isArray(response.output) ? response.output : [];
      const callsTool = output.some(
        (item) => isRecord(item) && (item.type === 'function_call' || item.type === 'custom_tool_call'),
      );
      return callsTool ? 'tool_call' : 'stop';
    }
    case 'incomplete': {
      const reason = isRecord(response.incomplete_details) ? response.incomplete_details.reason : undefined;
      if (reason === 'max_output_tokens') return 'length';
      return typeof reason === 'string' && reason !== '' ? normalizeFinishReason(reason) : 'length';
    }
    case 'failed':
      return 'error';
    case 'queued':
    case 'in_progress':
    case undefined:
    case null:
      return undefined;
    default:
      return typeof response.status === 'string' ? response.status : undefined;
  }
}

/** One tool definition in the semantic-convention shape. */
export interface OpenAIToolDefinition {
  type: string;
  name: string;
  description?: string;
  parameters?: unknown;
}

/**
 * `gen_ai.tool.definitions` from the `tools` parameter of Chat Completions (`{type: 'function',
 * function: {name, description, parameters}}`, `{type: 'custom', custom: {...}}`) or Responses
 * (`{type: 'function', name, description, parameters}`; built-in tools such as `{type: 'web_search'}`
 * keep their type, named by their `name`, `server_label` or type). `undefined` when there are no tools.
 */
export function openAIToolDefinitions(tools: unknown): OpenAIToolDefinition[] | undefined {
  if (!Array.isArray(tools) || tools.length === 0) return undefined;
  return tools.filter(isRecord).map((tool) => {
    const type = typeof tool.type === 'string' ? tool.type : 'function';
    const inner = isRecord(tool.function) ? tool.function : isRecord(tool.custom) ? tool.custom : tool;
    const name = [inner.name, tool.server_label, type].find((value) => typeof value === 'string') as string;
    const definition: OpenAIToolDefinition = { type, name };
    if (typeof inner.description === 'string') definition.description = inner.description;
    if (type === 'function' && inner.parameters !== undefined) definition.parameters = inner.parameters;
    return definition;
  });
}

/**
 * `gen_ai.output.type` from a requested output format: Chat Completions `response_format` or
 * Responses `text.format` (`json_object`/`json_schema` → `json`, `text` → `text`), or Chat
 * `modalities` including `audio` (→ `speech`). `undefined` when the request names no format.
 */
export function openAIOutputType(format: unknown, modalities?: unknown): string | undefined {
  if (Array.isArray(modalities) && modalities.includes('audio')) return 'speech';
  const type = isRecord(format) ? format.type : undefined;
  if (type === 'json_object' || type === 'json_schema') return 'json';
  if (type === 'text') return 'text';
  return undefined;
}

/** `gen_ai.system_instructions` from the Responses `instructions` parameter (a string or input items). */
export function openAIResponsesSystemInstructions(instructions: unknown): MessagePart[] | undefined {
  if (instructions == null || instructions === '') return undefined;
  if (typeof instructions === 'string') return [textPart(instructions)];
  return openAIResponsesInputMessages(instructions).flatMap((message) => message.parts);
}

/** Item types the model produces (they are the assistant's part of a conversation). */
function isModelItem(type: string): boolean {
  return (
    type === 'reasoning' || type === 'function_call' || type === 'custom_tool_call' || type.endsWith('_call')
  );
}

function reasoningText(item: Record<string, unknown>): string {
  const pieces = [item.summary, item.content]
    .filter(Array.isArray)
    .flatMap((list: unknown[]) => list)
    .map((part) => (isRecord(part) && typeof part.text === 'string' ? part.text : ''))
    .filter((text) => text !== '');
  return pieces.join('\n');
}

/** The parts one Responses item contributes, and the role of the message they belong to. */
function itemParts(item: unknown): { role: string; parts: MessagePart[] } {
  if (typeof item === 'string') return { role: 'user', parts: [textPart(item)] };
  if (!isRecord(item)) return { role: 'user', parts: [genericPart(item)] };
  const type = typeof item.type === 'string' ? item.type : 'message';
  switch (type) {
    case 'message': {
      const role = typeof item.role === 'string' && item.role !== '' ? item.role : 'user';
      const content = item.content;
      const parts =
        typeof content === 'string'
          ? [textPart(content)]
          : Array.isArray(content)
            ? content.map(toMessagePart)
            : content == null
              ? []
              : [toMessagePart(content)];
      return { role, parts };
    }
    case 'reasoning':
      return { role: 'assistant', parts: [{ type: 'reasoning', content: reasoningText(item) }] };
    case 'function_call':
      return { role: 'assistant', parts: [toMessagePart(item)] };
    case 'custom_tool_call':
      return {
        role: 'assistant',
        parts: [
          {
            type: 'tool_call',
            ...(typeof item.call_id === 'string' ? { id: item.call_id } : {}),
            name: typeof item.name === 'string' ? item.name : '',
            arguments: parseArguments(item.input),
          },
        ],
      };
    case 'function_call_output':
    case 'custom_tool_call_output':
      return { role: 'tool', parts: [toolResponse(item.call_id, item.output)] };
    default: {
      const role = isModelItem(type) ? 'assistant' : type.endsWith('_output') ? 'tool' : 'user';
      return { role, parts: [toMessagePart(item)] };
    }
  }
}

/**
 * `gen_ai.input.messages` from the Responses `input` parameter: a string (one user message) or a list
 * of input items. Message items keep their role (`user`, `system`, `developer`, `assistant`);
 * consecutive items the model produced (`reasoning`, `function_call`, built-in tool calls, assistant
 * messages) form one assistant message, as they were one turn; `function_call_output` items become
 * `tool` messages with a `tool_call_response` part. Never throws.
 */
export function openAIResponsesInputMessages(input: unknown): ChatMessage[] {
  try {
    if (input == null) return [];
    const items = Array.isArray(input) ? input : [input];
    const messages: ChatMessage[] = [];
    for (const item of items) {
      const { role, parts } = itemParts(item);
      const previous = messages.at(-1);
      if (role === 'assistant' && previous?.role === 'assistant') previous.parts.push(...parts);
      else messages.push({ role, parts });
    }
    return messages;
  } catch {
    return [{ role: 'user', parts: [genericPart(input)] }];
  }
}

/**
 * `gen_ai.input.messages` from the legacy Completions `prompt`: a string is one user message, a list
 * of strings one user message per prompt (the API completes each); token-id prompts (a list of
 * numbers, or a list of such lists) are kept as they were sent, one generic part per prompt. Never
 * throws.
 */
export function openAICompletionPromptMessages(prompt: unknown): ChatMessage[] {
  try {
    if (prompt == null) return [];
    if (typeof prompt === 'string') return [{ role: 'user', parts: [textPart(prompt)] }];
    if (!Array.isArray(prompt) || prompt.length === 0 || typeof prompt[0] === 'number') {
      return [{ role: 'user', parts: [genericPart(prompt)] }];
    }
    return prompt.map((item) => ({
      role: 'user',
      parts: [typeof item === 'string' ? textPart(item) : genericPart(item)],
    }));
  } catch {
    return [{ role: 'user', parts: [genericPart(prompt)] }];
  }
}

/**
 * `gen_ai.output.messages` from a Responses API `response` (or its `output` items): one assistant
 * message holding every output item's parts in order (reasoning, text, tool calls), with the finish
 * reason of {@link openAIResponsesFinishReason} (or `finishReason`, default `stop`). `[]` when there
 * is no output. Never throws.
 */
export function openAIResponsesOutputMessages(response: unknown, finishReason?: string): OutputMessage[] {
  try {
    const output = Array.isArray(response) ? response : isRecord(response) ? response.output : undefined;
    if (!Array.isArray(output) || output.length === 0) return [];
    const parts = output.flatMap((item) => itemParts(item).parts);
    const reason =
      finishReason ?? (Array.isArray(response) ? undefined : openAIResponsesFinishReason(response));
    return [{ role: 'assistant', parts, finish_reason: reason ?? 'stop' }];
  } catch {
    return [{ role: 'assistant', parts: [genericPart(response)], finish_reason: finishReason ?? 'stop' }];
  }
}

/**
 * `error.type` of an OpenAI SDK error: the HTTP status as a string when the error carries one (`429`,
 * `500`), else `undefined` so the caller falls back to the error's class name (`APIConnectionError`,
 * `APIUserAbortError`, an in-stream `APIError` without status).
 */
export function openAIErrorType(error: unknown): string | undefined {
  try {
    const status = (error as { status?: unknown } | null)?.status;
    return typeof status === 'number' && Number.isInteger(status) && status > 0 ? String(status) : undefined;
  } catch {
    return undefined;
  }
}
