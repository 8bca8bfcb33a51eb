/*
 * Builds the agent-otel span data of one MCP request from what the SDK exposes: the method and
 * params, the Protocol instance and its transport, the handler's `extra`, and the result. Core maps
 * the data onto attributes (`mcp.*`, `jsonrpc.request.id`, `network.*`, `server.*` / `client.*`).
 */
import {
  MCP_METHOD_NAME_VALUE_COMPLETION_COMPLETE,
  MCP_METHOD_NAME_VALUE_INITIALIZE,
  MCP_METHOD_NAME_VALUE_PROMPTS_GET,
  MCP_METHOD_NAME_VALUE_RESOURCES_READ,
  MCP_METHOD_NAME_VALUE_RESOURCES_SUBSCRIBE,
  MCP_METHOD_NAME_VALUE_RESOURCES_UNSUBSCRIBE,
  MCP_METHOD_NAME_VALUE_TOOLS_CALL,
  MCP_METHOD_NAME_VALUE_TOOLS_LIST,
  NETWORK_PROTOCOL_NAME_VALUE_HTTP,
  NETWORK_PROTOCOL_NAME_VALUE_WEBSOCKET,
  NETWORK_TRANSPORT_VALUE_PIPE,
  NETWORK_TRANSPORT_VALUE_TCP,
} from '@agent-otel/core/semconv';
import { isRecord, serverAddressFromURL } from '@agent-otel/core/instrumentation';
import {
  type McpCallSpanData,
  type McpRequestFields,
  type McpRequestSpanData,
  type McpToolCallFields,
  type McpToolsSpanData,
} from '@agent-otel/core';
import type {
  McpRequestLike,
  ProtocolLike,
  RequestHandlerExtraLike,
  TransportLike,
} from './internal-types.js';
import { boundedString, MAX_LISTED_TOOLS, MAX_NAME_LENGTH, MAX_VALUE_LENGTH, requestIdOf } from './utils.js';

/** Which end of the request a span describes. */
export type McpSide = 'client' | 'server';

/** The span data of one request, with what the duplicate rule needs to know. */
export interface DescribedRequest {
  method: string;
  /** `tools/call` only: the tool's name (`''` when the request names none). */
  toolName?: string;
  data: McpCallSpanData | McpToolsSpanData | McpRequestSpanData;
}

/** What a finished request adds to its span. */
export interface McpOutcome extends McpToolCallFields {
  /** `tools/call` result; content. */
  output?: unknown;
  /** `tools/list` result: the tool names. */
  toolNames?: string[];
}

/** What `initialize` taught about one Protocol instance (one connection). */
interface SessionState {
  protocolVersion?: string;
  serverName?: string;
}

const sessions = new WeakMap<object, SessionState>();

function remember(protocol: ProtocolLike, state: SessionState): void {
  sessions.set(protocol, { ...sessions.get(protocol), ...definedEntries(state) });
}

/** `object` without its `undefined` entries. */
export function definedEntries<T extends object>(object: T): Partial<T> {
  const out: Partial<T> = {};
  for (const key of Object.keys(object) as (keyof T)[]) {
    if (object[key] !== undefined) out[key] = object[key];
  }
  return out;
}

const PIPE_TRANSPORTS = new Set(['StdioClientTransport', 'StdioServerTransport']);
const HTTP_TRANSPORTS = new Set([
  'StreamableHTTPClientTransport',
  'StreamableHTTPServerTransport',
  'WebStandardStreamableHTTPServerTransport',
  'SSEClientTransport',
  'SSEServerTransport',
]);
const WEBSOCKET_TRANSPORTS = new Set(['WebSocketClientTransport']);

/**
 * `network.*` (and, on the client, `server.*`) of a transport, recognised by its class name or,
 * for renamed/bundled classes, by its URL. Unknown transports (in-memory, custom) give nothing.
 */
export function transportDetails(transport: TransportLike | undefined, side: McpSide): McpRequestFields {
  if (transport == null || typeof transport !== 'object') return {};
  const className = (transport.constructor as { name?: unknown } | undefined)?.name;
  const name = typeof className === 'string' ? className : '';
  if (PIPE_TRANSPORTS.has(name)) return { networkTransport: NETWORK_TRANSPORT_VALUE_PIPE };
  const url = transport._url instanceof URL ? transport._url : undefined;
  let details: McpRequestFields;
  if (HTTP_TRANSPORTS.has(name) || url?.protocol === 'http:' || url?.protocol === 'https:') {
    details = {
      networkTransport: NETWORK_TRANSPORT_VALUE_TCP,
      networkProtocolName: NETWORK_PROTOCOL_NAME_VALUE_HTTP,
    };
  } else if (WEBSOCKET_TRANSPORTS.has(name) || url?.protocol === 'ws:' || url?.protocol === 'wss:') {
    details = {
      networkTransport: NETWORK_TRANSPORT_VALUE_TCP,
      networkProtocolName: NETWORK_PROTOCOL_NAME_VALUE_WEBSOCKET,
    };
  } else {
    return {};
  }
  return side === 'client' && url ? { ...details, ...serverAddressFromURL(url) } : details;
}

/**
 * The protocol version of a Client's / Server's session: negotiated by `initialize`, else the one an
 * HTTP client transport was given.
 */
export function negotiatedProtocolVersion(
  protocol: ProtocolLike,
  transport: TransportLike | undefined,
): string | undefined {
  return sessions.get(protocol)?.protocolVersion ?? boundedString(transport?.protocolVersion, 64);
}

/** The transport a Client / Server is connected to (`undefined` before `connect` and after close). */
export function transportOf(protocol: ProtocolLike): TransportLike | undefined {
  try {
    return protocol.transport;
  } catch {
    return undefined;
  }
}

function nameOf(info: unknown): string | undefined {
  return isRecord(info) ? boundedString(info.name, MAX_NAME_LENGTH) : undefined;
}

/** The MCP server's name: from `initialize`, else what the Server / Client object knows. */
function serverNameOf(protocol: ProtocolLike, side: McpSide): string | undefined {
  const known = sessions.get(protocol)?.serverName;
  if (known !== undefined) return known;
  try {
    if (side === 'server') return nameOf(protocol._serverInfo);
    return typeof protocol.getServerVersion === 'function' ? nameOf(protocol.getServerVersion()) : undefined;
  } catch {
    return undefined;
  }
}

/** The `mcp-protocol-version` header of an HTTP request (sent on every request after `initialize`). */
function headerProtocolVersion(extra: RequestHandlerExtraLike | undefined): string | undefined {
  const headers = extra?.requestInfo?.headers;
  if (!isRecord(headers)) return undefined;
  const value = headers['mcp-protocol-version'];
  return boundedString(Array.isArray(value) ? value[0] : value, 64);
}

function promptNameOf(method: string, params: Record<string, unknown>): string | undefined {
  if (method === MCP_METHOD_NAME_VALUE_PROMPTS_GET) return boundedString(params.name, MAX_NAME_LENGTH);
  if (method === MCP_METHOD_NAME_VALUE_COMPLETION_COMPLETE && isRecord(params.ref)) {
    if (params.ref.type === 'ref/prompt') return boundedString(params.ref.name, MAX_NAME_LENGTH);
  }
  return undefined;
}

function resourceUriOf(method: string, params: Record<string, unknown>): string | undefined {
  switch (method) {
    case MCP_METHOD_NAME_VALUE_RESOURCES_READ:
    case MCP_METHOD_NAME_VALUE_RESOURCES_SUBSCRIBE:
    case MCP_METHOD_NAME_VALUE_RESOURCES_UNSUBSCRIBE:
      return boundedString(params.uri);
    default:
      return undefined;
  }
}

/**
 * The span data of a request about to be sent (`client`) or handled (`server`); `undefined` when
 * the request has no method name (then it is not traced).
 */
export function describeRequest(
  protocol: ProtocolLike,
  request: McpRequestLike,
  side: McpSide,
  extra?: RequestHandlerExtraLike,
): DescribedRequest | undefined {
  if (!isRecord(request)) return undefined;
  const method = boundedString(request.method, MAX_NAME_LENGTH);
  if (method === undefined) return undefined;
  const params = isRecord(request.params) ? request.params : {};
  const transport = transportOf(protocol);
  const session = sessions.get(protocol);
  const fields: McpRequestFields = {
    side,
    server: serverNameOf(protocol, side),
    sessionId: boundedString(
      side === 'server' ? (extra?.sessionId ?? transport?.sessionId) : transport?.sessionId,
    ),
    protocolVersion:
      (method === MCP_METHOD_NAME_VALUE_INITIALIZE ? boundedString(params.protocolVersion, 64) : undefined) ??
      session?.protocolVersion ??
      (side === 'server' ? headerProtocolVersion(extra) : boundedString(transport?.protocolVersion, 64)),
    requestId: side === 'server' ? requestIdOf(extra?.requestId) : undefined,
    ...transportDetails(transport, side),
  };
  const common = definedEntries(fields);
  switch (method) {
    case MCP_METHOD_NAME_VALUE_TOOLS_CALL: {
      const toolName = boundedString(params.name, MAX_NAME_LENGTH) ?? '';
      return { method, toolName, data: { type: 'mcp_call', toolName, input: params.arguments, ...common } };
    }
    case MCP_METHOD_NAME_VALUE_TOOLS_LIST:
      return { method, data: { type: 'mcp_tools', ...common } };
    default:
      return {
        method,
        data: {
          type: 'mcp_request',
          method,
          ...definedEntries({
            promptName: promptNameOf(method, params),
            resourceUri: resourceUriOf(method, params),
          }),
          ...common,
        },
      };
  }
}

function toolNamesOf(result: Record<string, unknown>): string[] | undefined {
  if (!Array.isArray(result.tools)) return undefined;
  const names: string[] = [];
  for (const tool of result.tools.slice(0, MAX_LISTED_TOOLS)) {
    const name = isRecord(tool) ? boundedString(tool.name, MAX_NAME_LENGTH) : undefined;
    if (name !== undefined) names.push(name);
  }
  return names;
}

/** The tool result as recorded (content): the result without its `_meta`. */
function toolResultContent(result: Record<string, unknown>): Record<string, unknown> {
  const { _meta: _ignored, ...rest } = result;
  return rest;
}

/**
 * What the successful `result` of `method` adds to the span, and what `initialize` teaches about
 * the connection (kept for the later requests of the same Client / Server).
 */
export function outcomeOf(
  protocol: ProtocolLike,
  method: string,
  result: unknown,
  side: McpSide,
): McpOutcome {
  const outcome: McpOutcome = {};
  if (side === 'client') {
    // An HTTP session id is assigned by the `initialize` response.
    const sessionId = boundedString(transportOf(protocol)?.sessionId, MAX_VALUE_LENGTH);
    if (sessionId !== undefined) outcome.sessionId = sessionId;
  }
  if (!isRecord(result)) return outcome;
  switch (method) {
    case MCP_METHOD_NAME_VALUE_TOOLS_CALL:
      if (result.isError === true) outcome.isError = true;
      outcome.output = toolResultContent(result);
      break;
    case MCP_METHOD_NAME_VALUE_TOOLS_LIST:
      outcome.toolNames = toolNamesOf(result);
      break;
    case MCP_METHOD_NAME_VALUE_INITIALIZE: {
      const protocolVersion = boundedString(result.protocolVersion, 64);
      const serverName = side === 'client' ? nameOf(result.serverInfo) : serverNameOf(protocol, side);
      remember(protocol, { protocolVersion, serverName });
      outcome.protocolVersion = protocolVersion;
      outcome.server = serverName;
      break;
    }
    default:
      break;
  }
  return definedEntries(outcome);
}
