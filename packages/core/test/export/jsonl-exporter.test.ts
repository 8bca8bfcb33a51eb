import { mkdtempSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { context, diag, DiagLogLevel, SpanKind, SpanStatusCode, type DiagLogger } from '@opentelemetry/api';
import { enableAsyncContext } from '@agent-otel/testing/tracing';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { JsonlFileExporter, readJsonlSpans } from '../../src/export/JsonlFileExporter.js';
import {
  ATTR_ERROR_TYPE,
  ATTR_GEN_AI_OPERATION_NAME,
  ATTR_GEN_AI_USAGE_INPUT_TOKENS,
} from '../../src/semconv.js';

let dir: string;
beforeAll(() => enableAsyncContext());
afterAll(() => context.disable());
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'agent-otel-jsonl-'));
});
afterEach(() => {
  diag.disable();
  rmSync(dir, { recursive: true, force: true });
});

function mockLogger(): DiagLogger & { warn: jest.Mock } {
  return { error: jest.fn(), warn: jest.fn(), info: jest.fn(), debug: jest.fn(), verbose: jest.fn() };
}

function setup(path: string) {
  const exporter = new JsonlFileExporter({ path });
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    spanProcessors: [new SimpleSpanProcessor({ exporter }), new SimpleSpanProcessor({ exporter: memory })],
  });
  return { exporter, memory, provider, tracer: provider.getTracer('jsonl-test', '1.2.3') };
}

const AWKWARD = {
  text: 'line1\nline2 "quoted" \\ back\u0000slash 🚀 ünïcödé',
  empty: '',
  int: Number.MAX_SAFE_INTEGER,
  negative: -42.5,
  nan: Number.NaN,
  inf: Number.POSITIVE_INFINITY,
  ninf: Number.NEGATIVE_INFINITY,
  yes: true,
  nothing: null,
  bytes: new Uint8Array([0, 1, 254, 255]),
  list: ['a', 'b'],
  mixed: [1, 'two', null, [3], { four: 4 }],
  emptyList: [],
  map: { nested: { deep: [1, 2, 3] }, 'key.with.dots': 'v' },
  looksLikeTag: { $bytes: 'not base64 bytes' },
  looksLikeNumber: { $number: 'NaN' },
};

describe('JsonlFileExporter', () => {
  it('round-trips spans: ids, times, status, attributes, events, links, resource, scope', async () => {
    const path = join(dir, 'nested', 'deeper', 'spans.jsonl');
    const { memory, provider, tracer } = setup(path);
    const linked = tracer.startSpan('linked');
    linked.end();
    tracer.startActiveSpan('root', { kind: SpanKind.SERVER }, (root) => {
      const child = tracer.startSpan('chat gpt-4o', {
        kind: SpanKind.CLIENT,
        attributes: {
          ...AWKWARD,
          [ATTR_GEN_AI_OPERATION_NAME]: 'chat',
          [ATTR_GEN_AI_USAGE_INPUT_TOKENS]: 10,
        },
        links: [{ context: linked.spanContext(), attributes: { why: 'retry', n: Number.NaN } }],
      });
      child.addEvent('gen_ai.choice', { index: 0, finish: 'stop', scores: [0.5, 1] });
      child.recordException(new RangeError('bad range'));
      child.setAttribute(ATTR_ERROR_TYPE, 'RangeError');
      child.setStatus({ code: SpanStatusCode.ERROR, message: 'it "failed"\nbadly' });
      child.end();
      root.setStatus({ code: SpanStatusCode.OK });
      root.end();
    });
    await provider.forceFlush();

    const records = await readJsonlSpans(path);
    const spans = memory.getFinishedSpans();
    expect(records).toHaveLength(3);
    expect(records.map((r) => r.name)).toEqual(spans.map((s) => s.name));

    const [, recChild, recRoot] = records;
    const [spanLinked, spanChild, spanRoot] = spans;
    expect(recChild!.attributes).toEqual(spanChild!.attributes);
    expect(recChild!.attributes.bytes).toBeInstanceOf(Uint8Array);
    expect(Number.isNaN(recChild!.attributes.nan)).toBe(true);
    expect(recChild!.attributes.looksLikeTag).toEqual({ $bytes: 'not base64 bytes' });
    expect(recChild!.status).toEqual({ code: 'ERROR', message: 'it "failed"\nbadly' });
    expect(recRoot!.status).toEqual({ code: 'OK' });
    expect(recChild!.kind).toBe('CLIENT');
    expect(recRoot!.kind).toBe('SERVER');

    expect(recChild!.traceId).toBe(spanChild!.spanContext().traceId);
    expect(recChild!.spanId).toBe(spanChild!.spanContext().spanId);
    expect(recChild!.parentSpanId).toBe(spanRoot!.spanContext().spanId);
    expect(recRoot!.parentSpanId).toBeNull();

    const [sec, ns] = spanChild!.startTime;
    expect(recChild!.startTimeUnixNano).toBe((BigInt(sec) * 1_000_000_000n + BigInt(ns)).toString());
    expect(recChild!.startTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{9}Z$/);
    expect(new Date(recChild!.endTime).getTime()).toBe(
      Math.floor(spanChild!.endTime[0] * 1000 + spanChild!.endTime[1] / 1e6),
    );
    expect(recChild!.durationMs).toBeCloseTo(spanChild!.duration[0] * 1e3 + spanChild!.duration[1] / 1e6, 6);

    expect(recChild!.events.map((e) => [e.name, e.attributes])).toEqual(
      spanChild!.events.map((e) => [e.name, e.attributes]),
    );
    expect(recChild!.events[1]!.attributes['exception.type']).toBe('RangeError');
    expect(recChild!.links).toEqual([
      {
        traceId: spanLinked!.spanContext().traceId,
        spanId: spanLinked!.spanContext().spanId,
        attributes: { why: 'retry', n: Number.NaN },
      },
    ]);
    expect(recChild!.resource.attributes).toEqual(spanChild!.resource.attributes);
    expect(recChild!.resource.attributes['service.name']).toEqual(expect.any(String));
    expect(recChild!.instrumentationScope).toEqual({ name: 'jsonl-test', version: '1.2.3' });
    expect(recChild!.dropped).toEqual({ attributes: 0, events: 0, links: 0 });

    // The file is plain JSONL: one parseable object per line, awkward values tagged.
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const raw = JSON.parse(lines[1]!);
    expect(raw.attributes.bytes).toEqual({ $bytes: 'AAH+/w==' });
    expect(raw.attributes.inf).toEqual({ $number: 'Infinity' });
    expect(raw.attributes.looksLikeTag).toEqual({ $map: { $bytes: 'not base64 bytes' } });
    await provider.shutdown();
  });

  it('appends across exporters and forceFlush waits for the write', async () => {
    const path = join(dir, 'spans.jsonl');
    const first = setup(path);
    first.tracer.startSpan('one').end();
    await first.provider.shutdown();
    const second = setup(path);
    second.tracer.startSpan('two').end();
    await second.exporter.forceFlush();
    expect((await readJsonlSpans(path)).map((r) => r.name)).toEqual(['one', 'two']);
    await second.provider.shutdown();
  });

  it('fails the export with a diag warning when the file cannot be written, and never throws', async () => {
    const logger = mockLogger();
    diag.setLogger(logger, DiagLogLevel.WARN);
    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, 'a file, not a directory');
    const exporter = new JsonlFileExporter({ path: join(blocker, 'spans.jsonl') });
    const memory = new InMemorySpanExporter();
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: memory })] });
    provider.getTracer('t').startSpan('x').end();

    const results: ExportResult[] = [];
    expect(() => exporter.export(memory.getFinishedSpans(), (r) => results.push(r))).not.toThrow();
    exporter.export(memory.getFinishedSpans(), (r) => results.push(r));
    await exporter.forceFlush();
    expect(results.map((r) => r.code)).toEqual([ExportResultCode.FAILED, ExportResultCode.FAILED]);
    expect(results[0]!.error).toBeInstanceOf(Error);
    expect(logger.warn).toHaveBeenCalledTimes(1);

    await exporter.shutdown();
    exporter.export(memory.getFinishedSpans(), (r) => results.push(r));
    expect(results[2]!.code).toBe(ExportResultCode.FAILED);
    await provider.shutdown();
  });

  it('reports success only after the line is on disk', async () => {
    const path = join(dir, 'spans.jsonl');
    const exporter = new JsonlFileExporter({ path });
    const memory = new InMemorySpanExporter();
    const provider = new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: memory })] });
    provider.getTracer('t').startSpan('x').end();
    const result = await new Promise<ExportResult>((resolve) =>
      exporter.export(memory.getFinishedSpans(), resolve),
    );
    expect(result.code).toBe(ExportResultCode.SUCCESS);
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
    await exporter.shutdown();
    await provider.shutdown();
  });
});

describe('readJsonlSpans', () => {
  it('returns [] for a missing file and skips malformed lines with a warning', async () => {
    const logger = mockLogger();
    diag.setLogger(logger, DiagLogLevel.WARN);
    expect(await readJsonlSpans(join(dir, 'missing.jsonl'))).toEqual([]);
    expect(logger.warn).not.toHaveBeenCalled();

    const path = join(dir, 'mixed.jsonl');
    writeFileSync(path, '{"name":"ok","attributes":{"n":{"$number":"-Infinity"}}}\n');
    appendFileSync(path, 'not json\n[1,2]\n\n');
    const records = await readJsonlSpans(path);
    expect(records.map((r) => r.name)).toEqual(['ok']);
    expect(records[0]!.attributes.n).toBe(Number.NEGATIVE_INFINITY);
    expect(logger.warn).toHaveBeenCalledTimes(2);
  });
});
