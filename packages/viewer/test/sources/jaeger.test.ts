import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { estimateCost } from '@agent-otel/core';
import { closedPort } from '@agent-otel/testing';
import { JaegerSource, jaegerSearchPlan } from '../../src/sources/jaeger';
import { RemoteSourceError } from '../../src/sources/remote';
import { Store } from '../../src/store/Store';
import type { TraceQuery } from '../../src/model';
import { startJaegerStandIn, type StandIn } from './stand-ins';
import { RUNS, exportRuns } from './workload';

// The Jaeger source against a stand-in of Jaeger's query service (tests/sources/stand-ins.ts: the
// documented /api/v3 HTTP gateway and the UI's /api/traces search, answering what the real OTLP
// exporter sent it). The real Jaeger: e2e/viewer-sources.e2e.test.ts.

let jaeger: StandIn;
let ids: string[];
let source: JaegerSource;

beforeAll(async () => {
  jaeger = await startJaegerStandIn();
  ids = await exportRuns(jaeger.url, RUNS);
  expect(jaeger.traceIds().sort()).toEqual([...ids].sort());
});

afterAll(async () => {
  await jaeger.close();
});

beforeEach(() => {
  source = new JaegerSource({ url: jaeger.url });
  jaeger.requests.length = 0;
  jaeger.fault = undefined;
});

afterEach(async () => {
  await source.close();
});

const lastRequest = (path: string): URL => {
  const found = jaeger.requests.filter((url) => url.pathname === path);
  if (found.length === 0)
    throw new Error(`no request to ${path}: ${jaeger.requests.map((u) => u.pathname).join(', ')}`);
  return found[found.length - 1]!;
};

describe('JaegerSource over a Jaeger query API stand-in', () => {
  it('lists the runs most recent first, with names, spans, tokens, cost, errors and conversation', async () => {
    const page = await source.listTraces({});
    expect(page.total).toBe(3);
    expect(page.totalIsLowerBound).toBeUndefined();
    expect(page.traces.map((t) => t.traceId)).toEqual([ids[2], ids[1], ids[0]]);
    const [billing, bob, alice] = page.traces;
    expect(alice).toMatchObject({
      name: 'support',
      rootSpanName: 'invoke_workflow support',
      serviceName: 'svc-a',
      spanCount: 4,
      modelCalls: 1,
      inputTokens: 100,
      outputTokens: 20,
      errorCount: 0,
      conversationId: 'conv-1',
      models: ['gpt-4o-mini'],
    });
    expect(alice!.costUsd).toBeCloseTo(
      estimateCost('gpt-4o-mini', { inputTokens: 100, outputTokens: 20 })!,
      12,
    );
    expect(bob).toMatchObject({ inputTokens: 50, outputTokens: 5, errorCount: 1, conversationId: 'conv-1' });
    expect(bob!.costUsd).toBeUndefined();
    expect(billing).toMatchObject({
      serviceName: 'svc-b',
      conversationId: 'conv-2',
      rootSpanName: 'invoke_workflow billing',
    });
    expect(billing!.durationMs).toBeGreaterThanOrEqual(70);

    const search = lastRequest('/api/v3/traces');
    expect(search.searchParams.get('query.num_traces')).toBe('500');
    expect(search.searchParams.get('query.raw_traces')).toBe('true');
    expect(search.searchParams.get('query.service_name')).toBeNull();
    const window =
      Date.parse(search.searchParams.get('query.start_time_max')!) -
      Date.parse(search.searchParams.get('query.start_time_min')!);
    expect(window).toBe(7 * 24 * 3600 * 1000);
  });

  it('sends service, time window and duration bounds to the search, and applies every filter to what comes back', async () => {
    const from = Date.now() - 60_000;
    const page = await source.listTraces({ service: 'svc-b', minDurationMs: 50, fromMs: from });
    expect(page.traces.map((t) => t.traceId)).toEqual([ids[2]]);
    const search = lastRequest('/api/v3/traces');
    expect(search.searchParams.get('query.service_name')).toBe('svc-b');
    expect(search.searchParams.get('query.duration_min')).toBe('50000us');
    expect(Date.parse(search.searchParams.get('query.start_time_min')!)).toBe(from);

    // Filters Jaeger cannot search for: model, provider, status, tokens, cost, name.
    expect((await source.listTraces({ model: 'unpriced-model-x' })).traces.map((t) => t.traceId)).toEqual([
      ids[1],
    ]);
    expect((await source.listTraces({ provider: 'openai' })).traces.map((t) => t.traceId)).toEqual([
      ids[2],
      ids[0],
    ]);
    expect((await source.listTraces({ status: 'error' })).traces.map((t) => t.traceId)).toEqual([ids[1]]);
    expect((await source.listTraces({ status: 'ok', minTokens: 100 })).traces.map((t) => t.traceId)).toEqual([
      ids[0],
    ]);
    expect((await source.listTraces({ minCostUsd: 0 })).traces.map((t) => t.traceId)).toEqual([
      ids[2],
      ids[0],
    ]);
    // The run's name: the workflow's `gen_ai.agent.name` (core records the workflow name there).
    expect((await source.listTraces({ name: 'billing' })).traces.map((t) => t.traceId)).toEqual([ids[2]]);
    // Below the billing run's duration (its tool sleeps 80 ms; the others' 1 ms, however slow the machine).
    const all = (await source.listTraces({})).traces;
    const billingMs = all.find((t) => t.traceId === ids[2])!.durationMs;
    const shorter = await source.listTraces({ maxDurationMs: billingMs - 0.001 });
    expect(shorter.traces.map((t) => t.traceId)).toEqual([ids[1], ids[0]]);
    expect(lastRequest('/api/v3/traces').searchParams.get('query.duration_max')).toBe(
      `${Math.ceil((billingMs - 0.001) * 1000)}us`,
    );
  });

  it('searches one attribute condition through the UI search (trace ids), then reads each trace', async () => {
    const page = await source.listTraces({
      attributes: [{ key: 'agent_otel.metadata.user', op: '=', value: 'alice' }],
    });
    expect(page.traces.map((t) => t.traceId)).toEqual([ids[2], ids[0]]);
    // No service in the query: each service, one at a time (the UI search needs one).
    const uiSearches = jaeger.requests.filter((url) => url.pathname === '/api/traces');
    expect(uiSearches.map((url) => url.searchParams.get('service')).sort()).toEqual(['svc-a', 'svc-b']);
    expect(JSON.parse(uiSearches[0]!.searchParams.get('tags')!)).toEqual({
      'agent_otel.metadata.user': 'alice',
    });
    expect(jaeger.requests.filter((url) => url.pathname.startsWith('/api/v3/traces/')).length).toBe(2);

    // Two conditions that hold on different spans: one is searched, the other applied after.
    const both = await source.listTraces({
      service: 'svc-a',
      attributes: [
        { key: 'agent_otel.metadata.user', op: '=', value: 'bob' },
        { key: 'gen_ai.tool.name', op: 'exists' },
      ],
      tool: 'lookup',
    });
    expect(both.traces.map((t) => t.traceId)).toEqual([ids[1]]);
    expect(lastRequest('/api/traces').searchParams.get('service')).toBe('svc-a');

    // More services than maxServices: the plain search of the window, the condition applied after.
    const few = new JaegerSource({ url: jaeger.url, maxServices: 1 });
    jaeger.requests.length = 0;
    const plain = await few.listTraces({
      attributes: [{ key: 'agent_otel.metadata.user', op: '=', value: 'alice' }],
    });
    expect(plain.traces.map((t) => t.traceId)).toEqual([ids[2], ids[0]]);
    expect(jaeger.requests.map((url) => url.pathname)).toEqual(['/api/v3/services', '/api/v3/traces']);

    // `!=`, numeric conditions and exists are applied to the fetched spans, with the store's semantics.
    const notBob = await source.listTraces({
      attributes: [{ key: 'agent_otel.metadata.user', op: '!=', value: 'bob' }],
    });
    expect(notBob.traces.map((t) => t.traceId)).toEqual([ids[2], ids[0]]);
    const many = await source.listTraces({
      attributes: [{ key: 'gen_ai.usage.input_tokens', op: '>=', value: 50 }],
    });
    expect(many.traces.map((t) => t.traceId)).toEqual([ids[1], ids[0]]);
    const service = await source.listTraces({
      attributes: [{ key: 'service.name', op: '=', value: 'svc-b' }],
    });
    expect(service.traces.map((t) => t.traceId)).toEqual([ids[2]]);
  });

  it('plans which conditions go to Jaeger', () => {
    const plan = jaegerSearchPlan(
      {
        service: 's',
        minDurationMs: 1.5,
        maxDurationMs: 2,
        fromMs: 1000,
        toMs: 2000,
        attributes: [
          { key: 'n', op: '=', value: '42.0' },
          { key: 'error', op: '=', value: 'true' },
          { key: 'k', op: '=', value: 'v' },
        ],
      },
      10,
    );
    // 42.0 would not match Jaeger's text "42"; `error` is Jaeger's status filter; a tag excludes durations.
    expect(plan).toEqual({ service: 's', fromMs: 1000, toMs: 2000, tag: { key: 'k', value: 'v' } });
    expect(jaegerSearchPlan({ minDurationMs: 1.5, maxDurationMs: 2, toMs: 100 }, 10)).toEqual({
      fromMs: 90,
      toMs: 100,
      minDurationUs: 1500,
      maxDurationUs: 2000,
    });
  });

  it('sorts and pages', async () => {
    const byTokens = await source.listTraces({ sort: 'tokens', order: 'asc', limit: 2 });
    expect(byTokens.traces.map((t) => t.inputTokens)).toEqual([10, 50]);
    expect(byTokens.total).toBe(3);
    const second = await source.listTraces({ sort: 'tokens', order: 'asc', limit: 2, offset: 2 });
    expect(second.traces.map((t) => t.inputTokens)).toEqual([100]);
    // A trace without cost sorts below every cost.
    const byCost = await source.listTraces({ sort: 'cost', order: 'desc' });
    expect(byCost.traces[2]!.traceId).toBe(ids[1]);
  });

  it('says the page may be incomplete when the search returned its limit', async () => {
    const small = new JaegerSource({ url: jaeger.url, maxTraces: 2 });
    const page = await small.listTraces({});
    expect(page.traces.map((t) => t.traceId)).toEqual([ids[2], ids[1]]);
    expect(page).toMatchObject({ total: 2, totalIsLowerBound: true });
    expect(lastRequest('/api/v3/traces').searchParams.get('query.num_traces')).toBe('2');
  });

  it('reads one trace: start-ordered spans and core analysis; undefined for an unknown or malformed id', async () => {
    const detail = await source.getTrace(ids[1]!);
    expect(detail).toBeDefined();
    expect(detail!.summary.traceId).toBe(ids[1]);
    expect(detail!.spans.map((s) => s.name)).toEqual([
      'invoke_workflow support',
      'invoke_agent support-agent',
      'chat unpriced-model-x',
      'execute_tool lookup',
    ]);
    expect(detail!.spans[0]!.serviceName).toBe('svc-a');
    expect(detail!.spans[0]!.attributes['agent_otel.metadata.user']).toBe('bob');
    expect(detail!.analysis.toolCalls).toEqual({ lookup: 1 });
    expect(detail!.analysis.tokens).toMatchObject({ inputTokens: 50, outputTokens: 5, modelCalls: 1 });
    expect(detail!.analysis.errors).toHaveLength(1);
    expect(lastRequest(`/api/v3/traces/${ids[1]}`).searchParams.get('raw_traces')).toBe('true');

    expect(await source.getTrace('0123456789abcdef0123456789abcdef')).toBeUndefined();
    const before = jaeger.requests.length;
    expect(await source.getTrace('../../api/v3/services')).toBeUndefined();
    expect(jaeger.requests.length).toBe(before);
    expect(
      (await source.listTraces({ traceId: ids[0]!.toUpperCase() })).traces.map((t) => t.traceId),
    ).toEqual([ids[0]]);
  });

  it('groups conversations and computes stats and facets from the fetched traces', async () => {
    const { conversations, total } = await source.listConversations({});
    expect(total).toBe(2);
    expect(
      conversations.map((c) => [c.conversationId, c.traceCount, c.inputTokens, c.errorCount, c.services]),
    ).toEqual([
      ['conv-2', 1, 10, 0, ['svc-b']],
      ['conv-1', 2, 150, 1, ['svc-a']],
    ]);

    const rows = await source.stats({});
    const row = (group: string, key: string) => rows.find((r) => r.group === group && r.key === key);
    expect(row('model', 'gpt-4o-mini')).toMatchObject({
      count: 2,
      inputTokens: 110,
      outputTokens: 21,
      errorRate: 0,
    });
    expect(row('model', 'unpriced-model-x')).toMatchObject({ count: 1, inputTokens: 50 });
    expect(row('tool', 'lookup')).toMatchObject({ count: 3, errorRate: 1 / 3 });
    expect(row('tool', 'lookup')!.p95Ms).toBeGreaterThanOrEqual(70);
    expect(row('agent', 'support-agent')).toMatchObject({ count: 2 });

    const facets = await source.facets();
    expect(facets.services).toEqual(['svc-a', 'svc-b']);
    expect(facets.models).toEqual(['gpt-4o-mini', 'unpriced-model-x']);
    expect(facets.providers).toEqual(['anthropic', 'openai']);
    expect(facets.tools).toEqual(['lookup']);
    expect(facets.operations).toEqual(expect.arrayContaining(['chat', 'execute_tool', 'invoke_agent']));
    // Reused for a while: no second round of requests.
    const count = jaeger.requests.length;
    await source.facets();
    expect(jaeger.requests.length).toBe(count);
  });

  it('gives the same list, conversations and stats as the local store holding the same spans', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'viewer-sources-'));
    const store = Store.open(join(dir, 'viewer.db'));
    try {
      for (const id of ids) store.insert((await source.getTrace(id))!.spans);
      const queries: TraceQuery[] = [
        {},
        { service: 'svc-a' },
        { model: 'gpt-4o-mini', sort: 'tokens', order: 'asc' },
        { provider: 'anthropic' },
        { status: 'ok' },
        { sort: 'cost', order: 'asc' },
        { sort: 'cost', order: 'desc', limit: 1, offset: 1 },
        { sort: 'name', order: 'asc' },
        { minDurationMs: 50 },
        { name: 'support', conversationId: 'conv-1' },
        { attributes: [{ key: 'agent_otel.metadata.user', op: '=', value: 'alice' }] },
        { attributes: [{ key: 'agent_otel.metadata.user', op: '!=', value: 'alice' }] },
        { attributes: [{ key: 'gen_ai.usage.input_tokens', op: '>', value: 10 }] },
        { attributes: [{ key: 'gen_ai.usage.input_tokens', op: '=', value: '50.0' }] },
        { attributes: [{ key: 'service.name', op: '=', value: 'svc-b' }] },
        { attributes: [{ key: 'gen_ai.tool.call.result', op: 'exists' }] },
        { minCostUsd: 0, maxTokens: 100 },
      ];
      for (const query of queries) {
        expect([query, await source.listTraces(query)]).toEqual([query, await store.listTraces(query)]);
      }
      expect(await source.listConversations({})).toEqual(await store.listConversations({}));
      expect(await source.stats({})).toEqual(await store.stats({}));
      const facets = await source.facets();
      expect(facets).toEqual(await store.facets());
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('searches service by service when Jaeger needs a service (Cassandra, Elasticsearch, Badger)', async () => {
    const strict = await startJaegerStandIn({ requireService: true });
    try {
      const strictIds = await exportRuns(strict.url, RUNS.slice(0, 1).concat(RUNS.slice(2)));
      const remote = new JaegerSource({ url: strict.url });
      const page = await remote.listTraces({});
      expect(page.traces.map((t) => t.traceId)).toEqual([strictIds[1], strictIds[0]]);
      const searched = strict.requests
        .filter((u) => u.pathname === '/api/v3/traces')
        .map((u) => u.searchParams.get('query.service_name'));
      expect(searched).toEqual([null, 'svc-a', 'svc-b']);
      // It remembers: the next list goes service by service at once.
      strict.requests.length = 0;
      await remote.listTraces({});
      expect(
        strict.requests
          .filter((u) => u.pathname === '/api/v3/traces')
          .map((u) => u.searchParams.get('query.service_name')),
      ).toEqual(['svc-a', 'svc-b']);
    } finally {
      await strict.close();
    }
  });
});

describe('JaegerSource errors: a RemoteSourceError (the server answers 502) naming the URL and status', () => {
  const expectRemoteError = async (promise: Promise<unknown>, reason: string, pattern: RegExp) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RemoteSourceError);
    expect((error as RemoteSourceError).reason).toBe(reason);
    expect((error as RemoteSourceError).statusCode).toBe(502);
    expect((error as Error).message).toMatch(pattern);
    return error as RemoteSourceError;
  };

  it('a 5xx: the status and the start of the body', async () => {
    jaeger.fault = () => ({ status: 503, body: 'upstream storage <b>down</b>\nretry later' });
    const error = await expectRemoteError(
      source.listTraces({}),
      'http',
      /HTTP 503: upstream storage <b>down<\/b> retry later/,
    );
    expect(error.status).toBe(503);
    expect(error.message).toContain(`${jaeger.url}/api/v3/traces?`);
  });

  it('unreachable', async () => {
    const port = await closedPort();
    const down = new JaegerSource({ url: `http://127.0.0.1:${port}` });
    await expectRemoteError(
      down.listTraces({}),
      'unreachable',
      new RegExp(`127\\.0\\.0\\.1:${port}/api/v3/traces.*ECONNREFUSED`),
    );
  });

  it('a remote that does not answer in time', async () => {
    jaeger.fault = () => 'hang';
    const slow = new JaegerSource({ url: jaeger.url, timeoutMs: 300 });
    const started = Date.now();
    await expectRemoteError(slow.getTrace(ids[0]!), 'timeout', /no complete answer within 300 ms/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a connection closed without an answer', async () => {
    jaeger.fault = () => 'destroy';
    await expectRemoteError(source.getTrace(ids[0]!), 'unreachable', /cannot connect/);
  });

  it('a body that is not JSON, or not the expected JSON', async () => {
    jaeger.fault = () => ({ status: 200, body: '<html>login</html>', contentType: 'text/html' });
    await expectRemoteError(source.listTraces({}), 'bad-response', /not JSON/);
    jaeger.fault = () => ({
      status: 200,
      body: '{"result": {"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": 7}]}]}]}}',
    });
    await expectRemoteError(source.listTraces({}), 'bad-response', /traceId/);
    jaeger.fault = () => ({ status: 200, body: '{"data": []}' });
    await expectRemoteError(source.listTraces({}), 'bad-response', /no "result" object/);
  });

  it('a body over the size limit', async () => {
    const small = new JaegerSource({ url: jaeger.url, maxResponseBytes: 1000 });
    await expectRemoteError(small.listTraces({}), 'too-large', /larger than 1000 bytes/);
  });

  it('a 404 from a server that is not Jaeger', async () => {
    jaeger.fault = () => ({ status: 404, body: 'Not Found' });
    await expectRemoteError(
      source.listTraces({ service: 'x' }),
      'http',
      /HTTP 404: not found: is this the Jaeger query API/,
    );
  });

  it('keeps credentials of the URL out of messages and sends them as basic auth', async () => {
    const withUser = new JaegerSource({ url: jaeger.url.replace('http://', 'http://user:s3cret@') });
    expect(withUser.description.url).toBe(jaeger.url);
    jaeger.fault = () => ({ status: 500, body: 'boom' });
    const error = await expectRemoteError(withUser.listTraces({}), 'http', /HTTP 500/);
    expect(error.message).not.toContain('s3cret');
    expect(jaeger.authorizations.at(-1)).toBe(`Basic ${Buffer.from('user:s3cret').toString('base64')}`);
  });

  it('refuses a bad URL or option at construction, naming it', () => {
    expect(() => new JaegerSource({ url: 'localhost:16686' })).toThrow(/url must be/);
    expect(() => new JaegerSource({ url: 'ftp://x' })).toThrow(/http:\/\/ or https:\/\//);
    expect(() => new JaegerSource({ url: jaeger.url, maxTraces: 0 })).toThrow(
      /maxTraces must be a positive integer/,
    );
  });
});
