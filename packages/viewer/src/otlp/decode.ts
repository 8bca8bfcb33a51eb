// One entry point for an OTLP/HTTP trace export body: content type and encoding checked, the body
// decompressed within the size bound, then decoded as protobuf or JSON.
import { promisify } from 'node:util';
import { gunzip, inflate, inflateRaw, type InputType, type ZlibOptions } from 'node:zlib';
import type { Span } from '../model.js';
import { DEFAULT_LIMITS, type Limits } from '../limits.js';
import { decodeOtlpJson } from './decode-json.js';
import { decodeOtlpProtobuf } from './decode-protobuf.js';
import { OtlpDecodeError, OtlpLimitError, UnsupportedMediaTypeError } from './errors.js';

/** The two OTLP/HTTP encodings. */
export type OtlpEncoding = 'protobuf' | 'json';

/** The body encodings (`Content-Encoding`) the receiver takes. */
export type OtlpContentEncoding = 'identity' | 'gzip' | 'deflate';

/** The OTLP encoding of a `Content-Type` header value, or undefined when it is neither. */
export function otlpEncodingOf(contentType: string | undefined): OtlpEncoding | undefined {
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'protobuf';
  if (type === 'application/json') return 'json';
  return undefined;
}

/**
 * The content encoding of a `Content-Encoding` header value.
 * @throws UnsupportedMediaTypeError for any other encoding (br, zstd, a list of several).
 */
export function contentEncodingOf(header: string | undefined): OtlpContentEncoding {
  const value = (header ?? '').trim().toLowerCase();
  if (value === '' || value === 'identity') return 'identity';
  if (value === 'gzip' || value === 'x-gzip') return 'gzip';
  if (value === 'deflate') return 'deflate';
  throw new UnsupportedMediaTypeError(
    `Content-Encoding ${JSON.stringify(value.slice(0, 40))} is not supported: send gzip, deflate or an uncompressed body`,
  );
}

type Unzip = (buffer: InputType, options: ZlibOptions) => Promise<Buffer>;
const gunzipAsync = promisify(gunzip) as Unzip;
const inflateAsync = promisify(inflate) as Unzip;
const inflateRawAsync = promisify(inflateRaw) as Unzip;

/**
 * The body decompressed, at most `maxBytes` long.
 * @throws OtlpLimitError past `maxBytes`; OtlpDecodeError when the compressed data is corrupt.
 */
export async function decompressBody(
  body: Buffer,
  encoding: OtlpContentEncoding,
  maxBytes: number,
  format: OtlpEncoding = 'protobuf',
): Promise<Buffer> {
  if (encoding === 'identity') return body;
  const options: ZlibOptions = { maxOutputLength: maxBytes };
  try {
    if (encoding === 'gzip') return await gunzipAsync(body, options);
    try {
      return await inflateAsync(body, options);
    } catch (error) {
      // `deflate` is zlib-wrapped by the HTTP spec; some senders send raw deflate.
      if ((error as NodeJS.ErrnoException).code !== 'Z_DATA_ERROR') throw error;
      return await inflateRawAsync(body, options);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new OtlpLimitError(`the decompressed body is larger than ${maxBytes} bytes`);
    }
    throw new OtlpDecodeError(
      format === 'json' ? 'OTLP/JSON' : 'OTLP/protobuf',
      '',
      `the ${encoding} body cannot be decompressed (${(error as Error).message})`,
    );
  }
}

/** Options of {@link decodeTraceRequest}. */
export interface DecodeTraceRequestOptions {
  /** The request's `Content-Type` header. */
  readonly contentType: string | undefined;
  /** The request's `Content-Encoding` header. */
  readonly contentEncoding?: string | undefined;
  readonly limits?: Limits;
}

/**
 * Decodes an OTLP/HTTP trace export request body into bounded spans.
 * @throws UnsupportedMediaTypeError (415), OtlpLimitError (413), OtlpDecodeError (400).
 */
export async function decodeTraceRequest(body: Buffer, options: DecodeTraceRequestOptions): Promise<Span[]> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const format = otlpEncodingOf(options.contentType);
  if (format === undefined) {
    throw new UnsupportedMediaTypeError(
      `Content-Type ${JSON.stringify((options.contentType ?? '').slice(0, 80))} is not OTLP: ` +
        'send application/x-protobuf or application/json',
    );
  }
  const encoding = contentEncodingOf(options.contentEncoding);
  if (body.length > limits.maxRequestBytes) {
    throw new OtlpLimitError(`the body is larger than ${limits.maxRequestBytes} bytes`);
  }
  const plain = await decompressBody(body, encoding, limits.maxRequestBytes, format);
  return format === 'protobuf' ? decodeOtlpProtobuf(plain, limits) : decodeOtlpJson(plain, limits);
}
