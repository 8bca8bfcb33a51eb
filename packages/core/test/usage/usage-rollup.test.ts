import {
  withAgentSpan,
  withEmbeddingsSpan,
  withGenerationSpan,
  withRerankSpan,
} from '../../src/kinds/factories';
import { configureContent, resetContentPolicy } from '../../src/content/policy';
import { estimateCost, resetPriceTable, setModelPrice } from '../../src/usage/pricing';
import { withTrace } from '../../src/api/trace';
import { renderTraceTree } from '../../src/export/render-trace-tree';
import { setupTracing, type TestTracing } from '../helpers';

let t: TestTracing;
beforeEach(() => {
  t = setupTracing();
  resetPriceTable();
});
afterEach(async () => {
  resetPriceTable();
  await t.shutdown();
});

const call = (model: string, inputTokens: number, outputTokens: number, cacheReadInputTokens?: number) =>
  withGenerationSpan({ model, provider: 'openai' }, async (g) => {
    g.update({ usage: { inputTokens, outputTokens, cacheReadInputTokens } });
  });

describe('usage roll-up and cost', () => {
  it('sums the model calls beneath each agent and the workflow, nested agents included', async () => {
    setModelPrice('model-a', { input: 1, output: 2, cacheRead: 0.5 });
    await withTrace('wf', () =>
      withAgentSpan('outer', async () => {
        await call('model-a', 100, 10, 40);
        await withAgentSpan('inner', async () => {
          await call('model-a', 50, 5);
          await call('model-a', 50, 5);
        });
      }),
    );
    const inner = t.byName('invoke_agent inner').attributes;
    const outer = t.byName('invoke_agent outer').attributes;
    const wf = t.byName('invoke_workflow wf').attributes;
    expect(inner['gen_ai.usage.input_tokens']).toBe(100);
    expect(inner['gen_ai.usage.output_tokens']).toBe(10);
    expect(inner['agent_otel.usage.model_calls']).toBe(2);
    expect(outer['gen_ai.usage.input_tokens']).toBe(200);
    expect(outer['gen_ai.usage.output_tokens']).toBe(20);
    expect(outer['agent_otel.usage.cache_read.input_tokens']).toBe(40);
    expect(outer['agent_otel.usage.model_calls']).toBe(3);
    // v0.1.0: a workflow is the invoke_workflow form of the invoke_agent span, with its usage totals.
    expect(wf['gen_ai.usage.input_tokens']).toBe(200);
    expect(wf['agent_otel.usage.input_tokens']).toBeUndefined();
    // (60 uncached * 1 + 40 cached * 0.5 + 10 * 2) / 1e6 + 2 * (50 * 1 + 5 * 2) / 1e6
    const expected = (60 + 20 + 20) / 1e6 + (2 * 60) / 1e6;
    expect(outer['agent_otel.cost.usd']).toBeCloseTo(expected, 12);
    expect(wf['agent_otel.cost.usd']).toBeCloseTo(expected, 12);
    const first = t
      .spans()
      .find((s) => s.name === 'chat model-a' && s.attributes['gen_ai.usage.input_tokens'] === 100);
    expect(first?.attributes['agent_otel.cost.usd']).toBeCloseTo(
      estimateCost('model-a', { inputTokens: 100, outputTokens: 10, cacheReadInputTokens: 40 })!,
      12,
    );
  });

  it('rolls embeddings usage up too, and leaves unpriced models without a cost', async () => {
    await withAgentSpan('a', async () => {
      await withEmbeddingsSpan({ model: 'no-such-model', provider: 'openai' }, (e) =>
        e.update({ usage: { inputTokens: 7 } }),
      );
    });
    const agent = t.byName('invoke_agent a').attributes;
    expect(agent['gen_ai.usage.input_tokens']).toBe(7);
    expect(agent['agent_otel.cost.usd']).toBeUndefined();
    expect(t.byName('embeddings no-such-model').attributes['agent_otel.cost.usd']).toBeUndefined();
  });

  it('rolls a rerank call up as a model call, its documents never as the run messages', async () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    try {
      await withAgentSpan('a', async () => {
        await withRerankSpan(
          { model: 'rerank-v3.5', provider: 'cohere', input: { query: 'q', documents: ['d0', 'd1'] } },
          (r) => r.update({ usage: { inputTokens: 9 }, output: [{ index: 1, relevanceScore: 0.8 }] }),
        );
        await call('model-b', 3, 2);
      });
    } finally {
      resetContentPolicy();
    }
    const agent = t.byName('invoke_agent a').attributes;
    expect(agent['gen_ai.usage.input_tokens']).toBe(12);
    expect(agent['gen_ai.usage.output_tokens']).toBe(2);
    expect(agent['agent_otel.usage.model_calls']).toBe(2);
    // The run's input is the first chat call's (none here: the generation had no input), not the rerank query.
    expect(agent['gen_ai.input.messages']).toBeUndefined();
    expect(t.byName('rerank rerank-v3.5').attributes['agent_otel.rerank.output']).toBe(
      JSON.stringify([{ index: 1, relevanceScore: 0.8 }]),
    );
  });

  it('writes no usage attributes on an agent without model calls', async () => {
    await withAgentSpan('idle', async () => undefined);
    expect(Object.keys(t.byName('invoke_agent idle').attributes).filter((k) => k.includes('usage'))).toEqual(
      [],
    );
  });

  it('keeps concurrent runs apart', async () => {
    await Promise.all([
      withAgentSpan('x', () => call('m', 1, 1)),
      withAgentSpan('y', () => Promise.all([call('m', 10, 10), call('m', 10, 10)])),
    ]);
    expect(t.byName('invoke_agent x').attributes['gen_ai.usage.input_tokens']).toBe(1);
    expect(t.byName('invoke_agent y').attributes['gen_ai.usage.input_tokens']).toBe(20);
  });
});

describe('usage in the trace tree', () => {
  it('shows a workflow its gen_ai.usage totals and its agent_otel.usage cache share together', async () => {
    await withTrace('wf', async () =>
      withGenerationSpan({ model: 'gpt-4o', provider: 'openai' }, (g) =>
        g.update({ usage: { inputTokens: 100, outputTokens: 10, cacheReadInputTokens: 40 } }),
      ),
    );
    const tree = renderTraceTree(t.spans(), { color: false });
    const rootLine = tree.split('\n').find((line) => line.startsWith('invoke_workflow wf'))!;
    expect(rootLine).toContain('in=100');
    expect(rootLine).toContain('cache_read=40');
  });
});
