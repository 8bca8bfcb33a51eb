// Readers for values of unknown shape (SDK requests, responses, stream events, user input). Every
// adapter and core read payloads with these, so "a usable string" means the same everywhere.
import { diag } from '@opentelemetry/api';

/** True for a non-null object that is not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value when it is a non-empty string, else `undefined`. */
export function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The value when it is a finite number, else `undefined`. */
export function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** True for anything with a `then` method (a promise, an SDK's `APIPromise`, a thenable). */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * A caller's array copied into a plain one by indexed reads (a Proxy's traps run, no iterator of
 * ours does); `undefined` when it is not an array or cannot be read (a revoked Proxy, a throwing
 * trap), so later code never meets the caller's object.
 */
export function readArray(value: unknown): unknown[] | undefined {
  try {
    if (!Array.isArray(value)) return undefined;
    const length = value.length;
    if (!Number.isSafeInteger(length) || length < 0) return undefined;
    const copy: unknown[] = [];
    for (let i = 0; i < length; i++) copy.push(value[i]);
    return copy;
  } catch {
    return undefined;
  }
}

/** `target[key]`, or `undefined` when reading it throws (a throwing getter, a hostile Proxy). */
export function readProperty(target: unknown, key: PropertyKey): unknown {
  try {
    return (target as Record<PropertyKey, unknown>)[key];
  } catch {
    return undefined;
  }
}

/**
 * The named options of a caller's options object, each read once into a plain object: a getter or
 * Proxy trap runs once, and one that throws leaves that option undefined (its default), with one
 * warning naming the options that could not be read (`what` names them, e.g. `trace option`).
 */
export function readOptions<K extends string>(
  options: unknown,
  names: readonly K[],
  what: string,
): Partial<Record<K, unknown>> {
  const read: Partial<Record<K, unknown>> = {};
  if (options == null) return read;
  const unreadable: K[] = [];
  let firstError: unknown;
  for (const name of names) {
    try {
      read[name] = (options as Record<K, unknown>)[name];
    } catch (error) {
      unreadable.push(name);
      firstError ??= error;
    }
  }
  if (unreadable.length > 0) {
    diag.warn(
      `agent-otel: ${what}${unreadable.length > 1 ? 's' : ''} ${unreadable.join(', ')} could not be read; ` +
        'using the default',
      firstError,
    );
  }
  return read;
}
