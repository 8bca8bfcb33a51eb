// Pieces shared by the decoders: span kind and status names, the mutable span they build, and
// attribute values bounded by the limits.
import type { AttributeValue, Attributes, Span, SpanKindName, StatusCodeName } from '../model.js';
import { TOO_DEEP, truncate, type Limits } from '../limits.js';

/** Counts attributes kept and dropped for one attribute map. */
export interface Counter {
  kept: number;
  dropped: number;
}

/**
 * Sets the parent span id (when there is one) and the dropped counts (when any was dropped) of a
 * decoded span, in that order.
 */
export function setParentAndDropped(
  span: MutableSpan,
  parentSpanId: string,
  droppedAttributes: number,
  droppedEvents: number,
): void {
  if (parentSpanId !== '') span.parentSpanId = parentSpanId;
  if (droppedAttributes > 0 || droppedEvents > 0) {
    span.dropped =
      droppedEvents === 0
        ? { attributes: droppedAttributes }
        : droppedAttributes === 0
          ? { events: droppedEvents }
          : { attributes: droppedAttributes, events: droppedEvents };
  }
}

/** OTLP `SpanKind` numbers → names (the index is the number). */
export const KIND_NAMES: readonly SpanKindName[] = [
  'UNSPECIFIED',
  'INTERNAL',
  'SERVER',
  'CLIENT',
  'PRODUCER',
  'CONSUMER',
];

/** OTLP `Status.StatusCode` numbers → names. */
export const STATUS_NAMES: readonly StatusCodeName[] = ['UNSET', 'OK', 'ERROR'];

/** The service name of a resource without `service.name` (as the OTel SDKs default it). */
export const UNKNOWN_SERVICE = 'unknown_service';

/** A span while a decoder builds it (resource and scope are filled in when their message ends). */
export type MutableSpan = { -readonly [K in keyof Span]: Span[K] };

/** Sets an own property, even for the key `__proto__`. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** `service.name` of resource attributes, or {@link UNKNOWN_SERVICE}. */
export function serviceNameOf(resource: Attributes): string {
  const name = Object.prototype.hasOwnProperty.call(resource, 'service.name')
    ? resource['service.name']
    : undefined;
  return typeof name === 'string' && name !== '' ? name : UNKNOWN_SERVICE;
}

const HEX_TRACE_ID = /^[0-9a-fA-F]{32}$/;
const HEX_SPAN_ID = /^[0-9a-fA-F]{16}$/;
const ZEROS = /^0+$/;

/** The problem with a hex trace id (32 hex characters, not all zero), or undefined when valid. */
export function traceIdProblem(id: string): string | undefined {
  if (!HEX_TRACE_ID.test(id)) return `${quote(id)} is not 32 hex characters`;
  if (ZEROS.test(id)) return 'is all zeros (an invalid trace id)';
  return undefined;
}

/** The problem with a hex span id (16 hex characters, not all zero), or undefined when valid. */
export function spanIdProblem(id: string): string | undefined {
  if (!HEX_SPAN_ID.test(id)) return `${quote(id)} is not 16 hex characters`;
  if (ZEROS.test(id)) return 'is all zeros (an invalid span id)';
  return undefined;
}

/** A value for an error message: JSON-quoted, at most 40 characters of it. */
export function quote(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}

/** A decimal string of an unsigned 64-bit integer (a time in nanoseconds). */
export const UINT64 = /^(0|[1-9][0-9]{0,19})$/;
const UINT64_MAX = 18446744073709551615n;

/** Whether `text` is a decimal unsigned 64-bit integer without leading zeros. */
export function isUint64(text: string): boolean {
  return UINT64.test(text) && (text.length < 20 || BigInt(text) <= UINT64_MAX);
}

/**
 * A plain JSON attribute value (as JsonlFileExporter writes them: `{"$bytes": base64}`,
 * `{"$number": "NaN"}`, `{"$map": {...}}` tags) bounded by `limits`: strings truncated, arrays and
 * maps cut to `maxValueItems`, nesting cut at `maxValueDepth`. Bytes stay base64 text, non-finite
 * numbers become their names (`"NaN"`), anything else that is not JSON becomes null.
 */
export function boundJsonValue(value: unknown, limits: Limits, depth = 0): AttributeValue {
  switch (typeof value) {
    case 'string':
      return truncate(value, limits.maxAttributeValueLength);
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : String(value);
    case 'object':
      break;
    default:
      return null;
  }
  if (value === null) return null;
  if (depth >= limits.maxValueDepth) return TOO_DEEP;
  if (Array.isArray(value)) {
    const count = Math.min(value.length, limits.maxValueItems);
    const out: AttributeValue[] = new Array<AttributeValue>(count);
    for (let i = 0; i < count; i++) out[i] = boundJsonValue(value[i], limits, depth + 1);
    return out;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1) {
    const tag = keys[0]!;
    const inner = obj[tag];
    if (tag === '$bytes' && typeof inner === 'string') return truncate(inner, limits.maxAttributeValueLength);
    if (tag === '$number' && typeof inner === 'string')
      return truncate(inner, limits.maxAttributeValueLength);
    if (tag === '$map' && inner !== null && typeof inner === 'object' && !Array.isArray(inner)) {
      // A map whose only key looks like a tag: its content is a plain map, not a tag.
      return boundMap(inner as Record<string, unknown>, limits, depth);
    }
  }
  return boundMap(obj, limits, depth);
}

function boundMap(
  obj: Record<string, unknown>,
  limits: Limits,
  depth: number,
): Record<string, AttributeValue> {
  const keys = Object.keys(obj);
  const out: Record<string, AttributeValue> = {};
  const count = Math.min(keys.length, limits.maxValueItems);
  for (let i = 0; i < count; i++) {
    const key = keys[i]!;
    setOwn(out, truncate(key, limits.maxAttributeKeyLength), boundJsonValue(obj[key], limits, depth + 1));
  }
  return out;
}
