/*
 * Caps serialised content to a character budget while keeping it valid JSON.
 *
 * Two phases, cheapest loss first:
 *  1. shorten the longest string leaves ("water-filling": every string longer than a common cap is
 *     cut to that cap, the cap chosen as high as the budget allows, never below MIN_KEPT_STRING);
 *  2. if that is not enough, re-emit the document under a budget, keeping a prefix in document
 *     order and closing every container with a "[… N more]" marker for what was dropped.
 * Lengths are JavaScript string lengths (UTF-16 code units), as attribute limits are in OTel JS.
 */
import { diag } from '@opentelemetry/api';
import { MORE_KEY, moreMarker, type JsonValue } from './safe-serialize.js';
import { cutPlain, cutWithMarker, truncationMarker } from './strings.js';
import type { SerializedContent } from './types.js';

/** Default maximum length of one serialised content attribute. */
export const DEFAULT_MAX_ATTRIBUTE_LENGTH = 16384;

/** Options of the truncation functions. */
export interface TruncateOptions {
  /** Maximum length of the result in UTF-16 code units; default {@link DEFAULT_MAX_ATTRIBUTE_LENGTH}. */
  maxLength?: number;
}

/** Options of {@link truncateJsonValue}. */
export interface TruncateJsonValueOptions extends TruncateOptions {
  /** `JSON.stringify(value).length` when the caller already knows it, to skip one serialisation. */
  serializedLength?: number;
}

/** Phase 1 never shortens a string below this many characters; phase 2 drops entries instead. */
const MIN_KEPT_STRING = 32;
/** Phase 1 re-estimates at most this many times (markers can grow by a digit between rounds). */
const SHORTEN_ROUNDS = 3;

type JsonObject = { [key: string]: JsonValue };
type Holder = JsonObject | JsonValue[];

/**
 * Caps a plain (non-JSON) string: cuts it and appends `…[truncated N chars]`. The result is at
 * most `maxLength` long and never ends in half a surrogate pair. Never throws.
 */
export function truncateText(value: string, options?: TruncateOptions): SerializedContent {
  const max = limitOf(options);
  if (value.length <= max) return { value, truncated: false };
  const cut = cutToFit(value, max);
  if (cut !== undefined) return { value: cut, truncated: true };
  // The marker alone does not fit: an ellipsis still shows the value was cut.
  return { value: max > 0 ? `${cutPlain(value, max - 1)}…` : '', truncated: true };
}

/**
 * Caps a JSON document to `maxLength` while keeping it parseable (see the file comment for the
 * order in which content is given up). Text that is not valid JSON is returned as a JSON string
 * literal of its cut prefix. Never throws.
 */
export function truncateJson(json: string, options?: TruncateOptions): SerializedContent {
  const max = limitOf(options);
  if (json.length <= max) return { value: json, truncated: false };
  let tree: JsonValue;
  try {
    tree = JSON.parse(json) as JsonValue;
  } catch {
    return { value: emitString(json, max) ?? fallback(json.length, max), truncated: true };
  }
  return truncateJsonValue(tree, { maxLength: max, serializedLength: json.length });
}

/**
 * Serialises a JSON tree within `maxLength`. Shortens strings of `value` IN PLACE, so pass a tree
 * you own (the output of `toJsonSafe` or `JSON.parse`). Never throws.
 */
export function truncateJsonValue(value: JsonValue, options?: TruncateJsonValueOptions): SerializedContent {
  const max = limitOf(options);
  let original = options?.serializedLength ?? -1;
  try {
    if (original < 0) {
      const text = JSON.stringify(value);
      if (text.length <= max) return { value: text, truncated: false };
      original = text.length;
    } else if (original <= max) {
      return { value: JSON.stringify(value), truncated: false };
    }
    if (value === null || typeof value !== 'object') {
      const text = typeof value === 'string' ? emitString(value, max) : undefined;
      return { value: text ?? fallback(original, max), truncated: true };
    }
    const shortened = shortenLongestStrings(value, original, max);
    if (shortened.length <= max) return { value: shortened, truncated: true };
    return { value: emit(value, max) ?? fallback(original, max), truncated: true };
  } catch (error) {
    // Only reachable on resource exhaustion (e.g. a pathologically deep parsed document).
    diag.debug('agent-otel: truncation failed; recording a placeholder', error);
    return { value: fallback(original, max), truncated: true };
  }
}

function limitOf(options: TruncateOptions | undefined): number {
  const max = options?.maxLength;
  if (max === undefined) return DEFAULT_MAX_ATTRIBUTE_LENGTH;
  if (typeof max === 'number' && max >= 0 && max !== Infinity) return Math.floor(max);
  if (max === Infinity) return Number.MAX_SAFE_INTEGER;
  diag.warn(`agent-otel: invalid maxLength ${String(max)}; using ${DEFAULT_MAX_ATTRIBUTE_LENGTH}`);
  return DEFAULT_MAX_ATTRIBUTE_LENGTH;
}

/** The smallest valid JSON that still says what happened, within `max` when at all possible. */
function fallback(originalLength: number, max: number): string {
  for (const candidate of [`[truncated: ${originalLength} chars]`, '[truncated]']) {
    const text = JSON.stringify(candidate);
    if (text.length <= max) return text;
  }
  // Shorter than any valid JSON string when max < 2; documented.
  return '""';
}

/** Cuts `value` with a marker so the result is at most `max` long; undefined if the marker cannot fit. */
function cutToFit(value: string, max: number): string | undefined {
  let keep = max - truncationMarker(value.length).length;
  // The marker's digit count can differ from the estimate (merged earlier cut), so re-check.
  for (let round = 0; round < 4 && keep >= 0; round++) {
    const cut = cutWithMarker(value, keep);
    if (cut.length <= max) return cut;
    keep -= cut.length - max;
  }
  return undefined;
}

// --- Phase 1: shorten the longest strings ------------------------------------------------------

interface Leaf {
  holder: Holder;
  key: string | number;
  value: string;
}

function shortenLongestStrings(tree: Holder, length: number, max: number): string {
  const leaves = collectStringLeaves(tree);
  let text = '';
  let current = length;
  for (let round = 0; round < SHORTEN_ROUNDS && current > max; round++) {
    const cap = findCap(leaves, current - max);
    let changed = false;
    for (const leaf of leaves) {
      if (leaf.value.length <= cap) continue;
      const cut = cutWithMarker(leaf.value, cap);
      if (cut.length >= leaf.value.length) continue;
      (leaf.holder as Record<string | number, JsonValue>)[leaf.key] = cut;
      leaf.value = cut;
      changed = true;
    }
    if (!changed) break;
    text = JSON.stringify(tree);
    current = text.length;
  }
  return text === '' ? JSON.stringify(tree) : text;
}

function collectStringLeaves(tree: Holder): Leaf[] {
  const leaves: Leaf[] = [];
  // Iterative, so a deep parsed document cannot overflow the stack here.
  const stack: Holder[] = [tree];
  while (stack.length > 0) {
    const holder = stack.pop()!;
    const keys: (string | number)[] = Array.isArray(holder) ? holder.map((_, i) => i) : Object.keys(holder);
    for (const key of keys) {
      const item = (holder as Record<string | number, JsonValue>)[key];
      if (typeof item === 'string') leaves.push({ holder, key, value: item });
      else if (item !== null && typeof item === 'object') stack.push(item);
    }
  }
  return leaves;
}

/** Characters saved by cutting every leaf to `cap` (counted in raw length, a lower bound for JSON). */
function savingsAt(leaves: readonly Leaf[], cap: number): number {
  let sum = 0;
  for (const leaf of leaves) {
    const removed = leaf.value.length - cap;
    if (removed <= 0) continue;
    const saved = removed - truncationMarker(removed).length;
    if (saved > 0) sum += saved;
  }
  return sum;
}

/** The largest cap that saves at least `excess` characters, but never below MIN_KEPT_STRING. */
function findCap(leaves: readonly Leaf[], excess: number): number {
  let hi = 0;
  for (const leaf of leaves) hi = Math.max(hi, leaf.value.length);
  let lo = MIN_KEPT_STRING;
  if (hi <= lo || savingsAt(leaves, lo) < excess) return lo;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (savingsAt(leaves, mid) >= excess) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// --- Phase 2: budgeted emit, dropping trailing entries -----------------------------------------

/** Serialises `value` in at most `budget` characters, or returns undefined when nothing fits. */
function emit(value: JsonValue, budget: number): string | undefined {
  if (typeof value === 'string') return emitString(value, budget);
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text.length <= budget ? text : undefined;
  }
  return Array.isArray(value) ? emitArray(value, budget) : emitObject(value, budget);
}

function emitString(value: string, budget: number): string | undefined {
  // Escaping only lengthens a string, so the full form is tried only when it could fit.
  if (value.length + 2 <= budget) {
    const full = JSON.stringify(value);
    if (full.length <= budget) return full;
  }
  let keep = budget - 2 - truncationMarker(value.length).length;
  for (let round = 0; round < 8 && keep >= 0; round++) {
    const text = JSON.stringify(cutWithMarker(value, keep));
    if (text.length <= budget) return text;
    keep -= text.length - budget;
  }
  return undefined;
}

function emitArray(items: readonly JsonValue[], budget: number): string | undefined {
  if (budget < 2) return undefined;
  // Room kept free for `,"[… N more]"` and `]`: once an item is in, the array can always be closed
  // with a marker (the last item needs only room for `]`).
  const reserve = 1 + 1 + JSON.stringify(moreMarker(items.length)).length;
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    const separator = i === 0 ? '' : ',';
    const room = budget - out.length - separator.length - (i === items.length - 1 ? 1 : reserve);
    const text = room > 0 ? emit(items[i]!, room) : undefined;
    if (text === undefined) {
      // Nothing fits: the parent drops this whole value and counts it in its own marker.
      if (i === 0) return undefined;
      return `${out},${JSON.stringify(moreMarker(items.length - i))}]`;
    }
    out += separator + text;
  }
  return `${out}]`;
}

function emitObject(object: JsonObject, budget: number): string | undefined {
  if (budget < 2) return undefined;
  const keys = Object.keys(object);
  const markerEntry = (count: number): string =>
    `${JSON.stringify(MORE_KEY)}:${JSON.stringify(moreMarker(count))}`;
  const reserve = 1 + 1 + markerEntry(keys.length).length;
  let out = '{';
  for (let i = 0; i < keys.length; i++) {
    const separator = i === 0 ? '' : ',';
    const prefix = `${separator}${JSON.stringify(keys[i])}:`;
    const room = budget - out.length - prefix.length - (i === keys.length - 1 ? 1 : reserve);
    const text = room > 0 ? emit(object[keys[i]!]!, room) : undefined;
    if (text === undefined) {
      if (i === 0) return undefined;
      return `${out},${markerEntry(keys.length - i)}}`;
    }
    out += prefix + text;
  }
  return `${out}}`;
}
