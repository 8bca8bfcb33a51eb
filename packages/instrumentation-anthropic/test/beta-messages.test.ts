import {
  versions,
  server,
  params,
  baseAttributes,
  onlySpan,
  useMessagesTestSetup,
  clientOf,
} from './messages-setup.js';

useMessagesTestSetup();

describe.each(versions)('%s', (_label, sdk) => {
  const client = (overrides: Record<string, unknown> = {}) => clientOf(sdk, overrides);

  describe('beta.messages', () => {
    it('traces beta.messages.create', async () => {
      server.enqueue({ id: 'msg_beta', text: 'beta answer', usage: { inputTokens: 5, outputTokens: 2 } });
      await client().beta.messages.create({ ...params, betas: ['token-efficient-tools-2025-02-19'] });
      expect(onlySpan().attributes).toEqual(
        baseAttributes({
          'gen_ai.response.id': 'msg_beta',
          'gen_ai.response.model': 'claude-test',
          'gen_ai.response.finish_reasons': ['stop'],
          'gen_ai.usage.input_tokens': 5,
          'gen_ai.usage.output_tokens': 2,
        }),
      );
    });

    it('traces beta.messages.stream() with exactly one span', async () => {
      server.enqueue({ id: 'msg_beta_stream', text: 'beta streamed' });
      const message = await client().beta.messages.stream(params).finalMessage();
      expect(message.id).toBe('msg_beta_stream');
      expect(onlySpan().attributes).toMatchObject({
        'gen_ai.response.id': 'msg_beta_stream',
        'gen_ai.request.stream': true,
      });
    });
  });
});
