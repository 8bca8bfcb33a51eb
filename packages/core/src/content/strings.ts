/*
 * String helpers shared by serialisation and truncation: well-formed UTF-16 and code-point-safe
 * cutting with a truncation marker.
 */

/** Matches a high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// `String.prototype.toWellFormed` (ES2024) is native and fast, but our `lib` is ES2023 and older
// runtimes may lack it, so it is looked up once and the regex is the fallback.
const nativeToWellFormed = (String.prototype as { toWellFormed?: (this: string) => string }).toWellFormed;

/**
 * Replaces lone UTF-16 surrogates with U+FFFD so the string encodes to valid UTF-8.
 * Returns the same string instance when it is already well-formed.
 */
export function toWellFormed(value: string): string {
  return nativeToWellFormed ? nativeToWellFormed.call(value) : value.replace(LONE_SURROGATE, '\uFFFD');
}

/** The text appended to a string that was cut: `…[truncated N chars]`. */
export function truncationMarker(removed: number): string {
  return `…[truncated ${removed} chars]`;
}

const MARKER_HEAD = '…[truncated ';
const MARKER_TAIL = ' chars]';

/**
 * Splits off a trailing truncation marker left by an earlier cut, so a second cut reports the
 * number of characters removed from the original text rather than from the already-cut one.
 */
function splitMarker(value: string): { body: string; removed: number } {
  if (!value.endsWith(MARKER_TAIL)) return { body: value, removed: 0 };
  const head = value.lastIndexOf(MARKER_HEAD);
  if (head < 0) return { body: value, removed: 0 };
  const digits = value.slice(head + MARKER_HEAD.length, value.length - MARKER_TAIL.length);
  if (!/^\d{1,15}$/.test(digits)) return { body: value, removed: 0 };
  return { body: value.slice(0, head), removed: Number(digits) };
}

/**
 * Keeps at most `keep` UTF-16 code units of `value` (one fewer when the cut would split a
 * surrogate pair) and appends {@link truncationMarker}. An existing trailing marker is merged.
 */
export function cutWithMarker(value: string, keep: number): string {
  const { body, removed } = splitMarker(value);
  let end = Math.max(0, Math.min(Math.floor(keep), body.length));
  if (end > 0 && isHighSurrogate(body.charCodeAt(end - 1))) end -= 1;
  const totalRemoved = removed + body.length - end;
  return totalRemoved === 0 ? body : body.slice(0, end) + truncationMarker(totalRemoved);
}

/** Cuts `value` to at most `length` code units without splitting a surrogate pair; no marker. */
export function cutPlain(value: string, length: number): string {
  let end = Math.max(0, Math.min(Math.floor(length), value.length));
  if (end > 0 && end < value.length && isHighSurrogate(value.charCodeAt(end - 1))) end -= 1;
  return value.slice(0, end);
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
