import { ProxyTracerProvider } from '@opentelemetry/api';
import type { TracerProvider } from '@opentelemetry/api';
import type { AgentOtelHandle } from './types.js';

/** The handle of a disabled SDK: a tracer provider that records nothing, and no-op methods. */
export class NoopHandle implements AgentOtelHandle {
  // A ProxyTracerProvider without a delegate hands out no-op tracers.
  readonly tracerProvider: TracerProvider = new ProxyTracerProvider();
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
