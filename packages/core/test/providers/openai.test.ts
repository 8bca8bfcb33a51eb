import { toChatMessages } from '../../src/content/messages';
import {
  openAICompletionPromptMessages,
  openAIErrorType,
  openAIFinishReasons,
  openAIOutputType,
  openAIResponsesFinishReason,
  openAIResponsesInputMessages,
  openAIResponsesOutputMessages,
  openAIResponsesSystemInstructions,
  openAIToolDefinitions,
  openAIUsage,
} from '../../src/providers/openai';
import { errorTypeOf } from '../../src/api/record-error';

describe('openAIUsage', () => {
  it('reads Chat Completions usage, cached and reasoning tokens included as reported', () => {
    expect(
      openAIUsage({
        prompt_tokens: 100,
        completion_tokens: 40,
        total_tokens: 140,
        prompt_tokens_details: { cached_tokens: 60 },
        completion_tokens_details: { reasoning_tokens: 10 },
      }),
    ).toEqual({ inputTokens: 100, outputTokens: 40, cacheReadInputTokens: 60, reasoningOutputTokens: 10 });
  });

  it('reads Responses and transcription usage', () => {
    expect(
      openAIUsage({
        input_tokens: 20,
        output_tokens: 8,
        input_tokens_details: { cached_tokens: 16 },
        output_tokens_details: { reasoning_tokens: 3 },
      }),
    ).toEqual({ inputTokens: 20, outputTokens: 8, cacheReadInputTokens: 16, reasoningOutputTokens: 3 });
    expect(openAIUsage({ type: 'tokens', input_tokens: 11, output_tokens: 5, total_tokens: 16 })).toEqual({
      inputTokens: 11,
      outputTokens: 5,
    });
  });

  it('reads embeddings usage and never estimates missing counts', () => {
    expect(openAIUsage({ prompt_tokens: 6, total_tokens: 6 })).toEqual({ inputTokens: 6 });
    expect(openAIUsage({ completion_tokens_details: { reasoning_tokens: 2 } })).toEqual({
      reasoningOutputTokens: 2,
    });
    expect(openAIUsage({ prompt_tokens_details: { cached_tokens: 1 } })).toEqual({ cacheReadInputTokens: 1 });
    expect(openAIUsage({ type: 'duration', seconds: 3 })).toBeUndefined();
    expect(openAIUsage(null)).toBeUndefined();
    expect(openAIUsage({ prompt_tokens: 'many' })).toBeUndefined();
  });
});

describe('finish reasons', () => {
  it('maps Chat Completions choices in index order onto the semconv values', () => {
    expect(
      openAIFinishReasons([
        { index: 1, finish_reason: 'length' },
        { index: 0, finish_reason: 'tool_calls' },
        { index: 2, finish_reason: null },
        'junk',
      ]),
    ).toEqual(['tool_call', 'length']);
    expect(openAIFinishReasons([])).toBeUndefined();
  });

  it('reads a single choice the same way (its own path)', () => {
    expect(openAIFinishReasons([{ index: 0, finish_reason: 'tool_calls' }])).toEqual(['tool_call']);
    expect(openAIFinishReasons([{ index: 3, finish_reason: 'stop' }])).toEqual(['stop']);
    expect(openAIFinishReasons([{ index: 0, finish_reason: null }])).toBeUndefined();
    expect(openAIFinishReasons([{ index: 0, finish_reason: '' }])).toBeUndefined();
    expect(openAIFinishReasons(['junk'])).toBeUndefined();
    expect(openAIFinishReasons({ finish_reason: 'stop' })).toBeUndefined();
  });

  it('derives a Responses finish reason from the status and output', () => {
    expect(openAIResponsesFinishReason({ status: 'completed', output: [{ type: 'message' }] })).toBe('stop');
    expect(openAIResponsesFinishReason({ status: 'completed', output: [{ type: 'function_call' }] })).toBe(
      'tool_call',
    );
    expect(
      openAIResponsesFinishReason({
        status: 'incomplete',
        incomplete_details: { reason: 'max_output_tokens' },
      }),
    ).toBe('length');
    expect(
      openAIResponsesFinishReason({ status: 'incomplete', incomplete_details: { reason: 'content_filter' } }),
    ).toBe('content_filter');
    expect(openAIResponsesFinishReason({ status: 'failed' })).toBe('error');
    expect(openAIResponsesFinishReason({ status: 'in_progress' })).toBeUndefined();
    expect(openAIResponsesFinishReason({ status: 'cancelled' })).toBe('cancelled');
  });
});

describe('request formats', () => {
  it('normalises Chat and Responses tool definitions', () => {
    expect(
      openAIToolDefinitions([
        { type: 'function', function: { name: 'a', description: 'A', parameters: { type: 'object' } } },
        { type: 'function', name: 'b', parameters: { type: 'object' }, strict: true },
        { type: 'custom', custom: { name: 'c', description: 'C', format: { type: 'text' } } },
        { type: 'mcp', server_label: 'docs', server_url: 'https://example.com' },
        { type: 'web_search' },
      ]),
    ).toEqual([
      { type: 'function', name: 'a', description: 'A', parameters: { type: 'object' } },
      { type: 'function', name: 'b', parameters: { type: 'object' } },
      { type: 'custom', name: 'c', description: 'C' },
      { type: 'mcp', name: 'docs' },
      { type: 'web_search', name: 'web_search' },
    ]);
    expect(openAIToolDefinitions([])).toBeUndefined();
  });

  it('maps the requested format onto gen_ai.output.type', () => {
    expect(openAIOutputType({ type: 'json_schema' })).toBe('json');
    expect(openAIOutputType({ type: 'json_object' })).toBe('json');
    expect(openAIOutputType({ type: 'text' })).toBe('text');
    expect(openAIOutputType(undefined, ['text', 'audio'])).toBe('speech');
    expect(openAIOutputType(undefined)).toBeUndefined();
  });

  it('turns Responses instructions into system instruction parts', () => {
    expect(openAIResponsesSystemInstructions('Be brief.')).toEqual([{ type: 'text', content: 'Be brief.' }]);
    expect(
      openAIResponsesSystemInstructions([
        { role: 'developer', content: [{ type: 'input_text', text: 'Rules' }] },
      ]),
    ).toEqual([{ type: 'text', content: 'Rules' }]);
    expect(openAIResponsesSystemInstructions(null)).toBeUndefined();
  });
});

describe('openAIResponsesInputMessages', () => {
  it('turns a string into one user message', () => {
    expect(openAIResponsesInputMessages('Hi')).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Hi' }] },
    ]);
  });

  it('groups one model turn into one assistant message and tool outputs into tool messages', () => {
    expect(
      openAIResponsesInputMessages([
        { role: 'developer', content: 'Rules' },
        {
          type: 'message',
          role: 'user',
          content: [
            { type: 'input_text', text: 'Look' },
            { type: 'input_image', image_url: 'https://example.com/cat.png' },
            { type: 'input_image', file_id: 'file-img' },
            { type: 'input_file', file_id: 'file-doc' },
          ],
        },
        { type: 'reasoning', id: 'rs_1', summary: [{ type: 'summary_text', text: 'Think' }] },
        { type: 'function_call', call_id: 'call_1', name: 'f', arguments: '{"a":1}' },
        { type: 'function_call', call_id: 'call_2', name: 'g', arguments: 'not json' },
        { type: 'function_call_output', call_id: 'call_1', output: '{"ok":true}' },
        { type: 'function_call_output', call_id: 'call_2', output: 'fine' },
        { type: 'web_search_call', id: 'ws_1', status: 'completed' },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Done' }] },
      ]),
    ).toEqual([
      { role: 'developer', parts: [{ type: 'text', content: 'Rules' }] },
      {
        role: 'user',
        parts: [
          { type: 'text', content: 'Look' },
          { type: 'uri', modality: 'image', uri: 'https://example.com/cat.png' },
          { type: 'file', modality: 'image', file_id: 'file-img' },
          { type: 'file', modality: 'document', file_id: 'file-doc' },
        ],
      },
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', content: 'Think' },
          { type: 'tool_call', id: 'call_1', name: 'f', arguments: { a: 1 } },
          { type: 'tool_call', id: 'call_2', name: 'g', arguments: 'not json' },
        ],
      },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: '{"ok":true}' }] },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_2', response: 'fine' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'web_search_call', id: 'ws_1', status: 'completed' },
          { type: 'text', content: 'Done' },
        ],
      },
    ]);
  });

  it('never throws on odd input', () => {
    expect(openAIResponsesInputMessages(undefined)).toEqual([]);
    expect(openAIResponsesInputMessages([42, null])).toEqual([
      { role: 'user', parts: [{ type: 'generic', content: 42 }] },
      { role: 'user', parts: [{ type: 'generic', content: null }] },
    ]);
  });
});

describe('openAICompletionPromptMessages', () => {
  it('makes a string prompt one user message, and a list of strings one user message per prompt', () => {
    expect(openAICompletionPromptMessages('Say hi')).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Say hi' }] },
    ]);
    expect(openAICompletionPromptMessages(['a', 'b'])).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'a' }] },
      { role: 'user', parts: [{ type: 'text', content: 'b' }] },
    ]);
  });

  it('keeps token-id prompts as sent, one generic part per prompt', () => {
    expect(openAICompletionPromptMessages([1, 2, 3])).toEqual([
      { role: 'user', parts: [{ type: 'generic', content: [1, 2, 3] }] },
    ]);
    expect(openAICompletionPromptMessages([[1, 2], [3]])).toEqual([
      { role: 'user', parts: [{ type: 'generic', content: [1, 2] }] },
      { role: 'user', parts: [{ type: 'generic', content: [3] }] },
    ]);
  });

  it('records nothing for a missing prompt, and anything else as a generic part', () => {
    expect(openAICompletionPromptMessages(undefined)).toEqual([]);
    expect(openAICompletionPromptMessages([])).toEqual([
      { role: 'user', parts: [{ type: 'generic', content: [] }] },
    ]);
    expect(openAICompletionPromptMessages({ odd: 1n })).toEqual([
      { role: 'user', parts: [{ type: 'generic', content: { odd: expect.any(String) } }] },
    ]);
  });
});

describe('openAIResponsesOutputMessages', () => {
  it('makes one assistant message of all output items, with the finish reason of the status', () => {
    expect(
      openAIResponsesOutputMessages({
        status: 'completed',
        output: [
          { type: 'reasoning', summary: [{ type: 'summary_text', text: 'Plan' }] },
          {
            type: 'message',
            role: 'assistant',
            content: [
              { type: 'output_text', text: 'Calling.' },
              { type: 'refusal', refusal: 'Not that.' },
            ],
          },
          { type: 'function_call', call_id: 'call_9', name: 'h', arguments: '{}' },
        ],
      }),
    ).toEqual([
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', content: 'Plan' },
          { type: 'text', content: 'Calling.' },
          { type: 'refusal', content: 'Not that.' },
          { type: 'tool_call', id: 'call_9', name: 'h', arguments: {} },
        ],
        finish_reason: 'tool_call',
      },
    ]);
    expect(openAIResponsesOutputMessages({ status: 'completed', output: [] })).toEqual([]);
  });
});

describe('OpenAI parts in chat messages', () => {
  it('normalises input_audio and file parts', () => {
    expect(
      toChatMessages([
        {
          role: 'user',
          content: [
            { type: 'input_audio', input_audio: { data: 'UklGRg==', format: 'wav' } },
            { type: 'file', file: { file_id: 'file-1' } },
            { type: 'file', file: { file_data: 'data:application/pdf;base64,JVBERi0=', filename: 'a.pdf' } },
          ],
        },
      ]),
    ).toEqual([
      {
        role: 'user',
        parts: [
          { type: 'blob', mime_type: 'audio/wav', modality: 'audio', content: 'UklGRg==' },
          { type: 'file', modality: 'document', file_id: 'file-1' },
          { type: 'blob', mime_type: 'application/pdf', modality: 'document', content: 'JVBERi0=' },
        ],
      },
    ]);
  });
});

describe('error types', () => {
  it('uses the HTTP status of an SDK error, and leaves other errors to their class name', () => {
    class RateLimitError extends Error {
      status = 429;
    }
    expect(openAIErrorType(new RateLimitError('slow'))).toBe('429');
    expect(openAIErrorType(Object.assign(new Error('no status'), { status: undefined }))).toBeUndefined();
    expect(openAIErrorType(new TypeError('terminated'))).toBeUndefined();
    expect(openAIErrorType(null)).toBeUndefined();
  });

  it('names a DOMException by its name (AbortError), not its class', () => {
    expect(errorTypeOf(new DOMException('aborted', 'AbortError'))).toBe('AbortError');
    expect(errorTypeOf(AbortSignal.abort().reason)).toBe('AbortError');
  });
});
