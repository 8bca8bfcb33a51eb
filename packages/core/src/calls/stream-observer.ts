import { context as contextApi, diag, type Context } from '@opentelemetry/api';
import { Observation, type StreamEndReason } from './Observation.js';
import { keepShapes } from './shape-anchors.js';

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

type AnyIterator = AsyncIterator<unknown> & Record<PropertyKey, unknown>;
type IteratorStep = Promise<IteratorResult<unknown>>;

/**
 * Each observed iterator holds its target under this key, so the target is not collected (which would
 * end the observation as `abandoned`) while a consumer still iterates, e.g. in
 * `for await (const x of await create())`, where nothing else references the stream object.
 */
const OBSERVED_TARGET = Symbol('agent_otel.observed_target');

/**
 * Sets `target[name]` as an own writable property, whatever the prototype chain has there (a
 * read-only or accessor property would make an assignment fail). An own property keeps its
 * enumerability; a new one is not enumerable, like the methods it shadows.
 */
function setOwn(target: object, name: PropertyKey, value: unknown): void {
  const enumerable = Object.getOwnPropertyDescriptor(target, name)?.enumerable ?? false;
  Object.defineProperty(target, name, { value, writable: true, configurable: true, enumerable });
}

type StepHandlers = {
  onStep: (result: IteratorResult<unknown>) => IteratorResult<unknown>;
  onStepError: (error: unknown) => never;
};

/** What an observed `next()` does with the step it returns: report the item or the end, pass it on. */
function stepHandlers(observation: Observation): StepHandlers {
  return {
    onStep: (result) => {
      if (result?.done) observation.finish('complete');
      else observation.item(result?.value);
      return result;
    },
    onStepError: (error) => {
      observation.finish('error', error);
      throw error;
    },
  };
}

/** Wraps `next` / `return` / `throw` of an iterator object in place. */
function observeIterator(iterator: AnyIterator, observation: Observation, ctx: Context | undefined): void {
  const originalNext = iterator.next as (...args: unknown[]) => IteratorStep;
  const originalReturn = iterator.return as ((value?: unknown) => IteratorStep) | undefined;
  const originalThrow = iterator.throw as ((error?: unknown) => IteratorStep) | undefined;
  const { onStep, onStepError } = stepHandlers(observation);

  setOwn(iterator, 'next', function next(this: unknown, ...args: unknown[]): IteratorStep {
    observation.iterated = true;
    let step: IteratorStep;
    try {
      step = ctx
        ? contextApi.with(ctx, () => originalNext.apply(this, args))
        : originalNext.apply(this, args);
    } catch (error) {
      observation.finish('error', error);
      throw error;
    }
    return Promise.resolve(step).then(onStep, onStepError);
  });

  setOwn(iterator, 'return', function (this: unknown, value?: unknown): IteratorStep {
    observation.finish('return');
    if (originalReturn) return originalReturn.call(this, value);
    return Promise.resolve({ done: true, value });
  });

  if (originalThrow) {
    setOwn(iterator, 'throw', function (this: unknown, error?: unknown): IteratorStep {
      observation.finish('error', error);
      return originalThrow.call(this, error);
    });
  }
}

/** `%AsyncGeneratorPrototype%`: where `next`/`return`/`throw` of every async generator object live. */
const ASYNC_GENERATOR_PROTOTYPE = Object.getPrototypeOf(async function* () {}.prototype) as AsyncGenerator<
  unknown,
  unknown,
  unknown
>;
const ASYNC_GENERATOR_NEXT = ASYNC_GENERATOR_PROTOTYPE.next;

function isAsyncGeneratorObject(value: object): value is AsyncGenerator<unknown, unknown, unknown> {
  const generatorPrototype: unknown = Object.getPrototypeOf(value);
  return (
    generatorPrototype != null && Object.getPrototypeOf(generatorPrototype) === ASYNC_GENERATOR_PROTOTYPE
  );
}

/**
 * Stands in for the async generator object an observed iterable's iterator method returns (an SDK
 * stream's `iterator()`): same `next`/`return`/`throw`, results passed through unchanged, inheriting
 * `%AsyncIteratorPrototype%` like a generator. Kept instead of patching the generator in place
 * ({@link observeIterator}) because it saves more than 5 % of a streamed call's overhead
 * (instruction-count A/B, bench/adapters-instructions.mjs): SDKs make a new generator function per
 * response, so a patched generator gets a shape of its own on every call, and calling the intrinsic
 * `next` directly (when nothing shadows it and no context is to be entered) avoids looking it up per
 * item on those shapes. Equivalence with the in-place patch is tested in stream-observer.test.ts.
 */
class ObservedIterator {
  private readonly onStep: StepHandlers['onStep'];
  private readonly onStepError: StepHandlers['onStepError'];
  private readonly callsIntrinsicNext: boolean;

  constructor(
    private readonly inner: AsyncGenerator<unknown, unknown, unknown>,
    private readonly observation: Observation,
    private readonly ctx: Context | undefined,
    /** Keeps the observed iterable reachable while a consumer iterates (see OBSERVED_TARGET). */
    readonly target: object,
  ) {
    ({ onStep: this.onStep, onStepError: this.onStepError } = stepHandlers(observation));
    this.callsIntrinsicNext = ctx === undefined && inner.next === ASYNC_GENERATOR_NEXT;
  }

  // An async generator's `next(value)` treats a missing value as `undefined`, so one parameter will do.
  next(value?: unknown): IteratorStep {
    this.observation.iterated = true;
    // The intrinsic `next` never throws and always returns a native promise.
    if (this.callsIntrinsicNext) {
      return ASYNC_GENERATOR_NEXT.call(this.inner, value).then(this.onStep, this.onStepError);
    }
    const inner = this.inner;
    let step: IteratorStep;
    try {
      step = this.ctx ? contextApi.with(this.ctx, () => inner.next(value)) : inner.next(value);
    } catch (error) {
      this.observation.finish('error', error);
      throw error;
    }
    return Promise.resolve(step).then(this.onStep, this.onStepError);
  }

  return(value?: unknown): IteratorStep {
    this.observation.finish('return');
    return this.inner.return(value);
  }

  throw(error?: unknown): IteratorStep {
    this.observation.finish('error', error);
    return this.inner.throw(error);
  }
}
Object.setPrototypeOf(ObservedIterator.prototype, Object.getPrototypeOf(ASYNC_GENERATOR_PROTOTYPE) as object);

/**
 * The iterator method put on an observed iterable: each iterator it returns is observed. Made by a
 * function of its own, so the method (which lives as long as the iterable) holds only what it uses.
 */
function observingIteratorMethod(
  originalIterator: (...args: unknown[]) => AnyIterator,
  observation: Observation,
  ctx: Context | undefined,
  target: object,
): (...args: unknown[]) => AnyIterator | ObservedIterator {
  return function (this: unknown, ...args: unknown[]) {
    const iterator = originalIterator.apply(this, args);
    try {
      if (isAsyncGeneratorObject(iterator)) return new ObservedIterator(iterator, observation, ctx, target);
      observeIterator(iterator, observation, ctx);
      setOwn(iterator, OBSERVED_TARGET, target);
    } catch (err) {
      diag.warn('agent-otel: could not observe stream iterator', err);
    }
    return iterator;
  };
}

function iteratorMethodOf(candidate: AnyIterator, requested: PropertyKey | undefined): PropertyKey {
  return requested !== undefined && typeof candidate[requested] === 'function'
    ? requested
    : Symbol.asyncIterator;
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
  const observation = new Observation(observer);
  try {
    const candidate = target as unknown as AnyIterator;
    if (typeof candidate.next === 'function') {
      observeIterator(candidate, observation, observer.context);
    } else {
      const method = iteratorMethodOf(candidate, observer.iteratorMethod);
      const originalIterator = candidate[method] as (...args: unknown[]) => AnyIterator;
      setOwn(
        target,
        method,
        observingIteratorMethod(originalIterator, observation, observer.context, target),
      );
    }
    observation.watchCollection(target);
  } catch (err) {
    diag.warn('agent-otel: could not observe async iterable; ending its span now', err);
    observation.finish('complete');
  }
  return target;
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

{
  const observation = new Observation({ onEnd() {} });
  keepShapes(observation, new ObservedIterator((async function* () {})(), observation, undefined, {}));
  observation.settle();
}
