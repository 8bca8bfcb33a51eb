import type { InstrumentationConfig } from '@opentelemetry/instrumentation';

/**
 * Configuration of {@link OpenAIInstrumentation}.
 *
 * Content capture (messages, tool definitions, transcripts) is not configured here: it follows
 * `@agent-otel/core`'s process-wide content policy, set with `configureContent()` or the
 * `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT` environment variable (default: no content).
 */
export interface OpenAIInstrumentationConfig extends InstrumentationConfig {
  /**
   * Whether the instrumentation patches `openai` as soon as it is constructed. With `false`, it patches
   * when `enable()` is called (`registerInstrumentations()` and `@agent-otel/node` do that).
   *
   * @default true. There is no environment variable for this option; `OTEL_SDK_DISABLED=true` turns all
   * agent-otel tracing off (patched methods then call the SDK directly).
   */
  enabled?: boolean;
}
