// Public surface of @agent-otel/core. Every export is listed by name.

// Semantic conventions (vendored)
export * from './semconv.js';

// Span kinds and their mapping onto OTel
export type {
  SpanData,
  SpanType,
  WorkflowSpanData,
  AgentSpanData,
  GenerationSpanData,
  ResponseSpanData,
  EmbeddingsSpanData,
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
} from './span-data.js';
export { mapSpanData, SPAN_TYPES } from './mapping.js';
export type { MappedSpan } from './mapping.js';
export type { TokenUsage } from './usage.js';

// Manual API
export { AgentSpan, NoopAgentSpan } from './AgentSpan.js';
export type { SpanOptions } from './AgentSpan.js';
export { createSpan, startSpan, withSpan, endWhenSettled, streamObserverFor } from './with-span.js';
export {
  withAgentSpan,
  withGenerationSpan,
  withResponseSpan,
  withEmbeddingsSpan,
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
  toSpanData,
} from './kinds.js';
export type { SpanDataOf, SpanInput, WithKindSpan, CreateKindSpan } from './kinds.js';
export { Trace, withTrace, startTrace, getCurrentTrace, getCurrentSpan } from './trace.js';
export type { TraceOptions } from './trace.js';
export { traced } from './traced.js';
export type { TracedOptions, TracedSpanType, TracedMethodDecorator } from './traced.js';
export type { SpanError } from './span-error.js';
export { recordError, errorTypeOf } from './record-error.js';
export { setTracingDisabled, isTracingDisabled } from './disable.js';
export { getTracer, setTracerProvider, TRACER_NAME } from './tracer.js';
export { VERSION } from './version.js';

// Streams and client calls (for adapters)
export {
  observeAsyncIterable,
  isObservableAsyncIterable,
  endOpenStreamSpans,
  watchUntilSettled,
} from './stream-observer.js';
export type { AsyncIterationObserver, StreamEndReason, PendingWatch } from './stream-observer.js';
export { traceClientCall } from './client-call.js';
export { anchorShapes } from './shape-anchors.js';
export { serverAddressFromURL } from './server-address.js';
export type { ServerAddress } from './server-address.js';
export type { ClientCallHooks } from './client-call.js';

// Content policy (helper H1 adds its exports below this line)
export type {
  ContentCaptureMode,
  ContentField,
  ContentOptions,
  ContentPolicy,
  Redactor,
  SerializedContent,
} from './content/types.js';
// @content-exports
export {
  configureContent,
  getContentPolicy,
  resetContentPolicy,
  createContentPolicy,
  parseCaptureMode,
  CAPTURE_MESSAGE_CONTENT_ENV,
  CONTENT_MAX_LENGTH_ENV,
  CONTENT_CAPTURE_MODES,
  DEFAULT_MAX_ATTRIBUTE_LENGTH,
} from './content/policy.js';
export type { ContentEnvironment, ParseCaptureModeOptions } from './content/policy.js';
export {
  redactApiKeys,
  redactEmails,
  isSensitiveKey,
  REDACTED_API_KEY,
  REDACTED_EMAIL,
  REDACTED_ERROR,
} from './content/redact.js';
export { safeStringify, safeString, toJsonSafe, REDACTED } from './content/safe-serialize.js';
export type { JsonValue, LeafRedaction, SafeStringifyOptions } from './content/safe-serialize.js';
export { truncateText, truncateJson } from './content/truncate.js';
export type { TruncateOptions } from './content/truncate.js';
export { toChatMessages, toOutputMessages, normalizeFinishReason } from './content/messages.js';
export type {
  ChatMessage,
  OutputMessage,
  MessagePart,
  MessageRole,
  FinishReason,
  Modality,
  TextPart,
  ToolCallRequestPart,
  ToolCallResponsePart,
  ReasoningPart,
  BlobPart,
  UriPart,
  FilePart,
  GenericPart,
} from './content/messages.js';

// Exporters, processors, pricing (helper H4 adds its exports below this line)
export {
  DEFAULT_PRICE_TABLE,
  DEFAULT_PRICE_TABLE_DATE,
  DEFAULT_PRICE_TABLE_SOURCES,
  estimateCost,
  extendPriceTable,
  getModelPrice,
  resetPriceTable,
  setModelPrice,
} from './pricing.js';
export type { ModelPrice, PriceTable } from './pricing.js';
export type { TraceProcessor } from './trace-processor.js';
export { addTraceProcessor, getTraceProcessors, setTraceProcessors } from './trace-processors-registry.js';
export { CompletedTrace } from './CompletedTrace.js';
export type { TraceError, TraceTokenTotals } from './CompletedTrace.js';
export type { TraceTreeNode } from './span-tree.js';
export {
  MAX_OPEN_TRACES,
  MAX_SPANS_PER_TRACE,
  TraceProcessorSpanProcessor,
} from './TraceProcessorSpanProcessor.js';
export type { TraceProcessorSpanProcessorOptions } from './TraceProcessorSpanProcessor.js';
export { DEFAULT_TIMELINE_WIDTH, renderTraceTree } from './render-trace-tree.js';
export type { RenderTraceTreeOptions } from './render-trace-tree.js';
export { CONSOLE_TREE_MAX_WAIT_MS, ConsoleTreeExporter } from './ConsoleTreeExporter.js';
export type { ConsoleTreeExporterOptions } from './ConsoleTreeExporter.js';
export { JSONL_MAX_PENDING_BATCHES, JsonlFileExporter, readJsonlSpans } from './JsonlFileExporter.js';
export type {
  JsonlEventRecord,
  JsonlFileExporterOptions,
  JsonlLinkRecord,
  JsonlSpanKind,
  JsonlSpanRecord,
  JsonlStatusCode,
} from './JsonlFileExporter.js';
export { BaggageSpanProcessor, DEFAULT_BAGGAGE_KEYS, ENV_BAGGAGE_KEYS } from './BaggageSpanProcessor.js';
export type { BaggageSpanProcessorOptions } from './BaggageSpanProcessor.js';

// Provider formats
export {
  anthropicUsage,
  anthropicFinishReasons,
  anthropicSystemInstructions,
  anthropicToolDefinitions,
  anthropicOutputMessage,
} from './providers/anthropic.js';
export type { AnthropicToolDefinition } from './providers/anthropic.js';
export {
  openAIUsage,
  openAIFinishReasons,
  openAIResponsesFinishReason,
  openAIToolDefinitions,
  openAIOutputType,
  openAIResponsesSystemInstructions,
  openAIResponsesInputMessages,
  openAIResponsesOutputMessages,
  openAICompletionPromptMessages,
  openAIErrorType,
} from './providers/openai.js';
export type { OpenAIToolDefinition } from './providers/openai.js';

// One span per model call when a framework bridge and a client instrumentation both trace it
export {
  claimModelCallSpan,
  getModelCallClaim,
  modelCallOwnerContext,
  shouldTraceModelCall,
  startModelCallSpan,
  withoutModelCallMerge,
} from './model-call-claim.js';
export type { ClaimableModelCallData, ModelCallClaim } from './model-call-claim.js';
export { openAIAgentsInputMessages, openAIAgentsUsage } from './providers/openai-agents.js';

// For instrumentation classes: their tracers, with the semconv schema URL
export { InstrumentationTracers } from './instrumentation-tracers.js';
