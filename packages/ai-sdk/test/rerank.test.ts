// rerank() with the real `ai` 7 and a hand-written RerankingModelV4 (neither @ai-sdk/openai nor
// @ai-sdk/anthropic has a reranking model): one `rerank {model}` span per reranking model call.
import { configureContent, withTrace } from '@agent-otel/core';
import type { RerankingModelV4 } from '@ai-sdk/provider';
import * as ai from 'ai';
import { APICallError, rerank } from 'ai';
import { registerAiSdkTelemetry, type AgentOtelTelemetry } from '../src/index';
import { attributesOf, captureDiag, setupTracing, treeOf, type TestTracing } from './helpers';

const DOCUMENTS = ['rain in Oslo', 'sunny Paris weather', 'Paris museums'];

/**
 * Scores each document by how many of the query's words it contains. `failures` model calls fail
 * first, with `failure` (default: a retryable 500 that asks for a 1 ms wait).
 */
function wordOverlapReranker(seen: string[], failures = 0, failure?: Error): RerankingModelV4 {
  let failed = 0;
  return {
    specificationVersion: 'v4',
    provider: 'test-reranker',
    modelId: 'overlap-1',
    async doRerank({ documents, query, topN }) {
      seen.push(query);
      if (failed++ < failures) {
        throw (
          failure ??
          new APICallError({
            message: 'overloaded',
            url: 'http://127.0.0.1/rerank',
            requestBodyValues: {},
            statusCode: 500,
            responseHeaders: { 'retry-after-ms': '1' },
            isRetryable: true,
          })
        );
      }
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

const GOLDEN = {
  'agent_otel.span.kind': 'rerank',
  'gen_ai.operation.name': 'rerank',
  'gen_ai.provider.name': 'test-reranker',
  'gen_ai.request.model': 'overlap-1',
  'gen_ai.response.model': 'overlap-1-2026',
  'gen_ai.response.id': 'rr-1',
  'agent_otel.rerank.top_n': 2,
  'agent_otel.rerank.document_count': 3,
};

describe('rerank', () => {
  let t: TestTracing;
  let integration: AgentOtelTelemetry | undefined;
  beforeAll(() => {
    t = setupTracing();
    integration = registerAiSdkTelemetry(ai);
  });
  afterEach(() => {
    t.reset();
    configureContent({ captureMode: 'NO_CONTENT' });
  });
  afterAll(() => t.shutdown());

  it('records a rerank span inside withTrace (golden attributes, no content by default), ranking untouched', async () => {
    const seen: string[] = [];
    const diag = captureDiag();
    try {
      const result = await withTrace('search', () =>
        rerank({
          model: wordOverlapReranker(seen),
          documents: DOCUMENTS,
          query: 'paris weather',
          topN: 2,
          telemetry: { functionId: 'search-docs' },
        }),
      );
      expect(seen).toEqual(['paris weather']);
      expect(result.ranking.map((entry) => [entry.originalIndex, entry.score])).toEqual([
        [1, 1],
        [2, 0.5],
      ]);
      expect(treeOf(t.spans())).toEqual(['invoke_workflow search [INTERNAL]', '  rerank overlap-1 [CLIENT]']);
      expect(attributesOf(t.byName('rerank overlap-1'))).toEqual({
        ...GOLDEN,
        'agent_otel.metadata.function_id': 'search-docs',
      });
      expect(integration?.openCalls).toBe(0);
      expect(diag.messages.filter((message) => message.level !== 'debug')).toEqual([]);
    } finally {
      diag.restore();
    }
  });

  it('records the query, the documents and the ranking only under the content policy', async () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    await rerank({ model: wordOverlapReranker([]), documents: DOCUMENTS, query: 'paris weather', topN: 2 });
    const span = t.byName('rerank overlap-1');
    expect(JSON.parse(span.attributes['agent_otel.rerank.input'] as string)).toEqual({
      query: 'paris weather',
      documents: DOCUMENTS,
    });
    expect(JSON.parse(span.attributes['agent_otel.rerank.output'] as string)).toEqual([
      { index: 1, relevanceScore: 1 },
      { index: 2, relevanceScore: 0.5 },
    ]);
    // Documents are not messages.
    expect(span.attributes['gen_ai.input.messages']).toBeUndefined();
    expect(span.attributes['gen_ai.output.messages']).toBeUndefined();
  });

  it('leaves the content out when the call asks not to record inputs and outputs', async () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    await rerank({
      model: wordOverlapReranker([]),
      documents: DOCUMENTS,
      query: 'paris weather',
      telemetry: { recordInputs: false, recordOutputs: false },
    });
    const attributes = t.byName('rerank overlap-1').attributes;
    expect(attributes['agent_otel.rerank.input']).toBeUndefined();
    expect(attributes['agent_otel.rerank.output']).toBeUndefined();
    // The SDK leaves the documents out of its events then: their count is not known either.
    expect(attributes['agent_otel.rerank.document_count']).toBeUndefined();
    expect(attributes['agent_otel.rerank.top_n']).toBeUndefined();
    expect(attributes['gen_ai.response.id']).toBe('rr-1');
  });

  it('records a failed call on the span and rethrows the error unchanged', async () => {
    const failure = new TypeError('reranker down');
    const error = await rerank({
      model: wordOverlapReranker([], 1, failure),
      documents: DOCUMENTS,
      query: 'paris',
      maxRetries: 0,
    }).catch((caught: unknown) => caught);
    expect(error).toBe(failure);
    const span = t.byName('rerank overlap-1');
    expect([span.status.code, span.attributes['error.type']]).toEqual([2, 'TypeError']);
    expect(integration?.openCalls).toBe(0);
  });

  it('records each attempt of a retried call, the failed one with its error', async () => {
    const seen: string[] = [];
    await rerank({
      model: wordOverlapReranker(seen, 1),
      documents: DOCUMENTS,
      query: 'paris',
      maxRetries: 1,
    });
    expect(seen).toEqual(['paris', 'paris']);
    const spans = t.spans().filter((span) => span.name === 'rerank overlap-1');
    expect(spans.map((span) => [span.status.code, span.attributes['error.type']])).toEqual([
      [2, '_OTHER'],
      [0, undefined],
    ]);
    expect(spans[1]!.attributes['gen_ai.response.id']).toBe('rr-1');
    expect(integration?.openCalls).toBe(0);
  });

  it('records no span for an empty document list (no model call is made)', async () => {
    const seen: string[] = [];
    const result = await rerank({ model: wordOverlapReranker(seen), documents: [], query: 'paris' });
    expect(result.ranking).toEqual([]);
    expect(seen).toEqual([]);
    expect(t.spans()).toEqual([]);
    expect(integration?.openCalls).toBe(0);
  });

  it('records gen_ai.client.operation.duration for the rerank', async () => {
    await t.metrics();
    await rerank({ model: wordOverlapReranker([]), documents: DOCUMENTS, query: 'paris', topN: 1 });
    const metrics = await t.metrics();
    const duration = metrics.scopeMetrics
      .flatMap((scope) => scope.metrics)
      .find((metric) => metric.descriptor.name === 'gen_ai.client.operation.duration')!;
    const points = duration.dataPoints.filter(
      (point) => point.attributes['gen_ai.operation.name'] === 'rerank',
    );
    expect(points.map((point) => point.attributes)).toEqual([
      {
        'gen_ai.operation.name': 'rerank',
        'gen_ai.provider.name': 'test-reranker',
        'gen_ai.request.model': 'overlap-1',
        'gen_ai.response.model': 'overlap-1-2026',
      },
    ]);
    const names = metrics.scopeMetrics.flatMap((scope) => scope.metrics).map((m) => m.descriptor.name);
    expect(names.filter((name) => name.startsWith('gen_ai.client.inference'))).toEqual([]);
  });
});
