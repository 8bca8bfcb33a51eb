import type { TracerProvider } from '@opentelemetry/api';

/** One value shared by every copy of core in the process; see {@link processWide}. */
export interface ProcessWide<T> {
  /** The `Symbol.for` key of the value's box (`{ value }`) on `globalThis`. */
  readonly key: symbol;
  /** The value, made by `create` when no copy of core has made it yet. */
  get(): T;
  /** Replaces the value, for every copy. */
  set(value: T): void;
  /** Forgets the value: the next {@link ProcessWide.get} (from any copy) makes a new one. */
  reset(): void;
}

/**
 * A slot for process-wide state: one value per process, on `globalThis` under `Symbol.for(key)`.
 * `node --import` loads the ESM build of core while instrumentations `require()` the CommonJS build,
 * and an application may bundle another version besides: every copy that asks for `key` gets the
 * same value. All process-wide state of core goes through here (test/state/module-state.test.ts
 * fails on a module-level `let` or mutable collection that does not).
 *
 * Keys: `agent_otel.<name>`, optionally with a version suffix `.vN` (no suffix is version 1). A key
 * names the shape of its value, which every copy — older releases included — reads and writes: a
 * compatible change (a new optional field that older copies may leave unset) keeps the key; any
 * other change (a field renamed, removed or given another meaning, another container type) takes a
 * new key (`.v2`), so an old copy never reads a value it does not understand. The copies then no
 * longer share that state, so prefer compatible changes. The value must not depend on one copy's
 * classes (no `instanceof` of our classes on it): plain objects and built-in collections.
 *
 * `create` runs lazily, on the first `get()` in the process, by whichever copy gets there first.
 *
 * The value sits in a box, `globalThis[Symbol.for(key)] = { value }`, that every copy finds once, at
 * load, and keeps: reads on the hot path are then a plain property load, where a keyed load on
 * `globalThis` with the symbol (the global proxy, from a function shared by every slot) falls off
 * V8's fast path into a runtime lookup, ~2 k instructions per model call.
 */
export function processWide<T>(key: string, create: () => T): ProcessWide<T> {
  const symbol = Symbol.for(key);
  const holder = globalThis as unknown as Record<symbol, { value: T | undefined } | undefined>;
  const box = (holder[symbol] ??= { value: undefined });
  return {
    key: symbol,
    get: () => (box.value ??= create()),
    set: (value) => {
      box.value = value;
    },
    reset: () => {
      box.value = undefined;
    },
  };
}

/**
 * Another library's process-wide value, `globalThis[Symbol.for(key)]` (e.g. the logger provider
 * `@opentelemetry/api-logs` registers there). Read only; core's own state goes through {@link processWide}.
 */
export function foreignGlobal(key: string): unknown {
  return (globalThis as Record<symbol, unknown>)[Symbol.for(key)];
}

/** Process-wide switches of the application API. */
interface CoreState {
  /** Set by `setTracingDisabled`; `undefined` means "not set", so `OTEL_SDK_DISABLED` decides. */
  disabled: boolean | undefined;
  /** `OTEL_SDK_DISABLED`, read once. */
  envDisabled: boolean | undefined;
  /** Tracer provider chosen with `setTracerProvider`; the global one otherwise. */
  tracerProvider: TracerProvider | undefined;
}

const CORE_STATE = processWide<CoreState>('agent_otel.core.state', () => ({
  disabled: undefined,
  envDisabled: undefined,
  tracerProvider: undefined,
}));

/** The shared state object. */
export function coreState(): CoreState {
  return CORE_STATE.get();
}
