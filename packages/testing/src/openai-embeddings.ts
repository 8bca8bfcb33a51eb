// OpenAI Embeddings, POST /v1/embeddings: deterministic unit vectors derived from each input,
// as float arrays or (with `encoding_format: 'base64'`, the SDK's default) little-endian float32 base64.
import type { RenderContext, Reply } from './reply.js';
import { estimateTokens, textLength } from './text.js';

/** Vector length when neither the script nor the request's `dimensions` sets one. */
export const DEFAULT_EMBEDDING_DIMENSIONS = 8;

/** 32-bit FNV-1a hash of a string. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

/**
 * The deterministic embedding of `input`: `dimensions` float32 values forming a unit vector. Equal inputs
 * give equal vectors, so tests can compare them.
 */
export function deterministicEmbedding(input: string, dimensions: number): number[] {
  let state = fnv1a(input) || 1;
  const raw: number[] = [];
  for (let i = 0; i < dimensions; i++) {
    // xorshift32
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    raw.push((state / 0xffffffff) * 2 - 1);
  }
  const norm = Math.hypot(...raw) || 1;
  return raw.map((value) => Math.fround(value / norm));
}

/** Normalizes the `input` union (string, strings, token ids, token-id arrays) into one key per input. */
function inputKeys(input: unknown): string[] {
  if (typeof input === 'string') return [input];
  if (!Array.isArray(input)) return [JSON.stringify(input ?? '')];
  if (input.length > 0 && input.every((item) => typeof item === 'number')) return [JSON.stringify(input)];
  return input.map((item) => (typeof item === 'string' ? item : JSON.stringify(item)));
}

function toBase64(vector: number[]): string {
  const floats = new Float32Array(vector);
  return Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64');
}

/** Renders an embeddings response. */
export function renderEmbeddings({ body, script }: RenderContext): Reply {
  const requested = body['dimensions'];
  const dimensions =
    script.embeddingDimensions ??
    (Number.isInteger(requested) && requested > 0 ? (requested as number) : DEFAULT_EMBEDDING_DIMENSIONS);
  const base64 = body['encoding_format'] === 'base64';
  const keys = inputKeys(body['input']);
  const promptTokens = script.usage?.inputTokens ?? Math.max(1, estimateTokens(textLength(body['input'])));
  return {
    kind: 'json',
    status: 200,
    body: {
      object: 'list',
      data: keys.map((key, index) => {
        const vector = deterministicEmbedding(key, dimensions);
        return { object: 'embedding', index, embedding: base64 ? toBase64(vector) : vector };
      }),
      model: script.model ?? (typeof body['model'] === 'string' ? body['model'] : 'scripted-embedding-model'),
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    },
  };
}
