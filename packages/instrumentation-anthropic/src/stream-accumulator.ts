import {
  anthropicFinishReasons,
  anthropicOutputMessage,
  anthropicUsage,
} from '@agent-otel/core/instrumentation';
import { type GenerationSpanData } from '@agent-otel/core';
import { isRecord } from './utils.js';

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
