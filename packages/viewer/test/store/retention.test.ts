import { statSync } from 'node:fs';
import { DatabaseSync } from 'node:sqlite';
import type { Span } from '../../src/model';
import { parseByteSize, parseDurationMs } from '../../src/store/retention';
import { Store } from '../../src/store/Store';
import { syntheticTrace, syntheticTraceId } from '../support/synthetic';
import { chat, ids, span, T0, tempDir, tid } from './spans';

const dir = tempDir('viewer-retention-');
afterAll(() => dir.remove());

function rows(file: string, table: string): number {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('retention by age', () => {
  it('deletes whole traces started before the cutoff, with their index entries', async () => {
    const file = dir.file('age.db');
    const store = Store.open(file);
    // 63 old traces fill the first bucket of the attribute index (64 traces, row ids from 1).
    const old: Span[] = [];
    for (let t = 1; t <= 63; t++)
      old.push(
        span({
          trace: t,
          id: 1,
          start: t,
          service: 'old-svc',
          attrs: { 'agent_otel.metadata.tenant': 'acme' },
        }),
        chat({ trace: t, id: 2, parent: 1, start: t + 1, service: 'old-svc', model: 'old-model' }),
      );
    const recent: Span[] = [
      span({
        trace: 100,
        id: 1,
        start: 60_000,
        service: 'new-svc',
        attrs: { 'agent_otel.metadata.tenant': 'acme' },
      }),
      chat({ trace: 100, id: 2, parent: 1, start: 60_001, service: 'new-svc', model: 'new-model' }),
    ];
    store.insert(old);
    store.insert(recent);
    expect(await store.facets()).toMatchObject({ services: ['new-svc', 'old-svc'] });
    const result = await store.prune({ maxAgeMs: 30_000, nowMs: T0 + 60_000 });
    expect(result).toMatchObject({ deletedTraces: 63, deletedSpans: 126 });
    expect(store.counts()).toEqual({ traces: 1, spans: 2 });
    expect(await store.getTrace(tid(1))).toBeUndefined();
    expect(ids(await store.listTraces({}))).toEqual([tid(100)]);
    expect(
      ids(
        await store.listTraces({
          attributes: [{ key: 'agent_otel.metadata.tenant', op: '=', value: 'acme' }],
        }),
      ),
    ).toEqual([tid(100)]);
    expect(ids(await store.listTraces({ service: 'old-svc' }))).toEqual([]);
    expect(await store.facets()).toMatchObject({ services: ['new-svc'], models: ['new-model'] });
    expect(rows(file, 'trace_attrs')).toBeLessThan(20);
    // A span of a deleted trace arriving late starts the trace again.
    store.insert([span({ trace: 1, id: 3, start: 59_000 })]);
    expect((await store.getTrace(tid(1)))!.spans).toHaveLength(1);
    expect(ids(await store.listTraces({ service: 'svc' }))).toEqual([tid(1)]);
    await store.close();
  });

  it('empties the attribute index with the last trace, and gives the pages back', async () => {
    const file = dir.file('all.db');
    const store = Store.open(file);
    for (let i = 0; i < 300; i++) store.insert(syntheticTrace(i, { startMs: T0 }));
    const before = statSync(file).size;
    expect(rows(file, 'trace_attrs')).toBeGreaterThan(1000);
    const result = await store.prune({ maxAgeMs: 0, nowMs: T0 + 10_000_000 });
    expect(result.deletedTraces).toBe(300);
    expect(store.counts()).toEqual({ traces: 0, spans: 0 });
    expect(await store.facets()).toEqual({
      services: [],
      models: [],
      providers: [],
      agents: [],
      tools: [],
      operations: [],
    });
    for (const table of ['traces', 'spans', 'span_data', 'trace_attrs', 'key_values'])
      expect(rows(file, table)).toBe(0);
    expect(statSync(file).size).toBeLessThan(before / 2);
    expect(result.sizeBytes).toBe(store.sizeBytes());
    await store.close();
  });

  it('does nothing without limits, or when everything is recent', async () => {
    const store = Store.open(dir.file('none.db'));
    store.insert([span({ trace: 1, id: 1 })]);
    expect(await store.prune({})).toMatchObject({ deletedTraces: 0, deletedSpans: 0 });
    expect(await store.prune({ maxAgeMs: 1000, nowMs: T0 })).toMatchObject({ deletedTraces: 0 });
    expect(store.counts().traces).toBe(1);
    await store.close();
  });
});

describe('retention and shared segments', () => {
  it('keeps a segment while any trace has a part in it, and deletes it with the last', async () => {
    const file = dir.file('segments.db');
    const store = Store.open(file);
    // One insert: 20 traces in one segment, started 1 s apart.
    const traces = Array.from({ length: 20 }, (_, i) =>
      syntheticTrace(i, { startMs: T0, spacingMs: 1000, contentChars: 40 }),
    );
    store.insert(traces.flat());
    expect(rows(file, 'segments')).toBe(1);
    // Delete the first 10: the segment stays for the others, which read back whole.
    await store.prune({ maxAgeMs: 0, nowMs: T0 + 9_999 });
    expect(store.counts().traces).toBe(10);
    expect(rows(file, 'segments')).toBe(1);
    for (const trace of traces.slice(10))
      expect((await store.getTrace(trace[0]!.traceId))!.spans).toHaveLength(trace.length);
    // The last ones go: so does the segment.
    await store.prune({ maxAgeMs: 0, nowMs: T0 + 60_000 });
    expect(store.counts()).toEqual({ traces: 0, spans: 0 });
    expect(rows(file, 'segments')).toBe(0);
    expect(rows(file, 'span_data')).toBe(0);
    await store.close();
  });
});

describe('retention by size', () => {
  it('deletes the oldest traces until the file fits, keeping the newest', async () => {
    const file = dir.file('size.db');
    const store = Store.open(file, { logger: (line) => lines.push(line) });
    const lines: string[] = [];
    const traces = 1500;
    for (let i = 0; i < traces; i += 50) {
      const batch: Span[] = [];
      for (let j = i; j < i + 50; j++) batch.push(...syntheticTrace(j));
      store.insert(batch);
    }
    const full = store.sizeBytes();
    const maxBytes = Math.floor(full / 2);
    const result = await store.prune({ maxBytes });
    expect(result.sizeBytes).toBeLessThanOrEqual(maxBytes);
    expect(store.sizeBytes()).toBeLessThanOrEqual(maxBytes);
    expect(statSync(file).size).toBeLessThanOrEqual(maxBytes);
    const left = store.counts().traces;
    expect(left).toBe(traces - result.deletedTraces);
    // About half is kept (not everything deleted).
    expect(left).toBeGreaterThan(traces / 4);
    expect(left).toBeLessThan(traces * 0.75);
    // The newest ones.
    const kept = new Set(ids(await store.listTraces({ limit: 500, order: 'asc' })));
    expect(kept.has(syntheticTraceId(traces - left))).toBe(true);
    expect(kept.has(syntheticTraceId(traces - left - 1))).toBe(false);
    expect(lines).toEqual([expect.stringMatching(/^retention: deleted \d+ traces \(\d+ spans\);/)]);
    // Ingest goes on in the freed pages.
    store.insert(syntheticTrace(traces));
    expect((await store.getTrace(syntheticTraceId(traces)))?.spans.length).toBeGreaterThan(0);
    await store.close();
  });
});

describe('retention values', () => {
  it.each([
    ['7d', 7 * 86_400_000],
    ['12h', 43_200_000],
    ['30m', 1_800_000],
    ['90s', 90_000],
    ['500ms', 500],
    ['2w', 14 * 86_400_000],
    [' 1.5h ', 5_400_000],
  ])('duration %j', (text, ms) => expect(parseDurationMs(text)).toBe(ms));

  it.each(['', '7', 'd', '7 days', '-1d', '1e3s', 'x7d'])('not a duration: %j', (text) =>
    expect(parseDurationMs(text)).toBeUndefined(),
  );

  it.each([
    ['1GB', 1e9],
    ['500MB', 5e8],
    ['2GiB', 2 * 1024 ** 3],
    ['100000', 100_000],
    ['10kb', 10_000],
    ['1.5 TB', 1.5e12],
  ])('size %j', (text, bytes) => expect(parseByteSize(text)).toBe(bytes));

  it.each(['', 'GB', '1 gigabyte', '-1GB', '1PB'])('not a size: %j', (text) =>
    expect(parseByteSize(text)).toBeUndefined(),
  );
});
