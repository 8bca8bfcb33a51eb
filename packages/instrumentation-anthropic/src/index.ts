// Public surface of @agent-otel/instrumentation-anthropic. Every export is listed by name.
export { AnthropicInstrumentation, SUPPORTED_VERSIONS } from './instrumentation.js';
export type { AnthropicInstrumentationConfig, AnthropicSdkSpans } from './types.js';
export { SDK_SPANS_ENV } from './utils.js';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
