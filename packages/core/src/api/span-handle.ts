import type { AttributeValue, Context, Span, TimeInput } from '@opentelemetry/api';
import type { SpanData } from '../kinds/span-data.js';

/**
 * What code records one span through: an `AgentSpan`, or a client's handle on a model-call span it
 * claimed from a framework bridge (`claimModelCallSpan`), which records onto the bridge's span.
 * Adapter hooks take this type, so they work the same on either. No method throws.
 */
export interface SpanHandle<T extends SpanData = SpanData> {
  /** The kind's data; change it through `update()`. */
  readonly spanData: T;
  /** The underlying OTel span (a non-recording span until started, or when tracing is off). */
  readonly otelSpan: Span;
  /** The context in which the span is the active span. */
  readonly context: Context;
  readonly traceId: string;
  readonly spanId: string;
  readonly started: boolean;
  /** True once this handle was ended. */
  readonly ended: boolean;
  /** Merges new data into the span; mapped onto attributes when the span ends. */
  update(patch: Partial<Omit<T, 'type'>>): this;
  /** Marks the span as failed; `errorType` overrides the derived `error.type`. */
  setError(error: unknown, errorType?: string): this;
  /** Sets one attribute directly on the OTel span. */
  setAttribute(key: string, value: AttributeValue): this;
  /** Runs `fn` with the span active. */
  run<R>(fn: () => R): R;
  /** Ends this handle's part of the span (once; later calls do nothing). */
  end(endTime?: TimeInput): void;
}
