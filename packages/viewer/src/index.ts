// @agent-otel/viewer: a local traces page for agent runs. The command is `agent-otel-viewer`
// (src/cli.ts); this is the library under it: the server, the OTLP decoders, the store and the
// remote sources. Every export is listed by name.

export type {
  AttributeFilter,
  AttributeValue,
  Attributes,
  ConversationSummary,
  Span,
  SpanEvent,
  SpanKindName,
  StatsRow,
  StatusCodeName,
  TraceAnalysis,
  TraceDetail,
  TracePage,
  TraceQuery,
  TraceSortKey,
  TraceSource,
  TraceSummary,
} from './model.js';

export { DEFAULT_LIMITS, TOO_DEEP, TRUNCATION_MARKER, resolveLimits, truncate } from './limits.js';
export type { Limits } from './limits.js';

export { decodeOtlpProtobuf } from './otlp/decode-protobuf.js';
export { decodeOtlpJson, decodeOtlpJsonObject } from './otlp/decode-json.js';
export { contentEncodingOf, decodeTraceRequest, decompressBody, otlpEncodingOf } from './otlp/decode.js';
export type { DecodeTraceRequestOptions, OtlpContentEncoding, OtlpEncoding } from './otlp/decode.js';
export { OtlpDecodeError, OtlpLimitError, UnsupportedMediaTypeError } from './otlp/errors.js';
export type { OtlpFormat } from './otlp/errors.js';
export { importJsonlFile, jsonlRecordToSpan } from './otlp/jsonl-import.js';
export type { JsonlImportOptions, JsonlImportResult, JsonlSkippedLine } from './otlp/jsonl-import.js';

export { createViewerServer, DEFAULT_HOST, DEFAULT_PORT } from './server/http.js';
export type { SpanSink, ViewerServer, ViewerServerOptions } from './server/http.js';
export { CONTENT_SECURITY_POLICY } from './server/security.js';

export { Store, defaultDatabasePath } from './store/Store.js';
export type { InsertResult, StoreOptions } from './store/Store.js';
export type { PruneOptions, PruneResult } from './store/retention.js';
export { StoreFileError } from './store/errors.js';

export { FilterError, parseTraceQuery, traceQueryToParams } from './query/filters.js';
export { analyzeTrace, summarizeTrace } from './analysis.js';

export { JaegerSource, RemoteSourceError, TempoSource, remoteSourceFromOption } from './sources/index.js';
export type { JaegerSourceOptions, RemoteSourceOptions, TempoSourceOptions } from './sources/index.js';
