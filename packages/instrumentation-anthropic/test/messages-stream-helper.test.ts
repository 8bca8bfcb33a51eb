import { tick } from './helpers.js';
import {
  versions,
  tracing,
  server,
  instrumentation,
  params,
  baseAttributes,
  onlySpan,
  contentOn,
  useMessagesTestSetup,
  clientOf,
  sdkSpans,
} from './messages-setup.js';

useMessagesTestSetup();

describe.each(versions)('%s', (_label, sdk) => {
  const client = (overrides: Record<string, unknown> = {}) => clientOf(sdk, overrides);

  describe('messages.stream() helper', () => {
    async function helperScenario(anthropic: any, abortAfterFirstText: boolean) {
      const stream = anthropic.messages.stream(params);
      const texts: string[] = [];
      const events: string[] = [];
      stream.on('text', (text: string) => {
        texts.push(text);
        if (abortAfterFirstText) stream.abort();
      });
      for (const name of ['connect', 'message', 'end', 'abort', 'error'])
        stream.on(name, () => events.push(name));
      const outcome = await stream.finalMessage().then(
        (message: { content: unknown }) => ({ content: message.content }),
        (error: Error) => ({ error: error.constructor.name }),
      );
      await tick(10);
      return { texts, events, outcome, aborted: stream.aborted, ended: stream.ended };
    }

    it('produces exactly one span and the same finalMessage() as without instrumentation', async () => {
      contentOn();
      server.enqueue([
        {
          id: 'msg_h1',
          text: 'Hello from the helper.',
          chunkSize: 5,
          usage: { inputTokens: 12, outputTokens: 6 },
        },
        {
          id: 'msg_h1',
          text: 'Hello from the helper.',
          chunkSize: 5,
          usage: { inputTokens: 12, outputTokens: 6 },
        },
      ]);
      const traced = await helperScenario(client(), false);
      const span = onlySpan();
      instrumentation.disable();
      try {
        expect(await helperScenario(client(), false)).toEqual(traced);
      } finally {
        instrumentation.enable();
      }
      // Without this instrumentation, only the SDK's own span is recorded; with it, only ours.
      expect(tracing.spans().map((recorded) => recorded.name)).toEqual(['chat claude-test']);
      expect(sdkSpans.exporter.getFinishedSpans().map((recorded) => recorded.name)).toEqual([
        'anthropic.messages.create',
      ]);
      expect(traced.texts.join('')).toBe('Hello from the helper.');
      expect(traced.events).toEqual(['connect', 'message', 'end']);
      expect(span.attributes).toEqual(
        baseAttributes({
          'gen_ai.request.stream': true,
          'gen_ai.response.time_to_first_chunk': expect.any(Number),
          'gen_ai.response.id': 'msg_h1',
          'gen_ai.response.model': 'claude-test',
          'gen_ai.response.finish_reasons': ['stop'],
          'gen_ai.usage.input_tokens': 12,
          'gen_ai.usage.output_tokens': 6,
          'gen_ai.input.messages': JSON.stringify([
            { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
          ]),
          'gen_ai.output.messages': JSON.stringify([
            {
              role: 'assistant',
              parts: [{ type: 'text', content: 'Hello from the helper.' }],
              finish_reason: 'stop',
            },
          ]),
        }),
      );
    });

    it('abort() behaves as without instrumentation and ends the span once, marked', async () => {
      const slow = { text: 'An answer long enough to abort.', chunkSize: 3, chunkDelayMs: 5 };
      server.enqueue([slow, slow]);
      const traced = await helperScenario(client(), true);
      expect(traced.outcome).toEqual({ error: 'APIUserAbortError' });
      expect(traced.aborted).toBe(true);
      const span = onlySpan();
      expect(span.attributes).toMatchObject({
        'agent_otel.stream.ended_early': true,
        'agent_otel.stream.end_reason': 'abort',
        'error.type': 'AbortError',
      });
      tracing.reset();
      instrumentation.disable();
      try {
        expect(await helperScenario(client(), true)).toEqual(traced);
      } finally {
        instrumentation.enable();
      }
    });

    it('records an HTTP error of the helper request', async () => {
      server.enqueue({ error: { status: 529, message: 'Overloaded' } });
      const stream = client().messages.stream(params);
      stream.on('error', () => {});
      await expect(stream.finalMessage()).rejects.toMatchObject({ status: 529 });
      expect(onlySpan().attributes['error.type']).toBe('529');
    });
  });
});
