// Import of the span files @agent-otel/core's JsonlFileExporter writes: one JSON object per span per
// line (ids as hex, times as ISO-8601 plus `...UnixNano` decimal strings, kind and status by name,
// attribute values as JSON with `$bytes` / `$number` / `$map` tags). Read as a stream, in batches;
// a line that is not a span is skipped and reported, the others are stored.
import { createReadStream } from 'node:fs';
import type { AttributeValue, Span, SpanEvent, SpanKindName, StatusCodeName } from '../model.js';
import { DEFAULT_LIMITS, truncate, type Limits } from '../limits.js';
import type { SpanSink } from '../server/http.js';
import { OtlpDecodeError, rethrowWithin } from './errors.js';
import {
  KIND_NAMES,
  STATUS_NAMES,
  boundJsonValue,
  isUint64,
  quote,
  serviceNameOf,
  setOwn,
  setParentAndDropped,
  spanIdProblem,
  traceIdProblem,
  type MutableSpan,
} from './values.js';

/** Options of {@link importJsonlFile}. */
export interface JsonlImportOptions {
  /** Spans per `insert` call (one store transaction each); default 1000. */
  readonly batchSize?: number;
  readonly limits?: Limits;
}

/** A line that was skipped, and why. */
export interface JsonlSkippedLine {
  /** 1-based. */
  readonly line: number;
  readonly message: string;
}

/** What an import did. */
export interface JsonlImportResult {
  /** Spans inserted. */
  readonly spans: number;
  /** Lines skipped (blank lines are not counted). */
  readonly skipped: number;
  /** The first skipped lines (at most 10), with the reason. */
  readonly skippedLines: readonly JsonlSkippedLine[];
}

const MAX_REPORTED = 10;

function fail(field: string, problem: string): never {
  throw new OtlpDecodeError('JSONL', field, problem);
}

/**
 * Reads a JsonlFileExporter file and inserts its spans into `sink` in batches. Lines longer than
 * the request bound (`maxRequestBytes`), lines that are not JSON and records that are not valid
 * spans are skipped and counted.
 * @throws the file system's error when the file cannot be read (ENOENT, EACCES, EISDIR).
 */
export async function importJsonlFile(
  path: string,
  sink: SpanSink,
  options: JsonlImportOptions = {},
): Promise<JsonlImportResult> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const batchSize = Math.max(1, options.batchSize ?? 1000);
  let batch: Span[] = [];
  let spans = 0;
  let skipped = 0;
  const skippedLines: JsonlSkippedLine[] = [];
  const skip = (line: number, message: string) => {
    skipped++;
    if (skippedLines.length < MAX_REPORTED) skippedLines.push({ line, message });
  };
  const flush = () => {
    if (batch.length === 0) return;
    sink.insert(batch);
    spans += batch.length;
    batch = [];
  };
  for await (const { line, text, tooLong } of lines(path, limits.maxRequestBytes)) {
    if (tooLong) {
      skip(line, `longer than ${limits.maxRequestBytes} bytes`);
      continue;
    }
    if (text.trim() === '') continue;
    try {
      let record: unknown;
      try {
        record = JSON.parse(text);
      } catch (error) {
        fail('', `not JSON (${(error as Error).message})`);
      }
      batch.push(jsonlRecordToSpan(record, limits));
    } catch (error) {
      if (!(error instanceof OtlpDecodeError)) throw error;
      skip(line, error.message);
      continue;
    }
    if (batch.length >= batchSize) flush();
  }
  flush();
  return { spans, skipped, skippedLines };
}

/** The lines of a file (UTF-8), without holding more than `maxBytes` of one line. */
async function* lines(
  path: string,
  maxBytes: number,
): AsyncGenerator<{ line: number; text: string; tooLong: boolean }> {
  const stream = createReadStream(path);
  let parts: Buffer[] = [];
  let size = 0;
  let tooLong = false;
  let line = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    let from = 0;
    for (;;) {
      const newline = chunk.indexOf(10, from);
      const piece = chunk.subarray(from, newline < 0 ? chunk.length : newline);
      if (!tooLong) {
        size += piece.length;
        if (size > maxBytes) {
          tooLong = true;
          parts = [];
        } else if (piece.length > 0) parts.push(piece);
      }
      if (newline < 0) break;
      line++;
      yield { line, text: tooLong ? '' : Buffer.concat(parts).toString('utf8'), tooLong };
      parts = [];
      size = 0;
      tooLong = false;
      from = newline + 1;
    }
  }
  if (size > 0 || tooLong) {
    line++;
    yield { line, text: tooLong ? '' : Buffer.concat(parts).toString('utf8'), tooLong };
  }
}

type Json = Record<string, unknown>;

function object(value: unknown, field: string): Json {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    fail(field, `${quote(value)} is not an object`);
  }
  return value as Json;
}

function text(value: unknown, field: string, max: number, required = false): string {
  if ((value === undefined || value === null) && !required) return '';
  if (typeof value !== 'string') fail(field, `${quote(value)} is not a string`);
  return truncate(value, max);
}

function hexId(value: unknown, field: string, bytes: 8 | 16): string {
  if (typeof value !== 'string') fail(field, `${quote(value)} is not a hex string`);
  const problem = bytes === 16 ? traceIdProblem(value) : spanIdProblem(value);
  if (problem !== undefined) fail(field, problem);
  return value.toLowerCase();
}

function nanos(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isUint64(value)) {
    fail(field, `${quote(value)} is not nanoseconds since the epoch (a decimal string)`);
  }
  return value;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0 ? value : 0;
}

/** Bounded attributes of a JSONL attribute object; returns how many were dropped. */
function attributes(
  value: unknown,
  field: string,
  into: Record<string, AttributeValue>,
  limits: Limits,
): number {
  if (value === undefined || value === null) return 0;
  const body = object(value, field);
  const keys = Object.keys(body);
  const kept = Math.min(keys.length, limits.maxAttributesPerSpan);
  for (let i = 0; i < kept; i++) {
    const key = keys[i]!;
    setOwn(into, truncate(key, limits.maxAttributeKeyLength), boundJsonValue(body[key], limits, 0));
  }
  return keys.length - kept;
}

/**
 * One JsonlFileExporter record (a parsed line) as a bounded span.
 * @throws OtlpDecodeError naming the field when the record is not a span.
 */
export function jsonlRecordToSpan(value: unknown, limits: Limits = DEFAULT_LIMITS): Span {
  const record = object(value, '');
  const traceId = hexId(record.traceId, 'traceId', 16);
  const spanId = hexId(record.spanId, 'spanId', 8);
  const parent = record.parentSpanId;
  const parentSpanId =
    parent === null || parent === undefined || parent === '' ? '' : hexId(parent, 'parentSpanId', 8);
  const kind = record.kind === undefined ? 'INTERNAL' : record.kind;
  if (typeof kind !== 'string' || !KIND_NAMES.includes(kind as SpanKindName)) {
    fail('kind', `${quote(kind)} is not one of ${KIND_NAMES.join(', ')}`);
  }
  const statusBody =
    record.status === undefined || record.status === null ? {} : object(record.status, 'status');
  const code = statusBody.code === undefined ? 'UNSET' : statusBody.code;
  if (typeof code !== 'string' || !STATUS_NAMES.includes(code as StatusCodeName)) {
    fail('status.code', `${quote(code)} is not one of ${STATUS_NAMES.join(', ')}`);
  }
  const message = text(statusBody.message, 'status.message', limits.maxAttributeValueLength);
  const attrs: Record<string, AttributeValue> = {};
  const dropped =
    record.dropped !== null && typeof record.dropped === 'object' ? (record.dropped as Json) : {};
  const droppedAttributes =
    attributes(record.attributes, 'attributes', attrs, limits) + count(dropped.attributes);
  const eventList = record.events === undefined || record.events === null ? [] : record.events;
  if (!Array.isArray(eventList)) fail('events', `${quote(eventList)} is not an array`);
  const keptEvents = Math.min(eventList.length, limits.maxEventsPerSpan);
  const events: SpanEvent[] = new Array<SpanEvent>(keptEvents);
  for (let i = 0; i < keptEvents; i++) {
    try {
      const body = object(eventList[i], '');
      const eventAttributes: Record<string, AttributeValue> = {};
      attributes(body.attributes, 'attributes', eventAttributes, limits);
      events[i] = {
        name: text(body.name, 'name', limits.maxSpanNameLength),
        timeUnixNano: nanos(body.timeUnixNano, 'timeUnixNano'),
        attributes: eventAttributes,
      };
    } catch (error) {
      rethrowWithin(error, `events[${i}]`);
    }
  }
  const droppedEvents = eventList.length - keptEvents + count(dropped.events);
  const resource: Record<string, AttributeValue> = {};
  const resourceBody =
    record.resource === undefined || record.resource === null ? {} : object(record.resource, 'resource');
  attributes(resourceBody.attributes, 'resource.attributes', resource, limits);
  const scopeBody =
    record.instrumentationScope === undefined || record.instrumentationScope === null
      ? {}
      : object(record.instrumentationScope, 'instrumentationScope');
  const scopeName = text(scopeBody.name, 'instrumentationScope.name', limits.maxSpanNameLength);
  const scopeVersion = text(scopeBody.version, 'instrumentationScope.version', limits.maxSpanNameLength);
  const span: MutableSpan = {
    traceId,
    spanId,
    name: text(record.name, 'name', limits.maxSpanNameLength, true),
    kind: kind as SpanKindName,
    startTimeUnixNano: nanos(record.startTimeUnixNano, 'startTimeUnixNano'),
    endTimeUnixNano: nanos(record.endTimeUnixNano, 'endTimeUnixNano'),
    status: message === '' ? { code: code as StatusCodeName } : { code: code as StatusCodeName, message },
    attributes: attrs,
    events,
    serviceName: serviceNameOf(resource),
    resource,
    scope: scopeVersion === '' ? { name: scopeName } : { name: scopeName, version: scopeVersion },
  };
  setParentAndDropped(span, parentSpanId, droppedAttributes, droppedEvents);
  return span;
}
