// The support-agent demo: a real `openai` client talks to the scripted model server on 127.0.0.1,
// so the whole workflow runs offline. Run with `npm run demo` from the repository root.
import OpenAI from 'openai';
import { withTrace } from '@agent-otel/core';
import { startScriptedServer } from '@agent-otel/testing';
import { MODEL, runSupportAgent } from './agent.mjs';

const server = await startScriptedServer();
// The model first asks for the order, then answers from the tool result.
server.enqueue({
  model: MODEL,
  toolCalls: [{ id: 'call_lookup_1', name: 'lookup_order', arguments: { orderId: 'A-1001' } }],
  usage: { inputTokens: 142, outputTokens: 19 },
});
server.enqueue({
  model: MODEL,
  text: 'Your order A-1001 has shipped with DHL and should arrive on 2026-11-24.',
  usage: { inputTokens: 188, outputTokens: 24, cacheReadInputTokens: 128 },
});

const client = new OpenAI({ baseURL: server.openaiBaseURL, apiKey: 'sk-demo-not-a-real-key', maxRetries: 0 });

try {
  const answer = await withTrace(
    'customer-support',
    { groupId: 'ticket-1234', metadata: { channel: 'chat' } },
    () => runSupportAgent(client, 'Where is my order A-1001?'),
  );
  process.stdout.write(`\nAgent: ${answer}\n\n`);
} finally {
  await server.close();
}
