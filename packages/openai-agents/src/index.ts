// Public surface of @agent-otel/openai-agents. Every export is listed by name.

export {
  OpenAIAgentsTracingProcessor,
  ATTR_AGENT_OTEL_OPENAI_AGENTS_ENDED_BY,
  MODEL_SPANS_ENV,
} from './processor.js';
export {
  instrumentOpenAIAgents,
  OpenAIAgentsInstrumentation,
  OPENAI_EXPORTER_ENV,
  resolveOpenAIExporterMode,
  SUPPORTED_VERSIONS,
} from './register.js';
export { createOtelTracingContextStorage, OtelTracingContextStorage } from './context-storage.js';
export type { ContextBridge } from './context-storage.js';
export { toCoreSpanData, SPEECH_GROUP_SPAN_NAME } from './span-mapping.js';
export type { MappingContext } from './span-mapping.js';
export { DEFAULT_MAX_OPEN_SPANS, DEFAULT_MAX_OPEN_TRACES } from './types.js';
export type {
  InstrumentOpenAIAgentsOptions,
  ModelSpanMode,
  OpenAIAgentsInstrumentationConfig,
  OpenAIAgentsInstrumentationHandle,
  OpenAIAgentsModule,
  OpenAIAgentsTracingProcessorOptions,
  OpenAIExporterMode,
} from './types.js';
export { VERSION, INSTRUMENTATION_NAME } from './version.js';
