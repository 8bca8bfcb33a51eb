// Public surface of @agent-otel/ai-sdk. Every export is listed by name.
export { AgentOtelTelemetry, MAX_OPEN_CALLS } from './AgentOtelTelemetry.js';
export { AiSdkInstrumentation } from './instrumentation.js';
export { createAiSdkTelemetry, registerAiSdkTelemetry } from './register.js';
export type { AiModuleLike } from './register.js';
export type { AiSdkInstrumentationConfig, AiSdkOtelIntegrationRule, AiSdkTelemetryOptions } from './types.js';
export { OTEL_INTEGRATION_ENV, providerName } from './utils.js';
export { PACKAGE_NAME, PACKAGE_VERSION, SUPPORTED_VERSIONS } from './version.js';
