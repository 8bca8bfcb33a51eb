/*
 * Turns any JavaScript value into JSON without ever throwing.
 *
 * The walker copies the input into a plain JSON tree (`toJsonSafe`) that `JSON.stringify` can
 * always serialise; awkward values become descriptive strings. It is written for the common case
 * (plain, JSON-able objects): no closures per node, one ancestor set for cycle detection, and
 * try/catch only around the operations that can run user code (getters, Proxy traps, toJSON).
 */
import { diag } from '@opentelemetry/api';
import { cutWithMarker, toWellFormed } from './strings.js';

/** A JSON value as produced by {@link toJsonSafe}. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Hooks that let redaction run on string leaves during the same walk (see `redact.ts`). */
export interface LeafRedaction {
  /** Returns the string to record for a string leaf; `key` is the nearest property name, if any. */
  redactString(value: string, key: string | undefined): string;
  /** True when the value under `key` must be recorded as `[REDACTED]` without being read. */
  isSensitiveKey(key: string): boolean;
}

/** Options of {@link safeStringify} and {@link toJsonSafe}. */
export interface SafeStringifyOptions {
  /** Objects nested deeper than this become `"[MaxDepth]"`; default 32. */
  maxDepth?: number;
  /** Arrays, objects, Maps and Sets keep at most this many entries, then a `"[… N more]"` marker; default 1000. */
  maxEntries?: number;
  /**
   * Strings longer than this are cut (with a `…[truncated N chars]` marker) before redaction, so a
   * huge string is never scanned in full; default: no limit.
   */
  maxStringLength?: number;
  /** Redaction applied to string leaves and sensitive keys; default: none. */
  redaction?: LeafRedaction;
}

/** Default depth cap of {@link safeStringify}. */
export const DEFAULT_MAX_DEPTH = 32;
/** Default per-container entry cap of {@link safeStringify}. */
export const DEFAULT_MAX_ENTRIES = 1000;

/** Recorded for a cycle back to an ancestor. */
export const CIRCULAR = '[Circular]';
/** Recorded for an object nested deeper than `maxDepth`. */
export const MAX_DEPTH = '[MaxDepth]';
/** Recorded for a value under a sensitive key. */
export const REDACTED = '[REDACTED]';
/** The key of the marker entry that says how many object entries were left out. */
export const MORE_KEY = '…';

/** The marker recorded in place of `count` left-out entries. */
export function moreMarker(count: number): string {
  return `[… ${count} more]`;
}

/** The placeholder recorded for binary data: its size, never its bytes. */
export function binaryPlaceholder(byteLength: number): string {
  return `[binary ${byteLength} bytes]`;
}

/** Walk state; one per call, passed down instead of closed over. */
interface Walk {
  readonly maxDepth: number;
  readonly maxEntries: number;
  readonly maxStringLength: number;
  readonly redaction: LeafRedaction | undefined;
  /** Objects on the current path; a shared (non-cyclic) reference is serialised each time it appears. */
  readonly ancestors: Set<object>;
}

type JsonObject = { [key: string]: JsonValue };

// Sentinel for a property read that threw; the error is parked in `lastReadError` so the hot path
// returns a plain value instead of allocating a result object per read.
const READ_FAILED: unique symbol = Symbol('read failed');
let lastReadError: unknown;

const errorIsError = (Error as { isError?: (value: unknown) => boolean }).isError;

/**
 * Copies `value` into a plain JSON tree that `JSON.stringify` always accepts. Never throws.
 * Returns `undefined` only when `value` itself is `undefined` (JSON has no such value).
 */
export function toJsonSafe(value: unknown, options?: SafeStringifyOptions): JsonValue | undefined {
  const walk: Walk = {
    maxDepth: positiveOr(options?.maxDepth, DEFAULT_MAX_DEPTH),
    maxEntries: positiveOr(options?.maxEntries, DEFAULT_MAX_ENTRIES),
    maxStringLength: positiveOr(options?.maxStringLength, Infinity),
    redaction: options?.redaction,
    ancestors: new Set(),
  };
  try {
    return walkValue(walk, value, undefined, 0);
  } catch (error) {
    // Only reachable through a bug or resource exhaustion; the walker guards user code itself.
    diag.debug('agent-otel: toJsonSafe failed', error);
    return unserializable(walk, error);
  }
}

/**
 * Serialises any value to a string that is always valid JSON; never throws.
 * See docs/content-policy.md for what each awkward value becomes.
 */
export function safeStringify(value: unknown, options?: SafeStringifyOptions): string {
  try {
    return JSON.stringify(toJsonSafe(value, options)) ?? 'null';
  } catch (error) {
    // e.g. the result exceeds the engine's maximum string length.
    diag.debug('agent-otel: safeStringify failed', error);
    return JSON.stringify(`[Unserializable: ${describeError(error)}]`);
  }
}

/**
 * A plain-string form of any value: strings pass through (made well-formed and redacted when
 * `options.redaction` is set), everything else goes through {@link safeStringify}. Never throws.
 */
export function safeString(value: unknown, options?: SafeStringifyOptions): string {
  if (typeof value !== 'string') return safeStringify(value, options);
  const tree = toJsonSafe(value, options);
  return typeof tree === 'string' ? tree : safeStringify(value, options);
}

function positiveOr(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && value > 0 ? value : fallback;
}

function walkValue(
  walk: Walk,
  value: unknown,
  key: string | undefined,
  depth: number,
): JsonValue | undefined {
  switch (typeof value) {
    case 'string':
      return stringLeaf(walk, value, key);
    case 'number':
      // JSON has no NaN/Infinity; record them by name instead of the lossy `null`.
      return Number.isFinite(value) ? value : String(value);
    case 'boolean':
      return value;
    case 'bigint':
      // The exact decimal digits; a JSON number would lose precision past 2^53.
      return value.toString();
    case 'undefined':
      return undefined;
    case 'symbol':
      return stringLeaf(walk, value.toString(), key);
    case 'function':
      return functionLabel(value);
    default:
      return value === null ? null : walkObject(walk, value as object, key, depth);
  }
}

function stringLeaf(walk: Walk, value: string, key: string | undefined): string {
  const capped = value.length > walk.maxStringLength ? cutWithMarker(value, walk.maxStringLength) : value;
  const wellFormed = toWellFormed(capped);
  return walk.redaction ? walk.redaction.redactString(wellFormed, key) : wellFormed;
}

function functionLabel(fn: unknown): string {
  try {
    const name = (fn as { name?: unknown }).name;
    return `[Function ${typeof name === 'string' && name !== '' ? toWellFormed(name) : 'anonymous'}]`;
  } catch {
    return '[Function anonymous]';
  }
}

function walkObject(walk: Walk, value: object, key: string | undefined, depth: number): JsonValue {
  if (depth >= walk.maxDepth) return MAX_DEPTH;
  if (walk.ancestors.has(value)) return CIRCULAR;
  walk.ancestors.add(value);
  try {
    return describeObject(walk, value, key, depth + 1);
  } catch (error) {
    // A Proxy trap (ownKeys, getPrototypeOf, …) or an iterator threw: this value only is lost.
    return unserializable(walk, error);
  } finally {
    walk.ancestors.delete(value);
  }
}

function describeObject(walk: Walk, value: object, key: string | undefined, depth: number): JsonValue {
  const proto: unknown = Object.getPrototypeOf(value);
  // Fast path: plain objects skip the instanceof chain below.
  if (proto !== Object.prototype && proto !== null) {
    if (ArrayBuffer.isView(value)) return binaryPlaceholder(value.byteLength);
    if (value instanceof ArrayBuffer) return binaryPlaceholder(value.byteLength);
    if (typeof SharedArrayBuffer !== 'undefined' && value instanceof SharedArrayBuffer) {
      return binaryPlaceholder(value.byteLength);
    }
    if (Array.isArray(value)) return walkArray(walk, value, key, depth);
    if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
    if (value instanceof RegExp) return stringLeaf(walk, value.toString(), key);
    if (value instanceof Map) return walkMap(walk, value, depth);
    if (value instanceof Set) return walkSet(walk, value, key, depth);
    if (errorIsError?.(value) || value instanceof Error) return walkError(walk, value, depth);
  } else if (Array.isArray(value)) {
    // An array whose prototype was replaced is still an array.
    return walkArray(walk, value, key, depth);
  }
  const toJSON = readProperty(value, 'toJSON');
  if (toJSON === READ_FAILED) return unserializable(walk, lastReadError);
  if (typeof toJSON === 'function')
    return walkToJSON(walk, value, toJSON as (key: string) => unknown, key, depth);
  return walkPlainObject(walk, value, depth);
}

function walkArray(
  walk: Walk,
  value: readonly unknown[],
  key: string | undefined,
  depth: number,
): JsonValue[] {
  const length = value.length;
  const kept = Math.min(length, walk.maxEntries);
  const out: JsonValue[] = [];
  for (let i = 0; i < kept; i++) {
    const item = readProperty(value, i);
    out.push(
      item === READ_FAILED
        ? unserializable(walk, lastReadError)
        : (walkValue(walk, item, key, depth) ?? null),
    );
  }
  if (length > kept) out.push(moreMarker(length - kept));
  return out;
}

function walkPlainObject(walk: Walk, value: object, depth: number): JsonObject {
  const keys = Object.keys(value);
  const kept = Math.min(keys.length, walk.maxEntries);
  const out: JsonObject = {};
  for (let i = 0; i < kept; i++) {
    const name = keys[i]!;
    // Sensitive values are never read: a getter behind `password` must not even run.
    if (walk.redaction?.isSensitiveKey(name)) {
      setEntry(out, name, REDACTED);
      continue;
    }
    const item = readProperty(value, name);
    const json =
      item === READ_FAILED ? unserializable(walk, lastReadError) : walkValue(walk, item, name, depth);
    if (json !== undefined) setEntry(out, name, json);
  }
  if (keys.length > kept) setEntry(out, MORE_KEY, moreMarker(keys.length - kept));
  return out;
}

function walkMap(walk: Walk, value: Map<unknown, unknown>, depth: number): JsonObject {
  const out: JsonObject = {};
  let count = 0;
  for (const [entryKey, entryValue] of value) {
    if (count >= walk.maxEntries) break;
    count++;
    const name = mapKeyName(walk, entryKey, depth);
    if (walk.redaction?.isSensitiveKey(name)) {
      setEntry(out, name, REDACTED);
      continue;
    }
    const json = walkValue(walk, entryValue, name, depth);
    if (json !== undefined) setEntry(out, name, json);
  }
  if (value.size > count) setEntry(out, MORE_KEY, moreMarker(value.size - count));
  return out;
}

/** Map keys become object keys: strings as-is, anything else as its safe JSON text. */
function mapKeyName(walk: Walk, entryKey: unknown, depth: number): string {
  if (typeof entryKey === 'string') return toWellFormed(entryKey);
  const json = walkValue(walk, entryKey, undefined, depth);
  return typeof json === 'string' ? json : (JSON.stringify(json) ?? 'undefined');
}

function walkSet(walk: Walk, value: Set<unknown>, key: string | undefined, depth: number): JsonValue[] {
  const out: JsonValue[] = [];
  for (const item of value) {
    if (out.length >= walk.maxEntries) break;
    out.push(walkValue(walk, item, key, depth) ?? null);
  }
  if (value.size > out.length) out.push(moreMarker(value.size - out.length));
  return out;
}

// `message`, `stack` and `cause` are own but non-enumerable, so errors are read by name first.
const ERROR_FIELDS = ['name', 'message', 'stack', 'cause', 'errors'];

function walkError(walk: Walk, value: object, depth: number): JsonObject {
  const out: JsonObject = {};
  const names = new Set(ERROR_FIELDS);
  for (const name of Object.keys(value)) names.add(name);
  for (const name of names) {
    if (walk.redaction?.isSensitiveKey(name)) {
      setEntry(out, name, REDACTED);
      continue;
    }
    const item = readProperty(value, name);
    const json =
      item === READ_FAILED ? unserializable(walk, lastReadError) : walkValue(walk, item, name, depth);
    if (json !== undefined) setEntry(out, name, json);
  }
  return out;
}

function walkToJSON(
  walk: Walk,
  value: object,
  toJSON: (this: unknown, key: string) => unknown,
  key: string | undefined,
  depth: number,
): JsonValue {
  let result: unknown;
  try {
    result = toJSON.call(value, key ?? '');
  } catch (error) {
    return unserializable(walk, error);
  }
  // The result is walked one level deeper, so a toJSON that returns a fresh object with its own
  // toJSON forever ends at the depth cap; one that returns `this` is caught as a cycle.
  return walkValue(walk, result, key, depth) ?? null;
}

function readProperty(target: object, name: string | number): unknown {
  try {
    return (target as Record<string | number, unknown>)[name];
  } catch (error) {
    lastReadError = error;
    return READ_FAILED;
  }
}

/** Sets an own data property; `__proto__` is defined, not assigned, so it stays a plain key. */
function setEntry(out: JsonObject, name: string, value: JsonValue): void {
  if (name === '__proto__') {
    Object.defineProperty(out, name, { value, enumerable: true, writable: true, configurable: true });
  } else {
    out[name] = value;
  }
}

function unserializable(walk: Walk, error: unknown): string {
  return stringLeaf(walk, `[Unserializable: ${describeError(error)}]`, undefined);
}

/** A short reason for a thrown value; reading the thrown value can itself throw. */
function describeError(error: unknown): string {
  try {
    const message = error instanceof Error ? error.message : String(error);
    return message.length > 200 ? `${message.slice(0, 200)}…` : message;
  } catch {
    return 'unknown error';
  }
}
