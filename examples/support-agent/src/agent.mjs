// A small support agent: one agent loop that asks the model, runs the tools it calls, and asks
// again until the model answers. The agent and its tools are traced with the agent-otel manual API;
// the model calls are traced automatically by the openai instrumentation.
import { withAgentSpan, withToolSpan } from '@agent-otel/core';

export const MODEL = 'gpt-4o-mini';

export const TOOLS = [
  {
    type: 'function',
    function: {
      name: 'lookup_order',
      description: 'Look up an order by id',
      parameters: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
    },
  },
];

const ORDERS = { 'A-1001': { status: 'shipped', carrier: 'DHL', eta: '2026-11-24' } };

const toolImplementations = {
  async lookup_order({ orderId }) {
    const order = ORDERS[orderId];
    if (!order) throw new Error(`no order ${orderId}`);
    return order;
  },
};

/**
 * One model call. No tracing code here: `@agent-otel/instrumentation-openai`, loaded by
 * `--import @agent-otel/node/register`, records it as a `chat {model}` span with the provider's own
 * usage, nested under the agent span.
 */
async function callModel(client, messages) {
  const completion = await client.chat.completions.create({ model: MODEL, messages, tools: TOOLS });
  return completion.choices[0].message;
}

/** Runs the agent loop for one user question and returns the final answer. */
export function runSupportAgent(client, question) {
  return withAgentSpan(
    { name: 'support-agent', model: MODEL, tools: Object.keys(toolImplementations) },
    async () => {
      const messages = [
        { role: 'system', content: 'You are a helpful support agent. Use tools to look up orders.' },
        { role: 'user', content: question },
      ];
      for (let turn = 0; turn < 5; turn++) {
        const reply = await callModel(client, messages);
        if (!reply.tool_calls?.length) return reply.content;
        messages.push(reply);
        for (const call of reply.tool_calls) {
          const args = JSON.parse(call.function.arguments);
          const result = await withToolSpan(
            { name: call.function.name, callId: call.id, agentName: 'support-agent', input: args },
            async (span) => {
              const output = await toolImplementations[call.function.name](args);
              span.update({ output });
              return output;
            },
          );
          messages.push({ role: 'tool', tool_call_id: call.id, content: JSON.stringify(result) });
        }
      }
      throw new Error('agent did not finish in 5 turns');
    },
  );
}
