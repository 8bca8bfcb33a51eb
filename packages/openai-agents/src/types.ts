import type { TracerProvider } from '@opentelemetry/api';
import type { InstrumentationConfig } from '@opentelemetry/instrumentation';
import type { TracingContextStorage, TracingProcessor } from '@openai/agents';
import type { OpenAIAgentsTracingProcessor } from './OpenAIAgentsTracingProcessor.js';

/**
 * How a model call looks when both the bridge (the SDK's `generation` / `response` span) and a client
 * instrumentation (e.g. `@agent-otel/instrumentation-openai`'s `chat {model}` span) trace it.
 * - `merge`: one `chat {model}` span. The bridge's span stays (SDK ids and timestamps, its place in the
 *   SDK tree); a client instrumentation running inside claims it through core's
 *   `claimModelCallSpan()` and records onto it (server address, request parameters, streaming, time to
 *   first chunk, the exact error type). Fields both layers know keep the client's value.
 * - `nest`: two spans per call — the client's span nested under the bridge's.
 * - `client`: the bridge records no span for SDK model calls; the client instrumentation's span,
 *   under the turn or agent span, is the only one (SDK span ids and SDK-only data are not recorded,
 *   and nothing is recorded when no client instrumentation is active).
 */
export type ModelSpanMode = 'merge' | 'nest' | 'client';

/** What to do with the SDK's default exporter (the one sending traces to the OpenAI dashboard). */
export type OpenAIExporterMode = 'auto' | 'keep' | 'drop';

/** Options of {@link OpenAIAgentsTracingProcessor}. */
export interface OpenAIAgentsTracingProcessorOptions {
  /**
   * How SDK model-call spans and a client instrumentation's model spans appear together (see
   * {@link ModelSpanMode}). Default: `merge`; environment: `AGENT_OTEL_OPENAI_AGENTS_MODEL_SPANS`.
   */
  modelSpans?: ModelSpanMode;
  /**
   * Most SDK traces tracked at once. Past it the oldest trace is ended, with its open spans, and marked
   * `agent_otel.openai_agents.ended_by=evicted`, so a leak in user code (runs never finished) cannot
   * grow memory without bound. Default: {@link DEFAULT_MAX_OPEN_TRACES} (no environment variable).
   */
  maxOpenTraces?: number;
  /**
   * Most SDK spans open at once, over all traces; past it the oldest open span is ended and marked
   * like an evicted trace. Default: {@link DEFAULT_MAX_OPEN_SPANS} (no environment variable).
   */
  maxOpenSpans?: number;
  /**
   * The tracer provider whose tracer starts the spans (scope `@agent-otel/openai-agents`), and which
   * `forceFlush()` / `shutdown()` flush. Default: spans start with agent-otel core's tracer (core's
   * `setTracerProvider`, else the global provider), and the global provider is flushed (no environment
   * variable).
   */
  tracerProvider?: TracerProvider;
}

/** Options of {@link instrumentOpenAIAgents}: the processor's, plus how it is installed. */
export interface InstrumentOpenAIAgentsOptions extends OpenAIAgentsTracingProcessorOptions {
  /**
   * The SDK's default exporter (`@openai/agents` registers it at import; it sends traces to OpenAI):
   * - `keep`: add the bridge beside the processors already registered;
   * - `drop`: replace every processor registered so far by the bridge (register others afterwards);
   * - `auto`: `keep` when an OpenAI key is configured for it (`OPENAI_API_KEY` set and
   *   `OPENAI_BASE_URL`, if set, pointing at api.openai.com), else `drop` — so an app without an OpenAI
   *   key (another provider, a local model, tests) never gets the exporter's "No API key" errors.
   *   A key given with `setTracingExportApiKey()` is not visible here: pass `keep`.
   *
   * With `drop`, the SDK's default exporter stays dropped if a second copy of `@openai/agents` (e.g.
   * its ESM build, imported after the bridge was installed from CommonJS) registers it again.
   * Default: `auto`; environment: `AGENT_OTEL_OPENAI_AGENTS_EXPORTER`.
   */
  openAIExporter?: OpenAIExporterMode;
  /**
   * Make the OpenTelemetry context follow the SDK's span context (through the SDK's
   * `setTracingContextStorage()` hook), so HTTP, database and model-client spans started inside an
   * agent, tool or model call nest under its span. Default: `true` (no environment variable).
   */
  propagateContext?: boolean;
  /**
   * Keep the bridge registered, first, when user code later calls `setTraceProcessors()` (which
   * otherwise removes every processor it is not given). Default: `true` (no environment variable).
   */
  keepRegistered?: boolean;
}

/** Options of {@link OpenAIAgentsInstrumentation} (the class `@agent-otel/node`'s `register()` loads). */
export interface OpenAIAgentsInstrumentationConfig
  extends InstrumentOpenAIAgentsOptions, InstrumentationConfig {
  /**
   * Enable the module hooks in the constructor, as every OpenTelemetry instrumentation does.
   * Default: `true`; `register()` and `registerInstrumentations()` pass `false` and call `enable()`
   * once the tracer provider is set (no environment variable).
   */
  enabled?: boolean;
  /**
   * An `@openai/agents` module loaded without the require/import hooks (`import * as agents from
   * '@openai/agents'`), instrumented on `enable()`. Default: none — the bridge is installed when the
   * application loads `@openai/agents`.
   */
  agentsModule?: OpenAIAgentsModule;
}

/**
 * The functions of `@openai/agents` (or `@openai/agents-core`) the bridge uses; pass the module itself.
 * `setTracingContextStorage` is optional: without it the bridge records spans but cannot make the
 * OpenTelemetry context follow the SDK's.
 */
export interface OpenAIAgentsModule {
  addTraceProcessor(processor: TracingProcessor): void;
  setTraceProcessors(processors: TracingProcessor[]): void;
  getGlobalTraceProvider?(): unknown;
  setTracingContextStorage?(storage?: TracingContextStorage): void;
}

/** What {@link instrumentOpenAIAgents} returns. */
export interface OpenAIAgentsInstrumentationHandle {
  /** The bridge's processor. */
  readonly processor: OpenAIAgentsTracingProcessor;
  /** Whether the OpenTelemetry context follows the SDK's (the context-storage hook is installed). */
  readonly propagatesContext: boolean;
  /** Whether the SDK's default exporter was dropped. */
  readonly droppedOpenAIExporter: boolean;
  /**
   * Undoes what `instrumentOpenAIAgents` did as far as the SDK allows: removes the context hook and
   * the `setTraceProcessors` guard and turns the processor into a no-op (the SDK cannot remove one
   * processor). Never throws.
   */
  uninstrument(): void;
}

/** Default of {@link OpenAIAgentsTracingProcessorOptions.maxOpenTraces}. */
export const DEFAULT_MAX_OPEN_TRACES = 1000;
/** Default of {@link OpenAIAgentsTracingProcessorOptions.maxOpenSpans}. */
export const DEFAULT_MAX_OPEN_SPANS = 10_000;
