import { createWriteStream, promises as fsp, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { diag, SpanKind, SpanStatusCode, type HrTime } from '@opentelemetry/api';
import type { ReadableSpan, SpanExporter } from '@opentelemetry/sdk-trace';
import { decodeAttributes, encodeAttributes, type JsonValue } from './attribute-json.js';
import { readProperty } from '../values.js';
import {
  ExportResultCode,
  hrTimeToMilliseconds,
  hrTimeToTimeStamp,
  type ExportResult,
} from './sdk-values.js';

/** Options of {@link JsonlFileExporter}. */
export interface JsonlFileExporterOptions {
  /** File to append to; its directory is created when missing. */
  path: string;
}

/** Span kind names used in the file. */
export type JsonlSpanKind = 'INTERNAL' | 'SERVER' | 'CLIENT' | 'PRODUCER' | 'CONSUMER';
/** Status code names used in the file. */
export type JsonlStatusCode = 'UNSET' | 'OK' | 'ERROR';

/**
 * One line of a JSONL span file. Times are ISO-8601 (nanosecond precision) plus the Unix time in
 * nanoseconds as a decimal string. In the file, attribute values JSON cannot hold are tagged
 * (`{"$bytes": base64}`, `{"$number": "NaN"}`); {@link readJsonlSpans} returns them decoded.
 */
export interface JsonlSpanRecord {
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: JsonlSpanKind;
  startTime: string;
  startTimeUnixNano: string;
  endTime: string;
  endTimeUnixNano: string;
  durationMs: number;
  status: { code: JsonlStatusCode; message?: string };
  attributes: Record<string, unknown>;
  events: JsonlEventRecord[];
  links: JsonlLinkRecord[];
  resource: { attributes: Record<string, unknown> };
  instrumentationScope: { name: string; version?: string; schemaUrl?: string };
  dropped: { attributes: number; events: number; links: number };
}

/** An event of a {@link JsonlSpanRecord}. */
export interface JsonlEventRecord {
  name: string;
  time: string;
  timeUnixNano: string;
  attributes: Record<string, unknown>;
}

/** A link of a {@link JsonlSpanRecord}. */
export interface JsonlLinkRecord {
  traceId: string;
  spanId: string;
  attributes: Record<string, unknown>;
}

/** Export batches waiting to be written; past this, exports fail at once instead of queueing. */
export const JSONL_MAX_PENDING_BATCHES = 1024;
const DEFAULT_PATH = 'agent-otel-spans.jsonl';

const KIND_NAMES: Record<number, JsonlSpanKind> = {
  [SpanKind.INTERNAL]: 'INTERNAL',
  [SpanKind.SERVER]: 'SERVER',
  [SpanKind.CLIENT]: 'CLIENT',
  [SpanKind.PRODUCER]: 'PRODUCER',
  [SpanKind.CONSUMER]: 'CONSUMER',
};
const STATUS_NAMES: Record<number, JsonlStatusCode> = {
  [SpanStatusCode.UNSET]: 'UNSET',
  [SpanStatusCode.OK]: 'OK',
  [SpanStatusCode.ERROR]: 'ERROR',
};

function unixNano(t: HrTime): string {
  return (BigInt(t[0]) * 1_000_000_000n + BigInt(t[1])).toString();
}

/** Encoded attributes; anything but an object (a string would be read character by character) gives `{}`. */
function attributesOf(attributes: unknown): Record<string, JsonValue> {
  return typeof attributes === 'object' && attributes !== null
    ? encodeAttributes(attributes as Record<string, unknown>)
    : {};
}

/** The JSON object written for one span (attribute values encoded). */
function toJson(span: ReadableSpan): Record<string, JsonValue> {
  const ctx = span.spanContext();
  const scope = span.instrumentationScope;
  const status: Record<string, JsonValue> = { code: STATUS_NAMES[span.status.code] ?? 'UNSET' };
  if (span.status.message) status.message = span.status.message;
  const instrumentationScope: Record<string, JsonValue> = { name: scope.name };
  if (scope.version) instrumentationScope.version = scope.version;
  if (scope.schemaUrl) instrumentationScope.schemaUrl = scope.schemaUrl;
  return {
    traceId: ctx.traceId,
    spanId: ctx.spanId,
    parentSpanId: span.parentSpanContext?.spanId ?? null,
    name: span.name,
    kind: KIND_NAMES[span.kind] ?? 'INTERNAL',
    startTime: hrTimeToTimeStamp(span.startTime),
    startTimeUnixNano: unixNano(span.startTime),
    endTime: hrTimeToTimeStamp(span.endTime),
    endTimeUnixNano: unixNano(span.endTime),
    durationMs: hrTimeToMilliseconds(span.duration),
    status,
    attributes: attributesOf(span.attributes),
    events: span.events.map((e) => ({
      name: e.name,
      time: hrTimeToTimeStamp(e.time),
      timeUnixNano: unixNano(e.time),
      attributes: attributesOf(e.attributes),
    })),
    links: span.links.map((l) => ({
      traceId: l.context.traceId,
      spanId: l.context.spanId,
      attributes: attributesOf(l.attributes),
    })),
    resource: { attributes: attributesOf(span.resource?.attributes) },
    instrumentationScope,
    dropped: {
      attributes: span.droppedAttributesCount,
      events: span.droppedEventsCount,
      links: span.droppedLinksCount,
    },
  };
}

/**
 * A `SpanExporter` that appends one JSON object per span per line to a file (see
 * {@link JsonlSpanRecord}), for local inspection with `jq` or for replaying traces in tests.
 * Writes go through one append stream in order; `forceFlush`/`shutdown` wait for them. A failed
 * write fails that export (reported through `diag`) and the file is reopened on the next export.
 */
export class JsonlFileExporter implements SpanExporter {
  readonly #path: string;
  #stream: Promise<WriteStream> | undefined;
  #tail: Promise<void> = Promise.resolve();
  #pending = 0;
  #stopped = false;
  #shutdown: Promise<void> | undefined;
  #warnedWrite = false;
  #warnedQueue = false;

  constructor(options: JsonlFileExporterOptions) {
    const path = readProperty(options, 'path');
    if (typeof path !== 'string' || path === '') {
      diag.warn(`agent-otel: JsonlFileExporter needs a path; writing to ${DEFAULT_PATH}`);
    }
    this.#path = typeof path === 'string' && path !== '' ? path : DEFAULT_PATH;
  }

  /** The file spans are appended to. */
  get path(): string {
    return this.#path;
  }

  /** Queues the spans' lines for writing; the callback gets the outcome of the write. */
  export(spans: ReadableSpan[], resultCallback: (result: ExportResult) => void): void {
    const done = (ok: boolean, error?: Error): void => {
      try {
        resultCallback(ok ? { code: ExportResultCode.SUCCESS } : { code: ExportResultCode.FAILED, error });
      } catch (err) {
        diag.debug('agent-otel: export result callback threw', err);
      }
    };
    if (this.#stopped) return done(false, new Error('JsonlFileExporter is shut down'));
    if (this.#pending >= JSONL_MAX_PENDING_BATCHES) {
      if (!this.#warnedQueue) {
        this.#warnedQueue = true;
        diag.warn(`agent-otel: JsonlFileExporter has ${this.#pending} batches waiting; dropping spans`);
      }
      return done(false, new Error('JsonlFileExporter queue is full'));
    }
    let chunk = '';
    try {
      // Indexed reads: one unreadable span is skipped, an unreadable list fails the export.
      if (!Array.isArray(spans)) throw new TypeError('the spans are not an array');
      const count = spans.length;
      for (let i = 0; i < count; i++) {
        try {
          chunk += JSON.stringify(toJson(spans[i]!)) + '\n';
        } catch (err) {
          diag.warn('agent-otel: JsonlFileExporter could not serialise a span', err);
        }
      }
    } catch (err) {
      diag.warn('agent-otel: JsonlFileExporter could not read the spans to export', err);
      return done(false, new Error('JsonlFileExporter could not read the spans to export'));
    }
    if (chunk === '') return done(true);
    this.#pending++;
    this.#tail = this.#tail
      .then(() => this.#writeChunk(chunk))
      .then((error) => {
        this.#pending--;
        done(error === undefined, error);
      });
  }

  /** Resolves when every queued write has finished. */
  forceFlush(): Promise<void> {
    return this.#tail;
  }

  /** Waits for queued writes, then closes the file; later exports fail. Idempotent. */
  shutdown(): Promise<void> {
    this.#stopped = true;
    this.#shutdown ??= this.#tail.then(() => this.#close());
    return this.#shutdown;
  }

  /** Writes a chunk; resolves to the error when it failed (never rejects). */
  async #writeChunk(chunk: string): Promise<Error | undefined> {
    try {
      const stream = await (this.#stream ??= this.#open());
      await new Promise<void>((resolve, reject) => {
        stream.write(chunk, (err) => (err ? reject(err) : resolve()));
      });
      return undefined;
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      if (!this.#warnedWrite) {
        this.#warnedWrite = true;
        diag.warn(`agent-otel: JsonlFileExporter could not write to ${this.#path}`, error);
      } else {
        diag.debug(`agent-otel: JsonlFileExporter write failed`, error);
      }
      const broken = this.#stream;
      this.#stream = undefined;
      broken?.then((s) => s.destroy()).catch(() => undefined);
      return error;
    }
  }

  async #open(): Promise<WriteStream> {
    await fsp.mkdir(dirname(this.#path), { recursive: true });
    const stream = createWriteStream(this.#path, { flags: 'a', encoding: 'utf8' });
    await new Promise<void>((resolve, reject) => {
      stream.once('open', () => resolve());
      stream.once('error', reject);
    });
    // Later errors surface through write callbacks; this listener only keeps them from crashing the app.
    stream.on('error', (err) => diag.debug('agent-otel: JsonlFileExporter stream error', err));
    return stream;
  }

  async #close(): Promise<void> {
    const pending = this.#stream;
    this.#stream = undefined;
    if (!pending) return;
    try {
      const stream = await pending;
      if (stream.destroyed) return;
      await new Promise<void>((resolve) => {
        stream.once('close', () => resolve());
        stream.end();
      });
    } catch (err) {
      diag.debug('agent-otel: JsonlFileExporter close failed', err);
    }
  }
}

function decodeRecord(raw: Record<string, any>): JsonlSpanRecord {
  return {
    ...(raw as JsonlSpanRecord),
    attributes: decodeAttributes(raw.attributes),
    events: Array.isArray(raw.events)
      ? raw.events.map((e: JsonlEventRecord) => ({ ...e, attributes: decodeAttributes(e?.attributes) }))
      : [],
    links: Array.isArray(raw.links)
      ? raw.links.map((l: JsonlLinkRecord) => ({ ...l, attributes: decodeAttributes(l?.attributes) }))
      : [],
    resource: { attributes: decodeAttributes(raw.resource?.attributes) },
  };
}

/**
 * Reads a file written by {@link JsonlFileExporter}, attribute values decoded. Lines that are not
 * JSON objects are skipped with a warning; a missing or unreadable file gives `[]` (with a warning
 * unless it does not exist). Never rejects.
 */
export async function readJsonlSpans(path: string): Promise<JsonlSpanRecord[]> {
  let text: string;
  try {
    text = await fsp.readFile(path, 'utf8');
  } catch (err) {
    try {
      if ((err as NodeJS.ErrnoException)?.code !== 'ENOENT')
        diag.warn(`agent-otel: cannot read ${String(path)}`, err);
    } catch {
      diag.warn('agent-otel: readJsonlSpans was given a path that is not a string');
    }
    return [];
  }
  const records: JsonlSpanRecord[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      const raw: unknown = JSON.parse(line);
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('not a JSON object');
      records.push(decodeRecord(raw as Record<string, any>));
    } catch (err) {
      diag.warn(`agent-otel: skipping line ${i + 1} of ${path}`, err);
    }
  });
  return records;
}
