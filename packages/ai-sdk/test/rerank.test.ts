// rerank() with the real `ai` 7 and a hand-written RerankingModelV4 (neither @ai-sdk/openai nor
// @ai-sdk/anthropic has a reranking model). Core has no rerank span kind yet, so the call is not traced:
// these tests pin that the integration stays out of its way and follows nothing.
import { withTrace } from '@agent-otel/core';
import type { RerankingModelV4 } from '@ai-sdk/provider';
import * as ai from 'ai';
import { rerank } from 'ai';
import { registerAiSdkTelemetry, type AgentOtelTelemetry } from '../src/index';
import { captureDiag, setupTracing, treeOf, type TestTracing } from './helpers';

/** Scores each document by how many of the query's words it contains. */
function wordOverlapReranker(seen: string[]): RerankingModelV4 {
  return {
    specificationVersion: 'v4',
    provider: 'test-reranker',
    modelId: 'overlap-1',
    async doRerank({ documents, query, topN }) {
      seen.push(query);
      const words = query.toLowerCase().split(/\s+/);
      const values = documents.values.map((value) =>
        typeof value === 'string' ? value : JSON.stringify(value),
      );
      const ranking = values
        .map((text, index) => ({
          index,
          relevanceScore: words.filter((word) => text.toLowerCase().includes(word)).length / words.length,
        }))
        .sort((a, b) => b.relevanceScore - a.relevanceScore)
        .slice(0, topN ?? values.length);
      return { ranking, response: { id: 'rr-1', modelId: 'overlap-1-2026', timestamp: new Date(0) } };
    },
  };
}

describe('rerank', () => {
  let t: TestTracing;
  let integration: AgentOtelTelemetry | undefined;
  beforeAll(() => {
    t = setupTracing();
    integration = registerAiSdkTelemetry(ai);
  });
  afterEach(() => t.reset());
  afterAll(() => t.shutdown());

  it('returns the model ranking untouched, records no span and follows no call (core has no rerank kind)', async () => {
    const seen: string[] = [];
    const diag = captureDiag();
    try {
      const result = await withTrace('search', () =>
        rerank({
          model: wordOverlapReranker(seen),
          documents: ['rain in Oslo', 'sunny Paris weather', 'Paris museums'],
          query: 'paris weather',
          topN: 2,
        }),
      );
      expect(seen).toEqual(['paris weather']);
      expect(result.ranking.map((entry) => [entry.originalIndex, entry.score])).toEqual([
        [1, 1],
        [2, 0.5],
      ]);
      expect(treeOf(t.spans())).toEqual(['invoke_workflow search [INTERNAL]']);
      expect(integration?.openCalls).toBe(0);
      expect(diag.messages.filter((message) => message.level !== 'debug')).toEqual([]);
    } finally {
      diag.restore();
    }
  });
});
