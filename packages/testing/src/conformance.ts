// "@agent-otel/testing/conformance": checks spans, metrics and log records against the vendored
// GenAI semantic-convention registry (semconv/v0.1.0.json). Pure: it reads the registry file once
// and never needs the OTel SDK at run time (only its types). Every export is listed by name.

export { assertConformant, checkTelemetry, conformanceMessage } from './assert-conformant.js';
export type { Telemetry } from './assert-conformant.js';
export { checkSpans } from './check-spans.js';
export { checkMetrics } from './check-metrics.js';
export type { MetricsInput } from './check-metrics.js';
export { checkLogRecords } from './check-log-records.js';
export { formatFindings } from './conformance-report.js';
export type {
  ConformanceFinding,
  ConformanceReport,
  ConformanceRule,
  ConformanceSignal,
} from './conformance-report.js';
export type { CheckOptions } from './registry-index.js';
export { SEMCONV_REGISTRY_VERSION, semconvRegistry } from './semconv-registry.js';
export type {
  AttributeDefinition,
  EventDefinition,
  MetricDefinition,
  RequirementLevel,
  SemconvRegistry,
  SpanDefinition,
} from './semconv-registry.js';
