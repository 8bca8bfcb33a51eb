// Bounds on what the viewer accepts and keeps: every value that reaches the store, the API or the
// UI is bounded by these, whatever a sender puts in a request or a file.

/** The bounds applied while receiving and importing spans. */
export interface Limits {
  /** Characters of a string value (attribute value, status message) before it is truncated. */
  readonly maxAttributeValueLength: number;
  /** Characters of an attribute key before it is truncated. */
  readonly maxAttributeKeyLength: number;
  /** Attributes kept per span, event, resource or scope; the rest are dropped (and counted on spans). */
  readonly maxAttributesPerSpan: number;
  /** Events kept per span; the rest are dropped and counted. */
  readonly maxEventsPerSpan: number;
  /** Characters of a span, event or scope name before it is truncated. */
  readonly maxSpanNameLength: number;
  /** Items kept per array or key-value list value; the rest are dropped. */
  readonly maxValueItems: number;
  /** Nesting of arrays and key-value lists; deeper values become {@link TOO_DEEP}. */
  readonly maxValueDepth: number;
  /** Bytes of a request body, both as sent (compressed) and decompressed. */
  readonly maxRequestBytes: number;
  /** Spans in one export request; more is refused (413). */
  readonly maxSpansPerRequest: number;
}

/** The viewer's bounds. */
export const DEFAULT_LIMITS: Limits = Object.freeze({
  maxAttributeValueLength: 16 * 1024,
  maxAttributeKeyLength: 1024,
  maxAttributesPerSpan: 256,
  maxEventsPerSpan: 128,
  maxSpanNameLength: 1024,
  maxValueItems: 1024,
  maxValueDepth: 8,
  maxRequestBytes: 16 * 1024 * 1024,
  maxSpansPerRequest: 100_000,
});

/** Appended to a string that was cut to its bound. */
export const TRUNCATION_MARKER = '…[truncated]';

/** Written in place of a value nested deeper than `maxValueDepth`. */
export const TOO_DEEP = '[max depth]';

/** The default limits with `overrides` applied (each must be a positive integer). */
export function resolveLimits(overrides?: Partial<Limits>): Limits {
  if (overrides === undefined) return DEFAULT_LIMITS;
  const limits: Record<string, number> = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(overrides)) {
    if (!(key in DEFAULT_LIMITS)) throw new TypeError(`unknown limit ${key}`);
    if (value === undefined) continue;
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      throw new TypeError(`limit ${key} must be a positive integer, got ${String(value)}`);
    }
    limits[key] = value;
  }
  return Object.freeze(limits) as unknown as Limits;
}

/**
 * `text` cut to `max` characters plus {@link TRUNCATION_MARKER} when longer (never splitting a
 * surrogate pair); `text` itself otherwise.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = max;
  const last = text.charCodeAt(cut - 1);
  if (last >= 0xd800 && last <= 0xdbff) cut--;
  return text.slice(0, cut) + TRUNCATION_MARKER;
}
