import { context as contextApi, diag } from '@opentelemetry/api';
import { AgentSpan } from '../api/AgentSpan.js';
import * as sc from '../semconv.js';
import type { SpanData } from '../kinds/span-data.js';
import {
  isObservableAsyncIterable,
  observeAsyncIterable,
  watchUntilSettled,
  type AsyncIterationObserver,
  type PendingWatch,
  type StreamEndReason,
} from './stream-observer.js';

/**
 * What an adapter does with the outcome of one client call. Every hook is guarded: a throw is logged
 * through `diag` and the user's call goes on untouched.
 */
export interface ClientCallHooks<TSpan extends SpanData = SpanData> {
  /** The parsed, non-streamed result (e.g. a chat completion object). */
  onResult?(span: AgentSpan<TSpan>, result: unknown): void;
  /** Each item of a streamed result, in order (e.g. a chunk or SSE event). */
  onStreamItem?(span: AgentSpan<TSpan>, item: unknown): void;
  /**
   * Called once before a streamed span ends, however the stream ended, so the adapter can record what
   * it accumulated (partial output and usage included).
   */
  onStreamEnd?(span: AgentSpan<TSpan>, reason: StreamEndReason): void;
  /**
   * The `error.type` of a failed call (e.g. an HTTP status such as `429`); `undefined` keeps the
   * default (the error's class name).
   */
  errorType?(error: unknown): string | undefined;
}

/**
 * The shape of a Stainless-generated SDK promise (`openai`, `@anthropic-ai/sdk`): a Promise subclass
 * that parses lazily through `parseResponse` and keeps the raw response in `responsePromise`.
 */
interface LazyApiPromise {
  responsePromise: Promise<unknown>;
  parseResponse: (...args: unknown[]) => unknown;
}

function isLazyApiPromise(value: unknown): value is LazyApiPromise & object {
  return (
    value instanceof Promise &&
    typeof (value as Partial<LazyApiPromise>).parseResponse === 'function' &&
    typeof (value as Partial<LazyApiPromise>).responsePromise?.then === 'function'
  );
}

/** Hooks are guarded (inline, no closure per call or streamed item): a throw is logged, never passed on. */
function hookFailed(what: string, err: unknown): void {
  diag.warn(`agent-otel: ${what} failed; the call is not affected`, err);
}

/**
 * Per-call state: ends the span exactly once. It is also the observer of a streamed result (its
 * `onItem` / `onEnd`), so observing a stream makes no closures, and each streamed item takes one
 * method call to reach the adapter.
 */
class CallTracker<TSpan extends SpanData> implements AsyncIterationObserver {
  private firstItemSeen = false;
  private readonly startedAt = performance.now();
  /** The stream's `controller.signal`, when the result is a Stainless SDK stream. */
  private signal: AbortSignal | undefined = undefined;
  /** A Stainless `Stream` creates its iterators with `iterator()`, which its `tee()` calls directly. */
  iteratorMethod: PropertyKey | undefined = undefined;

  constructor(
    readonly span: AgentSpan<TSpan>,
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

  private recordError(error: unknown): void {
    let errorType: string | undefined;
    try {
      errorType = this.hooks.errorType?.(error);
    } catch (err) {
      hookFailed('classifying the error', err);
    }
    this.span.setError(error, errorType);
  }

  stream<T extends object>(stream: T): T {
    // No context per step (`context` stays unset): the request was sent inside the span already, and
    // reading the body of an SDK stream starts no spans. (A context switch per streamed item is the
    // costliest part of observing.)
    this.signal = abortSignalOf(stream);
    this.iteratorMethod = hasOwnFunction(stream, 'iterator') ? 'iterator' : undefined;
    return observeAsyncIterable(stream, this);
  }

  /** The observer's item callback: time to first chunk, then the adapter's hook. */
  onItem(item: unknown): void {
    if (!this.firstItemSeen) {
      this.firstItemSeen = true;
      const seconds = (performance.now() - this.startedAt) / 1000;
      this.span.update({ timeToFirstChunk: seconds } as unknown as Partial<Omit<TSpan, 'type'>>);
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
    if (reason === 'error' || (reason === 'abort' && error !== undefined)) this.recordError(error);
    if (reason !== 'complete') {
      this.span.setAttribute(sc.ATTR_AGENT_OTEL_STREAM_ENDED_EARLY, true);
      this.span.setAttribute(sc.ATTR_AGENT_OTEL_STREAM_END_REASON, reason);
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
 * Per-call state of a traced lazy SDK promise, kept on the promise under {@link LAZY_CALL}. The
 * SDK's `APIPromise` prototype methods, hooked once (see {@link hookApiPromiseClass}), report to it.
 * Once the call is settled it lets go of the call's tracker (and so of the span and everything the
 * adapter recorded): the SDK's promise, and what the SDK keeps of it, then hold only this small object.
 */
class LazyCall<TSpan extends SpanData> {
  /** `parse()` (also behind `then()`, `withResponse()`) was called. */
  parseRequested = false;
  /** `asResponse()` was called. */
  rawRequested = false;
  constructor(
    /** Until the call is settled. */
    private tracker: CallTracker<TSpan> | undefined,
    private readonly watch: PendingWatch,
  ) {}

  /**
   * The call finished (a result, an error, or it was handed on): the tracker, for the one caller
   * that gets here first; `undefined` if the call was already settled, collected or shut down.
   */
  settle(): CallTracker<TSpan> | undefined {
    const tracker = this.tracker;
    this.tracker = undefined;
    return tracker !== undefined && this.watch.settle() ? tracker : undefined;
  }

  /** Starts watching the promise for collection: its response arrived and nobody asked for it. */
  watchCollection(promise: object): void {
    this.watch.watchCollection(promise);
  }

  /**
   * SDK helpers (`chat.completions.parse()`, `responses.parse()`) read the call through a promise
   * derived with `_thenUnwrap`, which in some SDK versions parses with the original parser rather
   * than this promise's `parseResponse`: the span follows the derived promise from then on.
   */
  follow(derived: unknown): void {
    if (!isLazyApiPromise(derived)) return;
    const tracker = this.settle();
    if (tracker === undefined) return;
    try {
      traceLazyApiPromise(derived, tracker);
    } catch (err) {
      diag.warn('agent-otel: could not follow a derived SDK promise; its span ends now', err);
      tracker.span.end();
    }
  }
}

// Symbol.for: the ESM and CommonJS copies of core share the hooks and the state they read.
const LAZY_CALL = Symbol.for('agent_otel.lazy_api_call.v1');
const HOOK_MARK = Symbol.for('agent_otel.api_promise_hook.v1');

type LazyCallHolder = Record<symbol, LazyCall<SpanData> | undefined>;

function lazyCallOf(promise: unknown): LazyCall<SpanData> | undefined {
  return promise != null ? (promise as LazyCallHolder)[LAZY_CALL] : undefined;
}

/** A hook that notes on the promise's {@link LazyCall} that the method was called, then calls it. */
function noting(flag: 'parseRequested' | 'rawRequested') {
  return (original: (...args: unknown[]) => unknown) =>
    function (this: unknown) {
      const call = lazyCallOf(this);
      if (call) call[flag] = true;
      // eslint-disable-next-line prefer-rest-params
      return original.apply(this, arguments as unknown as unknown[]);
    };
}

const HOOKS: Record<string, (original: (...args: unknown[]) => unknown) => (...args: unknown[]) => unknown> =
  {
    parse: noting('parseRequested'),
    asResponse: noting('rawRequested'),
    _thenUnwrap: (original) =>
      function _thenUnwrap(this: unknown) {
        // eslint-disable-next-line prefer-rest-params
        const derived = original.apply(this, arguments as unknown as unknown[]);
        const call = lazyCallOf(this);
        if (call) {
          try {
            call.follow(derived);
          } catch (err) {
            diag.warn('agent-otel: could not follow a derived SDK promise', err);
          }
        }
        return derived;
      },
  };

const HOOK_NAMES = Object.keys(HOOKS);

/** Prototypes whose `APIPromise` class is hooked (or was found not hookable). */
const hookedPrototypes = new WeakSet<object>();

/**
 * Hooks `parse`, `asResponse` and `_thenUnwrap` of an SDK's `APIPromise` class, once per class. The
 * hooks only note the call on the promise's {@link LazyCall}; on a promise without one (any call not
 * traced, or traced before this copy of core) they do nothing but call the SDK's method. Hooking the
 * class once costs nothing per call, where shadowing three methods on every promise cost a few
 * microseconds. They stay in place while tracing is off.
 */
function hookApiPromiseClass(promise: object): void {
  const prototype = Object.getPrototypeOf(promise) as object | null;
  if (prototype === null || hookedPrototypes.has(prototype)) return;
  hookedPrototypes.add(prototype);
  for (const name of HOOK_NAMES) {
    let owner: object | null = prototype;
    while (owner !== null && owner !== Promise.prototype && !Object.hasOwn(owner, name)) {
      owner = Object.getPrototypeOf(owner) as object | null;
    }
    if (owner === null || owner === Promise.prototype) continue;
    const descriptor = Object.getOwnPropertyDescriptor(owner, name);
    const original: unknown = descriptor?.value;
    if (typeof original !== 'function' || (original as unknown as Record<symbol, unknown>)[HOOK_MARK])
      continue;
    if (!descriptor?.configurable && !descriptor?.writable) continue;
    const hooked = HOOKS[name](original as (...args: unknown[]) => unknown);
    Object.defineProperty(hooked, 'name', { value: (original as { name: string }).name });
    Object.defineProperty(hooked, HOOK_MARK, { value: true });
    Object.defineProperty(owner, name, { ...descriptor, value: hooked });
  }
}

/**
 * Hooks the methods a promise carries as own properties, which shadow the class's hooked ones (e.g.
 * `openai` 7 gives each promise its own `_thenUnwrap` and `withResponse`). Replacing an own data
 * property keeps the object's shape, so this stays cheap.
 */
function hookOwnMethods(promise: object): void {
  for (const name of HOOK_NAMES) {
    if (!Object.hasOwn(promise, name)) continue;
    const original = (promise as Record<string, unknown>)[name];
    if (typeof original !== 'function' || (original as unknown as Record<symbol, unknown>)[HOOK_MARK])
      continue;
    const hooked = HOOKS[name](original as (...args: unknown[]) => unknown);
    try {
      (promise as Record<string, unknown>)[name] = hooked;
    } catch {
      Object.defineProperty(promise, name, {
        value: hooked,
        writable: true,
        configurable: true,
        enumerable: false,
      });
    }
  }
}

/**
 * The `responsePromise` that replaces the SDK's: the same response, seen first by us. It is derived
 * from the original so an error is seen without marking the original as handled: the user's
 * `parse()` / `asResponse()` chain from this field, so an unawaited failing call rejects unhandled
 * exactly as it would without us.
 */
function followResponse(
  original: Promise<unknown>,
  promise: object,
  call: LazyCall<SpanData>,
): Promise<unknown> {
  return original.then(
    (response) => {
      if (call.parseRequested) return response;
      // `asResponse()` hands the raw HTTP response to the caller, who reads the body: when nothing
      // has asked for the parsed result (`parse()`, `then()`, `withResponse()`) by the time the
      // response arrives, the span ends here; when nothing asked for anything, the promise is
      // watched for collection from now on.
      if (!call.rawRequested) call.watchCollection(promise);
      else call.settle()?.span.end();
      return response;
    },
    (error: unknown) => {
      call.settle()?.error(error);
      throw error;
    },
  );
}

/** The `parseResponse` that replaces the SDK's: parses as before, then records the result or error. */
function tracedParser(
  originalParse: (...args: unknown[]) => unknown,
  call: LazyCall<SpanData>,
): (...args: unknown[]) => unknown {
  return function (this: unknown) {
    let parsed: unknown;
    try {
      // eslint-disable-next-line prefer-rest-params
      parsed = originalParse.apply(this, arguments as unknown as unknown[]);
    } catch (error) {
      call.settle()?.error(error);
      throw error;
    }
    return Promise.resolve(parsed).then(
      (value) => {
        const tracker = call.settle();
        return tracker ? tracker.result(value) : value;
      },
      (error: unknown) => {
        call.settle()?.error(error);
        throw error;
      },
    );
  };
}

/**
 * Hooks into a lazy SDK promise in place: the user gets the same object, with every helper working.
 *
 * The closures put on the promise are each made by a small function of their own, so each holds
 * only what it uses. (Made here, they shared this function's context, and with it the promise: V8
 * then kept the responses of every call made since the last young-generation GC alive through it,
 * and promoted them all to the old generation: 3.5 times the young survivors of a hand-written span
 * per `messages.create`, measured with `--trace-gc-nvp`.)
 */
function traceLazyApiPromise<TSpan extends SpanData>(
  promise: LazyApiPromise & object,
  tracker: CallTracker<TSpan>,
): void {
  hookApiPromiseClass(promise);
  hookOwnMethods(promise);
  // Until the user parses the response (await / then / withResponse), nothing else tells us it is
  // done; if the promise is dropped or the process shuts down first, the span ends then. Most calls
  // are awaited at once, so the promise is only watched for collection once its response has
  // arrived with nobody asking for it (until then the pending request keeps the promise alive).
  // The tracker is the watch's observer: its `onEnd` ends the span when the promise is collected or
  // tracing shuts down. (Not a closure made here: that would share this scope with the closures that
  // hold the SDK's functions, and some SDK versions' parser closes over its promise, so the watch would
  // keep the promise reachable and it could never be collected.)
  const watch = watchUntilSettled(undefined, tracker);
  const call = new LazyCall(tracker, watch) as unknown as LazyCall<SpanData>;
  (promise as unknown as LazyCallHolder)[LAZY_CALL] = call;
  promise.responsePromise = followResponse(promise.responsePromise, promise, call);
  promise.parseResponse = tracedParser(promise.parseResponse, call);
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
  span: AgentSpan<TSpan>,
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
      traceLazyApiPromise(result, tracker);
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
