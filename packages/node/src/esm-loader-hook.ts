import { diag } from '@opentelemetry/api';
import { createRequire, register as registerModuleHooks } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import type { InstrumentationEntry } from './instrumentations.js';
import { describeError } from './with-timeout.js';

/** The `import-in-the-middle` loader hook that `@opentelemetry/instrumentation` ships (asynchronous, off-thread). */
const HOOK_SPECIFIER = '@opentelemetry/instrumentation/hook.mjs';
/** The same loader as synchronous, in-thread hooks (`module.registerHooks`), from that package's `import-in-the-middle`. */
const SYNC_HOOKS_SPECIFIER = 'import-in-the-middle/register-hooks.mjs';
/** Set once the hook is registered: a process has one module loader, whatever copies of this package run. */
const REGISTERED_KEY = Symbol.for('agent_otel.node.esm_loader_hook');

/** What the ESM hook was registered for. */
export interface EsmHookRegistration {
  /** `sync`: `module.registerHooks()` on this thread; `async`: `module.register()` (a loader thread). */
  readonly mode: 'sync' | 'async';
  /** Modules the hook intercepts (the instrumentations' target libraries, or patterns on their files). */
  readonly modules: readonly (string | RegExp)[];
}

interface SyncHooksModule {
  register(options: { include: (string | RegExp)[] }): void;
  supportsSyncHooks(): boolean;
}

/** Loads `import-in-the-middle`'s synchronous hooks when this Node can run them; never throws. */
function loadSyncHooks(requireFromHook: NodeJS.Require): SyncHooksModule | undefined {
  try {
    const hooks = requireFromHook(SYNC_HOOKS_SPECIFIER) as Partial<SyncHooksModule>;
    if (typeof hooks.register !== 'function' || typeof hooks.supportsSyncHooks !== 'function')
      return undefined;
    return hooks.supportsSyncHooks() ? (hooks as SyncHooksModule) : undefined;
  } catch (error) {
    diag.debug(`@agent-otel/node: synchronous ESM hooks unavailable: ${describeError(error)}`);
    return undefined;
  }
}

/**
 * Registers the `import-in-the-middle` loader hook, so that libraries the application loads with
 * `import` afterwards (`import OpenAI from 'openai'`) reach the instrumentations' ESM hooks, as
 * `require()`d ones reach them through `require-in-the-middle`. Only the target modules of `entries`
 * are intercepted (`include`), so every other module loads untouched.
 *
 * The hook comes from the first instrumentation package's own `@opentelemetry/instrumentation`, so the
 * loader and the instrumentations share one `import-in-the-middle`. Where Node can run them
 * (`module.registerHooks`, Node >= 22.22.3 / 24.11.1) the synchronous, in-thread hooks are used; else
 * `module.register('@opentelemetry/instrumentation/hook.mjs')`, whose loader thread also re-runs `-r`
 * preloads. It must run before the application's modules are loaded: from
 * `node --import @agent-otel/node/register` (or a preload that calls `register()`); modules imported
 * earlier are not patched. Registers at most once per process, on the main thread only; never throws.
 * Returns what was registered, or `undefined`.
 */
export function registerEsmInstrumentationHook(
  entries: readonly InstrumentationEntry[],
  cwd: string = process.cwd(),
): EsmHookRegistration | undefined {
  const holder = globalThis as Record<symbol, EsmHookRegistration | undefined>;
  const existing = holder[REGISTERED_KEY];
  if (existing !== undefined) return existing;
  // Workers (Node's own loader thread included, which runs `-r` preloads again) use the main thread's hooks.
  if (entries.length === 0 || !isMainThread) return undefined;
  try {
    const requireFromApp = createRequire(join(cwd, '__agent-otel-loader__.js'));
    let hookPath: string | undefined;
    const modules: (string | RegExp)[] = [];
    for (const entry of entries) {
      try {
        hookPath ??= createRequire(requireFromApp.resolve(entry.packageName)).resolve(HOOK_SPECIFIER);
        modules.push(...(entry.esmInclude ?? [entry.targetModule]));
      } catch (error) {
        diag.debug(`@agent-otel/node: no ESM hook for ${entry.packageName}: ${describeError(error)}`);
      }
    }
    if (hookPath === undefined || modules.length === 0) return undefined;
    const syncHooks = loadSyncHooks(createRequire(hookPath));
    if (syncHooks) {
      syncHooks.register({ include: [...modules] });
    } else if (typeof registerModuleHooks === 'function') {
      registerModuleHooks(pathToFileURL(hookPath).href, {
        parentURL: pathToFileURL(join(cwd, '/')).href,
        data: { include: modules },
      });
    } else {
      diag.debug(
        '@agent-otel/node: this Node cannot register loader hooks; libraries loaded with import are not patched.',
      );
      return undefined;
    }
    const registration: EsmHookRegistration = { mode: syncHooks ? 'sync' : 'async', modules };
    holder[REGISTERED_KEY] = registration;
    diag.debug(
      `@agent-otel/node: ${registration.mode} ESM loader hook registered for ${modules.map(String).join(', ')}.`,
    );
    return registration;
  } catch (error) {
    // Debug, like a failed instrumentation load: some hosts (test runners, bundled apps) cannot take loader hooks.
    diag.debug(
      `@agent-otel/node: could not register the ESM loader hook; libraries loaded with import are not patched: ${describeError(error)}`,
    );
    return undefined;
  }
}
