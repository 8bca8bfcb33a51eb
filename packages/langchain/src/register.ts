import { AgentOtelCallbackHandler } from './AgentOtelCallbackHandler.js';
import { registerWithContextModule, type LangChainContextModule } from './configure-hook.js';
import type { LangChainHandlerOptions } from './types.js';

/** The handler registered for every run by {@link registerLangChainHandler} (one per process). */
const GLOBAL_HANDLER = Symbol.for('agent_otel.langchain.global_handler');

/**
 * Creates a callback handler to pass per call or per runnable:
 *
 * ```ts
 * const handler = createLangChainHandler();
 * await graph.invoke(input, { callbacks: [handler] });
 * ```
 */
export function createLangChainHandler(options?: LangChainHandlerOptions): AgentOtelCallbackHandler {
  return new AgentOtelCallbackHandler(options);
}

/**
 * Registers an {@link AgentOtelCallbackHandler} for every LangChain run, through the configure hooks of
 * the given `@langchain/core/context` module (what `register()` does by itself when the module is
 * loaded through Node's loaders; use this in bundled apps):
 *
 * ```ts
 * import * as langchainContext from '@langchain/core/context';
 * registerLangChainHandler(langchainContext);
 * ```
 *
 * Returns the handler — the one already registered when an earlier call did (`options` then do not
 * apply) — or `undefined` when the module has no configure hooks (a warning says what to do). Never throws.
 */
export function registerLangChainHandler(
  contextModule: LangChainContextModule,
  options?: LangChainHandlerOptions,
): AgentOtelCallbackHandler | undefined {
  const slots = globalThis as Record<symbol, unknown>;
  const handler =
    (slots[GLOBAL_HANDLER] as AgentOtelCallbackHandler | undefined) ?? new AgentOtelCallbackHandler(options);
  if (!registerWithContextModule(contextModule, handler)) return undefined;
  slots[GLOBAL_HANDLER] = handler;
  return handler;
}
