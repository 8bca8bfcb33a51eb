import { diag } from '@opentelemetry/api';
import type { AgentSpan } from './AgentSpan.js';
import type { SpanData } from '../kinds/span-data.js';
import { withSpan } from './with-span.js';
import { readOptions, readProperty } from '../values.js';

/** Span kinds `traced()` can produce: the kinds identified by a name. */
export type TracedSpanType = 'custom' | 'function' | 'agent' | 'task' | 'guardrail';

/** Options of {@link traced}. */
export interface TracedOptions {
  /** Span kind; default `custom`. With `function`, arguments and result are recorded as tool content. */
  type?: TracedSpanType;
  /** Span/tool/agent name; default: the function's or method's name. */
  name?: string;
}

type AnyFunction = (this: any, ...args: any[]) => any;

function spanDataFor(type: TracedSpanType, name: string, args: unknown[]): SpanData {
  switch (type) {
    case 'function':
      return { type, name, input: args.length === 1 ? args[0] : args };
    case 'agent':
    case 'task':
    case 'guardrail':
    case 'custom':
      return { type, name };
  }
}

function isNativePromise(value: unknown): value is Promise<unknown> {
  try {
    return value != null && Object.getPrototypeOf(value) === Promise.prototype;
  } catch {
    // A revoked Proxy, or one whose getPrototypeOf trap throws: not a promise we can follow.
    return false;
  }
}

/** Records `result` as the tool's output and returns it (a native promise: a chained one). Never throws. */
function recordOutput(span: AgentSpan, result: unknown): unknown {
  if (isNativePromise(result)) {
    try {
      return result.then((value) => {
        span.update({ output: value });
        return value;
      });
    } catch (err) {
      // A Proxy that reports Promise.prototype without being a promise.
      diag.debug('agent-otel: could not follow the result of a traced function', err);
      return result;
    }
  }
  span.update({ output: result });
  return result;
}

/** `fn[key]`, or `fallback` when reading it throws or gives a value of another type. */
function readOwn<V>(fn: object, key: 'name' | 'length', fallback: V): V {
  const value = readProperty(fn, key);
  return typeof value === typeof fallback ? (value as V) : fallback;
}

function wrap<F extends AnyFunction>(fn: F, name: string, type: TracedSpanType): F {
  const wrapped = function (this: unknown, ...args: unknown[]) {
    return withSpan(spanDataFor(type, name, args), (span) => {
      const result = fn.apply(this, args);
      return type === 'function' ? recordOutput(span as AgentSpan, result) : result;
    });
  };
  Object.defineProperty(wrapped, 'name', { value: readOwn(fn, 'name', ''), configurable: true });
  Object.defineProperty(wrapped, 'length', { value: readOwn(fn, 'length', 0), configurable: true });
  return wrapped as unknown as F;
}

const TRACED_SPAN_TYPES: readonly unknown[] = ['custom', 'function', 'agent', 'task', 'guardrail'];

/** The `name` and `type` options, read once; unreadable or mistyped values fall back to the defaults. */
function readTracedOptions(
  options: TracedOptions | undefined,
  defaultName: () => string,
): { name: string; type: TracedSpanType } {
  const { name, type } = readOptions(options, ['name', 'type'], 'traced() option');
  return {
    name: typeof name === 'string' ? name : defaultName(),
    type: TRACED_SPAN_TYPES.includes(type as TracedSpanType) ? (type as TracedSpanType) : 'custom',
  };
}

function isDecoratorContext(value: unknown): value is ClassMethodDecoratorContext {
  try {
    return (
      typeof value === 'object' &&
      value !== null &&
      'kind' in value &&
      'name' in value &&
      'addInitializer' in value
    );
  } catch {
    return false;
  }
}

function decoratedName(context: ClassMethodDecoratorContext): string {
  try {
    return String(context.name);
  } catch {
    return 'anonymous';
  }
}

/** A TC39 (stage 3) method decorator. */
export type TracedMethodDecorator = <F extends AnyFunction>(
  method: F,
  context: ClassMethodDecoratorContext,
) => F;

/**
 * Traces a function or method. As a wrapper: `const run = traced(fn, { type: 'function' })` returns a
 * function that runs `fn` in a span each call (same `this`, arguments, return value and errors). As a
 * TC39 decorator: `@traced()` / `@traced({ type: 'agent', name: 'planner' })` / bare `@traced` on a
 * class method. Async results and async iterables keep the span open until they finish.
 */
export function traced<F extends AnyFunction>(fn: F, options?: TracedOptions): F;
export function traced(options?: TracedOptions): TracedMethodDecorator;
export function traced<F extends AnyFunction>(
  fnOrOptions?: F | TracedOptions,
  second?: TracedOptions | ClassMethodDecoratorContext,
): F | TracedMethodDecorator {
  if (typeof fnOrOptions === 'function') {
    const fn = fnOrOptions;
    if (isDecoratorContext(second)) return wrap(fn, decoratedName(second), 'custom');
    const { name, type } = readTracedOptions(second, () => readOwn(fn, 'name', '') || 'anonymous');
    return wrap(fn, name, type);
  }
  const options = fnOrOptions;
  return <M extends AnyFunction>(method: M, context: ClassMethodDecoratorContext): M => {
    const { name, type } = readTracedOptions(options, () => decoratedName(context));
    return wrap(method, name, type);
  };
}
