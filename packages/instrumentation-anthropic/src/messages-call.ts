import { type ClientCallHooks } from '@agent-otel/core/instrumentation';
import { type AgentSpan, type GenerationSpanData } from '@agent-otel/core';
import { messageSpanData } from './response.js';
import { AnthropicStreamAccumulator } from './stream-accumulator.js';
import { anthropicErrorType } from './utils.js';

/**
 * The hooks of one traced `messages.create` call, as methods of one object per call (no closures):
 * a parsed `Message`, or the events of a streamed one, recorded onto the call's span. The stream
 * accumulator is made by the first streamed event, as a JSON call needs none.
 */
export class MessagesCall implements ClientCallHooks<GenerationSpanData> {
  private accumulator: AnthropicStreamAccumulator | undefined = undefined;

  constructor(private readonly captureContent: boolean) {}

  onResult(span: AgentSpan<GenerationSpanData>, message: unknown): void {
    span.update(messageSpanData(message, this.captureContent));
  }

  onStreamItem(_span: AgentSpan<GenerationSpanData>, event: unknown): void {
    this.streamed().add(event);
  }

  onStreamEnd(span: AgentSpan<GenerationSpanData>): void {
    span.update(this.streamed().toSpanData());
  }

  errorType(error: unknown): string | undefined {
    return anthropicErrorType(error);
  }

  private streamed(): AnthropicStreamAccumulator {
    return (this.accumulator ??= new AnthropicStreamAccumulator(this.captureContent));
  }
}
