import {
  createAgentSpan,
  createEmbeddingsSpan,
  createFunctionSpan,
  createRerankSpan,
  createSpeechSpan,
  createTranscriptionSpan,
  type AgentSpan,
  type AgentSpanData,
  type EmbeddingsSpanData,
  type FunctionSpanData,
  type GenerationSpanData,
  type RerankSpanData,
  type ResponseSpanData,
  type SpeechSpanData,
  type TranscriptionSpanData,
} from '@agent-otel/core';
import {
  adapterTracerSource,
  FailureLog,
  getContentPolicy,
  isRecord,
  modelCallOwnerContext,
  serverAddressFromURL,
  setMetadataAttributes,
  startModelCallSpan,
  watchUntilSettled,
  type PendingWatch,
  type SpanHandle,
  type StreamEndReason,
} from '@agent-otel/core/instrumentation';
import {
  ATTR_AGENT_OTEL_STREAM_ENDED_EARLY,
  ATTR_AGENT_OTEL_STREAM_END_REASON,
} from '@agent-otel/core/semconv';
import { context as contextApi, diag, type Context, type Tracer } from '@opentelemetry/api';
import type {
  AbortEvent,
  AudioCallEvent,
  CallSettings,
  EmbedCallEvent,
  ErrorEvent,
  ExecuteOptions,
  ModelCallEndEvent,
  ModelCallStartEvent,
  OperationStartEvent,
  RerankCallEvent,
  RerankEndEvent,
  StepEndEvent,
  StepErrorEvent,
  TelemetryFields,
  ToolExecutionEvent,
} from './internal-types.js';
import type { AiSdkOtelIntegrationRule, AiSdkTelemetryOptions } from './types.js';
import {
  aiSdkErrorType,
  audioFormat,
  audioUsage,
  finishReason,
  globalIntegrations,
  inputMessages,
  isAiSdkOtelIntegration,
  openAIApiType,
  outputMessages,
  providerName,
  resolveOtelIntegration,
  systemInstructions,
  tokenUsage,
  toolDefinitions,
  AGENT_OTEL_TELEMETRY_BRAND,
} from './utils.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

/** At most this many calls are followed at once; beyond it the oldest is ended (`evicted`). */
export const MAX_OPEN_CALLS = 10_000;

type ModelCallData = GenerationSpanData | ResponseSpanData;

/** What is followed of one SDK call (one `callId`) between its start and end events. */
interface CallState {
  readonly operationId: string;
  /** The context the call started in: the parent of its spans. */
  readonly parentContext: Context;
  /** The `invoke_agent` span of a text or object generation. */
  readonly agent?: AgentSpan<AgentSpanData>;
  readonly streaming: boolean;
  readonly captureInputs: boolean;
  readonly captureOutputs: boolean;
  readonly settings: CallSettings;
  readonly metadata: Record<string, unknown>;
  readonly toolDescriptions: Map<string, string>;
  /** The open model call (one at a time per call). */
  model?: SpanHandle<ModelCallData>;
  /** The context its provider request runs in. */
  modelContext?: Context;
  readonly tools: Map<string, AgentSpan<FunctionSpanData>>;
  readonly embeddings: Map<string, AgentSpan<EmbeddingsSpanData>>;
  /** The `rerank {model}` span of a `rerank` call's model call (`doRerank`), open until the call ends. */
  rerank?: AgentSpan<RerankSpanData>;
  /** The `text_to_speech` / `speech_to_text` span of a `generateSpeech` / `transcribe` call. */
  audio?: AgentSpan<SpeechSpanData> | AgentSpan<TranscriptionSpanData>;
  /** Ends the call's spans at shutdown when the SDK never reports its end (a stream never read to the end). */
  readonly watch: PendingWatch;
}

/** Operations whose calls get an `invoke_agent` span. */
const AGENT_OPERATIONS: ReadonlySet<string> = new Set([
  'ai.generateText',
  'ai.streamText',
  'ai.generateObject',
  'ai.streamObject',
]);
const STREAMING_OPERATIONS: ReadonlySet<string> = new Set(['ai.streamText', 'ai.streamObject']);
const OBJECT_OPERATIONS: ReadonlySet<string> = new Set(['ai.generateObject', 'ai.streamObject']);
const EMBED_OPERATIONS: ReadonlySet<string> = new Set(['ai.embed', 'ai.embedMany']);
const SPEECH_OPERATION = 'ai.generateSpeech';
const TRANSCRIPTION_OPERATION = 'ai.transcribe';
const RERANK_OPERATION = 'ai.rerank';

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

function numberOrUndefined(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function reasoningLevel(reasoning: unknown): string | undefined {
  if (typeof reasoning === 'string') return reasoning;
  if (isRecord(reasoning) && typeof reasoning.effort === 'string') return reasoning.effort;
  return undefined;
}

/**
 * An AI SDK 7 telemetry integration (the SDK's `Telemetry` interface) that records agent-otel spans
 * through `@agent-otel/core`: an `invoke_agent` span per `generateText` / `streamText` /
 * `generateObject` / `streamObject` call (and per agent run), a `chat {model}` span per model call
 * beneath it, an `execute_tool {name}` span per tool execution with the tool's `execute` running in
 * its context, an `embeddings {model}` span per embedding model call, and a `text_to_speech {model}` /
 * `speech_to_text {model}` span per `generateSpeech` / `transcribe` call, and a `rerank {model}` span per
 * reranking model call of `rerank`. Register it with the SDK's
 * `registerTelemetry(new AgentOtelTelemetry())`, pass it per call in `telemetry: { integrations }`, or
 * let `AiSdkInstrumentation` register it. Every hook is guarded: a failure is logged once through
 * `diag` and the SDK call proceeds untouched.
 */
export class AgentOtelTelemetry {
  static {
    Object.defineProperty(this.prototype, AGENT_OTEL_TELEMETRY_BRAND, { value: true });
  }

  private readonly calls = new Map<string, CallState>();
  private readonly failures = new FailureLog(
    diag,
    (label) => `${PACKAGE_NAME}: ${label} failed; the call is not affected`,
  );
  private readonly tracerSource: () => Tracer | undefined;
  private readonly otelIntegration: AiSdkOtelIntegrationRule;
  /** Set to false to make every hook a no-op (the instrumentation's `disable()`). */
  enabled = true;

  /**
   * @param options see {@link AiSdkTelemetryOptions}.
   * @param tracerSource internal: the tracer of an instrumentation (read at each call).
   */
  constructor(options: AiSdkTelemetryOptions = {}, tracerSource?: () => Tracer | undefined) {
    this.tracerSource =
      tracerSource ?? adapterTracerSource({ name: PACKAGE_NAME, version: PACKAGE_VERSION }, options);
    let rule: unknown;
    try {
      rule = options?.otelIntegration;
    } catch (error) {
      diag.warn(`${PACKAGE_NAME}: the options could not be read; using the defaults`, error);
    }
    this.otelIntegration = resolveOtelIntegration(rule);
  }

  /** Number of calls currently followed (started, not yet ended). */
  get openCalls(): number {
    return this.calls.size;
  }

  // ---- operation lifecycle ----

  onStart(input: unknown): void {
    const event = input as OperationStartEvent;
    this.guard('onStart', () => this.startCall(event));
  }

  onEnd(input: unknown): void {
    const event = input as StepEndEvent;
    this.guard('onEnd', () => {
      const state = this.takeCall(event?.callId);
      if (!state) return;
      if (state.audio) this.endAudio(state, event as AudioCallEvent);
      if (state.rerank) this.endRerank(state, event as RerankEndEvent);
      this.endModelCall(state, undefined);
      const agent = state.agent;
      if (agent) {
        if (event.finishReason === 'error') agent.setError(errorOf(event.content), '_OTHER');
        if (state.captureOutputs && OBJECT_OPERATIONS.has(state.operationId) && event.object !== undefined) {
          agent.update({
            output: [{ role: 'assistant', parts: [{ type: 'text', content: JSON.stringify(event.object) }] }],
          });
        }
        agent.end();
      }
      for (const span of state.embeddings.values()) span.end();
    });
  }

  onAbort(input: unknown): void {
    const event = input as AbortEvent;
    this.guard('onAbort', () => this.endCall(String(event?.callId), 'abort'));
  }

  onError(input: unknown): void {
    const event = input as ErrorEvent;
    this.guard('onError', () => {
      const state = this.takeCall(event?.callId);
      if (!state) return;
      const error = event.error ?? event;
      const type = aiSdkErrorType(error);
      for (const span of state.tools.values()) {
        span.setError(error, type);
        span.end();
      }
      if (state.model) {
        state.model.setError(error, type);
        state.model.end();
      }
      for (const span of state.embeddings.values()) {
        span.setError(error, type);
        span.end();
      }
      state.audio?.setError(error, type);
      state.audio?.end();
      state.rerank?.setError(error, type);
      state.rerank?.end();
      state.agent?.setError(error, type);
      state.agent?.end();
    });
  }

  // ---- steps and model calls ----

  onLanguageModelCallStart(input: unknown): void {
    const event = input as ModelCallStartEvent;
    this.guard('onLanguageModelCallStart', () => {
      const state = this.callOf(event);
      if (state) this.startModelCall(state, event);
    });
  }

  onLanguageModelCallEnd(input: unknown): void {
    const event = input as ModelCallEndEvent;
    this.guard('onLanguageModelCallEnd', () => {
      const state = this.callOf(event);
      const model = state?.model;
      if (!state || !model) return;
      const reason = finishReason(event.finishReason);
      const patch: Partial<ModelCallData> = {
        responseId: typeof event.responseId === 'string' && event.responseId ? event.responseId : undefined,
        finishReasons: reason === undefined ? undefined : [reason],
        usage: tokenUsage(event.usage),
      };
      const ttfc = numberOrUndefined(event.performance?.timeToFirstOutputMs);
      if (state.streaming && ttfc !== undefined) patch.timeToFirstChunk = ttfc / 1000;
      if (typeof event.request?.url === 'string')
        Object.assign(patch, serverAddressFromURL(event.request.url));
      if (state.captureOutputs) patch.output = outputMessages(event.content, reason);
      model.update(patch);
      if (event.finishReason === 'error') model.setError(errorOf(event.content), '_OTHER');
      this.recordProviderTools(state, event);
      this.endModelCall(state, undefined);
    });
  }

  onStepEnd(input: unknown): void {
    const event = input as StepEndEvent;
    this.guard('onStepEnd', () => {
      const state = this.callOf(event);
      if (!state?.model) return;
      // A stream that failed inside (an error chunk) ends its step without a model-call end event.
      const reason = finishReason(event.finishReason);
      state.model.update({
        finishReasons: reason === undefined ? undefined : [reason],
        usage: tokenUsage(event.usage),
        responseId: event.response?.id,
        responseModel: event.response?.modelId,
      });
      if (event.finishReason === 'error') state.model.setError(errorOf(event.content), '_OTHER');
      this.endModelCall(state, undefined);
    });
  }

  onStepError(input: unknown): void {
    const event = input as StepErrorEvent;
    this.guard('onStepError', () => {
      const state = this.callOf(event);
      if (!state?.model) return;
      state.model.setError(event.error, aiSdkErrorType(event.error));
      this.endModelCall(state, undefined);
    });
  }

  onObjectStepStart(input: unknown): void {
    const event = input as ModelCallStartEvent;
    this.guard('onObjectStepStart', () => {
      const state = this.callOf(event);
      if (state && !state.model) this.startModelCall(state, event);
    });
  }

  onObjectStepEnd(input: unknown): void {
    this.onLanguageModelCallEnd(input);
  }

  /** Runs the provider request in the model-call span's context (a client instrumentation inside claims it). */
  executeLanguageModelCall<T>(input: { execute: () => PromiseLike<T> }): PromiseLike<T> {
    const options = input as ExecuteOptions<T>;
    let ctx: Context | undefined;
    try {
      ctx = this.enabled ? this.calls.get(options.callId as string)?.modelContext : undefined;
    } catch (error) {
      this.failures.report('executeLanguageModelCall', error);
    }
    if (ctx === undefined) return options.execute();
    const state = this.calls.get(options.callId as string);
    const model = state?.model;
    const result = contextApi.with(ctx, options.execute);
    if (model === undefined || state?.streaming) return result;
    // A generated (not streamed) response names the model that served it.
    return Promise.resolve(result).then((value) => {
      this.guard('reading the model response', () => {
        const modelId = isRecord(value) && isRecord(value.response) ? value.response.modelId : undefined;
        if (typeof modelId === 'string' && modelId) model.update({ responseModel: modelId });
      });
      return value;
    });
  }

  // ---- tools ----

  onToolExecutionStart(input: unknown): void {
    const event = input as ToolExecutionEvent;
    this.guard('onToolExecutionStart', () => {
      const state = this.callOf(event);
      const call = event.toolCall;
      if (!state || !isRecord(call) || typeof call.toolCallId !== 'string') return;
      const name = String(call.toolName);
      const span = createFunctionSpan(
        {
          name,
          callId: call.toolCallId,
          toolType: call.providerExecuted ? 'extension' : 'function',
          description: state.toolDescriptions.get(name),
          agentName: state.agent?.spanData.name,
          input: state.captureInputs ? call.input : undefined,
        },
        { parent: state.agent?.context ?? state.parentContext, tracer: this.tracerSource() },
      ).start();
      state.tools.set(call.toolCallId, span);
    });
  }

  onToolExecutionEnd(input: unknown): void {
    const event = input as ToolExecutionEvent;
    this.guard('onToolExecutionEnd', () => {
      const state = this.callOf(event);
      const id = event.toolCall?.toolCallId;
      const span = typeof id === 'string' ? state?.tools.get(id) : undefined;
      if (!state || !span) return;
      state.tools.delete(id as string);
      const output = event.toolOutput;
      if (output?.type === 'tool-error') span.setError(output.error);
      else if (state.captureOutputs && output !== undefined) span.update({ output: output.output });
      span.end();
    });
  }

  /** Runs the tool's `execute` in its `execute_tool` span's context, so spans started inside nest under it. */
  executeTool<T>(input: { execute: () => PromiseLike<T> }): PromiseLike<T> {
    const options = input as ExecuteOptions<T>;
    let ctx: Context | undefined;
    try {
      if (this.enabled) {
        const span = this.calls.get(options.callId as string)?.tools.get(options.toolCallId as string);
        ctx = span?.context;
      }
    } catch (error) {
      this.failures.report('executeTool', error);
    }
    return ctx === undefined ? options.execute() : contextApi.with(ctx, options.execute);
  }

  // ---- embeddings ----

  onEmbedStart(input: unknown): void {
    const event = input as EmbedCallEvent;
    this.guard('onEmbedStart', () => {
      const state = this.callOf(event);
      if (!state || typeof event.embedCallId !== 'string') return;
      const model = typeof event.modelId === 'string' ? event.modelId : undefined;
      const span = createEmbeddingsSpan(
        { model, provider: providerName(event.provider) },
        { parent: state.parentContext, tracer: this.tracerSource() },
      ).start();
      setMetadataAttributes(span, state.metadata);
      state.embeddings.set(event.embedCallId, span);
    });
  }

  onEmbedEnd(input: unknown): void {
    const event = input as EmbedCallEvent;
    this.guard('onEmbedEnd', () => {
      const state = this.callOf(event);
      const id = event.embedCallId;
      const span = typeof id === 'string' ? state?.embeddings.get(id) : undefined;
      if (!state || !span) return;
      state.embeddings.delete(id as string);
      const tokens = event.usage?.tokens;
      const first = Array.isArray(event.embeddings) ? event.embeddings[0] : undefined;
      span.update({
        usage: Number.isSafeInteger(tokens) ? { inputTokens: tokens } : undefined,
        dimensionCount: Array.isArray(first) && first.length > 0 ? first.length : undefined,
      });
      span.end();
    });
  }

  // ---- rerank ----

  onRerankStart(input: unknown): void {
    const event = input as RerankCallEvent;
    this.guard('onRerankStart', () => {
      const state = this.callOf(event);
      if (!state) return;
      if (state.rerank) {
        // The SDK retries a failed model call: the attempt before this one failed.
        state.rerank.setError(new Error('the rerank attempt failed and was retried'), '_OTHER');
        state.rerank.end();
      }
      // An empty list: the SDK left the documents out (`recordInputs: false`); it never calls a model without any.
      const documents =
        Array.isArray(event.documents) && event.documents.length > 0 ? event.documents : undefined;
      const span = createRerankSpan(
        {
          model: stringOrUndefined(event.modelId),
          provider: providerName(event.provider),
          topN: numberOrUndefined(event.topN),
          documentCount: documents?.length,
          input: state.captureInputs ? { query: event.query, documents } : undefined,
        },
        { parent: state.parentContext, tracer: this.tracerSource() },
      ).start();
      setMetadataAttributes(span, state.metadata);
      state.rerank = span;
    });
  }

  onRerankEnd(input: unknown): void {
    const event = input as RerankCallEvent;
    this.guard('onRerankEnd', () => {
      const span = this.callOf(event)?.rerank;
      if (!span) return;
      // The ranking is the model's ({ index, relevanceScore }); the span ends with the call (its response).
      if (this.callOf(event)?.captureOutputs && Array.isArray(event.ranking)) {
        span.update({ output: event.ranking });
      }
    });
  }

  // ---- internals ----

  private guard(label: string, action: () => void): void {
    if (!this.enabled) return;
    this.failures.guard(label, action);
  }

  private callOf(event: TelemetryFields | undefined): CallState | undefined {
    const id = event?.callId;
    return typeof id === 'string' ? this.calls.get(id) : undefined;
  }

  private takeCall(id: unknown): CallState | undefined {
    if (typeof id !== 'string') return undefined;
    const state = this.calls.get(id);
    if (!state) return undefined;
    this.calls.delete(id);
    state.watch.settle();
    return state;
  }

  /** True when this integration stands back for `@ai-sdk/otel`'s (rule `defer`, both registered globally). */
  private defersToAiSdkOtel(): boolean {
    if (this.otelIntegration !== 'defer') return false;
    const registered = globalIntegrations();
    return registered.includes(this) && registered.some(isAiSdkOtelIntegration);
  }

  private startCall(event: OperationStartEvent): void {
    const callId = event?.callId;
    const operationId = String(event.operationId);
    if (typeof callId !== 'string' || this.calls.has(callId)) return;
    const audio = operationId === SPEECH_OPERATION || operationId === TRANSCRIPTION_OPERATION;
    const followed =
      AGENT_OPERATIONS.has(operationId) ||
      EMBED_OPERATIONS.has(operationId) ||
      operationId === RERANK_OPERATION ||
      audio;
    if (!followed) return;
    if (this.defersToAiSdkOtel()) return;
    const policy = getContentPolicy();
    const captureContent = policy.mode !== 'NO_CONTENT';
    const parentContext = contextApi.active();
    const modelId = typeof event.modelId === 'string' && event.modelId ? event.modelId : undefined;
    const functionId =
      typeof event.functionId === 'string' && event.functionId ? event.functionId : undefined;
    const metadata: Record<string, unknown> = {};
    if (functionId) metadata.function_id = functionId;
    if (isRecord(event.runtimeContext)) Object.assign(metadata, event.runtimeContext);
    const toolDescriptions = new Map<string, string>();
    if (isRecord(event.tools)) {
      for (const [name, tool] of Object.entries(event.tools)) {
        if (isRecord(tool) && typeof tool.description === 'string')
          toolDescriptions.set(name, tool.description);
      }
    }
    let agent: AgentSpan<AgentSpanData> | undefined;
    if (AGENT_OPERATIONS.has(operationId)) {
      agent = createAgentSpan(
        {
          name: functionId ?? modelId ?? 'ai-sdk',
          model: modelId,
          tools:
            toolDescriptions.size > 0 || isRecord(event.tools) ? Object.keys(event.tools ?? {}) : undefined,
          outputType: OBJECT_OPERATIONS.has(operationId) ? 'json' : undefined,
        },
        { parent: parentContext, tracer: this.tracerSource() },
      ).start();
      setMetadataAttributes(agent, metadata);
    }
    if (this.calls.size >= MAX_OPEN_CALLS) {
      const oldest = this.calls.keys().next().value;
      if (oldest !== undefined) this.endCall(oldest, 'evicted');
    }
    const state: CallState = {
      operationId,
      parentContext,
      agent,
      streaming: STREAMING_OPERATIONS.has(operationId),
      captureInputs: captureContent && event.recordInputs !== false,
      captureOutputs: captureContent && event.recordOutputs !== false,
      settings: event,
      metadata,
      toolDescriptions,
      tools: new Map(),
      embeddings: new Map(),
      watch: watchUntilSettled(undefined, (reason: StreamEndReason) => this.endCall(callId, reason)),
    };
    if (audio) state.audio = this.startAudio(state, event as AudioCallEvent);
    this.calls.set(callId, state);
  }

  /** Ends a rerank span with the response the call's end reports (the SDK reports no rerank usage). */
  private endRerank(state: CallState, event: RerankEndEvent): void {
    const span = state.rerank;
    if (!span) return;
    state.rerank = undefined;
    span.update({
      responseId: stringOrUndefined(event.response?.id),
      responseModel: stringOrUndefined(event.response?.modelId),
    });
    span.end();
  }

  /** The `text_to_speech {model}` / `speech_to_text {model}` span of a speech or transcription call. */
  private startAudio(
    state: CallState,
    event: AudioCallEvent,
  ): AgentSpan<SpeechSpanData> | AgentSpan<TranscriptionSpanData> {
    const model = typeof event.modelId === 'string' && event.modelId ? event.modelId : undefined;
    const provider = providerName(event.provider);
    const options = { parent: state.parentContext, tracer: this.tracerSource() };
    const span =
      state.operationId === SPEECH_OPERATION
        ? createSpeechSpan(
            {
              model,
              provider,
              outputFormat: typeof event.outputFormat === 'string' ? event.outputFormat : undefined,
              input: state.captureInputs && typeof event.text === 'string' ? event.text : undefined,
            },
            options,
          ).start()
        : createTranscriptionSpan(
            { model, provider, inputFormat: audioFormat(event.audio?.mediaType) },
            options,
          ).start();
    setMetadataAttributes(span, state.metadata);
    return span;
  }

  /** Ends a speech or transcription span with what the SDK reports at the end of the call. */
  private endAudio(state: CallState, event: AudioCallEvent): void {
    const span = state.audio;
    if (!span) return;
    state.audio = undefined;
    const usage = audioUsage(event.usage);
    if (span.spanData.type === 'speech') {
      const speech = span as AgentSpan<SpeechSpanData>;
      speech.update({
        usage,
        outputFormat: speech.spanData.outputFormat ?? stringOrUndefined(event.audio?.format),
      });
    } else {
      const transcription = span as AgentSpan<TranscriptionSpanData>;
      transcription.update({
        usage,
        language: stringOrUndefined(event.language),
        inputFormat: transcription.spanData.inputFormat ?? audioFormat(event.audio?.mediaType),
        output: state.captureOutputs && typeof event.text === 'string' ? event.text : undefined,
      });
    }
    span.end();
  }

  private startModelCall(state: CallState, event: ModelCallStartEvent): void {
    if (!state.agent) return;
    // A retry or steering interrupt starts a new model call without ending the previous one.
    if (state.model) {
      state.model.setAttribute(ATTR_AGENT_OTEL_STREAM_ENDED_EARLY, true);
      this.endModelCall(state, undefined);
    }
    const settings = { ...state.settings, ...pickSettings(event) };
    const apiType = openAIApiType(event.provider);
    const modelId = typeof event.modelId === 'string' && event.modelId ? event.modelId : undefined;
    const fields = {
      model: modelId,
      provider: providerName(event.provider),
      maxTokens: numberOrUndefined(settings.maxOutputTokens),
      temperature: numberOrUndefined(settings.temperature),
      topP: numberOrUndefined(settings.topP),
      topK: numberOrUndefined(settings.topK),
      presencePenalty: numberOrUndefined(settings.presencePenalty),
      frequencyPenalty: numberOrUndefined(settings.frequencyPenalty),
      stopSequences: Array.isArray(settings.stopSequences) ? (settings.stopSequences as string[]) : undefined,
      seed: numberOrUndefined(settings.seed),
      reasoningLevel: reasoningLevel(settings.reasoning),
      outputType: OBJECT_OPERATIONS.has(state.operationId) ? 'json' : undefined,
      stream: state.streaming || undefined,
      input: state.captureInputs ? inputMessages(event.messages) : undefined,
      systemInstructions: state.captureInputs ? systemInstructions(event.instructions) : undefined,
      toolDefinitions: state.captureInputs ? toolDefinitions(event.tools) : undefined,
    };
    const data: ModelCallData =
      apiType === 'responses' ? { type: 'response', ...fields } : { type: 'generation', ...fields, apiType };
    const span = startModelCallSpan(data, this.tracerSource(), state.agent.context);
    if (!span) return;
    state.model = span;
    state.modelContext = modelCallOwnerContext(span.context);
  }

  private endModelCall(state: CallState, reason: StreamEndReason | 'evicted' | undefined): void {
    const model = state.model;
    if (!model) return;
    state.model = undefined;
    state.modelContext = undefined;
    if (reason !== undefined) {
      model.setAttribute(ATTR_AGENT_OTEL_STREAM_ENDED_EARLY, true);
      model.setAttribute(ATTR_AGENT_OTEL_STREAM_END_REASON, reason);
    }
    model.end();
  }

  /** Provider-executed tools (web search, code execution) the response reports: zero-length `execute_tool` spans. */
  private recordProviderTools(state: CallState, event: ModelCallEndEvent): void {
    const model = state.model;
    if (!model || !Array.isArray(event.content)) return;
    for (const part of event.content) {
      if (!isRecord(part) || part.type !== 'tool-call' || part.providerExecuted !== true) continue;
      const callId = typeof part.toolCallId === 'string' ? part.toolCallId : undefined;
      const result = event.content.find(
        (candidate) =>
          isRecord(candidate) &&
          candidate.toolCallId === part.toolCallId &&
          (candidate.type === 'tool-result' || candidate.type === 'tool-error'),
      );
      const span = createFunctionSpan(
        {
          name: String(part.toolName),
          callId,
          toolType: 'extension',
          input: state.captureInputs ? part.input : undefined,
          output: state.captureOutputs && result?.type === 'tool-result' ? result.output : undefined,
        },
        { parent: model.context, tracer: this.tracerSource() },
      ).start();
      if (result?.type === 'tool-error') span.setError(result.error);
      span.end();
    }
  }

  /** Ends a call the SDK will not report the end of, and every span it has open. */
  private endCall(callId: string, reason: StreamEndReason | 'evicted'): void {
    const state = this.takeCall(callId);
    if (!state) return;
    for (const span of state.tools.values()) span.end();
    this.endModelCall(state, reason);
    for (const span of state.embeddings.values()) span.end();
    state.audio?.end();
    state.rerank?.end();
    const agent = state.agent;
    if (agent) {
      agent.setAttribute(ATTR_AGENT_OTEL_STREAM_ENDED_EARLY, true);
      agent.setAttribute(ATTR_AGENT_OTEL_STREAM_END_REASON, reason);
      agent.end();
    }
  }
}

function pickSettings(event: CallSettings): CallSettings {
  const result: CallSettings = {};
  for (const key of [
    'maxOutputTokens',
    'temperature',
    'topP',
    'topK',
    'presencePenalty',
    'frequencyPenalty',
    'stopSequences',
    'seed',
    'reasoning',
  ] as const) {
    if (event[key] !== undefined) result[key] = event[key];
  }
  return result;
}

/** The error an `error` content part carries (a stream that failed inside), else a generic one. */
function errorOf(content: unknown): unknown {
  if (Array.isArray(content)) {
    const part = content.find((item: unknown) => isRecord(item) && item.type === 'error');
    if (isRecord(part) && part.error !== undefined) return part.error;
  }
  return new Error('the model call finished with an error');
}
