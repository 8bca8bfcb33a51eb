import { context, diag, logs, metrics, propagation, trace } from '@opentelemetry/api';
import type {
  LoggerProvider as ApiLoggerProvider,
  MeterProvider as ApiMeterProvider,
} from '@opentelemetry/api';
import type { LoggerProvider } from '@opentelemetry/sdk-logs';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import type { TracerProvider } from '@opentelemetry/sdk-trace';
import { endOpenStreamSpans } from '@agent-otel/core';
import { disableInstrumentations } from './instrumentations.js';
import { NOOP_LOGGER_PROVIDER, NOOP_METER_PROVIDER } from './noop-providers.js';
import type { AgentOtelHandle, InstrumentationLike } from './types.js';
import { describeError, withTimeout } from './with-timeout.js';

/** Which @opentelemetry/api globals register() installed, so shutdown() removes only those. */
export interface InstalledGlobals {
  tracerProvider: boolean;
  meterProvider: boolean;
  loggerProvider: boolean;
  contextManager: boolean;
  propagator: boolean;
  diagLogger: boolean;
}

/** Everything a running registration owns. */
export interface SdkHandleParts {
  readonly tracerProvider: TracerProvider;
  /** Undefined when metrics are not set up (`metrics: false`, no reader). */
  readonly meterProvider: MeterProvider | undefined;
  /** Undefined when logs are not set up (`logs: false`, no processor). */
  readonly loggerProvider: LoggerProvider | undefined;
  readonly timeoutMillis: number;
  readonly instrumentations: readonly InstrumentationLike[];
  readonly globals: InstalledGlobals;
  /** Removes the process listeners; called first thing in shutdown(). */
  readonly removeListeners: () => void;
  /** Called last in shutdown(), e.g. to forget the registration. */
  readonly onShutdown: () => void;
}

/**
 * The handle of a running registration; flushes and shutdown are bounded and never reject. The
 * tracer, meter and logger providers are flushed and shut down side by side, so the whole takes at
 * most `timeoutMillis`.
 */
export class SdkHandle implements AgentOtelHandle {
  readonly tracerProvider: TracerProvider;
  readonly meterProvider: ApiMeterProvider;
  readonly loggerProvider: ApiLoggerProvider;
  private readonly _parts: SdkHandleParts;
  private _shutdown: Promise<void> | undefined;

  constructor(parts: SdkHandleParts) {
    this._parts = parts;
    this.tracerProvider = parts.tracerProvider;
    this.meterProvider = parts.meterProvider ?? NOOP_METER_PROVIDER;
    this.loggerProvider = parts.loggerProvider ?? NOOP_LOGGER_PROVIDER;
  }

  async forceFlush(): Promise<void> {
    if (this._shutdown !== undefined) return this._shutdown;
    const { tracerProvider, meterProvider, loggerProvider, timeoutMillis } = this._parts;
    await Promise.all([
      withTimeout('flushing spans', () => tracerProvider.forceFlush({ timeoutMillis }), timeoutMillis),
      meterProvider &&
        withTimeout(
          'flushing metrics',
          () => meterProvider.forceFlush({ timeoutMillis }),
          timeoutMillis,
          'metrics',
        ),
      loggerProvider &&
        withTimeout(
          'flushing log records',
          () => loggerProvider.forceFlush({ timeoutMillis }),
          timeoutMillis,
          'log records',
        ),
    ]);
  }

  shutdown(): Promise<void> {
    this._shutdown ??= this._doShutdown();
    return this._shutdown;
  }

  private async _doShutdown(): Promise<void> {
    try {
      await this._shutdownParts();
    } catch (error) {
      diag.warn(`@agent-otel/node: shutdown failed: ${describeError(error)}`);
    }
  }

  private async _shutdownParts(): Promise<void> {
    const parts = this._parts;
    const { meterProvider, loggerProvider, timeoutMillis } = parts;
    parts.removeListeners();
    try {
      endOpenStreamSpans('shutdown');
    } catch (error) {
      diag.debug(`@agent-otel/node: ending open stream spans failed: ${describeError(error)}`);
    }
    await Promise.all([
      withTimeout('shutting down the tracer provider', () => parts.tracerProvider.shutdown(), timeoutMillis),
      meterProvider &&
        withTimeout(
          'shutting down the meter provider',
          () => meterProvider.shutdown({ timeoutMillis }),
          timeoutMillis,
          'metrics',
        ),
      loggerProvider &&
        withTimeout(
          'shutting down the logger provider',
          () => loggerProvider.shutdown(),
          timeoutMillis,
          'log records',
        ),
    ]);
    disableInstrumentations(parts.instrumentations);
    const { globals } = parts;
    if (globals.tracerProvider) trace.disable();
    if (globals.meterProvider) metrics.disable();
    if (globals.loggerProvider) logs.disable();
    if (globals.contextManager) context.disable();
    if (globals.propagator) propagation.disable();
    if (globals.diagLogger) diag.disable();
    parts.onShutdown();
  }
}
