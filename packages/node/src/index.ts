// Public surface of @agent-otel/node. Every export is listed by name.

export { register } from './register-sdk.js';
export { resolveConfig } from './resolve-config.js';
export type {
  AgentOtelHandle,
  InstrumentationLike,
  LocalExporterName,
  OtlpProtocol,
  PropagatorName,
  RegisterOptions,
  ResolvedBatchConfig,
  ResolvedConfig,
  ResolvedOtlpConfig,
  TracesExporterName,
} from './types.js';
