// @agent-otel/core: the application API. Every export is listed by name.
// Adapters use "@agent-otel/core/instrumentation"; semantic-convention names are in
// "@agent-otel/core/semconv".

// Span kinds
export type {
  SpanData,
  SpanType,
  WorkflowSpanData,
  AgentSpanData,
  GenerationSpanData,
  ResponseSpanData,
  EmbeddingsSpanData,
  RerankSpanData,
  RetrievalSpanData,
  FunctionSpanData,
  HandoffSpanData,
  GuardrailSpanData,
  McpToolsSpanData,
  McpCallSpanData,
  McpRequestSpanData,
  McpRequestFields,
  McpToolCallFields,
  CustomSpanData,
  SpeechSpanData,
  TranscriptionSpanData,
  TaskSpanData,
  TurnSpanData,
  ModelRequestParameters,
} from './kinds/span-data.js';
export type { ModalityUsage, TokenUsage } from './usage/usage.js';

// Manual API
export { AgentSpan, NoopAgentSpan } from './api/AgentSpan.js';
export type { SpanOptions } from './api/AgentSpan.js';
export { createSpan, startSpan, withSpan, endWhenSettled } from './api/with-span.js';
export {
  withAgentSpan,
  withGenerationSpan,
  withResponseSpan,
  withEmbeddingsSpan,
  withRerankSpan,
  withRetrievalSpan,
  withToolSpan,
  withFunctionSpan,
  withHandoffSpan,
  withGuardrailSpan,
  withMcpToolsSpan,
  withMcpCallSpan,
  withMcpRequestSpan,
  withCustomSpan,
  withSpeechSpan,
  withTranscriptionSpan,
  withTaskSpan,
  withTurnSpan,
  createAgentSpan,
  createGenerationSpan,
  createResponseSpan,
  createEmbeddingsSpan,
  createRerankSpan,
  createRetrievalSpan,
  createToolSpan,
  createFunctionSpan,
  createHandoffSpan,
  createGuardrailSpan,
  createMcpToolsSpan,
  createMcpCallSpan,
  createMcpRequestSpan,
  createCustomSpan,
  createSpeechSpan,
  createTranscriptionSpan,
  createTaskSpan,
  createTurnSpan,
} from './kinds/factories.js';
export type { SpanDataOf, SpanInput, WithKindSpan, CreateKindSpan } from './kinds/factories.js';
export { Trace, withTrace, startTrace, getCurrentTrace, getCurrentSpan } from './api/trace.js';
export type { TraceOptions } from './api/trace.js';
export { traced } from './api/traced.js';
export type { TracedOptions, TracedSpanType, TracedMethodDecorator } from './api/traced.js';
export type { SpanError } from './api/span-error.js';
export { recordError } from './api/record-error.js';
export { setTracingDisabled, isTracingDisabled } from './api/disable.js';
export { setTracerProvider } from './api/tracer.js';
export { configureMetrics, resetMetrics } from './metrics/genai-metrics.js';
export type { MetricsOptions } from './metrics/genai-metrics.js';
export { setLoggerProvider } from './events/genai-events.js';
export { endOpenStreamSpans } from './calls/Observation.js';
export { VERSION } from './version.js';

// Content policy
export type { ContentCaptureMode, ContentOptions, Redactor } from './content/types.js';
export { configureContent, resetContentPolicy } from './content/policy.js';
export { redactApiKeys, redactEmails } from './content/redact.js';
export type { ChatMessage, OutputMessage, MessagePart } from './content/messages.js';

// Prices
export {
  DEFAULT_PRICE_TABLE,
  DEFAULT_PRICE_TABLE_DATE,
  DEFAULT_PRICE_TABLE_SOURCES,
  estimateCost,
  extendPriceTable,
  getModelPrice,
  resetPriceTable,
  setModelPrice,
} from './usage/pricing.js';
export type { ModelPrice, PriceTable } from './usage/pricing.js';

// Trace processors, exporters, span processors
export type { TraceProcessor } from './export/trace-processor.js';
export {
  addTraceProcessor,
  getTraceProcessors,
  setTraceProcessors,
} from './export/trace-processors-registry.js';
export { CompletedTrace } from './export/CompletedTrace.js';
export type { TraceError, TraceTokenTotals } from './export/CompletedTrace.js';
export type { TraceTreeNode } from './export/span-tree.js';
export {
  MAX_OPEN_TRACES,
  MAX_SPANS_PER_TRACE,
  TraceProcessorSpanProcessor,
} from './export/TraceProcessorSpanProcessor.js';
export type { TraceProcessorSpanProcessorOptions } from './export/TraceProcessorSpanProcessor.js';
export { DEFAULT_TIMELINE_WIDTH, renderTraceTree } from './export/render-trace-tree.js';
export type { RenderTraceTreeOptions } from './export/render-trace-tree.js';
export { CONSOLE_TREE_MAX_WAIT_MS, ConsoleTreeExporter } from './export/ConsoleTreeExporter.js';
export type { ConsoleTreeExporterOptions } from './export/ConsoleTreeExporter.js';
export { JSONL_MAX_PENDING_BATCHES, JsonlFileExporter, readJsonlSpans } from './export/JsonlFileExporter.js';
export type {
  JsonlEventRecord,
  JsonlFileExporterOptions,
  JsonlLinkRecord,
  JsonlSpanKind,
  JsonlSpanRecord,
  JsonlStatusCode,
} from './export/JsonlFileExporter.js';
export {
  BaggageSpanProcessor,
  DEFAULT_BAGGAGE_KEYS,
  ENV_BAGGAGE_KEYS,
} from './export/BaggageSpanProcessor.js';
export type { BaggageSpanProcessorOptions } from './export/BaggageSpanProcessor.js';
