// Reading recorded requests across wire formats, e.g. to drive an agent loop from a handler.
import type { RecordedRequest } from './script.js';

/** A tool result the client sent back to the model. */
export interface ToolResult {
  /** The tool call it answers (`tool_call_id` / `call_id` / `tool_use_id`). */
  toolCallId: string;
  /** The result content as sent (a string, or the provider's content parts). */
  content: unknown;
}

function asArray(value: unknown): Record<string, any>[] {
  return Array.isArray(value) ? value.filter((item) => item !== null && typeof item === 'object') : [];
}

/**
 * The tool results in a request, whatever its format: Chat `role: 'tool'` messages, Responses
 * `function_call_output` input items, Anthropic `tool_result` content blocks.
 */
export function toolResults(request: RecordedRequest): ToolResult[] {
  const body = request.body;
  if (body === null || typeof body !== 'object' || Buffer.isBuffer(body)) return [];
  switch (request.route) {
    case 'openai.chat':
      return asArray(body.messages)
        .filter((message) => message['role'] === 'tool')
        .map((message) => ({ toolCallId: String(message['tool_call_id']), content: message['content'] }));
    case 'openai.responses':
      return asArray(body.input)
        .filter((item) => item['type'] === 'function_call_output')
        .map((item) => ({ toolCallId: String(item['call_id']), content: item['output'] }));
    case 'anthropic.messages':
      return asArray(body.messages)
        .flatMap((message) => asArray(message['content']))
        .filter((block) => block['type'] === 'tool_result')
        .map((block) => ({ toolCallId: String(block['tool_use_id']), content: block['content'] }));
    default:
      return [];
  }
}
