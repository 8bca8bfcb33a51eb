// Public surface of @agent-otel/node. Every export is listed by name.

export { register } from './registerSdk.js';
export { resolveConfig } from './resolveConfig.js';
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
