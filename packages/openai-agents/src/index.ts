// Public surface of @agent-otel/openai-agents. Every export is listed by name.

// The bridge: the Agents SDK's TracingProcessor, and how it is installed
export { OpenAIAgentsTracingProcessor } from './OpenAIAgentsTracingProcessor.js';
export { ATTR_AGENT_OTEL_OPENAI_AGENTS_ENDED_BY, MODEL_SPANS_ENV } from './OpenAIAgentsTracingProcessor.js';
export { OpenAIAgentsInstrumentation } from './instrumentation.js';
export { instrumentOpenAIAgents, OPENAI_EXPORTER_ENV, resolveOpenAIExporterMode } from './register.js';

// The context hook, for installing it by hand
export { createOtelTracingContextStorage, OtelTracingContextStorage } from './OtelTracingContextStorage.js';
export type { ContextBridge } from './OtelTracingContextStorage.js';

// The span mapping
export { toCoreSpanData, SPEECH_GROUP_SPAN_NAME } from './span-mapping.js';
export type { MappingContext } from './span-mapping.js';

// Configuration
export { DEFAULT_MAX_OPEN_SPANS, DEFAULT_MAX_OPEN_TRACES } from './types.js';
export type { InstrumentOpenAIAgentsOptions, ModelSpanMode, OpenAIExporterMode } from './types.js';
export type { OpenAIAgentsInstrumentationConfig, OpenAIAgentsTracingProcessorOptions } from './types.js';
export type { OpenAIAgentsInstrumentationHandle, OpenAIAgentsModule } from './types.js';
export { PACKAGE_NAME, PACKAGE_VERSION, SUPPORTED_VERSIONS } from './version.js';
