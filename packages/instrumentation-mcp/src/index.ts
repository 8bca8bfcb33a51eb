// Public surface of @agent-otel/instrumentation-mcp. Every export is listed by name.
export { McpInstrumentation, SUPPORTED_MCP_SDK_VERSIONS } from './instrumentation.js';
export type { McpInstrumentationConfig } from './types.js';
export { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';
