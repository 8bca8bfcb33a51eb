import { createNoopLogger, createNoopMeter } from '@opentelemetry/api';
import type { LoggerProvider, MeterProvider } from '@opentelemetry/api';

// What the handle offers for a signal that is not set up (SDK disabled, `metrics: false`, no
// reader): providers whose meters and loggers record nothing, as the API's own globals do before a
// provider is registered.

/** A meter provider whose meters record nothing. */
export const NOOP_METER_PROVIDER: MeterProvider = Object.freeze({ getMeter: () => createNoopMeter() });

/** A logger provider whose loggers emit nothing. */
export const NOOP_LOGGER_PROVIDER: LoggerProvider = Object.freeze({ getLogger: () => createNoopLogger() });
