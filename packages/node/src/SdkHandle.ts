import { context, diag, propagation, trace } from '@opentelemetry/api';
import type { TracerProvider } from '@opentelemetry/sdk-trace';
import { endOpenStreamSpans } from '@agent-otel/core';
import { disableInstrumentations } from './instrumentations.js';
import type { AgentOtelHandle, InstrumentationLike } from './types.js';
import { describeError, withTimeout } from './with-timeout.js';

/** Which @opentelemetry/api globals register() installed, so shutdown() removes only those. */
export interface InstalledGlobals {
  tracerProvider: boolean;
  contextManager: boolean;
  propagator: boolean;
  diagLogger: boolean;
}

/** Everything a running registration owns. */
export interface SdkHandleParts {
  readonly tracerProvider: TracerProvider;
  readonly timeoutMillis: number;
  readonly instrumentations: readonly InstrumentationLike[];
  readonly globals: InstalledGlobals;
  /** Removes the process listeners; called first thing in shutdown(). */
  readonly removeListeners: () => void;
  /** Called last in shutdown(), e.g. to forget the registration. */
  readonly onShutdown: () => void;
}

/** The handle of a running registration; flushes and shutdown are bounded and never reject. */
export class SdkHandle implements AgentOtelHandle {
  readonly tracerProvider: TracerProvider;
  private readonly _parts: SdkHandleParts;
  private _shutdown: Promise<void> | undefined;

  constructor(parts: SdkHandleParts) {
    this._parts = parts;
    this.tracerProvider = parts.tracerProvider;
  }

  forceFlush(): Promise<void> {
    if (this._shutdown !== undefined) return this._shutdown;
    const { tracerProvider, timeoutMillis } = this._parts;
    return withTimeout('flushing spans', () => tracerProvider.forceFlush({ timeoutMillis }), timeoutMillis);
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
    parts.removeListeners();
    try {
      endOpenStreamSpans('shutdown');
    } catch (error) {
      diag.debug(`@agent-otel/node: ending open stream spans failed: ${describeError(error)}`);
    }
    await withTimeout(
      'shutting down the tracer provider',
      () => parts.tracerProvider.shutdown(),
      parts.timeoutMillis,
    );
    disableInstrumentations(parts.instrumentations);
    const { globals } = parts;
    if (globals.tracerProvider) trace.disable();
    if (globals.contextManager) context.disable();
    if (globals.propagator) propagation.disable();
    if (globals.diagLogger) diag.disable();
    parts.onShutdown();
  }
}
