// The local store: spans in one SQLite file through Node's built-in `node:sqlite` (no native
// add-on), with the list's per-trace roll-up kept up to date on insert and an index of attribute
// values for the filters. WAL journal with synchronous=NORMAL: a committed insert survives the
// process being killed; a crash mid-insert leaves none of that insert.
import { closeSync, existsSync, mkdirSync, openSync, readSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join } from 'node:path';
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { constants as zlibConstants, zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import type {
  ConversationSummary,
  Span,
  StatsRow,
  TraceDetail,
  TracePage,
  TraceQuery,
  TraceSource,
  TraceSummary,
} from '../model.js';
import { analyzeSpans } from '../analysis.js';
import {
  driveSql,
  probeSql,
  tracePlan,
  type AttrCondition,
  type SqlValue,
  type TracePlan,
} from '../query/sql.js';
import {
  addToRollup,
  indexedAttributes,
  KEY,
  MAX_DERIVED_VALUE_CHARS,
  newRollup,
  PICO_PER_USD,
  rollupSummary,
  roundMs,
  spanFacts,
  STAT_GROUP,
  type TraceRollup,
} from './derive.js';
import { fileError, StoreFileError } from './errors.js';
import { pruneStore, storeSizeBytes, type PruneOptions, type PruneResult } from './retention.js';
import {
  APPLICATION_ID,
  BUCKET_BITS,
  SCHEMA_SQL,
  SCHEMA_VERSION,
  SEGMENT_BYTES,
  SEGMENT_ZSTD_LEVEL,
  TABLES,
} from './schema.js';

/** Counting the matches of a list stops here (`totalIsLowerBound` then). */
export const TOTAL_CAP = 10_000;
/**
 * An attribute condition matching at most this many traces drives the list (its traces are looked
 * up, then filtered and sorted); when every condition matches more, the list walks the sort order
 * probing each trace.
 */
export const DRIVE_MAX = 10_000;
/** When probing, the count looks at the newest this many traces at most (`totalIsLowerBound` beyond). */
export const COUNT_SCAN_MAX = 20_000;
/** The attribute keys whose values the filter pickers list (kept in `key_values`). */
const FACET_KEYS: readonly string[] = [
  KEY.service,
  KEY.requestModel,
  KEY.responseModel,
  KEY.provider,
  KEY.legacyProvider,
  KEY.agent,
  KEY.tool,
  KEY.operation,
];
/** At most this many values per facet. */
export const MAX_FACET_VALUES = 500;
/** At most this many conversations per page. */
export const MAX_CONVERSATIONS_PAGE = 500;

export interface StoreOptions {
  /** Receives one line per notable event (a retention run); default: none. */
  readonly logger?: (message: string) => void;
  /** How the traces list is run (defaults: `DRIVE_MAX`, `TOTAL_CAP`, `COUNT_SCAN_MAX`); for tests and tuning. */
  readonly planner?: {
    readonly driveMax?: number;
    readonly totalCap?: number;
    readonly countScanMax?: number;
    /** First K of a top-K list (sorting without an index while probing); default 1000. */
    readonly firstTopK?: number;
  };
}

/** What one `insert` did. */
export interface InsertResult {
  /** Spans stored (a span already stored, same trace and span id, is skipped). */
  readonly inserted: number;
  readonly duplicates: number;
  /** The traces that received spans. */
  readonly traceIds: readonly string[];
}

/** `${XDG_CACHE_HOME:-~/.cache}/agent-otel/viewer.db`. */
export function defaultDatabasePath(
  env: Readonly<Record<string, string | undefined>> = process.env,
  home: string = homedir(),
): string {
  const xdg = env.XDG_CACHE_HOME;
  const cache = xdg && isAbsolute(xdg) ? xdg : join(home, '.cache');
  return join(cache, 'agent-otel', 'viewer.db');
}

const SQLITE_MAGIC = 'SQLite format 3\u0000';

/** Throws a `StoreFileError` when `path` exists, is not empty and is not an SQLite file. */
function checkHeader(path: string): void {
  let size: number;
  try {
    const st = statSync(path);
    if (!st.isFile()) throw new StoreFileError(path, 'unreadable', 'is not a file');
    size = st.size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    if (error instanceof StoreFileError) throw error;
    throw new StoreFileError(path, 'unreadable', `cannot be read (${(error as Error).message})`, {
      cause: error,
    });
  }
  if (size === 0) return;
  const header = Buffer.alloc(16);
  let fd: number | undefined;
  let read: number;
  try {
    fd = openSync(path, 'r');
    read = readSync(fd, header, 0, 16, 0);
  } catch (error) {
    throw new StoreFileError(path, 'unreadable', `cannot be read (${(error as Error).message})`, {
      cause: error,
    });
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (read < 16 || header.toString('latin1') !== SQLITE_MAGIC)
    throw new StoreFileError(path, 'foreign', 'is not an agent-otel viewer database (not an SQLite file)');
}

interface TraceRow {
  id: number;
  trace_id: string;
  start_ms: number;
  end_ms: number;
  span_count: number;
  model_calls: number;
  input_tokens: number;
  output_tokens: number;
  cost_pico: number | null;
  error_count: number;
  name: string;
  root_span_name: string;
  service: string;
  root_span_id: string | null;
  root_start_ms: number | null;
  root_is_true: number;
  conversation_id: string | null;
  conversation_start_ms: number | null;
  conversation_span_id: string | null;
  models: string;
  agents: string;
}

const TRACE_COLUMNS =
  'id, trace_id, start_ms, end_ms, span_count, model_calls, input_tokens, output_tokens, cost_pico, ' +
  'error_count, name, root_span_name, service, root_span_id, root_start_ms, root_is_true, conversation_id, ' +
  'conversation_start_ms, conversation_span_id, models, agents';
/** The roll-up columns written on insert / update (in `Store.#traceValues` order). */
const TRACE_WRITE_COLUMNS = [
  'start_ms',
  'end_ms',
  'duration_ms',
  'span_count',
  'model_calls',
  'input_tokens',
  'output_tokens',
  'total_tokens',
  'cost_pico',
  'error_count',
  'name',
  'root_span_name',
  'service',
  'root_span_id',
  'root_start_ms',
  'root_is_true',
  'conversation_id',
  'conversation_start_ms',
  'conversation_span_id',
  'models',
  'agents',
] as const;
/** Attribute index entries and span rows (of new traces) written per INSERT statement. */
const ROWS_PER_STATEMENT = 32;
/** Columns of a `spans` row. */
const SPAN_COLUMNS = 10;
const insertSql = (head: string, columns: number, rows: number, tail = ''): string =>
  `${head} VALUES ${Array.from({ length: rows }, () => `(?${', ?'.repeat(columns - 1)})`).join(', ')}${tail}`;
const ATTR_INSERT = 'INSERT OR IGNORE INTO trace_attrs (bucket, key_id, value, trace_rowid)';
const ATTR_INSERT_1 = insertSql(ATTR_INSERT, 4, 1);
const ATTR_INSERT_N = insertSql(ATTR_INSERT, 4, ROWS_PER_STATEMENT);
const SPAN_INSERT =
  'INSERT INTO spans (trace_rowid, span_id, start_ms, duration_ms, is_error, stat_group, stat_key, input_tokens, output_tokens, cost_pico)';
const SPAN_CONFLICT = ' ON CONFLICT (trace_rowid, span_id) DO NOTHING';
const SPAN_INSERT_1 = insertSql(SPAN_INSERT, SPAN_COLUMNS, 1, SPAN_CONFLICT);
const SPAN_INSERT_N = insertSql(SPAN_INSERT, SPAN_COLUMNS, ROWS_PER_STATEMENT, SPAN_CONFLICT);
const TRACE_COLUMNS_T = TRACE_COLUMNS.split(', ')
  .map((c) => `t.${c}`)
  .join(', ');

function parseList(json: string): string[] {
  try {
    const list: unknown = JSON.parse(json);
    return Array.isArray(list) ? list.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function rollupOf(row: TraceRow): TraceRollup {
  if (row.span_count === 0) return newRollup();
  return {
    startMs: row.start_ms,
    endMs: row.end_ms,
    spanCount: row.span_count,
    modelCalls: row.model_calls,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    costPico: row.cost_pico ?? undefined,
    errorCount: row.error_count,
    root:
      row.root_span_id === null
        ? undefined
        : {
            spanId: row.root_span_id,
            startMs: row.root_start_ms ?? row.start_ms,
            isTrue: row.root_is_true === 1,
            name: row.name,
            rootSpanName: row.root_span_name,
            serviceName: row.service,
          },
    conversation:
      row.conversation_id === null
        ? undefined
        : {
            id: row.conversation_id,
            startMs: row.conversation_start_ms ?? row.start_ms,
            spanId: row.conversation_span_id ?? '',
          },
    models: parseList(row.models),
    agents: parseList(row.agents),
  };
}

function summaryOf(row: TraceRow): TraceSummary {
  return rollupSummary(row.trace_id, rollupOf(row));
}

/** What is stored of a span besides its ids and resource (kept apart, shared). */
function spanData(span: Span): object {
  return {
    parentSpanId: span.parentSpanId,
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: span.startTimeUnixNano,
    endTimeUnixNano: span.endTimeUnixNano,
    status: span.status,
    attributes: span.attributes,
    events: span.events,
    scope: span.scope,
    dropped: span.dropped,
  };
}

/** One stored span in a part: span id, resource id, `spanData`. */
type PartEntry = [string, number, Omit<Span, 'traceId' | 'spanId' | 'serviceName' | 'resource'>];

const ZSTD_PARAMS = { params: { [zlibConstants.ZSTD_c_compressionLevel]: SEGMENT_ZSTD_LEVEL } };

/** Rows written `ROWS_PER_STATEMENT` per INSERT statement (the rest one by one at `flush`). */
class RowBatcher {
  readonly #one: StatementSync;
  readonly #many: StatementSync;
  readonly #columns: number;
  readonly #values: (string | number | null)[] = [];
  constructor(one: StatementSync, many: StatementSync, columns: number) {
    this.#one = one;
    this.#many = many;
    this.#columns = columns;
  }

  /** Adds one row (its columns in order), writing a full statement's worth. */
  add(...row: (string | number | null)[]): void {
    this.#values.push(...row);
    if (this.#values.length === this.#columns * ROWS_PER_STATEMENT) {
      this.#many.run(...this.#values);
      this.#values.length = 0;
    }
  }

  flush(): void {
    for (let i = 0; i < this.#values.length; i += this.#columns)
      this.#one.run(...this.#values.slice(i, i + this.#columns));
    this.#values.length = 0;
  }
}

/**
 * The segment being filled by one insert: the JSON parts (`PartEntry[]` of one trace each) and, per
 * part, its trace row; compressed and written by `close`, then its parts' `span_data` rows.
 */
class SegmentWriter {
  readonly #insertSegment: StatementSync;
  readonly #insertPart: StatementSync;
  #parts: Buffer[] = [];
  #traces: number[] = [];
  #bytes = 0;
  constructor(insertSegment: StatementSync, insertPart: StatementSync) {
    this.#insertSegment = insertSegment;
    this.#insertPart = insertPart;
  }

  add(traceRowid: number, entries: readonly [string, number, object][]): void {
    const part = Buffer.from(JSON.stringify(entries), 'utf8');
    this.#parts.push(part);
    this.#traces.push(traceRowid);
    this.#bytes += part.length;
    if (this.#bytes >= SEGMENT_BYTES) this.close();
  }

  close(): void {
    if (this.#parts.length === 0) return;
    const data = zstdCompressSync(Buffer.concat(this.#parts, this.#bytes), ZSTD_PARAMS);
    const segment = Number(this.#insertSegment.run(this.#parts.length, data).lastInsertRowid);
    let at = 0;
    for (let i = 0; i < this.#parts.length; i++) {
      const bytes = this.#parts[i]!.length;
      this.#insertPart.run(this.#traces[i]!, segment, at, bytes);
      at += bytes;
    }
    this.#parts = [];
    this.#traces = [];
    this.#bytes = 0;
  }
}

/** Nearest-rank percentile of ascending `sorted` (a value of the set): the ⌈p·n⌉-th. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1]!;
}

type Window = { readonly fromMs?: number; readonly toMs?: number };

function windowSql(window: Window, column: string, params: SqlValue[]): string[] {
  const where: string[] = [];
  if (window.fromMs !== undefined && Number.isFinite(window.fromMs)) {
    where.push(`${column} >= ?`);
    params.push(window.fromMs);
  }
  if (window.toMs !== undefined && Number.isFinite(window.toMs)) {
    where.push(`${column} <= ?`);
    params.push(window.toMs);
  }
  return where;
}

function pageBounds(limit: number | undefined, offset: number | undefined, max: number): [number, number] {
  const l =
    limit !== undefined && Number.isFinite(limit) ? Math.min(max, Math.max(1, Math.trunc(limit))) : 50;
  const o = offset !== undefined && Number.isFinite(offset) ? Math.max(0, Math.trunc(offset)) : 0;
  return [l, o];
}

/** The local SQLite store: a `TraceSource`, plus `insert` and `prune`. */
export class Store implements TraceSource {
  readonly description = { kind: 'local' } as const;
  /** The database file (or `:memory:`). */
  readonly path: string;

  readonly #db: DatabaseSync;
  readonly #log: (message: string) => void;
  readonly #driveMax: number;
  readonly #totalCap: number;
  readonly #countScanMax: number;
  readonly #firstTopK: number;
  readonly #keyIds = new Map<string, number>();
  readonly #resourceIds = new Map<string, number>();
  #resourceByObject = new WeakMap<object, Map<string, number>>();
  readonly #statements = new Map<string, StatementSync>();
  /** Ids of the facet keys, and `key_values` entries already written. */
  readonly #facetKeyIds = new Set<number>();
  readonly #facetValues = new Set<string>();
  #closed = false;

  private constructor(path: string, db: DatabaseSync, options: StoreOptions) {
    this.path = path;
    this.#db = db;
    this.#log = options.logger ?? (() => {});
    this.#driveMax = options.planner?.driveMax ?? DRIVE_MAX;
    this.#totalCap = options.planner?.totalCap ?? TOTAL_CAP;
    this.#countScanMax = options.planner?.countScanMax ?? COUNT_SCAN_MAX;
    this.#firstTopK = Math.max(1, options.planner?.firstTopK ?? 1000);
  }

  /**
   * Opens (creating when missing or empty) the store at `path` (default: {@link defaultDatabasePath}),
   * `:memory:` for one in memory. Throws a `StoreFileError` naming the file and the fix when it is
   * not an SQLite file, another application's database, of a newer schema or corrupt.
   */
  static open(path: string = defaultDatabasePath(), options: StoreOptions = {}): Store {
    const memory = path === ':memory:';
    if (!memory) {
      checkHeader(path);
      const dir = dirname(path);
      if (!existsSync(dir)) mkdirSync(dir, { recursive: true });
    }
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(path);
    } catch (error) {
      throw fileError(path, error) instanceof StoreFileError
        ? fileError(path, error)
        : new StoreFileError(path, 'unreadable', `cannot be opened (${(error as Error).message})`, {
            cause: error,
          });
    }
    try {
      db.exec('PRAGMA busy_timeout = 5000');
      initialize(db, path);
      db.exec(
        'PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32768; ' +
          'PRAGMA temp_store = MEMORY; PRAGMA journal_size_limit = 67108864; PRAGMA foreign_keys = OFF',
      );
    } catch (error) {
      db.close();
      throw fileError(path, error);
    }
    return new Store(path, db, options);
  }

  /** Drops the caches of ids and marks (after a rollback, or a prune). */
  #forgetCaches(): void {
    this.#keyIds.clear();
    this.#facetKeyIds.clear();
    this.#resourceIds.clear();
    this.#resourceByObject = new WeakMap();
    this.#facetValues.clear();
  }

  #prepare(sql: string): StatementSync {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  /** Runs `fn`, turning SQLite's corrupt / not-a-database errors into a `StoreFileError`. */
  #guard<T>(fn: () => T): T {
    if (this.#closed) throw new Error(`the store ${this.path} is closed`);
    try {
      return fn();
    } catch (error) {
      throw fileError(this.path, error);
    }
  }

  #keyId(key: string, create: boolean): number | undefined {
    const cached = this.#keyIds.get(key);
    if (cached !== undefined) return cached;
    let row = this.#prepare('SELECT id FROM attr_keys WHERE key = ?').get(key) as { id: number } | undefined;
    if (!row && create) {
      this.#prepare('INSERT INTO attr_keys (key) VALUES (?)').run(key);
      row = this.#prepare('SELECT id FROM attr_keys WHERE key = ?').get(key) as { id: number };
    }
    if (!row) return undefined;
    if (this.#keyIds.size >= 100_000) this.#keyIds.clear();
    this.#keyIds.set(key, row.id);
    if (FACET_KEYS.includes(key)) this.#facetKeyIds.add(row.id);
    return row.id;
  }

  #resourceId(span: Span): number {
    const resource = span.resource;
    const service = span.serviceName ?? '';
    const cacheable = typeof resource === 'object' && resource !== null;
    // Spans of one OTLP resource share its object: look it up by identity first.
    const known = cacheable ? this.#resourceByObject.get(resource)?.get(service) : undefined;
    if (known !== undefined) return known;
    const data = JSON.stringify([service, resource ?? {}]);
    let id = this.#resourceIds.get(data);
    if (id === undefined) {
      const row = this.#prepare('SELECT id FROM resources WHERE data = ?').get(data) as
        { id: number } | undefined;
      id = row
        ? row.id
        : Number(this.#prepare('INSERT INTO resources (data) VALUES (?)').run(data).lastInsertRowid);
      if (this.#resourceIds.size >= 10_000) this.#resourceIds.clear();
      this.#resourceIds.set(data, id);
    }
    if (cacheable) {
      let byService = this.#resourceByObject.get(resource);
      if (!byService) this.#resourceByObject.set(resource, (byService = new Map()));
      byService.set(service, id);
    }
    return id;
  }

  /** The columns of a trace's row from its roll-up (the order of TRACE_WRITE_COLUMNS). */
  static #traceValues(traceId: string, rollup: TraceRollup): (string | number | null)[] {
    const s = rollupSummary(traceId, rollup);
    return [
      s.startMs,
      s.startMs + s.durationMs,
      s.durationMs,
      s.spanCount,
      s.modelCalls,
      s.inputTokens,
      s.outputTokens,
      s.inputTokens + s.outputTokens,
      rollup.costPico ?? null,
      s.errorCount,
      s.name,
      s.rootSpanName,
      s.serviceName,
      rollup.root?.spanId ?? null,
      rollup.root?.startMs ?? null,
      rollup.root?.isTrue ? 1 : 0,
      rollup.conversation?.id ?? null,
      rollup.conversation?.startMs ?? null,
      rollup.conversation?.spanId ?? null,
      JSON.stringify(rollup.models),
      JSON.stringify(rollup.agents),
    ];
  }

  /**
   * Stores `spans` in one transaction (all or none), spans of any traces in any order; a span
   * already stored (same trace id and span id) is skipped. Updates each trace's roll-up.
   */
  insert(spans: readonly Span[]): InsertResult {
    return this.#guard(() => {
      if (spans.length === 0) return { inserted: 0, duplicates: 0, traceIds: [] };
      const byTrace = new Map<string, Span[]>();
      for (const span of spans) {
        const list = byTrace.get(span.traceId);
        if (list) list.push(span);
        else byTrace.set(span.traceId, [span]);
      }
      const selectTrace = this.#prepare(`SELECT ${TRACE_COLUMNS} FROM traces WHERE trace_id = ?`);
      const insertTrace = this.#prepare(
        `INSERT INTO traces (trace_id, ${TRACE_WRITE_COLUMNS.join(', ')}) VALUES (?${', ?'.repeat(TRACE_WRITE_COLUMNS.length)})`,
      );
      const updateTrace = this.#prepare(
        `UPDATE traces SET ${TRACE_WRITE_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`,
      );
      const insertSpan = this.#prepare(SPAN_INSERT_1);
      // Span rows of new traces (none can be stored already) and index entries, several per statement.
      const newSpans = new RowBatcher(insertSpan, this.#prepare(SPAN_INSERT_N), SPAN_COLUMNS);
      const index = new RowBatcher(this.#prepare(ATTR_INSERT_1), this.#prepare(ATTR_INSERT_N), 4);
      const segments = new SegmentWriter(
        this.#prepare('INSERT INTO segments (parts, data) VALUES (?, ?)'),
        this.#prepare('INSERT INTO span_data (trace_rowid, segment_id, at, bytes) VALUES (?, ?, ?, ?)'),
      );
      const insertKeyValue = this.#prepare('INSERT OR IGNORE INTO key_values (key_id, value) VALUES (?, ?)');
      let inserted = 0;
      let duplicates = 0;
      const attrs: [string, string | number][] = [];
      this.#db.exec('BEGIN IMMEDIATE');
      try {
        for (const [traceId, group] of byTrace) {
          const row = selectTrace.get(traceId) as TraceRow | undefined;
          const rollup = row ? rollupOf(row) : newRollup();
          const facts = group.map((span) => spanFacts(span));
          // A new trace: its row is written once, complete (spans repeated within `group` skipped).
          let fresh: boolean[] | undefined;
          let traceRowid: number;
          if (row) {
            traceRowid = row.id;
          } else {
            const ids = new Set<string>();
            fresh = group.map((span, i) => {
              if (ids.has(span.spanId)) return false;
              ids.add(span.spanId);
              addToRollup(rollup, span, facts[i]);
              return true;
            });
            traceRowid = Number(
              insertTrace.run(traceId, ...Store.#traceValues(traceId, rollup)).lastInsertRowid,
            );
          }
          const seen = new Map<number, Set<string | number>>();
          const part: [string, number, object][] = [];
          const bucket = traceRowid >> BUCKET_BITS;
          for (let i = 0; i < group.length; i++) {
            const span = group[i]!;
            const f = facts[i]!;
            if (fresh && !fresh[i]) {
              duplicates++;
              continue;
            }
            const spanRow = [
              traceRowid,
              span.spanId,
              f.startMs,
              f.durationMs,
              f.isError ? 1 : 0,
              f.statGroup,
              f.statKey ?? null,
              f.inputTokens,
              f.outputTokens,
              f.costPico ?? null,
            ];
            if (fresh) newSpans.add(...spanRow);
            else if (Number(insertSpan.run(...spanRow).changes) === 0) {
              duplicates++;
              continue;
            }
            part.push([span.spanId, this.#resourceId(span), spanData(span)]);
            if (!fresh) addToRollup(rollup, span, f);
            attrs.length = 0;
            for (const [key, value] of indexedAttributes(span, attrs)) {
              const keyId = this.#keyId(key, true)!;
              let values = seen.get(keyId);
              if (!values) seen.set(keyId, (values = new Set()));
              else if (values.has(value)) continue;
              values.add(value);
              index.add(bucket, keyId, value, traceRowid);
              if (typeof value === 'string' && this.#facetKeyIds.has(keyId)) {
                const mark = `${keyId}:${value}`;
                if (!this.#facetValues.has(mark)) {
                  if (this.#facetValues.size >= 100_000) this.#facetValues.clear();
                  this.#facetValues.add(mark);
                  insertKeyValue.run(keyId, value);
                }
              }
            }
          }
          if (part.length === 0) continue;
          inserted += part.length;
          segments.add(traceRowid, part);
          if (!fresh) updateTrace.run(...Store.#traceValues(traceId, rollup), traceRowid);
        }
        newSpans.flush();
        index.flush();
        segments.close();
        this.#db.exec('COMMIT');
      } catch (error) {
        try {
          this.#db.exec('ROLLBACK');
        } catch {
          // Already rolled back by SQLite.
        }
        // Ids created in the rolled-back transaction are gone.
        this.#forgetCaches();
        throw error;
      }
      return { inserted, duplicates, traceIds: [...byTrace.keys()] };
    });
  }

  /** The range of buckets that hold live traces. */
  #buckets(): [number, number] {
    const r = this.#prepare(
      'SELECT (SELECT min(id) FROM traces) AS lo, (SELECT max(id) FROM traces) AS hi',
    ).get() as {
      lo: number | null;
      hi: number | null;
    };
    return [(r.lo ?? 0) >> BUCKET_BITS, (r.hi ?? 0) >> BUCKET_BITS];
  }

  /** The row ids of the traces matching `c`, or undefined when it has more than `cap` index entries. */
  #matches(c: AttrCondition, buckets: [number, number], cap: number): number[] | undefined {
    const params: SqlValue[] = [];
    const sql = `${driveSql(c, params, buckets[0], buckets[1])} LIMIT ?`;
    const rows = this.#prepare(sql).all(...params, cap + 1);
    if (rows.length > cap) return undefined;
    return [...new Set(rows.map((r) => (r as { id: number }).id))];
  }

  /**
   * How the list runs: the SQL of the rows and of the count. The most selective attribute
   * condition, if it matches at most `driveMax` traces, drives: its traces are looked up (by row
   * id), then filtered by the rest and sorted. Otherwise every condition is probed per trace, in
   * the sort order.
   */
  #listSql(plan: TracePlan): {
    rows: string;
    count: string;
    params: SqlValue[];
    countParams: SqlValue[];
    /** The count stops at the cap. */
    capped: boolean;
    /** The count looks at the newest `countScanMax` traces only. */
    bounded: boolean;
    /** Rows from the top K by the sort key (K goes in `topParams[topKAt]`). */
    topRows?: string;
    topParams?: SqlValue[];
    topKAt?: number;
  } {
    let driver: { condition: AttrCondition; ids: number[] } | undefined;
    const buckets = this.#buckets();
    for (const c of plan.attrs) {
      if (c.kind === 'neq') continue;
      const ids = this.#matches(
        c,
        buckets,
        driver ? Math.min(driver.ids.length, this.#driveMax) : this.#driveMax,
      );
      if (ids && (!driver || ids.length < driver.ids.length)) driver = { condition: c, ids };
      if (driver?.ids.length === 0) break;
    }
    const where = [...plan.where];
    const params: SqlValue[] = [...plan.params];
    if (driver) {
      where.unshift('t.id IN (SELECT value FROM json_each(?))');
      params.unshift(JSON.stringify(driver.ids));
    }
    for (const c of plan.attrs) if (c !== driver?.condition) where.push(probeSql(c, params));
    const whereSql = where.length === 0 ? '' : `WHERE ${where.join(' AND ')}`;
    const rows = `SELECT ${TRACE_COLUMNS_T} FROM traces t ${whereSql} ${plan.orderBy} LIMIT ? OFFSET ?`;
    if (where.length === 0)
      return {
        rows,
        count: 'SELECT count(*) AS n FROM traces',
        params,
        countParams: [],
        capped: false,
        bounded: false,
      };
    if (driver)
      return {
        rows,
        count: `SELECT count(*) AS n FROM traces t ${whereSql}`,
        params,
        countParams: params,
        capped: false,
        bounded: false,
      };
    const cap = this.#totalCap + 1;
    if (plan.attrs.length === 0)
      return {
        rows,
        count: `SELECT count(*) AS n FROM (SELECT 1 FROM traces t ${whereSql} LIMIT ?)`,
        params,
        countParams: [...params, cap],
        capped: true,
        bounded: false,
      };
    // Probing every trace: count among the newest `countScanMax` traces at most. Without an index
    // for the order, rows come from the top K traces by the sort key (K grows until the page fills).
    const columnWhere = plan.where.length === 0 ? '' : `WHERE ${plan.where.join(' AND ')}`;
    const probes = where.slice(plan.where.length).join(' AND ');
    return {
      rows,
      ...(plan.indexedOrder
        ? {}
        : {
            topRows: `SELECT ${TRACE_COLUMNS_T} FROM (SELECT t.* FROM traces t ${columnWhere} ${plan.orderBy} LIMIT ?) t WHERE ${probes} ${plan.orderBy} LIMIT ? OFFSET ?`,
            topParams: [...plan.params, 0, ...params.slice(plan.params.length)],
            topKAt: plan.params.length,
          }),
      count: `SELECT count(*) AS n FROM (SELECT 1 FROM (SELECT id FROM traces ORDER BY start_ms DESC LIMIT ?) w CROSS JOIN traces t ${whereSql} AND t.id = w.id LIMIT ?)`,
      params,
      countParams: [this.#countScanMax, ...params, cap],
      capped: true,
      bounded: true,
    };
  }

  async listTraces(query: TraceQuery): Promise<TracePage> {
    return this.#guard(() => {
      const plan = tracePlan(query, (key) => this.#keyId(key, false));
      if (!plan) return { traces: [], total: 0 };
      const sql = this.#listSql(plan);
      let rows: TraceRow[] | undefined;
      if (sql.topRows && sql.topParams && sql.topKAt !== undefined) {
        const traces = (this.#prepare('SELECT count(*) AS n FROM traces').get() as { n: number }).n;
        const params = [...sql.topParams];
        for (let k = Math.max(this.#firstTopK, plan.offset + plan.limit); ; k *= 8) {
          params[sql.topKAt] = k;
          rows = this.#prepare(sql.topRows).all(...params, plan.limit, plan.offset) as unknown as TraceRow[];
          if (rows.length === plan.limit || k >= traces) break;
        }
      } else {
        rows = this.#prepare(sql.rows).all(...sql.params, plan.limit, plan.offset) as unknown as TraceRow[];
      }
      let total = (this.#prepare(sql.count).get(...sql.countParams) as { n: number }).n;
      let lowerBound = false;
      if (sql.capped && total > this.#totalCap) {
        total = this.#totalCap;
        lowerBound = true;
      } else if (
        sql.bounded &&
        (this.#prepare('SELECT count(*) AS n FROM traces').get() as { n: number }).n > this.#countScanMax
      ) {
        lowerBound = true;
      }
      // A page past the counted matches: at least what was skipped and shown.
      if (rows.length > 0 && total < plan.offset + rows.length) total = plan.offset + rows.length;
      return { traces: rows.map(summaryOf), total, ...(lowerBound ? { totalIsLowerBound: true } : {}) };
    });
  }

  /** The SQL of `listTraces(query)` and SQLite's plans for it (for tests and benchmarks). */
  explainListTraces(query: TraceQuery): {
    rows: string;
    count: string;
    rowsPlan: string[];
    countPlan: string[];
  } {
    return this.#guard(() => {
      const plan = tracePlan(query, (key) => this.#keyId(key, false));
      if (!plan) return { rows: '', count: '', rowsPlan: [], countPlan: [] };
      const sql = this.#listSql(plan);
      const explain = (text: string, params: SqlValue[]) =>
        this.#db
          .prepare(`EXPLAIN QUERY PLAN ${text}`)
          .all(...params)
          .map((r) => String((r as { detail: string }).detail));
      return {
        rows: sql.rows,
        count: sql.count,
        rowsPlan: explain(sql.rows, [...sql.params, plan.limit, plan.offset]),
        countPlan: explain(sql.count, sql.countParams),
      };
    });
  }

  /**
   * The entries of a trace's part: bytes `at`..`at + bytes` of segment `id`, which is inflated once per
   * call into `inflated`. A missing or unreadable segment or part is a corrupt store.
   */
  #part(id: number, at: number, bytes: number, inflated: Map<number, Buffer>): PartEntry[] {
    let parsed: unknown;
    try {
      let segment = inflated.get(id);
      if (!segment) {
        const row = this.#prepare('SELECT data FROM segments WHERE id = ?').get(id) as
          { data: Uint8Array } | undefined;
        if (!row) throw new Error('missing');
        segment = zstdDecompressSync(row.data);
        inflated.set(id, segment);
      }
      if (at < 0 || bytes < 0 || at + bytes > segment.length) throw new Error('out of range');
      parsed = JSON.parse(segment.toString('utf8', at, at + bytes));
    } catch (error) {
      throw new StoreFileError(this.path, 'corrupt', `is corrupt (span data segment ${id} cannot be read)`, {
        cause: error,
      });
    }
    return Array.isArray(parsed) ? (parsed as PartEntry[]) : [];
  }

  /** The spans of a trace as stored (insertion order), or undefined. */
  #spans(traceId: string): { row: TraceRow; spans: Span[] } | undefined {
    const row = this.#prepare(`SELECT ${TRACE_COLUMNS} FROM traces WHERE trace_id = ?`).get(
      traceId.toLowerCase(),
    ) as TraceRow | undefined;
    if (!row || row.span_count === 0) return undefined;
    const resources = new Map<number, [string, Span['resource']]>();
    const spans: Span[] = [];
    const inflated = new Map<number, Buffer>();
    for (const r of this.#prepare(
      'SELECT segment_id, at, bytes FROM span_data WHERE trace_rowid = ? ORDER BY id',
    ).all(row.id) as unknown as { segment_id: number; at: number; bytes: number }[]) {
      for (const [spanId, resourceId, d] of this.#part(r.segment_id, r.at, r.bytes, inflated)) {
        let resource = resources.get(resourceId);
        if (!resource) {
          const res = this.#prepare('SELECT data FROM resources WHERE id = ?').get(resourceId) as
            { data: string } | undefined;
          const parsed: unknown = res ? JSON.parse(res.data) : ['', {}];
          resource = Array.isArray(parsed) ? (parsed as [string, Span['resource']]) : ['', {}];
          resources.set(resourceId, resource);
        }
        spans.push({
          traceId: row.trace_id,
          spanId,
          ...(d.parentSpanId === undefined ? {} : { parentSpanId: d.parentSpanId }),
          name: d.name,
          kind: d.kind,
          startTimeUnixNano: d.startTimeUnixNano,
          endTimeUnixNano: d.endTimeUnixNano,
          status: d.status,
          attributes: d.attributes ?? {},
          events: d.events ?? [],
          serviceName: resource[0],
          resource: resource[1] ?? {},
          scope: d.scope,
          ...(d.dropped === undefined ? {} : { dropped: d.dropped }),
        });
      }
    }
    return { row, spans };
  }

  async getTrace(traceId: string): Promise<TraceDetail | undefined> {
    return this.#guard(() => {
      const found = this.#spans(traceId);
      if (!found) return undefined;
      const { spans, analysis } = analyzeSpans(found.spans);
      return { summary: summaryOf(found.row), spans, analysis };
    });
  }

  async listConversations(query: {
    readonly fromMs?: number;
    readonly toMs?: number;
    readonly limit?: number;
    readonly offset?: number;
  }): Promise<{ readonly conversations: readonly ConversationSummary[]; readonly total: number }> {
    return this.#guard(() => {
      const params: SqlValue[] = [];
      const where = ['conversation_id IS NOT NULL', ...windowSql(query, 'start_ms', params)].join(' AND ');
      const [limit, offset] = pageBounds(query.limit, query.offset, MAX_CONVERSATIONS_PAGE);
      const total = (
        this.#prepare(`SELECT count(DISTINCT conversation_id) AS n FROM traces WHERE ${where}`).get(
          ...params,
        ) as {
          n: number;
        }
      ).n;
      const rows = this.#prepare(
        `SELECT conversation_id AS id, count(*) AS traces, min(start_ms) AS first, max(start_ms) AS last,
           sum(input_tokens) AS input, sum(output_tokens) AS output, sum(cost_pico) AS cost,
           sum(error_count) AS errors, json_group_array(DISTINCT service) AS services
         FROM traces WHERE ${where} GROUP BY conversation_id ORDER BY last DESC, id ASC LIMIT ? OFFSET ?`,
      ).all(...params, limit, offset) as unknown as {
        id: string;
        traces: number;
        first: number;
        last: number;
        input: number;
        output: number;
        cost: number | null;
        errors: number;
        services: string;
      }[];
      const conversations: ConversationSummary[] = rows.map((r) => ({
        conversationId: r.id,
        traceCount: r.traces,
        firstStartMs: r.first,
        lastStartMs: r.last,
        inputTokens: r.input,
        outputTokens: r.output,
        ...(r.cost === null ? {} : { costUsd: Math.round(r.cost) / PICO_PER_USD }),
        errorCount: r.errors,
        services: parseList(r.services)
          .filter((s) => s !== '')
          .sort()
          .slice(0, 32),
      }));
      return { conversations, total };
    });
  }

  /**
   * Per model (model calls), agent (agent runs) and tool (tool executions) over the spans of the
   * traces started in the window: count, p50/p95 duration (nearest rank), tokens, cost, error rate.
   */
  async stats(query: { readonly fromMs?: number; readonly toMs?: number }): Promise<readonly StatsRow[]> {
    return this.#guard(() => {
      const params: SqlValue[] = [];
      const window = windowSql(query, 't.start_ms', params);
      const from =
        window.length === 0
          ? 'spans s WHERE s.stat_group > 0'
          : `traces t JOIN spans s ON s.trace_rowid = t.id WHERE s.stat_group > 0 AND ${window.join(' AND ')}`;
      // One pass: sums per group, and its durations (sorted here for the nearest-rank percentiles).
      const rows = this.#prepare(
        `SELECT s.stat_group AS g, s.stat_key AS k, count(*) AS n, sum(s.is_error) AS errors,
           sum(s.input_tokens) AS input, sum(s.output_tokens) AS output, sum(s.cost_pico) AS cost,
           json_group_array(s.duration_ms) AS durations
         FROM ${from} GROUP BY s.stat_group, s.stat_key ORDER BY s.stat_group, n DESC, s.stat_key`,
      ).all(...params) as unknown as {
        g: number;
        k: string | null;
        n: number;
        errors: number;
        input: number;
        output: number;
        cost: number | null;
        durations: string;
      }[];
      const names: Readonly<Record<number, StatsRow['group']>> = {
        [STAT_GROUP.model]: 'model',
        [STAT_GROUP.agent]: 'agent',
        [STAT_GROUP.tool]: 'tool',
      };
      return rows
        .filter((r) => names[r.g] !== undefined)
        .map((r) => {
          const sorted = Float64Array.from(JSON.parse(r.durations) as number[]).sort();
          return {
            group: names[r.g]!,
            key: r.k ?? '',
            count: r.n,
            p50Ms: roundMs(percentile(sorted, 0.5)),
            p95Ms: roundMs(percentile(sorted, 0.95)),
            inputTokens: r.input,
            outputTokens: r.output,
            ...(r.cost === null ? {} : { costUsd: Math.round(r.cost) / PICO_PER_USD }),
            errorRate: r.n === 0 ? 0 : r.errors / r.n,
          };
        });
    });
  }

  /** Distinct text values of attribute `keys` (at most `MAX_FACET_VALUES`), sorted. */
  #distinct(keys: readonly string[]): string[] {
    const values = new Set<string>();
    const select = this.#prepare('SELECT value FROM key_values WHERE key_id = ? ORDER BY value LIMIT ?');
    for (const key of keys) {
      const id = this.#keyId(key, false);
      if (id === undefined) continue;
      for (const r of select.all(id, MAX_FACET_VALUES)) {
        const x = (r as { value: unknown }).value;
        if (typeof x === 'string' && x.length <= MAX_DERIVED_VALUE_CHARS) values.add(x);
      }
    }
    return [...values].sort().slice(0, MAX_FACET_VALUES);
  }

  async facets(): Promise<
    Readonly<
      Record<'services' | 'models' | 'providers' | 'agents' | 'tools' | 'operations', readonly string[]>
    >
  > {
    return this.#guard(() => ({
      services: this.#distinct([KEY.service]),
      models: this.#distinct([KEY.requestModel, KEY.responseModel]),
      providers: this.#distinct([KEY.provider, KEY.legacyProvider]),
      agents: this.#distinct([KEY.agent]),
      tools: this.#distinct([KEY.tool]),
      operations: this.#distinct([KEY.operation]),
    }));
  }

  /**
   * Deletes whole traces: those started more than `maxAgeMs` ago, then the oldest until the file's
   * used pages fit `maxBytes`; gives the freed pages back to the file system. Runs in small
   * transactions, yielding between them.
   */
  async prune(options: PruneOptions): Promise<PruneResult> {
    if (this.#closed) throw new Error(`the store ${this.path} is closed`);
    try {
      const result = await pruneStore(this.#db, options, (sql) => this.#prepare(sql), FACET_KEYS);
      this.#forgetCaches();
      if (result.deletedTraces > 0)
        this.#log(
          `retention: deleted ${result.deletedTraces} traces (${result.deletedSpans} spans); ${this.path} now ${result.sizeBytes} bytes`,
        );
      return result;
    } catch (error) {
      throw fileError(this.path, error);
    }
  }

  /** The database's size in bytes (its pages; the WAL file not included). */
  sizeBytes(): number {
    return this.#guard(() => storeSizeBytes(this.#db));
  }

  /** Stored traces and spans. */
  counts(): { traces: number; spans: number } {
    return this.#guard(() => ({
      traces: (this.#prepare('SELECT count(*) AS n FROM traces').get() as { n: number }).n,
      spans: (this.#prepare('SELECT count(*) AS n FROM spans').get() as { n: number }).n,
    }));
  }

  /** Updates the query planner's statistics (cheap; worth it after large imports). */
  optimize(): void {
    this.#guard(() => this.#db.exec('PRAGMA analysis_limit = 1000; PRAGMA optimize = 0x10002'));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      this.#db.exec('PRAGMA analysis_limit = 1000; PRAGMA optimize');
    } catch {
      // Best effort.
    }
    this.#statements.clear();
    this.#db.close();
  }
}

/** Checks the file's identity and schema version; creates the schema in a new (empty) database. */
function initialize(db: DatabaseSync, path: string): void {
  const read = () => ({
    applicationId: (db.prepare('PRAGMA application_id').get() as { application_id: number }).application_id,
    version: (db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version,
    objects: (db.prepare('SELECT count(*) AS n FROM sqlite_master').get() as { n: number }).n,
  });
  let state = read();
  if (state.applicationId === 0 && state.version === 0 && state.objects === 0) {
    // New: incremental auto-vacuum (set before the first table) lets retention shrink the file.
    db.exec('PRAGMA auto_vacuum = INCREMENTAL');
    db.exec('PRAGMA journal_mode = WAL');
    db.exec('BEGIN IMMEDIATE');
    try {
      state = read();
      if (state.applicationId === 0 && state.version === 0 && state.objects === 0) {
        db.exec(SCHEMA_SQL);
        db.exec(`PRAGMA application_id = ${APPLICATION_ID}; PRAGMA user_version = ${SCHEMA_VERSION}`);
      }
      db.exec('COMMIT');
    } catch (error) {
      db.exec('ROLLBACK');
      throw error;
    }
    state = read();
  }
  if (state.applicationId !== APPLICATION_ID) {
    const id = `0x${(state.applicationId >>> 0).toString(16).padStart(8, '0')}`;
    throw new StoreFileError(
      path,
      'foreign',
      `is an SQLite database of another application (application_id ${id}), not an agent-otel viewer database`,
    );
  }
  if (state.version > SCHEMA_VERSION)
    throw new StoreFileError(
      path,
      'newer',
      `was written by a newer @agent-otel/viewer (schema ${state.version}; this one reads schema ${SCHEMA_VERSION}); upgrade the viewer`,
    );
  if (state.version >= 1 && state.version < SCHEMA_VERSION)
    throw new StoreFileError(
      path,
      'older',
      `was written by an earlier development version of @agent-otel/viewer (schema ${state.version}; this one reads schema ${SCHEMA_VERSION}), whose span data this one does not read`,
    );
  if (state.version < SCHEMA_VERSION)
    throw new StoreFileError(path, 'corrupt', `has an unknown schema version (${state.version})`);
  const tables = new Set(
    db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .all()
      .map((r) => (r as { name: string }).name),
  );
  const missing = TABLES.filter((t) => !tables.has(t));
  if (missing.length > 0)
    throw new StoreFileError(path, 'corrupt', `is damaged: table ${missing.join(', ')} missing`);
}
