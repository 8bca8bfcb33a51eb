/*
 * The parts of the `ai` 7 telemetry events this package reads, typed structurally so no version of the
 * SDK's declarations is needed at run time or in our published types. Not exported from the package.
 * Every field is optional: a field a future release drops is simply not recorded.
 */

/** Fields the SDK's dispatcher adds to every event (`InferTelemetryEvent`). */
export interface TelemetryFields {
  callId?: string;
  recordInputs?: boolean;
  recordOutputs?: boolean;
  functionId?: string;
  aiVersion?: string;
}

/** `onStart`: `generateText`, `streamText`, `generateObject`, `streamObject`, `embed`, `embedMany`, … */
export interface OperationStartEvent extends TelemetryFields, CallSettings {
  operationId?: string;
  provider?: string;
  modelId?: string;
  tools?: Record<string, { description?: unknown } | undefined>;
  runtimeContext?: Record<string, unknown>;
}

/** The request parameters (`LanguageModelCallOptions`). */
export interface CallSettings {
  maxOutputTokens?: unknown;
  temperature?: unknown;
  topP?: unknown;
  topK?: unknown;
  presencePenalty?: unknown;
  frequencyPenalty?: unknown;
  stopSequences?: unknown;
  seed?: unknown;
  reasoning?: unknown;
}

/** `onLanguageModelCallStart` (and the `executeLanguageModelCall` options). */
export interface ModelCallStartEvent extends TelemetryFields, CallSettings {
  provider?: string;
  modelId?: string;
  instructions?: unknown;
  messages?: unknown;
  tools?: readonly Record<string, unknown>[];
}

/** The SDK's token usage (`LanguageModelUsage`). */
export interface LanguageModelUsage {
  inputTokens?: number;
  outputTokens?: number;
  inputTokenDetails?: { cacheReadTokens?: number; cacheWriteTokens?: number };
  outputTokenDetails?: { reasoningTokens?: number };
}

/** One content part of a model response (`ContentPart`). */
export interface ContentPartLike {
  type?: string;
  text?: string;
  toolCallId?: string;
  toolName?: string;
  input?: unknown;
  output?: unknown;
  error?: unknown;
  providerExecuted?: boolean;
  preliminary?: boolean;
}

/** `onLanguageModelCallEnd`. */
export interface ModelCallEndEvent extends TelemetryFields {
  provider?: string;
  modelId?: string;
  finishReason?: string;
  usage?: LanguageModelUsage;
  content?: readonly ContentPartLike[];
  responseId?: string;
  request?: { url?: string };
  performance?: { timeToFirstOutputMs?: number };
}

/** `onStepEnd` (a `StepResult`) and `onEnd` of text and object generation. */
export interface StepEndEvent extends TelemetryFields {
  finishReason?: string;
  usage?: LanguageModelUsage;
  content?: readonly ContentPartLike[];
  response?: { id?: string; modelId?: string };
  object?: unknown;
}

/** `onStepError`: the step that failed, and the error. */
export interface StepErrorEvent extends TelemetryFields {
  error?: unknown;
}

/** `onToolExecutionStart` / `onToolExecutionEnd`. */
export interface ToolExecutionEvent extends TelemetryFields {
  toolCall?: { toolCallId?: string; toolName?: string; input?: unknown; providerExecuted?: boolean };
  toolOutput?: { type?: string; output?: unknown; error?: unknown };
}

/** `onEmbedStart` / `onEmbedEnd`: one embedding model call (`doEmbed`). */
export interface EmbedCallEvent extends TelemetryFields {
  embedCallId?: string;
  provider?: string;
  modelId?: string;
  usage?: { tokens?: number };
  embeddings?: readonly unknown[];
}

/** `onRerankStart` / `onRerankEnd`: one reranking model call (`doRerank`, `ai.rerank.doRerank`). */
export interface RerankCallEvent extends TelemetryFields {
  provider?: string;
  modelId?: string;
  /** Start: the documents to rank. */
  documents?: readonly unknown[];
  /** Start: the query. */
  query?: unknown;
  /** Start: how many of the top documents were asked for. */
  topN?: unknown;
  /** End: the model's ranking, `[{ index, relevanceScore }]`. */
  ranking?: unknown;
}

/** `onEnd` of `rerank` (`ai.rerank`): the response the model call reported. */
export interface RerankEndEvent extends TelemetryFields {
  response?: { id?: unknown; modelId?: unknown };
}

/** `onAbort`. */
export interface AbortEvent extends TelemetryFields {
  reason?: unknown;
}

/** `onError`: the SDK passes `{ callId, error }`. */
export interface ErrorEvent extends TelemetryFields {
  error?: unknown;
}

/** The options of `executeTool` / `executeLanguageModelCall`. */
export interface ExecuteOptions<T> extends TelemetryFields {
  toolCallId?: string;
  execute: () => PromiseLike<T>;
}

/** `onStart` / `onEnd` of `generateSpeech` (`ai.generateSpeech`) and `transcribe` (`ai.transcribe`). */
export interface AudioCallEvent extends TelemetryFields {
  provider?: string;
  modelId?: string;
  /** Speech: the text to speak. Transcription end: the transcript. */
  text?: unknown;
  /** Speech start: the requested output format. */
  outputFormat?: unknown;
  /** Speech start / transcription end: the requested or detected language. */
  language?: unknown;
  /** Speech end: the generated audio (`format`); transcription: the input audio (`mediaType`). */
  audio?: { byteLength?: unknown; mediaType?: unknown; format?: unknown };
  /** As the provider reports it (OpenAI: `{input_tokens, output_tokens, input_token_details}`). */
  usage?: unknown;
}
