import type Anthropic from '@anthropic-ai/sdk';
import { anthropic, server, useScriptedClients } from './scripted-clients.js';

useScriptedClients();

const params = {
  model: 'claude-test',
  max_tokens: 256,
  messages: [{ role: 'user' as const, content: 'Weather in Paris?' }],
};

describe('anthropic messages (JSON)', () => {
  it('returns text with stop_reason end_turn and usage with input tokens net of cache', async () => {
    server.enqueue({
      text: 'Sunny.',
      usage: { inputTokens: 100, outputTokens: 7, cacheReadInputTokens: 60, cacheWriteInputTokens: 30 },
    });
    const message = await anthropic.messages.create(params);
    expect(message).toMatchObject({
      type: 'message',
      role: 'assistant',
      model: 'claude-test',
      stop_reason: 'end_turn',
      content: [{ type: 'text', text: 'Sunny.' }],
      usage: {
        input_tokens: 10,
        output_tokens: 7,
        cache_read_input_tokens: 60,
        cache_creation_input_tokens: 30,
      },
    });
    expect(message.id).toMatch(/^msg_/);
  });

  it('returns thinking, text and tool_use blocks with stop_reason tool_use', async () => {
    server.enqueue({
      reasoning: 'Need the weather tool.',
      reasoningSignature: 'sig-1',
      text: 'Let me check.',
      toolCalls: [{ id: 'toolu_1', name: 'get_weather', arguments: { city: 'Paris' } }],
    });
    const message = await anthropic.messages.create(params);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'Need the weather tool.', signature: 'sig-1' },
      { type: 'text', text: 'Let me check.' },
      {
        type: 'tool_use',
        id: 'toolu_1',
        name: 'get_weather',
        input: { city: 'Paris' },
        caller: { type: 'direct' },
      },
    ]);
    expect(message.usage.output_tokens_details?.thinking_tokens).toBe(6); // ceil(22 / 4)
  });

  it('maps neutral finish reasons onto stop_reason', async () => {
    server.enqueue([
      { text: 'a', finishReason: 'length' },
      { text: 'b', finishReason: 'pause_turn' },
    ]);
    expect((await anthropic.messages.create(params)).stop_reason).toBe('max_tokens');
    expect((await anthropic.messages.create(params)).stop_reason).toBe('pause_turn');
  });
});

describe('anthropic messages (stream)', () => {
  it('emits message_start, ping, content block events, message_delta and message_stop', async () => {
    server.enqueue({ text: 'Hello!', chunkSize: 3, usage: { inputTokens: 9, outputTokens: 2 } });
    const stream = await anthropic.messages.create({ ...params, stream: true });
    const events: Anthropic.RawMessageStreamEvent[] = [];
    for await (const event of stream) events.push(event);
    // The SDK drops `ping`; see the raw wire test below.
    expect(events.map((event) => event.type)).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    const deltas = events.flatMap((event) =>
      event.type === 'content_block_delta' && event.delta.type === 'text_delta' ? [event.delta.text] : [],
    );
    expect(deltas).toEqual(['Hel', 'lo!']);
    const delta = events.find((event) => event.type === 'message_delta');
    expect(delta).toMatchObject({
      delta: { stop_reason: 'end_turn' },
      usage: { output_tokens: 2, input_tokens: 9 },
    });
  });

  it('sends `event: X` + `data:` frames including ping (raw wire check)', async () => {
    server.enqueue({ text: 'x' });
    const res = await fetch(`${server.anthropicBaseURL}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ ...params, stream: true }),
    });
    const frames = (await res.text()).split('\n\n').filter(Boolean);
    expect(frames.map((frame) => /^event: (\S+)\n/.exec(frame)?.[1])).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(frames[1]).toBe('event: ping\ndata: {"type":"ping"}');
  });

  it('finalMessage() of client.messages.stream() reassembles thinking, text and tool_use input', async () => {
    server.enqueue({
      reasoning: 'I should call the tool.',
      text: 'Calling.',
      toolCalls: [
        { id: 'toolu_a', name: 'get_weather', arguments: { city: 'Paris', days: 3 } },
        { id: 'toolu_b', name: 'get_time', arguments: { tz: 'Europe/Paris' } },
      ],
      chunkSize: 4,
      usage: { inputTokens: 50, outputTokens: 40, cacheReadInputTokens: 20 },
    });
    const stream = anthropic.messages.stream(params);
    const texts: string[] = [];
    const thinking: string[] = [];
    stream.on('text', (delta) => texts.push(delta));
    stream.on('thinking', (delta) => thinking.push(delta));
    const message = await stream.finalMessage();

    expect(texts.join('')).toBe('Calling.');
    expect(thinking.join('')).toBe('I should call the tool.');
    expect(message.stop_reason).toBe('tool_use');
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'I should call the tool.', signature: expect.any(String) },
      { type: 'text', text: 'Calling.' },
      {
        type: 'tool_use',
        id: 'toolu_a',
        name: 'get_weather',
        input: { city: 'Paris', days: 3 },
        caller: { type: 'direct' },
      },
      {
        type: 'tool_use',
        id: 'toolu_b',
        name: 'get_time',
        input: { tz: 'Europe/Paris' },
        caller: { type: 'direct' },
      },
    ]);
    expect((message.content[0] as Anthropic.ThinkingBlock).signature.length).toBeGreaterThan(0);
    expect(message.usage).toMatchObject({ input_tokens: 30, output_tokens: 40, cache_read_input_tokens: 20 });
  });
});
