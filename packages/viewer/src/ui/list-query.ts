// The traces list's filters as URL query parameters: the same names GET /api/traces takes, so the
// page's own URL (reload, a shared link) and the API request carry one representation.

/** One text/number filter of the list form. */
export interface StaticFilter {
  readonly param: string;
  readonly label: string;
  /** The datalist (facet) that suggests values. */
  readonly list?: 'services' | 'models' | 'providers' | 'agents' | 'tools' | 'operations' | 'span-kinds';
  readonly type?: 'text' | 'number';
  readonly placeholder?: string;
}

export const TEXT_FILTERS: readonly StaticFilter[] = [
  { param: 'traceId', label: 'Trace id', placeholder: '32 hex characters' },
  { param: 'service', label: 'Service', list: 'services' },
  { param: 'name', label: 'Run name', placeholder: 'workflow / agent / root span' },
  { param: 'operation', label: 'Operation', list: 'operations', placeholder: 'chat, execute_tool, …' },
  { param: 'spanKind', label: 'Span kind', list: 'span-kinds', placeholder: 'agent, generation, …' },
  { param: 'model', label: 'Model', list: 'models' },
  { param: 'provider', label: 'Provider', list: 'providers' },
  { param: 'agent', label: 'Agent', list: 'agents' },
  { param: 'tool', label: 'Tool', list: 'tools' },
  { param: 'conversationId', label: 'Conversation' },
];

/** Min/max pairs. */
export const RANGE_FILTERS: readonly {
  readonly label: string;
  readonly min: string;
  readonly max: string;
  readonly step: string;
}[] = [
  { label: 'Duration (ms)', min: 'minDurationMs', max: 'maxDurationMs', step: 'any' },
  { label: 'Tokens', min: 'minTokens', max: 'maxTokens', step: '1' },
  { label: 'Cost (USD)', min: 'minCostUsd', max: 'maxCostUsd', step: 'any' },
];

/** Every parameter the list's filters own (page, sort and size are kept apart). */
export const FILTER_PARAMS: readonly string[] = [
  ...TEXT_FILTERS.map((f) => f.param),
  'status',
  ...RANGE_FILTERS.flatMap((r) => [r.min, r.max]),
  'from',
  'to',
  'attr',
];

export const SORT_KEYS = ['start', 'duration', 'spans', 'tokens', 'cost', 'errors', 'name'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export const PAGE_SIZES = [25, 50, 100, 200] as const;
export const DEFAULT_LIMIT = 50;

/** The operators of a dynamic attribute filter, as the API writes them. */
export const ATTR_OPS = ['=', '!=', '>', '>=', '<', '<=', 'exists'] as const;
export type AttrOp = (typeof ATTR_OPS)[number];

/** One dynamic attribute filter row. */
export interface AttrRow {
  readonly key: string;
  readonly op: AttrOp;
  readonly value: string;
}

const OPERATORS: readonly AttrOp[] = ['!=', '>=', '<=', '=', '>', '<'];

/**
 * Parses `key=value`, `key!=value`, `key>n`, `key>=n`, `key<n`, `key<=n` or `key exists` as the
 * API does: the key runs to the first of `! = < >`; the value is the rest, trimmed.
 */
export function parseAttr(text: string): AttrRow | undefined {
  const at = text.search(/[!=<>]/);
  if (at < 0) {
    const exists = /^\s*(.+?)\s+exists\s*$/.exec(text);
    return exists ? { key: exists[1], op: 'exists', value: '' } : undefined;
  }
  const op = OPERATORS.find((o) => text.startsWith(o, at));
  const key = text.slice(0, at).trim();
  if (!op || !key) return undefined;
  return { key, op, value: text.slice(at + op.length).trim() };
}

/** The API form of a row; undefined while the row is incomplete. */
export function formatAttr(row: AttrRow): string | undefined {
  const key = row.key.trim();
  if (!key) return undefined;
  if (row.op === 'exists') return `${key} exists`;
  const value = row.value.trim();
  if (value === '' && row.op !== '=' && row.op !== '!=') return undefined;
  return `${key}${row.op}${value}`;
}

/** The page's query parameters that go to GET /api/traces (unknown ones dropped, empties removed). */
export function apiParams(url: URL): URLSearchParams {
  const out = new URLSearchParams();
  for (const [key, value] of url.searchParams) {
    if (value === '') continue;
    if (
      FILTER_PARAMS.includes(key) ||
      key === 'sort' ||
      key === 'order' ||
      key === 'limit' ||
      key === 'offset'
    )
      out.append(key, value);
  }
  return out;
}

/** The sort of the list: the URL's, else newest first. */
export function sortOf(params: URLSearchParams): { sort: SortKey; order: 'asc' | 'desc' } {
  const sort = params.get('sort');
  const order = params.get('order');
  return {
    sort: (SORT_KEYS as readonly string[]).includes(sort ?? '') ? (sort as SortKey) : 'start',
    order: order === 'asc' ? 'asc' : 'desc',
  };
}

/** Page size and offset from the URL, bounded as the API bounds them. */
export function pageOf(params: URLSearchParams): { limit: number; offset: number } {
  const limit = Number(params.get('limit') ?? DEFAULT_LIMIT);
  const offset = Number(params.get('offset') ?? 0);
  return {
    limit: Number.isInteger(limit) && limit >= 1 && limit <= 500 ? limit : DEFAULT_LIMIT,
    offset: Number.isInteger(offset) && offset >= 0 ? offset : 0,
  };
}

/** How many filters the URL sets (for the "n filters" badge). */
export function countFilters(params: URLSearchParams): number {
  let n = 0;
  for (const [key, value] of params) if (value !== '' && FILTER_PARAMS.includes(key)) n++;
  return n;
}
