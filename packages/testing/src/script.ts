// Types of the scripting API: what a test enqueues, and what the server records.
import type { IncomingHttpHeaders } from 'node:http';

/** The endpoints the scripted server speaks. */
export type RouteId =
  | 'openai.chat'
  | 'openai.completions'
  | 'openai.responses'
  | 'openai.embeddings'
  | 'openai.audio.speech'
  | 'openai.audio.transcriptions'
  | 'anthropic.messages';

/** Whose wire format (and error shape) a request gets. */
export type Provider = 'openai' | 'anthropic';

/** One tool call the scripted model makes. */
export interface ScriptedToolCall {
  /** Call id (`call_…` / `toolu_…`). Generated deterministically when omitted. */
  id?: string;
  /** Tool (function) name. */
  name: string;
  /** Arguments as an object (serialized with `JSON.stringify`) or as the exact JSON string to send. */
  arguments: Record<string, unknown> | string;
}

/**
 * Token usage to report. Every field is optional; missing fields are derived from text lengths
 * (`ceil(chars / 4)`). Semantics follow `@agent-otel/core`'s `TokenUsage`: `inputTokens` includes
 * cached tokens, `outputTokens` includes reasoning tokens. The Anthropic renderer subtracts the cache
 * read/write tokens from `input_tokens`, as the Anthropic API reports them separately.
 */
export interface ScriptedUsage {
  /** Input tokens, cache reads and writes included. */
  inputTokens?: number;
  /** Output tokens, reasoning included. */
  outputTokens?: number;
  /** Subset of `inputTokens` read from the prompt cache. Default 0. */
  cacheReadInputTokens?: number;
  /** Subset of `inputTokens` written to the prompt cache. Default 0. */
  cacheWriteInputTokens?: number;
  /** Subset of `outputTokens` spent on reasoning. Default: derived from `reasoning`, else 0. */
  reasoningOutputTokens?: number;
}

/**
 * A provider-neutral finish reason. The neutral values (`stop`, `length`, `tool_calls`,
 * `content_filter`) and the Anthropic stop reasons are both accepted and mapped onto each wire format.
 */
export type ScriptedFinishReason =
  | 'stop'
  | 'length'
  | 'tool_calls'
  | 'content_filter'
  | 'end_turn'
  | 'max_tokens'
  | 'tool_use'
  | 'stop_sequence'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded';

/** An API error, rendered in the provider's real error body. */
export interface ScriptedError {
  /** HTTP status (400, 401, 429, 500, 529, …). Ignored for in-stream errors. */
  status: number;
  /** Error message. */
  message: string;
  /** Provider error type. Default derived from the status (e.g. 429 → `requests` / `rate_limit_error`). */
  type?: string;
  /** OpenAI error `code` (e.g. `rate_limit_exceeded`). Default derived from the status. */
  code?: string | null;
  /** OpenAI error `param`. Default `null`. */
  param?: string | null;
  /** Extra response headers, e.g. `{ 'retry-after': '1' }`. */
  headers?: Record<string, string>;
}

/** What the scripted model answers to one request, in whichever wire format the request asked for. */
export interface ScriptedResponse {
  /** Assistant text. Omitted with `toolCalls` → no text content; omitted without → empty text. */
  text?: string;
  /** Tool calls, in order (parallel tool calls when more than one). */
  toolCalls?: ScriptedToolCall[];
  /** Reasoning text: a Responses `reasoning` summary item, an Anthropic `thinking` block; not sent on Chat. */
  reasoning?: string;
  /** Signature of the Anthropic `thinking` block. Default: deterministic. */
  reasoningSignature?: string;
  /** Finish reason. Default `tool_calls` when there are tool calls, else `stop`. */
  finishReason?: ScriptedFinishReason;
  /** Token usage; missing fields are derived from text lengths. */
  usage?: ScriptedUsage;
  /** Model name reported. Default: the request's `model`, else `scripted-model`. */
  model?: string;
  /** Id of the completion / response / message. Default: deterministic. */
  id?: string;
  /** OpenAI `service_tier` reported by Chat Completions and Responses. Default `default`. */
  serviceTier?: string;
  /** OpenAI Chat Completions `system_fingerprint`. Default: the field is not sent. */
  systemFingerprint?: string;
  /** Answer with this API error instead (or, with `streamErrorAfterChunks`, send it inside the stream). */
  error?: ScriptedError;
  /** Extra response headers. */
  headers?: Record<string, string>;
  /** Delay before the response headers are sent. */
  delayMs?: number;
  /** Delay before each SSE frame after the first. */
  chunkDelayMs?: number;
  /**
   * Destroy the socket after this many SSE frames (every frame counts, including lifecycle events,
   * `ping` and `[DONE]`). On a non-streaming request any value drops the connection without a response.
   */
  cutAfterChunks?: number;
  /** Send the provider's in-stream error event after this many SSE frames, then end the stream. */
  streamErrorAfterChunks?: number;
  /** Embedding vector length. Default: the request's `dimensions`, else 8. */
  embeddingDimensions?: number;
  /** Characters of text / arguments / reasoning per streamed delta. Default 8. */
  chunkSize?: number;
  /** Bytes returned by `POST /v1/audio/speech`. Default: a small deterministic fake MP3. */
  audio?: Uint8Array;
}

/** A part of a `multipart/form-data` request body. */
export interface MultipartFile {
  /** Form field name. */
  field: string;
  /** File name from the `Content-Disposition` header. */
  filename: string;
  /** Part content type. */
  contentType: string;
  /** File contents. */
  data: Buffer;
}

/** A parsed `multipart/form-data` request body. */
export interface MultipartForm {
  /** Plain (non-file) fields. */
  fields: Record<string, string>;
  /** File parts. */
  files: MultipartFile[];
}

/** A request the server received. */
export interface RecordedRequest {
  /** Matched route, or `unknown` (answered with 404). */
  route: RouteId | 'unknown';
  /** Provider whose wire format the route belongs to. */
  provider: Provider;
  /** HTTP method. */
  method: string;
  /** URL path without the query string. */
  path: string;
  /** Request headers (lower-case names), including the auth header the client sent. */
  headers: IncomingHttpHeaders;
  /**
   * Request body: the parsed JSON value, the raw `Buffer` for `multipart/form-data` (see `form`),
   * or `undefined` when the body is empty or not valid JSON.
   */
  body: any;
  /** The raw request body. */
  rawBody: Buffer;
  /** The parsed form, for `multipart/form-data` requests. */
  form?: MultipartForm;
  /** Whether the request asked for a stream (`"stream": true`). */
  stream: boolean;
  /** `Date.now()` when the request was received. */
  receivedAt: number;
}

/** Computes the response from the request, e.g. to drive an agent loop. May be async. */
export type ScriptHandler = (request: RecordedRequest) => ScriptedResponse | Promise<ScriptedResponse>;

/** A queued script entry: a fixed response or a handler. */
export type ScriptEntry = ScriptedResponse | ScriptHandler;

/** Options of `enqueue` and `setDefault`. */
export interface ScriptOptions {
  /** Use the entry only for requests to this route. Default: any route. */
  route?: RouteId;
}
