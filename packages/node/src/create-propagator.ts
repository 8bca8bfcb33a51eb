import type { TextMapPropagator } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { PropagatorName } from './types.js';

/** The composite of the resolved `OTEL_PROPAGATORS`; undefined for `none`. */
export function createPropagator(names: readonly PropagatorName[]): TextMapPropagator | undefined {
  if (names.length === 0) return undefined;
  const propagators = names.map((name) =>
    name === 'tracecontext' ? new W3CTraceContextPropagator() : new W3CBaggagePropagator(),
  );
  return new CompositePropagator({ propagators });
}
