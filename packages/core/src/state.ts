import type { TracerProvider } from '@opentelemetry/api';

/**
 * Process-wide agent-otel state. It lives on `globalThis` under a `Symbol.for` key so that an ESM and
 * a CommonJS copy of this package (or two versions) loaded into one process agree on it.
 */
interface CoreState {
  /** Set by `setTracingDisabled`; `undefined` means "not set", so `OTEL_SDK_DISABLED` decides. */
  disabled: boolean | undefined;
  /** `OTEL_SDK_DISABLED`, read once. */
  envDisabled: boolean | undefined;
  /** Tracer provider chosen with `setTracerProvider`; the global one otherwise. */
  tracerProvider: TracerProvider | undefined;
}

const STATE_KEY = Symbol.for('agent_otel.core.state');

/** The shared state object. */
export function coreState(): CoreState {
  const holder = globalThis as unknown as Record<symbol, CoreState | undefined>;
  let state = holder[STATE_KEY];
  if (!state) {
    state = { disabled: undefined, envDisabled: undefined, tracerProvider: undefined };
    holder[STATE_KEY] = state;
  }
  return state;
}
