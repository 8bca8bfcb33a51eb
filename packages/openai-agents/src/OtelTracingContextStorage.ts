import { AsyncLocalStorage } from 'node:async_hooks';
import { isThenable } from '@agent-otel/core/instrumentation';
import { context as contextApi, type Context } from '@opentelemetry/api';
import type { TracingContextStorage } from '@openai/agents';
import type { SdkContextStore } from './internal-types.js';

/** Where the SDK keeps its tracing context storage (agents-core `context.ts`); shared by its copies. */
const SDK_STORAGE_KEY = Symbol.for('openai.agents.core.asyncLocalStorage');
/** Marks our storage, so a second install wraps the SDK's storage rather than ours. */
const INNER_STORAGE = Symbol.for('agent_otel.openai_agents.inner_storage');

/** What the storage asks the bridge. */
export interface ContextBridge {
  /** The OTel context of work running in an SDK context store; `undefined` when unknown. */
  contextFor(store: SdkContextStore | undefined): Context | undefined;
  /** Whether the bridge already follows this SDK trace. */
  knowsTrace(sdkTraceId: string): boolean;
  /** The scope that started this SDK trace failed with `error`; the SDK will not end the trace. */
  traceScopeFailed(sdkTraceId: string, error: unknown): void;
}

/**
 * An OTel context that follows one SDK context store. The SDK changes its current span by mutating
 * the store in place (`setCurrentSpan` / `resetCurrentSpan`), without a new `run()`, so the context
 * is resolved on each read: the current SDK span's OTel context, else the context that was active
 * when the SDK scope began. Deriving (`setValue`) snapshots the resolved context, as OTel contexts
 * are immutable values.
 */
class SdkStoreContext implements Context {
  constructor(
    private readonly base: Context,
    private readonly store: SdkContextStore | undefined,
    private readonly bridge: ContextBridge,
  ) {}

  private current(): Context {
    return this.bridge.contextFor(this.store) ?? this.base;
  }

  getValue(key: symbol): unknown {
    return this.current().getValue(key);
  }

  setValue(key: symbol, value: unknown): Context {
    return this.current().setValue(key, value);
  }

  deleteValue(key: symbol): Context {
    return this.current().deleteValue(key);
  }
}

/**
 * The SDK's tracing context storage, extended so that every SDK scope (`withTrace`, each span's
 * `with*Span`, `withTraceContext`) also runs with the matching OpenTelemetry context active: spans
 * started inside an agent, a tool or a model call by any OTel instrumentation (HTTP, database, model
 * clients) nest under the bridge's span for it. Storing and reading the SDK's own store is left to the
 * storage it wraps.
 *
 * It also sees the scope that starts a trace (`withTrace`) end: when that scope fails, the SDK never
 * ends the trace (its `trace.end()` runs on success only), so the bridge ends it, with the error.
 */
export class OtelTracingContextStorage implements TracingContextStorage<SdkContextStore | undefined> {
  readonly [INNER_STORAGE]: TracingContextStorage;

  constructor(
    readonly inner: TracingContextStorage,
    private readonly bridge: ContextBridge,
  ) {
    this[INNER_STORAGE] = inner;
  }

  run<TResult>(store: SdkContextStore | undefined, callback: () => TResult): TResult {
    const base = contextApi.active();
    const newTraceId = this.newTraceOf(store);
    const result = this.inner.run(store, () =>
      contextApi.with(new SdkStoreContext(base, store, this.bridge), callback),
    );
    if (newTraceId !== undefined && isThenable(result)) {
      // Observes the outcome only: the caller still gets (and handles) the same promise.
      result.then(undefined, (error: unknown) => this.bridge.traceScopeFailed(newTraceId, error));
    }
    return result;
  }

  /** The id of the SDK trace this scope starts (a trace the bridge has not seen yet), if any. */
  private newTraceOf(store: SdkContextStore | undefined): string | undefined {
    try {
      const traceId = store?.active === true ? store.trace?.traceId : undefined;
      return typeof traceId === 'string' && !this.bridge.knowsTrace(traceId) ? traceId : undefined;
    } catch {
      return undefined;
    }
  }

  getStore(): SdkContextStore | undefined {
    return this.inner.getStore() as SdkContextStore | undefined;
  }

  enterWith(store: SdkContextStore | undefined): void {
    this.inner.enterWith(store);
  }
}

/**
 * The storage the SDK uses now (its shared global `AsyncLocalStorage`, or one a user injected), with
 * a wrapper of ours unwrapped; a new `AsyncLocalStorage` when the SDK has not created one yet.
 */
export function currentSdkContextStorage(): TracingContextStorage {
  const existing = (globalThis as Record<symbol, unknown>)[SDK_STORAGE_KEY] as
    (TracingContextStorage & { [INNER_STORAGE]?: TracingContextStorage }) | undefined;
  if (existing && typeof existing.run === 'function' && typeof existing.getStore === 'function') {
    return existing[INNER_STORAGE] ?? existing;
  }
  return new AsyncLocalStorage();
}

/**
 * The SDK's current context storage wrapped for `bridge` (an {@link OpenAIAgentsTracingProcessor}),
 * for installing the context hook by hand: `setTracingContextStorage(createOtelTracingContextStorage(processor))`.
 * `instrumentOpenAIAgents()` does this itself.
 */
export function createOtelTracingContextStorage(bridge: ContextBridge): OtelTracingContextStorage {
  return new OtelTracingContextStorage(currentSdkContextStorage(), bridge);
}

/** Whether `storage` is one of ours. */
export function isOtelTracingContextStorage(storage: unknown): boolean {
  return typeof storage === 'object' && storage !== null && INNER_STORAGE in storage;
}

/** The storage the SDK uses now, as installed (ours or not). */
export function installedSdkContextStorage(): unknown {
  return (globalThis as Record<symbol, unknown>)[SDK_STORAGE_KEY];
}
