import { InstrumentationTracers } from '@agent-otel/core/instrumentation';
import type { Tracer, TracerProvider } from '@opentelemetry/api';
import {
  InstrumentationBase,
  InstrumentationNodeModuleDefinition,
  InstrumentationNodeModuleFile,
  isWrapped,
} from '@opentelemetry/instrumentation';
import type {
  InstrumentationHost,
  ProtocolClass,
  ProtocolPrototype,
  ResolvedSettings,
} from './internal-types.js';
import { patchRequest, patchSetRequestHandler } from './patches.js';
import { SdkRequireHook } from './SdkRequireHook.js';
import type { McpInstrumentationConfig } from './types.js';
import { PACKAGE_NAME, PACKAGE_VERSION } from './version.js';

/** The `@modelcontextprotocol/sdk` versions this instrumentation patches. */
export const SUPPORTED_MCP_SDK_VERSIONS = ['>=1.10.0 <2'];

/** The SDK file defining `Protocol`, the base class of `Client` and `Server`, in each build. */
const PROTOCOL_FILES = [
  '@modelcontextprotocol/sdk/dist/cjs/shared/protocol.js',
  '@modelcontextprotocol/sdk/dist/esm/shared/protocol.js',
];

const tracers = new InstrumentationTracers(PACKAGE_NAME, PACKAGE_VERSION);

function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key);
}

/**
 * The `Protocol` class from a module's exports: `Protocol` itself (`shared/protocol.js`), or the
 * base class of `Client` / `Server` (`client/index.js`, `server/index.js`).
 */
function protocolClassOf(moduleExports: unknown): ProtocolClass | undefined {
  if (moduleExports == null || (typeof moduleExports !== 'object' && typeof moduleExports !== 'function')) {
    return undefined;
  }
  const exported = moduleExports as Record<string, unknown>;
  const candidates = [exported.Protocol, exported.Client, exported.Server, moduleExports];
  for (const candidate of candidates) {
    if (typeof candidate !== 'function') continue;
    let prototype: unknown = (candidate as { prototype?: unknown }).prototype;
    while (prototype !== null && typeof prototype === 'object' && prototype !== Object.prototype) {
      if (hasOwn(prototype, 'request') && hasOwn(prototype, 'setRequestHandler')) {
        return (prototype as { constructor: ProtocolClass }).constructor;
      }
      prototype = Object.getPrototypeOf(prototype);
    }
  }
  return undefined;
}

/**
 * OpenTelemetry instrumentation for `@modelcontextprotocol/sdk` clients and servers: a CLIENT span
 * per request sent, a SERVER span per request handled, and W3C trace context carried in
 * `params._meta` so both ends form one trace. Spans are agent-otel MCP kinds, mapped by
 * `@agent-otel/core`.
 */
export class McpInstrumentation
  extends InstrumentationBase<McpInstrumentationConfig>
  implements InstrumentationHost
{
  // Both created lazily: the base constructor calls enable() before subclass fields are initialised.
  /** Prototypes patched outside the base class's module hooks (manually, or by the CommonJS hook). */
  private _trackedPrototypes?: Set<ProtocolPrototype>;
  private _requireHook?: SdkRequireHook;

  constructor(config: McpInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  override setTracerProvider(tracerProvider: TracerProvider): void {
    super.setTracerProvider(tracerProvider);
    tracers.set(this, tracerProvider);
  }

  /** The tracer of the provider given to `setTracerProvider`, else of the global provider. */
  get spanTracer(): Tracer {
    return tracers.get(this);
  }

  /** The configuration with defaults applied. */
  get settings(): ResolvedSettings {
    const config = this.getConfig();
    return {
      enrichEnclosingSpans: config.enrichEnclosingSpans !== false,
      injectContext: config.injectContext !== false,
      extractContext: config.extractContext !== false,
    };
  }

  /**
   * The module definitions of the base class. Its import hook patches the ESM build through these;
   * its require hook cannot see this SDK (see {@link SdkRequireHook}), which patches the CommonJS build.
   */
  protected init(): InstrumentationNodeModuleDefinition[] {
    const patch = (moduleExports: unknown): unknown => {
      this._patchPrototype(protocolClassOf(moduleExports)?.prototype);
      return moduleExports;
    };
    const unpatch = (moduleExports: unknown): void => {
      this._unpatchPrototype(protocolClassOf(moduleExports)?.prototype);
    };
    const files = PROTOCOL_FILES.map(
      (file) => new InstrumentationNodeModuleFile(file, SUPPORTED_MCP_SDK_VERSIONS, patch, unpatch),
    );
    return [
      new InstrumentationNodeModuleDefinition(
        '@modelcontextprotocol/sdk',
        SUPPORTED_MCP_SDK_VERSIONS,
        undefined,
        undefined,
        files,
      ),
    ];
  }

  /**
   * Patches an SDK module that was loaded without the require/import hooks (bundlers, jest, ESM
   * without a loader hook). Pass the exports of `@modelcontextprotocol/sdk/shared/protocol.js`,
   * `client/index.js` or `server/index.js` (or an object holding `Protocol`, `Client` or `Server`).
   * Instrument before creating clients and servers: handlers registered earlier are not traced.
   */
  manuallyInstrument(moduleExports: unknown): void {
    const prototype = protocolClassOf(moduleExports)?.prototype;
    if (prototype === undefined) {
      this._diag.warn(
        'manuallyInstrument: no MCP SDK Protocol, Client or Server class found; nothing patched',
      );
      return;
    }
    this._trackAndPatch(prototype);
  }

  override enable(): void {
    super.enable();
    this._requireHook ??= new SdkRequireHook((moduleExports) =>
      this._trackAndPatch(protocolClassOf(moduleExports)?.prototype),
    );
    this._requireHook.start();
    for (const prototype of this._trackedPrototypes ?? []) this._patchPrototype(prototype);
  }

  override disable(): void {
    super.disable();
    this._requireHook?.stop();
    for (const prototype of this._trackedPrototypes ?? []) this._unpatchPrototype(prototype);
  }

  private _trackAndPatch(prototype: ProtocolPrototype | undefined): void {
    if (prototype === undefined) return;
    (this._trackedPrototypes ??= new Set()).add(prototype);
    if (this.isEnabled()) this._patchPrototype(prototype);
  }

  private _patchPrototype(prototype: ProtocolPrototype | undefined): void {
    if (prototype === undefined) {
      this._diag.debug('no Protocol class in the loaded module; not patched');
      return;
    }
    const methods = prototype as Required<ProtocolPrototype>;
    if (typeof methods.request === 'function') {
      this._wrap(methods, 'request', (original) => patchRequest(this, original));
    }
    if (typeof methods.setRequestHandler === 'function') {
      this._wrap(methods, 'setRequestHandler', (original) => patchSetRequestHandler(this, original));
    }
  }

  private _unpatchPrototype(prototype: ProtocolPrototype | undefined): void {
    if (prototype === undefined) return;
    if (isWrapped(prototype.request)) this._unwrap(prototype, 'request');
    if (isWrapped(prototype.setRequestHandler)) this._unwrap(prototype, 'setRequestHandler');
  }
}
