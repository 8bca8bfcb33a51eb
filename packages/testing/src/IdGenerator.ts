// Deterministic ids: a per-server counter behind each provider's id prefix.

/** Generates ids like `chatcmpl-000001`, `toolu_000002`; `reset()` restarts the sequence. */
export class IdGenerator {
  #next = 1;

  /** The next id with `prefix` (the prefix carries its own separator). */
  next(prefix: string): string {
    return `${prefix}${String(this.#next++).padStart(6, '0')}`;
  }

  /** Restarts the sequence. */
  reset(): void {
    this.#next = 1;
  }
}
