/** How message content is captured, per `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT`. */
export type ContentCaptureMode = 'NO_CONTENT' | 'SPAN_ONLY' | 'EVENT_ONLY' | 'SPAN_AND_EVENT';

/** Which kind of content a value is; redactors and size limits can treat kinds differently. */
export type ContentField =
  | 'input.messages'
  | 'output.messages'
  | 'system_instructions'
  | 'tool.definitions'
  | 'tool.call.arguments'
  | 'tool.call.result'
  | 'rerank.input'
  | 'rerank.output'
  | 'retrieval.query.text'
  | 'retrieval.documents'
  | 'custom.data'
  | 'error.data'
  | 'other';

/** A redactor receives every string leaf (and each object key's value) before it is recorded. */
export type Redactor = (value: string, context: { field: ContentField; key?: string }) => string;

/** The outcome of serialising one value for an attribute: always valid JSON (or a plain string). */
export interface SerializedContent {
  /** The attribute value; valid JSON when the input was not a plain string. */
  readonly value: string;
  /** True when the value was cut to `maxAttributeLength`. */
  readonly truncated: boolean;
}

/** Content capture options; the first two can also come from the environment (see docs/content-policy.md). */
export interface ContentOptions {
  /** Capture mode; default from `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT`, else `NO_CONTENT`. */
  captureMode?: ContentCaptureMode | boolean;
  /** Maximum characters of one serialised content attribute; default 16384 (`AGENT_OTEL_CONTENT_MAX_LENGTH`). */
  maxAttributeLength?: number;
  /** Redactors applied in order to every string; default: the built-in API-key redactor. */
  redactors?: Redactor[];
  /**
   * Extra object keys whose values are always recorded as `[REDACTED]`, in addition to the
   * built-in ones (`authorization`, `api_key`, `password`, `secret`, `token`, …); matched ignoring
   * case, `-`, `_` and `.`. Options only (no environment variable).
   */
  sensitiveKeys?: string[];
}

/** The resolved, immutable content policy shared by the manual API and every adapter. */
export interface ContentPolicy {
  readonly mode: ContentCaptureMode;
  /** True when content goes on span attributes (`SPAN_ONLY`, `SPAN_AND_EVENT`). */
  readonly captureOnSpan: boolean;
  /** True when content goes on the `gen_ai.client.inference.operation.details` event. */
  readonly captureOnEvent: boolean;
  readonly maxAttributeLength: number;
  /** Redacts, caps and serialises a value; never throws. */
  serialize(value: unknown, field: ContentField): SerializedContent;
}
