// SQL of the traces list. A `TraceQuery` becomes conditions on the roll-up's columns (`traces t`)
// and conditions on the attribute index (`trace_attrs`, keyed by key, bucket, value, trace). The
// store picks how to run the latter: the most selective one drives (its traces are looked up one
// bucket at a time), or, when every one matches many traces, the list walks the sort order and
// probes each trace (one index seek per condition). Values are always bound parameters.
import type { AttributeFilter, TraceQuery, TraceSortKey } from '../model.js';
import { KEY, PICO_PER_USD } from '../store/derive.js';
import { BUCKET_BITS } from '../store/schema.js';
import { DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, parseDecimal } from './filters.js';

export type SqlValue = string | number | null;

/** The id of an attribute key in the store's dictionary, undefined when no span ever had it. */
export type KeyIds = (key: string) => number | undefined;

/** A condition on the attribute index: some span of the trace has (or, for `!=`, has not) … */
export type AttrCondition =
  | { readonly kind: 'eq' | 'neq'; readonly keyIds: readonly number[]; readonly values: readonly SqlValue[] }
  | {
      readonly kind: 'range';
      readonly keyIds: readonly number[];
      readonly op: '>' | '>=' | '<' | '<=';
      readonly n: number;
    }
  | { readonly kind: 'exists'; readonly keyIds: readonly number[] };

export interface TracePlan {
  /** Conditions on `traces t` columns. */
  readonly where: readonly string[];
  readonly params: readonly SqlValue[];
  readonly attrs: readonly AttrCondition[];
  /** `ORDER BY …`: the sort key, then start time, then row id, all in the same direction. */
  readonly orderBy: string;
  /** True when an index gives the order (start, name, errors, spans). */
  readonly indexedOrder: boolean;
  readonly limit: number;
  readonly offset: number;
}

const SORT_COLUMNS: Readonly<Record<TraceSortKey, string>> = {
  start: 't.start_ms',
  duration: 't.duration_ms',
  spans: 't.span_count',
  tokens: 't.total_tokens',
  cost: 't.cost_pico',
  errors: 't.error_count',
  name: 't.name',
};
const INDEXED_SORTS: ReadonlySet<TraceSortKey> = new Set(['start', 'spans', 'errors', 'name']);

/** What `key = value` matches: the text, and the number when the text is a decimal number. */
function equalValues(value: string): SqlValue[] {
  const n = parseDecimal(value);
  return n === undefined ? [value] : [value, n];
}

function clampInt(value: number | undefined, min: number, max: number, fallback: number): number {
  if (value === undefined || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, Math.trunc(value)));
}

/**
 * One attribute filter as an index condition; `true` when it always holds (`!=` on a key no span
 * had), `false` when it never does. Semantics: `=`, `>`, `>=`, `<`, `<=`, `exists`: some span of the
 * trace (or its resource) has the key with such a value; `!=`: no span has the key with that value
 * (so `key=v` and `key!=v` split the traces in two). Numeric conditions match number values only;
 * `=` matches the text, and the number when the text is a decimal number (`key=42` finds 42 and "42").
 */
export function attributeCondition(
  filter: AttributeFilter,
  keyId: number | undefined,
): AttrCondition | boolean {
  if (keyId === undefined) return filter.op === '!=';
  switch (filter.op) {
    case 'exists':
      return { kind: 'exists', keyIds: [keyId] };
    case '=':
    case '!=':
      return { kind: filter.op === '=' ? 'eq' : 'neq', keyIds: [keyId], values: equalValues(filter.value) };
    default:
      if (typeof filter.value !== 'number' || !Number.isFinite(filter.value)) return false;
      return { kind: 'range', keyIds: [keyId], op: filter.op, n: filter.value };
  }
}

/** The plan of `query`, or `undefined` when nothing can match (a key no span ever had). */
export function tracePlan(query: TraceQuery, keyIdOf: KeyIds): TracePlan | undefined {
  const where: string[] = [];
  const params: SqlValue[] = [];
  const attrs: AttrCondition[] = [];
  const text = (value: string | undefined, ...keys: string[]): boolean => {
    if (value === undefined) return true;
    const keyIds = keys.map((k) => keyIdOf(k)).filter((id): id is number => id !== undefined);
    if (keyIds.length === 0) return false;
    attrs.push({ kind: 'eq', keyIds, values: [value] });
    return true;
  };
  if (query.traceId !== undefined) {
    where.push('t.trace_id = ?');
    params.push(query.traceId.toLowerCase());
  }
  if (query.name !== undefined) {
    where.push('t.name = ?');
    params.push(query.name);
  }
  if (query.conversationId !== undefined) {
    // The trace's conversation (as listConversations groups), found through the index.
    where.push('t.conversation_id = ?');
    params.push(query.conversationId);
  }
  if (
    !text(query.conversationId, KEY.conversationId) ||
    !text(query.service, KEY.service) ||
    !text(query.operation, KEY.operation) ||
    !text(query.spanKind, KEY.spanKind) ||
    !text(query.model, KEY.requestModel, KEY.responseModel) ||
    !text(query.provider, KEY.provider, KEY.legacyProvider) ||
    !text(query.agent, KEY.agent) ||
    !text(query.tool, KEY.tool)
  )
    return undefined;
  if (query.status === 'error') where.push('t.error_count > 0');
  if (query.status === 'ok') where.push('t.error_count = 0');
  const range = (column: string, min: number | undefined, max: number | undefined, scale = 1) => {
    if (min !== undefined && Number.isFinite(min)) {
      where.push(`${column} >= ?`);
      params.push(min * scale);
    }
    if (max !== undefined && Number.isFinite(max)) {
      where.push(`${column} <= ?`);
      params.push(max * scale);
    }
  };
  range('t.duration_ms', query.minDurationMs, query.maxDurationMs);
  range('t.total_tokens', query.minTokens, query.maxTokens);
  range('t.cost_pico', query.minCostUsd, query.maxCostUsd, PICO_PER_USD);
  range('t.start_ms', query.fromMs, query.toMs);
  for (const filter of query.attributes ?? []) {
    const condition = attributeCondition(filter, keyIdOf(filter.key));
    if (condition === false) return undefined;
    if (condition !== true) attrs.push(condition);
  }
  const dir = query.order === 'asc' ? 'ASC' : 'DESC';
  const sort: TraceSortKey = query.sort !== undefined && query.sort in SORT_COLUMNS ? query.sort : 'start';
  const column = SORT_COLUMNS[sort];
  return {
    where,
    params,
    attrs,
    orderBy:
      sort === 'start'
        ? `ORDER BY t.start_ms ${dir}, t.id ${dir}`
        : `ORDER BY ${column} ${dir}, t.start_ms ${dir}, t.id ${dir}`,
    indexedOrder: INDEXED_SORTS.has(sort),
    limit: clampInt(query.limit, 1, MAX_LIMIT, DEFAULT_LIMIT),
    offset: clampInt(query.offset, 0, MAX_OFFSET, 0),
  };
}

function list(n: number): string {
  return n === 1 ? '= ?' : `IN (${Array.from({ length: n }, () => '?').join(', ')})`;
}

/** The condition on `a.value` (and its parameters). */
function valueSql(c: AttrCondition, params: SqlValue[]): string {
  switch (c.kind) {
    case 'eq':
    case 'neq':
      params.push(...c.values);
      return ` AND a.value ${list(c.values.length)}`;
    case 'range':
      params.push(c.n);
      // Text sorts after every number in SQLite: `< ''` keeps the range on numbers.
      return ` AND a.value ${c.op} ?${c.op === '>' || c.op === '>=' ? " AND a.value < ''" : ''}`;
    case 'exists':
      return '';
  }
}

/** `t` has the condition's key/value: one index seek (by key, the trace's bucket, value, trace). */
export function probeSql(c: AttrCondition, params: SqlValue[]): string {
  params.push(...c.keyIds);
  const keys = `a.key_id ${list(c.keyIds.length)}`;
  const bucket = `a.bucket = (t.id >> ${BUCKET_BITS})`;
  const values = valueSql(c, params);
  const sql = `EXISTS (SELECT 1 FROM trace_attrs a WHERE ${keys} AND ${bucket}${values} AND a.trace_rowid = t.id)`;
  return c.kind === 'neq' ? `NOT ${sql}` : sql;
}

/**
 * The row ids of the traces with the condition's key/value (may repeat a trace): one seek per
 * bucket from `loBucket` to `hiBucket`.
 */
export function driveSql(c: AttrCondition, params: SqlValue[], loBucket: number, hiBucket: number): string {
  params.push(loBucket, hiBucket, ...c.keyIds);
  const values = valueSql(c, params);
  return (
    'WITH RECURSIVE b(x) AS (SELECT ? UNION ALL SELECT x + 1 FROM b WHERE x < ?) ' +
    `SELECT a.trace_rowid AS id FROM b CROSS JOIN trace_attrs a WHERE a.key_id ${list(c.keyIds.length)} AND a.bucket = b.x${values}`
  );
}
