// While exports keep failing (collector down, refusing, answering errors), trying again at once only
// serialises batch after batch that will fail too: CPU and allocation for nothing, at the moment the
// app can least use them. ExportBackoff spaces the attempts out: after n consecutive failures the
// next export waits 250 ms · 2^(n-1), at most `maxMillis`. A waiting batch stays with the batch
// processor (one export at a time), so spans that end meanwhile meet a full queue and are dropped
// cheaply, before anything is serialised. Flushes and shutdown send at once.

/** First pause after a failed export. */
const FIRST_BACKOFF_MILLIS = 250;

/** Spaces export attempts out while they keep failing. */
export class ExportBackoff {
  private readonly _maxMillis: number;
  private _failures = 0;
  private _lastFailureAt = 0;
  private readonly _held = new Map<NodeJS.Timeout, () => void>();

  /** `maxMillis` 0 disables the backoff. */
  constructor(maxMillis: number) {
    this._maxMillis = maxMillis;
  }

  /** False when constructed with `maxMillis` 0. */
  get enabled(): boolean {
    return this._maxMillis > 0;
  }

  /** The pause that one more failure would start. */
  pauseAfterFailureMillis(): number {
    return this._pauseMillis(this._failures + 1);
  }

  recordSuccess(): void {
    this._failures = 0;
  }

  recordFailure(): void {
    this._failures++;
    this._lastFailureAt = Date.now();
  }

  /** Runs `send` now, or when the current pause is over (`now`: at once, e.g. while flushing). */
  schedule(send: () => void, now: boolean): void {
    const wait = now ? 0 : this._remainingMillis();
    if (wait <= 0) {
      send();
      return;
    }
    const timer = setTimeout(() => {
      this._held.delete(timer);
      send();
    }, wait);
    // A held export must not keep the process alive; beforeExit's flush releases it.
    timer.unref?.();
    this._held.set(timer, send);
  }

  /** Sends every held export now. */
  releaseAll(): void {
    const held = [...this._held];
    this._held.clear();
    for (const [timer, send] of held) {
      clearTimeout(timer);
      send();
    }
  }

  private _pauseMillis(failures: number): number {
    if (failures === 0 || this._maxMillis <= 0) return 0;
    return Math.min(this._maxMillis, FIRST_BACKOFF_MILLIS * 2 ** (failures - 1));
  }

  private _remainingMillis(): number {
    const pause = this._pauseMillis(this._failures);
    return pause === 0 ? 0 : this._lastFailureAt + pause - Date.now();
  }
}
