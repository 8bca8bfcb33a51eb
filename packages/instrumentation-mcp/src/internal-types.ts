/*
 * The parts of `@modelcontextprotocol/sdk` 1.x this instrumentation touches, typed structurally so
 * no SDK version's declarations are needed at run time. Not exported from the package.
 */
import type { Tracer } from '@opentelemetry/api';

/** A JSON-RPC request as `Protocol.request()` and request handlers see it. */
export interface McpRequestLike {
  method?: unknown;
  params?: unknown;
  [key: string]: unknown;
}

/** A transport (`StdioClientTransport`, `StreamableHTTPServerTransport`, …); only fields read here. */
export interface TransportLike {
  sessionId?: unknown;
  /** Negotiated protocol version (HTTP client transports). */
  protocolVersion?: unknown;
  /** Server URL (HTTP and WebSocket client transports). */
  _url?: unknown;
  /** `StdioServerTransport`: the stream it reads requests from (`process.stdin` by default). */
  _stdin?: unknown;
}

/** A `Protocol` instance (`Client` or `Server`); only fields read here. */
export interface ProtocolLike {
  readonly transport?: TransportLike;
  /** The id the next `request()` will use. */
  _requestMessageId?: unknown;
  /** `Server`: its own name and version. */
  _serverInfo?: unknown;
  /** `Client`: the server's name and version, after `initialize`. */
  getServerVersion?: () => unknown;
  /** `Client` only (what tells a client from a server). */
  getServerCapabilities?: () => unknown;
}

/** The `extra` argument of a request handler (`RequestHandlerExtra`); only fields read here. */
export interface RequestHandlerExtraLike {
  sessionId?: unknown;
  requestId?: unknown;
  /** The raw `params._meta` of the request. */
  _meta?: unknown;
  requestInfo?: { headers?: unknown };
}

/** `Protocol.prototype.request`. */
export type RequestMethod = (this: ProtocolLike, request: McpRequestLike, ...rest: unknown[]) => unknown;

/** A request handler as passed to `setRequestHandler`. */
export type RequestHandler = (
  this: unknown,
  request: McpRequestLike,
  extra?: RequestHandlerExtraLike,
) => unknown;

/** `Protocol.prototype.setRequestHandler`. */
export type SetRequestHandlerMethod = (
  this: ProtocolLike,
  requestSchema: unknown,
  handler: RequestHandler,
  ...rest: unknown[]
) => unknown;

/** `Protocol.prototype.connect`. */
export type ConnectMethod = (this: ProtocolLike, transport: TransportLike, ...rest: unknown[]) => unknown;

/** `Protocol.prototype._onclose` / `_onerror`: what the SDK's transport callbacks call. */
export type TransportEventMethod = (this: ProtocolLike, ...args: unknown[]) => unknown;

/** The patched prototype of `Protocol`. */
export interface ProtocolPrototype {
  request?: RequestMethod;
  setRequestHandler?: SetRequestHandlerMethod;
  connect?: ConnectMethod;
  _onclose?: TransportEventMethod;
  _onerror?: TransportEventMethod;
  [key: string]: unknown;
}

/** The `Protocol` class (or a subclass: `Client`, `Server`). */
export interface ProtocolClass {
  prototype: ProtocolPrototype;
}

/** What the patched methods need from the instrumentation. */
export interface InstrumentationHost {
  isEnabled(): boolean;
  readonly settings: ResolvedSettings;
  /** The tracer MCP spans are started with (this package's scope, the instrumentation's provider). */
  readonly spanTracer: Tracer;
}

/** The configuration with defaults applied. */
export interface ResolvedSettings {
  readonly enrichEnclosingSpans: boolean;
  readonly injectContext: boolean;
  readonly extractContext: boolean;
}
