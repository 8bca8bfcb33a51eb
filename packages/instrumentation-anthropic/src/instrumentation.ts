import { getContentPolicy, type AgentSpan, type GenerationSpanData } from '@agent-otel/core';
import {
  InstrumentationTracers,
  shouldTraceModelCall,
  startModelCallSpan,
  traceClientCall,
  type ClientCallHooks,
} from '@agent-otel/core/instrumentation';
import {
  context as contextApi,
  INVALID_SPAN_CONTEXT,
  trace,
  type Context,
  type Span,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import {
  InstrumentationBase,
  InstrumentationNodeModuleDefinition,
  isWrapped,
  type InstrumentationModuleDefinition,
} from '@opentelemetry/instrumentation';
import type {
  MessagesResource,
  RequestOptionsLike,
  ResourceClass,
  SdkCallSpan,
  SdkMethod,
} from './internal-types.js';
import { requestSpanData, setThinkingAttributes } from './request.js';
import { MessagesCall } from './messages-call.js';
import type { AnthropicInstrumentationConfig } from './types.js';
import { DEFAULT_SDK_SPANS, isRecord, resolveSdkSpans } from './utils.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

/** The `@anthropic-ai/sdk` versions this instrumentation patches. */
export const SUPPORTED_VERSIONS: readonly string[] = ['>=1.0.0 <2'];

const MODULE_NAME = '@anthropic-ai/sdk';
/** The methods patched on `Messages.prototype` and `BetaMessages.prototype`. */
const PATCHED_METHODS = ['create', 'stream'] as const;
type PatchedMethod = (typeof PATCHED_METHODS)[number];
/** Name of the SDK's own span for a Messages call. */
const SDK_CALL_SPAN_NAME = 'anthropic.messages.create';
/** Marks a wrapper with the instrumentation that made it, so a second instance does not wrap it again. */
const OWNER = Symbol.for('agent_otel.instrumentation_anthropic.owner');

/** Placeholders this package handed to the SDK in place of its own call span. */
const sdkSpanPlaceholders = new WeakSet<object>();
/** Module exports given to `manuallyInstrument`, per instance (a field would not exist yet while the base constructor enables). */
const manualExports = new WeakMap<AnthropicInstrumentation, Set<object>>();
const tracers = new InstrumentationTracers(PACKAGE_NAME, PACKAGE_VERSION);

/** Everything a traced call needs, computed before the original method runs. */
interface PreparedCall {
  span: AgentSpan<GenerationSpanData>;
  callArgs: unknown[];
  hooks: ClientCallHooks<GenerationSpanData>;
}

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
export class AnthropicInstrumentation extends InstrumentationBase<AnthropicInstrumentationConfig> {
  constructor(config: AnthropicInstrumentationConfig = {}) {
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

  /** Applies the configuration; `sdkSpans` falls back to `AGENT_OTEL_ANTHROPIC_SDK_SPANS`, then `suppress`. */
  override setConfig(config: AnthropicInstrumentationConfig = {}): void {
    super.setConfig({ ...config, sdkSpans: resolveSdkSpans(config.sdkSpans) });
  }

  protected init(): InstrumentationModuleDefinition[] {
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
   * Patches a copy of `@anthropic-ai/sdk` that was loaded without the require / import hooks (e.g.
   * bundled, or imported before registration): pass the module namespace, the CommonJS exports, or
   * the `Anthropic` class. Patching the same module again, or from a second instance, patches once.
   */
  manuallyInstrument(moduleExports: unknown): void {
    if (moduleExports == null || (typeof moduleExports !== 'object' && typeof moduleExports !== 'function')) {
      this._diag.warn('manuallyInstrument: expected the @anthropic-ai/sdk module; ignored');
      return;
    }
    let modules = manualExports.get(this);
    if (!modules) manualExports.set(this, (modules = new Set()));
    modules.add(moduleExports);
    if (this.isEnabled()) this._patch(moduleExports);
  }

  override enable(): void {
    const wasEnabled = this.isEnabled();
    super.enable();
    if (wasEnabled) return;
    for (const moduleExports of manualExports.get(this) ?? []) this._patch(moduleExports);
  }

  override disable(): void {
    const wasEnabled = this.isEnabled();
    super.disable();
    if (!wasEnabled) return;
    for (const moduleExports of manualExports.get(this) ?? []) this._unpatch(moduleExports);
  }

  /** Never throws: a failure leaves the SDK (or part of it) unpatched and working. */
  private _patch<T>(moduleExports: T): T {
    try {
      for (const resource of messagesClassesOf(moduleExports)) {
        for (const name of PATCHED_METHODS) this._patchMethod(resource.prototype, name);
      }
    } catch (err) {
      this._diag.error('could not patch @anthropic-ai/sdk; it runs uninstrumented', err);
    }
    return moduleExports;
  }

  private _unpatch(moduleExports: unknown): void {
    try {
      for (const resource of messagesClassesOf(moduleExports)) {
        for (const name of PATCHED_METHODS) {
          const current = resource.prototype[name] as Record<symbol, unknown> | undefined;
          if (isWrapped(current) && current?.[OWNER] === this) this._unwrap(resource.prototype, name);
        }
      }
    } catch (err) {
      this._diag.error('could not unpatch @anthropic-ai/sdk', err);
    }
  }

  private _patchMethod(prototype: Record<string, unknown>, name: PatchedMethod): void {
    const current = prototype[name];
    if (typeof current !== 'function') return;
    const owner = (current as unknown as Record<symbol, unknown>)[OWNER];
    if (isWrapped(current) && owner !== undefined && owner !== this) {
      this._diag.debug(`${name} is already patched by another AnthropicInstrumentation; skipped`);
      return;
    }
    const wrapper = name === 'create' ? this._createWrapper() : this._streamWrapper();
    const wrapped = this._wrap(prototype, name, wrapper as (original: unknown) => unknown) as unknown;
    if (typeof wrapped === 'function') {
      Object.defineProperty(wrapped, OWNER, { value: this, configurable: true });
    }
  }

  /** `create`: one span per call, ended when the response is parsed or its stream ends. */
  private _createWrapper(): (original: SdkMethod) => SdkMethod {
    const prepare = (resource: MessagesResource, args: unknown[]) => this._prepareCallSafely(resource, args);
    return (original) =>
      function patchedCreate(this: MessagesResource, ...args: unknown[]): unknown {
        const prepared = prepare(this, args);
        if (!prepared) return original.apply(this, args);
        const { span, callArgs, hooks } = prepared;
        return traceClientCall(span, () => original.apply(this, callArgs), hooks);
      };
  }

  /**
   * `stream`: the helper calls `create` (which makes the span) but starts the SDK's own call span
   * first; with `sdkSpans: 'suppress'` it gets a placeholder instead, which `create` then points at
   * its span. The returned `MessageStream` is the SDK's own, untouched.
   */
  private _streamWrapper(): (original: SdkMethod) => SdkMethod {
    const prepare = (resource: MessagesResource, args: unknown[]) =>
      this._prepareStreamSafely(resource, args);
    return (original) =>
      function patchedStream(this: MessagesResource, ...args: unknown[]): unknown {
        return original.apply(this, prepare(this, args));
      };
  }

  /** The call's span and hooks, or `undefined` to run the call untraced (disabled, deferred, or a failure here). */
  private _prepareCallSafely(resource: MessagesResource, args: unknown[]): PreparedCall | undefined {
    if (!this.isEnabled()) return undefined;
    const ctx = contextApi.active();
    if (!shouldTraceModelCall(ctx)) return undefined;
    try {
      return this._prepareCall(resource, args, ctx);
    } catch (err) {
      this._diag.error('could not start the span of messages.create; the call runs untraced', err);
      return undefined;
    }
  }

  /** The arguments for `stream`: with a placeholder SDK call span when the SDK's span is suppressed. */
  private _prepareStreamSafely(resource: MessagesResource, args: unknown[]): unknown[] {
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
      this._diag.error('could not prepare messages.stream; the SDK may record its own span', err);
    }
    return args;
  }

  private _sdkSpans(): NonNullable<AnthropicInstrumentationConfig['sdkSpans']> {
    return this.getConfig().sdkSpans ?? DEFAULT_SDK_SPANS;
  }

  /** Builds the span data, starts the span and the call's hooks; `undefined` when the SDK's span is deferred to. */
  private _prepareCall(resource: MessagesResource, args: unknown[], ctx: Context): PreparedCall | undefined {
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
    return { span, callArgs, hooks: new MessagesCall(captureContent) };
  }
}
