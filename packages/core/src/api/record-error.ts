import { SpanStatusCode, type Span } from '@opentelemetry/api';
import { getContentPolicy } from '../content/policy.js';
import { ATTR_AGENT_OTEL_ERROR_DATA, ATTR_ERROR_TYPE, ERROR_TYPE_VALUE_OTHER } from '../semconv.js';
import type { SpanError } from './span-error.js';

/**
 * True for an `Error`, including one from another realm (a `vm` context, a test runner's sandbox),
 * which `instanceof Error` misses.
 */
function isError(value: unknown): value is Error {
  if (value instanceof Error) return true;
  const tag = Object.prototype.toString.call(value);
  return tag === '[object Error]' || tag === '[object DOMException]';
}

/** A low-cardinality `error.type` for any thrown value; never throws. */
export function errorTypeOf(error: unknown): string {
  try {
    if (isError(error)) {
      const ctorName = (error.constructor as { name?: unknown } | undefined)?.name;
      // A DOMException's class says nothing; its name does (`AbortError`, `TimeoutError`).
      if (ctorName === 'DOMException' && typeof error.name === 'string' && error.name) return error.name;
      if (typeof ctorName === 'string' && ctorName && ctorName !== 'Error') return ctorName;
      return typeof error.name === 'string' && error.name ? error.name : 'Error';
    }
    if (isSpanError(error)) {
      const type = error.data?.type;
      return typeof type === 'string' && type ? type : ERROR_TYPE_VALUE_OTHER;
    }
  } catch {
    // A throwing getter or a hostile Proxy: fall through to the generic type.
  }
  return ERROR_TYPE_VALUE_OTHER;
}

function messageOf(error: unknown): string {
  try {
    if (isError(error) || isSpanError(error)) return String(error.message);
    return typeof error === 'string' ? error : getContentPolicy().serialize(error, 'error.data').value;
  } catch {
    return 'unreadable error';
  }
}

/** True for a `{message, data?}` object as the Agents SDK's `SpanError`. */
export function isSpanError(value: unknown): value is SpanError {
  return (
    typeof value === 'object' &&
    value !== null &&
    !isError(value) &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

/**
 * Records a failure on a span the way the conventions ask: status ERROR with the message, `error.type`,
 * and an `exception` event. `SpanError.data` is kept as `agent_otel.error.data`. Never throws.
 */
export function recordError(span: Span, error: unknown, errorType = errorTypeOf(error)): void {
  try {
    const message = messageOf(error);
    span.setStatus({ code: SpanStatusCode.ERROR, message });
    span.setAttribute(ATTR_ERROR_TYPE, errorType);
    if (isError(error)) {
      span.recordException(error);
    } else {
      span.recordException({ name: errorType, message });
      if (isSpanError(error) && error.data !== undefined) {
        span.setAttribute(
          ATTR_AGENT_OTEL_ERROR_DATA,
          getContentPolicy().serialize(error.data, 'error.data').value,
        );
      }
    }
  } catch {
    // recordException can meet an error object whose properties throw; the status is what matters.
  }
}
