import {
  AgentOtelInstrumentation,
  isRecord,
  startModelCallSpan,
  type ModelCallStarter,
} from '@agent-otel/core/instrumentation';
import type { InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import { isWrapped } from '@opentelemetry/instrumentation';
import { startSpeech, startTranscription } from './audio.js';
import { startChatCompletion } from './chat.js';
import { startCompletion } from './completions.js';
import { startEmbeddings } from './embeddings.js';
import type { CreateMethod, Endpoint, Json, ResourceLike } from './internal-types.js';
import { startResponse } from './responses.js';
import type { OpenAIInstrumentationConfig } from './types.js';
import { PACKAGE_NAME, PACKAGE_VERSION, SUPPORTED_VERSIONS } from './version.js';

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

/**
 * OpenTelemetry instrumentation for the `openai` Node SDK (`>=6.0.0 <8`): a GenAI span per call of
 * `chat.completions.create`, `completions.create` (legacy), `responses.create`, `embeddings.create`,
 * `audio.speech.create` and `audio.transcriptions.create`, following the GenAI semantic conventions
 * through `@agent-otel/core`.
 * The caller gets the SDK's own `APIPromise` and `Stream` objects back; a streamed call's span ends
 * exactly once, however the stream ends.
 */
export class OpenAIInstrumentation extends AgentOtelInstrumentation<OpenAIInstrumentationConfig> {
  constructor(config: OpenAIInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  protected override init(): InstrumentationNodeModuleDefinition[] {
    return [this._moduleDefinition(MODULE_NAME, SUPPORTED_VERSIONS)];
  }

  protected override _patchModule(moduleExports: unknown): void {
    const client = clientClassOf(moduleExports);
    if (!client) {
      this._diag.warn('the openai module has no OpenAI client class; nothing patched');
      return;
    }
    for (const endpoint of ENDPOINTS) {
      const prototype = endpoint.prototypeOf(client);
      if (typeof prototype?.create === 'function') {
        // _wrap unwraps an earlier wrapper first, so patching twice leaves one layer.
        this._wrap(prototype as { create: CreateMethod }, 'create', (original) =>
          this._traceModelCalls(endpoint.method, original, this._starter(endpoint)),
        );
      } else {
        this._diag.debug(`openai has no ${endpoint.method}; not patched`);
      }
    }
  }

  protected override _unpatchModule(moduleExports: unknown): void {
    const client = clientClassOf(moduleExports);
    if (!client) return;
    for (const endpoint of ENDPOINTS) {
      const prototype = endpoint.prototypeOf(client);
      if (isWrapped(prototype?.create)) this._unwrap(prototype as { create: CreateMethod }, 'create');
    }
  }

  /**
   * The span of one call of `endpoint`, from its request body and client. Inside a framework's
   * model-call span (e.g. the OpenAI Agents bridge) this records onto that span instead of starting a
   * second one.
   */
  private _starter(endpoint: Endpoint): ModelCallStarter<ResourceLike> {
    return (resource, args, ctx) => {
      const call = endpoint.start(args[0], resource?._client);
      const span = startModelCallSpan(call.data, this.tracer, ctx);
      return span && { span, hooks: call.hooks };
    };
  }
}
