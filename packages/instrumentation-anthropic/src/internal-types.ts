/*
 * The parts of `@anthropic-ai/sdk` 1.x this instrumentation touches, typed structurally so no SDK
 * version's declarations are needed at run time. Not exported from the package.
 */
import type { Span } from '@opentelemetry/api';

/** A method of a resource class (`create`, `stream`). */
export type SdkMethod = (this: MessagesResource, ...args: unknown[]) => unknown;

/** The client a resource holds (`BaseAnthropic`). Only the fields read here are listed. */
export interface AnthropicClientLike {
  baseURL?: unknown;
  /** The tracer of the SDK's own spans; `undefined` when the client's spans are disabled. */
  _tracer?: unknown;
  /** `gen_ai.provider.name` of the client's platform (`anthropic`, or e.g. `aws.bedrock` for Bedrock clients). */
  _genAIProviderName?: unknown;
}

/** `Messages` / `BetaMessages` instances. */
export interface MessagesResource {
  _client?: AnthropicClientLike;
}

/** A resource class whose prototype is patched. */
export interface ResourceClass {
  prototype: Record<string, unknown>;
}

/**
 * The SDK's call span as it travels in request options (`__span`). Passing one makes the SDK use it
 * instead of starting its own span for the call (`startApiCallSpan`).
 */
export interface SdkCallSpan {
  span: Span;
  name: string;
  startTime: number;
  [key: string]: unknown;
}

/** The request options the instrumentation reads or extends. */
export interface RequestOptionsLike {
  __span?: unknown;
  openTelemetry?: { conversationId?: unknown };
  [key: string]: unknown;
}
