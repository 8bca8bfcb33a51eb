import { diag } from '@opentelemetry/api';
import { AgentOtelTelemetry } from './AgentOtelTelemetry.js';
import type { AiSdkTelemetryOptions } from './types.js';
import { globalIntegrations, isAgentOtelTelemetry } from './utils.js';
import { PACKAGE_NAME } from './version.js';

/** The SDK's `registerTelemetry`, as the `ai` module exports it. */
type RegisterTelemetry = (...integrations: unknown[]) => void;

/** The `ai` module, or anything with its `registerTelemetry`. */
export interface AiModuleLike {
  registerTelemetry?: unknown;
}

/** Creates the integration (the same as `new AgentOtelTelemetry(options)`). */
export function createAiSdkTelemetry(options?: AiSdkTelemetryOptions): AgentOtelTelemetry {
  return new AgentOtelTelemetry(options);
}

/**
 * Registers `integration` with the `ai` module's `registerTelemetry` (AI SDK 7), unless that very
 * object is registered already. Returns false, with a warning naming what to do, when the module has
 * no `registerTelemetry` (AI SDK 6 and older: see the README). Never throws.
 */
export function registerIntegration(ai: AiModuleLike | undefined, integration: AgentOtelTelemetry): boolean {
  try {
    const register = (ai as { registerTelemetry?: unknown } | undefined)?.registerTelemetry;
    if (typeof register !== 'function') {
      diag.warn(
        `${PACKAGE_NAME}: the ai module has no registerTelemetry (AI SDK 6 or older); its calls are not traced. ` +
          'Upgrade to ai 7, or trace the provider clients with @agent-otel/instrumentation-openai / -anthropic.',
      );
      return false;
    }
    // One agent-otel integration per process: `register()` may have registered one already.
    if (globalIntegrations().some(isAgentOtelTelemetry)) return true;
    (register as RegisterTelemetry)(integration);
    return true;
  } catch (error) {
    diag.warn(
      `${PACKAGE_NAME}: could not register the telemetry integration; AI SDK calls are not traced`,
      error,
    );
    return false;
  }
}

/**
 * Creates an {@link AgentOtelTelemetry} and registers it globally with the SDK's `registerTelemetry`:
 *
 * ```ts
 * import * as ai from 'ai';
 * registerAiSdkTelemetry(ai);
 * ```
 *
 * Returns the integration — the one already registered, when `register()` or an earlier call did
 * (`options` then do not apply) — or `undefined` when `ai` has no `registerTelemetry` (a warning says
 * what to do).
 */
export function registerAiSdkTelemetry(
  ai: AiModuleLike,
  options?: AiSdkTelemetryOptions,
): AgentOtelTelemetry | undefined {
  // Already registered (by `register()` / `--import`, or an earlier call): that one, not a second.
  const registered = globalIntegrations().find(isAgentOtelTelemetry) as AgentOtelTelemetry | undefined;
  if (registered !== undefined) return registered;
  const integration = new AgentOtelTelemetry(options);
  return registerIntegration(ai, integration) ? integration : undefined;
}
