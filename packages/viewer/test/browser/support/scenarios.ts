// Agent runs recorded with core's manual API (content capture on, as SPAN_ONLY): the shapes the
// viewer has to render — a workflow with metadata and a conversation id, agents, model calls with
// system instructions, tool definitions, messages and usage, tool calls, a retrieval, a handoff,
// and a failing tool.
import {
  withAgentSpan,
  withGenerationSpan,
  withHandoffSpan,
  withRetrievalSpan,
  withToolSpan,
  withTrace,
} from '@agent-otel/core';

export interface SupportRun {
  /** `gen_ai.conversation.id`. */
  readonly conversationId: string;
  /** `agent_otel.metadata.customer`. */
  readonly customer: string;
  readonly question: string;
  readonly answer: string;
  /** The order lookup tool fails (the run records an error and still answers). */
  readonly toolFails?: boolean;
  readonly model?: string;
  readonly workflow?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export const LOOKUP_TOOL = {
  type: 'function',
  name: 'lookup_order',
  description: 'Finds an order by its id.',
  parameters: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
};

/** One support run: triage (retrieval, model → tool call, tool), handoff, billing (model → answer). */
export async function supportRun(run: SupportRun): Promise<string> {
  const model = run.model ?? 'gpt-4o-mini';
  const system = 'You are a helpful support agent for ACME.';
  return withTrace(
    run.workflow ?? 'customer-support',
    { groupId: run.conversationId, metadata: { customer: run.customer, tier: 'gold' } },
    async () => {
      await withAgentSpan({ name: 'triage', tools: ['lookup_order'], handoffs: ['billing'] }, async () => {
        await withRetrievalSpan({ dataSourceId: 'kb', query: run.question, topK: 2 }, async (span) => {
          await sleep(3);
          span.update({
            documents: [
              { id: 'kb-1', score: 0.91, content: 'Orders ship within 2 days.' },
              { id: 'kb-2', score: 0.42, content: 'Refunds take 5 days.' },
            ],
          });
        });
        await withGenerationSpan(
          {
            model,
            provider: 'openai',
            systemInstructions: system,
            toolDefinitions: [LOOKUP_TOOL],
            input: [{ role: 'user', content: run.question }],
          },
          async (span) => {
            await sleep(8);
            span.update({
              responseModel: `${model}-2024-07-18`,
              finishReasons: ['tool_call'],
              usage: { inputTokens: 120, outputTokens: 15 },
              output: [
                {
                  role: 'assistant',
                  content: null,
                  tool_calls: [
                    {
                      id: 'call_1',
                      type: 'function',
                      function: { name: 'lookup_order', arguments: '{"orderId":"A-1001"}' },
                    },
                  ],
                },
              ],
            });
          },
        );
        await withToolSpan(
          { name: 'lookup_order', callId: 'call_1', input: { orderId: 'A-1001' } },
          async (span) => {
            await sleep(4);
            if (run.toolFails) throw new TypeError('warehouse service unavailable');
            span.update({ output: { status: 'shipped', carrier: 'UPS' } });
          },
        ).catch(() => undefined);
        await withHandoffSpan({ fromAgent: 'triage', toAgent: 'billing' }, () => sleep(1));
      });
      return withAgentSpan({ name: 'billing' }, () =>
        withGenerationSpan(
          {
            model,
            provider: 'openai',
            systemInstructions: system,
            input: [
              { role: 'user', content: run.question },
              {
                role: 'assistant',
                tool_calls: [
                  {
                    id: 'call_1',
                    type: 'function',
                    function: { name: 'lookup_order', arguments: '{"orderId":"A-1001"}' },
                  },
                ],
              },
              { role: 'tool', tool_call_id: 'call_1', content: '{"status":"shipped","carrier":"UPS"}' },
            ],
          },
          async (span) => {
            await sleep(6);
            span.update({
              finishReasons: ['stop'],
              usage: { inputTokens: 150, outputTokens: 30 },
              output: [{ role: 'assistant', content: run.answer }],
            });
            return run.answer;
          },
        ),
      );
    },
  );
}

/**
 * A run with `spanCount` spans: a workflow, agents of `perAgent` children each (model calls and
 * tool calls alternating, with short messages), for the large-trace test.
 */
export async function largeRun(spanCount: number, perAgent = 49): Promise<void> {
  let left = spanCount - 1;
  await withTrace('large-run', { metadata: { size: String(spanCount) } }, async () => {
    for (let agent = 0; left > 0; agent++) {
      left--;
      const children = Math.min(perAgent, left);
      left -= children;
      await withAgentSpan({ name: `worker-${agent}` }, async () => {
        for (let i = 0; i < children; i++) {
          if (i % 2 === 0) {
            await withGenerationSpan(
              {
                model: 'gpt-4o-mini',
                provider: 'openai',
                input: [{ role: 'user', content: `step ${agent}.${i}` }],
              },
              (span) =>
                span.update({
                  usage: { inputTokens: 10, outputTokens: 2 },
                  output: [{ role: 'assistant', content: `done ${agent}.${i}` }],
                }),
            );
          } else {
            await withToolSpan({ name: `tool_${i % 7}`, input: { i } }, () => i);
          }
        }
      });
    }
  });
}
