// Errors of the OTLP decoders: a malformed request (400) and a request over a bound (413).

/** The encodings the decoders read. */
export type OtlpFormat = 'OTLP/protobuf' | 'OTLP/JSON' | 'JSONL';

/**
 * A malformed export request or file line. The message names the format, the field (a path such as
 * `resource_spans[0].scope_spans[0].spans[3].trace_id`), the problem and, for protobuf, the byte
 * offset in the (decompressed) body. Nothing of a request that fails to decode is stored.
 */
export class OtlpDecodeError extends Error {
  readonly format: OtlpFormat;
  /** The field path, e.g. `resourceSpans[0].scopeSpans[0].spans[1].traceId`; empty for the whole body. */
  readonly field: string;
  /** What is wrong with it. */
  readonly problem: string;
  /** The byte offset in the decompressed body (protobuf only). */
  readonly offset: number | undefined;

  constructor(format: OtlpFormat, field: string, problem: string, offset?: number) {
    const where = field === '' ? '' : `${field}: `;
    const at = offset === undefined ? '' : ` (at byte ${offset})`;
    super(`invalid ${format}: ${where}${problem}${at}`);
    this.name = 'OtlpDecodeError';
    this.format = format;
    this.field = field;
    this.problem = problem;
    this.offset = offset;
  }

  /** The same error with `prefix` prepended to its field path. */
  within(prefix: string): OtlpDecodeError {
    const field =
      this.field === ''
        ? prefix
        : this.field.startsWith('[')
          ? prefix + this.field
          : `${prefix}.${this.field}`;
    return new OtlpDecodeError(this.format, field, this.problem, this.offset);
  }
}

/** A request over one of the bounds of `limits.ts` (body size, spans per request): HTTP 413. */
export class OtlpLimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OtlpLimitError';
  }
}

/** Rethrows `error`, with `prefix` prepended to its field path when it is an {@link OtlpDecodeError}. */
export function rethrowWithin(error: unknown, prefix: string): never {
  if (error instanceof OtlpDecodeError) throw error.within(prefix);
  throw error;
}

/** A request in a media type or content encoding the receiver does not take: HTTP 415. */
export class UnsupportedMediaTypeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnsupportedMediaTypeError';
  }
}
