/*
 * Writes MCP request details onto the span that carries them: the request's own span, or — under the
 * MCP conventions' duplicate rule — the enclosing `execute_tool` / `mcp_call` / `mcp_tools` span.
 */
import {
  getCurrentSpan,
  type AgentSpan,
  type FunctionSpanData,
  type McpCallSpanData,
  type McpRequestFields,
  type McpRequestSpanData,
  type McpToolsSpanData,
} from '@agent-otel/core';
import { MCP_METHOD_NAME_VALUE_TOOLS_CALL, MCP_METHOD_NAME_VALUE_TOOLS_LIST } from '@agent-otel/core/semconv';
import { trace, type Context } from '@opentelemetry/api';
import { definedEntries, type DescribedRequest, type McpOutcome } from './request-data.js';

/** Spans that already carry the MCP attributes of one request: a span is enriched at most once. */
const enrichedSpans = new WeakSet<object>();

/** The entries of `source` whose key `target` does not have yet. */
function absentIn(target: object, source: object): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    if (value !== undefined && (target as Record<string, unknown>)[key] === undefined) patch[key] = value;
  }
  return patch;
}

/** The protocol details of a request's span data (no kind, method, names or content). */
function requestFieldsOf(data: DescribedRequest['data']): McpRequestFields {
  const fields: McpRequestFields = {
    side: data.side,
    server: data.server,
    sessionId: data.sessionId,
    protocolVersion: data.protocolVersion,
    requestId: data.requestId,
    networkTransport: data.networkTransport,
    networkProtocolName: data.networkProtocolName,
    serverAddress: data.serverAddress,
    serverPort: data.serverPort,
  };
  return definedEntries(fields);
}

/**
 * The span this client request should enrich instead of starting its own, if any: the innermost
 * agent-otel span, when it is the active OTel span (nothing in between), not yet enriched, and
 * - for `tools/call {tool}`: an `execute_tool {tool}` (function) or client `tools/call {tool}` span;
 * - for `tools/list`: a client `mcp_tools` span (e.g. the OpenAI Agents bridge's list-tools span).
 */
export function findEnclosingSpan(described: DescribedRequest, ctx: Context): AgentSpan | undefined {
  const current = getCurrentSpan(ctx);
  if (current === undefined || !current.started || current.ended || enrichedSpans.has(current))
    return undefined;
  if (trace.getSpan(ctx) !== current.otelSpan) return undefined;
  const data = current.spanData;
  let matches = false;
  if (described.method === MCP_METHOD_NAME_VALUE_TOOLS_CALL) {
    matches =
      (data.type === 'function' && data.name === described.toolName) ||
      (data.type === 'mcp_call' && data.side !== 'server' && data.toolName === described.toolName);
  } else if (described.method === MCP_METHOD_NAME_VALUE_TOOLS_LIST) {
    matches = data.type === 'mcp_tools' && data.side !== 'server';
  }
  return matches ? current : undefined;
}

/** Adds the request's MCP details to an enclosing span; what the span already has is kept. */
export function enrichEnclosingSpan(span: AgentSpan, described: DescribedRequest): void {
  enrichedSpans.add(span);
  const fields = requestFieldsOf(described.data);
  const data = span.spanData;
  const input = described.data.type === 'mcp_call' ? described.data.input : undefined;
  switch (data.type) {
    case 'function':
      (span as AgentSpan<FunctionSpanData>).update({
        mcp: { ...fields, ...data.mcp },
        ...absentIn(data, { input }),
      });
      break;
    case 'mcp_call':
      (span as AgentSpan<McpCallSpanData>).update(absentIn(data, { ...fields, input }));
      break;
    case 'mcp_tools':
      (span as AgentSpan<McpToolsSpanData>).update(absentIn(data, fields));
      break;
    default:
      break;
  }
}

/** Records a request's outcome on its span: new protocol details win, content only fills gaps. */
export function applyOutcome(span: AgentSpan, outcome: McpOutcome): void {
  const { output, toolNames, isError, ...fields } = outcome;
  const data = span.spanData;
  switch (data.type) {
    case 'function':
      (span as AgentSpan<FunctionSpanData>).update({
        mcp: { ...data.mcp, ...fields, ...definedEntries({ isError }) },
        ...absentIn(data, { output }),
      });
      break;
    case 'mcp_call':
      (span as AgentSpan<McpCallSpanData>).update({
        ...fields,
        ...definedEntries({ isError }),
        ...absentIn(data, { output }),
      });
      break;
    case 'mcp_tools':
      (span as AgentSpan<McpToolsSpanData>).update({ ...fields, ...absentIn(data, { result: toolNames }) });
      break;
    case 'mcp_request':
      (span as AgentSpan<McpRequestSpanData>).update(fields);
      break;
    default:
      break;
  }
}
