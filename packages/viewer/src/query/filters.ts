// The traces list's filters as URL query parameters ⇄ `TraceQuery`. Used by the HTTP API (parse,
// 400 on a bad value) and by the UI (keeps the filters in its own URL): no Node API here, this file
// is compiled for the browser too.
import type { AttributeFilter, TraceQuery, TraceSortKey } from '../model.js';

/** A query parameter with a value that is not of its accepted form. */
export class FilterError extends Error {
  /** The parameter's name, e.g. `minDurationMs` or `attr`. */
  readonly parameter: string;
  constructor(parameter: string, message: string) {
    super(`${parameter}: ${message}`);
    this.name = 'FilterError';
    this.parameter = parameter;
  }
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 500;
export const MAX_OFFSET = 10_000_000;
/** At most this many `attr` conditions in one query. */
export const MAX_ATTRIBUTE_FILTERS = 20;
/** Longest value of a text parameter (and of an attribute filter's key or value). */
export const MAX_PARAM_CHARS = 1024;

export const SORT_KEYS: readonly TraceSortKey[] = [
  'start',
  'duration',
  'spans',
  'tokens',
  'cost',
  'errors',
  'name',
];

/** Text parameters: exact match. */
const TEXT_PARAMS = [
  'service',
  'name',
  'operation',
  'spanKind',
  'model',
  'provider',
  'agent',
  'tool',
  'conversationId',
] as const;
/** Number parameters (≥ 0). */
const NUMBER_PARAMS = [
  ['minDurationMs', 'a number of milliseconds ≥ 0'],
  ['maxDurationMs', 'a number of milliseconds ≥ 0'],
  ['minTokens', 'a number of tokens ≥ 0'],
  ['maxTokens', 'a number of tokens ≥ 0'],
  ['minCostUsd', 'a number of US dollars ≥ 0'],
  ['maxCostUsd', 'a number of US dollars ≥ 0'],
] as const;

/** Every parameter of the traces list (others are ignored). */
export const TRACE_QUERY_PARAMS: readonly string[] = [
  'traceId',
  ...TEXT_PARAMS,
  'status',
  ...NUMBER_PARAMS.map(([name]) => name),
  'from',
  'to',
  'attr',
  'sort',
  'order',
  'limit',
  'offset',
];

const ATTRIBUTE_FORMS = '`key=value`, `key!=value`, `key>n`, `key>=n`, `key<n`, `key<=n` or `key exists`';
const TIME_FORMS = 'milliseconds since the epoch or an ISO 8601 date/time (e.g. 2026-01-31T12:00:00Z)';

function shown(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
}

/** The single value of `name`; undefined when absent or empty. */
function single(params: URLSearchParams, name: string): string | undefined {
  const all = params.getAll(name);
  if (all.length > 1) throw new FilterError(name, `given ${all.length} times; give it once`);
  const value = all[0];
  if (value === undefined || value === '') return undefined;
  if (value.length > MAX_PARAM_CHARS)
    throw new FilterError(name, `longer than ${MAX_PARAM_CHARS} characters`);
  return value;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** A decimal number, or undefined when `text` is not one. */
export function parseDecimal(text: string): number | undefined {
  const t = text.trim();
  if (!DECIMAL.test(t)) return undefined;
  const n = Number(t);
  return Number.isFinite(n) ? n : undefined;
}

function nonNegative(params: URLSearchParams, name: string, form: string): number | undefined {
  const raw = single(params, name);
  if (raw === undefined) return undefined;
  const n = parseDecimal(raw);
  if (n === undefined || n < 0) throw new FilterError(name, `expected ${form}, got ${shown(raw)}`);
  return n;
}

function integer(params: URLSearchParams, name: string, min: number, max: number): number | undefined {
  const raw = single(params, name);
  if (raw === undefined) return undefined;
  const n = /^\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max)
    throw new FilterError(name, `expected an integer from ${min} to ${max}, got ${shown(raw)}`);
  return n;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}([Tt ]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/** Milliseconds since the epoch from `ms` digits or an ISO 8601 date/time; undefined when neither. */
export function parseTime(text: string): number | undefined {
  // A `+` of an offset left unencoded in a URL arrives as a space.
  const t = text.trim().replace(/(T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?) (\d{2}:?\d{2})$/i, '$1+$2');
  if (/^\d{1,15}(\.\d+)?$/.test(t)) return Number(t);
  if (!ISO_DATE.test(t)) return undefined;
  // Date.parse takes at most millisecond fractions reliably: cut longer ones.
  const ms = Date.parse(t.replace(/(\.\d{3})\d+/, '$1').replace(' ', 'T'));
  return Number.isFinite(ms) ? ms : undefined;
}

function time(params: URLSearchParams, name: string): number | undefined {
  const raw = single(params, name);
  if (raw === undefined) return undefined;
  const ms = parseTime(raw);
  if (ms === undefined) throw new FilterError(name, `expected ${TIME_FORMS}, got ${shown(raw)}`);
  return ms;
}

const OPERATORS = ['!=', '>=', '<=', '=', '>', '<'] as const;
const OPERATOR_CHARS = /[!=<>]/;

/** One `attr` condition: `key=value`, `key!=value`, `key>n` (`>=`, `<`, `<=`), `key exists`. */
export function parseAttributeFilter(text: string): AttributeFilter {
  const fail = (why: string): never => {
    throw new FilterError('attr', `${why} in ${shown(text)}; expected ${ATTRIBUTE_FORMS}`);
  };
  if (text.length > 2 * MAX_PARAM_CHARS + 8) fail('too long');
  const at = text.search(OPERATOR_CHARS);
  if (at < 0) {
    const m = /^\s*(.+?)\s+exists\s*$/.exec(text);
    if (!m) fail('no operator');
    const key = m![1]!;
    if (key.length > MAX_PARAM_CHARS) fail('key too long');
    return { key, op: 'exists' };
  }
  const op = OPERATORS.find((o) => text.startsWith(o, at));
  if (op === undefined) fail('unknown operator');
  const key = text.slice(0, at).trim();
  const value = text.slice(at + op!.length).trim();
  if (key === '') fail('no key');
  if (key.length > MAX_PARAM_CHARS || value.length > MAX_PARAM_CHARS) fail('key or value too long');
  if (op === '=' || op === '!=') return { key, op, value };
  const n = parseDecimal(value);
  if (n === undefined) fail(`\`${op}\` needs a number`);
  return { key, op: op as '>' | '>=' | '<' | '<=', value: n! };
}

/** The text form of an attribute condition (what `parseAttributeFilter` reads). */
export function formatAttributeFilter(filter: AttributeFilter): string {
  return filter.op === 'exists' ? `${filter.key} exists` : `${filter.key}${filter.op}${String(filter.value)}`;
}

/** The `from` / `to` window (ms since the epoch or ISO 8601). */
export function parseTimeWindow(params: URLSearchParams): { fromMs?: number; toMs?: number } {
  const fromMs = time(params, 'from');
  const toMs = time(params, 'to');
  return { ...(fromMs === undefined ? {} : { fromMs }), ...(toMs === undefined ? {} : { toMs }) };
}

/** `limit` (1..500) and `offset` (≥ 0). */
export function parsePage(params: URLSearchParams): { limit?: number; offset?: number } {
  const limit = integer(params, 'limit', 1, MAX_LIMIT);
  const offset = integer(params, 'offset', 0, MAX_OFFSET);
  return { ...(limit === undefined ? {} : { limit }), ...(offset === undefined ? {} : { offset }) };
}

/** The query of `GET /api/conversations`: `from`, `to`, `limit`, `offset`. */
export function parseConversationQuery(params: URLSearchParams): {
  fromMs?: number;
  toMs?: number;
  limit?: number;
  offset?: number;
} {
  return { ...parseTimeWindow(params), ...parsePage(params) };
}

/** The query of `GET /api/stats`: `from`, `to`. */
export function parseStatsQuery(params: URLSearchParams): { fromMs?: number; toMs?: number } {
  return parseTimeWindow(params);
}

/** The traces list's query from URL parameters; throws `FilterError` naming a bad parameter. */
export function parseTraceQuery(params: URLSearchParams): TraceQuery {
  const q: { -readonly [K in keyof TraceQuery]: TraceQuery[K] } = {};
  const traceId = single(params, 'traceId');
  if (traceId !== undefined) {
    if (!/^[0-9a-fA-F]{32}$/.test(traceId.trim()))
      throw new FilterError('traceId', `expected 32 hexadecimal characters, got ${shown(traceId)}`);
    q.traceId = traceId.trim().toLowerCase();
  }
  for (const name of TEXT_PARAMS) {
    const value = single(params, name);
    if (value !== undefined) q[name] = value;
  }
  const status = single(params, 'status');
  if (status !== undefined) {
    if (status !== 'error' && status !== 'ok')
      throw new FilterError('status', `expected \`error\` or \`ok\`, got ${shown(status)}`);
    q.status = status;
  }
  for (const [name, form] of NUMBER_PARAMS) {
    const n = nonNegative(params, name, form);
    if (n !== undefined) q[name] = n;
  }
  Object.assign(q, parseTimeWindow(params));
  const attrs = params.getAll('attr').filter((a) => a !== '');
  if (attrs.length > MAX_ATTRIBUTE_FILTERS)
    throw new FilterError('attr', `at most ${MAX_ATTRIBUTE_FILTERS} conditions, got ${attrs.length}`);
  if (attrs.length > 0) q.attributes = attrs.map(parseAttributeFilter);
  const sort = single(params, 'sort');
  if (sort !== undefined) {
    if (!(SORT_KEYS as readonly string[]).includes(sort))
      throw new FilterError('sort', `expected one of ${SORT_KEYS.join(', ')}, got ${shown(sort)}`);
    q.sort = sort as TraceSortKey;
  }
  const order = single(params, 'order');
  if (order !== undefined) {
    if (order !== 'asc' && order !== 'desc')
      throw new FilterError('order', `expected \`asc\` or \`desc\`, got ${shown(order)}`);
    q.order = order;
  }
  Object.assign(q, parsePage(params));
  return q;
}

/** The URL parameters of a query (the reverse of `parseTraceQuery`; unset fields are left out). */
export function traceQueryToParams(query: TraceQuery): URLSearchParams {
  const p = new URLSearchParams();
  const set = (name: string, value: string | number | undefined) => {
    if (value !== undefined && value !== '') p.set(name, String(value));
  };
  set('traceId', query.traceId);
  for (const name of TEXT_PARAMS) set(name, query[name]);
  set('status', query.status);
  for (const [name] of NUMBER_PARAMS) set(name, query[name]);
  set('from', query.fromMs);
  set('to', query.toMs);
  for (const filter of query.attributes ?? []) p.append('attr', formatAttributeFilter(filter));
  set('sort', query.sort);
  set('order', query.order);
  set('limit', query.limit);
  set('offset', query.offset);
  return p;
}
