// Public surface of @agent-otel/langchain. Every export is listed by name.
export { AgentOtelCallbackHandler, MAX_OPEN_RUNS } from './AgentOtelCallbackHandler.js';
export { LangChainInstrumentation } from './instrumentation.js';
export { createLangChainHandler, registerLangChainHandler } from './register.js';
export type { LangChainContextModule } from './configure-hook.js';
export type { LangChainHandlerOptions, LangChainInstrumentationConfig } from './types.js';
export {
  ATTR_LANGCHAIN_RUN_ID,
  ATTR_LANGCHAIN_TAGS,
  ATTR_LANGGRAPH_CHECKPOINT_ID,
  ATTR_LANGGRAPH_INTERRUPTED,
  ATTR_LANGGRAPH_NODE,
  ATTR_LANGGRAPH_RESUMED,
  ATTR_LANGGRAPH_STEP,
} from './attributes.js';
export { providerName } from './utils.js';
export { PACKAGE_NAME, PACKAGE_VERSION, SUPPORTED_VERSIONS } from './version.js';
