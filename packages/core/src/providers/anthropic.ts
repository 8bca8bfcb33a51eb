/*
 * Converters from the Anthropic Messages API format (`@anthropic-ai/sdk`, or any Anthropic-shaped
 * payload) to agent-otel span data. Adapters call these so the format's rules live in one place.
 */
import { textPart, toMessagePart } from '../content/message-parts.js';
import { normalizeFinishReason, type FinishReason, type MessagePart } from '../content/messages.js';
import type { TokenUsage } from '../usage/usage.js';
import { isRecord, numberOf } from '../values.js';

/**
 * Token usage from an Anthropic `usage` object. The API reports cache reads and writes apart from
 * `input_tokens`; the semantic conventions count them in, so `inputTokens` is `input_tokens +
 * cache_read_input_tokens + cache_creation_input_tokens`. Reasoning tokens come from
 * `output_tokens_details.thinking_tokens` when the API sends it. Fields the API did not send stay
 * unset (nothing is estimated). Returns `undefined` for anything that is not a usage object.
 */
export function anthropicUsage(usage: unknown): TokenUsage | undefined {
  if (!isRecord(usage)) return undefined;
  const input = numberOf(usage.input_tokens);
  const cacheRead = numberOf(usage.cache_read_input_tokens);
  const cacheWrite = numberOf(usage.cache_creation_input_tokens);
  const result: TokenUsage = {};
  if (input !== undefined || cacheRead !== undefined || cacheWrite !== undefined) {
    result.inputTokens = (input ?? 0) + (cacheRead ?? 0) + (cacheWrite ?? 0);
  }
  if (cacheRead !== undefined) result.cacheReadInputTokens = cacheRead;
  if (cacheWrite !== undefined) result.cacheWriteInputTokens = cacheWrite;
  const output = numberOf(usage.output_tokens);
  if (output !== undefined) result.outputTokens = output;
  const details = usage.output_tokens_details;
  const thinking = isRecord(details) ? numberOf(details.thinking_tokens) : undefined;
  if (thinking !== undefined) result.reasoningOutputTokens = thinking;
  // Cache counts imply an input count, so these three say whether anything was counted.
  return result.inputTokens !== undefined || output !== undefined || thinking !== undefined
    ? result
    : undefined;
}

/**
 * `gen_ai.response.finish_reasons` from an Anthropic `stop_reason`: `end_turn`/`stop_sequence` →
 * `stop`, `max_tokens` → `length`, `tool_use` → `tool_call`, `refusal` → `content_filter`; other
 * values (e.g. `pause_turn`) pass through. `undefined` when there is no stop reason yet.
 */
export function anthropicFinishReasons(stopReason: unknown): FinishReason[] | undefined {
  return typeof stopReason === 'string' && stopReason !== ''
    ? [normalizeFinishReason(stopReason)]
    : undefined;
}

/**
 * `gen_ai.system_instructions` from the Messages API `system` parameter: a string, or an array of
 * text blocks (with optional `cache_control`, which is dropped). `undefined` when absent.
 */
export function anthropicSystemInstructions(system: unknown): MessagePart[] | undefined {
  if (system == null) return undefined;
  if (typeof system === 'string') return [textPart(system)];
  if (Array.isArray(system)) return system.map(toMessagePart);
  return [toMessagePart(system)];
}

/** One tool definition in the semantic-convention shape. */
export interface AnthropicToolDefinition {
  type: string;
  name: string;
  description?: string;
  parameters?: unknown;
}

/**
 * `gen_ai.tool.definitions` from the Messages API `tools` parameter: client tools (`{name,
 * description, input_schema}`) become `{type: 'function', name, description, parameters}`;
 * server tools (e.g. `{type: 'web_search_20250305', name: 'web_search', …}`) keep only their type
 * and name. `undefined` when there are no tools.
 */
export function anthropicToolDefinitions(tools: unknown): AnthropicToolDefinition[] | undefined {
  if (!Array.isArray(tools) || tools.length === 0) return undefined;
  return tools.filter(isRecord).map((tool) => {
    const name = typeof tool.name === 'string' ? tool.name : '';
    if (tool.type == null || tool.type === 'custom') {
      const definition: AnthropicToolDefinition = { type: 'function', name };
      if (typeof tool.description === 'string') definition.description = tool.description;
      if (tool.input_schema !== undefined) definition.parameters = tool.input_schema;
      return definition;
    }
    return { type: String(tool.type), name };
  });
}

/**
 * The output message of an Anthropic `message` (its `content` blocks and `stop_reason`), in a shape
 * `toOutputMessages` (and so the span mapping) understands: text, `tool_use` (→ tool call),
 * `thinking` (→ reasoning) and other blocks (kept as typed generic parts).
 */
export function anthropicOutputMessage(content: unknown, stopReason: unknown): Record<string, unknown> {
  const message: Record<string, unknown> = {
    role: 'assistant',
    content: Array.isArray(content) ? content : [],
  };
  if (typeof stopReason === 'string' && stopReason !== '') message.stop_reason = stopReason;
  return message;
}
