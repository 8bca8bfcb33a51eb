import type OpenAI from 'openai';
import { openai, server, useScriptedClients } from './scripted-clients.js';

useScriptedClients();

const messages = [{ role: 'user' as const, content: 'What is the weather in Paris?' }];

describe('chat completions (JSON)', () => {
  it('answers with the scripted text, echoed model and scripted usage', async () => {
    server.enqueue({
      text: 'Sunny.',
      usage: { inputTokens: 20, outputTokens: 5, cacheReadInputTokens: 8, reasoningOutputTokens: 2 },
    });
    const completion = await openai.chat.completions.create({ model: 'gpt-test', messages });
    expect(completion.object).toBe('chat.completion');
    expect(completion.model).toBe('gpt-test');
    expect(completion.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'Sunny.' });
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage).toMatchObject({
      prompt_tokens: 20,
      completion_tokens: 5,
      total_tokens: 25,
      prompt_tokens_details: { cached_tokens: 8 },
      completion_tokens_details: { reasoning_tokens: 2 },
    });
  });

  it('answers with the built-in default `ok` and derives usage from text lengths', async () => {
    const completion = await openai.chat.completions.create({ model: 'gpt-test', messages });
    expect(completion.choices[0]?.message.content).toBe('ok');
    // 'user' + the prompt = 33 characters → ceil(33 / 4); 'ok' → 1
    expect(completion.usage?.prompt_tokens).toBe(9);
    expect(completion.usage?.completion_tokens).toBe(1);
  });

  it('returns parallel tool calls with finish_reason tool_calls and null content', async () => {
    server.enqueue({
      toolCalls: [
        { id: 'call_a', name: 'get_weather', arguments: { city: 'Paris' } },
        { name: 'get_time', arguments: '{"tz":"CET"}' },
      ],
    });
    const completion = await openai.chat.completions.create({ model: 'gpt-test', messages });
    const choice = completion.choices[0]!;
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toEqual([
      { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      {
        id: expect.stringMatching(/^call_/),
        type: 'function',
        function: { name: 'get_time', arguments: '{"tz":"CET"}' },
      },
    ]);
  });

  it('maps neutral and Anthropic finish reasons onto finish_reason', async () => {
    server.enqueue([
      { text: 'trunc', finishReason: 'max_tokens' },
      { text: 'no', finishReason: 'content_filter' },
    ]);
    const first = await openai.chat.completions.create({ model: 'gpt-test', messages });
    const second = await openai.chat.completions.create({ model: 'gpt-test', messages });
    expect(first.choices[0]?.finish_reason).toBe('length');
    expect(second.choices[0]?.finish_reason).toBe('content_filter');
  });
});

describe('chat completions (stream)', () => {
  it('streams text deltas of chunkSize characters, then a usage chunk with empty choices', async () => {
    server.enqueue({ text: 'Hello world!', chunkSize: 5, usage: { inputTokens: 3, outputTokens: 4 } });
    const stream = await openai.chat.completions.create({
      model: 'gpt-test',
      messages,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    const deltas = chunks.flatMap((chunk) => chunk.choices.map((choice) => choice.delta.content ?? ''));
    expect(deltas.filter((delta) => delta !== '')).toEqual(['Hello', ' worl', 'd!']);
    const finish = chunks.find((chunk) => chunk.choices[0]?.finish_reason);
    expect(finish?.choices[0]?.finish_reason).toBe('stop');
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);
    expect(new Set(chunks.map((chunk) => chunk.id)).size).toBe(1);
  });

  it('sends no usage chunk unless stream_options.include_usage is set', async () => {
    server.enqueue({ text: 'Hi' });
    const stream = await openai.chat.completions.create({ model: 'gpt-test', messages, stream: true });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((chunk) => chunk.usage === undefined && chunk.choices.length === 1)).toBe(true);
  });

  it('streams parallel tool calls as indexed deltas that finalChatCompletion() reassembles', async () => {
    server.enqueue({
      text: 'Checking.',
      toolCalls: [
        { id: 'call_1', name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } },
        { id: 'call_2', name: 'get_weather', arguments: { city: 'Berlin', unit: 'celsius' } },
      ],
      chunkSize: 4,
    });
    const runner = openai.chat.completions.stream({
      model: 'gpt-test',
      messages,
      stream_options: { include_usage: true },
    });
    const raw: OpenAI.ChatCompletionChunk[] = [];
    runner.on('chunk', (chunk) => raw.push(chunk));
    const completion = await runner.finalChatCompletion();

    const message = completion.choices[0]!.message;
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(message.content).toBe('Checking.');
    expect(message.tool_calls?.map((call) => call.type === 'function' && [call.id, call.function])).toEqual([
      ['call_1', { name: 'get_weather', arguments: '{"city":"Paris","unit":"celsius"}' }],
      ['call_2', { name: 'get_weather', arguments: '{"city":"Berlin","unit":"celsius"}' }],
    ]);
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);

    // Wire shape: the first delta of each call carries id/type/name, later ones only argument fragments.
    const toolDeltas = raw.flatMap((chunk) =>
      chunk.choices.flatMap((choice) => choice.delta.tool_calls ?? []),
    );
    const firstOfSecond = toolDeltas.find((delta) => delta.index === 1)!;
    expect(firstOfSecond).toEqual({
      index: 1,
      id: 'call_2',
      type: 'function',
      function: { name: 'get_weather', arguments: '' },
    });
    const fragments = toolDeltas.filter((delta) => delta.index === 1 && delta.id === undefined);
    expect(fragments.length).toBeGreaterThan(1);
    expect(fragments.every((delta) => delta.function?.name === undefined)).toBe(true);
  });
});
