import { startSpan, type AgentSpan } from '@agent-otel/core';
import { isRecord } from '@agent-otel/core/instrumentation';
import {
  context as contextApi,
  isSpanContextValid,
  trace,
  type Context,
  type SpanContext,
} from '@opentelemetry/api';
import type {
  InstrumentationHost,
  McpRequestLike,
  ProtocolLike,
  RequestHandlerExtraLike,
} from './internal-types.js';
import { extractFromMeta } from './propagation.js';
import { describeRequest, outcomeOf } from './request-data.js';
import { MCP_METHOD_NAME_VALUE_INITIALIZE } from '@agent-otel/core/semconv';
import { noteSessionError, noteSessionSuccess, startServerSession } from './session-metrics.js';
import { applyOutcome } from './span-updates.js';
import { failures, JSONRPC_INTERNAL_ERROR, jsonRpcCodeOf } from './utils.js';

/** The raw `params._meta` of an incoming request: the handler's `extra._meta`, else the parsed params'. */
function metaOf(request: McpRequestLike, extra: RequestHandlerExtraLike | undefined): unknown {
  if (isRecord(extra) && isRecord(extra._meta)) return extra._meta;
  return isRecord(request) && isRecord(request.params) ? request.params._meta : undefined;
}

/**
 * One incoming MCP request being handled: its SERVER span, parented to the client's span through
 * `params._meta` (the ambient context, e.g. an HTTP server span, becomes a link), and the context
 * the handler runs in. `succeed` / `fail` never throw and end the span exactly once.
 */
export class McpServerCall {
  private constructor(
    private readonly protocol: ProtocolLike,
    private readonly method: string,
    readonly span: AgentSpan,
  ) {}

  /** The context the handler runs in: the server span's. */
  get context(): Context {
    return this.span.context;
  }

  /** Starts the server span of a request; `undefined` when it cannot be traced (no method name). */
  static start(
    host: InstrumentationHost,
    protocol: ProtocolLike,
    request: McpRequestLike,
    extra: RequestHandlerExtraLike | undefined,
  ): McpServerCall | undefined {
    const described = describeRequest(protocol, request, 'server', extra);
    if (described === undefined) return undefined;
    if (described.method === MCP_METHOD_NAME_VALUE_INITIALIZE) startServerSession(protocol);
    const active = contextApi.active();
    let parent = active;
    let ambient: SpanContext | undefined;
    if (host.settings.extractContext) {
      const extracted = extractFromMeta(metaOf(request, extra), active);
      parent = extracted.context;
      if (extracted.remoteParent) ambient = trace.getSpanContext(active);
    }
    const span = startSpan(described.data, { parent, tracer: host.spanTracer });
    // In-process transports deliver in the sender's context: the ambient span is then the parent itself.
    if (
      ambient !== undefined &&
      isSpanContextValid(ambient) &&
      ambient.spanId !== trace.getSpanContext(parent)?.spanId
    ) {
      failures.guard('linking the transport context', () => span.otelSpan.addLink?.({ context: ambient }));
    }
    return new McpServerCall(protocol, described.method, span);
  }

  /** The handler returned a result. */
  succeed(result: unknown): void {
    failures.guard('recording the MCP result', () =>
      applyOutcome(this.span, outcomeOf(this.protocol, this.method, result, 'server')),
    );
    noteSessionSuccess(this.protocol);
    this.span.end();
  }

  /** The handler threw: the SDK answers with the error's JSON-RPC code, or `-32603`. */
  fail(error: unknown): void {
    failures.guard('recording the MCP error', () => {
      const code = jsonRpcCodeOf(error) ?? JSONRPC_INTERNAL_ERROR;
      applyOutcome(this.span, { responseStatusCode: code });
      this.span.setError(error, String(code));
    });
    if (this.method === MCP_METHOD_NAME_VALUE_INITIALIZE) noteSessionError(this.protocol, error);
    this.span.end();
  }
}
