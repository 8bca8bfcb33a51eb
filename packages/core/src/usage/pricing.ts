import { diag } from '@opentelemetry/api';
import { processWide } from '../state.js';
import type { TokenUsage } from './usage.js';

/**
 * List prices of one model, in US dollars per 1 million tokens.
 *
 * `cacheRead` and `cacheWrite` default to `input` when absent (a provider that does not charge
 * differently for cached input).
 */
export interface ModelPrice {
  /** Uncached input tokens. */
  readonly input: number;
  /** Output tokens (reasoning tokens included). */
  readonly output: number;
  /** Input tokens read from the prompt cache. */
  readonly cacheRead?: number;
  /** Input tokens written to the prompt cache (Anthropic: the 5-minute cache-write price). */
  readonly cacheWrite?: number;
}

/** Model id (or id prefix) to price. */
export type PriceTable = Readonly<Record<string, ModelPrice>>;

/** The day the default price table was compiled from the providers' public pricing pages. */
export const DEFAULT_PRICE_TABLE_DATE = '2026-11-22';

/** Where the default prices come from. */
export const DEFAULT_PRICE_TABLE_SOURCES: readonly string[] = Object.freeze([
  'https://developers.openai.com/api/docs/pricing',
  'https://platform.claude.com/docs/en/about-claude/pricing',
]);

const TOKENS_PER_PRICE_UNIT = 1_000_000;
/** Costs are rounded to this many decimal places to hide floating-point noise. */
const COST_DECIMALS = 12;
const COST_SCALE = 10 ** COST_DECIMALS;
/** Resolved model ids kept in the lookup cache before it is cleared. */
const MAX_RESOLVED_MODELS = 512;

/**
 * Best-known list prices (standard tier, no batch/flex/priority discounts, Anthropic prompts under
 * any long-context threshold) as of {@link DEFAULT_PRICE_TABLE_DATE}, from
 * {@link DEFAULT_PRICE_TABLE_SOURCES}. They are estimates: providers change prices, and invoices can
 * differ (discounts, long-context surcharges, regional endpoints, tool fees). Extend or override
 * with {@link setModelPrice} / {@link extendPriceTable}.
 *
 * Some entries exist only so that a longer id does not fall back to a shorter, differently priced
 * prefix (e.g. `o3-pro` vs `o3`, `claude-opus-4-5` vs `claude-opus-4`).
 */
export const DEFAULT_PRICE_TABLE: PriceTable = freezeTable({
  // OpenAI (no cache-write charge: cacheWrite defaults to input)
  'gpt-4o': { input: 2.5, cacheRead: 1.25, output: 10 },
  'gpt-4o-mini': { input: 0.15, cacheRead: 0.075, output: 0.6 },
  'gpt-4.1': { input: 2, cacheRead: 0.5, output: 8 },
  'gpt-4.1-mini': { input: 0.4, cacheRead: 0.1, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, cacheRead: 0.025, output: 0.4 },
  'gpt-5': { input: 1.25, cacheRead: 0.125, output: 10 },
  'gpt-5-mini': { input: 0.25, cacheRead: 0.025, output: 2 },
  'gpt-5-nano': { input: 0.05, cacheRead: 0.005, output: 0.4 },
  'gpt-5-pro': { input: 15, output: 120 },
  'gpt-5.4': { input: 2.5, cacheRead: 0.25, output: 15 },
  'gpt-5.4-mini': { input: 0.75, cacheRead: 0.075, output: 4.5 },
  'gpt-5.4-nano': { input: 0.2, cacheRead: 0.02, output: 1.25 },
  o3: { input: 2, cacheRead: 0.5, output: 8 },
  'o3-mini': { input: 1.1, cacheRead: 0.55, output: 4.4 },
  'o3-pro': { input: 20, output: 80 },
  'o4-mini': { input: 1.1, cacheRead: 0.275, output: 4.4 },
  'gpt-3.5-turbo-instruct': { input: 1.5, output: 2 }, // legacy Completions API
  'text-embedding-3-small': { input: 0.02, output: 0 },
  'text-embedding-3-large': { input: 0.13, output: 0 },
  'text-embedding-ada-002': { input: 0.1, output: 0 },
  // Anthropic (cacheWrite = 5-minute cache write, 1.25x input; cacheRead = cache hit, 0.1x input)
  'claude-opus-4': { input: 15, cacheWrite: 18.75, cacheRead: 1.5, output: 75 },
  'claude-opus-4-1': { input: 15, cacheWrite: 18.75, cacheRead: 1.5, output: 75 },
  'claude-opus-4-5': { input: 5, cacheWrite: 6.25, cacheRead: 0.5, output: 25 },
  'claude-opus-4-6': { input: 5, cacheWrite: 6.25, cacheRead: 0.5, output: 25 },
  'claude-sonnet-4': { input: 3, cacheWrite: 3.75, cacheRead: 0.3, output: 15 },
  'claude-sonnet-4-5': { input: 3, cacheWrite: 3.75, cacheRead: 0.3, output: 15 },
  'claude-sonnet-4-6': { input: 3, cacheWrite: 3.75, cacheRead: 0.3, output: 15 },
  'claude-3-7-sonnet': { input: 3, cacheWrite: 3.75, cacheRead: 0.3, output: 15 },
  'claude-haiku-4-5': { input: 1, cacheWrite: 1.25, cacheRead: 0.1, output: 5 },
  'claude-3-5-haiku': { input: 0.8, cacheWrite: 1, cacheRead: 0.08, output: 4 },
});

function freezeTable(table: Record<string, ModelPrice>): PriceTable {
  for (const price of Object.values(table)) Object.freeze(price);
  return Object.freeze(table);
}

interface PriceTableState {
  entries: Map<string, ModelPrice>;
  /** Lookup cache: id as given, and normalised id -> resolved price (null when unpriced). */
  resolved: Map<string, ModelPrice | null>;
}

const PRICE_TABLE = processWide<PriceTableState>('agent_otel.core.price_table', () => ({
  entries: defaultEntries(),
  resolved: new Map(),
}));

function state(): PriceTableState {
  return PRICE_TABLE.get();
}

function defaultEntries(): Map<string, ModelPrice> {
  return new Map(Object.entries(DEFAULT_PRICE_TABLE).map(([k, v]) => [normalise(k), v]));
}

/** Lower-cases, trims and drops a routing prefix such as `openai/` (`openai/gpt-4o` -> `gpt-4o`). */
function normalise(model: string): string {
  const id = model.trim().toLowerCase();
  const slash = id.lastIndexOf('/');
  return slash >= 0 ? id.slice(slash + 1) : id;
}

/**
 * What may follow a table key for a longer id to resolve to it: a separator (`-`, `@`, `:`) that is
 * not followed by a short number. `-20250514`, `-2024-08-06`, `@20250929` and `-preview` are
 * snapshots/variants of the key; `-5` in `claude-opus-4-5` is a different model version.
 */
const SNAPSHOT_SUFFIX = /^[-@:](?!\d{1,3}(?!\d))/;

function isValidPrice(price: unknown): price is ModelPrice {
  if (price === null || typeof price !== 'object') return false;
  const p = price as Record<string, unknown>;
  const ok = (v: unknown, optional: boolean): boolean =>
    (optional && v === undefined) || (typeof v === 'number' && Number.isFinite(v) && v >= 0);
  return ok(p.input, false) && ok(p.output, false) && ok(p.cacheRead, true) && ok(p.cacheWrite, true);
}

function copyPrice(p: ModelPrice): ModelPrice {
  const out: { input: number; output: number; cacheRead?: number; cacheWrite?: number } = {
    input: p.input,
    output: p.output,
  };
  if (p.cacheRead !== undefined) out.cacheRead = p.cacheRead;
  if (p.cacheWrite !== undefined) out.cacheWrite = p.cacheWrite;
  return Object.freeze(out);
}

/**
 * The price of `model`: the exact id (case-insensitive, routing prefix like `openai/` dropped),
 * else the longest table key the id extends with a snapshot/variant suffix
 * (`gpt-4o-2024-08-06` -> `gpt-4o`, `claude-sonnet-4-20250514` -> `claude-sonnet-4`).
 */
export function getModelPrice(model: string | undefined): ModelPrice | undefined {
  if (typeof model !== 'string') return undefined;
  const s = state();
  // Model calls repeat the same few ids: the id as given is looked up before it is normalised.
  const given = s.resolved.get(model);
  if (given !== undefined) return given ?? undefined;
  if (model.trim() === '') return undefined;
  const id = normalise(model);
  const cached = s.resolved.get(id);
  if (cached !== undefined) {
    s.resolved.set(model, cached);
    return cached ?? undefined;
  }
  let found = s.entries.get(id);
  if (!found) {
    let bestLength = 0;
    for (const [key, price] of s.entries) {
      if (key.length > bestLength && id.startsWith(key) && SNAPSHOT_SUFFIX.test(id.slice(key.length))) {
        found = price;
        bestLength = key.length;
      }
    }
  }
  if (s.resolved.size >= MAX_RESOLVED_MODELS) s.resolved.clear();
  s.resolved.set(id, found ?? null);
  s.resolved.set(model, found ?? null);
  return found;
}

/** A token count, with negative/non-finite counts read as 0; undefined when absent. */
function tokens(n: number | undefined): number | undefined {
  if (typeof n !== 'number') return undefined;
  return Number.isFinite(n) && n > 0 ? n : 0;
}

/**
 * Estimated cost in US dollars of one model call, or `undefined` when the model is not priced or
 * the usage carries no token counts.
 *
 * `inputTokens` include cached tokens (semconv): cache reads are billed at the cache-read price and
 * cache writes at the cache-write price, and both are taken out of the input billed at the regular
 * input price (never below zero). Reasoning tokens are part of `outputTokens`. This is an estimate
 * from list prices, not an invoice.
 */
export function estimateCost(model: string | undefined, usage: TokenUsage | undefined): number | undefined {
  try {
    if (!usage) return undefined;
    const price = getModelPrice(model);
    if (!price) return undefined;
    const input = tokens(usage.inputTokens);
    const output = tokens(usage.outputTokens);
    const cacheRead = tokens(usage.cacheReadInputTokens);
    const cacheWrite = tokens(usage.cacheWriteInputTokens);
    if (input === undefined && output === undefined && cacheRead === undefined && cacheWrite === undefined) {
      return undefined;
    }
    const read = cacheRead ?? 0;
    const write = cacheWrite ?? 0;
    const uncached = Math.max(0, (input ?? 0) - read - write);
    const dollars =
      (uncached * price.input +
        read * (price.cacheRead ?? price.input) +
        write * (price.cacheWrite ?? price.input) +
        (output ?? 0) * price.output) /
      TOKENS_PER_PRICE_UNIT;
    // Rounded to COST_DECIMALS places (the nearest double to the decimal value, like `toFixed`, but cheaper).
    return Math.round(dollars * COST_SCALE) / COST_SCALE;
  } catch (err) {
    diag.debug('agent-otel: estimateCost failed', err);
    return undefined;
  }
}

/** Sets (or replaces) the price of one model id or id prefix. Invalid prices are ignored with a warning. */
export function setModelPrice(model: string, price: ModelPrice): void {
  const label = typeof model === 'string' ? JSON.stringify(model) : typeof model;
  try {
    if (typeof model !== 'string' || model.trim() === '' || !isValidPrice(price)) {
      diag.warn(`agent-otel: setModelPrice ignored an invalid entry for ${label}`);
      return;
    }
    const entry = copyPrice(price);
    const s = state();
    s.entries.set(normalise(model), entry);
    s.resolved.clear();
  } catch (error) {
    diag.warn(`agent-otel: setModelPrice could not read the entry for ${label}; it is ignored`, error);
  }
}

/** Adds or replaces every entry of `table` (invalid entries are skipped with a warning). */
export function extendPriceTable(table: Readonly<Record<string, ModelPrice>>): void {
  if (table === null || typeof table !== 'object') {
    diag.warn('agent-otel: extendPriceTable expects an object of model -> price');
    return;
  }
  let entries: [string, ModelPrice][];
  try {
    entries = Object.entries(table);
  } catch (error) {
    diag.warn('agent-otel: extendPriceTable could not read the table; it is ignored', error);
    return;
  }
  for (const [model, price] of entries) setModelPrice(model, price);
}

/** Restores the default price table, dropping every user entry. */
export function resetPriceTable(): void {
  const s = state();
  s.entries = defaultEntries();
  s.resolved.clear();
}
