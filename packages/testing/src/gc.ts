// The garbage collector, for tests of what an instrumentation lets go of.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** `gc()`: the one `node --expose-gc` gives (as `npm test` runs jest), else one switched on at run time. */
export function garbageCollector(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (typeof exposed === 'function') return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * True once the target of `ref` has been collected: runs the collector and waits a timer tick, up to
 * `attempts` times. `deref()` keeps its target alive until the current job ends, so it is read only
 * after a collection and a tick, never before the next collection.
 */
export async function collectedAfterGc(ref: WeakRef<object>, attempts = 20): Promise<boolean> {
  const gc = garbageCollector();
  for (let i = 0; i < attempts; i++) {
    gc();
    await new Promise<void>((resolve) => setTimeout(resolve, 5));
    if (ref.deref() === undefined) return true;
  }
  return false;
}
