import { diag } from '@opentelemetry/api';
import { processWide } from '../state.js';

/**
 * Why an observed operation ended:
 * - `complete`: the consumer read to the end;
 * - `return`: the consumer stopped early (`break`, `return()`);
 * - `error`: the iteration threw (an error mid-stream);
 * - `abort`: the request was aborted and the stream ended quietly (SDK streams whose `controller`
 *   was aborted end without throwing);
 * - `unconsumed`: the object was garbage-collected without ever being iterated;
 * - `abandoned`: iteration started, then the object was garbage-collected before it finished;
 * - `shutdown`: still open when `endOpenStreamSpans()` ran (tracing shut down).
 */
export type StreamEndReason =
  'complete' | 'return' | 'error' | 'abort' | 'unconsumed' | 'abandoned' | 'shutdown';

/** What an observation reports to. Called as methods, so an observer object may use `this`. */
export interface ObservationCallbacks {
  onItem?(item: unknown): void;
  onEnd(reason: StreamEndReason, error?: unknown): void;
}

/** What the registry of open observations holds: anything `endOpenStreamSpans` can end. */
interface OpenObservation {
  finish(reason: StreamEndReason): void;
}

// One registry per process: the ESM and CommonJS copies of core (and two versions of it) loaded into
// one process share it, so shutting down through either ends the observations both opened.
const OPEN_OBSERVATIONS = processWide('agent_otel.open_observations.v1', () => new Set<OpenObservation>());

/** What an ended observation holds instead of its callbacks. */
const ENDED: ObservationCallbacks = { onEnd() {} };

// Per copy: each observation registers with its own copy's registry, whose callback only calls
// `finish` on it; no copy needs to see another's registrations.
const collected = new FinalizationRegistry<Observation>((observation) =>
  observation.finish(observation.iterated ? 'abandoned' : 'unconsumed'),
);

/**
 * One observed operation (a stream, a pending promise), ended exactly once: by its consumer, by
 * garbage collection of the object it watches, or by `endOpenStreamSpans()`. It is listed as open
 * from its creation until it ends. It holds no reference to the watched object, so that object can
 * be collected, and lets go of its callbacks once ended, so whatever still references the
 * observation (an SDK object that outlives the call) keeps none of the call's state.
 */
export class Observation {
  private ended = false;
  /** Set once a consumer asked for an item: collection then ends the observation as `abandoned`. */
  iterated = false;

  constructor(private callbacks: ObservationCallbacks) {
    OPEN_OBSERVATIONS.get().add(this);
  }

  /** Hands one item to `onItem`; a throw is logged and ignored. */
  item(item: unknown): void {
    if (this.ended || !this.callbacks.onItem) return;
    try {
      this.callbacks.onItem(item);
    } catch (err) {
      diag.warn('agent-otel: stream item observer failed', err);
    }
  }

  /** Ends the observation as `unconsumed` or `abandoned` if `target` is garbage-collected first. */
  watchCollection(target: object): void {
    if (this.ended) return;
    try {
      collected.register(target, this, this);
    } catch (err) {
      diag.debug('agent-otel: cannot watch this object for collection', err);
    }
  }

  /** Stops watching without calling `onEnd` (the caller finishes another way); false if already ended. */
  settle(): boolean {
    if (this.ended) return false;
    this.release();
    return true;
  }

  /** Calls `onEnd` once; later calls do nothing. A throw is logged and ignored. */
  finish(reason: StreamEndReason, error?: unknown): void {
    if (this.ended) return;
    const callbacks = this.callbacks;
    this.release();
    try {
      callbacks.onEnd(reason, error);
    } catch (err) {
      diag.warn('agent-otel: stream end observer failed', err);
    }
  }

  private release(): void {
    this.ended = true;
    this.callbacks = ENDED;
    OPEN_OBSERVATIONS.get().delete(this);
    collected.unregister(this);
  }
}

/**
 * Ends every observed stream (and pending call) that is still open, with reason `shutdown`, in every
 * copy of core loaded into the process. `@agent-otel/node` calls it on shutdown so spans of
 * never-finished streams are exported instead of lost. Returns how many it ended.
 */
export function endOpenStreamSpans(reason: StreamEndReason = 'shutdown'): number {
  const open = [...OPEN_OBSERVATIONS.get()];
  for (const observation of open) observation.finish(reason);
  return open.length;
}
