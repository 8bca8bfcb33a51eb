/*
 * Trace context in MCP `params._meta`, as the MCP semantic conventions specify: the configured
 * propagator's fields (W3C `traceparent`, `tracestate`, `baggage`), unprefixed.
 */
import { isSpanContextValid, propagation, trace, type Context, type TextMapGetter } from '@opentelemetry/api';
import { isRecord } from '@agent-otel/core/instrumentation';
import type { McpRequestLike } from './internal-types.js';

/** Most `_meta` keys looked at on an incoming request. */
export const MAX_META_KEYS = 64;
/** Longest `_meta` key read. */
export const MAX_META_KEY_LENGTH = 256;
/** Longest `_meta` value read: the W3C baggage limit (8192 bytes); traceparent and tracestate are far shorter. */
export const MAX_META_VALUE_LENGTH = 8192;

type Carrier = Record<string, string>;

const carrierGetter: TextMapGetter<Carrier> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => (Object.hasOwn(carrier, key) ? carrier[key] : undefined),
};

/**
 * A copy of `request` whose `params._meta` also carries the propagation fields of `ctx`. The caller's
 * objects are never changed. The request is returned as it is when the propagator writes nothing or
 * when `params` / `params._meta` are not plain objects (the request is then the caller's business).
 */
export function injectIntoRequest(request: McpRequestLike, ctx: Context): McpRequestLike {
  const fields: Carrier = {};
  propagation.inject(ctx, fields);
  if (Object.keys(fields).length === 0) return request;
  const params = request.params;
  if (params !== undefined && !isRecord(params)) return request;
  const meta = params?._meta;
  if (meta !== undefined && !isRecord(meta)) return request;
  return { ...request, params: { ...params, _meta: { ...meta, ...fields } } };
}

/**
 * Reads the string entries of an incoming `_meta` into a fresh carrier, within the size limits;
 * anything else (wrong types, huge values, too many keys, throwing getters) is skipped.
 */
function carrierFrom(meta: unknown): Carrier | undefined {
  if (!isRecord(meta)) return undefined;
  const carrier: Carrier = Object.create(null) as Carrier;
  let found = 0;
  let seen = 0;
  for (const key of Object.keys(meta)) {
    if (++seen > MAX_META_KEYS) break;
    if (key.length > MAX_META_KEY_LENGTH) continue;
    let value: unknown;
    try {
      value = meta[key];
    } catch {
      continue;
    }
    if (typeof value !== 'string' || value.length > MAX_META_VALUE_LENGTH) continue;
    carrier[key] = value;
    found++;
  }
  return found > 0 ? carrier : undefined;
}

/** The outcome of reading `_meta`: the context to use, and whether it holds a remote parent from `_meta`. */
export interface ExtractedContext {
  context: Context;
  remoteParent: boolean;
}

/**
 * Extracts the propagated context from an incoming request's `_meta` on top of `base`. Invalid or
 * malformed values give back `base` (or `base` plus valid baggage). Never throws.
 */
export function extractFromMeta(meta: unknown, base: Context): ExtractedContext {
  try {
    const carrier = carrierFrom(meta);
    if (carrier === undefined) return { context: base, remoteParent: false };
    const extracted = propagation.extract(base, carrier, carrierGetter);
    const spanContext = trace.getSpanContext(extracted);
    const remoteParent =
      spanContext !== undefined &&
      spanContext.isRemote === true &&
      isSpanContextValid(spanContext) &&
      spanContext !== trace.getSpanContext(base);
    return { context: extracted, remoteParent };
  } catch {
    return { context: base, remoteParent: false };
  }
}
