/*
 * Tracing a call whose result is a Stainless-generated SDK promise (`APIPromise` of `openai` and
 * `@anthropic-ai/sdk`). Everything here depends on that class's private fields and methods
 * (`responsePromise`, `parseResponse`, `parse`, `asResponse`, `_thenUnwrap`): an SDK release that
 * changes them is handled here alone.
 */
import { diag } from '@opentelemetry/api';
import type { StreamEndReason } from './Observation.js';
import { watchUntilSettled, type PendingWatch } from './pending-watch.js';

/**
 * The shape of a Stainless-generated SDK promise: a Promise subclass that parses lazily through
 * `parseResponse` and keeps the raw response in `responsePromise`.
 */
interface LazyApiPromise {
  responsePromise: Promise<unknown>;
  parseResponse: (...args: unknown[]) => unknown;
}

/** True for a Stainless SDK `APIPromise` (a promise with `parseResponse` and `responsePromise`). */
export function isLazyApiPromise(value: unknown): value is LazyApiPromise & object {
  return (
    value instanceof Promise &&
    typeof (value as Partial<LazyApiPromise>).parseResponse === 'function' &&
    typeof (value as Partial<LazyApiPromise>).responsePromise?.then === 'function'
  );
}

/** What a traced SDK promise reports to: the per-call state of `traceClientCall`. */
export interface ApiPromiseTracker {
  readonly span: { end(): void };
  /** The parsed result: records it and ends the span (or observes a streamed result); returns what the caller gets. */
  result(value: unknown): unknown;
  /** The request or its parsing failed: records the error and ends the span. */
  error(error: unknown): void;
  /** The promise was collected or tracing shut down before anyone read it: ends the span. */
  onEnd(reason: StreamEndReason): void;
}

/**
 * Per-call state of a traced SDK promise, kept on the promise under {@link LAZY_CALL}. The SDK's
 * `APIPromise` methods, hooked once per class (see {@link hookApiPromiseClass}), report to it. Once
 * the call is settled it lets go of the call's tracker (and so of the span and everything the
 * adapter recorded): the SDK's promise, and what the SDK keeps of it, then hold only this small object.
 */
class LazyCall {
  /** `parse()` (also behind `then()`, `withResponse()`) was called. */
  parseRequested = false;
  /** `asResponse()` was called. */
  rawRequested = false;
  constructor(
    /** Until the call is settled. */
    private tracker: ApiPromiseTracker | undefined,
    private readonly watch: PendingWatch,
  ) {}

  /**
   * The call finished (a result, an error, or it was handed on): the tracker, for the one caller
   * that gets here first; `undefined` if the call was already settled, collected or shut down.
   */
  settle(): ApiPromiseTracker | undefined {
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
      traceApiPromise(derived, tracker);
    } catch (err) {
      diag.warn('agent-otel: could not follow a derived SDK promise; its span ends now', err);
      tracker.span.end();
    }
  }
}

// Symbol.for: the ESM and CommonJS copies of core share the hooks and the state they read.
const LAZY_CALL = Symbol.for('agent_otel.lazy_api_call.v1');
const HOOK_MARK = Symbol.for('agent_otel.api_promise_hook.v1');

type LazyCallHolder = Record<symbol, LazyCall | undefined>;
type Method = (...args: unknown[]) => unknown;

function lazyCallOf(promise: unknown): LazyCall | undefined {
  return promise != null ? (promise as LazyCallHolder)[LAZY_CALL] : undefined;
}

/** A hook that notes on the promise's {@link LazyCall} that the method was called, then calls it. */
function noting(flag: 'parseRequested' | 'rawRequested') {
  return (original: Method): Method =>
    function (this: unknown, ...args: unknown[]) {
      const call = lazyCallOf(this);
      if (call) call[flag] = true;
      return original.apply(this, args);
    };
}

const HOOKS: Record<string, (original: Method) => Method> = {
  parse: noting('parseRequested'),
  asResponse: noting('rawRequested'),
  _thenUnwrap: (original) =>
    function _thenUnwrap(this: unknown, ...args: unknown[]) {
      const derived = original.apply(this, args);
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

/**
 * Prototypes this copy of core has hooked (or found not hookable): a per-copy memo. Whether a method
 * is already hooked, by any copy, is read from {@link HOOK_MARK} on the method itself, so a second
 * copy never hooks a method twice; and a newer copy that hooks more methods still adds its own.
 */
const hookedPrototypes = new WeakSet<object>();

/**
 * Hooks `parse`, `asResponse` and `_thenUnwrap` of an SDK's `APIPromise` class, once per class, so
 * nothing is added to each promise. The hooks only note the call on the promise's {@link LazyCall};
 * on a promise without one (any call not traced, or traced before this copy of core) they do nothing
 * but call the SDK's method. They stay in place while tracing is off.
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
    const hooked = HOOKS[name](original as Method);
    Object.defineProperty(hooked, 'name', { value: (original as { name: string }).name });
    Object.defineProperty(hooked, HOOK_MARK, { value: true });
    Object.defineProperty(owner, name, { ...descriptor, value: hooked });
  }
}

/**
 * Hooks the methods a promise carries as own properties, which shadow the class's hooked ones (e.g.
 * `openai` 7 gives each promise its own `_thenUnwrap` and `withResponse`).
 */
function hookOwnMethods(promise: object): void {
  for (const name of HOOK_NAMES) {
    if (!Object.hasOwn(promise, name)) continue;
    const original = (promise as Record<string, unknown>)[name];
    if (typeof original !== 'function' || (original as unknown as Record<symbol, unknown>)[HOOK_MARK])
      continue;
    const hooked = HOOKS[name](original as Method);
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
function followResponse(original: Promise<unknown>, promise: object, call: LazyCall): Promise<unknown> {
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
function tracedParser(originalParse: Method, call: LazyCall): Method {
  return function (this: unknown, ...args: unknown[]) {
    let parsed: unknown;
    try {
      parsed = originalParse.apply(this, args);
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
 * Hooks into an SDK promise in place: the user keeps the same object, with every helper working, and
 * `tracker` hears how the call ends. Until the user parses the response (await / then /
 * withResponse), nothing else says it is done; if the promise is dropped or the process shuts down
 * first, the tracker's `onEnd` ends the span then. The promise is watched for collection only once
 * its response has arrived with nobody asking for it (until then the pending request keeps it alive).
 *
 * The functions put on the promise are made by functions of their own ({@link followResponse},
 * {@link tracedParser}), never by closures here: a closure made here would share this scope, and
 * with it the promise, with the watch, which would then keep a dropped promise reachable for ever.
 */
export function traceApiPromise(promise: LazyApiPromise & object, tracker: ApiPromiseTracker): void {
  hookApiPromiseClass(promise);
  hookOwnMethods(promise);
  const call = new LazyCall(tracker, watchUntilSettled(undefined, tracker));
  (promise as unknown as LazyCallHolder)[LAZY_CALL] = call;
  promise.responsePromise = followResponse(promise.responsePromise, promise, call);
  promise.parseResponse = tracedParser(promise.parseResponse, call);
}
