/*
 * The size bounds of every non-content value agent-otel records (names, ids, metadata, error text,
 * array attributes), in one place. Content (messages, tool arguments and results, custom and error
 * data) is capped by the content policy instead (`maxAttributeLength`, default 16384). A value that
 * is cut ends in `…[truncated N chars]`, as cut content does, and its span gets
 * `agent_otel.attributes.truncated = true`. Lengths are UTF-16 code units, as in OTel JS.
 */
import type { AttributeValue } from '@opentelemetry/api';
import { safeStringify } from './safe-serialize.js';
import { truncateJson, truncateText } from './truncate.js';

/** Longest string recorded for a name, id, metadata value, error message or other non-content value. */
export const MAX_VALUE_LENGTH = 4096;
/** Longest `exception.stacktrace` recorded. */
export const MAX_STACKTRACE_LENGTH = 16384;
/** Most items recorded of an array attribute (each string item capped at {@link MAX_VALUE_LENGTH}). */
export const MAX_ARRAY_ITEMS = 128;
/** Most `agent_otel.metadata.*` entries recorded per trace. */
export const MAX_METADATA_ENTRIES = 64;
/** Longest metadata key (the part after `agent_otel.metadata.`). */
export const MAX_METADATA_KEY_LENGTH = 256;

/**
 * `value` cut to `max` code units with a `…[truncated N chars]` marker; the same string when it
 * already fits (a length check only).
 */
export function capText(value: string, max: number = MAX_VALUE_LENGTH): string {
  return value.length <= max ? value : truncateText(value, { maxLength: max }).value;
}

/** JSON text cut to `max` code units so it stays valid JSON; the same string when it already fits. */
export function capJsonText(json: string, max: number = MAX_VALUE_LENGTH): string {
  return json.length <= max ? json : truncateJson(json, { maxLength: max }).value;
}

/**
 * The value to record for an attribute, within the bounds above, or `undefined` when nothing should
 * be recorded (null, undefined, NaN/±Infinity, functions, symbols, values that throw when read).
 * Returns `value` itself when it is within bounds, so `result !== value` means it was cut or
 * replaced; the caller marks the span. Never throws, never changes `value`.
 */
export function boundedAttributeValue(value: unknown): AttributeValue | undefined {
  switch (typeof value) {
    case 'string':
      return value.length <= MAX_VALUE_LENGTH ? value : capText(value);
    case 'number':
      // OTLP/JSON cannot carry NaN and ±Infinity; a collector would reject the whole batch.
      return Number.isFinite(value) ? value : undefined;
    case 'boolean':
      return value;
    case 'bigint':
      return capText(value.toString());
    case 'object':
      return value === null ? undefined : boundedObject(value);
    default:
      return undefined;
  }
}

function boundedObject(value: object): AttributeValue | undefined {
  try {
    if (Array.isArray(value)) return boundedArray(value);
    // Not an attribute type (a plain-JS caller passed an object): its safe JSON text, capped.
    return capJsonText(safeStringify(value, { maxStringLength: MAX_VALUE_LENGTH }));
  } catch {
    // A revoked Proxy, or one whose traps throw: nothing can be read from it.
    return undefined;
  }
}

type Primitive = string | number | boolean | null;

function boundedItem(item: unknown): Primitive | undefined {
  if (typeof item === 'string') return item.length <= MAX_VALUE_LENGTH ? item : capText(item);
  if (typeof item === 'number') return Number.isFinite(item) ? item : undefined;
  if (typeof item === 'boolean' || item === null) return item;
  return undefined;
}

/** The array itself when every item fits and is a primitive; else a bounded copy. May throw (Proxy). */
function boundedArray(items: readonly unknown[]): AttributeValue {
  const length = items.length;
  const kept = Math.min(length, MAX_ARRAY_ITEMS);
  let copy: Primitive[] | undefined;
  for (let i = 0; i < kept; i++) {
    const item = items[i];
    const bounded = boundedItem(item);
    if (copy === undefined && bounded === item) continue;
    if (copy === undefined) copy = items.slice(0, i) as Primitive[];
    if (bounded !== undefined) copy.push(bounded);
  }
  if (copy === undefined)
    return kept === length ? (items as AttributeValue) : (items.slice(0, kept) as AttributeValue);
  return copy as AttributeValue;
}
