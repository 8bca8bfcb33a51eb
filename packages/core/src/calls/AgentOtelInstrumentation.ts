import {
  context as contextApi,
  diag,
  trace,
  type Context,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import {
  InstrumentationBase,
  InstrumentationNodeModuleDefinition,
  InstrumentationNodeModuleFile,
  type InstrumentationConfig,
} from '@opentelemetry/instrumentation';
import { satisfies } from 'semver';
import type { SpanHandle } from '../api/span-handle.js';
import type { SpanData } from '../kinds/span-data.js';
import { SEMCONV_SCHEMA_URL } from '../semconv.js';
import { traceClientCall, type ClientCallHooks } from './client-call.js';
import { FailureLog } from './FailureLog.js';
import { shouldTraceModelCall } from './model-call-claim.js';

/** An SDK method as it is patched: any receiver, any arguments. */
export type PatchableMethod<This = any> = (this: This, ...args: unknown[]) => unknown;

/** One model-client call about to be traced, as an adapter's start function describes it. */
export interface ModelCallStart<T extends SpanData = SpanData> {
  /** The call's span, from `startModelCallSpan` (a new span, or a framework's span it claimed). */
  span: SpanHandle<T>;
  /** What to record from the result or the stream. */
  hooks?: ClientCallHooks<T>;
  /** The arguments to call the SDK method with, when they differ from the caller's. */
  args?: unknown[];
}

/**
 * Builds the span of one call from the receiver of the patched method, the caller's arguments and the
 * active context; `undefined` runs the call untraced. It may throw: the call then runs untraced.
 */
export type ModelCallStarter<This = any> = (
  self: This,
  args: unknown[],
  ctx: Context,
) => ModelCallStart<any> | undefined;

/** Per-instance state, kept here because `InstrumentationBase` enables from its constructor, before fields exist. */
interface InstrumentationState {
  /** Module exports given to `manuallyInstrument`: patched again on `enable()`, unpatched on `disable()`. */
  readonly modules: Set<object>;
  readonly failures: FailureLog;
  tracer?: Tracer;
  tracerProvider?: TracerProvider;
  /** `module@version` already reported as unsupported. */
  readonly unsupported: Set<string>;
}

const states = new WeakMap<object, InstrumentationState>();

/**
 * The base of agent-otel's client instrumentations: an `InstrumentationBase` that does the setup
 * every adapter needs, so an adapter writes only its module definitions and endpoint patches.
 *
 * - **Module tracking**: modules patched through `manuallyInstrument()` are remembered and patched
 *   again on `enable()`, unpatched on `disable()` (modules loaded through the require/import hooks
 *   are re-patched by `InstrumentationBase` itself).
 * - **`manuallyInstrument(moduleExports)`** for modules the hooks cannot see (bundlers, jest, an ESM
 *   app started without the loader hook).
 * - **Tracer**: `tracer` is the tracer of the provider given to `setTracerProvider()`, else of the
 *   global provider, with the instrumentation's name, version and the semconv schema URL.
 * - **Never throws into user code**: a failure of `_patchModule` / `_unpatchModule` leaves the module
 *   (or the rest of it) as it was and is logged once through `diag`; {@link _traceModelCalls} runs the
 *   call untraced when building its span fails.
 *
 * A subclass writes:
 * ```ts
 * export class AcmeInstrumentation extends AgentOtelInstrumentation<AcmeInstrumentationConfig> {
 *   constructor(config: AcmeInstrumentationConfig = {}) {
 *     super(PACKAGE_NAME, PACKAGE_VERSION, config);
 *   }
 *   protected override init() {
 *     return [this._moduleDefinition('acme-sdk', SUPPORTED_VERSIONS)];
 *   }
 *   protected override _patchModule(moduleExports: unknown): void {
 *     const prototype = completionsPrototypeOf(moduleExports);
 *     this._wrap(prototype, 'create', (original) =>
 *       this._traceModelCalls('completions.create', original, startCompletion));
 *   }
 *   protected override _unpatchModule(moduleExports: unknown): void {
 *     this._unwrap(completionsPrototypeOf(moduleExports), 'create');
 *   }
 * }
 * ```
 */
export abstract class AgentOtelInstrumentation<
  Config extends InstrumentationConfig = InstrumentationConfig,
> extends InstrumentationBase<Config> {
  /**
   * @param instrumentationName the instrumentation scope name (the adapter's `PACKAGE_NAME`).
   * @param instrumentationVersion the scope version (the adapter's `PACKAGE_VERSION`).
   * @param config the adapter's configuration; `enabled` defaults to `true`.
   */
  constructor(instrumentationName: string, instrumentationVersion: string, config: Config) {
    super(instrumentationName, instrumentationVersion, config);
  }

  /**
   * Patches the endpoints of one copy of the instrumented module (CommonJS exports, an ESM namespace,
   * or whatever `manuallyInstrument` was given), with `this._wrap`. Patching an already patched module
   * again must leave one layer (`_wrap` unwraps first). It may throw: the base catches and logs.
   */
  protected abstract _patchModule(moduleExports: unknown): void;

  /** Undoes {@link _patchModule}. It may throw: the base catches and logs. */
  protected abstract _unpatchModule(moduleExports: unknown): void;

  /**
   * Patches a copy of the instrumented module that was loaded without the require/import hooks
   * (bundled, loaded by jest, or imported before registration): pass what `require()` or
   * `import * as` gave you, or the SDK's client class. The module is patched now (while the
   * instrumentation is disabled, its patched methods call the SDK directly), unpatched on `disable()`
   * and patched again on `enable()`. Patching twice is harmless. Never throws.
   */
  manuallyInstrument(moduleExports: unknown): void {
    if (moduleExports == null || (typeof moduleExports !== 'object' && typeof moduleExports !== 'function')) {
      this._diag.warn('manuallyInstrument: expected the module, its namespace or its client class; ignored');
      return;
    }
    this._state().modules.add(moduleExports);
    this._patchSafely(moduleExports);
  }

  /** Enables the require/import hooks and patches again the modules given to `manuallyInstrument`. */
  override enable(): void {
    const wasEnabled = this.isEnabled();
    super.enable();
    if (wasEnabled) return;
    for (const moduleExports of this._state().modules) this._patchSafely(moduleExports);
  }

  /** Unpatches every module, the ones given to `manuallyInstrument` included. */
  override disable(): void {
    const wasEnabled = this.isEnabled();
    super.disable();
    if (!wasEnabled) return;
    for (const moduleExports of this._state().modules) this._unpatchSafely(moduleExports);
  }

  /** Spans are started with a tracer of `tracerProvider` from now on. */
  override setTracerProvider(tracerProvider: TracerProvider): void {
    super.setTracerProvider(tracerProvider);
    const state = this._state();
    state.tracerProvider = tracerProvider;
    state.tracer = this._tracerOf(tracerProvider);
  }

  /** The tracer of the provider given to `setTracerProvider`, else of the global provider. */
  protected override get tracer(): Tracer {
    const state = this._state();
    return (state.tracer ??= this._tracerOf(trace.getTracerProvider()));
  }

  /** The provider given to `setTracerProvider`, if any. */
  protected get _tracerProvider(): TracerProvider | undefined {
    return this._state().tracerProvider;
  }

  /**
   * The definition of a module whose main exports are patched by {@link _patchModule}. A copy of the
   * module outside `supportedVersions` is left unpatched, and said once at warn level (see
   * {@link _isSupported}).
   */
  protected _moduleDefinition(
    moduleName: string,
    supportedVersions: readonly string[],
  ): InstrumentationNodeModuleDefinition {
    return new InstrumentationNodeModuleDefinition(
      moduleName,
      // Every version reaches the patch function, which checks it: `InstrumentationBase` skips an
      // unsupported version at debug level only, and a user would see no spans and no reason.
      ['*'],
      this._versionCheckedPatch(moduleName, supportedVersions),
      (moduleExports: unknown) => this._unpatchSafely(moduleExports, moduleName),
    );
  }

  /**
   * The definition of a module of which the given files (paths inside the package) are patched by
   * {@link _patchModule}; versions as in {@link _moduleDefinition}.
   */
  protected _moduleFilesDefinition(
    moduleName: string,
    supportedVersions: readonly string[],
    files: readonly string[],
  ): InstrumentationNodeModuleDefinition {
    const patch = this._versionCheckedPatch(moduleName, supportedVersions);
    const unpatch = (moduleExports: unknown): void => {
      this._unpatchSafely(moduleExports, moduleName);
    };
    return new InstrumentationNodeModuleDefinition(
      moduleName,
      ['*'],
      undefined,
      undefined,
      files.map((file) => new InstrumentationNodeModuleFile(file, ['*'], patch, unpatch)),
    );
  }

  /** Patches a copy of `moduleName` whose version is supported; returns every copy as it got it. */
  private _versionCheckedPatch(
    moduleName: string,
    supportedVersions: readonly string[],
  ): (moduleExports: unknown, version?: string) => unknown {
    return (moduleExports, version) =>
      this._isSupported(moduleName, version, supportedVersions)
        ? this._patchSafely(moduleExports, moduleName)
        : moduleExports;
  }

  /**
   * True when `version` of `moduleName` is in `supportedVersions` (semver ranges, prereleases not
   * included, as `InstrumentationBase` checks them), or unknown. Otherwise warns once per module and version, naming the range, and the
   * module stays unpatched.
   */
  private _isSupported(
    moduleName: string,
    version: string | undefined,
    supportedVersions: readonly string[],
  ): boolean {
    if (version === undefined) return true;
    try {
      if (supportedVersions.some((range) => satisfies(version, range))) return true;
      const unsupported = this._state().unsupported;
      const key = `${moduleName}@${version}`;
      if (!unsupported.has(key)) {
        unsupported.add(key);
        diag.warn(
          `${this.instrumentationName}: ${moduleName} ${version} is installed, outside the supported range ` +
            `${supportedVersions.join(' || ')}; its calls are not traced. Install a version of ${moduleName} ` +
            `in that range, or a release of ${this.instrumentationName} that supports ${version}.`,
        );
      }
      return false;
    } catch {
      return true;
    }
  }

  /**
   * The patched version of an SDK method that makes one model call: when the instrumentation is
   * enabled and the call is to be traced (`shouldTraceModelCall`), `start` gives the call's span, and
   * the original runs inside it through `traceClientCall`, which returns the SDK's own promise or
   * stream object and ends the span exactly once. When `start` throws, the failure is logged once and
   * the original runs untraced, with the caller's arguments. `method` names the method in that log.
   */
  protected _traceModelCalls<This>(
    method: string,
    original: PatchableMethod<This>,
    start: ModelCallStarter<This>,
  ): PatchableMethod<This> {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the patched method's `this` is the SDK resource
    const instrumentation = this;
    const failure = `could not start a span for ${method}; calling it untraced`;
    return function tracedModelCall(this: This, ...args: unknown[]): unknown {
      if (!instrumentation.isEnabled()) return original.apply(this, args);
      const ctx = contextApi.active();
      // Tracing off and no framework span around the call to record onto: the original, untouched.
      if (!shouldTraceModelCall(ctx)) return original.apply(this, args);
      let call: ModelCallStart<any> | undefined;
      try {
        call = start(this, args, ctx);
      } catch (error) {
        instrumentation._reportFailure(failure, error);
        return original.apply(this, args);
      }
      if (call === undefined) return original.apply(this, args);
      const callArgs = call.args ?? args;
      return traceClientCall(call.span, () => original.apply(this, callArgs), call.hooks);
    };
  }

  /**
   * Logs a failure of this instrumentation's own code that was caught so the user's call could go
   * on: the first time per message through `diag.warn`, later at debug level. Never throws.
   */
  protected _reportFailure(message: string, error: unknown): void {
    this._state().failures.report(message, error);
  }

  private _patchSafely(moduleExports: unknown, moduleName?: string): unknown {
    try {
      this._patchModule(moduleExports);
    } catch (error) {
      this._reportFailure(
        `could not patch ${moduleName ?? this._moduleNames()}; it runs uninstrumented`,
        error,
      );
    }
    return moduleExports;
  }

  private _unpatchSafely(moduleExports: unknown, moduleName?: string): void {
    try {
      this._unpatchModule(moduleExports);
    } catch (error) {
      this._reportFailure(`could not unpatch ${moduleName ?? this._moduleNames()}`, error);
    }
  }

  /** The names of the instrumented modules, for a log message. */
  private _moduleNames(): string {
    try {
      return this.getModuleDefinitions()
        .map((definition) => definition.name)
        .join(', ');
    } catch {
      return this.instrumentationName;
    }
  }

  private _tracerOf(provider: TracerProvider): Tracer {
    return provider.getTracer(this.instrumentationName, this.instrumentationVersion, {
      schemaUrl: SEMCONV_SCHEMA_URL,
    });
  }

  private _state(): InstrumentationState {
    let state = states.get(this);
    if (!state) {
      state = { modules: new Set(), failures: new FailureLog(this._diag), unsupported: new Set() };
      states.set(this, state);
    }
    return state;
  }
}
