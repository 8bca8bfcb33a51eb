// streamText: the spans end exactly once on every exit path.
import { endOpenStreamSpans } from '@agent-otel/core';
import * as ai from 'ai';
import { streamText } from 'ai';
import { registerAiSdkTelemetry, type AgentOtelTelemetry } from '../src/index';
import { setupTracing, treeOf, useServer, waitFor, type TestTracing } from './helpers';

describe('streamText', () => {
  const h = useServer();
  let t: TestTracing;
  let integration: AgentOtelTelemetry;
  beforeAll(() => {
    t = setupTracing();
    integration = registerAiSdkTelemetry(ai)!;
  });
  afterEach(() => t.reset());
  afterAll(() => t.shutdown());

  const ended = (name: string) => t.spans().filter((span) => span.name === name);

  it('ends both spans once when the stream is consumed, with time to first chunk and usage', async () => {
    h.server.enqueue({
      text: 'hello streaming world',
      usage: { inputTokens: 9, outputTokens: 4 },
      chunkSize: 4,
    });
    const result = streamText({
      model: h.openai.chat('gpt-4o-mini'),
      prompt: 'hi',
      telemetry: { functionId: 'streamer' },
    });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text).toBe('hello streaming world');
    await waitFor(() => ended('invoke_agent streamer').length === 1);
    expect(treeOf(t.spans())).toEqual(['invoke_agent streamer [INTERNAL]', '  chat gpt-4o-mini [CLIENT]']);
    const chat = t.byName('chat gpt-4o-mini');
    expect(chat.attributes['gen_ai.request.stream']).toBe(true);
    expect(chat.attributes['gen_ai.response.time_to_first_chunk']).toEqual(expect.any(Number));
    expect([
      chat.attributes['gen_ai.usage.input_tokens'],
      chat.attributes['gen_ai.usage.output_tokens'],
    ]).toEqual([9, 4]);
    expect(chat.attributes['gen_ai.response.finish_reasons']).toEqual(['stop']);
    expect(integration.openCalls).toBe(0);
    const metrics = await t.metrics();
    const names = metrics.scopeMetrics.flatMap((scope) =>
      scope.metrics.map((metric) => metric.descriptor.name),
    );
    expect(names).toContain('gen_ai.client.inference.time_to_first_chunk');
  });

  it('ends the spans when the consumer breaks off (the agent span at shutdown: the SDK reports no end)', async () => {
    h.server.enqueue({ text: 'a long answer that keeps going', chunkSize: 2, chunkDelayMs: 2 });
    const result = streamText({
      model: h.openai.chat('gpt-4o-mini'),
      prompt: 'hi',
      telemetry: { functionId: 'breaker' },
    });
    for await (const _delta of result.textStream) break;
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(ended('invoke_agent breaker')).toHaveLength(0);
    expect(endOpenStreamSpans()).toBeGreaterThanOrEqual(1);
    expect(ended('invoke_agent breaker')).toHaveLength(1);
    expect(ended('chat gpt-4o-mini')).toHaveLength(1);
    expect(t.byName('invoke_agent breaker').attributes['agent_otel.stream.end_reason']).toBe('shutdown');
    endOpenStreamSpans();
    expect(ended('invoke_agent breaker')).toHaveLength(1);
    expect(integration.openCalls).toBe(0);
  });

  it('ends the spans once when the call is aborted', async () => {
    h.server.enqueue({ text: 'a long answer that keeps going and going', chunkSize: 2, chunkDelayMs: 20 });
    const controller = new AbortController();
    const result = streamText({
      model: h.openai.chat('gpt-4o-mini'),
      prompt: 'hi',
      abortSignal: controller.signal,
      telemetry: { functionId: 'aborter' },
    });
    try {
      for await (const _delta of result.textStream) controller.abort();
    } catch {
      // The SDK may end the stream with the abort error.
    }
    await waitFor(() => ended('invoke_agent aborter').length === 1);
    expect(ended('chat gpt-4o-mini')).toHaveLength(1);
    const chat = t.byName('chat gpt-4o-mini');
    expect(chat.attributes['agent_otel.stream.end_reason']).toBe('abort');
    expect(t.byName('invoke_agent aborter').attributes['agent_otel.stream.end_reason']).toBe('abort');
    expect(integration.openCalls).toBe(0);
  });

  it('records an error inside the stream on the chat and agent spans', async () => {
    h.server.enqueue({ text: 'this stream fails half way', chunkSize: 3, streamErrorAfterChunks: 4 });
    const errors: unknown[] = [];
    const result = streamText({
      model: h.anthropic('claude-sonnet-4-5'),
      prompt: 'hi',
      onError: ({ error }) => void errors.push(error),
      telemetry: { functionId: 'failing' },
    });
    for await (const _delta of result.textStream) {
      // read to the end
    }
    await waitFor(() => ended('invoke_agent failing').length === 1);
    expect(errors).toHaveLength(1);
    const chat = t.byName('chat claude-sonnet-4-5');
    expect(chat.status.code).toBe(2);
    expect(chat.attributes['gen_ai.response.finish_reasons']).toEqual(['error']);
    expect(t.byName('invoke_agent failing').status.code).toBe(2);
    expect(ended('chat claude-sonnet-4-5')).toHaveLength(1);
  });

  it('records a failed request (500) when the stream cannot start', async () => {
    h.server.enqueue({ error: { status: 500, message: 'server broke' } });
    const result = streamText({
      model: h.openai.chat('gpt-4o-mini'),
      prompt: 'hi',
      maxRetries: 0,
      onError: () => {},
      telemetry: { functionId: 'broken' },
    });
    for await (const _delta of result.textStream) {
      // nothing arrives
    }
    await waitFor(() => ended('invoke_agent broken').length === 1);
    const chat = t.byName('chat gpt-4o-mini');
    expect([chat.status.code, chat.attributes['error.type']]).toEqual([2, '500']);
  });

  it('ends the spans of a stream that is never read at shutdown', async () => {
    h.server.enqueue({ text: 'nobody reads this' });
    streamText({ model: h.openai.chat('gpt-4o-mini'), prompt: 'hi', telemetry: { functionId: 'ignored' } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(ended('invoke_agent ignored')).toHaveLength(0);
    endOpenStreamSpans();
    expect(ended('invoke_agent ignored')).toHaveLength(1);
    expect(ended('chat gpt-4o-mini')).toHaveLength(1);
    expect(integration.openCalls).toBe(0);
  });
});
