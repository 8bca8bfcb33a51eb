import { openAIAgentsInputMessages, openAIAgentsUsage } from '../../src/providers/openai-agents';

describe('OpenAI Agents SDK formats', () => {
  it("reads the SDK's run items (camelCase call ids, function_call_result) as GenAI messages", () => {
    expect(
      openAIAgentsInputMessages([
        { type: 'message', role: 'user', content: 'Refund INV-7' },
        { type: 'message', role: 'user', content: [{ type: 'input_image', image: 'https://x.test/a.png' }] },
        { type: 'reasoning', content: [{ type: 'input_text', text: 'Look it up first.' }] },
        {
          type: 'function_call',
          callId: 'call_1',
          name: 'lookup_invoice',
          arguments: '{"invoiceId":"INV-7"}',
        },
        {
          type: 'function_call_result',
          callId: 'call_1',
          name: 'lookup_invoice',
          status: 'completed',
          output: { type: 'text', text: '{"amount":42}' },
        },
        { type: 'message', role: 'assistant', content: [{ type: 'output_text', text: 'Refunded.' }] },
      ]),
    ).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Refund INV-7' }] },
      { role: 'user', parts: [{ type: 'uri', modality: 'image', uri: 'https://x.test/a.png' }] },
      {
        role: 'assistant',
        parts: [
          { type: 'reasoning', content: 'Look it up first.' },
          { type: 'tool_call', id: 'call_1', name: 'lookup_invoice', arguments: { invoiceId: 'INV-7' } },
        ],
      },
      { role: 'tool', parts: [{ type: 'tool_call_response', id: 'call_1', response: '{"amount":42}' }] },
      { role: 'assistant', parts: [{ type: 'text', content: 'Refunded.' }] },
    ]);
  });

  it('reads a plain string input, and never throws', () => {
    expect(openAIAgentsInputMessages('Hi')).toEqual([
      { role: 'user', parts: [{ type: 'text', content: 'Hi' }] },
    ]);
    expect(openAIAgentsInputMessages(undefined)).toEqual([]);
    const hostile = new Proxy(
      {},
      {
        get: () => {
          throw new Error('no');
        },
      },
    );
    expect(() => openAIAgentsInputMessages([hostile])).not.toThrow();
  });

  it('reads task/turn usage and generation usage with details', () => {
    expect(
      openAIAgentsUsage({
        input_tokens: 250,
        output_tokens: 30,
        cached_input_tokens: 64,
        cache_write_input_tokens: 8,
      }),
    ).toEqual({ inputTokens: 250, outputTokens: 30, cacheReadInputTokens: 64, cacheWriteInputTokens: 8 });
    expect(
      openAIAgentsUsage({
        input_tokens: 10,
        output_tokens: 5,
        details: { cached_tokens: 2, reasoning_tokens: 1 },
      }),
    ).toEqual({ inputTokens: 10, outputTokens: 5, cacheReadInputTokens: 2, reasoningOutputTokens: 1 });
    expect(
      openAIAgentsUsage({
        input_tokens: 10,
        output_tokens: 5,
        input_tokens_details: { cached_tokens: 3 },
        output_tokens_details: { reasoning_tokens: 2 },
      }),
    ).toEqual({ inputTokens: 10, outputTokens: 5, cacheReadInputTokens: 3, reasoningOutputTokens: 2 });
    expect(openAIAgentsUsage({})).toBeUndefined();
    expect(openAIAgentsUsage('10 tokens')).toBeUndefined();
  });
});
