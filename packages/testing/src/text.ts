// Text helpers shared by the renderers: streamed-delta chunking and token estimates.

/** Default number of characters per streamed delta. */
export const DEFAULT_CHUNK_SIZE = 8;

/** Splits `text` into deltas of `size` characters (code points, so surrogate pairs stay whole). */
export function chunkText(text: string, size: number = DEFAULT_CHUNK_SIZE): string[] {
  if (text === '') return [];
  const chars = Array.from(text);
  const step = Number.isInteger(size) && size > 0 ? size : chars.length;
  const chunks: string[] = [];
  for (let i = 0; i < chars.length; i += step) chunks.push(chars.slice(i, i + step).join(''));
  return chunks;
}

/** The deterministic token estimate used for unscripted usage: `ceil(chars / 4)`. */
export function estimateTokens(chars: number): number {
  return Math.ceil(chars / 4);
}

/** Total length of every string found (recursively) in `value`. */
export function textLength(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + textLength(item), 0);
  if (value !== null && typeof value === 'object') {
    return Object.values(value).reduce((sum: number, item) => sum + textLength(item), 0);
  }
  return 0;
}
