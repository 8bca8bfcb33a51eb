import { DatabaseSync } from 'node:sqlite';
import { summarizeTrace } from '../../src/analysis';
import type { Span, TraceQuery } from '../../src/model';
import { Store } from '../../src/store/Store';
import { syntheticTrace } from '../support/synthetic';
import { chat, ids, sid, span, T0, tempDir, tid } from './spans';

const dir = tempDir();
afterAll(() => dir.remove());

const sortById = (spans: readonly Span[]): Span[] =>
  [...spans].sort((a, b) => (a.spanId < b.spanId ? -1 : a.spanId > b.spanId ? 1 : 0));

let n = 0;
function open(options?: Parameters<typeof Store.open>[1]): Store {
  return Store.open(dir.file(`store-${++n}.db`), options);
}

/** Trace 1 of the round-trip tests: workflow → agent → chat, tool, chat (+ a failed tool). */
function runTrace(): Span[] {
  return [
    span({
      trace: 1,
      id: 1,
      name: 'invoke_workflow Support',
      start: 0,
      duration: 1000,
      attrs: {
        'gen_ai.operation.name': 'invoke_workflow',
        'agent_otel.span.kind': 'workflow',
        'gen_ai.agent.name': 'Support',
        'gen_ai.conversation.id': 'conv-1',
        // A roll-up: never counted again.
        'gen_ai.usage.input_tokens': 300,
        'gen_ai.usage.output_tokens': 30,
        'agent_otel.cost.usd': 9,
      },
    }),
    span({
      trace: 1,
      id: 2,
      parent: 1,
      name: 'invoke_agent Triage',
      start: 10,
      duration: 900,
      attrs: {
        'gen_ai.operation.name': 'invoke_agent',
        'agent_otel.span.kind': 'agent',
        'gen_ai.agent.name': 'Triage',
        'gen_ai.usage.input_tokens': 300,
        'gen_ai.usage.output_tokens': 30,
      },
    }),
    chat({
      trace: 1,
      id: 3,
      parent: 2,
      start: 20,
      duration: 200,
      model: 'test-gpt',
      input: 100,
      output: 10,
      cost: 0.25,
    }),
    span({
      trace: 1,
      id: 4,
      parent: 2,
      name: 'execute_tool lookup',
      start: 230,
      duration: 50,
      attrs: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'lookup' },
      error: 'lookup failed',
    }),
    chat({
      trace: 1,
      id: 5,
      parent: 2,
      start: 300,
      duration: 400,
      model: 'test-claude',
      provider: 'anthropic',
      input: 200,
      output: 20,
      cost: 0.5,
      attrs: { 'gen_ai.agent.name': 'Triage' },
    }),
  ];
}

describe('insert, getTrace, listTraces', () => {
  it('keeps spans arriving out of order across inserts, and rolls up exactly', async () => {
    const store = open();
    const spans = runTrace();
    // Children first, the root last, over three inserts; one span sent twice.
    expect(store.insert([spans[4]!, spans[3]!]).inserted).toBe(2);
    const partial = (await store.listTraces({})).traces[0]!;
    expect(partial.spanCount).toBe(2);
    expect(partial.rootSpanName).toBe('execute_tool lookup'); // the earliest span stands in for the root
    expect(store.insert([spans[2]!, spans[1]!, spans[3]!])).toEqual({
      inserted: 2,
      duplicates: 1,
      traceIds: [tid(1)],
    });
    store.insert([spans[0]!]);

    const page = await store.listTraces({});
    expect(page.total).toBe(1);
    const summary = page.traces[0]!;
    expect(summary).toEqual({
      traceId: tid(1),
      name: 'Support',
      rootSpanName: 'invoke_workflow Support',
      serviceName: 'svc',
      startMs: T0,
      durationMs: 1000,
      spanCount: 5,
      modelCalls: 2,
      inputTokens: 300,
      outputTokens: 30,
      costUsd: 0.75,
      errorCount: 1,
      conversationId: 'conv-1',
      models: ['test-claude', 'test-gpt'],
      agents: ['Triage'],
    });
    expect(summary).toEqual(summarizeTrace(spans));

    const detail = (await store.getTrace(tid(1)))!;
    expect(detail.summary).toEqual(summary);
    expect(detail.spans).toEqual(spans); // start order, every field as inserted
    expect(detail.analysis.tokens).toMatchObject({ inputTokens: 300, outputTokens: 30, modelCalls: 2 });
    expect(detail.analysis.costUsd).toBe(0.75);
    expect(detail.analysis.toolCalls).toEqual({ lookup: 1 });
    expect(detail.analysis.errors).toEqual([
      { spanId: sid(4), errorType: '_OTHER', message: 'lookup failed' },
    ]);
    expect(detail.analysis.slowSpans.map((s) => s.spanId)).toEqual([sid(1), sid(2), sid(5), sid(3), sid(4)]);
    expect(await store.getTrace(tid(99))).toBeUndefined();
    expect(await store.getTrace(tid(1).toUpperCase())).toBeDefined();
    await store.close();
  });

  it('prices a known model from the price table, as core does, whatever cost the span recorded', async () => {
    const store = open();
    store.insert([chat({ trace: 2, id: 1, model: 'gpt-4o', input: 1000, output: 100, cost: 123 })]);
    const [summary] = (await store.listTraces({})).traces;
    expect(summary!.costUsd).toBe(0.0035); // (1000 × 2.5 + 100 × 10) / 1e6
    expect((await store.getTrace(tid(2)))!.analysis.costUsd).toBe(0.0035);
    await store.close();
  });

  it('leaves cost undefined when no model call reported one, and survives a reopen', async () => {
    const file = dir.file('reopen.db');
    const store = Store.open(file);
    store.insert([span({ trace: 3, id: 1 }), chat({ trace: 3, id: 2, parent: 1, input: 5 })]);
    await store.close();
    const again = Store.open(file);
    const [summary] = (await again.listTraces({})).traces;
    expect(summary).toMatchObject({ spanCount: 2, modelCalls: 1, inputTokens: 5, outputTokens: 0 });
    expect(summary).not.toHaveProperty('costUsd');
    expect(again.counts()).toEqual({ traces: 1, spans: 2 });
    await again.close();
  });

  it('updates an existing trace when more spans come', async () => {
    const store = open();
    store.insert([chat({ trace: 4, id: 2, parent: 1, start: 50, input: 1, output: 2, cost: 1 })]);
    store.insert([
      chat({ trace: 4, id: 3, parent: 1, start: 60, duration: 500, input: 10, output: 20, cost: 2 }),
    ]);
    store.insert([span({ trace: 4, id: 1, start: 0, duration: 100, attrs: { 'gen_ai.agent.name': 'Run' } })]);
    const [summary] = (await store.listTraces({})).traces;
    expect(summary).toMatchObject({
      name: 'Run',
      spanCount: 3,
      inputTokens: 11,
      outputTokens: 22,
      costUsd: 3,
      startMs: T0,
      durationMs: 560, // the last span outlives the root
    });
    await store.close();
  });
});

describe('span data segments', () => {
  it('reads back every span of a large insert exactly, the traces sharing segments', async () => {
    const store = open();
    // ~900 spans with content: several segments of SEGMENT_BYTES, each holding parts of many traces.
    const traces = Array.from({ length: 130 }, (_, i) => syntheticTrace(i, { contentChars: 400 }));
    const all = traces.flat();
    // Repeats within the insert (the same span twice) are stored once.
    const result = store.insert([...all, ...all.slice(0, 40)]);
    expect(result).toMatchObject({ inserted: all.length, duplicates: 40 });
    const db = new DatabaseSync(store.path, { readOnly: true });
    const segments = db.prepare('SELECT count(*) AS n, sum(parts) AS parts FROM segments').get() as {
      n: number;
      parts: number;
    };
    db.close();
    expect(segments.n).toBeGreaterThan(1);
    expect(segments.n).toBeLessThan(traces.length / 4);
    expect(segments.parts).toBe(traces.length);
    for (const trace of traces) {
      const detail = (await store.getTrace(trace[0]!.traceId))!;
      expect(sortById(detail.spans)).toEqual(sortById(trace));
    }
    // A second insert of the same spans stores nothing; one new span joins its trace.
    const extra = { ...traces[7]![0]!, spanId: 'ffffffffffffffff', parentSpanId: traces[7]![0]!.spanId };
    expect(store.insert([...all.slice(0, 100), extra])).toMatchObject({ inserted: 1, duplicates: 100 });
    expect((await store.getTrace(traces[7]![0]!.traceId))!.spans).toHaveLength(traces[7]!.length + 1);
    expect(store.counts()).toEqual({ traces: traces.length, spans: all.length + 1 });
    await store.close();
  });
});

/**
 * Four traces with known attributes; every filter's expected result is listed by trace number.
 * 1: alpha / Support / Triage / test-gpt (openai) / tool lookup / tenant acme, priority 3, flag true, code "42" / c1
 * 2: beta / Research / Researcher / test-claude → test-claude-2 (anthropic), $2.5 / tool search fails / tenant globex, priority 5, code 42 / c2
 * 3: alpha / Support / Billing / test-gpt ×2 (openai) / tenant acme, priority 1 / c1
 * 4: gamma / Batch / old-model (gen_ai.system legacy-ai), no cost / no metadata
 */
function fixture(): Span[] {
  const root = (trace: number, start: number, duration: number, name: string, service: string, attrs = {}) =>
    span({
      trace,
      id: 1,
      start,
      duration,
      service,
      name: `invoke_workflow ${name}`,
      attrs: {
        'gen_ai.operation.name': 'invoke_workflow',
        'agent_otel.span.kind': 'workflow',
        'gen_ai.agent.name': name,
        ...attrs,
      },
    });
  const agent = (trace: number, start: number, name: string, service: string) =>
    span({
      trace,
      id: 2,
      parent: 1,
      start,
      duration: 20,
      service,
      name: `invoke_agent ${name}`,
      attrs: {
        'gen_ai.operation.name': 'invoke_agent',
        'agent_otel.span.kind': 'agent',
        'gen_ai.agent.name': name,
      },
    });
  const tool = (trace: number, start: number, name: string, service: string, error?: string) =>
    span({
      trace,
      id: 4,
      parent: 2,
      start,
      duration: 5,
      service,
      name: `execute_tool ${name}`,
      attrs: {
        'gen_ai.operation.name': 'execute_tool',
        'agent_otel.span.kind': 'function',
        'gen_ai.tool.name': name,
      },
      ...(error ? { error } : {}),
    });
  return [
    root(1, 1000, 100, 'Support', 'alpha', {
      'agent_otel.metadata.tenant': 'acme',
      'agent_otel.metadata.priority': 3,
      'agent_otel.metadata.flag': true,
      'agent_otel.metadata.code': '42',
      'gen_ai.conversation.id': 'c1',
    }),
    agent(1, 1001, 'Triage', 'alpha'),
    chat({
      trace: 1,
      id: 3,
      parent: 2,
      start: 1002,
      service: 'alpha',
      model: 'test-gpt',
      provider: 'openai',
      input: 100,
      output: 10,
      cost: 0.5,
    }),
    tool(1, 1010, 'lookup', 'alpha'),
    root(2, 2000, 300, 'Research', 'beta', {
      'agent_otel.metadata.tenant': 'globex',
      'agent_otel.metadata.priority': 5,
      'agent_otel.metadata.code': 42,
      'gen_ai.conversation.id': 'c2',
    }),
    agent(2, 2001, 'Researcher', 'beta'),
    chat({
      trace: 2,
      id: 3,
      parent: 2,
      start: 2002,
      service: 'beta',
      model: 'test-claude',
      provider: 'anthropic',
      input: 1000,
      output: 100,
      cost: 2.5,
      attrs: { 'gen_ai.response.model': 'test-claude-2' },
    }),
    tool(2, 2010, 'search', 'beta', 'search failed'),
    root(3, 3000, 200, 'Support', 'alpha', {
      'agent_otel.metadata.tenant': 'acme',
      'agent_otel.metadata.priority': 1,
      'gen_ai.conversation.id': 'c1',
    }),
    agent(3, 3001, 'Billing', 'alpha'),
    chat({
      trace: 3,
      id: 3,
      parent: 2,
      start: 3002,
      service: 'alpha',
      model: 'test-gpt',
      provider: 'openai',
      input: 500,
      output: 50,
      cost: 1,
    }),
    chat({
      trace: 3,
      id: 5,
      parent: 2,
      start: 3050,
      service: 'alpha',
      model: 'test-gpt',
      provider: 'openai',
      input: 500,
      output: 50,
      cost: 1,
    }),
    root(4, 4000, 50, 'Batch', 'gamma'),
    span({
      trace: 4,
      id: 3,
      parent: 1,
      start: 4001,
      service: 'gamma',
      attrs: {
        'gen_ai.operation.name': 'chat',
        'gen_ai.system': 'legacy-ai',
        'gen_ai.request.model': 'old-model',
        'gen_ai.usage.input_tokens': 5,
        'gen_ai.usage.output_tokens': 5,
      },
    }),
  ];
}

const FILTERS: [string, TraceQuery, number[]][] = [
  ['none', {}, [4, 3, 2, 1]],
  ['traceId', { traceId: tid(2) }, [2]],
  ['service', { service: 'alpha' }, [3, 1]],
  ['name', { name: 'Support' }, [3, 1]],
  ['operation', { operation: 'execute_tool' }, [2, 1]],
  ['spanKind', { spanKind: 'agent' }, [3, 2, 1]],
  ['model (request)', { model: 'test-gpt' }, [3, 1]],
  ['model (response)', { model: 'test-claude-2' }, [2]],
  ['provider', { provider: 'anthropic' }, [2]],
  ['provider (gen_ai.system)', { provider: 'legacy-ai' }, [4]],
  ['agent', { agent: 'Billing' }, [3]],
  ['tool', { tool: 'lookup' }, [1]],
  ['conversationId', { conversationId: 'c1' }, [3, 1]],
  ['status error', { status: 'error' }, [2]],
  ['status ok', { status: 'ok' }, [4, 3, 1]],
  ['minDurationMs', { minDurationMs: 100 }, [3, 2, 1]],
  ['maxDurationMs', { maxDurationMs: 100 }, [4, 1]],
  ['minTokens', { minTokens: 110 }, [3, 2, 1]],
  ['maxTokens', { maxTokens: 110 }, [4, 1]],
  ['minCostUsd', { minCostUsd: 1 }, [3, 2]],
  ['maxCostUsd', { maxCostUsd: 0.5 }, [1]],
  ['from', { fromMs: T0 + 2000 }, [4, 3, 2]],
  ['to', { toMs: T0 + 2000 }, [2, 1]],
  ['attr =', { attributes: [{ key: 'agent_otel.metadata.tenant', op: '=', value: 'acme' }] }, [3, 1]],
  [
    'attr = (number and text)',
    { attributes: [{ key: 'agent_otel.metadata.code', op: '=', value: '42' }] },
    [2, 1],
  ],
  ['attr = (boolean)', { attributes: [{ key: 'agent_otel.metadata.flag', op: '=', value: 'true' }] }, [1]],
  ['attr !=', { attributes: [{ key: 'agent_otel.metadata.tenant', op: '!=', value: 'acme' }] }, [4, 2]],
  ['attr >', { attributes: [{ key: 'agent_otel.metadata.priority', op: '>', value: 3 }] }, [2]],
  ['attr >=', { attributes: [{ key: 'agent_otel.metadata.priority', op: '>=', value: 3 }] }, [2, 1]],
  ['attr <', { attributes: [{ key: 'agent_otel.metadata.priority', op: '<', value: 3 }] }, [3]],
  ['attr <=', { attributes: [{ key: 'agent_otel.metadata.priority', op: '<=', value: 3 }] }, [3, 1]],
  [
    'attr > (numbers only: "42" is text)',
    { attributes: [{ key: 'agent_otel.metadata.code', op: '>', value: 41 }] },
    [2],
  ],
  ['attr exists', { attributes: [{ key: 'agent_otel.metadata.priority', op: 'exists' }] }, [3, 2, 1]],
  [
    'attr on a span, not the root',
    { attributes: [{ key: 'gen_ai.tool.name', op: '=', value: 'search' }] },
    [2],
  ],
  ['attr on the resource', { attributes: [{ key: 'host.name', op: '=', value: 'h1' }] }, [4, 3, 2, 1]],
  ['attr unknown key =', { attributes: [{ key: 'nope', op: '=', value: 'x' }] }, []],
  ['attr unknown key !=', { attributes: [{ key: 'nope', op: '!=', value: 'x' }] }, [4, 3, 2, 1]],
  ['attr unknown key exists', { attributes: [{ key: 'nope', op: 'exists' }] }, []],
  [
    'combination',
    {
      service: 'alpha',
      model: 'test-gpt',
      attributes: [
        { key: 'agent_otel.metadata.tenant', op: '=', value: 'acme' },
        { key: 'agent_otel.metadata.priority', op: '<', value: 2 },
      ],
    },
    [3],
  ],
  [
    'combination, none',
    { status: 'error', attributes: [{ key: 'agent_otel.metadata.tenant', op: '=', value: 'acme' }] },
    [],
  ],
  [
    'combination with !=',
    {
      operation: 'chat',
      attributes: [
        { key: 'agent_otel.metadata.tenant', op: '!=', value: 'globex' },
        { key: 'gen_ai.provider.name', op: 'exists' },
      ],
    },
    [3, 1],
  ],
];

describe('filters', () => {
  // Each filter runs with the list driven by the most selective condition, and probing every trace.
  const modes: [string, ConstructorParameters<typeof Object>[0]][] = [
    ['default planner', {}],
    ['driving', { planner: { driveMax: 1e9 } }],
    ['probing', { planner: { driveMax: 0 } }],
  ];
  describe.each(modes)('%s', (_mode, options) => {
    let store: Store;
    beforeAll(() => {
      store = open(options as Parameters<typeof Store.open>[1]);
      // Two inserts, the second's spans before the first's in time.
      const spans = fixture();
      store.insert(spans.filter((s) => s.traceId >= tid(3)));
      store.insert(spans.filter((s) => s.traceId < tid(3)));
    });
    afterAll(() => store.close());

    it.each(FILTERS)('%s', async (_name, query, expected) => {
      const page = await store.listTraces(query);
      expect(ids(page)).toEqual(expected.map(tid));
      expect(page.total).toBe(expected.length);
    });
  });

  it('lists the facets', async () => {
    const store = open();
    store.insert(fixture());
    expect(await store.facets()).toEqual({
      services: ['alpha', 'beta', 'gamma'],
      models: ['old-model', 'test-claude', 'test-claude-2', 'test-gpt'],
      providers: ['anthropic', 'legacy-ai', 'openai'],
      agents: ['Batch', 'Billing', 'Research', 'Researcher', 'Support', 'Triage'],
      tools: ['lookup', 'search'],
      operations: ['chat', 'execute_tool', 'invoke_agent', 'invoke_workflow'],
    });
    await store.close();
  });
});

describe('sort and pagination', () => {
  let store: Store;
  beforeAll(() => {
    store = open();
    store.insert(fixture());
  });
  afterAll(() => store.close());

  it.each([
    ['start', 'desc', [4, 3, 2, 1]],
    ['start', 'asc', [1, 2, 3, 4]],
    ['duration', 'desc', [2, 3, 1, 4]],
    ['duration', 'asc', [4, 1, 3, 2]],
    ['spans', 'desc', [3, 2, 1, 4]], // 4 spans twice: the later start first
    ['tokens', 'desc', [3, 2, 1, 4]],
    ['cost', 'desc', [2, 3, 1, 4]], // no cost last
    ['cost', 'asc', [4, 1, 3, 2]],
    ['errors', 'desc', [2, 4, 3, 1]],
    ['name', 'asc', [4, 2, 1, 3]],
  ] as const)('sort=%s order=%s', async (sort, order, expected) => {
    expect(ids(await store.listTraces({ sort, order }))).toEqual(expected.map(tid));
  });

  it.each([
    ['duration', 'desc', [2, 3, 1, 4]],
    ['duration', 'asc', [4, 1, 3, 2]],
    ['tokens', 'desc', [3, 2, 1, 4]],
    ['cost', 'asc', [4, 1, 3, 2]],
  ] as const)(
    'sort=%s order=%s while probing, from the top K traces by the sort key',
    async (sort, order, expected) => {
      const probing = open({ planner: { driveMax: 0, firstTopK: 1 } });
      probing.insert(fixture());
      const all = { key: 'host.name', op: '=', value: 'h1' } as const;
      expect(ids(await probing.listTraces({ sort, order, attributes: [all] }))).toEqual(expected.map(tid));
      for (let offset = 0; offset < 4; offset++)
        expect(ids(await probing.listTraces({ sort, order, attributes: [all], limit: 1, offset }))).toEqual([
          tid(expected[offset]!),
        ]);
      // Only the last one in the order matches: K grows until it is found.
      const last = expected[3]!;
      const only = { key: 'agent_otel.metadata.only', op: 'exists' } as const;
      probing.insert([span({ trace: last, id: 99, start: 4010, attrs: { 'agent_otel.metadata.only': 1 } })]);
      expect(ids(await probing.listTraces({ sort, order, attributes: [only], limit: 1 }))).toEqual([
        tid(last),
      ]);
      await probing.close();
    },
  );

  it('pages through every trace once, with the total', async () => {
    const seen: string[] = [];
    for (let offset = 0; offset < 6; offset += 3) {
      const page = await store.listTraces({ sort: 'duration', limit: 3, offset });
      expect(page.total).toBe(4);
      seen.push(...ids(page));
    }
    expect(seen).toEqual([2, 3, 1, 4].map(tid));
    expect(
      ids(
        await store.listTraces({
          limit: 2,
          attributes: [{ key: 'agent_otel.metadata.tenant', op: 'exists' }],
        }),
      ),
    ).toEqual([3, 2].map(tid));
  });

  it('bounds limit and offset', async () => {
    expect((await store.listTraces({ limit: 0 })).traces).toHaveLength(1);
    expect((await store.listTraces({ limit: 10_000 })).traces).toHaveLength(4);
    expect((await store.listTraces({ offset: -5, limit: 1 })).traces).toHaveLength(1);
  });
});

describe('query plans', () => {
  it('use the indexes: the start index and one seek per probe, or row ids from the driving condition', async () => {
    const store = open({ planner: { driveMax: 0 } });
    store.insert(fixture());
    const tenant = { key: 'agent_otel.metadata.tenant', op: '=', value: 'acme' } as const;
    const probing = store.explainListTraces({ attributes: [tenant] });
    expect(probing.rowsPlan.join('\n')).toMatch(/SCAN t USING INDEX traces_by_start/);
    expect(probing.rowsPlan.join('\n')).toMatch(
      /SEARCH a (?:EXISTS )?USING PRIMARY KEY \(bucket=\? AND key_id=\? AND value=\? AND trace_rowid=\?\)/,
    );
    expect(store.explainListTraces({ name: 'Support' }).rowsPlan.join('\n')).toMatch(
      /USING INDEX traces_by_name/,
    );
    await store.close();
    const driving = open();
    driving.insert(fixture());
    const plan = driving.explainListTraces({ attributes: [tenant] });
    expect(plan.rowsPlan.join('\n')).toMatch(/SEARCH t USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(plan.countPlan.join('\n')).toMatch(/SEARCH t USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    expect(plan.rowsPlan.join('\n')).not.toMatch(/SCAN t\b/);
    await driving.close();
  });
});

describe('totals over many traces', () => {
  it('caps the count and says it is a lower bound', async () => {
    const store = open({ planner: { totalCap: 5, countScanMax: 8 } });
    const spans: Span[] = [];
    for (let t = 1; t <= 12; t++)
      spans.push(
        span({ trace: t, id: 1, start: t, attrs: { 'agent_otel.metadata.env': t % 2 ? 'prod' : 'dev' } }),
      );
    store.insert(spans);
    expect(await store.listTraces({})).toMatchObject({ total: 12 });
    expect(await store.listTraces({ minDurationMs: 0, limit: 2 })).toMatchObject({
      total: 5,
      totalIsLowerBound: true,
    });
    const driven = await store.listTraces({
      limit: 3,
      attributes: [{ key: 'agent_otel.metadata.env', op: '=', value: 'prod' }],
    });
    // Driven by a selective condition: counted exactly.
    expect(driven).toEqual(expect.objectContaining({ total: 6 }));
    expect(driven).not.toHaveProperty('totalIsLowerBound');
    expect(ids(driven)).toEqual([11, 9, 7].map(tid));
    // A page past the cap: at least what it skipped and shows.
    expect(await store.listTraces({ minDurationMs: 0, limit: 4, offset: 4 })).toMatchObject({ total: 8 });
    await store.close();
  });

  it('counts only the newest traces when probing, and says so', async () => {
    const store = open({ planner: { driveMax: 0, countScanMax: 4 } });
    const spans: Span[] = [];
    for (let t = 1; t <= 10; t++)
      spans.push(
        span({ trace: t, id: 1, start: t, attrs: { 'agent_otel.metadata.env': t % 2 ? 'prod' : 'dev' } }),
      );
    store.insert(spans);
    const page = await store.listTraces({
      attributes: [{ key: 'agent_otel.metadata.env', op: '=', value: 'prod' }],
    });
    expect(ids(page)).toEqual([9, 7, 5, 3, 1].map(tid));
    // The count saw traces 10..7 (2 matches), but the page shows 5.
    expect(page).toMatchObject({ total: 5, totalIsLowerBound: true });
    await store.close();
  });
});

describe('conversations', () => {
  it('groups traces by conversation id, newest activity first', async () => {
    const store = open();
    store.insert(fixture());
    const { conversations, total } = await store.listConversations({});
    expect(total).toBe(2);
    expect(conversations).toEqual([
      {
        conversationId: 'c1',
        traceCount: 2,
        firstStartMs: T0 + 1000,
        lastStartMs: T0 + 3000,
        inputTokens: 1100,
        outputTokens: 110,
        costUsd: 2.5,
        errorCount: 0,
        services: ['alpha'],
      },
      {
        conversationId: 'c2',
        traceCount: 1,
        firstStartMs: T0 + 2000,
        lastStartMs: T0 + 2000,
        inputTokens: 1000,
        outputTokens: 100,
        costUsd: 2.5,
        errorCount: 1,
        services: ['beta'],
      },
    ]);
    expect(await store.listConversations({ limit: 1, offset: 1 })).toEqual({
      conversations: [conversations[1]],
      total: 2,
    });
    expect(await store.listConversations({ fromMs: T0 + 2500 })).toMatchObject({
      total: 1,
      conversations: [{ conversationId: 'c1', traceCount: 1 }],
    });
    const page = await store.listTraces({ conversationId: 'c1' });
    expect(ids(page)).toEqual([3, 1].map(tid));
    await store.close();
  });
});

describe('stats', () => {
  it('gives count, exact nearest-rank p50/p95, tokens, cost and error rate per model, agent and tool', async () => {
    const store = open();
    const spans: Span[] = [];
    // 20 calls of model-a lasting 1..20 ms (two traces), every 5th failing; 3 of model-b.
    for (let i = 1; i <= 20; i++)
      spans.push(
        chat({
          trace: i <= 10 ? 1 : 2,
          id: i,
          start: i,
          duration: i,
          model: 'model-a',
          input: 10,
          output: 1,
          cost: 0.01,
          ...(i % 5 === 0 ? { error: 'boom' } : {}),
        }),
      );
    for (let i = 1; i <= 3; i++)
      spans.push(chat({ trace: 3, id: 100 + i, start: 5000, duration: 100 * i, model: 'model-b' }));
    spans.push(
      span({
        trace: 3,
        id: 200,
        start: 5000,
        duration: 40,
        attrs: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'Helper' },
      }),
      span({
        trace: 3,
        id: 201,
        start: 5000,
        duration: 7,
        attrs: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'calc' },
      }),
      span({
        trace: 3,
        id: 202,
        start: 5000,
        duration: 9,
        attrs: { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'calc' },
        error: 'x',
      }),
    );
    store.insert(spans);
    const rows = await store.stats({});
    expect(rows).toEqual([
      {
        group: 'model',
        key: 'model-a',
        count: 20,
        p50Ms: 10,
        p95Ms: 19,
        inputTokens: 200,
        outputTokens: 20,
        costUsd: 0.2,
        errorRate: 0.2,
      },
      {
        group: 'model',
        key: 'model-b',
        count: 3,
        p50Ms: 200,
        p95Ms: 300,
        inputTokens: 0,
        outputTokens: 0,
        errorRate: 0,
      },
      {
        group: 'agent',
        key: 'Helper',
        count: 1,
        p50Ms: 40,
        p95Ms: 40,
        inputTokens: 0,
        outputTokens: 0,
        errorRate: 0,
      },
      {
        group: 'tool',
        key: 'calc',
        count: 2,
        p50Ms: 7,
        p95Ms: 9,
        inputTokens: 0,
        outputTokens: 0,
        errorRate: 0.5,
      },
    ]);
    // The window takes the traces started in it (trace 1 starts at T0 + 1).
    const windowed = await store.stats({ fromMs: T0 + 11, toMs: T0 + 100 });
    expect(windowed).toEqual([
      {
        group: 'model',
        key: 'model-a',
        count: 10,
        p50Ms: 15,
        p95Ms: 20,
        inputTokens: 100,
        outputTokens: 10,
        costUsd: 0.1,
        errorRate: 0.2,
      },
    ]);
    await store.close();
  });
});

describe('hostile values', () => {
  it('stores and returns them as data, with bounded summaries', async () => {
    const store = open();
    const script = '<script>alert(1)</script><img src=x onerror=alert(2)>';
    const huge = 'x'.repeat(1_000_000);
    const nul = 'a\u0000b';
    const lone = 'bad \ud800 surrogate \udfff';
    const hostile = span({
      trace: 7,
      id: 1,
      name: script + huge,
      service: script,
      attrs: {
        'gen_ai.agent.name': huge,
        'gen_ai.input.messages': script,
        'agent_otel.metadata.html': script,
        'agent_otel.metadata.nul': nul,
        'agent_otel.metadata.lone': lone,
        'agent_otel.metadata.huge': huge,
        [script]: 'key is markup',
        constructor: 'ctor',
        'gen_ai.usage.input_tokens': '100', // a number as a string: not counted
        'gen_ai.operation.name': 'chat',
        'gen_ai.usage.output_tokens': NaN,
        'agent_otel.cost.usd': Infinity,
      },
      events: [{ name: script, timeUnixNano: '1', attributes: { 'exception.message': nul } }],
    });
    // `__proto__` as an own key (as a decoder builds it).
    Object.defineProperty(hostile.attributes, '__proto__', { value: 'proto', enumerable: true });
    store.insert([hostile]);
    const detail = (await store.getTrace(tid(7)))!;
    const back = detail.spans[0]!;
    expect(back.name).toBe(script + huge);
    expect(back.serviceName).toBe(script);
    expect(back.attributes['agent_otel.metadata.html']).toBe(script);
    expect(back.attributes['agent_otel.metadata.nul']).toBe(nul);
    expect(back.attributes['agent_otel.metadata.lone']).toBe(lone);
    expect(back.attributes['agent_otel.metadata.huge']).toBe(huge);
    expect(back.attributes[script]).toBe('key is markup');
    expect(Object.getOwnPropertyDescriptor(back.attributes, '__proto__')?.value).toBe('proto');
    expect(back.attributes['gen_ai.usage.input_tokens']).toBe('100');
    expect(back.attributes['gen_ai.usage.output_tokens']).toBeNull(); // JSON has no NaN
    expect(back.events[0]).toEqual({
      name: script,
      timeUnixNano: '1',
      attributes: { 'exception.message': nul },
    });
    const summary = detail.summary;
    expect(summary.name).toHaveLength(1024);
    expect(summary.rootSpanName).toHaveLength(1024);
    expect(summary).toMatchObject({ modelCalls: 1, inputTokens: 0, outputTokens: 0, serviceName: script });
    expect(summary).not.toHaveProperty('costUsd');
    expect(JSON.stringify(detail).length).toBeGreaterThan(2_000_000);
    // Filters take them as values.
    const html = await store.listTraces({
      attributes: [{ key: 'agent_otel.metadata.html', op: '=', value: script }],
    });
    expect(ids(html)).toEqual([tid(7)]);
    expect(
      ids(await store.listTraces({ attributes: [{ key: 'agent_otel.metadata.nul', op: '=', value: nul }] })),
    ).toEqual([tid(7)]);
    expect(ids(await store.listTraces({ service: script }))).toEqual([tid(7)]);
    expect(ids(await store.listTraces({ attributes: [{ key: script, op: 'exists' }] }))).toEqual([tid(7)]);
    // Values over 256 characters and content attributes are not indexed.
    expect(
      ids(await store.listTraces({ attributes: [{ key: 'agent_otel.metadata.huge', op: 'exists' }] })),
    ).toEqual([]);
    expect(
      ids(await store.listTraces({ attributes: [{ key: 'gen_ai.input.messages', op: 'exists' }] })),
    ).toEqual([]);
    expect(
      ids(
        await store.listTraces({ attributes: [{ key: 'gen_ai.usage.input_tokens', op: '=', value: '100' }] }),
      ),
    ).toEqual([tid(7)]);
    expect(
      ids(await store.listTraces({ attributes: [{ key: 'gen_ai.usage.input_tokens', op: '>', value: 1 }] })),
    ).toEqual([]);
    expect(await store.facets()).toMatchObject({ services: [script] });
    await store.close();
  });

  it('reads unparsable times and ids as data without failing', async () => {
    const store = open();
    const odd = { ...span({ trace: 8, id: 1 }), startTimeUnixNano: 'soon', endTimeUnixNano: '-1' };
    store.insert([odd]);
    const detail = (await store.getTrace(tid(8)))!;
    expect(detail.spans[0]!.startTimeUnixNano).toBe('soon');
    expect(detail.summary).toMatchObject({ startMs: 0, durationMs: 0 });
    await store.close();
  });
});
