import type OpenAI from 'openai';
import { openai, server, useScriptedClients } from './scripted-clients.js';

useScriptedClients();

describe('responses (JSON)', () => {
  it('returns a response object with a message item, usage and the echoed previous_response_id', async () => {
    server.enqueue({
      id: 'resp_scripted',
      text: 'Bonjour',
      usage: { inputTokens: 12, outputTokens: 6, cacheReadInputTokens: 4, reasoningOutputTokens: 2 },
    });
    const response = await openai.responses.create({
      model: 'gpt-test',
      input: 'Say hello in French',
      previous_response_id: 'resp_previous',
    });
    expect(response).toMatchObject({
      id: 'resp_scripted',
      object: 'response',
      status: 'completed',
      model: 'gpt-test',
      previous_response_id: 'resp_previous',
      usage: {
        input_tokens: 12,
        output_tokens: 6,
        total_tokens: 18,
        input_tokens_details: { cached_tokens: 4 },
        output_tokens_details: { reasoning_tokens: 2 },
      },
    });
    expect(response.output).toEqual([
      {
        id: expect.stringMatching(/^msg_/),
        type: 'message',
        status: 'completed',
        role: 'assistant',
        content: [{ type: 'output_text', text: 'Bonjour', annotations: [], logprobs: [] }],
      },
    ]);
    expect(response.output_text).toBe('Bonjour');
  });

  it('returns reasoning and function_call items in order', async () => {
    server.enqueue({
      reasoning: 'The user wants the weather.',
      toolCalls: [
        { id: 'call_w', name: 'get_weather', arguments: { city: 'Paris' } },
        { id: 'call_t', name: 'get_time', arguments: {} },
      ],
    });
    const response = await openai.responses.create({ model: 'gpt-test', input: 'Weather?' });
    expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'function_call', 'function_call']);
    expect(response.output[0]).toMatchObject({
      type: 'reasoning',
      summary: [{ type: 'summary_text', text: 'The user wants the weather.' }],
    });
    expect(response.output[1]).toMatchObject({
      type: 'function_call',
      call_id: 'call_w',
      name: 'get_weather',
      arguments: '{"city":"Paris"}',
      status: 'completed',
    });
    expect(response.usage?.output_tokens_details.reasoning_tokens).toBe(7); // ceil(27 / 4)
  });

  it('reports a truncated turn as incomplete with max_output_tokens', async () => {
    server.enqueue({ text: 'cut', finishReason: 'length' });
    const response = await openai.responses.create({ model: 'gpt-test', input: 'x' });
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details).toEqual({ reason: 'max_output_tokens' });
  });
});

describe('responses (stream)', () => {
  it('emits the real event sequence with increasing sequence numbers', async () => {
    server.enqueue({
      text: 'Hello there',
      chunkSize: 6,
      reasoning: 'Greet.',
      toolCalls: [{ name: 'wave', arguments: {} }],
    });
    const stream = await openai.responses.create({ model: 'gpt-test', input: 'hi', stream: true });
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);

    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.reasoning_summary_part.added',
      'response.reasoning_summary_text.delta',
      'response.reasoning_summary_text.done',
      'response.reasoning_summary_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((event) => event.sequence_number)).toEqual(events.map((_, index) => index));
    const deltas = events.flatMap((event) =>
      event.type === 'response.output_text.delta' ? [event.delta] : [],
    );
    expect(deltas).toEqual(['Hello ', 'there']);
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    expect(completed.response.status).toBe('completed');
    expect(completed.response.usage?.total_tokens).toBeGreaterThan(0);
    expect(completed.response.output).toHaveLength(3);
  });

  it('sends each frame as `event: <type>` + `data:` (raw wire check)', async () => {
    server.enqueue({ text: 'ab' });
    const res = await fetch(`${server.openaiBaseURL}/responses`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'm', input: 'x', stream: true }),
    });
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await res.text();
    const frames = text.split('\n\n').filter(Boolean);
    expect(frames[0]).toMatch(
      /^event: response\.created\ndata: \{"type":"response\.created","sequence_number":0,/,
    );
    expect(frames.every((frame) => /^event: (\S+)\ndata: \{"type":"\1"/.test(frame))).toBe(true);
  });

  it('finalResponse() of client.responses.stream() reassembles text, reasoning and function calls', async () => {
    server.enqueue({
      text: 'Here you go.',
      reasoning: 'Think first.',
      toolCalls: [{ id: 'call_x', name: 'lookup', arguments: { q: 'otel' } }],
      chunkSize: 3,
      usage: { inputTokens: 10, outputTokens: 20 },
    });
    const deltas: string[] = [];
    const stream = openai.responses.stream({
      model: 'gpt-test',
      input: 'go',
      previous_response_id: 'resp_1',
    });
    stream.on('response.output_text.delta', (event) => deltas.push(event.delta));
    const response = await stream.finalResponse();
    expect(deltas.join('')).toBe('Here you go.');
    expect(response.output_text).toBe('Here you go.');
    expect(response.previous_response_id).toBe('resp_1');
    expect(response.output.map((item) => item.type)).toEqual(['reasoning', 'message', 'function_call']);
    expect(response.output[2]).toMatchObject({
      call_id: 'call_x',
      name: 'lookup',
      arguments: '{"q":"otel"}',
    });
    expect(response.usage).toMatchObject({ input_tokens: 10, output_tokens: 20, total_tokens: 30 });
  });

  it('ends a truncated stream with response.incomplete', async () => {
    server.enqueue({ text: 'partial', finishReason: 'length' });
    const stream = await openai.responses.create({ model: 'gpt-test', input: 'x', stream: true });
    const types: string[] = [];
    for await (const event of stream) types.push(event.type);
    expect(types.at(-1)).toBe('response.incomplete');
  });
});
