import type { InstrumentationConfig } from '@opentelemetry/instrumentation';

/**
 * What happens to the span that `@anthropic-ai/sdk` itself emits for a `messages.create` call
 * (`anthropic.messages.create`) while this instrumentation traces the same call:
 * - `suppress`: only this instrumentation's `chat` span is recorded; the SDK's span for the call is
 *   replaced by a non-recording placeholder that carries the `chat` span's context, so the SDK's
 *   trace headers still point at the `chat` span. The SDK's other spans (other endpoints, tool
 *   runner) are untouched.
 * - `defer`: when the client emits its own spans (its `openTelemetry` option or
 *   `ANTHROPIC_OPEN_TELEMETRY` did not turn them off), this instrumentation records nothing for the
 *   call and the SDK's span is the model span; otherwise this instrumentation records the call.
 * - `keep`: both spans are recorded; the SDK's span is a child of the `chat` span (for
 *   `messages.stream()`, its sibling).
 */
export type AnthropicSdkSpans = 'suppress' | 'defer' | 'keep';

/** Configuration of {@link AnthropicInstrumentation}. Content capture follows `@agent-otel/core`'s content policy. */
export interface AnthropicInstrumentationConfig extends InstrumentationConfig {
  /**
   * Whether the instrumentation patches `@anthropic-ai/sdk` as soon as it is constructed. With `false`,
   * it patches when `enable()` is called (`registerInstrumentations()` and `@agent-otel/node` do that).
   *
   * @default true. There is no environment variable for this option; `OTEL_SDK_DISABLED=true` turns all
   * agent-otel tracing off (patched methods then call the SDK directly).
   */
  enabled?: boolean;
  /**
   * The rule for the SDK's own `anthropic.messages.create` span, so one call does not produce two
   * model spans (see {@link AnthropicSdkSpans}).
   *
   * @default 'suppress', or the `AGENT_OTEL_ANTHROPIC_SDK_SPANS` environment variable
   * (`suppress`, `defer` or `keep`) when the option is not given.
   */
  sdkSpans?: AnthropicSdkSpans;
}
