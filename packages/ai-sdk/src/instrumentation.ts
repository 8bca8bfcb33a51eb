import { AgentOtelInstrumentation } from '@agent-otel/core/instrumentation';
import { diag } from '@opentelemetry/api';
import {
  InstrumentationNodeModuleDefinition,
  type InstrumentationModuleDefinition,
} from '@opentelemetry/instrumentation';
import { AgentOtelTelemetry } from './AgentOtelTelemetry.js';
import { registerIntegration } from './register.js';
import type { AiSdkInstrumentationConfig } from './types.js';
import { PACKAGE_NAME, PACKAGE_VERSION, SUPPORTED_VERSIONS } from './version.js';

const MODULE_NAME = 'ai';
/** The major version of `ai` in {@link SUPPORTED_VERSIONS}. */
const SUPPORTED_MAJOR = 7;

/**
 * Per instance, kept here because `InstrumentationBase` enables (and may patch) from its constructor,
 * before class fields exist.
 */
const integrations = new WeakMap<object, AgentOtelTelemetry>();
const warnedVersions = new WeakMap<object, Set<string>>();

/**
 * OpenTelemetry instrumentation for the Vercel AI SDK (`ai` `>=7.0.0 <8`): when `ai` is loaded (or given
 * to `manuallyInstrument`), registers an {@link AgentOtelTelemetry} integration with the SDK's own
 * `registerTelemetry`, so every `generateText` / `streamText` / `generateObject` / `streamObject` /
 * agent run / `embed` / `embedMany` is traced without changing a call site. Nothing of the SDK is
 * patched. `disable()` turns the integration into a no-op; `enable()` turns it back on.
 *
 * AI SDK 6 and older have no telemetry-integration interface: their calls are not traced, and a
 * warning (once per version) says what to do.
 */
export class AiSdkInstrumentation extends AgentOtelInstrumentation<AiSdkInstrumentationConfig> {
  constructor(config: AiSdkInstrumentationConfig = {}) {
    super(PACKAGE_NAME, PACKAGE_VERSION, config);
  }

  /** The integration this instrumentation registers (one per instance). */
  get integration(): AgentOtelTelemetry {
    let integration = integrations.get(this);
    if (!integration) {
      let rule: AiSdkInstrumentationConfig['otelIntegration'];
      try {
        rule = this.getConfig().otelIntegration;
      } catch {
        rule = undefined;
      }
      integration = new AgentOtelTelemetry({ otelIntegration: rule }, () => this.tracer);
      integrations.set(this, integration);
    }
    return integration;
  }

  protected override init(): InstrumentationModuleDefinition[] {
    return [
      new InstrumentationNodeModuleDefinition(
        MODULE_NAME,
        ['*'],
        (moduleExports: unknown, version?: string) => {
          if (this._supported(version)) this._patchGuarded(moduleExports);
          return moduleExports;
        },
        (moduleExports: unknown) => this._patchGuarded(moduleExports, false),
      ),
    ];
  }

  protected override _patchModule(moduleExports: unknown): void {
    const integration = this.integration;
    integration.enabled = true;
    registerIntegration(moduleExports as { registerTelemetry?: unknown }, integration);
  }

  protected override _unpatchModule(): void {
    // The SDK has no way to unregister an integration: it stays registered and records nothing.
    this.integration.enabled = false;
  }

  private _patchGuarded(moduleExports: unknown, patch = true): void {
    try {
      if (patch) this._patchModule(moduleExports);
      else this._unpatchModule();
    } catch (error) {
      this._reportFailure(`could not ${patch ? 'register with' : 'unregister from'} ${MODULE_NAME}`, error);
    }
  }

  /** True for a supported (or unknown) version of `ai`; else warns once per version, saying what to do. */
  private _supported(version: string | undefined): boolean {
    if (version === undefined) return true;
    try {
      const major = Number.parseInt(version, 10);
      if (major === SUPPORTED_MAJOR || Number.isNaN(major)) return true;
      let warned = warnedVersions.get(this);
      if (!warned) warnedVersions.set(this, (warned = new Set()));
      if (!warned.has(version)) {
        warned.add(version);
        const advice =
          major < SUPPORTED_MAJOR
            ? 'AI SDK 6 and older have no telemetry-integration interface. Upgrade to ai 7, or trace the ' +
              'provider clients with @agent-otel/instrumentation-openai / @agent-otel/instrumentation-anthropic ' +
              '(AI SDK provider packages that call the APIs through fetch are then not traced).'
            : `Install ai ${SUPPORTED_VERSIONS.join(' || ')}, or a release of ${PACKAGE_NAME} that supports ${version}.`;
        diag.warn(`${PACKAGE_NAME}: ai ${version} is installed; its calls are not traced. ${advice}`);
      }
      return false;
    } catch {
      return true;
    }
  }
}
