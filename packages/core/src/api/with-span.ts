import { context as contextApi, diag, type Context } from '@opentelemetry/api';
import { AgentSpan, NoopAgentSpan, resolveParent, type SpanOptions } from './AgentSpan.js';
import { isTracingDisabled } from './disable.js';
import * as sc from '../semconv.js';
import type { SpanData } from '../kinds/span-data.js';
import {
  isObservableAsyncIterable,
  observeAsyncIterable,
  type AsyncIterationObserver,
} from '../calls/stream-observer.js';

function parentContextOf(options: SpanOptions | undefined): Context {
  if (options === undefined) return contextApi.active();
  try {
    // The span's constructor reads the options again and warns about an unusable parent.
    return resolveParent(options.parent, false);
  } catch {
    return contextApi.active();
  }
}

/** Creates a span of any kind without starting it; call `start()` and `end()` yourself. */
export function createSpan<T extends SpanData>(data: T, options?: SpanOptions): AgentSpan<T> {
  if (isTracingDisabled(parentContextOf(options))) return new NoopAgentSpan(data, options);
  return new AgentSpan(data, options);
}

/** Creates and starts a span of any kind; end it with `end()`. Use `span.run(fn)` to make it active. */
export function startSpan<T extends SpanData>(data: T, options?: SpanOptions): AgentSpan<T> {
  return createSpan(data, options).start();
}

/** Ends `span` when an observed stream ends, marking early stops and errors. */
export function streamObserverFor(span: AgentSpan): AsyncIterationObserver {
  return {
    context: span.context,
    onEnd(reason, error) {
      if (reason === 'error') span.setError(error);
      if (reason !== 'complete') {
        span.setAttribute(sc.ATTR_AGENT_OTEL_STREAM_ENDED_EARLY, true);
        span.setAttribute(sc.ATTR_AGENT_OTEL_STREAM_END_REASON, reason);
      }
      span.end();
    },
  };
}

function endWithValue<V>(span: AgentSpan, value: V): V {
  try {
    if (isObservableAsyncIterable(value)) return observeAsyncIterable(value, streamObserverFor(span)) as V;
  } catch (err) {
    // A value that throws when inspected (a revoked Proxy) is returned as it is; the span ends now.
    diag.debug('agent-otel: could not inspect the result of a traced function', err);
  }
  span.end();
  return value;
}

function endWithError(span: AgentSpan, error: unknown): void {
  span.setError(error);
  span.end();
}

/**
 * Ends the span when `result` is done: at once for a plain value; on settlement for a promise (a
 * resolved async iterable keeps the span open until it is consumed); when iteration ends for an
 * async iterable. Native promises get a chained promise back, so an unhandled rejection stays
 * unhandled; other thenables (e.g. SDK `APIPromise` subclasses) are returned as they are, so their
 * helpers keep working.
 */
export function endWhenSettled<R>(span: AgentSpan, result: R): R {
  try {
    if (result != null && typeof (result as { then?: unknown }).then === 'function') {
      const thenable = result as unknown as PromiseLike<unknown>;
      if (Object.getPrototypeOf(thenable) === Promise.prototype) {
        return (thenable as Promise<unknown>).then(
          (value) => endWithValue(span, value),
          (error: unknown) => {
            endWithError(span, error);
            throw error;
          },
        ) as R;
      }
      thenable.then(
        (value) => endWithValue(span, value),
        (error: unknown) => endWithError(span, error),
      );
      return result;
    }
    return endWithValue(span, result);
  } catch (err) {
    diag.warn('agent-otel: could not follow the result of a traced function; span ended now', err);
    span.end();
    return result;
  }
}

/**
 * Runs `fn` inside a new span of the given kind, with the span active (so spans from any
 * instrumentation started inside nest under it), and ends the span when the result is done — sync
 * value, promise, or async iterable. The user's errors are recorded and re-thrown unchanged.
 */
export function withSpan<T extends SpanData, R>(
  data: T,
  fn: (span: AgentSpan<T>) => R,
  options?: SpanOptions,
): R {
  const parentContext = parentContextOf(options);
  if (isTracingDisabled(parentContext)) return fn(new NoopAgentSpan(data, { parent: parentContext }));
  const span = new AgentSpan(data, options).start();
  let result: R;
  try {
    result = contextApi.with(span.context, fn, undefined, span);
  } catch (error) {
    endWithError(span, error);
    throw error;
  }
  return endWhenSettled(span, result);
}
