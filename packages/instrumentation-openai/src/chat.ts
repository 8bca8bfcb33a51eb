// chat.completions.create → a `generation` span (`chat {model}`, openai.api.type=chat_completions).
import {
  isRecord,
  numberOf,
  openAIErrorType,
  openAIFinishReasons,
  openAIOutputType,
  openAIToolDefinitions,
  openAIUsage,
  stringOf,
  StreamedCallHooks,
  type SpanHandle,
} from '@agent-otel/core/instrumentation';
import { type GenerationSpanData } from '@agent-otel/core';
import type { ClientLike, Json, TracedCall } from './internal-types.js';

import { capturesContent, endpointOf, stopSequencesOf } from './utils.js';
import { keepShapes } from '@agent-otel/core/instrumentation';

/** Span data of a Chat Completions request, before it is sent. */
export function chatRequestData(body: unknown, client: ClientLike | undefined): GenerationSpanData {
  const params: Json = isRecord(body) ? body : {};
  const reasoningEffort = params.reasoning_effort;
  const data: GenerationSpanData = {
    type: 'generation',
    operation: 'chat',
    apiType: 'chat_completions',
    model: stringOf(params.model),
    maxTokens: numberOf(params.max_completion_tokens) ?? numberOf(params.max_tokens),
    temperature: numberOf(params.temperature),
    topP: numberOf(params.top_p),
    frequencyPenalty: numberOf(params.frequency_penalty),
    presencePenalty: numberOf(params.presence_penalty),
    stopSequences: stopSequencesOf(params.stop),
    seed: numberOf(params.seed),
    choiceCount: numberOf(params.n),
    reasoningLevel: typeof reasoningEffort === 'string' ? reasoningEffort : undefined,
    outputType: openAIOutputType(params.response_format, params.modalities),
    stream: params.stream === true,
    serviceTier: stringOf(params.service_tier),
    ...endpointOf(client),
  };
  if (capturesContent()) {
    // A copy of the list: agent loops often push the reply onto the same array after the call.
    if (Array.isArray(params.messages)) data.input = [...params.messages];
    data.toolDefinitions = openAIToolDefinitions(params.tools);
  }
  return data;
}

/**
 * One choice's message with its finish reason, in the shape `toOutputMessages` reads: a Chat
 * Completions `message`, or the `text` of a legacy Completions choice as an assistant message.
 */
function choiceOutput(choice: Json): Json {
  if (typeof choice.text === 'string' && !isRecord(choice.message)) {
    return { role: 'assistant', content: choice.text, finish_reason: choice.finish_reason };
  }
  const message = isRecord(choice.message) ? choice.message : {};
  return { ...message, finish_reason: choice.finish_reason };
}

function byIndex(a: Json, b: Json): number {
  return (numberOf(a.index) ?? 0) - (numberOf(b.index) ?? 0);
}

/** Span data of a `chat.completion` (or legacy `text_completion`) object. */
export function chatResultData(completion: unknown): Partial<GenerationSpanData> {
  if (!isRecord(completion)) return {};
  const data: Partial<GenerationSpanData> = {
    responseId: stringOf(completion.id),
    responseModel: stringOf(completion.model),
    finishReasons: openAIFinishReasons(completion.choices),
    usage: openAIUsage(completion.usage),
    responseServiceTier: stringOf(completion.service_tier),
    systemFingerprint: stringOf(completion.system_fingerprint),
  };
  if (capturesContent() && Array.isArray(completion.choices)) {
    const choices = completion.choices.filter(isRecord);
    if (choices.length > 0) data.output = choices.sort(byIndex).map(choiceOutput);
  }
  return data;
}

/** A tool call being streamed: its id and name arrive first, its arguments in fragments. */
interface ToolCallState {
  id?: string;
  type?: string;
  name?: string;
  arguments: string;
}

/** One choice being streamed. */
interface ChoiceState {
  index: number;
  role?: string;
  content?: string;
  refusal?: string;
  toolCalls: Map<number, ToolCallState>;
}

/**
 * Rebuilds a streamed chat completion from its `chat.completion.chunk`s: a finish reason per choice,
 * the usage of the final usage chunk (which the API only sends when the request set
 * `stream_options.include_usage`) and, when content is captured, text and refusal deltas and
 * parallel tool calls (fragments joined per `index`). Chunks of a streamed legacy completion have the
 * same fields, with each choice's text piece in `text` instead of a `delta`. Chunks with missing or
 * malformed fields are skipped piece by piece, never rejected. Without content capture, no text is
 * kept at all.
 */
export class ChatStreamAccumulator {
  private id?: string;
  private model?: string;
  private serviceTier?: string;
  private fingerprint?: string;
  private usage?: Json;
  /** Per choice index, only with content captured. */
  private readonly choices = new Map<number, ChoiceState>();
  /** Per choice index. A map, not an array: the index is whatever the server sent. */
  private readonly finishReasons = new Map<number, string>();

  constructor(private readonly captureContent: boolean = capturesContent()) {}

  add(chunk: unknown): void {
    if (!isRecord(chunk)) return;
    this.id ??= stringOf(chunk.id);
    this.model ??= stringOf(chunk.model);
    if (typeof chunk.service_tier === 'string' && chunk.service_tier !== '')
      this.serviceTier = chunk.service_tier;
    if (typeof chunk.system_fingerprint === 'string' && chunk.system_fingerprint !== '') {
      this.fingerprint = chunk.system_fingerprint;
    }
    if (isRecord(chunk.usage)) this.usage = chunk.usage;
    const choices: unknown = chunk.choices;
    if (!Array.isArray(choices)) return;
    for (let position = 0; position < choices.length; position++) {
      const choice: unknown = choices[position];
      if (isRecord(choice)) this.addChoice(choice, numberOf(choice.index) ?? position);
    }
  }

  private addChoice(choice: Json, index: number): void {
    const finishReason = choice.finish_reason;
    if (typeof finishReason === 'string' && finishReason !== '') this.finishReasons.set(index, finishReason);
    // Without content, a finish reason is all a choice contributes.
    if (!this.captureContent) return;
    let state = this.choices.get(index);
    if (!state) {
      state = { index, toolCalls: new Map() };
      this.choices.set(index, state);
    }
    // A legacy Completions chunk: the text piece is on the choice itself.
    if (typeof choice.text === 'string') state.content = (state.content ?? '') + choice.text;
    const delta = choice.delta;
    if (!isRecord(delta)) return;
    if (typeof delta.role === 'string') state.role = delta.role;
    if (typeof delta.content === 'string') state.content = (state.content ?? '') + delta.content;
    if (typeof delta.refusal === 'string') state.refusal = (state.refusal ?? '') + delta.refusal;
    if (Array.isArray(delta.tool_calls)) {
      delta.tool_calls.forEach((call: unknown, position: number) => {
        if (isRecord(call)) this.addToolCall(state, call, numberOf(call.index) ?? position);
      });
    }
  }

  private addToolCall(state: ChoiceState, call: Json, index: number): void {
    let toolCall = state.toolCalls.get(index);
    if (!toolCall) {
      toolCall = { arguments: '' };
      state.toolCalls.set(index, toolCall);
    }
    toolCall.id ??= stringOf(call.id);
    toolCall.type ??= stringOf(call.type);
    const fn = call.function;
    if (isRecord(fn)) {
      toolCall.name ??= stringOf(fn.name);
      if (typeof fn.arguments === 'string') toolCall.arguments += fn.arguments;
    }
  }

  /** What was received so far, complete or not. */
  result(): Partial<GenerationSpanData> {
    const choices = [...this.choices.values()].sort((a, b) => a.index - b.index);
    const finished = [...this.finishReasons].map(([index, reason]) => ({ index, finish_reason: reason }));
    const data: Partial<GenerationSpanData> = {
      responseId: this.id,
      responseModel: this.model,
      finishReasons: openAIFinishReasons(finished),
      usage: openAIUsage(this.usage),
      responseServiceTier: this.serviceTier,
      systemFingerprint: this.fingerprint,
    };
    if (this.captureContent && choices.length > 0) {
      data.output = choices.map((choice) => choiceMessage(choice, this.finishReasons.get(choice.index)));
    }
    return data;
  }
}

function choiceMessage(choice: ChoiceState, finishReason: string | undefined): Json {
  const message: Json = {
    role: choice.role ?? 'assistant',
    content: choice.content ?? choice.refusal ?? null,
    finish_reason: finishReason,
  };
  if (choice.toolCalls.size > 0) {
    message.tool_calls = [...choice.toolCalls.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, call]) => ({
        id: call.id,
        type: call.type ?? 'function',
        function: { name: call.name ?? '', arguments: call.arguments },
      }));
  }
  return message;
}

/**
 * The hooks of one traced `chat.completions.create` (or legacy `completions.create`) call, as methods
 * of one object per call (no closures); the stream accumulator is made by the first streamed chunk,
 * as a JSON call needs none.
 */
export class ChatCompletionCall extends StreamedCallHooks<GenerationSpanData, ChatStreamAccumulator> {
  onResult(span: SpanHandle<GenerationSpanData>, completion: unknown): void {
    span.update(chatResultData(completion));
  }

  onStreamEnd(span: SpanHandle<GenerationSpanData>): void {
    span.update(this.streamed().result());
  }

  errorType(error: unknown): string | undefined {
    return openAIErrorType(error);
  }

  protected createAccumulator(): ChatStreamAccumulator {
    return new ChatStreamAccumulator();
  }
}

/** Traces one `chat.completions.create` call. */
export function startChatCompletion(
  body: unknown,
  client: ClientLike | undefined,
): TracedCall<GenerationSpanData> {
  return { data: chatRequestData(body, client), hooks: new ChatCompletionCall() };
}

keepShapes(new ChatCompletionCall(), new ChatStreamAccumulator(false));
