import OpenAI from 'openai';
import Anthropic from '@anthropic-ai/sdk';
import {
  startScriptedServer,
  createOpenAIClientOptions,
  createAnthropicClientOptions,
  scriptedResponses,
  toolResults,
} from '../src/index.js';

it('readme', async () => {
  const server = await startScriptedServer();
  const openai = new OpenAI(createOpenAIClientOptions(server));
  const anthropic = new Anthropic(createAnthropicClientOptions(server));
  server.enqueue({ text: 'Hello!' });
  const completion = await openai.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'Hi' }] });
  expect(completion.choices[0]?.message.content).toBe('Hello!');
  server.enqueue(scriptedResponses.toolCallReply('get_weather', { city: 'Paris' }));
  const message = await anthropic.messages
    .stream({ model: 'claude-sonnet-4-5', max_tokens: 256, messages: [{ role: 'user', content: 'Weather?' }] })
    .finalMessage();
  expect(message.content).toMatchObject([{ type: 'tool_use', name: 'get_weather', input: { city: 'Paris' } }]);
  server.setDefault((request) =>
    toolResults(request).length === 0
      ? scriptedResponses.toolCallReply('get_weather', { city: 'Paris' })
      : { text: `It is ${toolResults(request)[0]!.content} in Paris.` },
  );
  server.enqueue({ text: '…', streamErrorAfterChunks: 2, error: { status: 500, message: 'boom', type: 'server_error' } });
  server.enqueue({ text: 'a long answer', cutAfterChunks: 1000 });
  const s1 = await openai.chat.completions.create({ model: 'x', messages: [], stream: true });
  await expect((async () => { for await (const _ of s1) { /* */ } })()).rejects.toThrow('boom');
  const s2 = await anthropic.messages.create({ model: 'x', max_tokens: 1, messages: [], stream: true });
  const types: string[] = [];
  const r = await (async () => { try { for await (const e of s2) types.push(e.type); return 'ok'; } catch (e) { return String(e); } })();
  console.log(types, r);
  await server.close();
});
