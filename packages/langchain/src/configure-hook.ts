import { diag } from '@opentelemetry/api';
import { installContextBridge, TRACING_ALS_KEY } from './context-bridge.js';
import { PACKAGE_NAME } from './version.js';

/** The context variable the registered configure hook reads the handler from. */
export const HANDLER_CONTEXT_VARIABLE = 'agent_otel_langchain_handler';

/**
 * The functions of `@langchain/core/context` (any copy: ESM or CommonJS build, 0.3 or 1.x) this package
 * registers its handler with.
 */
export interface LangChainContextModule {
  registerConfigureHook?: unknown;
  setContextVariable?: unknown;
}

type RegisterConfigureHook = (config: { contextVar: string; inheritable: boolean }) => void;
type SetContextVariable = (name: string, value: unknown) => void;

// The modules a handler was registered with (one registration per copy of @langchain/core).
const REGISTERED = Symbol.for('agent_otel.langchain.registered_modules');

function registeredModules(): WeakSet<object> {
  const slots = globalThis as Record<symbol, unknown>;
  let set = slots[REGISTERED] as WeakSet<object> | undefined;
  if (set === undefined) {
    set = new WeakSet();
    slots[REGISTERED] = set;
  }
  return set;
}

/**
 * Registers `handler` for every LangChain run, through the configure hooks of one copy of
 * `@langchain/core/context`: a hook on the context variable {@link HANDLER_CONTEXT_VARIABLE}, set in the
 * context bridge's base store so that it reaches every run (see context-bridge.ts). Each copy of
 * `@langchain/core` in the process (its ESM and CommonJS builds) keeps its own hooks: call this for
 * each. Returns false (with a warning naming what to do) when the module has no configure hooks
 * (`@langchain/core` older than 0.3). Never throws.
 */
export function registerWithContextModule(module: LangChainContextModule, handler: object): boolean {
  try {
    const registerHook = module?.registerConfigureHook;
    const setVariable = module?.setContextVariable;
    if (typeof registerHook !== 'function' || typeof setVariable !== 'function') {
      diag.warn(
        `${PACKAGE_NAME}: this @langchain/core has no registerConfigureHook (older than 0.3); its runs are not ` +
          'traced unless the handler is passed in callbacks: [createLangChainHandler()]',
      );
      return false;
    }
    const modules = registeredModules();
    if (modules.has(module as object)) return true;
    const bridge = installContextBridge();
    if (bridge === undefined) return false;
    const storage = (globalThis as Record<symbol, unknown>)[TRACING_ALS_KEY] as { getStore(): unknown };
    // Set the hook and the handler inside the base store, and keep the store they end in as the new base.
    let next: unknown;
    bridge.originalRun.call(storage, bridge.baseStore, () => {
      // Each copy keeps its own hook list (a per-copy symbol); the handler variable is shared by name.
      (registerHook as RegisterConfigureHook)({ contextVar: HANDLER_CONTEXT_VARIABLE, inheritable: true });
      (setVariable as SetContextVariable)(HANDLER_CONTEXT_VARIABLE, handler);
      next = bridge.originalGetStore.call(storage);
    });
    if (next !== undefined) bridge.baseStore = next;
    modules.add(module as object);
    return true;
  } catch (error) {
    diag.warn(
      `${PACKAGE_NAME}: could not register the LangChain callback handler; runs are not traced`,
      error,
    );
    return false;
  }
}
