import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import type { CompletedTrace } from './CompletedTrace.js';

/**
 * Receives whole traces, in the spirit of the OpenAI Agents SDK's `addTraceProcessor`, fed by
 * `TraceProcessorSpanProcessor` from ordinary OpenTelemetry spans. Every hook is optional.
 *
 * A trace starts when a local root span starts (no parent, or a remote parent) and ends when that
 * span ends. Order per trace: `onTraceStart(root)`, `onSpanStart` for each span (root included),
 * `onSpanEnd` for each span (root last, normally), then `onTraceEnd(trace)` a little later, outside
 * the span's `end()` call. Errors thrown (or promises rejected) by a hook are caught and reported
 * through `diag`; they never reach the app or other processors.
 */
export interface TraceProcessor {
  /** A local root span started (it is not ended yet; read it, do not keep it for long). */
  onTraceStart?(root: ReadableSpan): void;
  /** A span started (not ended yet). Called synchronously inside the tracer: keep it cheap. */
  onSpanStart?(span: ReadableSpan): void;
  /** A span ended. Called synchronously inside `span.end()`: keep it cheap. */
  onSpanEnd?(span: ReadableSpan): void;
  /** The local root ended; called asynchronously with the buffered trace. `forceFlush` awaits it. */
  onTraceEnd?(trace: CompletedTrace): void | Promise<void>;
  /** Called once when the span processor shuts down, after pending `onTraceEnd` calls settle. */
  shutdown?(): Promise<void>;
  /** Called by the span processor's `forceFlush`, after pending `onTraceEnd` calls settle. */
  forceFlush?(): Promise<void>;
}
