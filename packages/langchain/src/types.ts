import type { TracerProvider } from '@opentelemetry/api';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';

/** Options of {@link AgentOtelCallbackHandler}. Content capture follows core's content policy. */
export interface LangChainHandlerOptions {
  /**
   * The tracer provider of the spans (their scope is `@agent-otel/langchain`). Default: the global
   * provider, as for every instrumentation.
   */
  tracerProvider?: TracerProvider;
}

/** Configuration of {@link LangChainInstrumentation}. */
export interface LangChainInstrumentationConfig extends InstrumentationConfig {
  /**
   * Whether the instrumentation registers its callback handler as soon as `@langchain/core` is loaded.
   * With `false`, it does when `enable()` is called (`registerInstrumentations()` and `@agent-otel/node`
   * do that).
   *
   * @default true. `OTEL_SDK_DISABLED=true` turns all agent-otel tracing off.
   */
  enabled?: boolean;
}
