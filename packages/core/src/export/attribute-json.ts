/*
 * Lossless JSON encoding of OpenTelemetry attribute values (AnyValue): strings, booleans, null and
 * finite numbers are written as themselves; the values JSON cannot hold are tagged objects:
 *   Uint8Array        -> {"$bytes": "<base64>"}
 *   NaN / ±Infinity   -> {"$number": "NaN" | "Infinity" | "-Infinity"}
 *   a map whose only key is a tag -> {"$map": {...}} (so it is not read back as a tag)
 * Arrays and maps are encoded recursively; `undefined` array items become null; values that are not
 * AnyValues (functions, symbols) are dropped, bigint becomes its decimal string.
 */

const TAG_BYTES = '$bytes';
const TAG_NUMBER = '$number';
const TAG_MAP = '$map';
const TAGS = new Set([TAG_BYTES, TAG_NUMBER, TAG_MAP]);
/** Deeper values (or cycles) are written as this string. */
const MAX_DEPTH = 32;
const TOO_DEEP = '[max depth]';

/** JSON-compatible value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

function isTagLike(obj: Record<string, unknown>): boolean {
  const keys = Object.keys(obj);
  return keys.length === 1 && TAGS.has(keys[0]!);
}

/** Encodes one attribute value; `undefined` when the value cannot be represented at all. */
export function encodeAttributeValue(value: unknown): JsonValue | undefined {
  return encode(value, 0, new Set());
}

function encode(value: unknown, depth: number, ancestors: Set<object>): JsonValue | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : { [TAG_NUMBER]: String(value) };
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return undefined;
  }
  if (value === null) return null;
  if (depth >= MAX_DEPTH || ancestors.has(value)) return TOO_DEEP;
  if (value instanceof Uint8Array) return { [TAG_BYTES]: Buffer.from(value).toString('base64') };
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((v) => encode(v, depth + 1, ancestors) ?? null);
    const out: Record<string, JsonValue> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      const encoded = encode(v, depth + 1, ancestors);
      if (encoded !== undefined) setOwn(out, k, encoded);
    }
    return isTagLike(out) ? { [TAG_MAP]: out } : out;
  } finally {
    ancestors.delete(value);
  }
}

/** Sets an own property, even for the key `__proto__`. */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** Encodes an attribute map (dropping values that cannot be represented). */
export function encodeAttributes(
  attributes: Readonly<Record<string, unknown>> | undefined,
): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  if (attributes === null || typeof attributes !== 'object') return out;
  for (const [k, v] of Object.entries(attributes)) {
    const encoded = encodeAttributeValue(v);
    if (encoded !== undefined) setOwn(out, k, encoded);
  }
  return out;
}

/** Decodes a value written by {@link encodeAttributeValue}. */
export function decodeAttributeValue(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decodeAttributeValue);
  const obj = value as Record<string, unknown>;
  if (isTagLike(obj)) {
    if (typeof obj[TAG_BYTES] === 'string') return new Uint8Array(Buffer.from(obj[TAG_BYTES], 'base64'));
    if (typeof obj[TAG_NUMBER] === 'string') return Number(obj[TAG_NUMBER]);
    if (obj[TAG_MAP] !== null && typeof obj[TAG_MAP] === 'object') return decodeMap(obj[TAG_MAP] as object);
  }
  return decodeMap(obj);
}

function decodeMap(obj: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) setOwn(out, k, decodeAttributeValue(v));
  return out;
}

/** Decodes an attribute map written by {@link encodeAttributes}. */
export function decodeAttributes(attributes: unknown): Record<string, unknown> {
  if (attributes === null || typeof attributes !== 'object' || Array.isArray(attributes)) return {};
  return decodeMap(attributes);
}
