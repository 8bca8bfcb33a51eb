import { openai, server, useScriptedClients } from './scripted-clients';

useScriptedClients();

const request = { model: 'gpt-3.5-turbo-instruct', prompt: 'Say hello' };

describe('legacy completions (JSON)', () => {
  it('answers with a text_completion: the scripted text, finish reason and usage', async () => {
    server.enqueue({
      text: 'Hello!',
      id: 'cmpl-1',
      systemFingerprint: 'fp_x',
      usage: { inputTokens: 3, outputTokens: 2 },
    });
    const completion = await openai.completions.create(request);
    expect(completion).toMatchObject({
      id: 'cmpl-1',
      object: 'text_completion',
      model: 'gpt-3.5-turbo-instruct',
      system_fingerprint: 'fp_x',
      choices: [{ index: 0, text: 'Hello!', logprobs: null, finish_reason: 'stop' }],
      usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
    });
    expect(completion.usage).toEqual({ prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 });
    expect(server.requests[0]).toMatchObject({ route: 'openai.completions', path: '/v1/completions' });
  });

  it('estimates input tokens from the prompt, and ends a tool-call turn as stop', async () => {
    server.enqueue({ toolCalls: [{ name: 'f', arguments: {} }], text: 'no tools here' });
    const completion = await openai.completions.create({ ...request, prompt: 'x'.repeat(40) });
    expect(completion.usage?.prompt_tokens).toBe(10); // ceil(40 / 4)
    expect(completion.choices[0]).toMatchObject({ text: 'no tools here', finish_reason: 'stop' });
  });
});

describe('legacy completions (stream)', () => {
  it('streams text pieces, a finish chunk, and a usage chunk only when asked', async () => {
    server.enqueue([
      {
        text: 'Hello world!',
        chunkSize: 5,
        finishReason: 'length',
        usage: { inputTokens: 3, outputTokens: 4 },
      },
      { text: 'Hi' },
    ]);
    const stream = await openai.completions.create({
      ...request,
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.choices.map((choice) => choice.text).join(''))).toEqual([
      'Hello',
      ' worl',
      'd!',
      '',
      '',
    ]);
    expect(chunks.map((chunk) => chunk.choices[0]?.finish_reason ?? null)).toEqual([
      null,
      null,
      null,
      'length',
      null,
    ]);
    expect(chunks.at(-1)).toMatchObject({
      object: 'text_completion',
      choices: [],
      usage: { prompt_tokens: 3 },
    });
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true);

    const plain = await openai.completions.create({ ...request, stream: true });
    const texts = [];
    for await (const chunk of plain) texts.push(chunk.choices[0]?.text);
    expect(texts).toEqual(['Hi', '']);
  });

  it('sends the OpenAI in-stream error event, which the SDK throws', async () => {
    server.enqueue({
      text: 'abcdefghijklmnop',
      streamErrorAfterChunks: 1,
      error: { status: 500, message: 'boom' },
    });
    const stream = await openai.completions.create({ ...request, stream: true });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) seen.push(chunk.choices[0]?.text ?? '');
      })(),
    ).rejects.toThrow('boom');
    expect(seen).toEqual(['abcdefgh']);
  });
});
