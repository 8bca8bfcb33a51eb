import { trace, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { SEMCONV_SCHEMA_URL } from '../semconv.js';
import { coreState } from '../state.js';
import { VERSION } from '../version.js';

/** The instrumentation scope name of spans made by the manual API. */
export const TRACER_NAME = '@agent-otel/core';

let cachedFor: TracerProvider | undefined;
let cachedTracer: Tracer | undefined;

/**
 * Makes the manual API use this provider instead of the global one (e.g. in tests, or an app with
 * several providers). Pass `undefined` to go back to the global provider.
 */
export function setTracerProvider(provider: TracerProvider | undefined): void {
  coreState().tracerProvider = provider;
}

/** The tracer of the manual API; cached until the provider (or the global provider's delegate) changes. */
export function getTracer(): Tracer {
  const provider = coreState().tracerProvider ?? trace.getTracerProvider();
  // The global provider is a proxy whose delegate changes when an SDK registers; key the cache on it.
  const delegate = (provider as { getDelegate?: () => TracerProvider }).getDelegate?.() ?? provider;
  if (cachedTracer === undefined || cachedFor !== delegate) {
    cachedTracer = provider.getTracer(TRACER_NAME, VERSION, { schemaUrl: SEMCONV_SCHEMA_URL });
    cachedFor = delegate;
  }
  return cachedTracer;
}
