import { SpanStatusCode, type Attributes, type Exception, type Span } from '@opentelemetry/api';
import { capText, MAX_STACKTRACE_LENGTH } from '../content/attribute-limits.js';
import { getContentPolicy } from '../content/policy.js';
import {
  ATTR_AGENT_OTEL_ATTRIBUTES_TRUNCATED,
  ATTR_AGENT_OTEL_ERROR_DATA,
  ATTR_ERROR_TYPE,
  ATTR_EXCEPTION_MESSAGE,
  ATTR_EXCEPTION_STACKTRACE,
  ATTR_EXCEPTION_TYPE,
  ERROR_TYPE_VALUE_OTHER,
} from '../semconv.js';
import type { SpanError } from './span-error.js';
import { readProperty } from '../values.js';

/**
 * True for an `Error`, including one from another realm (a `vm` context, a test runner's sandbox),
 * which `instanceof Error` misses.
 */
function isError(value: unknown): value is Error {
  try {
    if (value instanceof Error) return true;
    const tag = Object.prototype.toString.call(value);
    return tag === '[object Error]' || tag === '[object DOMException]';
  } catch {
    // A revoked Proxy (or one whose traps throw) cannot be told apart: not an Error we can read.
    return false;
  }
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

/**
 * What the SDK's `recordException` reads of an `Error` (`name`, `message`, `stack`), read once each
 * and capped; a cut marks `span`. `name` is the error's class ({@link errorTypeOf} without an
 * override), which the SDK records as `exception.type`, as the conventions ask — not the error's
 * `code` (an HTTP status or an API error code belongs in `error.type`), which the SDK would prefer.
 * The same type as the exception events' (see {@link exceptionAttributes}). The error itself is
 * never changed.
 */
function boundedException(span: Span, error: Error, message: string): Exception {
  const exception: { name: string; message: string; stack?: string } = {
    name: capText(errorTypeOf(error)),
    message,
  };
  const stack = readProperty(error, 'stack');
  if (typeof stack === 'string') {
    exception.stack = capText(stack, MAX_STACKTRACE_LENGTH);
    if (exception.stack !== stack) span.setAttribute(ATTR_AGENT_OTEL_ATTRIBUTES_TRUNCATED, true);
  }
  return exception;
}

/**
 * The `exception.*` attributes of a failure (for an exception event): type (an `Error`'s class, as on
 * the span's exception event; else `errorType`), message and stack trace, each read once and capped.
 * Never throws.
 */
export function exceptionAttributes(error: unknown, errorType: string | undefined): Attributes {
  const attributes: Attributes = {};
  try {
    attributes[ATTR_EXCEPTION_TYPE] = capText(
      isError(error) ? errorTypeOf(error) : (errorType ?? errorTypeOf(error)),
    );
    attributes[ATTR_EXCEPTION_MESSAGE] = capText(messageOf(error));
    if (isError(error)) {
      const stack = readProperty(error, 'stack');
      if (typeof stack === 'string')
        attributes[ATTR_EXCEPTION_STACKTRACE] = capText(stack, MAX_STACKTRACE_LENGTH);
    }
  } catch {
    // What was read so far.
  }
  return attributes;
}

/** True for a `{message, data?}` object as the Agents SDK's `SpanError`. */
export function isSpanError(value: unknown): value is SpanError {
  try {
    return (
      typeof value === 'object' &&
      value !== null &&
      !isError(value) &&
      typeof (value as { message?: unknown }).message === 'string'
    );
  } catch {
    return false;
  }
}

/**
 * Records a failure on a span the way the conventions ask: status ERROR with the message, `error.type`,
 * and an `exception` event. `SpanError.data` is kept as `agent_otel.error.data`. Never throws.
 */
export function recordError(span: Span, error: unknown, errorType?: string): void {
  try {
    const fullMessage = messageOf(error);
    const message = capText(fullMessage);
    const fullType = typeof errorType === 'string' && errorType ? errorType : errorTypeOf(error);
    const type = capText(fullType);
    span.setStatus({ code: SpanStatusCode.ERROR, message });
    span.setAttribute(ATTR_ERROR_TYPE, type);
    if (message !== fullMessage || type !== fullType) {
      span.setAttribute(ATTR_AGENT_OTEL_ATTRIBUTES_TRUNCATED, true);
    }
    if (isError(error)) {
      span.recordException(boundedException(span, error, message));
    } else {
      span.recordException({ name: type, message });
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
