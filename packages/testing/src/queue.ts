// The script: per-route FIFO queues, a shared FIFO queue, and defaults for when both are empty.
import type { RouteId, ScriptEntry, ScriptedResponse } from './script.js';

/** The response used when nothing is queued and no default was set: a plain text reply `ok`. */
export const BUILTIN_DEFAULT: ScriptedResponse = Object.freeze({ text: 'ok' });

/**
 * Hands out script entries. A request to route R takes, in order: the head of R's queue, the head of the
 * shared queue, R's default, the shared default, {@link BUILTIN_DEFAULT}.
 */
export class ScriptQueue {
  #shared: ScriptEntry[] = [];
  #byRoute = new Map<RouteId, ScriptEntry[]>();
  #sharedDefault: ScriptEntry | undefined;
  #routeDefaults = new Map<RouteId, ScriptEntry>();

  /** Appends entries to the shared queue, or to `route`'s queue. */
  enqueue(entries: readonly ScriptEntry[], route?: RouteId): void {
    if (route === undefined) {
      this.#shared.push(...entries);
      return;
    }
    const queue = this.#byRoute.get(route) ?? [];
    queue.push(...entries);
    this.#byRoute.set(route, queue);
  }

  /** Sets the shared default, or `route`'s default. */
  setDefault(entry: ScriptEntry, route?: RouteId): void {
    if (route === undefined) this.#sharedDefault = entry;
    else this.#routeDefaults.set(route, entry);
  }

  /** Takes the entry for the next request to `route`. */
  take(route: RouteId): ScriptEntry {
    return (
      this.#byRoute.get(route)?.shift() ??
      this.#shared.shift() ??
      this.#routeDefaults.get(route) ??
      this.#sharedDefault ??
      BUILTIN_DEFAULT
    );
  }

  /** Number of queued entries: all of them, or those only `route` can take (its own queue). */
  pending(route?: RouteId): number {
    if (route !== undefined) return this.#byRoute.get(route)?.length ?? 0;
    let total = this.#shared.length;
    for (const queue of this.#byRoute.values()) total += queue.length;
    return total;
  }

  /** Empties every queue and clears the defaults. */
  reset(): void {
    this.#shared = [];
    this.#byRoute.clear();
    this.#sharedDefault = undefined;
    this.#routeDefaults.clear();
  }
}
