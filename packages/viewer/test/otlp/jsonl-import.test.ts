// JSONL import of the files @agent-otel/core's JsonlFileExporter writes: real SDK spans written by
// the real exporter come back as the SDK recorded them (bytes as base64, like OTLP); lines that are
// not spans are skipped and reported, the rest imported in batches; over-long lines are bounded.
import { mkdtempSync, rmSync, writeFileSync, appendFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JsonlFileExporter } from '@agent-otel/core';
import { TRUNCATION_MARKER, resolveLimits } from '../../src/limits.js';
import { importJsonlFile, jsonlRecordToSpan } from '../../src/otlp/jsonl-import.js';
import { OtlpDecodeError } from '../../src/otlp/errors.js';
import { MemorySource } from '../support/MemorySource.js';
import { bySpanId, expectedSpan, recordTrace, sdkPipeline } from '../support/sdk-spans.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'viewer-jsonl-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function writeWithExporter(
  path: string,
  limits?: { attributeCountLimit: number; eventCountLimit: number },
) {
  const sdk = sdkPipeline(new JsonlFileExporter({ path }), {
    resource: { 'service.name': 'jsonl-agent', 'host.name': 'box' },
    ...(limits ? { spanLimits: limits } : {}),
  });
  recordTrace(sdk.tracer('viewer.test', '1.2.3'));
  recordTrace(sdk.tracer('other'));
  const recorded = [...sdk.recorded()];
  await sdk.shutdown();
  return recorded;
}

describe('importJsonlFile', () => {
  it('imports a JsonlFileExporter file as the SDK recorded the spans', async () => {
    const path = join(dir, 'spans.jsonl');
    const recorded = await writeWithExporter(path);
    const sink = new MemorySource();
    const result = await importJsonlFile(path, sink, { batchSize: 3 });
    expect(result).toEqual({ spans: 10, skipped: 0, skippedLines: [] });
    expect(sink.batches.map((b) => b.length)).toEqual([3, 3, 3, 1]);
    expect(bySpanId(sink.spans())).toEqual(bySpanId(recorded.map(expectedSpan)));
    const root = sink.spans().find((s) => s.parentSpanId === undefined && s.scope.name === 'viewer.test')!;
    expect(root.attributes['test.bytes']).toBe('AAEC+v8=');
    expect(root.serviceName).toBe('jsonl-agent');
  });

  it('keeps the counts the SDK dropped', async () => {
    const path = join(dir, 'limited.jsonl');
    const recorded = await writeWithExporter(path, { attributeCountLimit: 2, eventCountLimit: 1 });
    const sink = new MemorySource();
    await importJsonlFile(path, sink);
    expect(bySpanId(sink.spans())).toEqual(bySpanId(recorded.map(expectedSpan)));
    expect(sink.spans().some((s) => (s.dropped?.attributes ?? 0) > 0)).toBe(true);
  });

  it('skips lines that are not spans, naming the line and the problem, and imports the rest', async () => {
    const path = join(dir, 'mixed.jsonl');
    await writeWithExporter(path);
    const good = readFileSync(path, 'utf8').trim().split('\n');
    const record = JSON.parse(good[0]!) as Record<string, unknown>;
    writeFileSync(
      path,
      [
        good[0],
        'not json',
        '',
        JSON.stringify({ ...record, traceId: 'xyz' }),
        JSON.stringify({ ...record, kind: 'SIDEWAYS' }),
        '[1, 2]',
        ...good.slice(1),
      ].join('\n'),
    );
    const sink = new MemorySource();
    const result = await importJsonlFile(path, sink);
    expect(result.spans).toBe(10);
    expect(result.skipped).toBe(4);
    expect(result.skippedLines.map((l) => l.line)).toEqual([2, 4, 5, 6]);
    expect(result.skippedLines[0]!.message).toMatch(/^invalid JSONL: not JSON/);
    expect(result.skippedLines[1]!.message).toBe('invalid JSONL: traceId: "xyz" is not 32 hex characters');
    expect(result.skippedLines[2]!.message).toContain('kind: "SIDEWAYS" is not one of');
  });

  it('skips a line longer than the request bound without holding it', async () => {
    const path = join(dir, 'long.jsonl');
    await writeWithExporter(path);
    appendFileSync(path, `${'x'.repeat(5000)}\n`);
    const sink = new MemorySource();
    const result = await importJsonlFile(path, sink, { limits: resolveLimits({ maxRequestBytes: 4096 }) });
    expect(result.spans).toBe(10);
    expect(result.skippedLines).toEqual([{ line: 11, message: 'longer than 4096 bytes' }]);
  });

  it('rejects with the file system error for a missing file', async () => {
    await expect(importJsonlFile(join(dir, 'missing.jsonl'), new MemorySource())).rejects.toMatchObject({
      code: 'ENOENT',
    });
  });
});

describe('jsonlRecordToSpan', () => {
  const record = {
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    parentSpanId: null,
    name: 'n',
    kind: 'CLIENT',
    startTimeUnixNano: '1',
    endTimeUnixNano: '2',
    status: { code: 'OK' },
    attributes: {
      b: { $bytes: 'AAE=' },
      n: { $number: 'NaN' },
      m: { $map: { $bytes: 'not a tag' } },
      long: 'abcdefgh',
      deep: [[[[1]]]],
    },
    events: [],
    resource: { attributes: {} },
    instrumentationScope: { name: 's' },
  };

  it('decodes the tagged values and applies the bounds', () => {
    const span = jsonlRecordToSpan(record, resolveLimits({ maxAttributeValueLength: 4, maxValueDepth: 2 }));
    expect(span.attributes).toEqual({
      b: 'AAE=',
      n: 'NaN',
      m: { $bytes: `not ${TRUNCATION_MARKER}` },
      long: `abcd${TRUNCATION_MARKER}`,
      deep: [['[max depth]']],
    });
    expect(span.serviceName).toBe('unknown_service');
    expect(span.parentSpanId).toBeUndefined();
  });

  it('throws an OtlpDecodeError naming the field', () => {
    expect(() => jsonlRecordToSpan({ ...record, startTimeUnixNano: 5 })).toThrow(OtlpDecodeError);
    expect(() => jsonlRecordToSpan({ ...record, startTimeUnixNano: 5 })).toThrow(
      'invalid JSONL: startTimeUnixNano: "5" is not nanoseconds since the epoch (a decimal string)',
    );
    expect(() => jsonlRecordToSpan({ ...record, events: [{ name: 'e', timeUnixNano: 'x' }] })).toThrow(
      'invalid JSONL: events[0].timeUnixNano',
    );
  });
});
