import type { TracerProvider } from '@opentelemetry/api';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';

/**
 * What this integration does for a call while `@ai-sdk/otel`'s own integration (`OpenTelemetry` or
 * `LegacyOpenTelemetry`) is registered globally too (`registerTelemetry`):
 * - `defer`: this integration records nothing for the call; `@ai-sdk/otel`'s spans are the only ones,
 *   so each model call still yields one model span.
 * - `keep`: both record: two span trees per call (theirs and ours), side by side under the caller's span.
 *
 * Only global registrations are seen: per-call `telemetry.integrations` replace the global list, and
 * an integration listed there runs as listed.
 */
export type AiSdkOtelIntegrationRule = 'defer' | 'keep';

/** Options of {@link AgentOtelTelemetry} and `registerAiSdkTelemetry`. Content capture follows core's content policy. */
export interface AiSdkTelemetryOptions {
  /**
   * The tracer provider of the spans (their scope is `@agent-otel/ai-sdk`). Default: the global
   * provider, as for every instrumentation.
   */
  tracerProvider?: TracerProvider;
  /**
   * The rule when `@ai-sdk/otel`'s integration is registered too (see {@link AiSdkOtelIntegrationRule}).
   *
   * @default 'defer', or the `AGENT_OTEL_AI_SDK_OTEL_INTEGRATION` environment variable (`defer` or
   * `keep`) when the option is not given.
   */
  otelIntegration?: AiSdkOtelIntegrationRule;
}

/** Configuration of {@link AiSdkInstrumentation}. */
export interface AiSdkInstrumentationConfig extends InstrumentationConfig {
  /**
   * Whether the instrumentation registers its integration as soon as `ai` is loaded. With `false`, it
   * does when `enable()` is called (`registerInstrumentations()` and `@agent-otel/node` do that).
   *
   * @default true. `OTEL_SDK_DISABLED=true` turns all agent-otel tracing off.
   */
  enabled?: boolean;
  /** See {@link AiSdkTelemetryOptions.otelIntegration}. */
  otelIntegration?: AiSdkOtelIntegrationRule;
}
