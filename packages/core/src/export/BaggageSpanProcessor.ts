import { diag, propagation, type Context } from '@opentelemetry/api';
import type { ReadableSpan, Span, SpanProcessor } from '@opentelemetry/sdk-trace';
import { stringListFromEnv } from './sdk-values.js';
import { readArray, readProperty } from '../values.js';

/** Baggage keys copied by default: the user and session of the request. */
export const DEFAULT_BAGGAGE_KEYS: readonly string[] = Object.freeze(['user.id', 'session.id']);
/** Environment variable with a comma-separated list of baggage keys to copy (`*` for all). */
export const ENV_BAGGAGE_KEYS = 'AGENT_OTEL_BAGGAGE_KEYS';
const ALL_KEYS = '*';

/** Options of {@link BaggageSpanProcessor}. */
export interface BaggageSpanProcessorOptions {
  /**
   * Baggage keys to copy onto spans; `['*']` copies every entry. Default: `AGENT_OTEL_BAGGAGE_KEYS`
   * (comma-separated) when set, else {@link DEFAULT_BAGGAGE_KEYS}.
   */
  keys?: readonly string[];
}

/**
 * Copies selected W3C baggage entries of the parent context onto every span as attributes with
 * the same key (e.g. `user.id`, `session.id`), so they can be queried on each span. An attribute
 * the span already has is not overwritten. Costs one context lookup when there is no baggage.
 */
export class BaggageSpanProcessor implements SpanProcessor {
  readonly #all: boolean;
  readonly #keys: readonly string[];

  constructor(options: BaggageSpanProcessorOptions = {}) {
    let keys = readKeys(options);
    if (!keys) {
      try {
        keys = stringListFromEnv(ENV_BAGGAGE_KEYS);
      } catch {
        keys = undefined;
      }
    }
    const list = (keys ?? DEFAULT_BAGGAGE_KEYS).filter((k): k is string => typeof k === 'string' && k !== '');
    this.#all = list.includes(ALL_KEYS);
    this.#keys = Object.freeze(list.filter((k) => k !== ALL_KEYS));
  }

  /** Keys this processor copies (`['*']` when it copies every entry). */
  get keys(): readonly string[] {
    return this.#all ? [ALL_KEYS] : this.#keys;
  }

  /** Copies the selected baggage entries onto the starting span. */
  onStart(span: Span, parentContext: Context): void {
    try {
      const baggage = propagation.getBaggage(parentContext);
      if (!baggage) return;
      if (this.#all) {
        for (const [key, entry] of baggage.getAllEntries()) this.#copy(span, key, entry.value);
      } else {
        for (const key of this.#keys) {
          const entry = baggage.getEntry(key);
          if (entry) this.#copy(span, key, entry.value);
        }
      }
    } catch (err) {
      diag.debug('agent-otel: BaggageSpanProcessor.onStart failed', err);
    }
  }

  /** Nothing to do when a span ends. */
  onEnd(_span: ReadableSpan): void {}

  /** Nothing is buffered. */
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }

  /** Nothing to release. */
  shutdown(): Promise<void> {
    return Promise.resolve();
  }

  #copy(span: Span, key: string, value: string): void {
    if (span.attributes[key] === undefined) span.setAttribute(key, value);
  }
}

/**
 * The `keys` option copied into a plain array; `undefined` (the default) when it is absent, not an
 * array, or cannot be read (a revoked Proxy, a throwing getter), with one warning for the last two.
 */
function readKeys(options: unknown): unknown[] | undefined {
  if (options == null) return undefined;
  const keys = readProperty(options, 'keys');
  if (keys == null) return undefined;
  const copy = readArray(keys);
  if (copy === undefined) {
    diag.warn(
      'agent-otel: the BaggageSpanProcessor keys option could not be read as an array of strings; ' +
        `using ${ENV_BAGGAGE_KEYS} or the default keys`,
    );
  }
  return copy;
}
