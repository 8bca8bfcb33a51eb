import { context, diag, logs, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import type { LoggerProvider } from '@opentelemetry/sdk-logs';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { TracerProvider } from '@opentelemetry/sdk-trace';
import { createPropagator } from './create-propagator.js';
import { isOtelGlobalSet } from './otel-globals.js';
import type { InstalledGlobals } from './SdkHandle.js';
import { joinAnd } from './settings.js';
import type { ResolvedConfig } from './types.js';

const PREFIX = '@agent-otel/node: ';

/** The providers register() made; the meter and logger ones are undefined when not set up. */
export interface Providers {
  readonly tracerProvider: TracerProvider;
  readonly meterProvider: MeterProvider | undefined;
  readonly loggerProvider: LoggerProvider | undefined;
}

/**
 * Installs each provider globally unless another setup already registered one of its kind; those
 * are named in one warning.
 */
function installProviders(
  providers: Providers,
): Pick<InstalledGlobals, 'tracerProvider' | 'meterProvider' | 'loggerProvider'> {
  const installed = { tracerProvider: false, meterProvider: false, loggerProvider: false };
  const taken: string[] = [];
  if (isOtelGlobalSet('trace')) taken.push('tracer');
  else installed.tracerProvider = trace.setGlobalTracerProvider(providers.tracerProvider);
  const { meterProvider, loggerProvider } = providers;
  if (meterProvider !== undefined) {
    if (isOtelGlobalSet('metrics')) taken.push('meter');
    else installed.meterProvider = metrics.setGlobalMeterProvider(meterProvider);
  }
  if (loggerProvider !== undefined) {
    if (isOtelGlobalSet('logs')) taken.push('logger');
    else installed.loggerProvider = logs.setGlobalLoggerProvider(loggerProvider);
  }
  if (taken.length > 0) {
    const what =
      taken.length === 1
        ? `a global ${taken[0]} provider is already registered`
        : `global ${joinAnd(taken)} providers are already registered`;
    diag.warn(
      `${PREFIX}${what} (by a NodeSDK or another setup); agent-otel's ${taken.length === 1 ? 'provider is' : 'providers are'} ` +
        'not installed globally. Add agent-otel to that setup instead (see "Inside an existing NodeSDK setup" ' +
        'in the @agent-otel/node README).',
    );
  }
  return installed;
}

/**
 * Installs the providers, the context manager and the propagator as the @opentelemetry/api globals,
 * each unless something is registered for it already; returns which were installed.
 */
export function installGlobals(
  config: ResolvedConfig,
  providers: Providers,
): Omit<InstalledGlobals, 'diagLogger'> {
  const globals = { ...installProviders(providers), contextManager: false, propagator: false };
  if (isOtelGlobalSet('context'))
    diag.debug(`${PREFIX}keeping the context manager that is already registered.`);
  else
    globals.contextManager = context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const propagator = createPropagator(config.propagators);
  if (propagator === undefined) diag.debug(`${PREFIX}OTEL_PROPAGATORS=none; no propagator installed.`);
  else if (isOtelGlobalSet('propagation'))
    diag.debug(`${PREFIX}keeping the propagator that is already registered.`);
  else globals.propagator = propagation.setGlobalPropagator(propagator);
  return globals;
}
