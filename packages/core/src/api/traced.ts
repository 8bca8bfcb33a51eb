import type { AgentSpan } from './AgentSpan.js';
import type { SpanData } from '../kinds/span-data.js';
import { withSpan } from './with-span.js';

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

function recordOutput(span: AgentSpan, result: unknown): unknown {
  if (result != null && Object.getPrototypeOf(result) === Promise.prototype) {
    return (result as Promise<unknown>).then((value) => {
      span.update({ output: value });
      return value;
    });
  }
  span.update({ output: result });
  return result;
}

function wrap<F extends AnyFunction>(fn: F, name: string, type: TracedSpanType): F {
  const wrapped = function (this: unknown, ...args: unknown[]) {
    return withSpan(spanDataFor(type, name, args), (span) => {
      const result = fn.apply(this, args);
      return type === 'function' ? recordOutput(span as AgentSpan, result) : result;
    });
  };
  Object.defineProperty(wrapped, 'name', { value: fn.name, configurable: true });
  Object.defineProperty(wrapped, 'length', { value: fn.length, configurable: true });
  return wrapped as unknown as F;
}

function isDecoratorContext(value: unknown): value is ClassMethodDecoratorContext {
  return (
    typeof value === 'object' &&
    value !== null &&
    'kind' in value &&
    'name' in value &&
    'addInitializer' in value
  );
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
    if (isDecoratorContext(second)) return wrap(fnOrOptions, String(second.name), 'custom');
    return wrap(fnOrOptions, second?.name ?? (fnOrOptions.name || 'anonymous'), second?.type ?? 'custom');
  }
  const options = fnOrOptions;
  return <M extends AnyFunction>(method: M, context: ClassMethodDecoratorContext): M =>
    wrap(method, options?.name ?? String(context.name), options?.type ?? 'custom');
}
