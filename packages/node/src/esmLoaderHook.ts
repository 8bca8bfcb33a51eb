import { diag } from '@opentelemetry/api';

/**
 * Seam for instrumenting libraries loaded with `import`: this will register
 * `@opentelemetry/instrumentation/hook.mjs` through `module.register()` once the adapter packages
 * exist (see the adapters issue). Until then `require()`d libraries are the only ones patched.
 */
export function registerEsmInstrumentationHook(): void {
  diag.debug('@agent-otel/node: the ESM loader hook for instrumentations is not implemented yet; skipped.');
}
