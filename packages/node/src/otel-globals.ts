// The @opentelemetry/api keeps its globals on `globalThis` under a documented, version-keyed
// symbol. Reading it is the only way to know whether the application (or a NodeSDK) already set
// a diag logger or a tracer, meter or logger provider, which the API itself does not expose.

const GLOBAL_API_KEY = Symbol.for('opentelemetry.js.api.1');

/** The API global types `register()` may install. */
export type OtelGlobalType = 'diag' | 'trace' | 'context' | 'propagation' | 'metrics' | 'logs';

/** True when something is registered for `type` in the @opentelemetry/api 1.x globals. */
export function isOtelGlobalSet(type: OtelGlobalType): boolean {
  const api = (globalThis as Record<symbol, Record<string, unknown> | undefined>)[GLOBAL_API_KEY];
  return api?.[type] != null;
}
