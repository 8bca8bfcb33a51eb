import {
  InstrumentationTracers,
  shouldTraceModelCall,
  startModelCallSpan,
  traceClientCall,
} from '@agent-otel/core/instrumentation';
import { context as contextApi, type Tracer, type TracerProvider } from '@opentelemetry/api';
import {
  InstrumentationBase,
  InstrumentationNodeModuleDefinition,
  isWrapped,
} from '@opentelemetry/instrumentation';
import { startSpeech, startTranscription } from './audio.js';
import { startChatCompletion } from './chat.js';
import { startCompletion } from './completions.js';
import { startEmbeddings } from './embeddings.js';
import type { CreateMethod, Endpoint, Json, ResourceLike } from './internal-types.js';
import { startResponse } from './responses.js';
import type { OpenAIInstrumentationConfig } from './types.js';
import { isRecord } from './utils.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

/** The `openai` versions this instrumentation patches. */
export const SUPPORTED_VERSIONS: readonly string[] = ['>=6.0.0 <8'];

const MODULE_NAME = 'openai';

function member(value: unknown, key: string): Json | undefined {
  const child = isRecord(value) || typeof value === 'function' ? (value as Json)[key] : undefined;
  return isRecord(child) || typeof child === 'function' ? (child as Json) : undefined;
}

function prototypeAt(client: Json, ...path: string[]): Json | undefined {
  let current: Json | undefined = client;
  for (const key of path) current = member(current, key);
  return member(current, 'prototype');
}

/**
 * The patched methods. In `openai` 6 and 7 each resource class is reachable from the `OpenAI` client
 * class (`OpenAI.Chat.Completions`, `OpenAI.Audio.Speech`, ...), so patching the prototypes found there
 * covers every client instance, `AzureOpenAI` included, and the SDK helpers that call these methods
 * (`chat.completions.parse/stream`, `responses.parse/stream`).
 */
const ENDPOINTS: readonly Endpoint[] = [
  {
    method: 'chat.completions.create',
    prototypeOf: (client) => prototypeAt(client, 'Chat', 'Completions'),
    start: startChatCompletion,
  },
  {
    method: 'completions.create',
    prototypeOf: (client) => prototypeAt(client, 'Completions'),
    start: startCompletion,
  },
  {
    method: 'responses.create',
    prototypeOf: (client) => prototypeAt(client, 'Responses'),
    start: startResponse,
  },
  {
    method: 'embeddings.create',
    prototypeOf: (client) => prototypeAt(client, 'Embeddings'),
    start: startEmbeddings,
  },
  {
    method: 'audio.speech.create',
    prototypeOf: (client) => prototypeAt(client, 'Audio', 'Speech'),
    start: startSpeech,
  },
  {
    method: 'audio.transcriptions.create',
    prototypeOf: (client) => prototypeAt(client, 'Audio', 'Transcriptions'),
    start: startTranscription,
  },
];

/** The `OpenAI` client class from CommonJS exports, an ESM namespace (`default`), or the class itself. */
function clientClassOf(moduleExports: unknown): Json | undefined {
  const candidates = [
    member(moduleExports, 'OpenAI'),
    member(member(moduleExports, 'default'), 'OpenAI'),
    member(moduleExports, 'default'),
    isRecord(moduleExports) || typeof moduleExports === 'function' ? (moduleExports as Json) : undefined,
  ];
  return candidates.find((candidate) => candidate !== undefined && member(candidate, 'Chat') !== undefined);
}

/** Module exports given to `manuallyInstrument`, per instance (a field would not exist yet while the base constructor enables). */
const manualExports = new WeakMap<OpenAIInstrumentation, Set<unknown>>();
const tracers = new InstrumentationTracers(PACKAGE_NAME, PACKAGE_VERSION);

/**
 * OpenTelemetry instrumentation for the `openai` Node SDK (`>=6.0.0 <8`): a GenAI span per call of
 * `chat.completions.create`, `completions.create` (legacy), `responses.create`, `embeddings.create`,
 * `audio.speech.create` and `audio.transcriptions.create`, following the GenAI semantic conventions
 * through `@agent-otel/core`.
 * The caller gets the SDK's own `APIPromise` and `Stream` objects back; a streamed call's span ends
 * exactly once, however the stream ends.
 */
export class OpenAIInstrumentation extends InstrumentationBase<OpenAIInstrumentationConfig> {
  constructor(config: OpenAIInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  override setTracerProvider(tracerProvider: TracerProvider): void {
    super.setTracerProvider(tracerProvider);
    tracers.set(this, tracerProvider);
  }

  /** The tracer of the provider given to `setTracerProvider`, else of the global provider. */
  protected override get tracer(): Tracer {
    return tracers.get(this);
  }

  protected override init(): InstrumentationNodeModuleDefinition[] {
    return [
      new InstrumentationNodeModuleDefinition(
        MODULE_NAME,
        [...SUPPORTED_VERSIONS],
        (moduleExports: unknown) => this._patch(moduleExports),
        (moduleExports: unknown) => this._unpatch(moduleExports),
      ),
    ];
  }

  /**
   * Patches an `openai` module that was loaded without the require/import hooks (bundlers, jest, or
   * an ESM app started without the loader hook): pass what `require('openai')` or
   * `import * as openai from 'openai'` gave you, or the `OpenAI` class. Patching twice is harmless.
   */
  manuallyInstrument(moduleExports: unknown): void {
    let set = manualExports.get(this);
    if (!set) {
      set = new Set();
      manualExports.set(this, set);
    }
    set.add(moduleExports);
    this._patch(moduleExports);
  }

  override enable(): void {
    const wasEnabled = this.isEnabled();
    super.enable();
    if (!wasEnabled) for (const moduleExports of manualExports.get(this) ?? []) this._patch(moduleExports);
  }

  override disable(): void {
    const wasEnabled = this.isEnabled();
    super.disable();
    if (wasEnabled) for (const moduleExports of manualExports.get(this) ?? []) this._unpatch(moduleExports);
  }

  private _patch(moduleExports: unknown): unknown {
    const client = clientClassOf(moduleExports);
    if (!client) {
      this._diag.warn('the openai module has no OpenAI client class; nothing patched');
      return moduleExports;
    }
    for (const endpoint of ENDPOINTS) {
      const prototype = endpoint.prototypeOf(client);
      if (typeof prototype?.create === 'function') {
        // _wrap unwraps an earlier wrapper first, so patching twice leaves one layer.
        this._wrap(prototype as { create: CreateMethod }, 'create', (original) =>
          this._traceCreate(endpoint, original),
        );
      } else {
        this._diag.debug(`openai has no ${endpoint.method}; not patched`);
      }
    }
    return moduleExports;
  }

  private _unpatch(moduleExports: unknown): void {
    const client = clientClassOf(moduleExports);
    if (!client) return;
    for (const endpoint of ENDPOINTS) {
      const prototype = endpoint.prototypeOf(client);
      if (isWrapped(prototype?.create)) this._unwrap(prototype as { create: CreateMethod }, 'create');
    }
  }

  private _traceCreate(endpoint: Endpoint, original: CreateMethod): CreateMethod {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the patched method's `this` is the resource
    const instrumentation = this;
    return function patchedCreate(this: ResourceLike, ...args: unknown[]): unknown {
      if (!instrumentation.isEnabled()) return original.apply(this, args);
      const ctx = contextApi.active();
      // Tracing off and no framework span around the call to record onto: the original, untouched.
      if (!shouldTraceModelCall(ctx)) return original.apply(this, args);
      let span;
      let hooks;
      try {
        const call = endpoint.start(args[0], this?._client);
        // Inside a framework's model-call span (e.g. the OpenAI Agents bridge) this records onto that
        // span instead of starting a second one.
        span = startModelCallSpan(call.data, instrumentation.tracer, ctx);
        if (!span) return original.apply(this, args);
        hooks = call.hooks;
      } catch (error) {
        instrumentation._diag.warn(
          `could not start a span for ${endpoint.method}; calling it untraced`,
          error,
        );
        return original.apply(this, args);
      }
      return traceClientCall(span, () => original.apply(this, args), hooks);
    };
  }
}
