// Public surface of @agent-otel/instrumentation-openai. Every export is listed by name.
export { OpenAIInstrumentation, SUPPORTED_VERSIONS } from './instrumentation.js';
export type { OpenAIInstrumentationConfig } from './types.js';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
