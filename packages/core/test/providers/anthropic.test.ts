import {
  anthropicFinishReasons,
  anthropicOutputMessage,
  anthropicSystemInstructions,
  anthropicToolDefinitions,
  anthropicUsage,
} from '../../src/providers/anthropic';
import { toChatMessages, toOutputMessages } from '../../src/content/messages';

describe('Anthropic provider format', () => {
  it('counts cache reads and writes into the input tokens', () => {
    expect(
      anthropicUsage({
        input_tokens: 10,
        cache_read_input_tokens: 60,
        cache_creation_input_tokens: 30,
        output_tokens: 7,
        output_tokens_details: { thinking_tokens: 2 },
      }),
    ).toEqual({
      inputTokens: 100,
      cacheReadInputTokens: 60,
      cacheWriteInputTokens: 30,
      outputTokens: 7,
      reasoningOutputTokens: 2,
    });
    expect(anthropicUsage({ output_tokens: 3, cache_read_input_tokens: null })).toEqual({ outputTokens: 3 });
    expect(anthropicUsage({})).toBeUndefined();
    expect(anthropicUsage({ output_tokens_details: { thinking_tokens: 4 } })).toEqual({
      reasoningOutputTokens: 4,
    });
    expect(anthropicUsage({ cache_read_input_tokens: 2 })).toEqual({
      inputTokens: 2,
      cacheReadInputTokens: 2,
    });
    expect(anthropicUsage(null)).toBeUndefined();
  });

  it('maps stop reasons onto semconv finish reasons', () => {
    expect(anthropicFinishReasons('end_turn')).toEqual(['stop']);
    expect(anthropicFinishReasons('stop_sequence')).toEqual(['stop']);
    expect(anthropicFinishReasons('max_tokens')).toEqual(['length']);
    expect(anthropicFinishReasons('model_context_window_exceeded')).toEqual(['length']);
    expect(anthropicFinishReasons('tool_use')).toEqual(['tool_call']);
    expect(anthropicFinishReasons('refusal')).toEqual(['content_filter']);
    expect(anthropicFinishReasons('pause_turn')).toEqual(['pause_turn']);
    expect(anthropicFinishReasons(null)).toBeUndefined();
  });

  it('turns system strings and text blocks into system instructions', () => {
    expect(anthropicSystemInstructions('Be brief.')).toEqual([{ type: 'text', content: 'Be brief.' }]);
    expect(
      anthropicSystemInstructions([{ type: 'text', text: 'A', cache_control: { type: 'ephemeral' } }]),
    ).toEqual([{ type: 'text', content: 'A' }]);
    expect(anthropicSystemInstructions(undefined)).toBeUndefined();
  });

  it('turns client tools into function definitions and keeps server tools by type and name', () => {
    expect(
      anthropicToolDefinitions([
        { name: 'calc', description: 'Adds', input_schema: { type: 'object' } },
        { type: 'custom', name: 'bare' },
        { type: 'bash_20250124', name: 'bash' },
        'junk',
      ]),
    ).toEqual([
      { type: 'function', name: 'calc', description: 'Adds', parameters: { type: 'object' } },
      { type: 'function', name: 'bare' },
      { type: 'bash_20250124', name: 'bash' },
    ]);
    expect(anthropicToolDefinitions([])).toBeUndefined();
  });

  it('builds an output message the span mapping understands', () => {
    const message = anthropicOutputMessage(
      [
        { type: 'thinking', thinking: 'hmm', signature: 's' },
        { type: 'text', text: 'Calling.' },
        { type: 'tool_use', id: 't1', name: 'calc', input: { x: 1 } },
      ],
      'tool_use',
    );
    expect(toOutputMessages([message])).toEqual([
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', content: 'hmm' },
          { type: 'text', content: 'Calling.' },
          { type: 'tool_call', id: 't1', name: 'calc', arguments: { x: 1 } },
        ],
        finish_reason: 'tool_call',
      },
    ]);
  });

  it('records image and document sources as blob, uri, file and text parts', () => {
    const [message] = toChatMessages({
      role: 'user',
      content: [
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
        { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: 'A'.repeat(4000) } },
        { type: 'image', source: { type: 'url', url: 'https://example.com/cat.png' } },
        { type: 'document', source: { type: 'file', file_id: 'file_1' } },
        { type: 'document', source: { type: 'text', media_type: 'text/plain', data: 'plain doc' } },
        { type: 'document', source: { type: 'content', content: [] } },
      ],
    });
    expect(message!.parts).toEqual([
      { type: 'blob', mime_type: 'image/png', modality: 'image', content: 'iVBORw0KGgo=' },
      {
        type: 'blob',
        mime_type: 'image/jpeg',
        modality: 'image',
        content: '[binary 3000 bytes, image/jpeg]',
      },
      { type: 'uri', modality: 'image', uri: 'https://example.com/cat.png' },
      { type: 'file', modality: 'document', file_id: 'file_1' },
      { type: 'text', content: 'plain doc' },
      { type: 'generic', content: { type: 'document', source: { type: 'content', content: [] } } },
    ]);
  });
});
