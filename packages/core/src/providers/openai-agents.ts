/*
 * Converters from the OpenAI Agents SDK's own data shapes (its run items and span usage) to agent-otel
 * span data. The SDK's items are the Responses API items in camelCase with a few types of their own;
 * they are brought to the wire shape and then read by the Responses converters in ./openai.ts, so the
 * format's rules stay in one place.
 */
import type { ChatMessage } from '../content/messages.js';
import type { TokenUsage } from '../usage/usage.js';
import { isRecord, numberOf } from '../values.js';
import { openAIResponsesInputMessages, openAIUsage } from './openai.js';

type Rec = Record<string, unknown>;

/** Text of an SDK tool output: a string, `{type: 'text', text}`, or a list of those. */
function toolOutputText(output: unknown): unknown {
  if (typeof output === 'string') return output;
  if (isRecord(output) && output.type === 'text' && typeof output.text === 'string') return output.text;
  if (Array.isArray(output) && output.every((part) => isRecord(part) && typeof part.text === 'string')) {
    return output.map((part) => (part as Rec).text as string).join('');
  }
  return output;
}

/** One SDK content part in the Responses wire shape (`image` → `image_url`/`file_id`, `file` → `file_*`). */
function wirePart(part: unknown): unknown {
  if (!isRecord(part)) return part;
  if (part.type === 'input_image' && part.image_url === undefined && part.file_id === undefined) {
    const image = part.image ?? part.imageUrl;
    if (typeof image === 'string') return { type: 'input_image', image_url: image };
    if (isRecord(image) && typeof image.id === 'string') return { type: 'input_image', file_id: image.id };
  }
  if (part.type === 'input_file' && part.file !== undefined) {
    const file = part.file;
    if (typeof file === 'string') {
      return file.startsWith('data:')
        ? { type: 'input_file', file_data: file }
        : { type: 'input_file', file_url: file };
    }
    if (isRecord(file) && typeof file.id === 'string') return { type: 'input_file', file_id: file.id };
    if (isRecord(file) && typeof file.url === 'string') return { type: 'input_file', file_url: file.url };
  }
  return part;
}

/** One SDK run item in the Responses wire shape. */
function wireItem(item: unknown): unknown {
  if (!isRecord(item)) return item;
  switch (item.type) {
    case 'function_call':
      return { ...item, call_id: item.call_id ?? item.callId };
    case 'function_call_result':
      return {
        type: 'function_call_output',
        call_id: item.call_id ?? item.callId,
        output: toolOutputText(item.output),
      };
    case 'message':
    case undefined:
      return Array.isArray(item.content) ? { ...item, content: item.content.map(wirePart) } : item;
    default:
      return item;
  }
}

/**
 * `gen_ai.input.messages` from the input the OpenAI Agents SDK gives a model (a `response` span's
 * `_input`: a string or a list of the SDK's run items — messages, `function_call` with `callId`,
 * `function_call_result`, `reasoning`, hosted tool calls). The items are brought to the Responses wire
 * shape and read by {@link openAIResponsesInputMessages}: consecutive model items form one assistant
 * message, tool results become `tool` messages. Never throws.
 */
export function openAIAgentsInputMessages(input: unknown): ChatMessage[] {
  try {
    return openAIResponsesInputMessages(Array.isArray(input) ? input.map(wireItem) : wireItem(input));
  } catch {
    return openAIResponsesInputMessages(input);
  }
}

/**
 * Token usage from an OpenAI Agents SDK span: a `generation` span's `usage` (`input_tokens`,
 * `output_tokens`, details under `details` or `input_tokens_details`/`output_tokens_details`), or the
 * usage of a `task`/`turn` span (`cached_input_tokens`, `cache_write_input_tokens`). Raw OpenAI usage
 * objects are read by {@link openAIUsage}. `undefined` when there is no token count.
 */
export function openAIAgentsUsage(usage: unknown): TokenUsage | undefined {
  if (!isRecord(usage)) return undefined;
  const result: TokenUsage = { ...openAIUsage(usage) };
  const details = isRecord(usage.details) ? usage.details : {};
  const cacheRead =
    numberOf(usage.cached_input_tokens) ??
    numberOf(details.cached_tokens) ??
    numberOf(details.cached_input_tokens) ??
    (isRecord(details.input_tokens_details)
      ? numberOf(details.input_tokens_details.cached_tokens)
      : undefined);
  if (result.cacheReadInputTokens === undefined && cacheRead !== undefined) {
    result.cacheReadInputTokens = cacheRead;
  }
  const cacheWrite = numberOf(usage.cache_write_input_tokens) ?? numberOf(details.cache_write_tokens);
  if (result.cacheWriteInputTokens === undefined && cacheWrite !== undefined) {
    result.cacheWriteInputTokens = cacheWrite;
  }
  const reasoning =
    numberOf(details.reasoning_tokens) ??
    (isRecord(details.output_tokens_details)
      ? numberOf(details.output_tokens_details.reasoning_tokens)
      : undefined);
  if (result.reasoningOutputTokens === undefined && reasoning !== undefined) {
    result.reasoningOutputTokens = reasoning;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}
