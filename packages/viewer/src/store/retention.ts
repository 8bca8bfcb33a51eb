// Retention: whole traces are deleted, by age (start time) and by size (oldest first), in small
// transactions so ingest is never blocked for long; freed pages go back to the file system
// (incremental auto-vacuum, then a WAL checkpoint).
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { BUCKET_BITS } from './schema.js';

export interface PruneOptions {
  /** Delete traces that started more than this many milliseconds ago. */
  readonly maxAgeMs?: number;
  /** Delete the oldest traces until the database's pages take at most this many bytes. */
  readonly maxBytes?: number;
  /** "Now" for `maxAgeMs` (ms since the epoch); default `Date.now()`. */
  readonly nowMs?: number;
}

export interface PruneResult {
  readonly deletedTraces: number;
  readonly deletedSpans: number;
  /** The database's size after pruning (bytes). */
  readonly sizeBytes: number;
}

/** Traces deleted per transaction. */
export const PRUNE_BATCH = 200;

function pragma(db: DatabaseSync, name: string): number {
  const row = db.prepare(`PRAGMA ${name}`).get() as Record<string, number> | undefined;
  return row ? Number(Object.values(row)[0] ?? 0) : 0;
}

/** The database's size: its pages × page size (the WAL file is not counted). */
export function storeSizeBytes(db: DatabaseSync): number {
  return pragma(db, 'page_count') * pragma(db, 'page_size');
}

/** Bytes in use: pages not on the free list. */
function usedBytes(db: DatabaseSync): number {
  return (pragma(db, 'page_count') - pragma(db, 'freelist_count')) * pragma(db, 'page_size');
}

type Prepare = (sql: string) => StatementSync;

function transaction<T>(db: DatabaseSync, fn: () => T): T {
  db.exec('BEGIN IMMEDIATE');
  try {
    const result = fn();
    db.exec('COMMIT');
    return result;
  } catch (error) {
    try {
      db.exec('ROLLBACK');
    } catch {
      // Already rolled back.
    }
    throw error;
  }
}

/**
 * Deletes the traces with these row ids, their spans and span data (and the segments no other trace
 * has a part in); returns the spans deleted.
 */
function deleteTraces(
  db: DatabaseSync,
  prepare: Prepare,
  ids: readonly number[],
  buckets: Set<number>,
): number {
  const spans = prepare('DELETE FROM spans WHERE trace_rowid = ?');
  const data = prepare('DELETE FROM span_data WHERE trace_rowid = ? RETURNING segment_id');
  const release = prepare('UPDATE segments SET parts = parts - 1 WHERE id = ? RETURNING parts');
  const dropSegment = prepare('DELETE FROM segments WHERE id = ?');
  const trace = prepare('DELETE FROM traces WHERE id = ?');
  return transaction(db, () => {
    let deletedSpans = 0;
    for (const id of ids) {
      deletedSpans += Number(spans.run(id).changes);
      // A segment goes with the last trace that has a part in it.
      for (const { segment_id } of data.all(id) as unknown as { segment_id: number }[]) {
        const left = release.get(segment_id) as { parts: number } | undefined;
        if (left !== undefined && left.parts <= 0) dropSegment.run(segment_id);
      }
      trace.run(id);
      buckets.add(id >> BUCKET_BITS);
    }
    return deletedSpans;
  });
}

/**
 * Deletes the attribute index entries of the buckets that no longer hold a trace: every bucket
 * below the oldest live trace's, and `touched` ones left empty. (Entries of deleted traces in a
 * bucket that still holds one stay until it empties; queries join `traces`, so they never match.)
 * Returns how many buckets were emptied.
 */
async function deleteEmptyBuckets(
  db: DatabaseSync,
  prepare: Prepare,
  touched: ReadonlySet<number>,
): Promise<number> {
  const minId = (prepare('SELECT min(id) AS id FROM traces').get() as { id: number | null }).id;
  const range = prepare(
    'SELECT (SELECT min(bucket) FROM trace_attrs) AS lo, (SELECT max(bucket) FROM trace_attrs) AS hi',
  ).get() as {
    lo: number | null;
    hi: number | null;
  };
  if (range.lo === null || range.hi === null) return 0;
  const below = minId === null ? range.hi + 1 : Math.floor(minId / 2 ** BUCKET_BITS);
  let emptied = 0;
  const dropRange = prepare('DELETE FROM trace_attrs WHERE bucket >= ? AND bucket < ?');
  for (let lo = range.lo; lo < below; lo += 16) {
    transaction(db, () => dropRange.run(lo, Math.min(below, lo + 16)));
    emptied += Math.min(below, lo + 16) - lo;
    await yieldToLoop();
  }
  const live = prepare('SELECT 1 AS x FROM traces WHERE id >= ? AND id < ? LIMIT 1');
  const drop = prepare('DELETE FROM trace_attrs WHERE bucket = ?');
  for (const bucket of touched) {
    if (bucket < below || live.get(bucket * 2 ** BUCKET_BITS, (bucket + 1) * 2 ** BUCKET_BITS)) continue;
    transaction(db, () => drop.run(bucket));
    emptied++;
  }
  return emptied;
}

/** Rebuilds `key_values` (the filter pickers' values) for `keys` from the attribute index. */
function rebuildKeyValues(db: DatabaseSync, prepare: Prepare, keys: readonly string[]): void {
  const range = prepare(
    'SELECT (SELECT min(bucket) FROM trace_attrs) AS lo, (SELECT max(bucket) FROM trace_attrs) AS hi',
  ).get() as {
    lo: number | null;
    hi: number | null;
  };
  const keyId = prepare('SELECT id FROM attr_keys WHERE key = ?');
  const clear = prepare('DELETE FROM key_values WHERE key_id = ?');
  // Every distinct text value, bucket by bucket: one seek per (bucket, value).
  const fill = prepare(
    `INSERT OR IGNORE INTO key_values (key_id, value)
     WITH RECURSIVE v(b, x) AS (
       SELECT ?2, (SELECT min(value) FROM trace_attrs WHERE bucket = ?2 AND key_id = ?1 AND value >= '')
       UNION ALL
       SELECT CASE WHEN x IS NULL THEN b + 1 ELSE b END,
              CASE WHEN x IS NULL
                THEN (SELECT min(value) FROM trace_attrs WHERE bucket = b + 1 AND key_id = ?1 AND value >= '')
                ELSE (SELECT min(value) FROM trace_attrs WHERE bucket = b AND key_id = ?1 AND value > x) END
       FROM v WHERE b <= ?3
     ) SELECT DISTINCT ?1, x FROM v WHERE x IS NOT NULL`,
  );
  transaction(db, () => {
    for (const key of keys) {
      const row = keyId.get(key) as { id: number } | undefined;
      if (!row) continue;
      clear.run(row.id);
      if (range.lo !== null && range.hi !== null) fill.run(row.id, range.lo, range.hi);
    }
  });
}

/** Applies the retention `options` to the store's database. */
export async function pruneStore(
  db: DatabaseSync,
  options: PruneOptions,
  prepare: Prepare,
  facetKeys: readonly string[] = [],
): Promise<PruneResult> {
  let deletedTraces = 0;
  let deletedSpans = 0;
  const buckets = new Set<number>();
  const oldest = prepare('SELECT id FROM traces ORDER BY start_ms ASC, id ASC LIMIT ?');
  const olderThan = prepare('SELECT id FROM traces WHERE start_ms < ? ORDER BY start_ms ASC, id ASC LIMIT ?');
  const { maxAgeMs, maxBytes } = options;
  if (maxAgeMs !== undefined && Number.isFinite(maxAgeMs) && maxAgeMs >= 0) {
    const cutoff = (options.nowMs ?? Date.now()) - maxAgeMs;
    for (;;) {
      const ids = olderThan.all(cutoff, PRUNE_BATCH).map((r) => (r as { id: number }).id);
      if (ids.length === 0) break;
      deletedSpans += deleteTraces(db, prepare, ids, buckets);
      deletedTraces += ids.length;
      await yieldToLoop();
    }
  }
  let emptied = await deleteEmptyBuckets(db, prepare, buckets);
  if (maxBytes !== undefined && Number.isFinite(maxBytes) && maxBytes >= 0) {
    const count = prepare('SELECT count(*) AS n FROM traces');
    for (let used = usedBytes(db); used > maxBytes; used = usedBytes(db)) {
      const traces = (count.get() as { n: number }).n;
      if (traces === 0) break;
      // Delete about as many traces as the excess takes (an average trace's share of the pages).
      const perTrace = used / traces;
      const n = Math.max(1, Math.min(PRUNE_BATCH, Math.ceil((used - maxBytes) / perTrace)));
      const ids = oldest.all(n).map((r) => (r as { id: number }).id);
      buckets.clear();
      deletedSpans += deleteTraces(db, prepare, ids, buckets);
      deletedTraces += ids.length;
      emptied += await deleteEmptyBuckets(db, prepare, buckets);
      await yieldToLoop();
    }
  }
  if (emptied > 0) rebuildKeyValues(db, prepare, facetKeys);
  if (deletedTraces > 0) {
    db.exec('PRAGMA incremental_vacuum');
    db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  }
  return { deletedTraces, deletedSpans, sizeBytes: storeSizeBytes(db) };
}

const UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1e3,
  m: 60e3,
  h: 3600e3,
  d: 86400e3,
  w: 7 * 86400e3,
};

/** A duration like `7d`, `12h`, `30m`, `90s`, `500ms`, `2w` in milliseconds; undefined when not one. */
export function parseDurationMs(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*$/i.exec(text);
  if (!m) return undefined;
  const ms = Number(m[1]) * UNITS[m[2]!.toLowerCase()]!;
  return Number.isFinite(ms) ? ms : undefined;
}

const SIZES: Readonly<Record<string, number>> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/** A size like `1GB`, `500MB`, `2GiB`, `100000` (bytes) in bytes; undefined when not one. */
export function parseByteSize(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]i?b|b)?\s*$/i.exec(text);
  if (!m) return undefined;
  const bytes = Math.floor(Number(m[1]) * SIZES[(m[2] ?? 'b').toLowerCase()]!);
  return Number.isFinite(bytes) ? bytes : undefined;
}
