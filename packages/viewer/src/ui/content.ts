// Renders GenAI content attributes: chat messages (`gen_ai.input.messages` /
// `gen_ai.output.messages`: [{role, parts: [{type: 'text', content} | {type: 'tool_call', id, name,
// arguments} | {type: 'tool_call_response', id, response} | {type: 'reasoning', content} | ...]}]),
// system instructions, tool definitions, tool arguments and results, retrieval documents. Every
// value is untrusted model or user text: shown as text only. Malformed JSON is shown as it is.
import type { AttributeValue } from '../model.js';
import { h, safeClass, type Child } from './dom.js';
import { formatInt } from './format.js';

type Json = unknown;

/** The parse of a JSON-carrying attribute: a value, or the raw text when it is not JSON. */
export type Parsed =
  { readonly ok: true; readonly value: Json } | { readonly ok: false; readonly text: string };

/** Parses a content attribute (a JSON string, or an array/object an exporter sent as such). */
export function parseContent(value: AttributeValue): Parsed {
  if (typeof value !== 'string') return { ok: true, value };
  try {
    return { ok: true, value: JSON.parse(value) as Json };
  } catch {
    return { ok: false, text: value };
  }
}

/** Raw text shown when a value was expected to be JSON and is not. */
export function malformed(text: string, what = 'JSON'): HTMLElement {
  return h(
    'div',
    'malformed',
    h('div', 'note', `Not valid ${what}; shown as received:`),
    h('pre', 'code', text),
  );
}

/** A JSON value, pretty-printed as text. */
export function jsonBlock(value: Json): HTMLElement {
  return h('pre', 'code', prettyJson(value));
}

/** A value as readable text: strings as they are, anything else as indented JSON. */
export function prettyJson(value: Json): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    return String(value);
  }
}

/** A string that may hold JSON (tool arguments): indented when it parses, else as it is. */
function maybeJsonText(value: Json): string {
  if (typeof value === 'string') {
    const trimmed = value.trim();
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
      try {
        return JSON.stringify(JSON.parse(trimmed), null, 2);
      } catch {
        return value;
      }
    }
    return value;
  }
  return prettyJson(value);
}

function isRecord(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const KNOWN_ROLES = new Set(['system', 'user', 'assistant', 'tool', 'developer']);

/** Chat messages as bubbles with their roles; anything else as JSON. */
export function renderMessages(value: AttributeValue): HTMLElement {
  const parsed = parseContent(value);
  if (!parsed.ok) return malformed(parsed.text);
  const messages = parsed.value;
  if (!Array.isArray(messages)) return jsonBlock(messages);
  return h(
    'div',
    'messages',
    messages.map((message) => renderMessage(message)),
  );
}

/** One message: a bubble with the role, the optional name and finish reason, and its parts. */
export function renderMessage(message: Json): HTMLElement {
  if (!isRecord(message)) return h('div', 'message role-other', jsonBlock(message));
  const role = typeof message.role === 'string' ? message.role : 'unknown';
  const roleClass = KNOWN_ROLES.has(role) ? safeClass(role) : 'other';
  const parts: Json[] = Array.isArray(message.parts)
    ? message.parts
    : message.content !== undefined
      ? [typeof message.content === 'string' ? { type: 'text', content: message.content } : message.content]
      : [];
  return h(
    'div',
    { class: `message role-${roleClass}`, attrs: { 'data-role': role } },
    h(
      'div',
      'message-head',
      h('span', 'role', role),
      typeof message.name === 'string' ? h('span', 'message-name', message.name) : null,
      typeof message.finish_reason === 'string'
        ? h('span', 'finish', `finish: ${message.finish_reason}`)
        : null,
    ),
    h(
      'div',
      'message-body',
      parts.map((part) => renderPart(part)),
    ),
  );
}

/** One message part. */
export function renderPart(part: Json): HTMLElement {
  if (typeof part === 'string') return h('div', 'part part-text', part);
  if (!isRecord(part)) return h('div', 'part part-other', jsonBlock(part));
  switch (part.type) {
    case 'text':
      return h(
        'div',
        'part part-text',
        typeof part.content === 'string' ? part.content : prettyJson(part.content),
      );
    case 'tool_call':
      return h(
        'div',
        'part part-tool-call',
        h(
          'div',
          'part-head',
          h('span', 'part-label', 'tool call'),
          h('span', 'tool-name', typeof part.name === 'string' ? part.name : prettyJson(part.name)),
          typeof part.id === 'string' ? h('span', 'call-id', part.id) : null,
        ),
        part.arguments === undefined ? null : h('pre', 'code', maybeJsonText(part.arguments)),
      );
    case 'tool_call_response':
      return h(
        'div',
        'part part-tool-result',
        h(
          'div',
          'part-head',
          h('span', 'part-label', 'tool result'),
          typeof part.id === 'string' ? h('span', 'call-id', part.id) : null,
        ),
        h('pre', 'code', maybeJsonText(part.response)),
      );
    case 'reasoning':
      return h(
        'details',
        'part part-reasoning',
        h('summary', null, 'reasoning'),
        h('div', 'part-text', typeof part.content === 'string' ? part.content : prettyJson(part.content)),
      );
    case 'blob':
      return h(
        'div',
        'part part-media',
        `[${describeMedia(part)}, ${formatInt(typeof part.content === 'string' ? part.content.length : 0)} base64 characters]`,
      );
    case 'uri':
      return h(
        'div',
        'part part-media',
        `[${describeMedia(part)}] `,
        h('span', 'uri', String(part.uri ?? '')),
      );
    case 'file':
      return h(
        'div',
        'part part-media',
        `[${describeMedia(part)}] file `,
        h('span', 'uri', String(part.file_id ?? '')),
      );
    default:
      return h(
        'div',
        'part part-other',
        h('div', 'part-head', h('span', 'part-label', typeof part.type === 'string' ? part.type : 'part')),
        typeof part.content === 'string' ? h('div', 'part-text', part.content) : jsonBlock(part),
      );
  }
}

function describeMedia(part: Record<string, Json>): string {
  const modality = typeof part.modality === 'string' ? part.modality : 'data';
  const mime = typeof part.mime_type === 'string' ? ` ${part.mime_type}` : '';
  return `${modality}${mime}`;
}

/** `gen_ai.system_instructions`: parts (or a plain string) in one system bubble. */
export function renderSystemInstructions(value: AttributeValue): HTMLElement {
  const parsed = parseContent(value);
  if (!parsed.ok) {
    // A plain (non-JSON) string is a valid way to give instructions: show it as the system text.
    return h(
      'div',
      'messages',
      renderMessage({ role: 'system', parts: [{ type: 'text', content: parsed.text }] }),
    );
  }
  const parts = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  return h('div', 'messages', renderMessage({ role: 'system', parts }));
}

/** `gen_ai.tool.definitions`: one card per tool (name, description, parameters). */
export function renderToolDefinitions(value: AttributeValue): HTMLElement {
  const parsed = parseContent(value);
  if (!parsed.ok) return malformed(parsed.text);
  const tools = Array.isArray(parsed.value) ? parsed.value : [parsed.value];
  return h(
    'div',
    'tool-defs',
    tools.map((tool) => {
      if (!isRecord(tool)) return jsonBlock(tool);
      const fn = isRecord(tool.function) ? tool.function : tool;
      const name = typeof fn.name === 'string' ? fn.name : '(unnamed)';
      const parameters = fn.parameters ?? fn.input_schema ?? fn.inputSchema;
      return h(
        'div',
        'tool-def',
        h(
          'div',
          'part-head',
          h('span', 'tool-name', name),
          typeof tool.type === 'string' ? h('span', 'call-id', tool.type) : null,
        ),
        typeof fn.description === 'string' ? h('div', 'tool-desc', fn.description) : null,
        parameters === undefined
          ? null
          : h('details', null, h('summary', null, 'parameters'), jsonBlock(parameters)),
      );
    }),
  );
}

/** Tool arguments or results (JSON, or any text). */
export function renderToolValue(value: AttributeValue): HTMLElement {
  if (typeof value === 'string') return h('pre', 'code', maybeJsonText(value));
  return jsonBlock(value);
}

/** `gen_ai.retrieval.documents`: one card per document (id, score, content), else JSON. */
export function renderDocuments(value: AttributeValue): HTMLElement {
  const parsed = parseContent(value);
  if (!parsed.ok) return malformed(parsed.text);
  if (!Array.isArray(parsed.value)) return jsonBlock(parsed.value);
  return h(
    'ol',
    'documents',
    parsed.value.map((doc) => {
      if (!isRecord(doc)) return h('li', 'document', h('pre', 'code', prettyJson(doc)));
      const { id, score, content, text, pageContent, metadata, ...rest } = doc;
      const body = content ?? text ?? pageContent;
      const head: Child[] = [];
      if (id !== undefined) head.push(h('span', 'call-id', `id ${prettyJson(id)}`));
      if (typeof score === 'number') head.push(h('span', 'score', `score ${score.toFixed(4)}`));
      return h(
        'li',
        'document',
        head.length ? h('div', 'part-head', head) : null,
        body === undefined ? null : h('div', 'part-text', prettyJson(body)),
        metadata === undefined
          ? null
          : h('details', null, h('summary', null, 'metadata'), jsonBlock(metadata)),
        Object.keys(rest).length ? jsonBlock(rest) : null,
      );
    }),
  );
}

/** A one-line summary of messages (the last user text / the assistant text), for lists. */
export function messagesSummary(value: AttributeValue | undefined, role?: string): string | undefined {
  if (value === undefined) return undefined;
  const parsed = parseContent(value);
  if (!parsed.ok) return parsed.text;
  if (!Array.isArray(parsed.value)) return prettyJson(parsed.value);
  const messages = parsed.value.filter(isRecord).filter((m) => role === undefined || m.role === role);
  // The last message of that role that has something to show.
  for (let i = messages.length - 1; i >= 0; i--) {
    const text = messageText(messages[i]);
    if (text) return text;
  }
  return undefined;
}

function messageText(message: Record<string, Json>): string {
  const texts: string[] = [];
  const parts: Json[] = Array.isArray(message.parts) ? message.parts : [];
  for (const part of parts) {
    if (!isRecord(part)) continue;
    if (part.type === 'text' && typeof part.content === 'string') texts.push(part.content);
    else if (part.type === 'tool_call' && typeof part.name === 'string') texts.push(`→ ${part.name}(…)`);
    else if (part.type === 'tool_call_response') texts.push('← tool result');
    else if (part.type === 'blob' || part.type === 'uri' || part.type === 'file')
      texts.push(`[${describeMedia(part)}]`);
  }
  if (texts.length === 0 && typeof message.content === 'string') texts.push(message.content);
  return texts.join(' ');
}
