import { closedPort } from '@agent-otel/testing';
import { RemoteSourceError, normalizeOtlpTraces, normalizeTraceId } from '../../src/sources/remote';
import { TempoSource, tempoTraceQL, traceqlAttribute, traceqlString } from '../../src/sources/tempo';
import { startTempoStandIn, type StandIn } from './stand-ins';
import { RUNS, exportRuns } from './workload';

// The Tempo source against a stand-in of Grafana Tempo's documented HTTP API (stand-ins.ts): Tempo
// itself is AGPL-licensed and not built on this machine. The stand-in answers trace ids as Tempo's
// search does (leading zeros dropped) and traces as Tempo's JSON does (base64 ids, enum names), but
// does not evaluate TraceQL (every trace of the window matches): these tests check the TraceQL sent
// and that every filter is applied to the fetched traces.

let tempo: StandIn;
let ids: string[];

beforeAll(async () => {
  tempo = await startTempoStandIn();
  ids = await exportRuns(tempo.url, RUNS);
});

afterAll(async () => {
  await tempo.close();
});

beforeEach(() => {
  tempo.requests.length = 0;
  tempo.fault = undefined;
});

const searches = (standIn: StandIn = tempo): URL[] =>
  standIn.requests.filter((url) => url.pathname === '/api/search');

describe('TempoSource over a Tempo HTTP API stand-in', () => {
  it('lists the runs most recent first, read from /api/v2/traces (base64 ids, enum names)', async () => {
    const source = new TempoSource({ url: tempo.url });
    const page = await source.listTraces({});
    expect(page.traces.map((t) => t.traceId)).toEqual([ids[2], ids[1], ids[0]]);
    expect(page.traces[2]).toMatchObject({
      name: 'support',
      serviceName: 'svc-a',
      spanCount: 4,
      modelCalls: 1,
      inputTokens: 100,
      outputTokens: 20,
      errorCount: 0,
      conversationId: 'conv-1',
    });
    expect(page.traces[1]).toMatchObject({ errorCount: 1, inputTokens: 50 });
    const [search] = searches();
    expect(search!.searchParams.get('q')).toBe('{} with (most_recent=true)');
    expect(search!.searchParams.get('limit')).toBe('500');
    expect(search!.searchParams.get('spss')).toBe('1');
    const end = Number(search!.searchParams.get('end'));
    expect(end - Number(search!.searchParams.get('start'))).toBeGreaterThanOrEqual(7 * 24 * 3600);
    expect(tempo.requests.filter((u) => u.pathname.startsWith('/api/v2/traces/')).length).toBe(3);
  });

  it('turns the query into TraceQL (one spanset per condition) and applies every filter after fetching', async () => {
    const source = new TempoSource({ url: tempo.url, mostRecent: false });
    const query = {
      service: 'svc-a',
      model: 'gpt-4o-mini',
      attributes: [{ key: 'agent_otel.metadata.user', op: '=' as const, value: 'alice' }],
      minDurationMs: 0.5,
    };
    const page = await source.listTraces(query);
    expect(page.traces.map((t) => t.traceId)).toEqual([ids[0]]);
    expect(searches()[0]!.searchParams.get('q')).toBe(
      '{ resource.service.name = "svc-a" } && ' +
        '{ span.gen_ai.request.model = "gpt-4o-mini" || span.gen_ai.response.model = "gpt-4o-mini" } && ' +
        '{ traceDuration >= 500us } && ' +
        '{ span.agent_otel.metadata.user = "alice" || resource.agent_otel.metadata.user = "alice" }',
    );
    // What TraceQL does not say is still applied: status ok, tokens, cost, `!=`.
    expect((await source.listTraces({ status: 'ok', maxTokens: 20 })).traces.map((t) => t.traceId)).toEqual([
      ids[2],
    ]);
    expect(searches().at(-1)!.searchParams.get('q')).toBe('{}');
    expect((await source.listTraces({ status: 'error' })).traces.map((t) => t.traceId)).toEqual([ids[1]]);
    expect(searches().at(-1)!.searchParams.get('q')).toBe('{ status = error }');
    const notAlice = await source.listTraces({
      attributes: [{ key: 'agent_otel.metadata.user', op: '!=', value: 'alice' }],
    });
    expect(notAlice.traces.map((t) => t.traceId)).toEqual([ids[1]]);
    expect((await source.listTraces({ minCostUsd: 0 })).traces.map((t) => t.traceId)).toEqual([
      ids[2],
      ids[0],
    ]);
    expect((await source.listTraces({ conversationId: 'conv-2' })).traces.map((t) => t.traceId)).toEqual([
      ids[2],
    ]);
  });

  it('writes TraceQL literals and attribute names safely', () => {
    expect(traceqlString('say "hi" \\ bye')).toBe('"say \\"hi\\" \\\\ bye"');
    expect(traceqlString('line\nbreak')).toBeUndefined();
    expect(traceqlAttribute('span', 'gen_ai.request.model')).toBe('span.gen_ai.request.model');
    expect(traceqlAttribute('span', 'agent_otel.metadata.my key"} || {')).toBe(
      'span."agent_otel.metadata.my key\\"} || {"',
    );
    expect(
      tempoTraceQL({
        name: 'a"b',
        provider: 'openai',
        agent: 'triage',
        tool: 'lookup',
        operation: 'chat',
        spanKind: 'agent',
        maxDurationMs: 2,
        attributes: [
          { key: 'n', op: '=', value: '42.0' },
          { key: 'flag', op: '=', value: 'true' },
          { key: 'score', op: '>=', value: 0.5 },
          { key: 'big', op: '>', value: 1e21 },
          { key: 'x', op: 'exists' },
          { key: 'y', op: '=', value: 'new\nline' },
        ],
      }),
    ).toBe(
      [
        '{ rootName = "a\\"b" || span.gen_ai.agent.name = "a\\"b" }',
        '{ span.gen_ai.operation.name = "chat" }',
        '{ span.agent_otel.span.kind = "agent" }',
        '{ span.gen_ai.provider.name = "openai" || span.gen_ai.system = "openai" }',
        '{ span.gen_ai.agent.name = "triage" }',
        '{ span.gen_ai.tool.name = "lookup" }',
        '{ traceDuration <= 2000us }',
        '{ span.n = "42.0" || resource.n = "42.0" || span.n = 42 || resource.n = 42 }',
        '{ span.flag = "true" || resource.flag = "true" || span.flag = true || resource.flag = true }',
        '{ span.score >= 0.5 || resource.score >= 0.5 }',
        '{ span.x != nil || resource.x != nil }',
      ].join(' && '),
    );
  });

  it('drops the most_recent hint when Tempo refuses it', async () => {
    const old = await startTempoStandIn({ refuseHints: true });
    try {
      const oldIds = await exportRuns(old.url, RUNS.slice(0, 1));
      const source = new TempoSource({ url: old.url });
      expect((await source.listTraces({})).traces.map((t) => t.traceId)).toEqual(oldIds);
      expect((await source.listTraces({})).total).toBe(1);
      expect(searches(old).map((u) => u.searchParams.get('q'))).toEqual([
        '{} with (most_recent=true)',
        '{}',
        '{}',
      ]);
    } finally {
      await old.close();
    }
  });

  it('reads an older Tempo: /api/traces/{id} with batches and instrumentationLibrarySpans', async () => {
    const old = await startTempoStandIn({ legacy: true });
    try {
      const [id] = await exportRuns(old.url, RUNS.slice(1, 2));
      const source = new TempoSource({ url: old.url });
      const detail = await source.getTrace(id!);
      expect(detail!.spans.map((s) => s.name)).toEqual([
        'invoke_workflow support',
        'invoke_agent support-agent',
        'chat unpriced-model-x',
        'execute_tool lookup',
      ]);
      expect(detail!.spans.map((s) => s.kind)).toEqual(['INTERNAL', 'INTERNAL', 'CLIENT', 'INTERNAL']);
      expect(detail!.spans[3]!.status.code).toBe('ERROR');
      expect(detail!.spans[3]!.scope.name).toBe(detail!.spans[0]!.scope.name);
      expect(detail!.analysis.errors).toHaveLength(1);
      // Later reads go to /api/traces at once.
      old.requests.length = 0;
      await source.getTrace(id!);
      expect(old.requests.map((u) => u.pathname)).toEqual([`/api/traces/${id}`]);
      // Facets from the older tag values API.
      const facets = await source.facets();
      expect(facets.services).toEqual(['svc-a']);
      expect(facets.models).toEqual(['unpriced-model-x']);
    } finally {
      await old.close();
    }
  });

  it('detail, conversations, stats and facets', async () => {
    const source = new TempoSource({ url: tempo.url });
    const detail = await source.getTrace(ids[2]!.toUpperCase());
    expect(detail!.summary).toMatchObject({ traceId: ids[2], serviceName: 'svc-b', inputTokens: 10 });
    expect(detail!.analysis.toolCalls).toEqual({ lookup: 1 });
    expect(detail!.spans[0]!.parentSpanId).toBeUndefined();
    expect(detail!.spans[1]!.parentSpanId).toBe(detail!.spans[0]!.spanId);
    expect(await source.getTrace('0123456789abcdef0123456789abcdef')).toBeUndefined();
    expect(await source.getTrace('not-an-id')).toBeUndefined();

    const { conversations, total } = await source.listConversations({});
    expect(total).toBe(2);
    expect(conversations.map((c) => [c.conversationId, c.traceCount])).toEqual([
      ['conv-2', 1],
      ['conv-1', 2],
    ]);
    expect(searches().at(-1)!.searchParams.get('q')).toBe(
      '{ span.gen_ai.conversation.id != nil } with (most_recent=true)',
    );

    const rows = await source.stats({});
    expect(rows.find((r) => r.group === 'model' && r.key === 'gpt-4o-mini')).toMatchObject({
      count: 2,
      inputTokens: 110,
    });
    expect(rows.find((r) => r.group === 'tool' && r.key === 'lookup')).toMatchObject({
      count: 3,
      errorRate: 1 / 3,
    });

    const facets = await source.facets();
    expect(facets).toEqual({
      services: ['svc-a', 'svc-b'],
      models: ['gpt-4o-mini', 'unpriced-model-x'],
      providers: ['anthropic', 'openai'],
      agents: ['billing', 'billing-agent', 'support', 'support-agent'],
      tools: ['lookup'],
      operations: ['chat', 'execute_tool', 'invoke_agent', 'invoke_workflow'],
    });
    expect(
      tempo.requests.some((u) => u.pathname === '/api/v2/search/tag/span.gen_ai.request.model/values'),
    ).toBe(true);
  });

  it('errors: 5xx, unreachable, timeout, bad JSON, too large: RemoteSourceError with URL and status', async () => {
    const source = new TempoSource({ url: tempo.url, mostRecent: false });
    tempo.fault = (url) =>
      url.pathname === '/api/search' ? { status: 500, body: 'querier unavailable' } : undefined;
    await expect(source.listTraces({})).rejects.toThrow(
      new RegExp(
        `^tempo query API ${tempo.url.replace(/\./g, '\\.')}/api/search\\?q=%7B%7D.*: HTTP 500: querier unavailable$`,
      ),
    );
    tempo.fault = (url) =>
      url.pathname.startsWith('/api/v2/traces/') ? { status: 200, body: '{"trace": ' } : undefined;
    const bad = await source.getTrace(ids[0]!).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(RemoteSourceError);
    expect((bad as RemoteSourceError).reason).toBe('bad-response');
    tempo.fault = () => 'hang';
    const slow = new TempoSource({ url: tempo.url, timeoutMs: 200 });
    await expect(slow.facets()).rejects.toThrow(/no complete answer within 200 ms/);
    tempo.fault = undefined;
    const small = new TempoSource({ url: tempo.url, maxResponseBytes: 500 });
    await expect(small.getTrace(ids[0]!)).rejects.toThrow(/larger than 500 bytes/);
    const down = new TempoSource({ url: `http://127.0.0.1:${await closedPort()}` });
    await expect(down.listTraces({})).rejects.toMatchObject({
      name: 'RemoteSourceError',
      reason: 'unreachable',
      statusCode: 502,
    });
    tempo.fault = () => ({ status: 404, body: 'page not found' });
    await expect(source.listTraces({})).rejects.toThrow(/HTTP 404: not found: is this Tempo's HTTP API/);
  });
});

describe('OTLP JSON of remotes', () => {
  it('ids: hex kept, base64 decoded, leading zeros of search ids restored', () => {
    expect(normalizeTraceId('d6e9329d67b6146a')).toBe('0000000000000000d6e9329d67b6146a');
    expect(normalizeTraceId('AAAAAAAAAABguiq7RPE+rg==')).toBe('000000000000000060ba2abb44f13eae');
    expect(normalizeTraceId('ABCDEF0123456789ABCDEF0123456789')).toBe('abcdef0123456789abcdef0123456789');
    expect(normalizeTraceId('not hex')).toBeUndefined();
    const doc = normalizeOtlpTraces({
      batches: [
        {
          resource: {},
          instrumentationLibrarySpans: [
            {
              instrumentationLibrary: { name: 'lib' },
              spans: [{ traceId: 'AAAAAAAAAABguiq7RPE+rg==', spanId: 'cmteMBAvwNA=', parentSpanId: '' }],
            },
          ],
        },
      ],
    });
    expect(doc).toEqual({
      resourceSpans: [
        {
          resource: {},
          scopeSpans: [
            {
              scope: { name: 'lib' },
              spans: [
                { traceId: '000000000000000060ba2abb44f13eae', spanId: '726b5e30102fc0d0', parentSpanId: '' },
              ],
            },
          ],
        },
      ],
    });
  });
});
