import { errorTypeOf, FailureLog } from '@agent-otel/core/instrumentation';
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

/** The `error.type` of an MCP error: its JSON-RPC code as a string (`-32001`), else its class name. */
export function mcpErrorType(error: unknown): string {
  const code = jsonRpcCodeOf(error);
  return code === undefined ? errorTypeOf(error) : String(code);
}

/**
 * Failures of this package's own code around an MCP call (`failures.guard(label, action)`): logged
 * through `diag`, the first of each label as a warning, and never passed on to the caller.
 */
export const failures = new FailureLog(
  diag,
  (label) => `${PACKAGE_NAME}: ${label} failed; the MCP call is not affected`,
);
