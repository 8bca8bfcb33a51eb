/*
 * Normalises one message part (or a message's `content`) from the shapes model SDKs use into the
 * part shapes of the OTel GenAI semantic conventions. See messages.ts for the types.
 */
import { isRecord } from '../values.js';
import { binaryPlaceholder, toJsonSafe, type JsonValue } from './safe-serialize.js';
import type {
  BlobPart,
  GenericPart,
  MessagePart,
  TextPart,
  ToolCallRequestPart,
  ToolCallResponsePart,
} from './messages.js';

/** Base64 blob content longer than this is replaced by a size/mime placeholder. */
export const MAX_INLINE_BLOB_LENGTH = 1024;

type Rec = Record<string, unknown>;

/** A text part. */
export function textPart(content: string): TextPart {
  return { type: 'text', content };
}

/** A part holding any value as JSON-safe data; the fallback for shapes we do not know. */
export function genericPart(value: unknown): GenericPart {
  return { type: 'generic', content: toJsonSafe(value) ?? null };
}

/** Parts of a message `content`: a string, an array of parts, nothing, or anything else (generic). */
export function contentToParts(content: unknown): MessagePart[] {
  if (typeof content === 'string') return [textPart(content)];
  if (content == null) return [];
  if (Array.isArray(content)) return content.map(toMessagePart);
  return [toMessagePart(content)];
}

/** Normalises one part; unknown shapes are kept as a JSON-safe copy with their own `type`. */
export function toMessagePart(raw: unknown): MessagePart {
  if (typeof raw === 'string') return textPart(raw);
  if (!isRecord(raw)) return genericPart(raw);
  switch (raw.type) {
    case 'text':
    case 'input_text': // OpenAI Responses
    case 'output_text':
      return textPart(stringOf(raw.content ?? raw.text));
    case 'reasoning':
      return { type: 'reasoning', content: stringOf(raw.content ?? raw.text) };
    case 'thinking': // Anthropic
      return { type: 'reasoning', content: stringOf(raw.thinking ?? raw.content) };
    case 'tool_call':
      return toolCall(raw.id, raw.name, raw.arguments);
    case 'tool_use': // Anthropic
      return toolCall(raw.id, raw.name, raw.input);
    case 'function_call': // OpenAI Responses
      return toolCall(raw.call_id ?? raw.id, raw.name, raw.arguments);
    case 'tool_call_response':
      return toolResponse(raw.id, raw.response);
    case 'tool_result': // Anthropic
      return toolResponse(raw.tool_use_id, raw.content);
    case 'function_call_output': // OpenAI Responses
      return toolResponse(raw.call_id, raw.output);
    case 'blob':
      return blobPart(raw);
    case 'image_url': // OpenAI Chat Completions
      return imageUrlPart(raw.image_url);
    case 'input_image': // OpenAI Responses
      if (typeof raw.file_id === 'string') return { type: 'file', modality: 'image', file_id: raw.file_id };
      if (raw.image_url != null) return imageUrlPart(raw.image_url);
      break;
    case 'input_audio': // OpenAI Chat Completions
      if (isRecord(raw.input_audio)) return inputAudioPart(raw.input_audio);
      break;
    case 'file': // OpenAI Chat Completions `{type: 'file', file: {...}}` (a semconv file part has no `file`)
      if (isRecord(raw.file)) return openAiFilePart(raw.file);
      break;
    case 'input_file': // OpenAI Responses
      return openAiFilePart(raw);
    case 'refusal': // OpenAI
      if (typeof raw.refusal === 'string') return { type: 'refusal', content: raw.refusal };
      break;
    case 'image': // Anthropic
    case 'document':
      if (isRecord(raw.source)) return sourcePart(raw.type, raw.source);
      break;
    default:
      break;
  }
  if (typeof raw.type !== 'string') {
    return typeof raw.text === 'string' ? textPart(raw.text) : genericPart(raw);
  }
  // Already-semconv `uri`/`file` parts and unknown typed parts keep their fields, made JSON-safe.
  const copy = toJsonSafe(raw);
  return isRecord(copy) ? ({ ...copy, type: raw.type } as GenericPart) : genericPart(raw);
}

/** A tool-call request from an OpenAI Chat Completions `tool_calls` entry. */
export function openAiToolCall(raw: unknown): MessagePart {
  if (!isRecord(raw) || !isRecord(raw.function)) return toMessagePart(raw);
  return toolCall(raw.id, raw.function.name, raw.function.arguments);
}

function toolCall(id: unknown, name: unknown, args: unknown): ToolCallRequestPart {
  const part: ToolCallRequestPart = {
    type: 'tool_call',
    ...idField(id),
    name: typeof name === 'string' ? name : '',
  };
  if (args !== undefined) part.arguments = parseArguments(args);
  return part;
}

/** A tool-call response; the tool's result kept as JSON-safe data. */
export function toolResponse(id: unknown, response: unknown): ToolCallResponsePart {
  return { type: 'tool_call_response', ...idField(id), response: toJsonSafe(response) ?? null };
}

/** Semconv expects tool-call arguments as objects: JSON strings are parsed, best effort. */
export function parseArguments(args: unknown): JsonValue {
  if (typeof args === 'string') {
    const trimmed = args.trim();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        // JSON.parse defines `__proto__` as an own key, so parsing cannot pollute prototypes.
        return JSON.parse(trimmed) as JsonValue;
      } catch {
        // Not JSON after all (often a streamed, partial argument string): keep the text.
      }
    }
    return args;
  }
  return toJsonSafe(args) ?? null;
}

function blobPart(raw: Rec): BlobPart {
  const mimeType = typeof raw.mime_type === 'string' ? raw.mime_type : undefined;
  const modality = typeof raw.modality === 'string' ? raw.modality : modalityOf(mimeType);
  return makeBlob(mimeType, modality, blobContent(raw.content, mimeType));
}

function makeBlob(mimeType: string | undefined, modality: string, content: string): BlobPart {
  return mimeType
    ? { type: 'blob', mime_type: mimeType, modality, content }
    : { type: 'blob', modality, content };
}

function imageUrlPart(imageUrl: unknown): MessagePart {
  const url = isRecord(imageUrl) ? imageUrl.url : imageUrl;
  if (typeof url !== 'string') return genericPart({ type: 'image_url', image_url: imageUrl });
  const data = /^data:([^;,]+)?(?:;[^,]*)?;base64,/.exec(url.slice(0, 256));
  if (data) {
    const mimeType = data[1];
    return makeBlob(mimeType, 'image', blobContent(url.slice(data[0].length), mimeType));
  }
  return { type: 'uri', modality: 'image', uri: url };
}

/** An Anthropic `image` / `document` block's `source`: base64 data, a URL, a file id or plain text. */
function sourcePart(blockType: string, source: Rec): MessagePart {
  const mimeType = typeof source.media_type === 'string' ? source.media_type : undefined;
  const modality = blockType === 'document' ? 'document' : 'image';
  switch (source.type) {
    case 'base64':
      return makeBlob(mimeType, modality, blobContent(source.data, mimeType));
    case 'url':
      if (typeof source.url === 'string') return { type: 'uri', modality, uri: source.url };
      break;
    case 'file':
      if (typeof source.file_id === 'string') return { type: 'file', modality, file_id: source.file_id };
      break;
    case 'text':
      if (typeof source.data === 'string') return textPart(source.data);
      break;
    default:
      break;
  }
  return genericPart({ type: blockType, source });
}

/** An OpenAI `input_audio` part: base64 audio in a named format (`wav`, `mp3`). */
function inputAudioPart(audio: Rec): MessagePart {
  const mimeType = typeof audio.format === 'string' ? `audio/${audio.format}` : undefined;
  return makeBlob(mimeType, 'audio', blobContent(audio.data, mimeType));
}

/** An OpenAI file input (`file_id`, `file_url`, or `file_data` as a base64 data URL). */
function openAiFilePart(file: Rec): MessagePart {
  if (typeof file.file_id === 'string') return { type: 'file', modality: 'document', file_id: file.file_id };
  if (typeof file.file_url === 'string') return { type: 'uri', modality: 'document', uri: file.file_url };
  if (typeof file.file_data === 'string') {
    const data = /^data:([^;,]+)?(?:;[^,]*)?;base64,/.exec(file.file_data.slice(0, 256));
    const mimeType = data?.[1];
    const base64 = data ? file.file_data.slice(data[0].length) : file.file_data;
    return makeBlob(mimeType, 'document', blobContent(base64, mimeType));
  }
  return genericPart({ type: 'file', file });
}

/**
 * Blob content as recorded: short base64 is kept; longer base64 and raw bytes become a
 * placeholder with the decoded size and mime type, because inline audio/images bloat spans.
 */
export function blobContent(content: unknown, mimeType: string | undefined): string {
  if (typeof content === 'string') {
    if (content.length <= MAX_INLINE_BLOB_LENGTH) return content;
    return blobPlaceholder(base64Bytes(content), mimeType);
  }
  const bytes = byteLengthOf(content);
  if (bytes !== undefined) return blobPlaceholder(bytes, mimeType);
  const safe = toJsonSafe(content);
  return typeof safe === 'string' ? safe : JSON.stringify(safe ?? null);
}

function blobPlaceholder(bytes: number, mimeType: string | undefined): string {
  const text = binaryPlaceholder(bytes);
  return mimeType ? `${text.slice(0, -1)}, ${mimeType}]` : text;
}

function base64Bytes(content: string): number {
  const padding = content.endsWith('==') ? 2 : content.endsWith('=') ? 1 : 0;
  return Math.max(0, Math.floor((content.length * 3) / 4) - padding);
}

function byteLengthOf(value: unknown): number | undefined {
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (value instanceof ArrayBuffer) return value.byteLength;
  return undefined;
}

function modalityOf(mimeType: string | undefined): string {
  const top = mimeType?.split('/')[0];
  return top === 'image' || top === 'audio' || top === 'video' ? top : 'unknown';
}

/** `{ id }` when the id is usable, else nothing (the key is left out rather than undefined). */
function idField(id: unknown): { id?: string } {
  if (typeof id === 'string') return { id };
  return typeof id === 'number' ? { id: String(id) } : {};
}

function stringOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value == null) return '';
  const safe = toJsonSafe(value);
  return typeof safe === 'string' ? safe : JSON.stringify(safe);
}
