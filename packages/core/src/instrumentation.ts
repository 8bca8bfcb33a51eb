// @agent-otel/core/instrumentation: the toolkit adapters are built from. Every export is listed by
// name. Applications use "@agent-otel/core".

// Span data → OpenTelemetry
export { mapSpanData, SPAN_TYPES } from './kinds/mapping.js';
export type { MappedSpan } from './kinds/mapping.js';
export { toSpanData } from './kinds/factories.js';
export { isModelCall, isClaimableModelCallType } from './kinds/model-call.js';
export type { ModelCallSpanData } from './kinds/model-call.js';
export { adapterTracerSource, getTracer, TRACER_NAME } from './api/tracer.js';
export { recordMcpSessionDuration, METER_NAME } from './metrics/genai-metrics.js';
export type { McpSessionMetric } from './metrics/genai-metrics.js';
export { errorTypeOf } from './api/record-error.js';
export { streamObserverFor } from './api/with-span.js';

// The base class of client instrumentations, and what adapters share
export { AgentOtelInstrumentation } from './calls/AgentOtelInstrumentation.js';
export type { ModelCallStart, ModelCallStarter, PatchableMethod } from './calls/AgentOtelInstrumentation.js';
export { FailureLog } from './calls/FailureLog.js';
export { StreamedCallHooks } from './calls/StreamedCallHooks.js';
export type { StreamAccumulator } from './calls/StreamedCallHooks.js';
export { parseArguments } from './content/message-parts.js';
export { isRecord, isThenable, numberOf, stringOf } from './values.js';

// Client calls and streams
export { traceClientCall } from './calls/client-call.js';
export type { ClientCallHooks } from './calls/client-call.js';
export { observeAsyncIterable, isObservableAsyncIterable } from './calls/stream-observer.js';
export type { AsyncIterationObserver } from './calls/stream-observer.js';
export type { StreamEndReason } from './calls/Observation.js';
export { watchUntilSettled } from './calls/pending-watch.js';
export type { PendingWatch } from './calls/pending-watch.js';
export { serverAddressFromURL } from './calls/server-address.js';
export { setMetadataAttributes, MAX_METADATA_ATTRIBUTES } from './calls/metadata-attributes.js';
export { keepShapes } from './calls/shape-anchors.js';
export type { ServerAddress } from './calls/server-address.js';

// One span per model call when a framework bridge and a client instrumentation both trace it
export {
  claimModelCallSpan,
  getModelCallClaim,
  modelCallOwnerContext,
  offerModelCallSpan,
  shouldTraceModelCall,
  startModelCallSpan,
  withoutModelCallMerge,
} from './calls/model-call-claim.js';
export type { ClaimableModelCallData, ModelCallClaim } from './calls/model-call-claim.js';
export type { SpanHandle } from './api/span-handle.js';

// Content: policy internals, serialisation, truncation, message normalisation
export type { ContentField, ContentPolicy, SerializedContent } from './content/types.js';
export {
  getContentPolicy,
  createContentPolicy,
  parseCaptureMode,
  CAPTURE_MESSAGE_CONTENT_ENV,
  CONTENT_MAX_LENGTH_ENV,
  CONTENT_CAPTURE_MODES,
  DEFAULT_MAX_ATTRIBUTE_LENGTH,
} from './content/policy.js';
export type { ContentEnvironment, ParseCaptureModeOptions } from './content/policy.js';
export { isSensitiveKey, REDACTED_API_KEY, REDACTED_EMAIL, REDACTED_ERROR } from './content/redact.js';
export { safeStringify, safeString, toJsonSafe, REDACTED } from './content/safe-serialize.js';
export type { JsonValue, LeafRedaction, SafeStringifyOptions } from './content/safe-serialize.js';
export { truncateText, truncateJson } from './content/truncate.js';
export type { TruncateOptions } from './content/truncate.js';
export { toChatMessages, toOutputMessages, normalizeFinishReason } from './content/messages.js';
export type {
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
  openAIModalities,
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
export { openAIAgentsInputMessages, openAIAgentsUsage } from './providers/openai-agents.js';
