import { diag, trace, type Tracer, type TracerProvider } from '@opentelemetry/api';
import { SEMCONV_SCHEMA_URL } from '../semconv.js';
import { coreState } from '../state.js';
import { VERSION } from '../version.js';

/** The instrumentation scope name of spans made by the manual API. */
export const TRACER_NAME = '@agent-otel/core';

let cachedFor: TracerProvider | undefined;
let cachedTracer: Tracer | undefined;

/**
 * Makes the manual API use this provider instead of the global one (e.g. in tests, or an app with
 * several providers). Pass `undefined` to go back to the global provider. A value that is not a
 * tracer provider (no `getTracer` function) is ignored with a warning.
 */
export function setTracerProvider(provider: TracerProvider | undefined): void {
  if (provider == null) {
    coreState().tracerProvider = undefined;
    return;
  }
  let isProvider = false;
  try {
    isProvider = typeof provider.getTracer === 'function';
  } catch {
    // A revoked Proxy or a throwing getter: not a provider.
  }
  if (!isProvider) {
    diag.warn(
      'agent-otel: setTracerProvider was given a value that is not a TracerProvider (no getTracer method); ' +
        'the manual API keeps its current provider. Pass an OpenTelemetry TracerProvider, or undefined for the global one.',
    );
    return;
  }
  coreState().tracerProvider = provider;
}

/** The tracer of the manual API; cached until the provider (or the global provider's delegate) changes. */
export function getTracer(): Tracer {
  const provider = coreState().tracerProvider ?? trace.getTracerProvider();
  try {
    return tracerOf(provider);
  } catch (error) {
    if (provider === trace.getTracerProvider()) throw error;
    // A provider that worked when it was set but throws now: drop it for the global one, once.
    diag.warn(
      'agent-otel: the provider given to setTracerProvider failed to give a tracer; using the global provider',
      error,
    );
    coreState().tracerProvider = undefined;
    return tracerOf(trace.getTracerProvider());
  }
}

function tracerOf(provider: TracerProvider): Tracer {
  // The global provider is a proxy whose delegate changes when an SDK registers; key the cache on it.
  const delegate = (provider as { getDelegate?: () => TracerProvider }).getDelegate?.() ?? provider;
  if (cachedTracer === undefined || cachedFor !== delegate) {
    cachedTracer = provider.getTracer(TRACER_NAME, VERSION, { schemaUrl: SEMCONV_SCHEMA_URL });
    cachedFor = delegate;
  }
  return cachedTracer;
}

/**
 * For an adapter's handler or integration built outside `AgentOtelInstrumentation`: the tracer its
 * spans use, read at each call — `options.tracerProvider`'s when the user gave one (a value whose
 * reading throws is reported and ignored), else the global provider's (at call time, so a provider
 * registered later is used). The scope is the adapter's package, with the followed semconv schema.
 */
export function adapterTracerSource(
  scope: { readonly name: string; readonly version: string },
  options: { readonly tracerProvider?: TracerProvider } | undefined,
): () => Tracer {
  let provider: TracerProvider | undefined;
  try {
    provider = options?.tracerProvider;
  } catch (error) {
    diag.warn(`${scope.name}: the options could not be read; using the defaults`, error);
  }
  const tracer = provider?.getTracer(scope.name, scope.version, { schemaUrl: SEMCONV_SCHEMA_URL });
  return () =>
    tracer ??
    trace.getTracerProvider().getTracer(scope.name, scope.version, { schemaUrl: SEMCONV_SCHEMA_URL });
}
