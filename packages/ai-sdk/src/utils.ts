import type { ChatMessage, MessagePart, OutputMessage, TokenUsage } from '@agent-otel/core';
import { isRecord, normalizeFinishReason, openAIUsage, safeString } from '@agent-otel/core/instrumentation';
import { diag } from '@opentelemetry/api';
import type { ContentPartLike, LanguageModelUsage } from './internal-types.js';
import type { AiSdkOtelIntegrationRule } from './types.js';

/** Environment variable giving the default of the `otelIntegration` option. */
export const OTEL_INTEGRATION_ENV = 'AGENT_OTEL_AI_SDK_OTEL_INTEGRATION';
/** The `otelIntegration` rule when neither the option nor the environment gives one. */
export const DEFAULT_OTEL_INTEGRATION: AiSdkOtelIntegrationRule = 'defer';
const OTEL_INTEGRATION_VALUES: readonly AiSdkOtelIntegrationRule[] = ['defer', 'keep'];

function isRule(value: unknown): value is AiSdkOtelIntegrationRule {
  return OTEL_INTEGRATION_VALUES.includes(value as AiSdkOtelIntegrationRule);
}

/**
 * The `otelIntegration` rule in force: the option if valid, else `AGENT_OTEL_AI_SDK_OTEL_INTEGRATION`
 * if valid, else `defer`. An invalid value is reported with `diag.warn`, naming the setting. Never throws.
 */
export function resolveOtelIntegration(
  option: unknown,
  env: Readonly<Record<string, string | undefined>> = process.env,
): AiSdkOtelIntegrationRule {
  if (isRule(option)) return option;
  if (option !== undefined) {
    diag.warn(
      `@agent-otel/ai-sdk: otelIntegration ${String(option)} is not one of ${OTEL_INTEGRATION_VALUES.join(', ')}; ignored`,
    );
  }
  const raw = env[OTEL_INTEGRATION_ENV]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return DEFAULT_OTEL_INTEGRATION;
  if (isRule(raw)) return raw;
  diag.warn(
    `@agent-otel/ai-sdk: ${OTEL_INTEGRATION_ENV}=${JSON.stringify(raw)} is not one of ${OTEL_INTEGRATION_VALUES.join(', ')}; using ${DEFAULT_OTEL_INTEGRATION}`,
  );
  return DEFAULT_OTEL_INTEGRATION;
}

/** The class names of `@ai-sdk/otel`'s integrations. */
const AI_SDK_OTEL_CLASSES: ReadonlySet<string> = new Set(['OpenTelemetry', 'LegacyOpenTelemetry']);

/** The integrations registered with the SDK's `registerTelemetry` (its process-wide list). */
export function globalIntegrations(): readonly unknown[] {
  const list = (globalThis as { AI_SDK_TELEMETRY_INTEGRATIONS?: unknown }).AI_SDK_TELEMETRY_INTEGRATIONS;
  return Array.isArray(list) ? list : [];
}

/**
 * Marks the integrations of every copy of this package (its ESM and CommonJS builds, another version
 * with the same shape), which `instanceof` would tell apart.
 */
export const AGENT_OTEL_TELEMETRY_BRAND = Symbol.for('agent_otel.ai_sdk.telemetry.v1');

/** True for an agent-otel integration of any copy of this package. Never throws. */
export function isAgentOtelTelemetry(value: unknown): boolean {
  try {
    return (
      typeof value === 'object' &&
      value !== null &&
      (value as Record<symbol, unknown>)[AGENT_OTEL_TELEMETRY_BRAND] === true
    );
  } catch {
    return false;
  }
}

/** True for an instance of `@ai-sdk/otel`'s `OpenTelemetry` or `LegacyOpenTelemetry`. Never throws. */
export function isAiSdkOtelIntegration(value: unknown): boolean {
  try {
    const name = (value as { constructor?: { name?: unknown } } | null)?.constructor?.name;
    return typeof name === 'string' && AI_SDK_OTEL_CLASSES.has(name);
  } catch {
    return false;
  }
}

/**
 * `gen_ai.provider.name` for the SDK's provider id, per the v0.1.0 list: the first prefix that matches
 * the id (alone, or followed by `.` or `-`); an id no prefix matches is kept as it is.
 */
const PROVIDER_PREFIXES: readonly (readonly [string, string])[] = [
  ['google.vertex', 'gcp.vertex_ai'],
  ['google-vertex', 'gcp.vertex_ai'],
  ['vertex', 'gcp.vertex_ai'],
  ['google.generative-ai', 'gcp.gemini'],
  ['google', 'gcp.gemini'],
  ['amazon-bedrock', 'aws.bedrock'],
  ['bedrock', 'aws.bedrock'],
  ['azure-openai', 'azure.ai.openai'],
  ['azure', 'azure.ai.openai'],
  ['openai', 'openai'],
  ['anthropic', 'anthropic'],
  ['mistral', 'mistral_ai'],
  ['cohere', 'cohere'],
  ['groq', 'groq'],
  ['deepseek', 'deepseek'],
  ['perplexity', 'perplexity'],
  ['xai', 'x_ai'],
  ['moonshotai', 'moonshot_ai'],
  ['watsonx', 'ibm.watsonx.ai'],
];

/** Maps an AI SDK provider id (`openai.chat`, `anthropic.messages`, …) onto `gen_ai.provider.name`. */
export function providerName(providerId: unknown): string | undefined {
  if (typeof providerId !== 'string' || providerId === '') return undefined;
  const id = providerId.toLowerCase();
  for (const [prefix, name] of PROVIDER_PREFIXES) {
    if (id === prefix || id.startsWith(`${prefix}.`) || id.startsWith(`${prefix}-`)) return name;
  }
  return providerId;
}

/** `openai.api.type` of an OpenAI-family provider id, else `undefined`. */
export function openAIApiType(providerId: unknown): 'chat_completions' | 'responses' | undefined {
  if (typeof providerId !== 'string') return undefined;
  const name = providerName(providerId);
  if (name !== 'openai' && name !== 'azure.ai.openai') return undefined;
  if (providerId.endsWith('.responses')) return 'responses';
  if (providerId.endsWith('.chat')) return 'chat_completions';
  return undefined;
}

function count(value: unknown): number | undefined {
  return Number.isSafeInteger(value) && (value as number) >= 0 ? (value as number) : undefined;
}

/** Core's usage from the SDK's `LanguageModelUsage`; `undefined` when it reports no counts. */
export function tokenUsage(value: LanguageModelUsage | undefined): TokenUsage | undefined {
  if (!isRecord(value)) return undefined;
  const usage = value as LanguageModelUsage;
  const result: TokenUsage = {
    inputTokens: count(usage.inputTokens),
    outputTokens: count(usage.outputTokens),
    cacheReadInputTokens: count(usage.inputTokenDetails?.cacheReadTokens),
    cacheWriteInputTokens: count(usage.inputTokenDetails?.cacheWriteTokens),
    reasoningOutputTokens: count(usage.outputTokenDetails?.reasoningTokens),
  };
  return Object.values(result).some((value) => value !== undefined) ? result : undefined;
}

/**
 * Token usage of a speech or transcription call, which the SDK passes on as the provider reports it: the
 * OpenAI shape (`input_tokens`, `output_tokens`, `input_token_details.audio_tokens`, …) or the SDK's own
 * (`inputTokens`, `outputTokens`). Anything else (e.g. billing by duration) gives `undefined`.
 */
export function audioUsage(value: unknown): TokenUsage | undefined {
  const reported = openAIUsage(value);
  if (reported !== undefined || !isRecord(value)) return reported;
  const result: TokenUsage = {
    inputTokens: count(value.inputTokens),
    outputTokens: count(value.outputTokens),
  };
  return result.inputTokens !== undefined || result.outputTokens !== undefined ? result : undefined;
}

/** `wav` from `audio/wav`, `mp3` from `audio/mpeg`: the audio format a media type names. */
export function audioFormat(mediaType: unknown): string | undefined {
  if (typeof mediaType !== 'string') return undefined;
  const match = /^audio\/(?:x-)?([a-z0-9.+-]{1,16})/i.exec(mediaType.trim());
  if (!match) return undefined;
  const subtype = match[1]!.toLowerCase();
  return subtype === 'mpeg' ? 'mp3' : subtype;
}

/** The SDK's unified finish reason (`tool-calls`, `content-filter`, …) as a semconv value. */
export function finishReason(reason: unknown): string | undefined {
  if (typeof reason !== 'string' || reason === '') return undefined;
  return normalizeFinishReason(reason.replaceAll('-', '_'));
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : safeString(value);
}

/** A file or image part: a URI when the data is a URL, else inline data. */
function filePart(part: Record<string, unknown>, data: unknown): MessagePart {
  const mimeType =
    typeof part.mediaType === 'string'
      ? part.mediaType
      : typeof part.mimeType === 'string'
        ? part.mimeType
        : undefined;
  const modality =
    part.type === 'image' || mimeType?.startsWith('image/') ? 'image' : (mimeType?.split('/')[0] ?? 'file');
  if (data instanceof URL || (typeof data === 'string' && /^https?:\/\//.test(data))) {
    return { type: 'uri', mime_type: mimeType, modality, uri: String(data) };
  }
  const content =
    data instanceof Uint8Array
      ? Buffer.from(data).toString('base64')
      : typeof data === 'string'
        ? data
        : text(data);
  return { type: 'blob', mime_type: mimeType, modality, content };
}

/** The output of a tool result part (`{ type: 'text' | 'json' | …, value }`), as recorded. */
function toolResultValue(output: unknown): unknown {
  return isRecord(output) && 'value' in output ? output.value : output;
}

/** One AI SDK message or content part as a GenAI part. */
function messagePart(part: unknown): MessagePart {
  if (typeof part === 'string') return { type: 'text', content: part };
  if (!isRecord(part)) return { type: 'generic', content: text(part) };
  switch (part.type) {
    case 'text':
      return { type: 'text', content: text(part.text) };
    case 'reasoning':
      return { type: 'reasoning', content: text(part.text) };
    case 'tool-call':
      return {
        type: 'tool_call',
        id: part.toolCallId as string,
        name: text(part.toolName),
        arguments: part.input,
      };
    case 'tool-result':
      return {
        type: 'tool_call_response',
        id: part.toolCallId as string,
        response: toolResultValue(part.output),
      };
    case 'tool-error':
      return { type: 'tool_call_response', id: part.toolCallId as string, response: text(part.error) };
    case 'image':
      return filePart(part, part.image);
    case 'file':
      return filePart(part, part.data);
    default:
      return { type: text(part.type), content: text(part) };
  }
}

function partsOf(content: unknown): MessagePart[] {
  if (Array.isArray(content)) return content.map(messagePart);
  return content == null ? [] : [messagePart(content)];
}

/** The SDK's model messages (`ModelMessage[]`) as GenAI input messages. */
export function inputMessages(messages: unknown): ChatMessage[] | undefined {
  if (!Array.isArray(messages) || messages.length === 0) return undefined;
  return messages.map((message) =>
    isRecord(message)
      ? { role: text(message.role ?? 'user'), parts: partsOf(message.content) }
      : { role: 'user', parts: partsOf(message) },
  );
}

/** The SDK's `instructions` (a string, a system message or several) as GenAI system instruction parts. */
export function systemInstructions(instructions: unknown): MessagePart[] | undefined {
  if (instructions == null) return undefined;
  const items = Array.isArray(instructions) ? instructions : [instructions];
  const parts = items.flatMap((item) => (isRecord(item) ? partsOf(item.content) : partsOf(item)));
  return parts.length > 0 ? parts : undefined;
}

/** The model's response content as one GenAI output message. */
export function outputMessages(
  content: readonly ContentPartLike[] | undefined,
  reason: string | undefined,
): OutputMessage[] | undefined {
  if (!Array.isArray(content)) return undefined;
  const parts = content.filter((part) => isRecord(part) && part.type !== 'source').map(messagePart);
  return [{ role: 'assistant', parts, finish_reason: reason ?? 'stop' }];
}

/** The tool definitions the SDK sends (`{ type, name, description, inputSchema }`) in GenAI form. */
export function toolDefinitions(tools: unknown): unknown[] | undefined {
  if (!Array.isArray(tools) || tools.length === 0) return undefined;
  return tools.map((tool: unknown) =>
    isRecord(tool)
      ? {
          type: tool.type === 'provider' ? 'extension' : 'function',
          name: tool.name,
          ...(tool.description === undefined ? {} : { description: tool.description }),
          ...(tool.inputSchema === undefined ? {} : { parameters: tool.inputSchema }),
        }
      : tool,
  );
}

/** `error.type` of a failed SDK call: the HTTP status of an `APICallError`, else `undefined` (the class name). */
export function aiSdkErrorType(error: unknown): string | undefined {
  try {
    const status = (error as { statusCode?: unknown } | null)?.statusCode;
    return typeof status === 'number' ? String(status) : undefined;
  } catch {
    return undefined;
  }
}
