// Public surface of @agent-otel/instrumentation-openai. Every export is listed by name.
export { OpenAIInstrumentation } from './instrumentation.js';
export type { OpenAIInstrumentationConfig } from './types.js';
export { PACKAGE_NAME, PACKAGE_VERSION, SUPPORTED_VERSIONS } from './version.js';
