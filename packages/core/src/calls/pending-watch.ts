import { Observation, type StreamEndReason } from './Observation.js';

/** A pending operation watched by {@link watchUntilSettled}. */
export interface PendingWatch {
  /** The operation finished normally: stop watching. False if it was already ended (GC or shutdown). */
  settle(): boolean;
  /**
   * Starts watching `target` for garbage collection, for a watch made without one (no-op once ended).
   * Registering an object for collection has a cost, so a caller that usually settles soon can wait
   * until it knows the operation is left pending.
   */
  watchCollection(target: object): void;
}

/**
 * Watches an object whose operation has not finished yet (e.g. an API promise nobody awaited): if the
 * object is garbage-collected first, `onEnd('unconsumed')` is called; if `endOpenStreamSpans()` runs
 * first, `onEnd('shutdown')`. Call `settle()` when the operation finishes another way. Without a
 * `target`, only shutdown is watched until `watchCollection(target)` is called. `onEnd` is a function
 * or an object whose `onEnd` method is called.
 */
export function watchUntilSettled(
  target: object | undefined,
  onEnd: ((reason: StreamEndReason) => void) | { onEnd(reason: StreamEndReason, error?: unknown): void },
): PendingWatch {
  const observation = new Observation(typeof onEnd === 'function' ? { onEnd } : onEnd);
  if (target !== undefined) observation.watchCollection(target);
  return observation;
}
