// What the UI reads from spans: the category a span is drawn in, and typed attribute access.
import type { AttributeValue, Attributes, Span } from '../model.js';

/** The colour groups of the waterfall. */
export type Category = 'workflow' | 'agent' | 'model' | 'tool' | 'retrieval' | 'mcp' | 'other';

export const CATEGORIES: readonly Category[] = [
  'workflow',
  'agent',
  'model',
  'tool',
  'retrieval',
  'mcp',
  'other',
];

/** `agent_otel.span.kind` values, for the span-kind filter. */
export const SPAN_KINDS: readonly string[] = [
  'workflow',
  'agent',
  'generation',
  'response',
  'embeddings',
  'rerank',
  'retrieval',
  'function',
  'handoff',
  'guardrail',
  'mcp_tools',
  'mcp_call',
  'mcp_request',
  'custom',
  'speech',
  'transcription',
  'task',
  'turn',
];

const BY_KIND: Readonly<Record<string, Category>> = {
  workflow: 'workflow',
  agent: 'agent',
  turn: 'agent',
  generation: 'model',
  response: 'model',
  embeddings: 'model',
  rerank: 'model',
  speech: 'model',
  transcription: 'model',
  function: 'tool',
  handoff: 'tool',
  retrieval: 'retrieval',
  mcp_tools: 'mcp',
  mcp_call: 'mcp',
  mcp_request: 'mcp',
};

const BY_OPERATION: Readonly<Record<string, Category>> = {
  invoke_workflow: 'workflow',
  invoke_agent: 'agent',
  create_agent: 'agent',
  chat: 'model',
  text_completion: 'model',
  generate_content: 'model',
  embeddings: 'model',
  rerank: 'model',
  text_to_speech: 'model',
  speech_to_text: 'model',
  execute_tool: 'tool',
  retrieval: 'retrieval',
};

/** The waterfall colour group of a span: from `agent_otel.span.kind`, else the GenAI operation. */
export function categoryOf(span: Span): Category {
  const kind = str(span.attributes, 'agent_otel.span.kind');
  if (kind !== undefined) return BY_KIND[kind] ?? 'other';
  const operation = str(span.attributes, 'gen_ai.operation.name');
  if (operation === 'execute_tool' && str(span.attributes, 'mcp.method.name') !== undefined) return 'mcp';
  if (operation !== undefined && BY_OPERATION[operation]) return BY_OPERATION[operation];
  if (str(span.attributes, 'mcp.method.name') !== undefined) return 'mcp';
  return 'other';
}

/** A string attribute, or undefined. */
export function str(attributes: Attributes, key: string): string | undefined {
  const value = attributes[key];
  return typeof value === 'string' ? value : undefined;
}

/** A numeric attribute (numbers, or numeric strings as some exporters send int64), or undefined. */
export function num(attributes: Attributes, key: string): number | undefined {
  const value = attributes[key];
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return undefined;
}

/** An attribute value as one line of text (arrays and objects as JSON). */
export function valueText(value: AttributeValue | undefined): string {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Attributes that hold content (messages, tool arguments, documents): shown rendered, not in the table. */
export const CONTENT_ATTRIBUTES: ReadonlySet<string> = new Set([
  'gen_ai.input.messages',
  'gen_ai.output.messages',
  'gen_ai.system_instructions',
  'gen_ai.tool.definitions',
  'gen_ai.tool.call.arguments',
  'gen_ai.tool.call.result',
  'gen_ai.retrieval.query.text',
  'gen_ai.retrieval.documents',
]);
