// The LangGraph agent demo: `ChatOpenAI` from `@langchain/openai` talks to the scripted model server on
// 127.0.0.1, so the agent runs offline with no API key. Run with
// `npm start -w @agent-otel/example-langgraph-agent`.
import { ChatOpenAI } from '@langchain/openai';
import { startScriptedServer } from '@agent-otel/testing';
import { createSupportAgent, MODEL } from './agent.mjs';

const server = await startScriptedServer();
// The model looks the order up, asks the carrier where the parcel is, searches the delivery policy,
// then answers from the tool results.
server.enqueue([
  {
    model: MODEL,
    toolCalls: [{ id: 'call_lookup_1', name: 'lookup_order', arguments: { orderId: 'A-1001' } }],
    usage: { inputTokens: 210, outputTokens: 18 },
  },
  {
    model: MODEL,
    toolCalls: [
      { id: 'call_shipping_1', name: 'get_shipping_status', arguments: { trackingNumber: 'JD014600003' } },
    ],
    usage: { inputTokens: 262, outputTokens: 21, cacheReadInputTokens: 128 },
  },
  {
    model: MODEL,
    toolCalls: [
      { id: 'call_policies_1', name: 'search_policies', arguments: { query: 'late delivery refund' } },
    ],
    usage: { inputTokens: 305, outputTokens: 20, cacheReadInputTokens: 256 },
  },
  {
    model: MODEL,
    text: 'Order A-1001 is in transit with DHL (at the Leipzig hub) and due on 2025-06-12. If it arrives later, we refund the 4.90 EUR shipping fee.',
    usage: { inputTokens: 372, outputTokens: 38, cacheReadInputTokens: 256 },
  },
]);

const model = new ChatOpenAI({
  model: MODEL,
  apiKey: 'sk-demo-not-a-real-key',
  configuration: { baseURL: server.openaiBaseURL },
  maxRetries: 0,
});
const agent = createSupportAgent(model);

try {
  const question = "My order A-1001 hasn't arrived. Where is it, and do I get anything back if it's late?";
  process.stdout.write(`Customer: ${question}\n`);
  const result = await agent.invoke(
    { messages: [{ role: 'user', content: question }] },
    // The thread id names the conversation (the checkpointer keeps its state under it); the metadata
    // is recorded on the agent's span.
    { configurable: { thread_id: 'ticket-1234' }, metadata: { channel: 'chat' } },
  );
  process.stdout.write(`Agent: ${result.messages.at(-1).content}\n\n`);
} finally {
  await server.close();
}
