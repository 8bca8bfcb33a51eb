// Resolves a provider-neutral ScriptedResponse against a request into one model turn that every
// renderer shares: defaults applied, tool-call ids assigned, arguments serialized, usage derived.
import type { IdGenerator } from './IdGenerator.js';
import type { ScriptedFinishReason, ScriptedResponse } from './script.js';
import { DEFAULT_CHUNK_SIZE, estimateTokens, textLength } from './text.js';

/** A tool call with its id assigned and arguments serialized. */
export interface TurnToolCall {
  id: string;
  name: string;
  /** Arguments as a JSON string. */
  arguments: string;
}

/** Usage with every field resolved. */
export interface TurnUsage {
  inputTokens: number;
  outputTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
  reasoningOutputTokens: number;
}

/** One model turn, ready to be rendered in any wire format. */
export interface Turn {
  /** Scripted id, if any (renderers generate their own otherwise). */
  id: string | undefined;
  model: string;
  /** Assistant text, or `undefined` for a tool-call-only turn. */
  text: string | undefined;
  reasoning: string | undefined;
  reasoningSignature: string;
  toolCalls: TurnToolCall[];
  finishReason: ScriptedFinishReason;
  usage: TurnUsage;
  chunkSize: number;
  /** OpenAI `service_tier`. */
  serviceTier: string;
  /** OpenAI `system_fingerprint`, when scripted. */
  systemFingerprint: string | undefined;
}

/** Prompt fields of every supported request body, used to estimate input tokens. */
const PROMPT_FIELDS = ['system', 'instructions', 'messages', 'input', 'prompt'] as const;

/** Resolves `script` against the request `body`; `idPrefix` is the provider's tool-call id prefix. */
export function resolveTurn(
  script: ScriptedResponse,
  body: Record<string, any>,
  ids: IdGenerator,
  idPrefix: string,
): Turn {
  const toolCalls = (script.toolCalls ?? []).map((call) => ({
    id: call.id ?? ids.next(idPrefix),
    name: call.name,
    arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}),
  }));
  const text = script.text ?? (toolCalls.length > 0 ? undefined : '');
  const reasoning = script.reasoning;
  const visibleChars =
    (text?.length ?? 0) + toolCalls.reduce((sum, call) => sum + call.name.length + call.arguments.length, 0);
  const scripted = script.usage ?? {};
  const reasoningOutputTokens = scripted.reasoningOutputTokens ?? estimateTokens(reasoning?.length ?? 0);
  const promptChars = PROMPT_FIELDS.reduce((sum, field) => sum + textLength(body[field]), 0);
  return {
    id: script.id,
    model: script.model ?? (typeof body['model'] === 'string' ? body['model'] : 'scripted-model'),
    text,
    reasoning,
    reasoningSignature:
      script.reasoningSignature ?? Buffer.from(`scripted-signature:${reasoning ?? ''}`).toString('base64'),
    toolCalls,
    finishReason: script.finishReason ?? (toolCalls.length > 0 ? 'tool_calls' : 'stop'),
    usage: {
      inputTokens: scripted.inputTokens ?? Math.max(1, estimateTokens(promptChars)),
      outputTokens:
        scripted.outputTokens ?? Math.max(1, estimateTokens(visibleChars) + reasoningOutputTokens),
      cacheReadInputTokens: scripted.cacheReadInputTokens ?? 0,
      cacheWriteInputTokens: scripted.cacheWriteInputTokens ?? 0,
      reasoningOutputTokens,
    },
    chunkSize: script.chunkSize ?? DEFAULT_CHUNK_SIZE,
    serviceTier: script.serviceTier ?? 'default',
    systemFingerprint: script.systemFingerprint,
  };
}

/** Chat Completions `finish_reason`. */
export function chatFinishReason(
  reason: ScriptedFinishReason,
): 'stop' | 'length' | 'tool_calls' | 'content_filter' {
  switch (reason) {
    case 'length':
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'length';
    case 'tool_calls':
    case 'tool_use':
      return 'tool_calls';
    case 'content_filter':
    case 'refusal':
      return 'content_filter';
    default:
      return 'stop';
  }
}

/** Anthropic `stop_reason`. */
export function anthropicStopReason(reason: ScriptedFinishReason): string {
  switch (reason) {
    case 'stop':
      return 'end_turn';
    case 'length':
      return 'max_tokens';
    case 'tool_calls':
      return 'tool_use';
    case 'content_filter':
      return 'refusal';
    default:
      return reason;
  }
}

/** Responses `status` and `incomplete_details` (a truncated or filtered turn is `incomplete`). */
export function responsesStatus(reason: ScriptedFinishReason): {
  status: 'completed' | 'incomplete';
  incompleteDetails: { reason: 'max_output_tokens' | 'content_filter' } | null;
} {
  const chat = chatFinishReason(reason);
  if (chat === 'length') return { status: 'incomplete', incompleteDetails: { reason: 'max_output_tokens' } };
  if (chat === 'content_filter')
    return { status: 'incomplete', incompleteDetails: { reason: 'content_filter' } };
  return { status: 'completed', incompleteDetails: null };
}
