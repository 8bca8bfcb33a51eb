import { diag } from '@opentelemetry/api';
import { PACKAGE_NAME } from './version.js';

/** JSON-RPC `Internal error`: the code the SDK answers with when a handler throws without one. */
export const JSONRPC_INTERNAL_ERROR = -32603;
/** Longest tool / prompt name kept (they also go into span names). */
export const MAX_NAME_LENGTH = 256;
/** Longest resource URI, session id or protocol version kept. */
export const MAX_VALUE_LENGTH = 2048;
/** Most tool names recorded from one `tools/list` result. */
export const MAX_LISTED_TOOLS = 256;

/** True for a non-null, non-array object. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `value` when it is a non-empty string of at most `maxLength` characters, else `undefined`. */
export function boundedString(value: unknown, maxLength = MAX_VALUE_LENGTH): string | undefined {
  return typeof value === 'string' && value !== '' && value.length <= maxLength ? value : undefined;
}

/** A JSON-RPC id (`jsonrpc.request.id`): a string or an integer, else `undefined`. */
export function requestIdOf(value: unknown): string | number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  return boundedString(value, MAX_NAME_LENGTH);
}

/** The JSON-RPC error code an error carries (`McpError.code`), if it is an integer. */
export function jsonRpcCodeOf(error: unknown): number | undefined {
  try {
    const code = (error as { code?: unknown } | null)?.code;
    return typeof code === 'number' && Number.isSafeInteger(code) ? code : undefined;
  } catch {
    return undefined;
  }
}

/** True for anything with a `then` method. */
export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/** Runs `action`; a throw is logged once per label through `diag` and never reaches the caller. */
export function guard(label: string, action: () => void): void {
  try {
    action();
  } catch (error) {
    warnOnce(label, error);
  }
}

const warned = new Set<string>();

/** Logs `diag.warn` the first time a label is seen, `diag.debug` afterwards. */
export function warnOnce(label: string, error: unknown): void {
  const message = `${PACKAGE_NAME}: ${label} failed; the MCP call is not affected`;
  if (warned.has(label)) {
    diag.debug(message, error);
    return;
  }
  warned.add(label);
  diag.warn(message, error);
}
