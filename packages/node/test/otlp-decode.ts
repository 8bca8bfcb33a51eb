import type { ReceivedRequest } from '@agent-otel/testing';

// Decodes the OTLP metrics and logs export requests a child sent to the test receiver, in either
// encoding (http/json or http/protobuf), into one plain shape, so a test asserts the same thing for
// both. @agent-otel/testing decodes JSON spans only; the protobuf side is a small reader of the
// protobuf wire format that knows the OTLP field numbers it needs
// (opentelemetry-proto: common/v1, resource/v1, metrics/v1, logs/v1).

/** One data point of a metric: `value` for sums and gauges, `count` and `sum` for histograms. */
export interface DecodedPoint {
  readonly attributes: Record<string, unknown>;
  readonly value?: number;
  readonly count?: number;
  readonly sum?: number;
}

/** One metric of an export request, with its resource and scope. */
export interface DecodedMetric {
  readonly name: string;
  readonly unit: string;
  readonly kind: 'sum' | 'gauge' | 'histogram' | 'other';
  readonly points: DecodedPoint[];
  readonly scope: string;
  readonly resource: Record<string, unknown>;
}

/** One log record of an export request, with its resource and scope. */
export interface DecodedLogRecord {
  readonly eventName: string;
  readonly severityNumber: number;
  readonly body: unknown;
  readonly attributes: Record<string, unknown>;
  readonly scope: string;
  readonly resource: Record<string, unknown>;
}

// ---------------------------------------------------------------- protobuf wire format

type WireValue =
  | { readonly wireType: 0; readonly varint: bigint }
  | { readonly wireType: 1 | 2 | 5; readonly bytes: Buffer };

/** The fields of one protobuf message, by field number, in order. */
function readMessage(buffer: Buffer): Map<number, WireValue[]> {
  const fields = new Map<number, WireValue[]>();
  let offset = 0;
  const readVarint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buffer[offset++];
      if (byte === undefined) throw new Error('truncated varint');
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (offset < buffer.length) {
    const key = readVarint();
    const field = Number(key >> 3n);
    const wireType = Number(key & 7n);
    let value: WireValue;
    if (wireType === 0) value = { wireType, varint: readVarint() };
    else if (wireType === 1 || wireType === 5) {
      const size = wireType === 1 ? 8 : 4;
      value = { wireType, bytes: buffer.subarray(offset, offset + size) };
      offset += size;
    } else if (wireType === 2) {
      const size = Number(readVarint());
      value = { wireType, bytes: buffer.subarray(offset, offset + size) };
      offset += size;
    } else throw new Error(`unsupported wire type ${wireType}`);
    fields.set(field, [...(fields.get(field) ?? []), value]);
  }
  return fields;
}

function bytesOf(value: WireValue | undefined): Buffer {
  return value !== undefined && value.wireType !== 0 ? value.bytes : Buffer.alloc(0);
}

function messages(fields: Map<number, WireValue[]>, field: number): Map<number, WireValue[]>[] {
  return (fields.get(field) ?? []).map((value) => readMessage(bytesOf(value)));
}

function message(fields: Map<number, WireValue[]>, field: number): Map<number, WireValue[]> {
  return messages(fields, field)[0] ?? new Map();
}

function text(fields: Map<number, WireValue[]>, field: number): string {
  return bytesOf(fields.get(field)?.[0]).toString('utf8');
}

function varint(fields: Map<number, WireValue[]>, field: number): number {
  const value = fields.get(field)?.[0];
  return value?.wireType === 0 ? Number(BigInt.asIntN(64, value.varint)) : 0;
}

function fixed64(fields: Map<number, WireValue[]>, field: number, as: 'double' | 'int'): number | undefined {
  const value = fields.get(field)?.[0];
  if (value === undefined || value.wireType !== 1) return undefined;
  return as === 'double' ? value.bytes.readDoubleLE(0) : Number(value.bytes.readBigInt64LE(0));
}

/** common/v1 AnyValue: 1 string, 2 bool, 3 int, 4 double, 5 array, 6 key-value list, 7 bytes. */
function protoAnyValue(fields: Map<number, WireValue[]>): unknown {
  if (fields.has(1)) return text(fields, 1);
  if (fields.has(2)) return varint(fields, 2) !== 0;
  if (fields.has(3)) return varint(fields, 3);
  if (fields.has(4)) return fixed64(fields, 4, 'double');
  if (fields.has(5)) return messages(message(fields, 5), 1).map(protoAnyValue);
  if (fields.has(6)) return protoAttributes(message(fields, 6), 1);
  if (fields.has(7)) return bytesOf(fields.get(7)?.[0]);
  return undefined;
}

/** Repeated common/v1 KeyValue (1 key, 2 value) at `field`. */
function protoAttributes(fields: Map<number, WireValue[]>, field: number): Record<string, unknown> {
  return Object.fromEntries(
    messages(fields, field).map((keyValue) => [text(keyValue, 1), protoAnyValue(message(keyValue, 2))]),
  );
}

/** Metric: 1 name, 3 unit, 5 gauge, 7 sum, 9 histogram; points at field 1 of each. */
function protoMetric(metric: Map<number, WireValue[]>): Omit<DecodedMetric, 'scope' | 'resource'> {
  const numberPoints = (data: Map<number, WireValue[]>): DecodedPoint[] =>
    // NumberDataPoint: 7 attributes, 4 as_double, 6 as_int.
    messages(data, 1).map((point) => ({
      attributes: protoAttributes(point, 7),
      value: fixed64(point, 4, 'double') ?? fixed64(point, 6, 'int'),
    }));
  const base = { name: text(metric, 1), unit: text(metric, 3) };
  if (metric.has(7)) return { ...base, kind: 'sum', points: numberPoints(message(metric, 7)) };
  if (metric.has(5)) return { ...base, kind: 'gauge', points: numberPoints(message(metric, 5)) };
  if (metric.has(9)) {
    // HistogramDataPoint: 9 attributes, 4 count (fixed64), 5 sum (double).
    const points = messages(message(metric, 9), 1).map((point) => ({
      attributes: protoAttributes(point, 9),
      count: fixed64(point, 4, 'int'),
      sum: fixed64(point, 5, 'double'),
    }));
    return { ...base, kind: 'histogram', points };
  }
  return { ...base, kind: 'other', points: [] };
}

function protoMetrics(body: Buffer): DecodedMetric[] {
  // ExportMetricsServiceRequest: 1 resource_metrics { 1 resource { 1 attributes }, 2 scope_metrics { 1 scope { 1 name }, 2 metrics } }.
  return messages(readMessage(body), 1).flatMap((resourceMetrics) => {
    const resource = protoAttributes(message(resourceMetrics, 1), 1);
    return messages(resourceMetrics, 2).flatMap((scopeMetrics) => {
      const scope = text(message(scopeMetrics, 1), 1);
      return messages(scopeMetrics, 2).map((metric) => ({ ...protoMetric(metric), scope, resource }));
    });
  });
}

function protoLogs(body: Buffer): DecodedLogRecord[] {
  // ExportLogsServiceRequest: 1 resource_logs { 1 resource, 2 scope_logs { 1 scope, 2 log_records } };
  // LogRecord: 2 severity_number, 5 body, 6 attributes, 12 event_name.
  return messages(readMessage(body), 1).flatMap((resourceLogs) => {
    const resource = protoAttributes(message(resourceLogs, 1), 1);
    return messages(resourceLogs, 2).flatMap((scopeLogs) => {
      const scope = text(message(scopeLogs, 1), 1);
      return messages(scopeLogs, 2).map((record) => ({
        eventName: text(record, 12),
        severityNumber: varint(record, 2),
        body: protoAnyValue(message(record, 5)),
        attributes: protoAttributes(record, 6),
        scope,
        resource,
      }));
    });
  });
}

// ---------------------------------------------------------------- OTLP/JSON

interface JsonAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  intValue?: number | string;
  doubleValue?: number;
  arrayValue?: { values?: JsonAnyValue[] };
  kvlistValue?: { values?: JsonKeyValue[] };
}

interface JsonKeyValue {
  key: string;
  value: JsonAnyValue;
}

function jsonAnyValue(value: JsonAnyValue | undefined): unknown {
  if (value === undefined) return undefined;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(jsonAnyValue);
  if (value.kvlistValue !== undefined) return jsonAttributes(value.kvlistValue.values);
  return undefined;
}

function jsonAttributes(attributes: readonly JsonKeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((attributes ?? []).map(({ key, value }) => [key, jsonAnyValue(value)]));
}

interface JsonNumberPoint {
  attributes?: JsonKeyValue[];
  asDouble?: number;
  asInt?: number | string;
}

interface JsonMetric {
  name: string;
  unit?: string;
  sum?: { dataPoints?: JsonNumberPoint[] };
  gauge?: { dataPoints?: JsonNumberPoint[] };
  histogram?: {
    dataPoints?: { attributes?: JsonKeyValue[]; count?: number | string; sum?: number }[];
  };
}

function jsonMetric(metric: JsonMetric): Omit<DecodedMetric, 'scope' | 'resource'> {
  const numberPoints = (points: JsonNumberPoint[] | undefined): DecodedPoint[] =>
    (points ?? []).map((point) => ({
      attributes: jsonAttributes(point.attributes),
      value: point.asDouble ?? (point.asInt === undefined ? undefined : Number(point.asInt)),
    }));
  const base = { name: metric.name, unit: metric.unit ?? '' };
  if (metric.sum !== undefined) return { ...base, kind: 'sum', points: numberPoints(metric.sum.dataPoints) };
  if (metric.gauge !== undefined)
    return { ...base, kind: 'gauge', points: numberPoints(metric.gauge.dataPoints) };
  if (metric.histogram !== undefined) {
    const points = (metric.histogram.dataPoints ?? []).map((point) => ({
      attributes: jsonAttributes(point.attributes),
      count: point.count === undefined ? undefined : Number(point.count),
      sum: point.sum,
    }));
    return { ...base, kind: 'histogram', points };
  }
  return { ...base, kind: 'other', points: [] };
}

function jsonMetrics(body: Buffer): DecodedMetric[] {
  const request = JSON.parse(body.toString('utf8')) as {
    resourceMetrics?: {
      resource?: { attributes?: JsonKeyValue[] };
      scopeMetrics?: { scope?: { name?: string }; metrics?: JsonMetric[] }[];
    }[];
  };
  return (request.resourceMetrics ?? []).flatMap((resourceMetrics) => {
    const resource = jsonAttributes(resourceMetrics.resource?.attributes);
    return (resourceMetrics.scopeMetrics ?? []).flatMap((scopeMetrics) =>
      (scopeMetrics.metrics ?? []).map((metric) => ({
        ...jsonMetric(metric),
        scope: scopeMetrics.scope?.name ?? '',
        resource,
      })),
    );
  });
}

function jsonLogs(body: Buffer): DecodedLogRecord[] {
  const request = JSON.parse(body.toString('utf8')) as {
    resourceLogs?: {
      resource?: { attributes?: JsonKeyValue[] };
      scopeLogs?: {
        scope?: { name?: string };
        logRecords?: {
          eventName?: string;
          severityNumber?: number;
          body?: JsonAnyValue;
          attributes?: JsonKeyValue[];
        }[];
      }[];
    }[];
  };
  return (request.resourceLogs ?? []).flatMap((resourceLogs) => {
    const resource = jsonAttributes(resourceLogs.resource?.attributes);
    return (resourceLogs.scopeLogs ?? []).flatMap((scopeLogs) =>
      (scopeLogs.logRecords ?? []).map((record) => ({
        eventName: record.eventName ?? '',
        severityNumber: record.severityNumber ?? 0,
        body: jsonAnyValue(record.body),
        attributes: jsonAttributes(record.attributes),
        scope: scopeLogs.scope?.name ?? '',
        resource,
      })),
    );
  });
}

// ---------------------------------------------------------------- entry points

function isJson(request: ReceivedRequest): boolean {
  return String(request.headers['content-type']).includes('json');
}

/** The metrics of every request to `path` (default `/v1/metrics`), in either encoding. */
export function decodeMetrics(requests: readonly ReceivedRequest[], path = '/v1/metrics'): DecodedMetric[] {
  return requests
    .filter((request) => request.path === path)
    .flatMap((request) => (isJson(request) ? jsonMetrics(request.body) : protoMetrics(request.body)));
}

/** The log records of every request to `path` (default `/v1/logs`), in either encoding. */
export function decodeLogRecords(
  requests: readonly ReceivedRequest[],
  path = '/v1/logs',
): DecodedLogRecord[] {
  return requests
    .filter((request) => request.path === path)
    .flatMap((request) => (isJson(request) ? jsonLogs(request.body) : protoLogs(request.body)));
}
