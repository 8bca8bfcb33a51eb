import { AgentOtelInstrumentation } from '@agent-otel/core/instrumentation';
import { diag } from '@opentelemetry/api';
import type { InstrumentationModuleDefinition } from '@opentelemetry/instrumentation';
import { AgentOtelCallbackHandler } from './AgentOtelCallbackHandler.js';
import { registerWithContextModule, type LangChainContextModule } from './configure-hook.js';
import { currentContextBridge, installContextBridge } from './context-bridge.js';
import type { LangChainInstrumentationConfig } from './types.js';
import { PACKAGE_NAME, PACKAGE_VERSION, SUPPORTED_VERSIONS } from './version.js';

const MODULE_NAME = '@langchain/core';
/** The file of every `@langchain/core` (0.3 and 1.x) that holds its configure hooks and context variables. */
const CONTEXT_FILES = [
  `${MODULE_NAME}/dist/singletons/async_local_storage/context.cjs`,
  `${MODULE_NAME}/dist/singletons/async_local_storage/context.js`,
];

/**
 * Per instance, kept here because `InstrumentationBase` enables (and may patch) from its constructor,
 * before class fields exist.
 */
const handlers = new WeakMap<object, AgentOtelCallbackHandler>();

/**
 * OpenTelemetry instrumentation for LangChain.js and LangGraph.js (`@langchain/core` `>=0.3.0 <2`):
 * when `@langchain/core` is loaded (or its `@langchain/core/context` module is given to
 * `manuallyInstrument`), registers an {@link AgentOtelCallbackHandler} for every run through
 * LangChain's own configure hooks (`registerConfigureHook`), so chains, graphs, agents, models, tools
 * and retrievers are traced without changing a call site. Nothing of LangChain is patched: the
 * handler is a callback handler, and the OpenTelemetry context follows LangChain's run context
 * through its shared AsyncLocalStorage. `disable()` turns the handler into a no-op.
 */
export class LangChainInstrumentation extends AgentOtelInstrumentation<LangChainInstrumentationConfig> {
  constructor(config: LangChainInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  /** The callback handler this instrumentation registers (one per instance). */
  get handler(): AgentOtelCallbackHandler {
    let handler = handlers.get(this);
    if (!handler) {
      handler = new AgentOtelCallbackHandler({}, () => this.tracer);
      handlers.set(this, handler);
    }
    return handler;
  }

  protected override init(): InstrumentationModuleDefinition[] {
    return [this._moduleFilesDefinition(MODULE_NAME, SUPPORTED_VERSIONS, CONTEXT_FILES)];
  }

  override enable(): void {
    super.enable();
    try {
      const handler = handlers.get(this);
      if (handler) handler.enabled = true;
      const bridge = installContextBridge();
      if (bridge) bridge.enabled = true;
    } catch (error) {
      diag.warn(`${PACKAGE_NAME}: could not enable`, error);
    }
  }

  override disable(): void {
    super.disable();
    try {
      const handler = handlers.get(this);
      if (handler) handler.enabled = false;
      const bridge = currentContextBridge();
      if (bridge) bridge.enabled = false;
    } catch (error) {
      diag.warn(`${PACKAGE_NAME}: could not disable`, error);
    }
  }

  protected override _patchModule(moduleExports: unknown): void {
    const handler = this.handler;
    handler.enabled = true;
    registerWithContextModule(moduleExports as LangChainContextModule, handler);
  }

  protected override _unpatchModule(): void {
    // LangChain has no way to remove a configure hook: the handler stays registered and records nothing.
    this.handler.enabled = false;
  }
}
