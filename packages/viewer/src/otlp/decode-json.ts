// A decoder of OTLP/JSON trace export requests (the protobuf JSON mapping with OTLP's rules:
// lowerCamelCase field names, trace and span ids as hex, enums as integers, 64-bit integers as
// decimal strings or numbers), straight into bounded spans. Unknown fields are ignored; a known
// field of the wrong type is an OtlpDecodeError naming its path.
import type { AttributeValue, Attributes, Span, SpanEvent } from '../model.js';
import { DEFAULT_LIMITS, TOO_DEEP, truncate, type Limits } from '../limits.js';
import { OtlpDecodeError, OtlpLimitError, rethrowWithin } from './errors.js';
import {
  KIND_NAMES,
  STATUS_NAMES,
  isUint64,
  quote,
  serviceNameOf,
  setOwn,
  setParentAndDropped,
  spanIdProblem,
  traceIdProblem,
  type Counter,
  type MutableSpan,
} from './values.js';

type Json = Record<string, unknown>;

function fail(field: string, problem: string): never {
  throw new OtlpDecodeError('OTLP/JSON', field, problem);
}

/**
 * Decodes an OTLP/JSON `ExportTraceServiceRequest` (UTF-8 text or bytes) into spans, bounded by
 * `limits`.
 * @throws OtlpDecodeError when the body is not JSON or not a trace export request; OtlpLimitError
 * past `maxSpansPerRequest`.
 */
export function decodeOtlpJson(body: string | Uint8Array, limits: Limits = DEFAULT_LIMITS): Span[] {
  let text =
    typeof body === 'string'
      ? body
      : (Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength)).toString(
          'utf8',
        );
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  let request: unknown;
  try {
    request = JSON.parse(text);
  } catch (error) {
    fail('', `not JSON (${(error as Error).message})`);
  }
  return decodeOtlpJsonObject(request, limits);
}

/** Decodes an already parsed OTLP/JSON `ExportTraceServiceRequest` (or `TracesData`) object. */
export function decodeOtlpJsonObject(request: unknown, limits: Limits = DEFAULT_LIMITS): Span[] {
  const body = object(request, '', 'the request');
  const spans: Span[] = [];
  const state = { spanCount: 0 };
  const list = array(body.resourceSpans, 'resourceSpans');
  for (let i = 0; i < list.length; i++) {
    try {
      resourceSpans(list[i], spans, limits, state);
    } catch (error) {
      rethrowWithin(error, `resourceSpans[${i}]`);
    }
  }
  return spans;
}

function object(value: unknown, field: string, what = 'an object'): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(field, `${quote(value)} is not ${what === 'an object' ? what : `an object (${what})`}`);
  }
  return value as Json;
}

/** A repeated field: absent or null → []. */
function array(value: unknown, field: string): readonly unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) fail(field, `${quote(value)} is not an array`);
  return value;
}

function optionalObject(value: unknown, field: string): Json | undefined {
  return value === undefined || value === null ? undefined : object(value, field);
}

function string(value: unknown, field: string, max: number): string {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') fail(field, `${quote(value)} is not a string`);
  return value.length > max ? truncate(value, max) : value;
}

/** A uint32 / enum: a non-negative integer number or its decimal string. */
function uint32(value: unknown, field: string): number {
  if (value === undefined || value === null) return 0;
  const number = typeof value === 'string' && /^[0-9]{1,10}$/.test(value) ? Number(value) : value;
  if (typeof number !== 'number' || !Number.isInteger(number) || number < 0 || number > 0xffffffff) {
    fail(field, `${quote(value)} is not an unsigned 32-bit integer`);
  }
  return number;
}

/** A fixed64 time in nanoseconds: a decimal string or an integer number → decimal string. */
function unixNano(value: unknown, field: string): string {
  if (value === undefined || value === null) return '0';
  if (typeof value === 'string') {
    if (isUint64(value)) return value;
  } else if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  else if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 2 ** 64) {
    return BigInt(value).toString();
  }
  return fail(field, `${quote(value)} is not nanoseconds since the epoch (a decimal integer string)`);
}

const BASE64 = /^[A-Za-z0-9+/]+=*$/;

/** An id: hex (OTLP/JSON), or base64 of the right length (the plain protobuf JSON mapping). */
function id(value: unknown, field: string, bytes: 8 | 16): string {
  if (typeof value === 'string') {
    const hex =
      value.length === (bytes / 2) * 3 && BASE64.test(value)
        ? Buffer.from(value, 'base64').toString('hex')
        : value;
    const problem = bytes === 16 ? traceIdProblem(hex) : spanIdProblem(hex);
    if (problem === undefined) return hex.toLowerCase();
    if (hex === value) fail(field, problem);
  }
  return fail(field, `${quote(value)} is not ${bytes * 2} hex characters`);
}

/** An enum: an integer, or (as the protobuf JSON mapping also allows) its name. */
function enumValue(value: unknown, field: string, names: readonly string[], prefix: string): number {
  if (typeof value === 'string' && !/^[0-9]+$/.test(value)) {
    const index = names.indexOf(value.startsWith(prefix) ? value.slice(prefix.length) : value);
    if (index < 0) fail(field, `${quote(value)} is not a known value`);
    return index;
  }
  return uint32(value, field);
}

function resourceSpans(value: unknown, out: Span[], limits: Limits, state: { spanCount: number }): void {
  const body = object(value, '');
  const resourceBody = optionalObject(body.resource, 'resource');
  const resource: Record<string, AttributeValue> = {};
  if (resourceBody !== undefined) {
    try {
      keyValues(resourceBody.attributes, resource, { kept: 0, dropped: 0 }, limits, 'attributes');
    } catch (error) {
      rethrowWithin(error, 'resource');
    }
  }
  const serviceName = serviceNameOf(resource);
  const scopes = array(body.scopeSpans, 'scopeSpans');
  for (let i = 0; i < scopes.length; i++) {
    try {
      scopeSpans(scopes[i], out, limits, state, resource, serviceName);
    } catch (error) {
      rethrowWithin(error, `scopeSpans[${i}]`);
    }
  }
}

function scopeSpans(
  value: unknown,
  out: Span[],
  limits: Limits,
  state: { spanCount: number },
  resource: Attributes,
  serviceName: string,
): void {
  const body = object(value, '');
  const scopeBody = optionalObject(body.scope, 'scope');
  const name = string(scopeBody?.name, 'scope.name', limits.maxSpanNameLength);
  const version = string(scopeBody?.version, 'scope.version', limits.maxSpanNameLength);
  const scope = version === '' ? { name } : { name, version };
  const spans = array(body.spans, 'spans');
  if ((state.spanCount += spans.length) > limits.maxSpansPerRequest) {
    throw new OtlpLimitError(
      `more than ${limits.maxSpansPerRequest} spans in one request: send smaller batches`,
    );
  }
  for (let i = 0; i < spans.length; i++) {
    try {
      out.push(span(spans[i], limits, resource, serviceName, scope));
    } catch (error) {
      rethrowWithin(error, `spans[${i}]`);
    }
  }
}

function span(
  value: unknown,
  limits: Limits,
  resource: Attributes,
  serviceName: string,
  scope: Span['scope'],
): Span {
  const body = object(value, '');
  const traceId = id(body.traceId, 'traceId', 16);
  const spanId = id(body.spanId, 'spanId', 8);
  const parent = body.parentSpanId;
  const parentSpanId =
    parent === undefined || parent === null || parent === '' ? '' : id(parent, 'parentSpanId', 8);
  const attributes: Record<string, AttributeValue> = {};
  const counter: Counter = {
    kept: 0,
    dropped: uint32(body.droppedAttributesCount, 'droppedAttributesCount'),
  };
  keyValues(body.attributes, attributes, counter, limits, 'attributes');
  const eventList = array(body.events, 'events');
  const kept = Math.min(eventList.length, limits.maxEventsPerSpan);
  const events: SpanEvent[] = new Array<SpanEvent>(kept);
  for (let i = 0; i < kept; i++) {
    try {
      events[i] = event(eventList[i], limits);
    } catch (error) {
      rethrowWithin(error, `events[${i}]`);
    }
  }
  const droppedEvents = uint32(body.droppedEventsCount, 'droppedEventsCount') + (eventList.length - kept);
  const statusBody = optionalObject(body.status, 'status');
  const code =
    STATUS_NAMES[enumValue(statusBody?.code, 'status.code', STATUS_NAMES, 'STATUS_CODE_')] ?? 'UNSET';
  const message = string(statusBody?.message, 'status.message', limits.maxAttributeValueLength);
  const result: MutableSpan = {
    traceId,
    spanId,
    name: string(body.name, 'name', limits.maxSpanNameLength),
    kind: KIND_NAMES[enumValue(body.kind, 'kind', KIND_NAMES, 'SPAN_KIND_')] ?? 'UNSPECIFIED',
    startTimeUnixNano: unixNano(body.startTimeUnixNano, 'startTimeUnixNano'),
    endTimeUnixNano: unixNano(body.endTimeUnixNano, 'endTimeUnixNano'),
    status: message === '' ? { code } : { code, message },
    attributes,
    events,
    serviceName,
    resource,
    scope,
  };
  setParentAndDropped(result, parentSpanId, counter.dropped, droppedEvents);
  return result;
}

function event(value: unknown, limits: Limits): SpanEvent {
  const body = object(value, '');
  const attributes: Record<string, AttributeValue> = {};
  keyValues(body.attributes, attributes, { kept: 0, dropped: 0 }, limits, 'attributes');
  return {
    name: string(body.name, 'name', limits.maxSpanNameLength),
    timeUnixNano: unixNano(body.timeUnixNano, 'timeUnixNano'),
    attributes,
  };
}

/** Reads a `KeyValue[]` into `into`, keeping at most `maxAttributesPerSpan` keys (the rest counted). */
function keyValues(
  value: unknown,
  into: Record<string, AttributeValue>,
  counter: Counter,
  limits: Limits,
  field: string,
  max = limits.maxAttributesPerSpan,
  depth = 0,
): void {
  const list = array(value, field);
  for (let i = 0; i < list.length; i++) {
    if (counter.kept >= max) {
      counter.dropped += list.length - i;
      return;
    }
    try {
      const pair = object(list[i], '');
      const key = string(pair.key, 'key', limits.maxAttributeKeyLength);
      const item =
        pair.value === undefined || pair.value === null ? null : anyValue(pair.value, limits, depth);
      if (!Object.prototype.hasOwnProperty.call(into, key)) counter.kept++;
      setOwn(into, key, item);
    } catch (error) {
      rethrowWithin(error, `${field}[${i}]`);
    }
  }
}

function anyValue(value: unknown, limits: Limits, depth: number): AttributeValue {
  try {
    return anyValueOf(object(value, ''), limits, depth);
  } catch (error) {
    return rethrowWithin(error, 'value');
  }
}

function anyValueOf(body: Json, limits: Limits, depth: number): AttributeValue {
  if (body.stringValue !== undefined && body.stringValue !== null) {
    return string(body.stringValue, 'stringValue', limits.maxAttributeValueLength);
  }
  if (body.boolValue !== undefined && body.boolValue !== null) {
    if (typeof body.boolValue !== 'boolean') fail('boolValue', `${quote(body.boolValue)} is not a boolean`);
    return body.boolValue;
  }
  if (body.intValue !== undefined && body.intValue !== null) return int64(body.intValue);
  if (body.doubleValue !== undefined && body.doubleValue !== null) return double(body.doubleValue);
  if (body.arrayValue !== undefined && body.arrayValue !== null) {
    if (depth >= limits.maxValueDepth) return TOO_DEEP;
    const values = array(object(body.arrayValue, 'arrayValue').values, 'arrayValue.values');
    const count = Math.min(values.length, limits.maxValueItems);
    const items: AttributeValue[] = new Array<AttributeValue>(count);
    for (let i = 0; i < count; i++) {
      try {
        items[i] = anyValueOf(object(values[i], ''), limits, depth + 1);
      } catch (error) {
        rethrowWithin(error, `arrayValue.values[${i}]`);
      }
    }
    return items;
  }
  if (body.kvlistValue !== undefined && body.kvlistValue !== null) {
    if (depth >= limits.maxValueDepth) return TOO_DEEP;
    const map: Record<string, AttributeValue> = {};
    const values = object(body.kvlistValue, 'kvlistValue').values;
    keyValues(
      values,
      map,
      { kept: 0, dropped: 0 },
      limits,
      'kvlistValue.values',
      limits.maxValueItems,
      depth + 1,
    );
    return map;
  }
  if (body.bytesValue !== undefined && body.bytesValue !== null) {
    const text = body.bytesValue;
    if (typeof text !== 'string' || !/^[A-Za-z0-9+/_-]*=*$/.test(text)) {
      fail('bytesValue', `${quote(text)} is not base64`);
    }
    return truncate(text, limits.maxAttributeValueLength);
  }
  return null;
}

function int64(value: unknown): number | string {
  if (typeof value === 'number') {
    if (Number.isInteger(value)) return value;
  } else if (typeof value === 'string' && /^-?(0|[1-9][0-9]{0,18})$/.test(value)) {
    const number = Number(value);
    if (Number.isSafeInteger(number)) return number;
    const big = BigInt(value);
    if (big >= -(2n ** 63n) && big < 2n ** 63n) return value;
  }
  return fail('intValue', `${quote(value)} is not a 64-bit integer`);
}

function double(value: unknown): number | string {
  if (typeof value === 'number') return value;
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return fail('doubleValue', `${quote(value)} is not a number`);
}
