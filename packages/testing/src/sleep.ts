// Abortable delays, so a closing server never waits on (or leaks) a scripted delay.
import { setTimeout as delay } from 'node:timers/promises';

/** Waits `ms` milliseconds; resolves `false` instead when `signal` aborts first. */
export async function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return false;
  if (ms <= 0) return true;
  try {
    await delay(ms, undefined, { signal });
    return true;
  } catch {
    return false;
  }
}
