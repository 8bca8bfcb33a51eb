import {
  anthropicSystemInstructions,
  anthropicToolDefinitions,
  serverAddressFromURL,
} from '@agent-otel/core/instrumentation';
import { GEN_AI_PROVIDER_NAME_VALUE_ANTHROPIC } from '@agent-otel/core/semconv';
import { type AgentSpan, type GenerationSpanData } from '@agent-otel/core';
import type { AnthropicClientLike, RequestOptionsLike } from './internal-types.js';
import { ATTR_ANTHROPIC_THINKING_BUDGET_TOKENS, ATTR_ANTHROPIC_THINKING_TYPE, isRecord } from './utils.js';

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function stopSequencesOf(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const strings = value.filter((item): item is string => typeof item === 'string');
  return strings.length > 0 ? strings : undefined;
}

/** `gen_ai.output.type` of a request asking for structured output (`output_config.format` or the beta's `output_format`). */
function outputTypeOf(params: Record<string, unknown>): string | undefined {
  const config = params.output_config;
  const format = isRecord(config) ? config.format : params.output_format;
  return isRecord(format) && format.type === 'json_schema' ? 'json' : undefined;
}

/**
 * The span data of a `messages.create` call from its parameters, client and request options.
 * Content (system, messages, tools) is included only when `captureContent` is true, so a call
 * traced without content does not keep the request's payload alive.
 */
export function requestSpanData(
  params: unknown,
  client: AnthropicClientLike | undefined,
  options: RequestOptionsLike | undefined,
  captureContent: boolean,
): GenerationSpanData {
  const p = isRecord(params) ? params : {};
  const data: GenerationSpanData = {
    type: 'generation',
    operation: 'chat',
    provider: stringOf(client?._genAIProviderName) ?? GEN_AI_PROVIDER_NAME_VALUE_ANTHROPIC,
    ...serverAddressFromURL(client?.baseURL),
  };
  const set = <K extends keyof GenerationSpanData>(key: K, value: GenerationSpanData[K] | undefined) => {
    if (value !== undefined) data[key] = value;
  };
  set('model', stringOf(p.model));
  set('maxTokens', numberOf(p.max_tokens));
  set('temperature', numberOf(p.temperature));
  set('topP', numberOf(p.top_p));
  set('topK', numberOf(p.top_k));
  set('stopSequences', stopSequencesOf(p.stop_sequences));
  if (p.stream === true) data.stream = true;
  const outputConfig = p.output_config;
  set('reasoningLevel', isRecord(outputConfig) ? stringOf(outputConfig.effort) : undefined);
  set('outputType', outputTypeOf(p));
  const openTelemetry = options?.openTelemetry;
  set('conversationId', isRecord(openTelemetry) ? stringOf(openTelemetry.conversationId) : undefined);
  if (captureContent) {
    set('systemInstructions', anthropicSystemInstructions(p.system));
    set('input', p.messages);
    set('toolDefinitions', anthropicToolDefinitions(p.tools));
  }
  return data;
}

/**
 * Sets the Anthropic-specific request attributes with no GenAI equivalent, the extended-thinking
 * settings, on the call's span (straight onto it: most requests have none, and no object is made).
 */
export function setThinkingAttributes(span: AgentSpan, params: unknown): void {
  const thinking = isRecord(params) ? params.thinking : undefined;
  if (!isRecord(thinking)) return;
  const type = stringOf(thinking.type);
  if (type !== undefined) span.setAttribute(ATTR_ANTHROPIC_THINKING_TYPE, type);
  const budget = numberOf(thinking.budget_tokens);
  if (budget !== undefined) span.setAttribute(ATTR_ANTHROPIC_THINKING_BUDGET_TOKENS, budget);
}
