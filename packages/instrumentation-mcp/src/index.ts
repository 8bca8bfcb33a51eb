// Public surface of @agent-otel/instrumentation-mcp. Every export is listed by name.
export { McpInstrumentation } from './instrumentation.js';
export type { McpInstrumentationConfig } from './types.js';
export { PACKAGE_NAME, PACKAGE_VERSION, SUPPORTED_VERSIONS } from './version.js';
