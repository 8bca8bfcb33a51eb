import { context as contextApi, type Context } from '@opentelemetry/api';
import { TRACING_DISABLED_KEY } from '../context-keys.js';
import { coreState } from '../state.js';

function readEnvDisabled(): boolean {
  const raw = typeof process === 'undefined' ? undefined : process.env.OTEL_SDK_DISABLED;
  return raw != null && raw.trim().toLowerCase() === 'true';
}

/**
 * Turns agent-otel tracing off (or back on) for the whole process. While disabled, every span API
 * hands out no-op spans and runs the user's function directly. Overrides `OTEL_SDK_DISABLED`.
 */
export function setTracingDisabled(disabled: boolean): void {
  coreState().disabled = Boolean(disabled);
}

/**
 * True when tracing is off: globally (`setTracingDisabled(true)` or `OTEL_SDK_DISABLED=true`), or for
 * the current run (a trace started with `disabled: true`).
 */
export function isTracingDisabled(ctx: Context = contextApi.active()): boolean {
  const state = coreState();
  if (state.disabled !== undefined) {
    if (state.disabled) return true;
  } else {
    if (state.envDisabled === undefined) state.envDisabled = readEnvDisabled();
    if (state.envDisabled) return true;
  }
  try {
    return ctx.getValue(TRACING_DISABLED_KEY) === true;
  } catch {
    return false;
  }
}
