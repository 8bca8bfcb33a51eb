import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { StoreFileError } from '../../src/store/errors';
import { APPLICATION_ID, SCHEMA_VERSION } from '../../src/store/schema';
import { defaultDatabasePath, Store } from '../../src/store/Store';
import { compileStore } from './compile';
import { span, tempDir, tid } from './spans';

const dir = tempDir('viewer-file-');
afterAll(() => dir.remove());

function pragma(file: string, name: string): unknown {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    return Object.values(db.prepare(`PRAGMA ${name}`).get() as object)[0];
  } finally {
    db.close();
  }
}

/** The error `fn` throws (it must throw). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('the default path', () => {
  it('is under XDG_CACHE_HOME, else ~/.cache', () => {
    expect(defaultDatabasePath({ XDG_CACHE_HOME: '/x/cache' }, '/home/u')).toBe(
      '/x/cache/agent-otel/viewer.db',
    );
    expect(defaultDatabasePath({}, '/home/u')).toBe('/home/u/.cache/agent-otel/viewer.db');
    // A relative XDG_CACHE_HOME is invalid by the spec: ignored.
    expect(defaultDatabasePath({ XDG_CACHE_HOME: 'cache' }, '/home/u')).toBe(
      '/home/u/.cache/agent-otel/viewer.db',
    );
  });
});

describe('a new store file', () => {
  it('is created with its directories, marked as ours, in WAL mode', async () => {
    const file = join(dir.dir, 'deep', 'er', 'viewer.db');
    const store = Store.open(file);
    store.insert([span({ trace: 1, id: 1 })]);
    await store.close();
    expect(pragma(file, 'application_id')).toBe(APPLICATION_ID);
    expect(pragma(file, 'user_version')).toBe(SCHEMA_VERSION);
    expect(pragma(file, 'journal_mode')).toBe('wal');
    expect(pragma(file, 'auto_vacuum')).toBe(2); // incremental
    const again = Store.open(file);
    expect(again.counts()).toEqual({ traces: 1, spans: 1 });
    await again.close();
  });

  it('takes an empty file, and an empty SQLite database', async () => {
    const empty = dir.file('empty.db');
    writeFileSync(empty, '');
    const a = Store.open(empty);
    a.insert([span({ trace: 1, id: 1 })]);
    await a.close();
    const blank = dir.file('blank.db');
    new DatabaseSync(blank).close();
    const b = Store.open(blank);
    expect(b.counts().traces).toBe(0);
    await b.close();
  });

  it('works in memory', async () => {
    const store = Store.open(':memory:');
    store.insert([span({ trace: 1, id: 1 })]);
    expect(store.counts().spans).toBe(1);
    await store.close();
    expect(() => store.counts()).toThrow(/closed/);
  });
});

describe('a file that is not a store', () => {
  it('refuses a text file, naming it and the fix, and leaves it as it was', () => {
    const file = dir.file('notes.txt');
    const text = 'these are my notes, not a database\n'.repeat(20);
    writeFileSync(file, text);
    const error = thrown(() => Store.open(file)) as StoreFileError;
    expect(error).toBeInstanceOf(StoreFileError);
    expect(error.reason).toBe('foreign');
    expect(error.file).toBe(file);
    expect(error.message).toBe(
      `${file} is not an agent-otel viewer database (not an SQLite file). Move it away, or pass --db (AGENT_OTEL_VIEWER_DB) with another path.`,
    );
    expect(readFileSync(file, 'utf8')).toBe(text);
    expect(existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses a short file', () => {
    const file = dir.file('short.bin');
    writeFileSync(file, 'SQLite');
    expect(thrown(() => Store.open(file))).toMatchObject({ reason: 'foreign', file });
  });

  it("refuses another application's SQLite database, and leaves it as it was", () => {
    const file = dir.file('other.sqlite');
    const db = new DatabaseSync(file);
    db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')");
    db.close();
    const bytes = readFileSync(file);
    const error = thrown(() => Store.open(file)) as StoreFileError;
    expect(error).toMatchObject({ reason: 'foreign', file });
    expect(error.message).toMatch(
      /is an SQLite database of another application \(application_id 0x00000000\)/,
    );
    expect(error.message).toMatch(/Move it away, or pass --db/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('refuses a store written by a newer viewer', async () => {
    const file = dir.file('newer.db');
    await Store.open(file).close();
    const db = new DatabaseSync(file);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION + 1}`);
    db.close();
    const error = thrown(() => Store.open(file)) as StoreFileError;
    expect(error).toMatchObject({ reason: 'newer', file });
    expect(error.message).toContain(
      `newer @agent-otel/viewer (schema ${SCHEMA_VERSION + 1}; this one reads schema ${SCHEMA_VERSION})`,
    );
  });

  it('refuses a store of an earlier schema, naming it, and leaves the file as it was', async () => {
    const file = dir.file('older.db');
    await Store.open(file).close();
    const db = new DatabaseSync(file);
    db.exec(`PRAGMA user_version = ${SCHEMA_VERSION - 1}`);
    db.close();
    const bytes = readFileSync(file);
    const error = thrown(() => Store.open(file)) as StoreFileError;
    expect(error).toMatchObject({ reason: 'older', file });
    expect(error.message).toContain(
      `earlier development version of @agent-otel/viewer (schema ${SCHEMA_VERSION - 1}; this one reads schema ${SCHEMA_VERSION})`,
    );
    expect(error.message).toMatch(/Move it away, or pass --db/);
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });

  it('reports a damaged span data segment as a corrupt store when the trace is read', async () => {
    const file = dir.file('segment.db');
    const store = Store.open(file);
    store.insert([span({ trace: 1, id: 1 }), span({ trace: 1, id: 2, parent: 1 })]);
    store.insert([span({ trace: 2, id: 1 })]);
    await store.close();
    const db = new DatabaseSync(file);
    db.prepare(
      "UPDATE segments SET data = x'00112233' WHERE id = (SELECT segment_id FROM span_data WHERE trace_rowid = 1)",
    ).run();
    db.close();
    const reopened = Store.open(file);
    const error = (await rejection(reopened.getTrace(tid(1)))) as StoreFileError;
    expect(error).toBeInstanceOf(StoreFileError);
    expect(error).toMatchObject({ reason: 'corrupt', file });
    expect(error.message).toMatch(/span data segment \d+ cannot be read/);
    // The rest of the store still reads.
    expect((await reopened.getTrace(tid(2)))!.spans).toHaveLength(1);
    await reopened.close();
  });

  it('reports a corrupt store clearly, at open or at the first read', async () => {
    const file = dir.file('corrupt.db');
    const store = Store.open(file);
    for (let t = 1; t <= 200; t++)
      store.insert([span({ trace: t, id: 1, attrs: { 'agent_otel.metadata.n': t } })]);
    await store.close();
    // Overwrite every page after the first with garbage.
    const size = statSync(file).size;
    const fd = openSync(file, 'r+');
    const garbage = Buffer.alloc(size - 4096, 0xa5);
    writeSync(fd, garbage, 0, garbage.length, 4096);
    closeSync(fd);
    let error: unknown;
    try {
      const broken = Store.open(file);
      error = await rejection(broken.listTraces({}));
      await broken.close();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StoreFileError);
    expect(error).toMatchObject({ reason: 'corrupt', file });
    expect((error as Error).message).toMatch(/is corrupt|is damaged/);
    expect((error as Error).message).toMatch(/Move it away, or pass --db/);
  });
});

describe('a writer killed while inserting', () => {
  it('leaves no corruption and every committed insert complete', async () => {
    const out = join(dir.dir, 'compiled');
    const storeModule = compileStore(out);
    const file = dir.file('killed.db');
    const SPANS = 2000;
    const child = join(dir.dir, 'writer.cjs');
    // Each insert is one trace of SPANS spans: "inserting i" before, "committed i" once it returned.
    writeFileSync(
      child,
      `const { Store } = require(${JSON.stringify(storeModule)});
const store = Store.open(${JSON.stringify(file)});
const T0 = Date.UTC(2026, 0, 1);
for (let i = 1; ; i++) {
  const traceId = i.toString(16).padStart(32, '0');
  const spans = [];
  for (let s = 1; s <= ${SPANS}; s++) {
    const start = BigInt(T0 + i) * 1000000n;
    spans.push({
      traceId, spanId: s.toString(16).padStart(16, '0'), ...(s > 1 ? { parentSpanId: '0000000000000001' } : {}),
      name: 'span ' + s, kind: 'INTERNAL', startTimeUnixNano: String(start), endTimeUnixNano: String(start + 1000000n),
      status: { code: 'UNSET' }, attributes: { 'agent_otel.metadata.batch': i, 'gen_ai.operation.name': 'chat', 'gen_ai.usage.input_tokens': 1, 'x.payload': 'p'.repeat(200) },
      events: [], serviceName: 'writer', resource: { 'service.name': 'writer' }, scope: { name: 'w' },
    });
  }
  process.stdout.write('inserting ' + i + '\\n');
  store.insert(spans);
  process.stdout.write('committed ' + i + '\\n');
}
`,
    );
    const proc = spawn(process.execPath, [child], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      proc.on('exit', (_code, signal) => resolve(signal)),
    );
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the writer did not commit: ${stderr}`)), 60_000);
      proc.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('inserting 9\n')) {
          clearTimeout(timer);
          // Mid-insert, most likely: an insert of 2000 spans takes far longer than this.
          setTimeout(() => {
            proc.kill('SIGKILL');
            resolve();
          }, 5);
        }
      });
      proc.on('exit', () => reject(new Error(`the writer ended: ${stderr}`)));
    });
    expect(await exited).toBe('SIGKILL');
    const committed = Math.max(...[...stdout.matchAll(/committed (\d+)/g)].map((m) => Number(m[1])));
    expect(committed).toBeGreaterThanOrEqual(8);

    const db = new DatabaseSync(file);
    expect(db.prepare('PRAGMA integrity_check').get()).toEqual({ integrity_check: 'ok' });
    db.close();
    const store = Store.open(file);
    const { traces } = store.counts();
    expect(traces).toBeGreaterThanOrEqual(committed);
    // Every insert that is there is whole: committed ones, and any later one that made it.
    for (let i = 1; i <= traces; i++) {
      const detail = (await store.getTrace(tid(i)))!;
      expect(detail.summary.spanCount).toBe(SPANS);
      expect(detail.spans).toHaveLength(SPANS);
      expect(detail.summary.inputTokens).toBe(SPANS);
    }
    const page = await store.listTraces({
      attributes: [{ key: 'agent_otel.metadata.batch', op: '<=', value: committed }],
    });
    expect(page.total).toBe(committed);
    expect(store.counts().spans).toBe(traces * SPANS);
    // And it takes more.
    store.insert([span({ trace: 10_000, id: 1 })]);
    await store.close();
  }, 90_000);
});
