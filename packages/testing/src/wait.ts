// Waiting in tests: for a timer tick, or until a condition holds.
import { garbageCollector } from './gc.js';

/** Resolves after `ms` milliseconds (default 0: the next timer tick). */
export function tick(ms = 0): Promise<void> {
  return new Promise<void>((resolve) => setTimeout(resolve, ms));
}

/** Options of {@link eventually} and {@link waitFor}. */
export interface EventuallyOptions {
  /** Give up after this long; default 2000 ms. */
  readonly timeoutMillis?: number;
  /** The wait between two looks; default 10 ms. */
  readonly intervalMillis?: number;
  /**
   * Run the garbage collector after each wait, right before the next look, for a condition that
   * holds once something has been collected (a span ended because its stream was dropped); default
   * false. A look that reads a `WeakRef` keeps its target alive until the current job ends, so the
   * collection never runs in the job of a look.
   */
  readonly collectGarbage?: boolean;
}

const DEFAULT_TIMEOUT_MILLIS = 2000;

/**
 * Looks at `predicate` until it holds or the time is up; resolves whether it held. For a test that
 * asserts on the outcome itself: `expect(await eventually(() => spans().length > 0)).toBe(true)`.
 */
export async function eventually(
  predicate: () => boolean,
  options: EventuallyOptions = {},
): Promise<boolean> {
  const { timeoutMillis = DEFAULT_TIMEOUT_MILLIS, intervalMillis = 10, collectGarbage = false } = options;
  const collect = collectGarbage ? garbageCollector() : undefined;
  const deadline = Date.now() + timeoutMillis;
  for (;;) {
    if (predicate()) return true;
    if (Date.now() > deadline) return false;
    await tick(intervalMillis);
    collect?.();
  }
}

/** Like {@link eventually}, but rejects when `predicate` never held in time. */
export async function waitFor(predicate: () => boolean, options: EventuallyOptions = {}): Promise<void> {
  if (!(await eventually(predicate, options))) {
    throw new Error(`condition not met in ${options.timeoutMillis ?? DEFAULT_TIMEOUT_MILLIS} ms`);
  }
}
