// A support agent written with the Vercel AI SDK: a ToolLoopAgent with two tools. Plain AI SDK code,
// no tracing calls: `--import @agent-otel/node/register` loads @agent-otel/ai-sdk, which registers its
// telemetry integration with `ai` and records the run, every model call and every tool execution.
import { stepCountIs, tool, ToolLoopAgent } from 'ai';
import { z } from 'zod';

export const MODEL = 'gpt-4o-mini';
export const AGENT_NAME = 'support-agent';

const ORDERS = new Map([['A-1001', { status: 'delivered', total: 42, currency: 'EUR', refunded: false }]]);

const lookupOrder = tool({
  description: 'Look up an order by id',
  inputSchema: z.object({ orderId: z.string() }),
  execute: async ({ orderId }) => {
    const order = ORDERS.get(orderId);
    if (!order) throw new Error(`no order ${orderId}`);
    return { orderId, ...order };
  },
});

const refundOrder = tool({
  description: 'Refund a delivered order in full',
  inputSchema: z.object({ orderId: z.string(), reason: z.string() }),
  execute: async ({ orderId, reason }) => {
    const order = ORDERS.get(orderId);
    if (!order) throw new Error(`no order ${orderId}`);
    order.refunded = true;
    return { orderId, refunded: true, amount: order.total, currency: order.currency, reason };
  },
});

/** The agent, on `model` (an AI SDK language model, e.g. `openai.chat('gpt-4o-mini')`). */
export function createSupportAgent(model) {
  return new ToolLoopAgent({
    id: AGENT_NAME,
    model,
    instructions: 'You are a helpful support agent. Look orders up before refunding them.',
    tools: { lookup_order: lookupOrder, refund_order: refundOrder },
    stopWhen: stepCountIs(5),
    maxRetries: 0,
    // The agent's name on its span: the SDK passes `functionId` to telemetry, not the agent's `id`.
    telemetry: { functionId: AGENT_NAME },
  });
}
