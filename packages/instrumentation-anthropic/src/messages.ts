// messages.create / beta.messages.create → a `generation` span (`chat {model}`): the span data of a
// request, of a parsed `Message`, and of a streamed one rebuilt from its events, and the hooks that
// record them onto the call's span. `messages.stream()` calls `create`, so it is read here too.
import {
  anthropicFinishReasons,
  anthropicOutputMessage,
  anthropicSystemInstructions,
  anthropicToolDefinitions,
  anthropicUsage,
  isRecord,
  numberOf,
  serverAddressFromURL,
  StreamedCallHooks,
  stringOf,
  type SpanHandle,
} from '@agent-otel/core/instrumentation';
import { GEN_AI_PROVIDER_NAME_VALUE_ANTHROPIC } from '@agent-otel/core/semconv';
import { type GenerationSpanData } from '@agent-otel/core';
import type { AnthropicClientLike, RequestOptionsLike } from './internal-types.js';
import { anthropicErrorType } from './utils.js';
import { keepShapes } from '@agent-otel/core/instrumentation';

/** `thinking.type` of the request (`enabled`, `adaptive`, `disabled`); the name the SDK's own spans use. */
export const ATTR_ANTHROPIC_THINKING_TYPE = 'anthropic.thinking.type';
/** `thinking.budget_tokens` of the request; the name the SDK's own spans use. */
export const ATTR_ANTHROPIC_THINKING_BUDGET_TOKENS = 'anthropic.thinking.budget_tokens';

// ─── Request ─────────────────────────────────────────────────────────────────────────────────────

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
  // `top_k` is an integer (top-K sampling): `gen_ai.request.top_k` is an int since v0.1.0.
  set('topK', Number.isSafeInteger(p.top_k) ? (p.top_k as number) : undefined);
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
export function setThinkingAttributes(span: SpanHandle, params: unknown): void {
  const thinking = isRecord(params) ? params.thinking : undefined;
  if (!isRecord(thinking)) return;
  const type = stringOf(thinking.type);
  if (type !== undefined) span.setAttribute(ATTR_ANTHROPIC_THINKING_TYPE, type);
  const budget = numberOf(thinking.budget_tokens);
  if (budget !== undefined) span.setAttribute(ATTR_ANTHROPIC_THINKING_BUDGET_TOKENS, budget);
}

// ─── Response ────────────────────────────────────────────────────────────────────────────────────

/** The response fields of a span, from a parsed Anthropic `message`. */
export function messageSpanData(
  message: unknown,
  captureContent: boolean,
): Partial<Omit<GenerationSpanData, 'type'>> {
  if (!isRecord(message)) return {};
  const patch: Partial<Omit<GenerationSpanData, 'type'>> = {};
  if (typeof message.id === 'string') patch.responseId = message.id;
  if (typeof message.model === 'string') patch.responseModel = message.model;
  const finishReasons = anthropicFinishReasons(message.stop_reason);
  if (finishReasons) patch.finishReasons = finishReasons;
  const usage = anthropicUsage(message.usage);
  if (usage) patch.usage = usage;
  if (captureContent) patch.output = [anthropicOutputMessage(message.content, message.stop_reason)];
  return patch;
}

// ─── Stream ──────────────────────────────────────────────────────────────────────────────────────

type Block = Record<string, unknown>;

/** `usage` fields that `message_start` sends as placeholders; final only from `message_delta` on. */
const FINAL_ONLY_IN_MESSAGE_DELTA = ['output_tokens', 'output_tokens_details'] as const;

function indexOf(event: Record<string, unknown>): number | undefined {
  const { index } = event;
  return typeof index === 'number' && Number.isInteger(index) && index >= 0 ? index : undefined;
}

function appendText(block: Block, key: string, piece: unknown): void {
  if (typeof piece !== 'string') return;
  const current = block[key];
  block[key] = (typeof current === 'string' ? current : '') + piece;
}

/** A streamed tool input: the JSON object when it parsed, else the text received so far. */
function parseInput(json: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch {
    return json;
  }
}

/**
 * Rebuilds what a streamed Messages response said from its events — `message_start` (id, model,
 * input usage), `content_block_start` / `content_block_delta` (`text_delta`, `thinking_delta`,
 * `input_json_delta` reassembled into the `tool_use` input) / `content_block_stop`, `message_delta`
 * (stop reason, cumulative usage) and `message_stop` — however far the stream got. Events with
 * missing or unexpected fields are skipped. Content is kept only when `captureContent` is true.
 */
export class AnthropicStreamAccumulator {
  private responseId: string | undefined;
  private responseModel: string | undefined;
  private stopReason: string | undefined;
  private usage: Record<string, unknown> | undefined;
  private sawMessageDelta = false;
  private readonly blocks: (Block | undefined)[] = [];
  private readonly partialJson = new Map<number, string>();

  constructor(private readonly captureContent: boolean) {}

  /**
   * Records one stream event. This runs for every event of every stream, so the checks are ordered
   * by how often they match: content block events (most of a stream) only matter when content is
   * captured, and without content each event costs two string comparisons.
   */
  add(event: unknown): void {
    if (!isRecord(event)) return;
    const type = event.type;
    if (this.captureContent) {
      switch (type) {
        case 'content_block_delta':
          this.blockDelta(event);
          return;
        case 'content_block_start':
          this.blockStart(event);
          return;
        case 'content_block_stop':
          this.blockStop(indexOf(event));
          return;
        default:
          break;
      }
    }
    if (type === 'message_delta') this.messageDelta(event);
    else if (type === 'message_start') this.start(event.message);
  }

  /** The response fields of the span, from everything received so far. */
  toSpanData(): Partial<Omit<GenerationSpanData, 'type'>> {
    const patch: Partial<Omit<GenerationSpanData, 'type'>> = {};
    if (this.responseId !== undefined) patch.responseId = this.responseId;
    if (this.responseModel !== undefined) patch.responseModel = this.responseModel;
    const finishReasons = anthropicFinishReasons(this.stopReason);
    if (finishReasons) patch.finishReasons = finishReasons;
    const usage = anthropicUsage(this.finalUsage());
    if (usage) patch.usage = usage;
    if (this.captureContent && this.blocks.length > 0) {
      patch.output = [anthropicOutputMessage(this.contentSoFar(), this.stopReason)];
    }
    return patch;
  }

  private start(message: unknown): void {
    if (!isRecord(message)) return;
    if (typeof message.id === 'string') this.responseId = message.id;
    if (typeof message.model === 'string') this.responseModel = message.model;
    if (isRecord(message.usage)) this.usage = { ...message.usage };
  }

  private messageDelta(event: Record<string, unknown>): void {
    this.sawMessageDelta = true;
    const { delta, usage } = event;
    if (isRecord(delta) && typeof delta.stop_reason === 'string') this.stopReason = delta.stop_reason;
    if (!isRecord(usage)) return;
    // The counts are totals for the whole message: each one sent replaces the earlier value.
    // for…in over own keys, as Object.entries, without an array of pairs per event.
    const total = (this.usage ??= {});
    for (const key in usage) {
      if (!Object.hasOwn(usage, key)) continue;
      const value = usage[key];
      if (value != null) total[key] = value;
    }
  }

  /** Usage as reported; the output placeholders of `message_start` are dropped until `message_delta`. */
  private finalUsage(): Record<string, unknown> | undefined {
    if (!this.usage || this.sawMessageDelta) return this.usage;
    const usage = { ...this.usage };
    for (const key of FINAL_ONLY_IN_MESSAGE_DELTA) delete usage[key];
    return usage;
  }

  private blockStart(event: Record<string, unknown>): void {
    const index = indexOf(event);
    const block = event.content_block;
    if (index === undefined || !isRecord(block)) return;
    this.blocks[index] = { ...block };
  }

  private blockDelta(event: Record<string, unknown>): void {
    const index = indexOf(event);
    const block = index === undefined ? undefined : this.blocks[index];
    const { delta } = event;
    if (index === undefined || !block || !isRecord(delta)) return;
    switch (delta.type) {
      case 'text_delta':
        appendText(block, 'text', delta.text);
        break;
      case 'thinking_delta':
        appendText(block, 'thinking', delta.thinking);
        break;
      case 'input_json_delta':
        if (typeof delta.partial_json === 'string') {
          this.partialJson.set(index, (this.partialJson.get(index) ?? '') + delta.partial_json);
        }
        break;
      default:
        // signature_delta, citations_delta, …: not recorded.
        break;
    }
  }

  private blockStop(index: number | undefined): void {
    if (index === undefined) return;
    const block = this.blocks[index];
    const json = this.partialJson.get(index);
    if (!block || json === undefined) return;
    this.partialJson.delete(index);
    if (json.trim() !== '') block.input = parseInput(json);
  }

  /** The content blocks received, in order; a tool input still streaming is its text so far. */
  private contentSoFar(): Block[] {
    const content: Block[] = [];
    this.blocks.forEach((block, index) => {
      if (!block) return;
      const json = this.partialJson.get(index);
      content.push(json !== undefined && json.trim() !== '' ? { ...block, input: parseInput(json) } : block);
    });
    return content;
  }
}

// ─── Hooks of one call ───────────────────────────────────────────────────────────────────────────

/**
 * The hooks of one traced `messages.create` call, as methods of one object per call (no closures):
 * a parsed `Message`, or the events of a streamed one, recorded onto the call's span. The stream
 * accumulator is made by the first streamed event, as a JSON call needs none.
 */
export class MessagesCall extends StreamedCallHooks<GenerationSpanData, AnthropicStreamAccumulator> {
  constructor(private readonly captureContent: boolean) {
    super();
  }

  onResult(span: SpanHandle<GenerationSpanData>, message: unknown): void {
    span.update(messageSpanData(message, this.captureContent));
  }

  onStreamEnd(span: SpanHandle<GenerationSpanData>): void {
    span.update(this.streamed().toSpanData());
  }

  errorType(error: unknown): string | undefined {
    return anthropicErrorType(error);
  }

  protected createAccumulator(): AnthropicStreamAccumulator {
    return new AnthropicStreamAccumulator(this.captureContent);
  }
}

keepShapes(new MessagesCall(false), new AnthropicStreamAccumulator(false));
