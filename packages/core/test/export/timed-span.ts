import { SpanStatusCode, type Attributes, type Tracer } from '@opentelemetry/api';

/** The start of every timed run, in ms since the epoch, so rendered times are fixed. */
export const T0 = 1_700_000_000_000;

/**
 * Starts an active span at T0+start ms, runs `body` inside it, ends it at T0+end ms; with `error`,
 * its status is ERROR with that message.
 */
export function span(
  tracer: Tracer,
  name: string,
  attributes: Attributes,
  start: number,
  end: number,
  body?: () => void,
  error?: string,
): void {
  tracer.startActiveSpan(name, { attributes, startTime: T0 + start }, (s) => {
    body?.();
    if (error !== undefined) s.setStatus({ code: SpanStatusCode.ERROR, message: error });
    s.end(T0 + end);
  });
}
