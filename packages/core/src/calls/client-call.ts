import { context as contextApi, diag } from '@opentelemetry/api';
import type { SpanHandle } from '../api/span-handle.js';
import * as sc from '../semconv.js';
import { recordsOutputChunkTimes } from '../metrics/genai-metrics.js';
import type { SpanData } from '../kinds/span-data.js';
import { isLazyApiPromise, traceApiPromise, type ApiPromiseTracker } from './api-promise.js';
import type { StreamEndReason } from './Observation.js';
import {
  isObservableAsyncIterable,
  observeAsyncIterable,
  type AsyncIterationObserver,
} from './stream-observer.js';
import { AgentSpan } from '../api/AgentSpan.js';
import { keepShapes } from './shape-anchors.js';

/**
 * What an adapter does with the outcome of one client call. Every hook is guarded: a throw is logged
 * through `diag` and the user's call goes on untouched.
 */
export interface ClientCallHooks<TSpan extends SpanData = SpanData> {
  /** The parsed, non-streamed result (e.g. a chat completion object). */
  onResult?(span: SpanHandle<TSpan>, result: unknown): void;
  /** Each item of a streamed result, in order (e.g. a chunk or SSE event). */
  onStreamItem?(span: SpanHandle<TSpan>, item: unknown): void;
  /**
   * Called once before a streamed span ends, however the stream ended, so the adapter can record what
   * it accumulated (partial output and usage included).
   */
  onStreamEnd?(span: SpanHandle<TSpan>, reason: StreamEndReason): void;
  /**
   * The `error.type` of a failed call (e.g. an HTTP status such as `429`); `undefined` keeps the
   * default (the error's class name).
   */
  errorType?(error: unknown): string | undefined;
}

/**
 * The most chunk intervals one streamed call keeps for `gen_ai.client.inference.time_per_output_chunk`
 * (the first ones; a longer stream records these): bounded memory for a stream of any length.
 */
const MAX_CHUNK_INTERVALS = 8192;

/** Logs the failure of an adapter hook; the call goes on untouched. */
function hookFailed(what: string, err: unknown): void {
  diag.warn(`agent-otel: ${what} failed; the call is not affected`, err);
}

/**
 * Per-call state: ends the span exactly once. It is also the observer of a streamed result (its
 * `onItem` / `onEnd`) and of a pending SDK promise.
 */
class CallTracker<TSpan extends SpanData> implements AsyncIterationObserver, ApiPromiseTracker {
  private firstItemSeen = false;
  private readonly startedAt = performance.now();
  /** Seconds between streamed items after the first; kept only while metrics are recorded. */
  private chunkIntervals: number[] | undefined = undefined;
  /** A double from construction (NaN until the first item), like `AgentSpan`'s start time. */
  private lastItemAt = NaN;
  /** The stream's `controller.signal`, when the result is a Stainless SDK stream. */
  private signal: AbortSignal | undefined = undefined;
  /** A Stainless `Stream` creates its iterators with `iterator()`, which its `tee()` calls directly. */
  iteratorMethod: PropertyKey | undefined = undefined;

  constructor(
    readonly span: SpanHandle<TSpan>,
    private readonly hooks: ClientCallHooks<TSpan>,
  ) {}

  result(value: unknown): unknown {
    if (isObservableAsyncIterable(value)) return this.stream(value);
    try {
      this.hooks.onResult?.(this.span, value);
    } catch (err) {
      hookFailed('recording the result', err);
    }
    this.span.end();
    return value;
  }

  error(error: unknown): void {
    this.recordError(error);
    this.span.end();
  }

  private recordError(error: unknown, aborted = false): void {
    let errorType: string | undefined;
    try {
      errorType = this.hooks.errorType?.(error);
    } catch (err) {
      hookFailed('classifying the error', err);
    }
    if (errorType === undefined && (isAbortError(error) || (aborted && !isTimeoutError(error))))
      errorType = ERROR_TYPE_ABORT;
    this.span.setError(error, errorType);
  }

  stream<T extends object>(stream: T): T {
    // No context per step (`context` stays unset): the request was sent inside the span already, and
    // reading the body of an SDK stream starts no spans.
    this.signal = abortSignalOf(stream);
    this.iteratorMethod = hasOwnFunction(stream, 'iterator') ? 'iterator' : undefined;
    return observeAsyncIterable(stream, this);
  }

  /** The observer's item callback: time to first chunk, then the adapter's hook. */
  onItem(item: unknown): void {
    if (!this.firstItemSeen) {
      this.firstItemSeen = true;
      const now = performance.now();
      this.span.update({ timeToFirstChunk: (now - this.startedAt) / 1000 } as unknown as Partial<
        Omit<TSpan, 'type'>
      >);
      if (recordsOutputChunkTimes()) {
        this.chunkIntervals = [];
        this.lastItemAt = now;
      }
    } else if (this.chunkIntervals !== undefined && this.chunkIntervals.length < MAX_CHUNK_INTERVALS) {
      const now = performance.now();
      this.chunkIntervals.push((now - this.lastItemAt) / 1000);
      this.lastItemAt = now;
    }
    try {
      this.hooks.onStreamItem?.(this.span, item);
    } catch (err) {
      hookFailed('recording a stream item', err);
    }
  }

  /**
   * The observer's end callback. Stainless SDK streams end quietly, as if complete, when their
   * request is aborted; the abort reason (an `AbortError`, or what the caller passed to `abort()`) is
   * recorded as the error.
   */
  onEnd(reason: StreamEndReason, error?: unknown): void {
    const signal = this.signal;
    if (reason === 'complete' && signal?.aborted) this.endStream('abort', signal.reason);
    else this.endStream(reason, error);
  }

  endStream(reason: StreamEndReason, error?: unknown): void {
    try {
      this.hooks.onStreamEnd?.(this.span, reason);
    } catch (err) {
      hookFailed('recording the stream outcome', err);
    }
    if (reason === 'error') this.recordError(error);
    else if (reason === 'abort' && error !== undefined) this.recordError(error, true);
    if (reason !== 'complete') {
      this.span.setAttribute(sc.ATTR_AGENT_OTEL_STREAM_ENDED_EARLY, true);
      this.span.setAttribute(sc.ATTR_AGENT_OTEL_STREAM_END_REASON, reason);
    }
    if (this.chunkIntervals !== undefined && this.chunkIntervals.length > 0) {
      this.span.update({ outputChunkIntervals: this.chunkIntervals } as unknown as Partial<
        Omit<TSpan, 'type'>
      >);
    }
    this.span.end();
  }
}

function hasOwnFunction(target: object, name: string): boolean {
  try {
    return Object.hasOwn(target, name) && typeof (target as Record<string, unknown>)[name] === 'function';
  } catch {
    return false;
  }
}

/**
 * `error.type` of a call the caller aborted (its `AbortSignal`, or the SDK stream's `controller`),
 * whatever the SDK threw or the caller gave `abort()`: a JSON call rejects with the SDK's
 * `APIUserAbortError`, a stream ends with the signal's reason (a DOMException `AbortError`, or any
 * value). One cause, one value: the DOM's name for it (a signal from `AbortSignal.timeout()` keeps
 * `TimeoutError`).
 */
const ERROR_TYPE_ABORT = 'AbortError';

function errorName(error: unknown): unknown {
  try {
    return typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  } catch {
    return undefined;
  }
}

/** True for the abort error of `fetch`/DOM (`AbortError`) and of Stainless SDKs (`APIUserAbortError`); never throws. */
function isAbortError(error: unknown): boolean {
  const name = errorName(error);
  if (name === 'AbortError' || name === 'APIUserAbortError') return true;
  try {
    // A Stainless error keeps the name `Error`; its class names the cause.
    return (error as { constructor?: { name?: unknown } }).constructor?.name === 'APIUserAbortError';
  } catch {
    return false;
  }
}

/** An `AbortSignal.timeout()` fired: a timeout, not the caller's abort. */
function isTimeoutError(error: unknown): boolean {
  return errorName(error) === 'TimeoutError';
}

/** The abort signal of an SDK stream's `controller`, if it has one; never throws. */
function abortSignalOf(stream: object): AbortSignal | undefined {
  try {
    const signal = (stream as { controller?: { signal?: unknown } }).controller?.signal;
    return signal instanceof AbortSignal ? signal : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Runs one model-client call inside `span` and ends the span when the call is really done, whatever
 * the call returns:
 * - a Stainless SDK `APIPromise` (openai, @anthropic-ai/sdk) is returned **as the same object**; the
 *   span ends when the user's parse of it finishes (`onResult`), when a streamed result is consumed,
 *   stopped, fails, or is dropped (`onStreamItem` / `onStreamEnd`), when the request fails, or — if
 *   nobody ever reads it — when it is garbage-collected or tracing shuts down;
 * - another promise ends the span on settlement (a resolved stream is observed as above);
 * - an async iterable is observed in place; any other value ends the span at once.
 *
 * The call runs with the span active, so HTTP spans nest under it. The user's errors are recorded and
 * re-thrown unchanged; the adapter's hooks can never break the call. The time to the first streamed
 * item is recorded as `timeToFirstChunk` (seconds).
 */
export function traceClientCall<TSpan extends SpanData, R>(
  span: SpanHandle<TSpan>,
  call: () => R,
  hooks: ClientCallHooks<TSpan> = {},
): R {
  const tracker = new CallTracker(span, hooks);
  let result: R;
  try {
    result = contextApi.with(span.context, call);
  } catch (error) {
    tracker.error(error);
    throw error;
  }
  try {
    if (isLazyApiPromise(result)) {
      traceApiPromise(result, tracker);
      return result;
    }
    if (result instanceof Promise) {
      if (Object.getPrototypeOf(result) === Promise.prototype) {
        // A plain promise: hand back a chained one so an unhandled rejection stays unhandled.
        return result.then(
          (value) => tracker.result(value),
          (error: unknown) => {
            tracker.error(error);
            throw error;
          },
        ) as R;
      }
      result.then(
        (value) => tracker.result(value),
        (error: unknown) => tracker.error(error),
      );
      return result;
    }
    return tracker.result(result) as R;
  } catch (err) {
    diag.warn('agent-otel: could not follow a client call; its span ends now', err);
    span.end();
    return result;
  }
}

{
  const tracker = new CallTracker(new AgentSpan({ type: 'custom', name: 'agent_otel.shape_anchor' }), {});
  keepShapes(tracker, tracker.span);
}
