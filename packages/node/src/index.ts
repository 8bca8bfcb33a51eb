// Public surface of @agent-otel/node. Every export is listed by name.

export { register } from './register-sdk.js';
export { resolveConfig } from './resolve-config.js';
export type {
  AgentOtelHandle,
  InstrumentationLike,
  LocalExporterName,
  LogsExporterName,
  MetricsExporterName,
  MetricsHistogramAggregation,
  MetricsTemporalityPreference,
  OtlpProtocol,
  PropagatorName,
  RegisterOptions,
  ResolvedBatchConfig,
  ResolvedConfig,
  ResolvedLogRecordLimits,
  ResolvedMetricsConfig,
  ResolvedOtlpConfig,
  ResolvedSpanLimits,
  TracesExporterName,
} from './types.js';
