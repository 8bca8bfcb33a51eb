// Reading and parsing request bodies: JSON objects, multipart forms, and the malformed rest.
import type { IncomingMessage } from 'node:http';
import { multipartBoundary, parseMultipart } from './multipart.js';
import type { MultipartForm } from './script.js';

/** Largest request body accepted (413 above it). */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** Thrown by {@link readBody} past {@link MAX_BODY_BYTES}. */
export class BodyTooLargeError extends Error {}

/** Reads the whole request body. */
export async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Whether `value` is a JSON object (not an array, not a Buffer). */
export function isPlainObject(value: unknown): value is Record<string, any> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** A parsed request body. */
export interface ParsedBody {
  /** The parsed JSON value, the raw Buffer of a multipart body, or `undefined` (empty or invalid JSON). */
  body: any;
  form?: MultipartForm;
  /** The body is neither empty, multipart, nor a JSON object. */
  malformed: boolean;
}

/** Parses a body as multipart (by content type) or JSON. */
export function parseBody(rawBody: Buffer, contentType: string | undefined): ParsedBody {
  const boundary = multipartBoundary(contentType);
  if (boundary !== undefined)
    return { body: rawBody, form: parseMultipart(rawBody, boundary), malformed: false };
  if (rawBody.length === 0) return { body: undefined, malformed: false };
  try {
    const body: unknown = JSON.parse(rawBody.toString('utf8'));
    return { body, malformed: !isPlainObject(body) };
  } catch {
    return { body: undefined, malformed: true };
  }
}

/** The path of a request URL, without the query string. */
export function requestPath(url: string | undefined): string {
  return (url ?? '/').split('?')[0] ?? '/';
}
