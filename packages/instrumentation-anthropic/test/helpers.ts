import { garbageCollector } from '@agent-otel/testing';

// One in-memory tracing setup for every package's tests: core's.
export { setupTracing } from '../../core/test/helpers';
export type { TestTracing } from '../../core/test/helpers';

export const tick = (ms = 0) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits until `predicate` holds, collecting garbage between tries; false if it never does. */
export async function eventually(
  predicate: () => boolean,
  { collect = false, tries = 50 } = {},
): Promise<boolean> {
  for (let i = 0; i < tries; i++) {
    if (predicate()) return true;
    if (collect) garbageCollector()();
    await tick(10);
  }
  return predicate();
}
