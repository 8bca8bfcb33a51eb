import type { AgentSpan, ClientCallHooks, GenerationSpanData } from '@agent-otel/core';
import { messageSpanData } from './response.js';
import { AnthropicStreamAccumulator } from './stream-accumulator.js';
import { anthropicErrorType } from './utils.js';

/**
 * The hooks of one traced `messages.create` call, as methods of one object per call (no closures):
 * a parsed `Message`, or the events of a streamed one, recorded onto the call's span.
 */
export class MessagesCall implements ClientCallHooks<GenerationSpanData> {
  private readonly accumulator: AnthropicStreamAccumulator;

  constructor(private readonly captureContent: boolean) {
    this.accumulator = new AnthropicStreamAccumulator(captureContent);
  }

  onResult(span: AgentSpan<GenerationSpanData>, message: unknown): void {
    span.update(messageSpanData(message, this.captureContent));
  }

  onStreamItem(_span: AgentSpan<GenerationSpanData>, event: unknown): void {
    this.accumulator.add(event);
  }

  onStreamEnd(span: AgentSpan<GenerationSpanData>): void {
    span.update(this.accumulator.toSpanData());
  }

  errorType(error: unknown): string | undefined {
    return anthropicErrorType(error);
  }
}
