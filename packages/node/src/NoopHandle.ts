import { ProxyTracerProvider } from '@opentelemetry/api';
import type { LoggerProvider, MeterProvider, TracerProvider } from '@opentelemetry/api';
import { NOOP_LOGGER_PROVIDER, NOOP_METER_PROVIDER } from './noop-providers.js';
import type { AgentOtelHandle } from './types.js';

/** The handle of a disabled SDK: tracer, meter and logger providers that record nothing, and no-op methods. */
export class NoopHandle implements AgentOtelHandle {
  // A ProxyTracerProvider without a delegate hands out no-op tracers.
  readonly tracerProvider: TracerProvider = new ProxyTracerProvider();
  readonly meterProvider: MeterProvider = NOOP_METER_PROVIDER;
  readonly loggerProvider: LoggerProvider = NOOP_LOGGER_PROVIDER;
  private readonly _onShutdown: () => void;

  constructor(onShutdown: () => void = () => {}) {
    this._onShutdown = onShutdown;
  }

  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  shutdown(): Promise<void> {
    try {
      this._onShutdown();
    } catch {
      // Shutting down a disabled SDK has nothing that could fail worth reporting.
    }
    return Promise.resolve();
  }
}
