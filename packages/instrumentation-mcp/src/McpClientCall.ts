import { startSpan, type AgentSpan } from '@agent-otel/core';
import { context as contextApi, type Context } from '@opentelemetry/api';
import type { InstrumentationHost, McpRequestLike, ProtocolLike } from './internal-types.js';
import { injectIntoRequest } from './propagation.js';
import { describeRequest, outcomeOf } from './request-data.js';
import { MCP_METHOD_NAME_VALUE_INITIALIZE } from '@agent-otel/core/semconv';
import { noteSessionError, noteSessionSuccess } from './session-metrics.js';
import { applyOutcome, enrichEnclosingSpan, findEnclosingSpan } from './span-updates.js';
import { failures, jsonRpcCodeOf } from './utils.js';

/**
 * One outgoing MCP request (`Protocol.request()`): its CLIENT span — or the enclosing `execute_tool`
 * / `mcp_tools` span it enriches — and the request to send, with the trace context in `params._meta`.
 * `succeed` / `fail` never throw and end an owned span exactly once.
 */
export class McpClientCall {
  private constructor(
    private readonly protocol: ProtocolLike,
    private readonly method: string,
    /** The span carrying this request's attributes. */
    readonly span: AgentSpan,
    /** False when the span is an enclosing span this call only enriches (it is not ended here). */
    private readonly owned: boolean,
    /** The context the request is sent in. */
    readonly context: Context,
    /** The request to send: the caller's, or a copy with the trace context in `params._meta`. */
    readonly request: McpRequestLike,
  ) {}

  /** Starts tracing a request; `undefined` when it cannot be traced (no method name). */
  static start(
    host: InstrumentationHost,
    protocol: ProtocolLike,
    request: McpRequestLike,
  ): McpClientCall | undefined {
    const described = describeRequest(protocol, request, 'client');
    if (described === undefined) return undefined;
    const active = contextApi.active();
    const settings = host.settings;
    const enclosing = settings.enrichEnclosingSpans ? findEnclosingSpan(described, active) : undefined;
    let span: AgentSpan;
    let ctx: Context;
    if (enclosing !== undefined) {
      enrichEnclosingSpan(enclosing, described);
      span = enclosing;
      ctx = active;
    } else {
      span = startSpan(described.data, { parent: active, tracer: host.spanTracer });
      ctx = span.context;
    }
    let outgoing = request;
    if (settings.injectContext) {
      failures.guard('injecting trace context into params._meta', () => {
        outgoing = injectIntoRequest(request, ctx);
      });
    }
    return new McpClientCall(protocol, described.method, span, enclosing === undefined, ctx, outgoing);
  }

  /**
   * Records the JSON-RPC id the SDK gave the request: `request()` takes the protocol's next id
   * synchronously, so the id is the counter's value before the call when it moved by exactly one.
   */
  recordRequestId(before: unknown, after: unknown): void {
    if (typeof before === 'number' && after === before + 1) {
      failures.guard('recording the JSON-RPC id', () => applyOutcome(this.span, { requestId: before }));
    }
  }

  /** The response arrived. */
  succeed(result: unknown): void {
    failures.guard('recording the MCP result', () =>
      applyOutcome(this.span, outcomeOf(this.protocol, this.method, result, 'client')),
    );
    noteSessionSuccess(this.protocol);
    if (this.owned) this.span.end();
  }

  /** The request failed: a JSON-RPC error response (`McpError`), a timeout, a closed connection, … */
  fail(error: unknown): void {
    failures.guard('recording the MCP error', () => {
      const code = jsonRpcCodeOf(error);
      if (code === undefined) {
        this.span.setError(error);
      } else {
        applyOutcome(this.span, { responseStatusCode: code });
        this.span.setError(error, String(code));
      }
    });
    // The SDK closes the connection when `initialize` fails: the session ends with this error.
    if (this.method === MCP_METHOD_NAME_VALUE_INITIALIZE) noteSessionError(this.protocol, error);
    if (this.owned) this.span.end();
  }
}
