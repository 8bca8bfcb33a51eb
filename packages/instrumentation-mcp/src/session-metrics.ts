/*
 * MCP session durations (`mcp.client.session.duration`, `mcp.server.session.duration`), recorded
 * through core's `recordMcpSessionDuration` exactly once per session. A session is one connection
 * of one `Client` or `Server`:
 * - client: from `connect()` (transport start and `initialize` included) to the close of its transport;
 * - server: from the `initialize` request it handles to the close of its transport, or, over stdio,
 *   the end of its input (the client closed the pipe; the SDK's stdio server transport never closes
 *   by itself). A stateless Streamable HTTP server (no session id) has no session.
 * It ended with an error when the SDK reported one (`onerror`: transport failures, undeliverable
 * messages) that no successful request followed, or when `initialize` failed.
 * Nothing here throws: every entry point is guarded, and the SDK's callbacks run as before.
 */
import { recordMcpSessionDuration } from '@agent-otel/core/instrumentation';
import type { ProtocolLike, TransportLike } from './internal-types.js';
import { negotiatedProtocolVersion, transportDetails, transportOf, type McpSide } from './request-data.js';
import { failures, mcpErrorType } from './utils.js';

/** One open session of a Client or Server. */
interface OpenSession {
  readonly side: McpSide;
  /** `performance.now()` when it started. */
  readonly startedAt: number;
  /** The transport it runs on (the Protocol forgets its transport while closing). */
  readonly transport: TransportLike | undefined;
  /** `error.type` of the last error reported that no successful request followed. */
  errorType?: string;
  /** Stops watching a stdio server's input. */
  unwatch?: () => void;
}

/** The open session of each Client / Server (one at a time: the SDK connects one transport at a time). */
const openSessions = new WeakMap<object, OpenSession>();

/** Streamable HTTP server transports: stateless (one request each) when they have no session id. */
const HTTP_SERVER_TRANSPORTS = new Set([
  'StreamableHTTPServerTransport',
  'WebStandardStreamableHTTPServerTransport',
]);

/** An event emitter's `once` / `off`, as far as they are needed here. */
interface Emitter {
  once(event: string, listener: () => void): unknown;
  off(event: string, listener: () => void): unknown;
}

function classNameOf(value: object): string {
  const name = (value.constructor as { name?: unknown } | undefined)?.name;
  return typeof name === 'string' ? name : '';
}

function isEmitter(value: unknown): value is Emitter {
  return (
    value != null &&
    typeof (value as Emitter).once === 'function' &&
    typeof (value as Emitter).off === 'function'
  );
}

/** A `Client` (the SDK's `Server` has no `getServerCapabilities`). */
function isClient(protocol: ProtocolLike): boolean {
  return typeof protocol.getServerCapabilities === 'function';
}

/**
 * `Protocol.connect(transport)` is about to run: a Client's session starts. False when no session
 * was started (a Server, or a Protocol already connected, which the SDK refuses).
 */
export function startClientSession(protocol: ProtocolLike, transport: unknown): boolean {
  let started = false;
  failures.guard('starting an MCP session', () => {
    if (!isClient(protocol) || transportOf(protocol) !== undefined) return;
    const onTransport = transport !== null && typeof transport === 'object' ? transport : undefined;
    openSessions.set(protocol, { side: 'client', startedAt: performance.now(), transport: onTransport });
    started = true;
  });
  return started;
}

/** A Server handles `initialize`: its session starts, unless one is open or the transport is stateless. */
export function startServerSession(protocol: ProtocolLike): void {
  failures.guard('starting an MCP session', () => {
    if (openSessions.has(protocol)) return;
    const transport = transportOf(protocol);
    if (transport == null) return;
    if (HTTP_SERVER_TRANSPORTS.has(classNameOf(transport)) && transport.sessionId == null) return;
    const session: OpenSession = { side: 'server', startedAt: performance.now(), transport };
    const input = transport._stdin;
    if (classNameOf(transport) === 'StdioServerTransport' && isEmitter(input)) {
      // 'end' after the last byte was read; 'close' also when the stream is destroyed without it.
      const onEnd = () => endSession(protocol);
      input.once('end', onEnd);
      input.once('close', onEnd);
      session.unwatch = () => {
        input.off('end', onEnd);
        input.off('close', onEnd);
      };
    }
    openSessions.set(protocol, session);
  });
}

/** An error the session may end with: the SDK's `onerror`, or a failed `initialize`. */
export function noteSessionError(protocol: ProtocolLike, error: unknown): void {
  failures.guard('recording an MCP session error', () => {
    const session = openSessions.get(protocol);
    if (session !== undefined) session.errorType = mcpErrorType(error);
  });
}

/** A request completed: the connection works, whatever error came before. */
export function noteSessionSuccess(protocol: ProtocolLike): void {
  const session = openSessions.get(protocol);
  if (session !== undefined && session.errorType !== undefined) session.errorType = undefined;
}

/** The session ends now (its transport closed); recorded once, later calls do nothing. */
export function endSession(protocol: ProtocolLike, error?: unknown): void {
  failures.guard('recording an MCP session', () => {
    const session = openSessions.get(protocol);
    if (session === undefined) return;
    openSessions.delete(protocol);
    session.unwatch?.();
    if (error !== undefined) session.errorType = mcpErrorType(error);
    const { networkTransport, networkProtocolName, serverAddress, serverPort } = transportDetails(
      session.transport,
      session.side,
    );
    recordMcpSessionDuration({
      side: session.side,
      seconds: (performance.now() - session.startedAt) / 1000,
      protocolVersion: negotiatedProtocolVersion(protocol, session.transport),
      networkTransport,
      networkProtocolName,
      serverAddress,
      serverPort,
      errorType: session.errorType,
    });
  });
}
