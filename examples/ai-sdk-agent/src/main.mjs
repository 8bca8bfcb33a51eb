// The AI SDK agent demo: `@ai-sdk/openai` talks to the scripted model server on 127.0.0.1, so the
// agent runs offline with no API key. Run with `npm start -w @agent-otel/example-ai-sdk-agent`.
import { createOpenAI } from '@ai-sdk/openai';
import { startScriptedServer } from '@agent-otel/testing';
import { createSupportAgent, MODEL } from './agent.mjs';

const server = await startScriptedServer();
// The model looks the order up, refunds it, then answers from the tool results.
server.enqueue([
  {
    model: MODEL,
    toolCalls: [{ id: 'call_lookup_1', name: 'lookup_order', arguments: { orderId: 'A-1001' } }],
    usage: { inputTokens: 180, outputTokens: 18 },
  },
  {
    model: MODEL,
    toolCalls: [
      {
        id: 'call_refund_1',
        name: 'refund_order',
        arguments: { orderId: 'A-1001', reason: 'arrived damaged' },
      },
    ],
    usage: { inputTokens: 236, outputTokens: 25, cacheReadInputTokens: 128 },
  },
  {
    model: MODEL,
    text: 'Order A-1001 is refunded: 42 EUR will be back on your card in 3 to 5 days.',
    usage: { inputTokens: 290, outputTokens: 22, cacheReadInputTokens: 128 },
  },
]);

const openai = createOpenAI({ baseURL: server.openaiBaseURL, apiKey: 'sk-demo-not-a-real-key' });
const agent = createSupportAgent(openai.chat(MODEL));

try {
  const question = 'Order A-1001 arrived damaged. Please refund it.';
  process.stdout.write(`Customer: ${question}\n`);
  const result = await agent.generate({ prompt: question });
  process.stdout.write(`Agent: ${result.text}\n\n`);
} finally {
  await server.close();
}
