import { AgentOtelInstrumentation } from '@agent-otel/core/instrumentation';
import type { Tracer } from '@opentelemetry/api';
import { isWrapped, type InstrumentationNodeModuleDefinition } from '@opentelemetry/instrumentation';
import type {
  InstrumentationHost,
  ProtocolClass,
  ProtocolPrototype,
  ResolvedSettings,
} from './internal-types.js';
import { patchConnect, patchOnClose, patchOnError, patchRequest, patchSetRequestHandler } from './patches.js';
import { SdkRequireHook } from './SdkRequireHook.js';
import type { McpInstrumentationConfig } from './types.js';
import { PACKAGE_NAME, PACKAGE_VERSION, SUPPORTED_VERSIONS } from './version.js';

const MODULE_NAME = '@modelcontextprotocol/sdk';
/** The SDK file defining `Protocol`, the base class of `Client` and `Server`, in each build. */
const PROTOCOL_FILES = [
  '@modelcontextprotocol/sdk/dist/cjs/shared/protocol.js',
  '@modelcontextprotocol/sdk/dist/esm/shared/protocol.js',
];

/** The `Protocol` methods patched for the session metrics. */
const SESSION_METHODS = ['connect', '_onclose', '_onerror'] as const;

/** Each instance's CommonJS hook (the base constructor enables before subclass fields exist). */
const requireHooks = new WeakMap<McpInstrumentation, SdkRequireHook>();

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
      if (Object.hasOwn(prototype, 'request') && Object.hasOwn(prototype, 'setRequestHandler')) {
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
 * `@agent-otel/core` (which also records the operation metrics when they end); the session metrics
 * (`mcp.{client,server}.session.duration`) are recorded when a connection closes.
 */
export class McpInstrumentation
  extends AgentOtelInstrumentation<McpInstrumentationConfig>
  implements InstrumentationHost
{
  constructor(config: McpInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  /** The tracer of the provider given to `setTracerProvider`, else of the global provider. */
  get spanTracer(): Tracer {
    return this.tracer;
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
  protected override init(): InstrumentationNodeModuleDefinition[] {
    return [this._moduleFilesDefinition(MODULE_NAME, SUPPORTED_VERSIONS, PROTOCOL_FILES)];
  }

  /**
   * Patches an SDK module that was loaded without the require/import hooks (bundlers, jest, ESM
   * without a loader hook). Pass the exports of `@modelcontextprotocol/sdk/shared/protocol.js`,
   * `client/index.js` or `server/index.js` (or an object holding `Protocol`, `Client` or `Server`).
   * Instrument before creating clients and servers: handlers registered earlier are not traced.
   */
  override manuallyInstrument(moduleExports: unknown): void {
    if (protocolClassOf(moduleExports) === undefined) {
      this._diag.warn(
        'manuallyInstrument: no MCP SDK Protocol, Client or Server class found; nothing patched',
      );
      return;
    }
    super.manuallyInstrument(moduleExports);
  }

  /** Enables the module hooks, and the CommonJS hook that hands over each loaded copy of the SDK. */
  override enable(): void {
    super.enable();
    let hook = requireHooks.get(this);
    if (!hook) {
      hook = new SdkRequireHook((moduleExports) => super.manuallyInstrument(moduleExports));
      requireHooks.set(this, hook);
    }
    hook.start();
  }

  override disable(): void {
    super.disable();
    requireHooks.get(this)?.stop();
  }

  protected override _patchModule(moduleExports: unknown): void {
    const prototype = protocolClassOf(moduleExports)?.prototype;
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
    // Session metrics: a patch each where a session starts, reports an error, and closes.
    if (typeof methods.connect === 'function') {
      this._wrap(methods, 'connect', (original) => patchConnect(this, original));
    }
    if (typeof methods._onclose === 'function') {
      this._wrap(methods, '_onclose', (original) => patchOnClose(this, original));
    }
    if (typeof methods._onerror === 'function') {
      this._wrap(methods, '_onerror', (original) => patchOnError(this, original));
    }
  }

  protected override _unpatchModule(moduleExports: unknown): void {
    const prototype = protocolClassOf(moduleExports)?.prototype;
    if (prototype === undefined) return;
    if (isWrapped(prototype.request)) this._unwrap(prototype, 'request');
    if (isWrapped(prototype.setRequestHandler)) this._unwrap(prototype, 'setRequestHandler');
    for (const name of SESSION_METHODS) {
      if (isWrapped(prototype[name])) this._unwrap(prototype, name);
    }
  }
}
