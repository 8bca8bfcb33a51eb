import { diag } from '@opentelemetry/api';

/**
 * Waits for `work` at most `timeoutMillis` (the `shutdownTimeoutMillis` option); never rejects. A
 * failure or timeout is logged through `diag` under `label`; a timeout says that `lost` (`spans`,
 * `metrics`, `log records`) not exported by then are lost. The timer is unref'd so it never keeps
 * the process alive.
 */
export async function withTimeout(
  label: string,
  work: () => Promise<unknown>,
  timeoutMillis: number,
  lost = 'spans',
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMillis);
    timer.unref();
  });
  try {
    const outcome = await Promise.race([Promise.resolve().then(work), timeout]);
    if (outcome === 'timeout')
      diag.warn(
        `@agent-otel/node: ${label} did not finish within ${timeoutMillis} ms (shutdownTimeoutMillis); ` +
          `giving up; ${lost} not exported by then are lost (no answer from the collector in time).`,
      );
  } catch (error) {
    diag.warn(`@agent-otel/node: ${label} failed: ${describeError(error)}`);
  } finally {
    clearTimeout(timer);
  }
}

/** A short, single-line description of a thrown value (arrays come from TracerProvider.forceFlush). */
export function describeError(error: unknown): string {
  if (Array.isArray(error)) return error.map(describeError).join('; ');
  if (error instanceof Error) return error.message;
  return String(error);
}
