import {
  AgentOtelInstrumentation,
  getContentPolicy,
  isRecord,
  shouldTraceModelCall,
  startModelCallSpan,
  type ModelCallStart,
} from '@agent-otel/core/instrumentation';
import { type GenerationSpanData } from '@agent-otel/core';
import {
  context as contextApi,
  INVALID_SPAN_CONTEXT,
  trace,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { isWrapped, type InstrumentationModuleDefinition } from '@opentelemetry/instrumentation';
import type {
  MessagesResource,
  RequestOptionsLike,
  ResourceClass,
  SdkCallSpan,
  SdkMethod,
} from './internal-types.js';
import { MessagesCall, requestSpanData, setThinkingAttributes } from './messages.js';
import type { AnthropicInstrumentationConfig } from './types.js';
import { DEFAULT_SDK_SPANS, resolveSdkSpans } from './utils.js';
import { PACKAGE_NAME, PACKAGE_VERSION, SUPPORTED_VERSIONS } from './version.js';

const MODULE_NAME = '@anthropic-ai/sdk';
/** The methods patched on `Messages.prototype` and `BetaMessages.prototype`. */
const PATCHED_METHODS = ['create', 'stream'] as const;
type PatchedMethodName = (typeof PATCHED_METHODS)[number];
/** Name of the SDK's own span for a Messages call. */
const SDK_CALL_SPAN_NAME = 'anthropic.messages.create';
/** Marks a wrapper with the instrumentation that made it, so a second instance does not wrap it again. */
const OWNER = Symbol.for('agent_otel.instrumentation_anthropic.owner');

/** Placeholders this package handed to the SDK in place of its own call span. */
const sdkSpanPlaceholders = new WeakSet<object>();

function isResourceClass(value: unknown): value is ResourceClass {
  return typeof value === 'function' && isRecord((value as { prototype?: unknown }).prototype);
}

/** The `Anthropic` client class of the module's exports (CommonJS exports, an ESM namespace, or the class itself). */
function anthropicClassOf(moduleExports: unknown): Record<string, unknown> | undefined {
  const exported = moduleExports as Record<string, unknown> | undefined;
  const fallback = exported?.default as Record<string, unknown> | undefined;
  const candidates = [exported?.Anthropic, fallback, fallback?.Anthropic, exported];
  return candidates.find(
    (candidate): candidate is Record<string, unknown> =>
      typeof candidate === 'function' && isResourceClass((candidate as { Messages?: unknown }).Messages),
  );
}

/** `Messages` and, where the SDK has it, `Beta.Messages` (`BetaMessages`). */
function messagesClassesOf(moduleExports: unknown): ResourceClass[] {
  const anthropic = anthropicClassOf(moduleExports);
  if (!anthropic) return [];
  const beta = anthropic.Beta as { Messages?: unknown } | undefined;
  return [anthropic.Messages, beta?.Messages].filter(isResourceClass);
}

/** A non-recording span with `spanContext`, for the SDK to propagate and record nothing on. */
function placeholderSpan(spanContext = INVALID_SPAN_CONTEXT): Span {
  return trace.wrapSpanContext(spanContext);
}

/** Request options with a placeholder as the SDK's call span, so the SDK starts no span of its own. */
function withSdkSpanPlaceholder(args: unknown[], span: Span): unknown[] {
  const options = isRecord(args[1]) ? args[1] : undefined;
  const placeholder: SdkCallSpan = { span, name: SDK_CALL_SPAN_NAME, startTime: Date.now() };
  sdkSpanPlaceholders.add(placeholder);
  const callArgs = [...args];
  callArgs[1] = { ...options, __span: placeholder };
  return callArgs;
}

/**
 * OpenTelemetry instrumentation for `@anthropic-ai/sdk` 1.x (`>=1.0.0 <2`): one GenAI `chat` span
 * per `messages.create` / `beta.messages.create` call, and per `messages.stream()` /
 * `beta.messages.stream()` helper (which call `create` themselves). Streams are observed in place;
 * the span ends exactly once whatever way the stream ends. See the README for the attributes.
 */
export class AnthropicInstrumentation extends AgentOtelInstrumentation<AnthropicInstrumentationConfig> {
  constructor(config: AnthropicInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  /** Applies the configuration; `sdkSpans` falls back to `AGENT_OTEL_ANTHROPIC_SDK_SPANS`, then `suppress`. */
  override setConfig(config: AnthropicInstrumentationConfig = {}): void {
    super.setConfig({ ...config, sdkSpans: resolveSdkSpans(config.sdkSpans) });
  }

  protected override init(): InstrumentationModuleDefinition[] {
    return [this._moduleDefinition(MODULE_NAME, SUPPORTED_VERSIONS)];
  }

  protected override _patchModule(moduleExports: unknown): void {
    for (const resource of messagesClassesOf(moduleExports)) {
      for (const name of PATCHED_METHODS) this._patchMethod(resource.prototype, name);
    }
  }

  protected override _unpatchModule(moduleExports: unknown): void {
    for (const resource of messagesClassesOf(moduleExports)) {
      for (const name of PATCHED_METHODS) {
        const current = resource.prototype[name] as Record<symbol, unknown> | undefined;
        if (isWrapped(current) && current?.[OWNER] === this) this._unwrap(resource.prototype, name);
      }
    }
  }

  private _patchMethod(prototype: Record<string, unknown>, name: PatchedMethodName): void {
    const current = prototype[name];
    if (typeof current !== 'function') return;
    const owner = (current as unknown as Record<symbol, unknown>)[OWNER];
    if (isWrapped(current) && owner !== undefined && owner !== this) {
      this._diag.debug(`${name} is already patched by another AnthropicInstrumentation; skipped`);
      return;
    }
    const wrapper = (original: SdkMethod): SdkMethod =>
      name === 'create'
        ? this._traceModelCalls('messages.create', original, (resource: MessagesResource, args, ctx) =>
            this._prepareCall(resource, args, ctx),
          )
        : this._streamWrapper(original);
    const wrapped = this._wrap(prototype, name, wrapper as (original: unknown) => unknown) as unknown;
    if (typeof wrapped === 'function') {
      Object.defineProperty(wrapped, OWNER, { value: this, configurable: true });
    }
  }

  /**
   * `stream`: the helper calls `create` (which makes the span) but starts the SDK's own call span
   * first; with `sdkSpans: 'suppress'` it gets a placeholder instead, which `create` then points at
   * its span. The returned `MessageStream` is the SDK's own, untouched.
   */
  private _streamWrapper(original: SdkMethod): SdkMethod {
    const prepare = (resource: MessagesResource, args: unknown[]) => this._prepareStream(resource, args);
    return function patchedStream(this: MessagesResource, ...args: unknown[]): unknown {
      return original.apply(this, prepare(this, args));
    };
  }

  /** The arguments for `stream`: with a placeholder SDK call span when the SDK's span is suppressed. */
  private _prepareStream(resource: MessagesResource, args: unknown[]): unknown[] {
    try {
      if (
        this.isEnabled() &&
        shouldTraceModelCall() &&
        this._sdkSpans() === 'suppress' &&
        resource?._client?._tracer &&
        !(isRecord(args[1]) && args[1].__span != null)
      ) {
        const parent = trace.getSpanContext(contextApi.active());
        return withSdkSpanPlaceholder(args, placeholderSpan(parent));
      }
    } catch (err) {
      this._reportFailure('could not prepare messages.stream; the SDK may record its own span', err);
    }
    return args;
  }

  private _sdkSpans(): NonNullable<AnthropicInstrumentationConfig['sdkSpans']> {
    return this.getConfig().sdkSpans ?? DEFAULT_SDK_SPANS;
  }

  /**
   * The span of one `messages.create` call, its hooks and the arguments to call the SDK with;
   * `undefined` when the SDK's span is deferred to.
   */
  private _prepareCall(
    resource: MessagesResource,
    args: unknown[],
    ctx: Context,
  ): ModelCallStart<GenerationSpanData> | undefined {
    const client = resource?._client;
    const sdkSpans = this._sdkSpans();
    const sdkTraces = Boolean(client?._tracer);
    if (sdkSpans === 'defer' && sdkTraces) return undefined;
    const [params, options] = args;
    const captureContent = getContentPolicy().mode !== 'NO_CONTENT';
    const data = requestSpanData(
      params,
      client,
      isRecord(options) ? (options as RequestOptionsLike) : undefined,
      captureContent,
    );
    const existingSdkSpan = isRecord(options) ? options.__span : undefined;

    // Inside a framework's model-call span (e.g. an Agents SDK generation), record onto that span.
    const span = startModelCallSpan(data, this.tracer, ctx);
    if (!span) return undefined;
    setThinkingAttributes(span, params);
    let callArgs = args;
    if (sdkSpans === 'suppress' && sdkTraces) {
      const spanForSdk = placeholderSpan(span.otelSpan.spanContext());
      if (isRecord(existingSdkSpan) && sdkSpanPlaceholders.has(existingSdkSpan)) {
        // From the stream() helper: the SDK's trace headers now point at this span.
        existingSdkSpan.span = spanForSdk;
      } else if (existingSdkSpan == null) {
        callArgs = withSdkSpanPlaceholder(args, spanForSdk);
      } else {
        this._diag.debug('messages.create got a span the SDK had already started; it is kept');
      }
    }
    return { span, hooks: new MessagesCall(captureContent), args: callArgs };
  }
}
