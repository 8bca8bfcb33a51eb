/*
 * LangChain keeps its run context in one AsyncLocalStorage per process, shared by every copy of
 * `@langchain/core` (ESM and CommonJS builds, 0.3 and 1.x) and by `langsmith`, under
 * `globalThis[Symbol.for('ls:tracing_async_local_storage')]`. Two things go through it here:
 *
 * 1. The OpenTelemetry context inside a run. LangChain runs a tool's function, a LangGraph node or a
 *    RunnableLambda inside `storage.run(store, fn)`, where the store carries the child config whose
 *    callback manager names the run (`_parentRunId`). The bridged `run` looks that run up and runs `fn`
 *    in its span's context too, so HTTP, database and model-client spans started inside nest under it.
 * 2. A handler for every run. LangChain's configure hooks (`registerConfigureHook`) are context
 *    variables in that storage: they are seen only by code whose store descends from where they were
 *    set, and a store set by `enterWith` in a preload (`--import`) does not reach the application on
 *    Node 24. The bridge keeps a base store with the hooks, which `getStore()` returns where LangChain
 *    has none yet; every store LangChain makes copies its context variables from the one before, so the
 *    hooks reach every run.
 */
import { context as contextApi, diag, type Context } from '@opentelemetry/api';
import { AsyncLocalStorage } from 'node:async_hooks';
import { isRecord } from '@agent-otel/core/instrumentation';
import { PACKAGE_NAME } from './version.js';

/** LangChain's (and langsmith's) global AsyncLocalStorage slot. */
export const TRACING_ALS_KEY = Symbol.for('ls:tracing_async_local_storage');
/** Where LangChain keeps the child config in its store (`store.extra[LC_CHILD_KEY]`). */
const LC_CHILD_KEY = Symbol.for('lc:child_config');
/** Marks a bridged storage, with the bridge's state. */
const BRIDGE_KEY = Symbol.for('agent_otel.langchain.context_bridge');

/** The part of AsyncLocalStorage the bridge wraps. */
interface StorageLike {
  getStore(): unknown;
  run(store: unknown, callback: (...args: unknown[]) => unknown, ...args: unknown[]): unknown;
}

/** The state of the bridge on one storage. */
export interface ContextBridge {
  /** False: `run` and `getStore` behave exactly as LangChain's own. */
  enabled: boolean;
  /** The store returned where there is none: the context variables of the registered configure hooks. */
  baseStore: unknown;
  /** The OpenTelemetry context of a run id (a run this package traces), if any. */
  contextOf: (runId: string) => Context | undefined;
  /** The storage's own methods. */
  readonly originalRun: StorageLike['run'];
  readonly originalGetStore: StorageLike['getStore'];
}

function noContext(): Context | undefined {
  return undefined;
}

/** The run id whose child config a LangChain store carries (the run the code inside belongs to). */
export function parentRunIdOf(store: unknown): string | undefined {
  if (!isRecord(store)) return undefined;
  const extra = store.extra;
  if (!isRecord(extra)) return undefined;
  const config = (extra as Record<symbol, unknown>)[LC_CHILD_KEY];
  if (!isRecord(config)) return undefined;
  const callbacks = config.callbacks;
  if (!isRecord(callbacks)) return undefined;
  const id =
    typeof callbacks.getParentRunId === 'function' ? callbacks.getParentRunId() : callbacks._parentRunId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** The bridge of LangChain's global storage, installing the storage and the bridge first when needed. Never throws. */
export function installContextBridge(): ContextBridge | undefined {
  try {
    const slots = globalThis as Record<symbol, unknown>;
    let storage = slots[TRACING_ALS_KEY] as StorageLike | undefined;
    if (storage === undefined) {
      // Installed before LangChain loads: its `initializeGlobalInstance` keeps an instance already there.
      storage = new AsyncLocalStorage();
      slots[TRACING_ALS_KEY] = storage;
    }
    if (!isRecord(storage) || typeof storage.run !== 'function' || typeof storage.getStore !== 'function') {
      return undefined;
    }
    const existing = (storage as unknown as Record<symbol, unknown>)[BRIDGE_KEY] as ContextBridge | undefined;
    if (existing !== undefined) {
      existing.enabled = true;
      return existing;
    }
    return bridge(storage);
  } catch (error) {
    diag.warn(
      `${PACKAGE_NAME}: could not bridge LangChain's run context; spans inside runs will not nest`,
      error,
    );
    return undefined;
  }
}

/** The bridge if installed (any copy of this package), else `undefined`. */
export function currentContextBridge(): ContextBridge | undefined {
  const storage = (globalThis as Record<symbol, unknown>)[TRACING_ALS_KEY];
  if (!isRecord(storage)) return undefined;
  return (storage as unknown as Record<symbol, unknown>)[BRIDGE_KEY] as ContextBridge | undefined;
}

function bridge(storage: StorageLike): ContextBridge {
  const originalRun = storage.run;
  const originalGetStore = storage.getStore;
  const state: ContextBridge = {
    enabled: true,
    baseStore: undefined,
    contextOf: noContext,
    originalRun,
    originalGetStore,
  };
  Object.defineProperty(storage, BRIDGE_KEY, { value: state, configurable: true });
  Object.defineProperty(storage, 'getStore', {
    configurable: true,
    writable: true,
    value: function getStore(this: StorageLike): unknown {
      const store = originalGetStore.call(this);
      return store === undefined && state.enabled ? state.baseStore : store;
    },
  });
  Object.defineProperty(storage, 'run', {
    configurable: true,
    writable: true,
    value: function run(
      this: StorageLike,
      store: unknown,
      callback: (...args: unknown[]) => unknown,
      ...args: unknown[]
    ): unknown {
      let ctx: Context | undefined;
      if (state.enabled) {
        try {
          const runId = parentRunIdOf(store);
          ctx = runId === undefined ? undefined : state.contextOf(runId);
        } catch (error) {
          diag.debug(`${PACKAGE_NAME}: could not read a LangChain run context`, error);
        }
      }
      if (ctx === undefined) return originalRun.call(this, store, callback, ...args);
      return contextApi.with(ctx, () => originalRun.call(this, store, callback, ...args));
    },
  });
  return state;
}
