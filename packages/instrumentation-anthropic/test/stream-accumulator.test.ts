import { AnthropicStreamAccumulator } from '../src/messages.js';

function accumulate(events: unknown[], captureContent = true) {
  const accumulator = new AnthropicStreamAccumulator(captureContent);
  for (const event of events) accumulator.add(event);
  return accumulator.toSpanData();
}

const start = {
  type: 'message_start',
  message: {
    id: 'msg_1',
    model: 'claude-x',
    usage: { input_tokens: 10, cache_read_input_tokens: 4, output_tokens: 1 },
  },
};

describe('AnthropicStreamAccumulator', () => {
  it('reassembles input_json_delta fragments into the tool_use input', () => {
    const data = accumulate([
      start,
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'tool_use', id: 't1', name: 'calc', input: {} },
      },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '' } },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: '{"a": 1, ' },
      },
      {
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'input_json_delta', partial_json: '"b": [2]}' },
      },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 9 } },
    ]);
    expect(data).toEqual({
      responseId: 'msg_1',
      responseModel: 'claude-x',
      finishReasons: ['tool_call'],
      usage: { inputTokens: 14, cacheReadInputTokens: 4, outputTokens: 9 },
      output: [
        {
          role: 'assistant',
          content: [{ type: 'tool_use', id: 't1', name: 'calc', input: { a: 1, b: [2] } }],
          stop_reason: 'tool_use',
        },
      ],
    });
  });

  it('keeps the text of a tool input cut mid-stream, and thinking deltas', () => {
    const data = accumulate([
      start,
      {
        type: 'content_block_start',
        index: 0,
        content_block: { type: 'thinking', thinking: '', signature: '' },
      },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me ' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'think.' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'content_block_start',
        index: 1,
        content_block: { type: 'tool_use', id: 't2', name: 'calc', input: {} },
      },
      { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"a": ' } },
    ]);
    expect(data.output).toEqual([
      {
        role: 'assistant',
        content: [
          { type: 'thinking', thinking: 'Let me think.', signature: '' },
          { type: 'tool_use', id: 't2', name: 'calc', input: '{"a": ' },
        ],
      },
    ]);
    // No message_delta: the output count of message_start is a placeholder and is left out.
    expect(data.usage).toEqual({ inputTokens: 14, cacheReadInputTokens: 4 });
    expect(data.finishReasons).toBeUndefined();
  });

  it('takes every count of message_delta as the final total', () => {
    const data = accumulate([
      start,
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn' },
        usage: {
          input_tokens: 20,
          cache_read_input_tokens: null,
          cache_creation_input_tokens: 6,
          output_tokens: 3,
        },
      },
      {
        type: 'message_delta',
        delta: {},
        usage: { output_tokens: 30, output_tokens_details: { thinking_tokens: 12 } },
      },
    ]);
    expect(data.usage).toEqual({
      inputTokens: 30, // 20 + 4 (cache read kept from message_start) + 6
      cacheReadInputTokens: 4,
      cacheWriteInputTokens: 6,
      outputTokens: 30,
      reasoningOutputTokens: 12,
    });
    expect(data.finishReasons).toEqual(['stop']);
  });

  it("takes only a usage object's own counts, not inherited ones", () => {
    const usage = Object.assign(Object.create({ input_tokens: 999 }) as object, { output_tokens: 5 });
    const data = accumulate([start, { type: 'message_delta', delta: {}, usage }]);
    expect(data.usage).toEqual({ inputTokens: 14, cacheReadInputTokens: 4, outputTokens: 5 });
  });

  it('keeps no content when capture is off, and still the response id, model, usage and stop reason', () => {
    const data = accumulate(
      [
        start,
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'secret' } },
        { type: 'content_block_stop', index: 0 },
        { type: 'message_delta', delta: { stop_reason: 'max_tokens' }, usage: { output_tokens: 9 } },
        { type: 'message_stop' },
      ],
      false,
    );
    expect(data.output).toBeUndefined();
    expect(JSON.stringify(data)).not.toContain('secret');
    expect(data).toEqual({
      responseId: 'msg_1',
      responseModel: 'claude-x',
      finishReasons: ['length'],
      usage: { inputTokens: 14, cacheReadInputTokens: 4, outputTokens: 9 },
    });
  });

  it('copes with chunks missing fields', () => {
    const data = accumulate([
      null,
      42,
      'text',
      {},
      { type: 'message_start', message: null },
      { type: 'message_start', message: { id: 7, usage: 'none' } },
      { type: 'content_block_start', index: -1, content_block: { type: 'text' } },
      { type: 'content_block_start', index: 1.5, content_block: { type: 'text' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'orphan' } },
      { type: 'content_block_start', index: 0, content_block: { type: 'text' } },
      { type: 'content_block_delta', index: 0, delta: 'not an object' },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 5 } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'ok' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: null } },
      { type: 'content_block_stop', index: 3 },
      { type: 'message_delta', delta: { stop_reason: 42 }, usage: [] },
    ]);
    expect(data).toEqual({ output: [{ role: 'assistant', content: [{ type: 'text', text: 'ok' }] }] });
  });
});
