/*
 * The GenAI message JSON shape (OTel GenAI semantic conventions: `gen_ai.input.messages`,
 * `gen_ai.output.messages`) and normalisers from the shapes agents and SDKs actually pass around.
 */
import { diag } from '@opentelemetry/api';
import {
  contentToParts,
  genericPart,
  openAiToolCall,
  textPart,
  toMessagePart,
  toolResponse,
} from './message-parts.js';
import { isRecord } from '../values.js';

/** A part's modality; the semconv values plus any other string. */
export type Modality = 'image' | 'video' | 'audio' | (string & {});

/** Plain text. */
export interface TextPart {
  type: 'text';
  content: string;
}

/** A tool call requested by the model; `arguments` is an object when it parsed as JSON. */
export interface ToolCallRequestPart {
  type: 'tool_call';
  id?: string | null;
  name: string;
  arguments?: unknown;
}

/** The result of a tool call, sent back to the model. */
export interface ToolCallResponsePart {
  type: 'tool_call_response';
  id?: string | null;
  response: unknown;
}

/** Model reasoning ("thinking") content. */
export interface ReasoningPart {
  type: 'reasoning';
  content: string;
}

/** Inline binary data, base64; large blobs are recorded as a placeholder (see `blobContent`). */
export interface BlobPart {
  type: 'blob';
  mime_type?: string | null;
  modality: Modality;
  content: string;
}

/** Data referenced by URI. */
export interface UriPart {
  type: 'uri';
  mime_type?: string | null;
  modality: Modality;
  uri: string;
}

/** Data referenced by a provider file id. */
export interface FilePart {
  type: 'file';
  mime_type?: string | null;
  modality: Modality;
  file_id: string;
}

/** Any other part; agent-otel records unknown values as `{ type: 'generic', content }`. */
export interface GenericPart {
  type: string;
  [key: string]: unknown;
}

/** One part of a message. */
export type MessagePart =
  | TextPart
  | ToolCallRequestPart
  | ToolCallResponsePart
  | ReasoningPart
  | BlobPart
  | UriPart
  | FilePart
  | GenericPart;

/** A message role; the semconv values plus any other string. */
export type MessageRole = 'system' | 'user' | 'assistant' | 'tool' | (string & {});

/** One input message (`gen_ai.input.messages` is an array of these). */
export interface ChatMessage {
  role: MessageRole;
  parts: MessagePart[];
  name?: string | null;
}

/** Why the model stopped; the semconv values plus any other string. */
export type FinishReason = 'stop' | 'length' | 'content_filter' | 'tool_call' | 'error' | (string & {});

/** One output message (`gen_ai.output.messages` is an array of these). */
export interface OutputMessage extends ChatMessage {
  finish_reason: FinishReason;
}

/**
 * Normalises model input to GenAI messages. Accepts GenAI messages (with `parts`), `{role,
 * content: string}`, `{role, content: [{type: 'text', text}, …]}` (OpenAI/Anthropic part arrays,
 * OpenAI `tool_calls` and `role: 'tool'` messages), a bare string (one user text message), an array
 * of any of these; `null`/`undefined` → `[]`; anything else → one user message with a generic part
 * holding the JSON-safe value. Never throws.
 */
export function toChatMessages(input: unknown): ChatMessage[] {
  try {
    if (input == null) return [];
    if (Array.isArray(input)) return input.map((item) => toMessage(item, 'user'));
    return [toMessage(input, 'user')];
  } catch (error) {
    diag.debug('agent-otel: could not normalise input messages; recording them as generic data', error);
    return [{ role: 'user', parts: [genericPart(input)] }];
  }
}

/**
 * Normalises model output to GenAI output messages, like {@link toChatMessages} with role
 * `assistant`. Also accepts an OpenAI Chat Completions response (`choices`). Each message's own
 * `finish_reason`/`stop_reason` wins over `finishReason` (default `'stop'`); provider values are
 * mapped to semconv ones (`tool_calls`/`tool_use` → `tool_call`, `max_tokens` → `length`, …).
 * Never throws.
 */
export function toOutputMessages(output: unknown, finishReason?: string): OutputMessage[] {
  const fallbackReason = typeof finishReason === 'string' && finishReason !== '' ? finishReason : 'stop';
  try {
    if (output == null) return [];
    const items: unknown[] = Array.isArray(output)
      ? output
      : isRecord(output) && Array.isArray(output.choices)
        ? output.choices.map((choice) =>
            isRecord(choice) && isRecord(choice.message)
              ? { ...choice.message, finish_reason: choice.finish_reason }
              : choice,
          )
        : [output];
    return items.map((item) => {
      const message = toMessage(item, 'assistant');
      return { ...message, finish_reason: normalizeFinishReason(ownFinishReason(item) ?? fallbackReason) };
    });
  } catch (error) {
    diag.debug('agent-otel: could not normalise output messages; recording them as generic data', error);
    return [
      {
        role: 'assistant',
        parts: [genericPart(output)],
        finish_reason: normalizeFinishReason(fallbackReason),
      },
    ];
  }
}

const FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  tool_calls: 'tool_call', // OpenAI
  function_call: 'tool_call', // OpenAI (legacy)
  tool_use: 'tool_call', // Anthropic
  end_turn: 'stop', // Anthropic
  stop_sequence: 'stop', // Anthropic
  max_tokens: 'length', // Anthropic
  model_context_window_exceeded: 'length', // Anthropic
  refusal: 'content_filter', // Anthropic
  STOP: 'stop', // Gemini
  MAX_TOKENS: 'length', // Gemini
  SAFETY: 'content_filter', // Gemini
};

/** Maps a provider finish reason onto the semconv value; unknown values pass through. */
export function normalizeFinishReason(reason: string): FinishReason {
  return Object.hasOwn(FINISH_REASONS, reason) ? FINISH_REASONS[reason]! : reason;
}

function ownFinishReason(item: unknown): string | undefined {
  if (!isRecord(item)) return undefined;
  const reason = item.finish_reason ?? item.finishReason ?? item.stop_reason;
  return typeof reason === 'string' && reason !== '' ? reason : undefined;
}

/** One message from one item; an item that throws while read becomes a generic message. */
function toMessage(item: unknown, defaultRole: MessageRole): ChatMessage {
  try {
    if (typeof item === 'string') return { role: defaultRole, parts: [textPart(item)] };
    if (
      !isRecord(item) ||
      !('parts' in item || 'content' in item || 'role' in item || 'tool_calls' in item)
    ) {
      return { role: defaultRole, parts: [genericPart(item)] };
    }
    const role = typeof item.role === 'string' && item.role !== '' ? item.role : defaultRole;
    const parts = messageParts(item, role);
    const message: ChatMessage = { role, parts };
    if (typeof item.name === 'string') message.name = item.name;
    return message;
  } catch (error) {
    diag.debug('agent-otel: could not normalise a message; recording it as generic data', error);
    return { role: defaultRole, parts: [genericPart(item)] };
  }
}

function messageParts(item: Record<string, unknown>, role: string): ChatMessage['parts'] {
  if (Array.isArray(item.parts)) return item.parts.map(toMessagePart);
  // OpenAI Chat Completions tool message: the content is the tool's result.
  if (role === 'tool' && typeof item.tool_call_id === 'string') {
    return [toolResponse(item.tool_call_id, item.content)];
  }
  const parts = contentToParts(item.content);
  if (Array.isArray(item.tool_calls)) parts.push(...item.tool_calls.map(openAiToolCall));
  return parts;
}
