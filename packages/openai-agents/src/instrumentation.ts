import { AgentOtelInstrumentation } from '@agent-otel/core/instrumentation';
import type { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { instrumentOpenAIAgents } from './register.js';
import type {
  OpenAIAgentsInstrumentationConfig,
  OpenAIAgentsInstrumentationHandle,
  OpenAIAgentsModule,
} from './types.js';
import { PACKAGE_NAME, PACKAGE_VERSION, SUPPORTED_VERSIONS } from './version.js';

/** The bridge each instance installed (the base constructor enables before subclass fields exist). */
const handles = new WeakMap<OpenAIAgentsInstrumentation, OpenAIAgentsInstrumentationHandle>();

/**
 * The bridge as an OpenTelemetry instrumentation, the shape `@agent-otel/node`'s `register()` (and
 * `registerInstrumentations()`) loads. It patches nothing: when the application loads `@openai/agents`
 * (`require`, or `import` with the loader hook `register()` installs), it calls
 * {@link instrumentOpenAIAgents} on the module, so nothing of the SDK is loaded, and none of its
 * side effects happen, in an application that never loads it. For a module loaded without the hooks
 * (bundlers, jest, an ESM app without the loader hook), pass it as `agentsModule` or to
 * `manuallyInstrument()`.
 */
export class OpenAIAgentsInstrumentation extends AgentOtelInstrumentation<OpenAIAgentsInstrumentationConfig> {
  constructor(config: OpenAIAgentsInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  protected override init(): InstrumentationNodeModuleDefinition[] {
    return [this._moduleDefinition('@openai/agents', SUPPORTED_VERSIONS)];
  }

  /** Installs the bridge on an `@openai/agents` module loaded without the require/import hooks. */
  override manuallyInstrument(agentsModule: OpenAIAgentsModule): void {
    super.manuallyInstrument(agentsModule);
  }

  /** Enables the module hooks, and installs the bridge on `config.agentsModule` when given. Never throws. */
  override enable(): void {
    super.enable();
    const agentsModule = this.getConfig().agentsModule;
    if (agentsModule) this.manuallyInstrument(agentsModule);
  }

  /** Disables the module hooks and removes the bridge as far as the SDK allows (see `uninstrument()`). */
  override disable(): void {
    super.disable();
    this._unpatchModule();
  }

  /** The installed bridge, once `@openai/agents` was loaded (or given). */
  get instrumentation(): OpenAIAgentsInstrumentationHandle | undefined {
    return handles.get(this);
  }

  /** Installs the bridge (once) with the tracer provider given to `setTracerProvider` unless the config names one. */
  protected override _patchModule(agentsModule: unknown): void {
    if (handles.has(this)) return;
    const { agentsModule: _module, enabled: _enabled, ...options } = this.getConfig();
    const handle = instrumentOpenAIAgents(agentsModule as OpenAIAgentsModule, {
      ...options,
      tracerProvider: options.tracerProvider ?? this._tracerProvider,
    });
    handles.set(this, handle);
  }

  protected override _unpatchModule(): void {
    handles.get(this)?.uninstrument();
    handles.delete(this);
  }
}
