import { SpanKind } from '@opentelemetry/api';
import { configureContent } from '../../src/content/policy';
import {
  createRetrievalSpan,
  withAgentSpan,
  withGenerationSpan,
  withRetrievalSpan,
} from '../../src/kinds/factories';
import { parentOf, setupTracing, type TestTracing } from '../helpers';

// Each test's spans are checked against the vendored registry by the harness at shutdown, and here.
let t: TestTracing;
beforeEach(() => {
  t = setupTracing();
});
afterEach(async () => {
  await t.shutdown();
});

const documents = [
  { id: 'd2', score: 0.9, content: 'sun in Rome' },
  { id: 'd1', score: 0.2, content: 'rain in Paris' },
];

/** A retrieval as an application makes one: the query in, the documents set when they come back. */
async function retrieve(): Promise<void> {
  await withRetrievalSpan(
    { dataSourceId: 'kb-docs', provider: 'openai', model: 'text-embedding-3-small', topK: 2, query: 'sunny' },
    async (span) => {
      await Promise.resolve();
      span.update({ documents });
    },
  );
}

describe('retrieval spans', () => {
  it('records a retrieval {data source} CLIENT span the registry classifies, content opt-in only', async () => {
    await withAgentSpan('rag', retrieve);
    const span = t.byName('retrieval kb-docs');
    expect(span.kind).toBe(SpanKind.CLIENT);
    expect(parentOf(span)).toBe(t.byName('invoke_agent rag').spanContext().spanId);
    expect(span.attributes).toEqual({
      'agent_otel.span.kind': 'retrieval',
      'gen_ai.operation.name': 'retrieval',
      'gen_ai.data_source.id': 'kb-docs',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'text-embedding-3-small',
      'gen_ai.retrieval.top_k': 2,
    });
    const report = await t.conformance();
    expect(report.violations).toEqual([]);
    // Classified as span.gen_ai.retrieval.client (an operation without a span type would be info).
    expect(report.info.filter((finding) => finding.item.startsWith('retrieval'))).toEqual([]);
  });

  it('records the query and documents on the span when content capture is on', async () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    await retrieve();
    const attributes = t.byName('retrieval kb-docs').attributes;
    expect(attributes['gen_ai.retrieval.query.text']).toBe('sunny');
    expect(JSON.parse(String(attributes['gen_ai.retrieval.documents']))).toEqual(documents);
    expect((await t.conformance()).violations).toEqual([]);
  });

  it('emits no details or exception event: in EVENT_ONLY mode its content is recorded nowhere', async () => {
    configureContent({ captureMode: 'EVENT_ONLY' });
    await retrieve();
    await expect(
      withRetrievalSpan({ dataSourceId: 'kb-docs', query: 'again' }, async () => {
        throw new Error('store down');
      }),
    ).rejects.toThrow('store down');
    const spans = t.spans().filter((span) => span.name === 'retrieval kb-docs');
    expect(spans).toHaveLength(2);
    for (const span of spans) {
      expect(span.attributes['gen_ai.retrieval.query.text']).toBeUndefined();
      expect(span.attributes['gen_ai.retrieval.documents']).toBeUndefined();
      // At most the span's own `exception` event (recorded on every failed span), never content.
      expect(span.events.map((event) => event.name).filter((name) => name !== 'exception')).toEqual([]);
    }
    expect(spans[1]!.attributes['error.type']).toBe('Error');
    expect(t.logRecords()).toEqual([]);
    // The same mode does emit the details event of an inference call.
    withGenerationSpan({ model: 'm', provider: 'openai', input: 'hi' }, () => undefined);
    expect(t.logRecords().map((record) => record.eventName)).toEqual([
      'gen_ai.client.inference.operation.details',
    ]);
  });

  it('is not a model call: no usage roll-up, no cost, not counted as a call of the run', async () => {
    await withAgentSpan('rag', async () => {
      await retrieve();
      await withGenerationSpan({ model: 'gpt-4o', provider: 'openai' }, (g) =>
        g.update({ usage: { inputTokens: 5, outputTokens: 1 } }),
      );
    });
    const agent = t.byName('invoke_agent rag').attributes;
    expect(agent['agent_otel.usage.model_calls']).toBe(1);
    expect(agent['gen_ai.usage.input_tokens']).toBe(5);
    expect(t.byName('retrieval kb-docs').attributes['agent_otel.cost.usd']).toBeUndefined();
  });

  it('renames a created span when the data source is set after it started', () => {
    configureContent({ captureMode: 'SPAN_ONLY' });
    const span = createRetrievalSpan({ query: 'late' }).start();
    span.update({ dataSourceId: 'late-index', topK: 1, documents: ['only one'] });
    span.end();
    const ended = t.byName('retrieval late-index');
    expect(ended.attributes['gen_ai.data_source.id']).toBe('late-index');
    expect(ended.attributes['gen_ai.retrieval.top_k']).toBe(1);
    expect(ended.attributes['gen_ai.retrieval.query.text']).toBe('late');
    expect(ended.attributes['gen_ai.retrieval.documents']).toBe('["only one"]');
  });
});
