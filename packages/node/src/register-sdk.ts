import { diag } from '@opentelemetry/api';
import { TracerProvider } from '@opentelemetry/sdk-trace';
import { configureContent, setTracingDisabled, endOpenStreamSpans } from '@agent-otel/core';
import { getContentPolicy } from '@agent-otel/core/instrumentation';
import { createLoggerProvider } from './create-logger-provider.js';
import { createMeterProvider } from './create-meter-provider.js';
import { createResource } from './create-resource.js';
import { createSpanProcessors } from './create-span-processors.js';
import { installDiagLoggerIfUnset } from './diag-logger.js';
import { registerEsmInstrumentationHook } from './esm-loader-hook.js';
import { installGlobals } from './install-globals.js';
import {
  AGENT_OTEL_INSTRUMENTATIONS,
  enableInstrumentations,
  loadInstrumentationEntries,
} from './instrumentations.js';
import { NoopHandle } from './NoopHandle.js';
import { installExitListeners } from './process-listeners.js';
import { clearRegistration, getRegistration, setRegistration } from './registration.js';
import { resolveConfig } from './resolve-config.js';
import { SdkHandle } from './SdkHandle.js';
import type { AgentOtelHandle, RegisterOptions, ResolvedConfig } from './types.js';
import { describeError } from './with-timeout.js';

const PREFIX = '@agent-otel/node: ';

function guarded(label: string, action: () => void): void {
  try {
    action();
  } catch (error) {
    diag.warn(`${PREFIX}${label} failed: ${describeError(error)}`);
  }
}

function registerDisabled(config: ResolvedConfig): AgentOtelHandle {
  for (const warning of config.warnings) diag.warn(PREFIX + warning);
  guarded('disabling core tracing', () => setTracingDisabled(true));
  // Core stays disabled after shutdown(): OTEL_SDK_DISABLED describes the whole process.
  const handle: AgentOtelHandle = new NoopHandle(() => clearRegistration(handle));
  setRegistration(handle);
  diag.debug(`${PREFIX}OTEL_SDK_DISABLED=true; nothing installed.`);
  return handle;
}

/** A provider creation that failed is logged, and the signal is left without one. */
function createOrSkip<T>(label: string, create: () => T | undefined): T | undefined {
  try {
    return create();
  } catch (error) {
    diag.warn(`${PREFIX}could not create the ${label}; continuing without it: ${describeError(error)}`);
    return undefined;
  }
}

/** The lowest attribute value length limit content can meet: of spans, and of log records when logs are on. */
function contentValueLengthLimit(config: ResolvedConfig): number | undefined {
  const limits = [config.spanLimits.attributeValueLengthLimit];
  if (config.logsEnabled) limits.push(config.logRecordLimits.attributeValueLengthLimit);
  const set = limits.filter((limit): limit is number => limit !== undefined);
  return set.length === 0 ? undefined : Math.min(...set);
}

/**
 * Configures core's content policy from the `content` option, kept within the SDK's attribute value
 * length limit: the SDK cuts longer values without a marker, which would leave content JSON
 * unparseable, so content is capped by core (valid JSON, marked) at the limit instead. A policy
 * configured outside `register()` is not replaced (its redactors would be lost): a content cap above
 * the limit then gets a warning that names the fix.
 */
function configureContentWithin(options: RegisterOptions, valueLengthLimit: number | undefined): void {
  if (options.content != null) {
    const policy = configureContent(options.content);
    if (valueLengthLimit !== undefined && policy.maxAttributeLength > valueLengthLimit) {
      configureContent({ ...options.content, maxAttributeLength: valueLengthLimit });
    }
    return;
  }
  if (valueLengthLimit === undefined) return;
  const cap = getContentPolicy().maxAttributeLength;
  if (cap > valueLengthLimit) {
    diag.warn(
      `${PREFIX}the attribute value length limit (${valueLengthLimit}, OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT, ` +
        `OTEL_LOGRECORD_ATTRIBUTE_VALUE_LENGTH_LIMIT or OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT) is below the content cap (${cap}); the SDK cuts longer content ` +
        'without a marker and leaves its JSON unparseable. Set AGENT_OTEL_CONTENT_MAX_LENGTH (or the content ' +
        `option's maxAttributeLength) to ${valueLengthLimit} or less.`,
    );
  }
}

function registerEnabled(config: ResolvedConfig, options: RegisterOptions): AgentOtelHandle {
  const diagLogger = installDiagLoggerIfUnset(config.diagLogLevel);
  for (const warning of config.warnings) diag.warn(PREFIX + warning);
  guarded('configureContent', () => configureContentWithin(options, contentValueLengthLimit(config)));
  const resource = createResource(config.resourceAttributes);
  const tracerProvider = new TracerProvider({
    resource,
    spanProcessors: createSpanProcessors(config, options.spanProcessors ?? []),
    spanLimits: { ...config.spanLimits },
  });
  const meterProvider = createOrSkip('meter provider', () =>
    createMeterProvider(config, resource, options.metricReaders ?? []),
  );
  const loggerProvider = createOrSkip('logger provider', () =>
    createLoggerProvider(config, resource, options.logRecordProcessors ?? []),
  );
  const globals = {
    ...installGlobals(config, { tracerProvider, meterProvider, loggerProvider }),
    diagLogger,
  };
  const loaded =
    options.instrumentations === false ? [] : loadInstrumentationEntries(AGENT_OTEL_INSTRUMENTATIONS);
  registerEsmInstrumentationHook(loaded.map(({ entry }) => entry));
  const candidates = [
    ...loaded.map(({ instrumentation }) => instrumentation),
    ...(Array.isArray(options.instrumentations) ? options.instrumentations : []),
  ];
  const instrumentations = enableInstrumentations(candidates, {
    tracerProvider,
    meterProvider,
    loggerProvider,
  });
  let removeListeners = (): void => {};
  const handle: SdkHandle = new SdkHandle({
    tracerProvider,
    meterProvider,
    loggerProvider,
    timeoutMillis: config.shutdownTimeoutMillis,
    instrumentations,
    globals,
    removeListeners: () => removeListeners(),
    onShutdown: () => clearRegistration(handle),
  });
  removeListeners = installExitListeners({
    flush: () => handle.forceFlush(),
    beforeExit: () => {
      guarded('ending unconsumed stream spans', () => endOpenStreamSpans('shutdown'));
      return handle.forceFlush();
    },
    shutdown: () => handle.shutdown(),
  });
  setRegistration(handle);
  return handle;
}

/**
 * Sets up OpenTelemetry for agent-otel in one call: resource, tracer provider with agent-otel's
 * processors and the exporters chosen by `OTEL_TRACES_EXPORTER` and `AGENT_OTEL_EXPORTERS`, meter
 * and logger providers with the exporters of `OTEL_METRICS_EXPORTER` and `OTEL_LOGS_EXPORTER`
 * (GenAI metrics and events), context manager, propagators, instrumentations and flushing at exit.
 * Configuration comes from `options`, then the environment (see {@link resolveConfig}); bad
 * values are reported once through `diag.warn` and replaced by defaults. Calling it again returns
 * the first handle. Never throws.
 */
export function register(options: RegisterOptions = {}): AgentOtelHandle {
  try {
    const existing = getRegistration();
    if (existing !== undefined) {
      if (!existing.warnedRepeat) {
        existing.warnedRepeat = true;
        diag.warn(
          `${PREFIX}register() was already called (for example by --import @agent-otel/node/register); ` +
            'returning the first handle and ignoring the options of this call.',
        );
      }
      return existing.handle;
    }
    const config = resolveConfig(process.env, options ?? {});
    return config.disabled ? registerDisabled(config) : registerEnabled(config, options ?? {});
  } catch (error) {
    diag.error(`${PREFIX}register() failed; tracing is not set up: ${describeError(error)}`);
    return new NoopHandle();
  }
}
