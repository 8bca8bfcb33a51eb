import { diag } from '@opentelemetry/api';
import type { TracingContextStorage, TracingProcessor } from '@openai/agents';
import {
  currentSdkContextStorage,
  installedSdkContextStorage,
  OtelTracingContextStorage,
} from './OtelTracingContextStorage.js';
import { OpenAIAgentsTracingProcessor } from './OpenAIAgentsTracingProcessor.js';
import type {
  InstrumentOpenAIAgentsOptions,
  OpenAIAgentsInstrumentationHandle,
  OpenAIAgentsModule,
  OpenAIExporterMode,
} from './types.js';

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
