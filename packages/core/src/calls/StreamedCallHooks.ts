import type { SpanHandle } from '../api/span-handle.js';
import type { SpanData } from '../kinds/span-data.js';
import type { ClientCallHooks } from './client-call.js';

/** What rebuilds a streamed result: it is given each streamed item, in order. */
export interface StreamAccumulator {
  add(item: unknown): void;
}

/**
 * The hooks of one client call whose result may be streamed, as methods of one object per call (no
 * closures). Each streamed item goes to an accumulator made by the first item, as a call that is not
 * streamed needs none. A subclass records the parsed result (`onResult`), what the stream gave
 * (`onStreamEnd`, reading {@link streamed}), the error type, and makes the accumulator.
 */
export abstract class StreamedCallHooks<
  TSpan extends SpanData,
  TAccumulator extends StreamAccumulator,
> implements ClientCallHooks<TSpan> {
  private accumulator: TAccumulator | undefined = undefined;

  onStreamItem(_span: SpanHandle<TSpan>, item: unknown): void {
    this.streamed().add(item);
  }

  /** The call's accumulator, made on first use. */
  protected streamed(): TAccumulator {
    return (this.accumulator ??= this.createAccumulator());
  }

  /** A new accumulator for this call's stream. */
  protected abstract createAccumulator(): TAccumulator;
}
