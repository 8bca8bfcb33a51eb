import { diag, type TracerProvider } from '@opentelemetry/api';
import { InstrumentationBase, InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import type { TracingContextStorage, TracingProcessor } from '@openai/agents';
import {
  currentSdkContextStorage,
  installedSdkContextStorage,
  OtelTracingContextStorage,
} from './context-storage.js';
import { OpenAIAgentsTracingProcessor } from './processor.js';
import type {
  InstrumentOpenAIAgentsOptions,
  OpenAIAgentsInstrumentationConfig,
  OpenAIAgentsInstrumentationHandle,
  OpenAIAgentsModule,
  OpenAIExporterMode,
} from './types.js';
import { INSTRUMENTATION_NAME, VERSION } from './version.js';

/** Environment variable of {@link InstrumentOpenAIAgentsOptions.openAIExporter}. */
export const OPENAI_EXPORTER_ENV = 'AGENT_OTEL_OPENAI_AGENTS_EXPORTER';

const PREFIX = '@agent-otel/openai-agents: ';
/** The handle of the bridge installed in this process; shared by every copy of this package. */
const HANDLE_KEY = Symbol.for('agent_otel.openai_agents.handle');
const EXPORTER_MODES: readonly OpenAIExporterMode[] = ['auto', 'keep', 'drop'];

type Holder = Record<symbol, OpenAIAgentsInstrumentationHandle | undefined>;

interface ProcessorList {
  setProcessors(processors: TracingProcessor[]): void;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function readEnv(name: string): string | undefined {
  const value = typeof process === 'undefined' ? undefined : process.env[name];
  return value == null || value.trim() === '' ? undefined : value.trim();
}

function isOpenAIHost(baseURL: string): boolean {
  try {
    return new URL(baseURL).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}

/** `keep` or `drop`, from the option, then the environment, then the `auto` rule. */
export function resolveOpenAIExporterMode(option: OpenAIExporterMode | undefined): 'keep' | 'drop' {
  let mode = option;
  if (mode !== undefined && !EXPORTER_MODES.includes(mode)) {
    diag.warn(`${PREFIX}openAIExporter=${String(mode)} is not one of auto, keep, drop; using auto.`);
    mode = undefined;
  }
  if (mode === undefined) {
    const raw = readEnv(OPENAI_EXPORTER_ENV)?.toLowerCase() as OpenAIExporterMode | undefined;
    if (raw !== undefined && EXPORTER_MODES.includes(raw)) mode = raw;
    else if (raw !== undefined) {
      diag.warn(`${PREFIX}${OPENAI_EXPORTER_ENV}=${raw} is not one of auto, keep, drop; using auto.`);
    }
  }
  if (mode === 'keep' || mode === 'drop') return mode;
  // auto: the exporter can only work with an OpenAI key, and sends to api.openai.com whatever the
  // model's base URL, so an app pointed elsewhere (another provider, a local server) drops it.
  if (readEnv('OPENAI_API_KEY') === undefined) return 'drop';
  const baseURL = readEnv('OPENAI_BASE_URL');
  return baseURL === undefined || isOpenAIHost(baseURL) ? 'keep' : 'drop';
}

/** True when the SDK's default exporter is being registered (`@openai/agents` does it at import). */
function isDefaultExporterRegistration(): boolean {
  const stack = new Error().stack;
  return typeof stack === 'string' && stack.includes('setDefaultOpenAITracingExporter');
}

/**
 * Keeps `processor` registered, first, whatever list `setProcessors` is given later; drops the SDK's
 * default exporter again when a copy of the SDK re-registers it and `dropDefault` is set. Wraps the
 * method on the provider object itself (the SDK offers no hook for this). Returns the undo.
 */
function guardProcessorList(
  provider: ProcessorList,
  processor: OpenAIAgentsTracingProcessor,
  dropDefault: boolean,
): () => void {
  const hadOwn = Object.hasOwn(provider, 'setProcessors');
  const original = provider.setProcessors;
  const guarded = function setProcessors(this: ProcessorList, processors: TracingProcessor[]): void {
    let others: TracingProcessor[];
    try {
      others = Array.isArray(processors) ? processors.filter((item) => item !== processor) : [];
      if (dropDefault && isDefaultExporterRegistration()) {
        diag.debug(`${PREFIX}the SDK registered its default exporter again; dropped (openAIExporter: drop).`);
        others = [];
      }
    } catch (error) {
      diag.warn(`${PREFIX}could not inspect the new trace processors: ${describe(error)}`);
      others = Array.isArray(processors) ? processors : [];
    }
    original.call(this, [processor, ...others]);
    processor.markRegistered();
  };
  provider.setProcessors = guarded;
  return () => {
    if (provider.setProcessors !== guarded) return;
    if (hadOwn) provider.setProcessors = original;
    else delete (provider as Partial<ProcessorList>).setProcessors;
  };
}

function installContextHook(
  agents: OpenAIAgentsModule,
  processor: OpenAIAgentsTracingProcessor,
): (() => void) | undefined {
  if (typeof agents.setTracingContextStorage !== 'function') {
    diag.warn(
      `${PREFIX}this @openai/agents has no setTracingContextStorage(); spans are recorded, but spans of ` +
        'other instrumentations started inside agents and tools will not nest under them.',
    );
    return undefined;
  }
  const inner = currentSdkContextStorage();
  const storage = new OtelTracingContextStorage(inner, processor);
  agents.setTracingContextStorage(storage as TracingContextStorage);
  return () => {
    if (installedSdkContextStorage() === storage) agents.setTracingContextStorage?.(inner);
  };
}

/**
 * Bridges the OpenAI Agents SDK's tracing into OpenTelemetry, once per process (later calls return the
 * first handle): registers an {@link OpenAIAgentsTracingProcessor}, keeps or drops the SDK's default
 * OpenAI exporter (`openAIExporter`), keeps the bridge registered through later `setTraceProcessors()`
 * calls (`keepRegistered`), and makes the OpenTelemetry context follow the SDK's
 * (`propagateContext`). Pass the SDK module: `instrumentOpenAIAgents(await import('@openai/agents'))`.
 * Never throws: a step that fails is reported through `diag.warn` and skipped.
 */
export function instrumentOpenAIAgents(
  agents: OpenAIAgentsModule,
  options: InstrumentOpenAIAgentsOptions = {},
): OpenAIAgentsInstrumentationHandle {
  const holder = globalThis as unknown as Holder;
  const existing = holder[HANDLE_KEY];
  if (existing) {
    diag.debug(`${PREFIX}already instrumented; returning the first handle.`);
    return existing;
  }
  const processor = new OpenAIAgentsTracingProcessor(options);
  const exporterMode = resolveOpenAIExporterMode(options.openAIExporter);
  const undo: (() => void)[] = [];

  const provider = (() => {
    try {
      return agents.getGlobalTraceProvider?.() as Partial<ProcessorList> | undefined;
    } catch {
      return undefined;
    }
  })();
  if (options.keepRegistered !== false) {
    if (typeof provider?.setProcessors === 'function') {
      undo.push(guardProcessorList(provider as ProcessorList, processor, exporterMode === 'drop'));
    } else {
      diag.warn(
        `${PREFIX}no global trace provider found; a later setTraceProcessors() will remove the bridge.`,
      );
    }
  }
  try {
    if (exporterMode === 'drop') agents.setTraceProcessors([processor]);
    else agents.addTraceProcessor(processor);
  } catch (error) {
    diag.warn(`${PREFIX}could not register the trace processor: ${describe(error)}`);
  }

  let propagatesContext = false;
  if (options.propagateContext !== false) {
    try {
      const remove = installContextHook(agents, processor);
      if (remove) {
        undo.push(remove);
        propagatesContext = true;
      }
    } catch (error) {
      diag.warn(`${PREFIX}could not install the context hook: ${describe(error)}`);
    }
  }

  const handle: OpenAIAgentsInstrumentationHandle = {
    processor,
    propagatesContext,
    droppedOpenAIExporter: exporterMode === 'drop',
    uninstrument() {
      for (const step of undo.splice(0).reverse()) {
        try {
          step();
        } catch (error) {
          diag.debug(`${PREFIX}undoing a step failed: ${describe(error)}`);
        }
      }
      processor.disable();
      if (holder[HANDLE_KEY] === handle) delete holder[HANDLE_KEY];
    },
  };
  holder[HANDLE_KEY] = handle;
  return handle;
}

/** The `@openai/agents` versions the bridge supports (its hooks load only these). */
export const SUPPORTED_VERSIONS: readonly string[] = ['>=0.14.0 <1'];

/** Per-instance state (the base constructor enables before subclass fields exist). */
interface InstrumentationState {
  tracerProvider?: TracerProvider;
  handle?: OpenAIAgentsInstrumentationHandle;
}
const states = new WeakMap<OpenAIAgentsInstrumentation, InstrumentationState>();

function stateOf(instrumentation: OpenAIAgentsInstrumentation): InstrumentationState {
  let state = states.get(instrumentation);
  if (!state) {
    state = {};
    states.set(instrumentation, state);
  }
  return state;
}

/**
 * The bridge as an OpenTelemetry instrumentation, the shape `@agent-otel/node`'s `register()` (and
 * `registerInstrumentations()`) loads. It patches nothing: when the application loads `@openai/agents`
 * (`require`, or `import` with the loader hook `register()` installs), it calls
 * {@link instrumentOpenAIAgents} on the module, so nothing of the SDK is loaded, and none of its
 * side effects happen, in an application that never loads it. For a module loaded without the hooks
 * (bundlers, jest, an ESM app without the loader hook), pass it as `agentsModule` or to
 * `manuallyInstrument()`.
 */
export class OpenAIAgentsInstrumentation extends InstrumentationBase<OpenAIAgentsInstrumentationConfig> {
  constructor(config: OpenAIAgentsInstrumentationConfig = {}) {
    super(INSTRUMENTATION_NAME, VERSION, config);
  }

  protected override init(): InstrumentationNodeModuleDefinition[] {
    return [
      new InstrumentationNodeModuleDefinition(
        '@openai/agents',
        [...SUPPORTED_VERSIONS],
        (moduleExports: unknown) => {
          this.install(moduleExports as OpenAIAgentsModule);
          return moduleExports;
        },
        (moduleExports: unknown) => {
          this.uninstall();
          return moduleExports;
        },
      ),
    ];
  }

  /** The tracer provider the bridge's spans go to (and that it flushes); set before the bridge is installed. */
  override setTracerProvider(tracerProvider: TracerProvider): void {
    super.setTracerProvider(tracerProvider);
    stateOf(this).tracerProvider = tracerProvider;
  }

  /** Installs the bridge on an `@openai/agents` module loaded without the require/import hooks. */
  manuallyInstrument(agentsModule: OpenAIAgentsModule): void {
    this.install(agentsModule);
  }

  /** Enables the module hooks, and installs the bridge on `config.agentsModule` when given. Never throws. */
  override enable(): void {
    super.enable();
    const agentsModule = this.getConfig().agentsModule;
    if (agentsModule) this.install(agentsModule);
  }

  /** Disables the module hooks and removes the bridge as far as the SDK allows (see `uninstrument()`). */
  override disable(): void {
    super.disable();
    this.uninstall();
  }

  /** The installed bridge, once `@openai/agents` was loaded (or given). */
  get instrumentation(): OpenAIAgentsInstrumentationHandle | undefined {
    return states.get(this)?.handle;
  }

  private install(agentsModule: OpenAIAgentsModule): void {
    const state = stateOf(this);
    if (state.handle) return;
    try {
      const { agentsModule: _module, enabled: _enabled, ...options } = this.getConfig();
      state.handle = instrumentOpenAIAgents(agentsModule, {
        ...options,
        tracerProvider: options.tracerProvider ?? state.tracerProvider,
      });
    } catch (error) {
      diag.warn(`${PREFIX}could not instrument @openai/agents: ${describe(error)}`);
    }
  }

  private uninstall(): void {
    const state = states.get(this);
    state?.handle?.uninstrument();
    if (state) state.handle = undefined;
  }
}
