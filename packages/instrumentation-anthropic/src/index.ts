// Public surface of @agent-otel/instrumentation-anthropic. Every export is listed by name.
export { AnthropicInstrumentation } from './instrumentation.js';
export type { AnthropicInstrumentationConfig, AnthropicSdkSpans } from './types.js';
export { SDK_SPANS_ENV } from './utils.js';
export { PACKAGE_NAME, PACKAGE_VERSION, SUPPORTED_VERSIONS } from './version.js';
