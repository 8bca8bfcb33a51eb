import type { InstrumentationConfig } from '@opentelemetry/instrumentation';

/**
 * Configuration of {@link McpInstrumentation}. Tool arguments and results follow
 * `@agent-otel/core`'s content policy (`OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT`); no
 * option here turns content on.
 */
export interface McpInstrumentationConfig extends InstrumentationConfig {
  /**
   * Whether the instrumentation patches `@modelcontextprotocol/sdk` as soon as it is constructed. With
   * `false`, it patches when `enable()` is called (`registerInstrumentations()` and `@agent-otel/node`
   * do that).
   *
   * @default true. There is no environment variable for this option; `OTEL_SDK_DISABLED=true` turns all
   * agent-otel tracing off.
   */
  enabled?: boolean;
  /**
   * When an MCP `tools/call` runs while an agent-otel `execute_tool` span for the same tool is the
   * active span (or a `tools/list` while an `mcp_tools` span is), add the MCP attributes to that span
   * instead of starting a second span, as the MCP semantic conventions ask. `false` always starts a
   * `tools/call {tool}` / `tools/list` CLIENT span (a child of the active span).
   *
   * @default true (no environment variable)
   */
  enrichEnclosingSpans?: boolean;
  /**
   * Inject the active trace context (the fields of the configured propagator: W3C `traceparent`,
   * `tracestate`, `baggage` by default) into `params._meta` of every outgoing request.
   *
   * @default true (no environment variable)
   */
  injectContext?: boolean;
  /**
   * Use the trace context in `params._meta` of an incoming request as the parent of its SERVER span.
   * Malformed values are ignored. With `false`, or when `_meta` carries no valid context, the span is
   * a child of whatever is active (for example an HTTP server span), else the root of a new trace.
   *
   * @default true (no environment variable)
   */
  extractContext?: boolean;
}
