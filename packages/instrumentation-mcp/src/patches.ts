/*
 * The patched `Protocol` methods: `request` and `setRequestHandler` (spans), `connect`, `_onclose`
 * and `_onerror` (session metrics). Each checks `isEnabled()` first, falls back to the original on
 * any failure of its own, returns what the SDK returns (same value or a promise settling the same
 * way) and never changes what the caller passed.
 */
import { isThenable } from '@agent-otel/core/instrumentation';
import { context as contextApi } from '@opentelemetry/api';
import type {
  ConnectMethod,
  InstrumentationHost,
  McpRequestLike,
  ProtocolLike,
  RequestHandler,
  RequestHandlerExtraLike,
  RequestMethod,
  SetRequestHandlerMethod,
  TransportEventMethod,
  TransportLike,
} from './internal-types.js';
import { McpClientCall } from './McpClientCall.js';
import { McpServerCall } from './McpServerCall.js';
import { endSession, noteSessionError, startClientSession } from './session-metrics.js';
import { failures } from './utils.js';

const ignore = (): void => undefined;

/** Settles `result` into `onResult` / `onError` and hands back a promise that settles like it. */
function followResult(
  result: unknown,
  onResult: (value: unknown) => void,
  onError: (error: unknown) => void,
) {
  if (!isThenable(result)) {
    onResult(result);
    return result;
  }
  return result.then(
    (value) => {
      onResult(value);
      return value;
    },
    (error: unknown) => {
      onError(error);
      throw error;
    },
  );
}

/** `Protocol.prototype.request`: a CLIENT span per request (or an enriched enclosing span) and `_meta` injection. */
export function patchRequest(host: InstrumentationHost, original: RequestMethod): RequestMethod {
  return function tracedRequest(this: ProtocolLike, request: McpRequestLike, ...rest: unknown[]): unknown {
    if (!host.isEnabled()) return original.call(this, request, ...rest);
    let call: McpClientCall | undefined;
    try {
      call = McpClientCall.start(host, this, request);
    } catch (error) {
      failures.report('starting an MCP client span', error);
    }
    if (call === undefined) return original.call(this, request, ...rest);
    const traced = call;
    const nextId = this._requestMessageId;
    let result: unknown;
    try {
      result = contextApi.with(traced.context, () => original.call(this, traced.request, ...rest));
    } catch (error) {
      traced.fail(error);
      throw error;
    }
    traced.recordRequestId(nextId, this._requestMessageId);
    return followResult(
      result,
      (value) => traced.succeed(value),
      (error) => traced.fail(error),
    );
  };
}

/** Wraps one request handler: a SERVER span per handled request, with the handler running inside it. */
function traceRequestHandler(
  host: InstrumentationHost,
  protocol: ProtocolLike,
  handler: RequestHandler,
): RequestHandler {
  return function tracedRequestHandler(
    this: unknown,
    request: McpRequestLike,
    extra?: RequestHandlerExtraLike,
  ): unknown {
    if (!host.isEnabled()) return handler.call(this, request, extra);
    let call: McpServerCall | undefined;
    try {
      call = McpServerCall.start(host, protocol, request, extra);
    } catch (error) {
      failures.report('starting an MCP server span', error);
    }
    if (call === undefined) return handler.call(this, request, extra);
    const traced = call;
    let result: unknown;
    try {
      result = contextApi.with(traced.context, () => handler.call(this, request, extra));
    } catch (error) {
      traced.fail(error);
      throw error;
    }
    return followResult(
      result,
      (value) => traced.succeed(value),
      (error) => traced.fail(error),
    );
  };
}

/** `Protocol.prototype.setRequestHandler`: registers the handler wrapped by {@link traceRequestHandler}. */
export function patchSetRequestHandler(
  host: InstrumentationHost,
  original: SetRequestHandlerMethod,
): SetRequestHandlerMethod {
  return function tracedSetRequestHandler(
    this: ProtocolLike,
    requestSchema: unknown,
    handler: RequestHandler,
    ...rest: unknown[]
  ): unknown {
    const traced = typeof handler === 'function' ? traceRequestHandler(host, this, handler) : handler;
    return original.call(this, requestSchema, traced, ...rest);
  };
}

/**
 * `Protocol.prototype.connect`: a Client's session starts (a Server's starts at `initialize`). A
 * connect that fails ends the session at once, with the error.
 */
export function patchConnect(host: InstrumentationHost, original: ConnectMethod): ConnectMethod {
  return function tracedConnect(this: ProtocolLike, transport: TransportLike, ...rest: unknown[]): unknown {
    if (!host.isEnabled() || !startClientSession(this, transport)) {
      return original.call(this, transport, ...rest);
    }
    let result: unknown;
    try {
      result = original.call(this, transport, ...rest);
    } catch (error) {
      endSession(this, error);
      throw error;
    }
    return followResult(result, ignore, (error) => endSession(this, error));
  };
}

/** `Protocol.prototype._onclose`, which the SDK calls when the transport closes: the session ends. */
export function patchOnClose(
  host: InstrumentationHost,
  original: TransportEventMethod,
): TransportEventMethod {
  return function tracedOnClose(this: ProtocolLike, ...args: unknown[]): unknown {
    if (host.isEnabled()) endSession(this);
    return original.apply(this, args);
  };
}

/** `Protocol.prototype._onerror`, which receives the errors the SDK reports through `onerror`. */
export function patchOnError(
  host: InstrumentationHost,
  original: TransportEventMethod,
): TransportEventMethod {
  return function tracedOnError(this: ProtocolLike, ...args: unknown[]): unknown {
    if (host.isEnabled()) noteSessionError(this, args[0]);
    return original.apply(this, args);
  };
}
