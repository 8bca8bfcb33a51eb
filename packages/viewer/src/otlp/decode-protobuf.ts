// A hand-written decoder of OTLP/protobuf trace export requests
// (opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest), straight into bounded spans.
//
// Wire format: each field is a varint tag (field number << 3 | wire type) and a value: 0 varint,
// 1 fixed 64-bit, 2 length-delimited, 5 fixed 32-bit (3/4, deprecated groups, are skipped). Unknown
// fields are skipped by their wire type; a known field with another wire type, a length past its
// message, a truncated varint or an invalid id is an OtlpDecodeError naming the field path and the
// byte offset. Field numbers (opentelemetry-proto v1):
//   ExportTraceServiceRequest: 1 resource_spans
//   ResourceSpans: 1 resource, 2 scope_spans, 3 schema_url, 1000 instrumentation_library_spans (old)
//   Resource: 1 attributes, 2 dropped_attributes_count
//   ScopeSpans: 1 scope, 2 spans, 3 schema_url          InstrumentationScope: 1 name, 2 version
//   Span: 1 trace_id, 2 span_id, 3 trace_state, 4 parent_span_id, 5 name, 6 kind, 7 start_time_unix_nano,
//         8 end_time_unix_nano, 9 attributes, 10 dropped_attributes_count, 11 events,
//         12 dropped_events_count, 13 links, 14 dropped_links_count, 15 status, 16 flags
//   Span.Event: 1 time_unix_nano, 2 name, 3 attributes, 4 dropped_attributes_count
//   Status: 2 message, 3 code             KeyValue: 1 key, 2 value
//   AnyValue: 1 string, 2 bool, 3 int, 4 double, 5 array (ArrayValue: 1 values), 6 kvlist
//             (KeyValueList: 1 values), 7 bytes
import type { AttributeValue, Attributes, Span, SpanEvent } from '../model.js';
import { DEFAULT_LIMITS, TOO_DEEP, TRUNCATION_MARKER, truncate, type Limits } from '../limits.js';
import { OtlpDecodeError, OtlpLimitError, rethrowWithin } from './errors.js';
import {
  KIND_NAMES,
  STATUS_NAMES,
  serviceNameOf,
  setOwn,
  setParentAndDropped,
  type Counter,
  type MutableSpan,
} from './values.js';

const VARINT = 0;
const I64 = 1;
const LEN = 2;
const START_GROUP = 3;
const END_GROUP = 4;
const I32 = 5;
const WIRE_TYPE_NAMES = ['varint', 'fixed64', 'length-delimited', 'start-group', 'end-group', 'fixed32'];
/** Nesting of (deprecated) groups in unknown fields before the input is refused. */
const MAX_GROUP_DEPTH = 32;
const TWO_32 = 4294967296;

/**
 * Buffer's native slice decoders (what `toString(encoding, start, end)` calls after checking its
 * arguments; about a fifth of decoding time went to those checks for short attribute strings).
 */
interface NativeSlices {
  utf8Slice(start: number, end: number): string;
  hexSlice(start: number, end: number): string;
}
const native = (buf: Buffer): NativeSlices =>
  typeof (buf as unknown as Partial<NativeSlices>).utf8Slice === 'function'
    ? (buf as unknown as NativeSlices)
    : {
        utf8Slice: (start, end) => buf.toString('utf8', start, end),
        hexSlice: (start, end) => buf.toString('hex', start, end),
      };

/** Reads one request body; `pos` moves forward, `lo`/`hi` hold the last varint read. */
class Reader {
  pos = 0;
  lo = 0;
  hi = 0;
  spanCount = 0;

  readonly slices: NativeSlices;

  constructor(
    readonly buf: Buffer,
    readonly limits: Limits,
  ) {
    this.slices = native(buf);
  }

  fail(field: string, problem: string, offset: number = this.pos): never {
    throw new OtlpDecodeError('OTLP/protobuf', field, problem, offset);
  }

  /** Reads a varint of up to 10 bytes into `lo`/`hi` (unsigned 32-bit halves). */
  varintParts(field: string, end: number): void {
    const buf = this.buf;
    const start = this.pos;
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= end) this.fail(field, 'truncated varint', start);
      const b = buf[this.pos++]!;
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (7 * (i - 5) + 3);
      if (b < 0x80) {
        this.lo = lo >>> 0;
        this.hi = hi >>> 0;
        return;
      }
    }
    this.fail(field, 'varint longer than 10 bytes', start);
  }

  /** A varint as an unsigned 32-bit number (the low 32 bits, as protobuf reads uint32 and enums). */
  uint32(field: string, end: number): number {
    const b = this.buf[this.pos];
    if (b !== undefined && b < 0x80 && this.pos < end) {
      this.pos++;
      return b;
    }
    this.varintParts(field, end);
    return this.lo;
  }

  /** A varint as a signed 64-bit integer: a number when exact, else its decimal string. */
  int64(field: string, end: number): number | string {
    this.varintParts(field, end);
    const { lo, hi } = this;
    if (hi === 0) return lo;
    if (hi < 0x200000) return hi * TWO_32 + lo;
    const value = BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo));
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  }

  /** A length prefix; the end offset of the value it announces (checked against `end`). */
  lengthEnd(field: string, end: number): number {
    const at = this.pos;
    this.varintParts(field, end);
    const length = this.hi * TWO_32 + this.lo;
    if (length > end - this.pos) {
      this.fail(
        field,
        `length ${length} runs past the end of its message (${end - this.pos} bytes left)`,
        at,
      );
    }
    return this.pos + length;
  }

  /** A fixed 64-bit unsigned integer as a decimal string (times in nanoseconds). */
  fixed64String(field: string, end: number): string {
    if (end - this.pos < 8) this.fail(field, 'truncated fixed64');
    const lo = this.buf.readUInt32LE(this.pos);
    const hi = this.buf.readUInt32LE(this.pos + 4);
    this.pos += 8;
    if (hi < 0x200000) return String(hi * TWO_32 + lo);
    return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
  }

  double(field: string, end: number): number {
    if (end - this.pos < 8) this.fail(field, 'truncated double');
    const value = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return value;
  }

  /** A length-delimited UTF-8 string, cut to `max` characters (only the bytes needed are decoded). */
  string(field: string, end: number, max: number): string {
    const stop = this.lengthEnd(field, end);
    const start = this.pos;
    this.pos = stop;
    // Each UTF-16 unit takes at most 3 bytes: 3 * max + 6 bytes hold more than `max` whole units.
    if (stop - start > 4 * max + 4) return truncate(this.slices.utf8Slice(start, start + 3 * max + 6), max);
    const text = this.slices.utf8Slice(start, stop);
    return text.length > max ? truncate(text, max) : text;
  }

  /** Length-delimited bytes as lowercase hex (ids). */
  hex(field: string, end: number): string {
    const stop = this.lengthEnd(field, end);
    const text = this.slices.hexSlice(this.pos, stop);
    this.pos = stop;
    return text;
  }

  /** Length-delimited bytes as base64 text, cut to `max` characters. */
  base64(field: string, end: number, max: number): string {
    const stop = this.lengthEnd(field, end);
    const start = this.pos;
    this.pos = stop;
    const fits = Math.floor(max / 4) * 3;
    if (stop - start <= fits) return this.buf.toString('base64', start, stop);
    return this.buf.toString('base64', start, start + fits) + TRUNCATION_MARKER;
  }

  /** Fails unless wire type `actual` is `expected` (a known field sent with another type). */
  expect(field: string, actual: number, expected: number, tagAt: number): void {
    if (actual !== expected) {
      this.fail(
        field,
        `wire type ${WIRE_TYPE_NAMES[actual] ?? actual}, expected ${WIRE_TYPE_NAMES[expected]}`,
        tagAt,
      );
    }
  }

  /** Reads a tag; fails on field number 0 or an invalid wire type. Returns the tag. */
  tag(message: string, end: number): number {
    const at = this.pos;
    const tag = this.uint32(message, end);
    if (tag >>> 3 === 0) this.fail(message, 'field number 0', at);
    const wireType = tag & 7;
    if (wireType > 5) this.fail(message, `invalid wire type ${wireType}`, at);
    return tag;
  }

  /** Skips the value of an unknown field (groups included, up to MAX_GROUP_DEPTH deep). */
  skip(message: string, tag: number, end: number, depth = 0): void {
    switch (tag & 7) {
      case VARINT:
        // A varint's own errors name the message; unknown fields are named by number only on failure.
        this.varintParts(message, end);
        return;
      case I64:
        if (end - this.pos < 8) this.fail(unknown(message, tag), 'truncated fixed64');
        this.pos += 8;
        return;
      case LEN:
        this.pos = this.lengthEnd(message, end);
        return;
      case I32:
        if (end - this.pos < 4) this.fail(unknown(message, tag), 'truncated fixed32');
        this.pos += 4;
        return;
      case START_GROUP: {
        const field = unknown(message, tag);
        if (depth >= MAX_GROUP_DEPTH) this.fail(field, `groups nested deeper than ${MAX_GROUP_DEPTH}`);
        const start = this.pos;
        for (;;) {
          if (this.pos >= end) this.fail(field, 'group without its end', start);
          const inner = this.tag(field, end);
          if ((inner & 7) === END_GROUP) {
            if (inner >>> 3 !== tag >>> 3) this.fail(field, `group ended by field ${inner >>> 3}`);
            return;
          }
          this.skip(field, inner, end, depth + 1);
        }
      }
      default:
        this.fail(unknown(message, tag), 'end of a group that was not started');
    }
  }
}

/** How an unknown field is named in errors: `Span field 17`. */
function unknown(message: string, tag: number): string {
  return `${message} field ${tag >>> 3}`;
}

/**
 * Decodes an OTLP/protobuf `ExportTraceServiceRequest` into spans, bounded by `limits`.
 * @throws OtlpDecodeError when the body is malformed; OtlpLimitError past `maxSpansPerRequest`.
 */
export function decodeOtlpProtobuf(body: Uint8Array, limits: Limits = DEFAULT_LIMITS): Span[] {
  const buf = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const r = new Reader(buf, limits);
  const spans: Span[] = [];
  const end = buf.length;
  let index = 0;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag('ExportTraceServiceRequest', end);
    if (tag >>> 3 === 1) {
      r.expect('resource_spans', tag & 7, LEN, at);
      const stop = r.lengthEnd('resource_spans', end);
      try {
        resourceSpans(r, stop, spans);
      } catch (error) {
        rethrowWithin(error, `resource_spans[${index}]`);
      }
      index++;
    } else r.skip('ExportTraceServiceRequest', tag, end);
  }
  return spans;
}

function resourceSpans(r: Reader, end: number, out: Span[]): void {
  const first = out.length;
  let resource: Record<string, AttributeValue> = {};
  let scopeIndex = 0;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag('ResourceSpans', end);
    const field = tag >>> 3;
    if (field === 1) {
      r.expect('resource', tag & 7, LEN, at);
      const stop = r.lengthEnd('resource', end);
      try {
        resource = readResource(r, stop, resource);
      } catch (error) {
        rethrowWithin(error, 'resource');
      }
    } else if (field === 2 || field === 1000) {
      const name = field === 2 ? 'scope_spans' : 'instrumentation_library_spans';
      r.expect(name, tag & 7, LEN, at);
      const stop = r.lengthEnd(name, end);
      try {
        scopeSpans(r, stop, out);
      } catch (error) {
        rethrowWithin(error, `${name}[${scopeIndex}]`);
      }
      scopeIndex++;
    } else r.skip('ResourceSpans', tag, end);
  }
  const serviceName = serviceNameOf(resource);
  for (let i = first; i < out.length; i++) {
    const span = out[i] as MutableSpan;
    span.resource = resource;
    span.serviceName = serviceName;
  }
}

function readResource(
  r: Reader,
  end: number,
  attributes: Record<string, AttributeValue>,
): Record<string, AttributeValue> {
  const counter: Counter = { kept: Object.keys(attributes).length, dropped: 0 };
  let index = 0;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag('Resource', end);
    if (tag >>> 3 === 1) {
      r.expect('attributes', tag & 7, LEN, at);
      const stop = r.lengthEnd('attributes', end);
      try {
        keyValue(r, stop, attributes, counter, r.limits.maxAttributesPerSpan, 0);
      } catch (error) {
        rethrowWithin(error, `attributes[${index}]`);
      }
      index++;
    } else r.skip('Resource', tag, end);
  }
  return attributes;
}

function scopeSpans(r: Reader, end: number, out: Span[]): void {
  const first = out.length;
  let scope: { name: string; version?: string } = { name: '' };
  let spanIndex = 0;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag('ScopeSpans', end);
    const field = tag >>> 3;
    if (field === 2) {
      r.expect('spans', tag & 7, LEN, at);
      const stop = r.lengthEnd('spans', end);
      if (++r.spanCount > r.limits.maxSpansPerRequest) {
        throw new OtlpLimitError(
          `more than ${r.limits.maxSpansPerRequest} spans in one request: send smaller batches`,
        );
      }
      try {
        out.push(span(r, stop));
      } catch (error) {
        rethrowWithin(error, `spans[${spanIndex}]`);
      }
      spanIndex++;
    } else if (field === 1) {
      r.expect('scope', tag & 7, LEN, at);
      const stop = r.lengthEnd('scope', end);
      try {
        scope = readScope(r, stop);
      } catch (error) {
        rethrowWithin(error, 'scope');
      }
    } else r.skip('ScopeSpans', tag, end);
  }
  for (let i = first; i < out.length; i++) (out[i] as MutableSpan).scope = scope;
}

function readScope(r: Reader, end: number): { name: string; version?: string } {
  let name = '';
  let version = '';
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag('InstrumentationScope', end);
    const field = tag >>> 3;
    if (field === 1) {
      r.expect('name', tag & 7, LEN, at);
      name = r.string('name', end, r.limits.maxSpanNameLength);
    } else if (field === 2) {
      r.expect('version', tag & 7, LEN, at);
      version = r.string('version', end, r.limits.maxSpanNameLength);
    } else r.skip('InstrumentationScope', tag, end);
  }
  return version === '' ? { name } : { name, version };
}

function span(r: Reader, end: number): Span {
  const limits = r.limits;
  let traceId = '';
  let spanId = '';
  let parentSpanId = '';
  let name = '';
  let kind = 0;
  let start = '0';
  let stop = '0';
  let statusCode = 0;
  let statusMessage = '';
  const attributes: Record<string, AttributeValue> = {};
  const counter: Counter = { kept: 0, dropped: 0 };
  const events: SpanEvent[] = [];
  let droppedEvents = 0;
  let attributeIndex = 0;
  let eventIndex = 0;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag('Span', end);
    const wireType = tag & 7;
    // Where an id's value (its length prefix) starts, for errors.
    const valueAt = r.pos;
    switch (tag >>> 3) {
      case 1:
        r.expect('trace_id', wireType, LEN, at);
        traceId = r.hex('trace_id', end);
        checkId(r, 'trace_id', traceId, 16, valueAt);
        break;
      case 2:
        r.expect('span_id', wireType, LEN, at);
        spanId = r.hex('span_id', end);
        checkId(r, 'span_id', spanId, 8, valueAt);
        break;
      case 4:
        r.expect('parent_span_id', wireType, LEN, at);
        parentSpanId = r.hex('parent_span_id', end);
        if (parentSpanId !== '') checkId(r, 'parent_span_id', parentSpanId, 8, valueAt);
        break;
      case 5:
        r.expect('name', wireType, LEN, at);
        name = r.string('name', end, limits.maxSpanNameLength);
        break;
      case 6:
        r.expect('kind', wireType, VARINT, at);
        kind = r.uint32('kind', end);
        break;
      case 7:
        r.expect('start_time_unix_nano', wireType, I64, at);
        start = r.fixed64String('start_time_unix_nano', end);
        break;
      case 8:
        r.expect('end_time_unix_nano', wireType, I64, at);
        stop = r.fixed64String('end_time_unix_nano', end);
        break;
      case 9: {
        r.expect('attributes', wireType, LEN, at);
        const stopAt = r.lengthEnd('attributes', end);
        try {
          keyValue(r, stopAt, attributes, counter, limits.maxAttributesPerSpan, 0);
        } catch (error) {
          rethrowWithin(error, `attributes[${attributeIndex}]`);
        }
        attributeIndex++;
        break;
      }
      case 10:
        r.expect('dropped_attributes_count', wireType, VARINT, at);
        counter.dropped += r.uint32('dropped_attributes_count', end);
        break;
      case 11: {
        r.expect('events', wireType, LEN, at);
        const stopAt = r.lengthEnd('events', end);
        if (events.length >= limits.maxEventsPerSpan) {
          r.pos = stopAt;
          droppedEvents++;
        } else {
          try {
            events.push(event(r, stopAt));
          } catch (error) {
            rethrowWithin(error, `events[${eventIndex}]`);
          }
        }
        eventIndex++;
        break;
      }
      case 12:
        r.expect('dropped_events_count', wireType, VARINT, at);
        droppedEvents += r.uint32('dropped_events_count', end);
        break;
      case 15: {
        r.expect('status', wireType, LEN, at);
        const stopAt = r.lengthEnd('status', end);
        while (r.pos < stopAt) {
          const statusAt = r.pos;
          const statusTag = r.tag('status', stopAt);
          const field = statusTag >>> 3;
          if (field === 2) {
            r.expect('status.message', statusTag & 7, LEN, statusAt);
            statusMessage = r.string('status.message', stopAt, limits.maxAttributeValueLength);
          } else if (field === 3) {
            r.expect('status.code', statusTag & 7, VARINT, statusAt);
            statusCode = r.uint32('status.code', stopAt);
          } else r.skip('status', statusTag, stopAt);
        }
        break;
      }
      default:
        r.skip('Span', tag, end);
    }
  }
  if (traceId === '') r.fail('trace_id', 'missing (every span needs a 16-byte trace_id)', end);
  if (spanId === '') r.fail('span_id', 'missing (every span needs an 8-byte span_id)', end);
  const result: MutableSpan = {
    traceId,
    spanId,
    name,
    kind: KIND_NAMES[kind] ?? 'UNSPECIFIED',
    startTimeUnixNano: start,
    endTimeUnixNano: stop,
    status:
      statusMessage === ''
        ? { code: STATUS_NAMES[statusCode] ?? 'UNSET' }
        : { code: STATUS_NAMES[statusCode] ?? 'UNSET', message: statusMessage },
    attributes,
    events,
    serviceName: '',
    resource: EMPTY,
    scope: NO_SCOPE,
  };
  setParentAndDropped(result, parentSpanId, counter.dropped, droppedEvents);
  return result;
}

const EMPTY: Attributes = Object.freeze({});
const NO_SCOPE = Object.freeze({ name: '' });

function checkId(r: Reader, field: string, hex: string, bytes: number, at: number): void {
  if (hex.length !== bytes * 2) r.fail(field, `${hex.length / 2} bytes, expected ${bytes}`, at);
  for (let i = 0; i < hex.length; i++) if (hex.charCodeAt(i) !== 48) return;
  r.fail(field, 'all zeros (an invalid id)', at);
}

function event(r: Reader, end: number): SpanEvent {
  let time = '0';
  let name = '';
  const attributes: Record<string, AttributeValue> = {};
  const counter: Counter = { kept: 0, dropped: 0 };
  let attributeIndex = 0;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag('Event', end);
    const wireType = tag & 7;
    switch (tag >>> 3) {
      case 1:
        r.expect('time_unix_nano', wireType, I64, at);
        time = r.fixed64String('time_unix_nano', end);
        break;
      case 2:
        r.expect('name', wireType, LEN, at);
        name = r.string('name', end, r.limits.maxSpanNameLength);
        break;
      case 3: {
        r.expect('attributes', wireType, LEN, at);
        const stop = r.lengthEnd('attributes', end);
        try {
          keyValue(r, stop, attributes, counter, r.limits.maxAttributesPerSpan, 0);
        } catch (error) {
          rethrowWithin(error, `attributes[${attributeIndex}]`);
        }
        attributeIndex++;
        break;
      }
      default:
        r.skip('Event', tag, end);
    }
  }
  return { name, timeUnixNano: time, attributes };
}

/**
 * Reads a KeyValue into `into` unless it already holds `max` keys (then the pair is skipped and
 * counted as dropped). Its value is read at nesting `depth`.
 */
function keyValue(
  r: Reader,
  end: number,
  into: Record<string, AttributeValue>,
  counter: Counter,
  max: number,
  depth: number,
): void {
  if (counter.kept >= max) {
    r.pos = end;
    counter.dropped++;
    return;
  }
  let key = '';
  let value: AttributeValue = null;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag('KeyValue', end);
    const field = tag >>> 3;
    if (field === 1) {
      r.expect('key', tag & 7, LEN, at);
      key = r.string('key', end, r.limits.maxAttributeKeyLength);
    } else if (field === 2) {
      r.expect('value', tag & 7, LEN, at);
      const stop = r.lengthEnd('value', end);
      try {
        value = anyValue(r, stop, depth);
      } catch (error) {
        rethrowWithin(error, key === '' ? 'value' : `value (key ${JSON.stringify(key.slice(0, 64))})`);
      }
    } else r.skip('KeyValue', tag, end);
  }
  if (!Object.prototype.hasOwnProperty.call(into, key)) counter.kept++;
  setOwn(into, key, value);
}

function anyValue(r: Reader, end: number, depth: number): AttributeValue {
  const limits = r.limits;
  let value: AttributeValue = null;
  while (r.pos < end) {
    const at = r.pos;
    const tag = r.tag('AnyValue', end);
    const wireType = tag & 7;
    switch (tag >>> 3) {
      case 1:
        r.expect('string_value', wireType, LEN, at);
        value = r.string('string_value', end, limits.maxAttributeValueLength);
        break;
      case 2:
        r.expect('bool_value', wireType, VARINT, at);
        r.varintParts('bool_value', end);
        value = r.lo !== 0 || r.hi !== 0;
        break;
      case 3:
        r.expect('int_value', wireType, VARINT, at);
        value = r.int64('int_value', end);
        break;
      case 4: {
        r.expect('double_value', wireType, I64, at);
        const number = r.double('double_value', end);
        value = Number.isFinite(number) ? number : String(number);
        break;
      }
      case 5: {
        r.expect('array_value', wireType, LEN, at);
        const stop = r.lengthEnd('array_value', end);
        if (depth >= limits.maxValueDepth) {
          r.pos = stop;
          value = TOO_DEEP;
          break;
        }
        const items: AttributeValue[] = [];
        let index = 0;
        while (r.pos < stop) {
          const itemAt = r.pos;
          const itemTag = r.tag('array_value', stop);
          if (itemTag >>> 3 !== 1) {
            r.skip('array_value', itemTag, stop);
            continue;
          }
          r.expect(`array_value.values[${index}]`, itemTag & 7, LEN, itemAt);
          const itemStop = r.lengthEnd(`array_value.values[${index}]`, stop);
          if (items.length >= limits.maxValueItems) r.pos = itemStop;
          else {
            try {
              items.push(anyValue(r, itemStop, depth + 1));
            } catch (error) {
              rethrowWithin(error, `array_value.values[${index}]`);
            }
          }
          index++;
        }
        value = items;
        break;
      }
      case 6: {
        r.expect('kvlist_value', wireType, LEN, at);
        const stop = r.lengthEnd('kvlist_value', end);
        if (depth >= limits.maxValueDepth) {
          r.pos = stop;
          value = TOO_DEEP;
          break;
        }
        const map: Record<string, AttributeValue> = {};
        const counter: Counter = { kept: 0, dropped: 0 };
        let index = 0;
        while (r.pos < stop) {
          const itemAt = r.pos;
          const itemTag = r.tag('kvlist_value', stop);
          if (itemTag >>> 3 !== 1) {
            r.skip('kvlist_value', itemTag, stop);
            continue;
          }
          r.expect(`kvlist_value.values[${index}]`, itemTag & 7, LEN, itemAt);
          const itemStop = r.lengthEnd(`kvlist_value.values[${index}]`, stop);
          try {
            keyValue(r, itemStop, map, counter, limits.maxValueItems, depth + 1);
          } catch (error) {
            rethrowWithin(error, `kvlist_value.values[${index}]`);
          }
          index++;
        }
        value = map;
        break;
      }
      case 7:
        r.expect('bytes_value', wireType, LEN, at);
        value = r.base64('bytes_value', end, limits.maxAttributeValueLength);
        break;
      default:
        r.skip('AnyValue', tag, end);
    }
  }
  return value;
}
