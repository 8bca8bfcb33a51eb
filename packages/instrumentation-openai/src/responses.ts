// responses.create → a `response` span (`chat {model}`, openai.api.type=responses).
import {
  isRecord,
  numberOf,
  openAIErrorType,
  openAIOutputType,
  openAIResponsesFinishReason,
  openAIResponsesInputMessages,
  openAIResponsesOutputMessages,
  openAIResponsesSystemInstructions,
  openAIToolDefinitions,
  openAIUsage,
  stringOf,
  StreamedCallHooks,
  type SpanHandle,
  type StreamEndReason,
} from '@agent-otel/core/instrumentation';
import { type ResponseSpanData } from '@agent-otel/core';
import type { ClientLike, Json, TracedCall } from './internal-types.js';

import { capturesContent, endpointOf } from './utils.js';

function conversationIdOf(conversation: unknown): string | undefined {
  return stringOf(conversation) ?? (isRecord(conversation) ? stringOf(conversation.id) : undefined);
}

/** Span data of a Responses API request, before it is sent. */
export function responsesRequestData(body: unknown, client: ClientLike | undefined): ResponseSpanData {
  const params: Json = isRecord(body) ? body : {};
  const reasoning = isRecord(params.reasoning) ? params.reasoning : {};
  const text = isRecord(params.text) ? params.text : {};
  const data: ResponseSpanData = {
    type: 'response',
    model: stringOf(params.model),
    maxTokens: numberOf(params.max_output_tokens),
    temperature: numberOf(params.temperature),
    topP: numberOf(params.top_p),
    reasoningLevel: stringOf(reasoning.effort),
    outputType: openAIOutputType(text.format),
    stream: params.stream === true,
    serviceTier: stringOf(params.service_tier),
    previousResponseId: stringOf(params.previous_response_id),
    conversationId: conversationIdOf(params.conversation),
    ...endpointOf(client),
  };
  if (capturesContent()) {
    if (params.input !== undefined) data.input = openAIResponsesInputMessages(params.input);
    data.systemInstructions = openAIResponsesSystemInstructions(params.instructions);
    data.toolDefinitions = openAIToolDefinitions(params.tools);
  }
  return data;
}

/** Span data of a `response` object (final, or as far as a stream got). */
export function responseObjectData(response: unknown): Partial<ResponseSpanData> {
  if (!isRecord(response)) return {};
  const finishReason = openAIResponsesFinishReason(response);
  const data: Partial<ResponseSpanData> = {
    responseId: stringOf(response.id),
    responseModel: stringOf(response.model),
    finishReasons: finishReason ? [finishReason] : undefined,
    usage: openAIUsage(response.usage),
    responseServiceTier: stringOf(response.service_tier),
  };
  const conversation = conversationIdOf(response.conversation);
  if (conversation) data.conversationId = conversation;
  if (capturesContent() && Array.isArray(response.output) && response.output.length > 0) {
    data.output = openAIResponsesOutputMessages(response, finishReason);
  }
  return data;
}

/** A `failed` response is an error of the call even though the HTTP request succeeded. */
function recordFailure(span: SpanHandle<ResponseSpanData>, response: unknown): void {
  if (!isRecord(response) || response.status !== 'failed') return;
  const error = isRecord(response.error) ? response.error : {};
  span.setError({ message: stringOf(error.message) ?? 'response failed' }, stringOf(error.code) ?? 'failed');
}

/** An output item being streamed, keyed by `output_index`. */
type ItemState = Json;

/**
 * Rebuilds a streamed response from its events. The terminal event (`response.completed`,
 * `response.incomplete`, `response.failed`) carries the whole response, usage included; when the stream
 * stops before it, the output items are rebuilt from `response.output_item.*` and the text, argument and
 * reasoning deltas received so far.
 */
export class ResponsesStreamAccumulator {
  private snapshot?: Json;
  private final?: Json;
  /** An `error` event (some SDK versions yield it as an event instead of throwing). */
  error?: Json;
  private readonly items = new Map<number, ItemState>();

  add(event: unknown): void {
    if (!isRecord(event) || typeof event.type !== 'string') return;
    const index = numberOf(event.output_index);
    switch (event.type) {
      case 'response.created':
      case 'response.in_progress':
      case 'response.queued':
        if (isRecord(event.response)) this.snapshot = event.response;
        break;
      case 'response.completed':
      case 'response.incomplete':
      case 'response.failed':
        if (isRecord(event.response)) this.final = event.response;
        break;
      case 'response.output_item.added':
      case 'response.output_item.done':
        if (index !== undefined && isRecord(event.item)) this.items.set(index, { ...event.item });
        break;
      case 'response.output_text.delta':
        this.appendText(index, numberOf(event.content_index) ?? 0, event.delta);
        break;
      case 'response.function_call_arguments.delta':
      case 'response.custom_tool_call_input.delta':
        this.appendArguments(index, event.type.includes('custom') ? 'input' : 'arguments', event.delta);
        break;
      case 'response.reasoning_summary_text.delta':
        this.appendSummary(index, numberOf(event.summary_index) ?? 0, event.delta);
        break;
      case 'error':
        this.error = event;
        break;
      default:
        break;
    }
  }

  private item(index: number | undefined): ItemState | undefined {
    return index === undefined ? undefined : this.items.get(index);
  }

  private appendText(index: number | undefined, contentIndex: number, delta: unknown): void {
    const item = this.item(index);
    if (!item || typeof delta !== 'string') return;
    const content = Array.isArray(item.content) ? [...item.content] : [];
    const part = isRecord(content[contentIndex]) ? content[contentIndex] : { type: 'output_text', text: '' };
    content[contentIndex] = { ...part, text: (typeof part.text === 'string' ? part.text : '') + delta };
    item.content = content;
  }

  private appendArguments(index: number | undefined, field: string, delta: unknown): void {
    const item = this.item(index);
    if (!item || typeof delta !== 'string') return;
    item[field] = (typeof item[field] === 'string' ? item[field] : '') + delta;
  }

  private appendSummary(index: number | undefined, summaryIndex: number, delta: unknown): void {
    const item = this.item(index);
    if (!item || typeof delta !== 'string') return;
    const summary = Array.isArray(item.summary) ? [...item.summary] : [];
    const part = isRecord(summary[summaryIndex]) ? summary[summaryIndex] : { type: 'summary_text', text: '' };
    summary[summaryIndex] = { ...part, text: (typeof part.text === 'string' ? part.text : '') + delta };
    item.summary = summary;
  }

  /** The final response when the stream delivered it, else what was received so far. */
  response(): Json | undefined {
    if (this.final) return this.final;
    if (!this.snapshot && this.items.size === 0) return undefined;
    const output = [...this.items.entries()].sort(([a], [b]) => a - b).map(([, item]) => item);
    // No terminal event: the status of the last snapshot (`in_progress`) yields no finish reason.
    return { ...this.snapshot, output };
  }
}

/**
 * The hooks of one traced `responses.create` call, as methods of one object per call (no closures);
 * the stream accumulator is made by the first streamed event, as a JSON call needs none.
 */
class ResponseCall extends StreamedCallHooks<ResponseSpanData, ResponsesStreamAccumulator> {
  onResult(span: SpanHandle<ResponseSpanData>, response: unknown): void {
    span.update(responseObjectData(response));
    recordFailure(span, response);
  }

  onStreamEnd(span: SpanHandle<ResponseSpanData>, reason: StreamEndReason): void {
    const accumulator = this.streamed();
    const response = accumulator.response();
    span.update(responseObjectData(response));
    recordFailure(span, response);
    // When the SDK threw for the error event, the thrown error is recorded instead.
    const error = accumulator.error;
    if (error && reason !== 'error') {
      span.setError({ message: stringOf(error.message) ?? 'stream error' }, stringOf(error.code) ?? 'error');
    }
  }

  errorType(error: unknown): string | undefined {
    return openAIErrorType(error);
  }

  protected createAccumulator(): ResponsesStreamAccumulator {
    return new ResponsesStreamAccumulator();
  }
}

/** Traces one `responses.create` call. */
export function startResponse(body: unknown, client: ClientLike | undefined): TracedCall<ResponseSpanData> {
  return { data: responsesRequestData(body, client), hooks: new ResponseCall() };
}
