import { context as contextApi, diag, type Context } from '@opentelemetry/api';

/**
 * Why an observed async iteration ended:
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

/** Callbacks for an observed async iterable. Each is guarded: a throw is logged through `diag` and ignored. */
export interface AsyncIterationObserver<TItem = unknown> {
  /** Each step of the iteration runs in this context, so work inside a generator nests under its span. */
  context?: Context;
  /**
   * The method of the target that creates its iterators; default `Symbol.asyncIterator`. SDK streams
   * whose own helpers bypass `Symbol.asyncIterator` (the Stainless `Stream#tee()` calls `iterator()`)
   * name that method here, so every consumer, helpers included, is observed.
   */
  iteratorMethod?: PropertyKey;
  /** Called with every item the consumer receives. */
  onItem?(item: TItem): void;
  /** Called exactly once, however the iteration ends. */
  onEnd(reason: StreamEndReason, error?: unknown): void;
}

/** What a finisher holds once it has ended: nothing of the observation it ended. */
const ENDED: AsyncIterationObserver = { onEnd() {} };

/**
 * A link of the list of open observations (ended on shutdown). The list is intrusive, so opening and
 * ending an observation allocates nothing: a `Set` reallocates its table as it empties and fills,
 * once or twice per call, and the young GC keeps every discarded table (and what it held) alive.
 */
class OpenLink {
  prev: OpenLink | undefined = undefined;
  next: OpenLink | undefined = undefined;
}

/** The head of the list of open observations: a ring, empty when it links to itself. */
const openFinishers = new OpenLink();
openFinishers.prev = openFinishers;
openFinishers.next = openFinishers;

function linkOpen(link: OpenLink): void {
  const first = openFinishers.next as OpenLink;
  link.prev = openFinishers;
  link.next = first;
  first.prev = link;
  openFinishers.next = link;
}

function unlinkOpen(link: OpenLink): void {
  const { prev, next } = link;
  if (prev === undefined || next === undefined) return;
  prev.next = next;
  next.prev = prev;
  link.prev = undefined;
  link.next = undefined;
}

/**
 * Ends one observation exactly once. Holds no reference to the observed object, so it can be
 * collected, and lets go of its observer once ended (whatever still references the finisher, such
 * as an SDK object that outlives the call, then keeps none of the call's state).
 */
class Finisher extends OpenLink {
  private done = false;
  iterated = false;

  constructor(private observer: AsyncIterationObserver<any>) {
    super();
  }

  item(item: unknown): void {
    if (this.done || !this.observer.onItem) return;
    try {
      this.observer.onItem(item);
    } catch (err) {
      diag.warn('agent-otel: stream item observer failed', err);
    }
  }

  /** Stops watching without calling `onEnd` (the caller finishes another way); false if already ended. */
  settle(): boolean {
    if (this.done) return false;
    this.done = true;
    this.observer = ENDED;
    unlinkOpen(this);
    collected.unregister(this);
    return true;
  }

  /** Starts watching `target` for garbage collection (no-op once ended). */
  watchCollection(target: object): void {
    if (this.done) return;
    try {
      collected.register(target, this, this);
    } catch (err) {
      diag.debug('agent-otel: cannot watch this object for collection', err);
    }
  }

  finish(reason: StreamEndReason, error?: unknown): void {
    if (this.done) return;
    this.done = true;
    const observer = this.observer;
    this.observer = ENDED;
    unlinkOpen(this);
    collected.unregister(this);
    try {
      observer.onEnd(reason, error);
    } catch (err) {
      diag.warn('agent-otel: stream end observer failed', err);
    }
  }
}

const collected = new FinalizationRegistry<Finisher>((finisher) =>
  finisher.finish(finisher.iterated ? 'abandoned' : 'unconsumed'),
);

type AnyIterator = AsyncIterator<unknown> & Record<PropertyKey, unknown>;

/**
 * Each observed iterator holds its target under this key, so the target is not collected (which would
 * end the observation as `abandoned`) while a consumer still iterates, e.g. in
 * `for await (const x of await create())`, where nothing else references the stream object.
 */
const OBSERVED_TARGET = Symbol('agent_otel.observed_target');

function defineMethod(target: object, name: PropertyKey, value: unknown): void {
  Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable: false });
}

/** `%AsyncGeneratorPrototype%`: where `next`/`return`/`throw` of every async generator object live. */
const ASYNC_GENERATOR_PROTOTYPE: unknown = Object.getPrototypeOf(async function* () {}.prototype);

/**
 * True for an object made by an async generator function. Its methods are plain data properties of
 * `%AsyncGeneratorPrototype%`, so they can be shadowed by assignment (fast) instead of
 * `defineProperty` (a slow runtime path, taken per streamed call).
 */
function isAsyncGeneratorObject(value: object): value is AsyncGenerator<unknown, unknown, unknown> {
  const generatorPrototype: unknown = Object.getPrototypeOf(value);
  return (
    generatorPrototype != null && Object.getPrototypeOf(generatorPrototype) === ASYNC_GENERATOR_PROTOTYPE
  );
}

/** Shadows `target[name]`: by assignment when that is known to be safe, else with `defineProperty`. */
function setMethod(target: object, name: PropertyKey, value: unknown, assign: boolean): void {
  if (assign) (target as Record<PropertyKey, unknown>)[name] = value;
  else defineMethod(target, name, value);
}

/** What an observed `next()` does with the step it returns: report the item or the end, pass it on. */
function stepHandlers(finisher: Finisher): {
  onStep: (result: IteratorResult<unknown>) => IteratorResult<unknown>;
  onStepError: (err: unknown) => never;
} {
  return {
    onStep: (result) => {
      if (result?.done) finisher.finish('complete');
      else finisher.item(result?.value);
      return result;
    },
    onStepError: (err) => {
      finisher.finish('error', err);
      throw err;
    },
  };
}

/** Wraps `next` / `return` / `throw` of an iterator object in place. */
function instrumentIterator(iterator: AnyIterator, finisher: Finisher, ctx: Context | undefined): void {
  const originalNext = iterator.next as (...args: unknown[]) => Promise<IteratorResult<unknown>>;
  const originalReturn = iterator.return as
    ((value?: unknown) => Promise<IteratorResult<unknown>>) | undefined;
  const originalThrow = iterator.throw as ((error?: unknown) => Promise<IteratorResult<unknown>>) | undefined;
  const assign = isAsyncGeneratorObject(iterator);
  const { onStep, onStepError } = stepHandlers(finisher);

  setMethod(
    iterator,
    'next',
    function next(this: unknown) {
      finisher.iterated = true;
      let step: Promise<IteratorResult<unknown>>;
      try {
        // `arguments` rather than a rest parameter: no array per streamed item.
        // eslint-disable-next-line prefer-rest-params
        const args = arguments as unknown as unknown[];
        step = ctx
          ? contextApi.with(ctx, () => originalNext.apply(this, args))
          : originalNext.apply(this, args);
      } catch (err) {
        finisher.finish('error', err);
        throw err;
      }
      return Promise.resolve(step).then(onStep, onStepError);
    },
    assign,
  );

  setMethod(
    iterator,
    'return',
    function (this: unknown, value?: unknown) {
      finisher.finish('return');
      if (originalReturn) return originalReturn.call(this, value);
      return Promise.resolve({ done: true, value });
    },
    assign,
  );

  if (originalThrow) {
    setMethod(
      iterator,
      'throw',
      function (this: unknown, error?: unknown) {
        finisher.finish('error', error);
        return originalThrow.call(this, error);
      },
      assign,
    );
  }
}

/** `%AsyncGeneratorPrototype%.next`, shared by every async generator object that does not shadow it. */
const ASYNC_GENERATOR_NEXT = (ASYNC_GENERATOR_PROTOTYPE as AsyncGenerator<unknown, unknown, unknown>).next;

/** `%AsyncIteratorPrototype%`: `[Symbol.asyncIterator]() { return this }` and, where supported, `[Symbol.asyncDispose]`. */
const ASYNC_ITERATOR_PROTOTYPE = Object.getPrototypeOf(ASYNC_GENERATOR_PROTOTYPE) as object;

/**
 * Stands in for the async generator object an observed iterable's iterator method returns (an SDK
 * stream's `iterator()`): same `next`/`return`/`throw`, results passed through unchanged, inheriting
 * `%AsyncIteratorPrototype%` like a generator. Shadowing the methods of the generator object itself
 * would cost a new hidden class per call, since SDKs make a new generator function per response.
 */
class ObservedIterator {
  private readonly onStep: (result: IteratorResult<unknown>) => IteratorResult<unknown>;
  private readonly onStepError: (err: unknown) => never;
  /**
   * No context to switch to per step, and the inner generator's `next` is the intrinsic one (nothing
   * shadows it): called as a constant, not looked up per item. Each SDK response has a generator
   * function (and so a hidden class) of its own, so that lookup would be megamorphic.
   */
  private readonly direct: boolean;

  constructor(
    private readonly inner: AsyncGenerator<unknown, unknown, unknown>,
    private readonly finisher: Finisher,
    private readonly ctx: Context | undefined,
    /** Keeps the observed iterable reachable while a consumer iterates (see OBSERVED_TARGET). */
    readonly target: object,
  ) {
    ({ onStep: this.onStep, onStepError: this.onStepError } = stepHandlers(finisher));
    this.direct = ctx === undefined && inner.next === ASYNC_GENERATOR_NEXT;
  }

  // An async generator's `next(value)` treats a missing value as `undefined`, so one parameter will do.
  next(value?: unknown): Promise<IteratorResult<unknown>> {
    this.finisher.iterated = true;
    // The intrinsic `next` never throws and always returns a native promise (a rejected one for any
    // error), so its step needs neither a guard nor `Promise.resolve`.
    if (this.direct) return ASYNC_GENERATOR_NEXT.call(this.inner, value).then(this.onStep, this.onStepError);
    const inner = this.inner;
    let step: Promise<IteratorResult<unknown>>;
    try {
      if (this.ctx) step = contextApi.with(this.ctx, () => inner.next(value));
      else step = inner.next(value);
    } catch (err) {
      this.finisher.finish('error', err);
      throw err;
    }
    return Promise.resolve(step).then(this.onStep, this.onStepError);
  }

  return(value?: unknown): Promise<IteratorResult<unknown>> {
    this.finisher.finish('return');
    return this.inner.return(value);
  }

  throw(error?: unknown): Promise<IteratorResult<unknown>> {
    this.finisher.finish('error', error);
    return this.inner.throw(error);
  }
}
Object.setPrototypeOf(ObservedIterator.prototype, ASYNC_ITERATOR_PROTOTYPE);

/** True when `target[name]` is an own writable data property, which assignment replaces like `defineProperty`. */
function isOwnWritable(target: object, name: PropertyKey): boolean {
  const descriptor = Object.getOwnPropertyDescriptor(target, name);
  return descriptor?.writable === true;
}

/**
 * The iterator method put on an observed iterable: each iterator it returns is observed. Made by a
 * function of its own, so the method (which lives as long as the iterable) holds only what it uses.
 */
function observingIteratorMethod(
  originalIterator: (...args: unknown[]) => AnyIterator,
  finisher: Finisher,
  ctx: Context | undefined,
  target: object,
): (...args: unknown[]) => AnyIterator | ObservedIterator {
  return function (this: unknown, ...args: unknown[]) {
    const iterator = originalIterator.apply(this, args);
    try {
      if (isAsyncGeneratorObject(iterator)) return new ObservedIterator(iterator, finisher, ctx, target);
      instrumentIterator(iterator, finisher, ctx);
      defineMethod(iterator, OBSERVED_TARGET, target);
    } catch (err) {
      diag.warn('agent-otel: could not observe stream iterator', err);
    }
    return iterator;
  };
}

/**
 * Observes an async iterable **in place** and returns the same object: the consumer keeps every
 * method and property it had (`tee()`, `controller`, helper events), while `observer.onEnd` is called
 * exactly once on every exit path — full consumption, `break`/`return()`, an error, garbage
 * collection without iteration, or `endOpenStreamSpans()` at shutdown.
 *
 * Iterator objects (async generators) get their `next`/`return`/`throw` wrapped; other async
 * iterables (e.g. SDK stream classes) get their `[Symbol.asyncIterator]` wrapped so each iterator it
 * returns is observed. Never throws: if the object cannot be instrumented it is returned untouched
 * and `onEnd('complete')` is called at once, so no span is left open.
 */
export function observeAsyncIterable<T extends object>(target: T, observer: AsyncIterationObserver): T {
  const finisher = new Finisher(observer);
  try {
    const candidate = target as unknown as AnyIterator;
    if (typeof candidate.next === 'function') {
      instrumentIterator(candidate, finisher, observer.context);
    } else {
      const method = iteratorMethodOf(candidate, observer.iteratorMethod);
      const originalIterator = candidate[method] as (...args: unknown[]) => AnyIterator;
      const wrapped = observingIteratorMethod(originalIterator, finisher, observer.context, target);
      setMethod(target, method, wrapped, isOwnWritable(target, method));
    }
    linkOpen(finisher);
    collected.register(target, finisher, finisher);
  } catch (err) {
    diag.warn('agent-otel: could not observe async iterable; ending its span now', err);
    finisher.finish('complete');
  }
  return target;
}

function iteratorMethodOf(candidate: AnyIterator, requested: PropertyKey | undefined): PropertyKey {
  return requested !== undefined && typeof candidate[requested] === 'function'
    ? requested
    : Symbol.asyncIterator;
}

/** A pending operation watched by {@link watchUntilSettled}. */
export interface PendingWatch {
  /** The operation finished normally: stop watching. False if it was already ended (GC or shutdown). */
  settle(): boolean;
  /**
   * Starts watching `target` for garbage collection, for a watch made without one (no-op once ended).
   * Registering an object for collection has a cost, so a caller that usually settles soon can wait
   * until it knows the operation is left pending.
   */
  watchCollection(target: object): void;
}

/**
 * Watches an object whose operation has not finished yet (e.g. an API promise nobody awaited): if the
 * object is garbage-collected first, `onEnd('unconsumed')` is called; if `endOpenStreamSpans()` runs
 * first, `onEnd('shutdown')`. Call `settle()` when the operation finishes another way. Without a
 * `target`, only shutdown is watched until `watchCollection(target)` is called. `onEnd` is a function
 * or an observer whose `onEnd` method is called (no closure to make per watch).
 */
export function watchUntilSettled(
  target: object | undefined,
  onEnd: ((reason: StreamEndReason) => void) | Pick<AsyncIterationObserver, 'onEnd'>,
): PendingWatch {
  const finisher = new Finisher(typeof onEnd === 'function' ? { onEnd } : onEnd);
  linkOpen(finisher);
  if (target !== undefined) finisher.watchCollection(target);
  return finisher;
}

/** True for a value that is an async iterable and not a promise. */
export function isObservableAsyncIterable(value: unknown): value is AsyncIterable<unknown> & object {
  return (
    value != null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as Record<symbol, unknown>)[Symbol.asyncIterator] === 'function' &&
    typeof (value as { then?: unknown }).then !== 'function'
  );
}

/**
 * Ends every observed stream that is still open, with reason `shutdown`. `@agent-otel/node` calls it on
 * shutdown so spans of never-finished streams are exported instead of lost.
 */
export function endOpenStreamSpans(reason: StreamEndReason = 'shutdown'): number {
  const pending: Finisher[] = [];
  for (let link = openFinishers.next; link !== openFinishers && link; link = link.next) {
    pending.push(link as Finisher);
  }
  for (const finisher of pending) finisher.finish(reason);
  return pending.length;
}

/** A watch that is already settled: inert, never listed for shutdown nor registered for collection. */
export function settledWatch(): PendingWatch {
  return settledFinisher();
}

function settledFinisher(): Finisher {
  const finisher = new Finisher(ENDED);
  finisher.settle();
  return finisher;
}
