import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { estimateCost } from '@agent-otel/core';
import { closedPort } from '@agent-otel/testing';
import type { TraceQuery } from '../packages/viewer/src/model';
import type * as Sources from '../packages/viewer/src/sources/index';
import { resultOf, runNode, startNode } from './support/child';
import { report, sharedJaeger, uniqueService } from './support/e2e-env';
import { REPO_ROOT } from './support/jaeger-process';
import { waitForSpans } from './support/jaeger-query';

// @agent-otel/viewer's Jaeger source (the built package) against the real Jaeger v2 of the e2e suite:
// real agent runs (core's manual API, and examples/support-agent with its real openai client) are
// exported by @agent-otel/node over OTLP to Jaeger; the source must list them with the right
// names, tokens, costs, conversations, filters and detail, through Jaeger's query API alone. The
// last test runs the viewer's command with `--source jaeger=URL` and reads the same over its HTTP API.

const SOURCES = join(REPO_ROOT, 'packages/viewer/dist/cjs/sources/index.js');
const CLI = join(REPO_ROOT, 'packages/viewer/dist/esm/cli.js');
const AGENT_RUNS = join(REPO_ROOT, 'packages/viewer/test/sources/agent-runs.mjs');
const SUPPORT_AGENT = join(REPO_ROOT, 'examples/support-agent');

interface Run {
  workflow: string;
  conversation: string;
  user: string;
  model: string;
  provider: string;
  inputTokens: number;
  outputTokens: number;
  toolFails?: boolean;
  toolMs?: number;
}

const serviceA = uniqueService('viewer-a');
const serviceB = uniqueService('viewer-b');
const serviceDemo = uniqueService('viewer-demo');
const tag = serviceA.slice(-8);
const RUNS_A: Run[] = [
  {
    workflow: 'support',
    conversation: `conv-1-${tag}`,
    user: `alice-${tag}`,
    model: 'gpt-4o-mini',
    provider: 'openai',
    inputTokens: 100,
    outputTokens: 20,
  },
  {
    workflow: 'support',
    conversation: `conv-1-${tag}`,
    user: `bob-${tag}`,
    model: 'unpriced-model-x',
    provider: 'anthropic',
    inputTokens: 50,
    outputTokens: 5,
    toolFails: true,
  },
];
const RUNS_B: Run[] = [
  {
    workflow: 'billing',
    conversation: `conv-2-${tag}`,
    user: `alice-${tag}`,
    model: 'gpt-4o-mini',
    provider: 'openai',
    inputTokens: 10,
    outputTokens: 1,
    toolMs: 120,
  },
];

let sources: typeof Sources;
let started: number;
let idsA: string[];
let idsB: string[];
let demoId: string;
let jaeger: Sources.JaegerSource;

async function exportRuns(service: string, runs: Run[]): Promise<string[]> {
  const { otlpUrl } = sharedJaeger();
  const result = await runNode(['--import', '@agent-otel/node/register', AGENT_RUNS], {
    cwd: REPO_ROOT,
    env: {
      OTEL_SERVICE_NAME: service,
      OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      RUNS: JSON.stringify(runs),
    },
  });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return resultOf<{ traceIds: string[] }>(result).traceIds;
}

beforeAll(async () => {
  if (!existsSync(SOURCES))
    throw new Error(`${SOURCES} is missing: run \`npm run build\` first (npm run test:e2e does).`);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  sources = require(SOURCES) as typeof Sources;
  const { otlpUrl, queryUrl } = sharedJaeger();
  started = Date.now();
  // One process per run: Jaeger's in-memory store orders traces by arrival, and the narrow-window
  // check below needs bob's run to arrive last.
  idsA = [
    ...(await exportRuns(serviceA, RUNS_A.slice(0, 1))),
    ...(await exportRuns(serviceA, RUNS_A.slice(1))),
  ];
  idsB = await exportRuns(serviceB, RUNS_B);
  const demo = await runNode(
    ['--import', './src/demo-env.mjs', '--import', '@agent-otel/node/register', 'src/main.mjs'],
    {
      cwd: SUPPORT_AGENT,
      env: {
        OTEL_SERVICE_NAME: serviceDemo,
        OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
        OTEL_METRICS_EXPORTER: 'none',
        OTEL_LOGS_EXPORTER: 'none',
      },
    },
  );
  expect(demo.code).toBe(0);
  expect(demo.stdout).toContain('Your order A-1001 has shipped');
  for (const [service, spans] of [
    [serviceA, 8],
    [serviceB, 4],
    [serviceDemo, 5],
  ] as const) {
    expect(await waitForSpans(queryUrl, service, { minSpans: spans })).toHaveLength(spans);
  }
  jaeger = new sources.JaegerSource({ url: queryUrl });
  demoId = (await jaeger.listTraces({ service: serviceDemo })).traces[0]!.traceId;
});

afterAll(async () => {
  await jaeger?.close();
});

describe('the Jaeger source over the real Jaeger', () => {
  it('lists agent runs with names, spans, model calls, tokens, cost, errors and conversation', async () => {
    const page = await jaeger.listTraces({ service: serviceA });
    expect(page.total).toBe(2);
    expect(page.traces.map((t) => t.traceId)).toEqual([idsA[1], idsA[0]]);
    const [bob, alice] = page.traces;
    expect(alice).toMatchObject({
      name: 'support',
      rootSpanName: 'invoke_workflow support',
      serviceName: serviceA,
      spanCount: 4,
      modelCalls: 1,
      inputTokens: 100,
      outputTokens: 20,
      errorCount: 0,
      conversationId: `conv-1-${tag}`,
      models: ['gpt-4o-mini'],
      agents: ['support-agent'],
    });
    expect(alice!.costUsd).toBeCloseTo(
      estimateCost('gpt-4o-mini', { inputTokens: 100, outputTokens: 20 })!,
      12,
    );
    expect(bob).toMatchObject({
      inputTokens: 50,
      outputTokens: 5,
      errorCount: 1,
      models: ['unpriced-model-x'],
    });
    expect(bob!.costUsd).toBeUndefined();
  });

  it('lists the support-agent example: two model calls, their tokens and cost, its conversation', async () => {
    const [demo, ...rest] = (await jaeger.listTraces({ service: serviceDemo })).traces;
    expect(rest).toEqual([]);
    expect(demo).toMatchObject({
      name: 'customer-support',
      serviceName: serviceDemo,
      spanCount: 5,
      modelCalls: 2,
      inputTokens: 142 + 188,
      outputTokens: 19 + 24,
      errorCount: 0,
      conversationId: 'ticket-1234',
      models: ['gpt-4o-mini'],
    });
    const cost =
      estimateCost('gpt-4o-mini', { inputTokens: 142, outputTokens: 19 })! +
      estimateCost('gpt-4o-mini', { inputTokens: 188, outputTokens: 24, cacheReadInputTokens: 128 })!;
    expect(demo!.costUsd).toBeCloseTo(cost, 12);
    const byMetadata = await jaeger.listTraces({
      service: serviceDemo,
      attributes: [{ key: 'agent_otel.metadata.channel', op: '=', value: 'chat' }],
    });
    expect(byMetadata.traces.map((t) => t.traceId)).toEqual([demo!.traceId]);
  });

  it('filters: service, model, metadata attribute, min duration, status, tokens', async () => {
    const since = { fromMs: started };
    const ids = async (query: TraceQuery) =>
      (await jaeger.listTraces({ ...since, ...query })).traces.map((t) => t.traceId);
    expect(await ids({ service: serviceB })).toEqual(idsB);
    expect(await ids({ model: 'unpriced-model-x' })).toEqual([idsA[1]]);
    expect(await ids({ model: 'gpt-4o-mini' })).toEqual([demoId, idsB[0], idsA[0]]);
    const alice = [{ key: 'agent_otel.metadata.user', op: '=' as const, value: `alice-${tag}` }];
    expect(await ids({ attributes: alice })).toEqual([idsB[0], idsA[0]]);
    expect(await ids({ service: serviceA, attributes: alice })).toEqual([idsA[0]]);
    expect(
      await ids({
        service: serviceA,
        attributes: [{ key: 'agent_otel.metadata.user', op: '!=', value: `alice-${tag}` }],
      }),
    ).toEqual([idsA[1]]);
    expect(
      await ids({ minDurationMs: 100, attributes: [{ key: 'agent_otel.metadata.user', op: 'exists' }] }),
    ).toEqual(idsB);
    expect(await ids({ service: serviceB, minDurationMs: 100 })).toEqual(idsB);
    expect(await ids({ service: serviceB, minDurationMs: 5_000 })).toEqual([]);
    expect(await ids({ service: serviceA, status: 'error' })).toEqual([idsA[1]]);
    expect(await ids({ service: serviceA, minTokens: 100 })).toEqual([idsA[0]]);
    expect(await ids({ conversationId: `conv-1-${tag}` })).toEqual([idsA[1], idsA[0]]);

    // A window of one trace: Jaeger's own attribute search finds alice's older run; a condition it
    // cannot search for (the model) sees only the newest run, and says the page may be incomplete.
    const narrow = new sources.JaegerSource({ url: sharedJaeger().queryUrl, maxTraces: 1 });
    expect(
      (await narrow.listTraces({ service: serviceA, attributes: alice })).traces.map((t) => t.traceId),
    ).toEqual([idsA[0]]);
    expect(await narrow.listTraces({ service: serviceA, model: 'gpt-4o-mini' })).toEqual({
      traces: [],
      total: 0,
      totalIsLowerBound: true,
    });
  });

  it('reads one trace: the span tree in start order, attributes, core analysis', async () => {
    const detail = await jaeger.getTrace(idsA[1]!);
    expect(detail).toBeDefined();
    expect(detail!.spans.map((s) => [s.name, s.kind, s.status.code])).toEqual([
      ['invoke_workflow support', 'INTERNAL', 'UNSET'],
      ['invoke_agent support-agent', 'INTERNAL', 'UNSET'],
      ['chat unpriced-model-x', 'CLIENT', 'UNSET'],
      ['execute_tool lookup', 'INTERNAL', 'ERROR'],
    ]);
    const [root, agent, chat, tool] = detail!.spans;
    expect(root!.parentSpanId).toBeUndefined();
    expect([agent!.parentSpanId, chat!.parentSpanId, tool!.parentSpanId]).toEqual([
      root!.spanId,
      agent!.spanId,
      agent!.spanId,
    ]);
    expect(root!.attributes['agent_otel.metadata.user']).toBe(`bob-${tag}`);
    expect(chat!.attributes['gen_ai.usage.input_tokens']).toBe(50);
    expect(tool!.events.map((e) => e.name)).toContain('exception');
    expect(root!.serviceName).toBe(serviceA);
    expect(root!.scope.name).toBe('@agent-otel/core');
    expect(detail!.analysis).toMatchObject({
      tokens: { inputTokens: 50, outputTokens: 5, modelCalls: 1 },
      toolCalls: { lookup: 1 },
      errors: [{ spanId: tool!.spanId }],
    });
    expect(await jaeger.getTrace('00000000000000000000000000000001')).toBeUndefined();
  });

  it('groups conversations; stats per model, agent and tool; facets', async () => {
    const { conversations } = await jaeger.listConversations({ fromMs: started });
    const mine = conversations.filter(
      (c) => c.conversationId.endsWith(tag) || c.conversationId === 'ticket-1234',
    );
    expect(
      mine.map((c) => [
        c.conversationId,
        c.traceCount,
        c.inputTokens,
        c.outputTokens,
        c.errorCount,
        c.services,
      ]),
    ).toEqual([
      ['ticket-1234', 1, 330, 43, 0, [serviceDemo]],
      [`conv-2-${tag}`, 1, 10, 1, 0, [serviceB]],
      [`conv-1-${tag}`, 2, 150, 25, 1, [serviceA]],
    ]);
    const rows = await jaeger.stats({ fromMs: started });
    const row = (group: string, key: string) => rows.find((r) => r.group === group && r.key === key);
    expect(row('model', 'gpt-4o-mini')).toMatchObject({
      count: 4,
      inputTokens: 100 + 10 + 330,
      outputTokens: 20 + 1 + 43,
      errorRate: 0,
    });
    expect(row('model', 'unpriced-model-x')).toMatchObject({ count: 1, inputTokens: 50 });
    expect(row('tool', 'lookup')).toMatchObject({ count: 3, errorRate: 1 / 3 });
    // (A 120 ms timer may end a little before 120 ms of the span clock.)
    expect(row('tool', 'lookup')!.p95Ms).toBeGreaterThanOrEqual(100);
    expect(row('tool', 'lookup_order')).toMatchObject({ count: 1, errorRate: 0 });
    expect(row('agent', 'support-agent')).toMatchObject({ count: 3 });
    const facets = await jaeger.facets();
    expect(facets.services).toEqual(expect.arrayContaining([serviceA, serviceB, serviceDemo]));
    expect(facets.models).toEqual(expect.arrayContaining(['gpt-4o-mini', 'unpriced-model-x']));
    expect(facets.tools).toEqual(expect.arrayContaining(['lookup', 'lookup_order']));
  });

  it('a query API that is not there: a clear error naming the URL', async () => {
    const port = await closedPort();
    const down = new sources.JaegerSource({ url: `http://127.0.0.1:${port}` });
    await expect(down.listTraces({})).rejects.toMatchObject({
      name: 'RemoteSourceError',
      statusCode: 502,
      reason: 'unreachable',
    });
    // Jaeger's OTLP port instead of its query port.
    const wrong = new sources.JaegerSource({ url: sharedJaeger().otlpUrl });
    await expect(wrong.listTraces({ service: serviceA })).rejects.toThrow(
      new RegExp(
        `^jaeger query API ${sharedJaeger().otlpUrl.replace(/\./g, '\\.')}/api/v3/traces\\?.*HTTP (404|405)`,
      ),
    );
  });

  it('the viewer command with --source jaeger=URL serves the same over its HTTP API, and 502 when Jaeger is gone', async () => {
    if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first.`);
    const { queryUrl } = sharedJaeger();
    const port = await closedPort();
    const viewer = startNode([CLI, '--port', String(port), '--source', `jaeger=${queryUrl}`], {
      cwd: REPO_ROOT,
      env: {},
    });
    try {
      const base = `http://127.0.0.1:${port}`;
      const deadline = Date.now() + 20_000;
      for (;;) {
        const ok = await fetch(`${base}/api/source`).then(
          (r) => r.ok,
          () => false,
        );
        if (ok) break;
        if (Date.now() > deadline)
          throw new Error(`the viewer did not start:\n${viewer.stdout()}\n${viewer.stderr()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await (await fetch(`${base}/api/source`)).json()).toMatchObject({
        kind: 'jaeger',
        url: queryUrl,
      });
      const timed = Date.now();
      const response = await fetch(
        `${base}/api/traces?service=${serviceA}&attr=${encodeURIComponent(`agent_otel.metadata.user=bob-${tag}`)}`,
      );
      const listMs = Date.now() - timed;
      expect(response.status).toBe(200);
      const page = (await response.json()) as { traces: { traceId: string; errorCount: number }[] };
      expect(page.traces).toEqual([expect.objectContaining({ traceId: idsA[1], errorCount: 1 })]);
      const detail = await fetch(`${base}/api/traces/${idsA[0]}`);
      expect(((await detail.json()) as { summary: { inputTokens: number } }).summary.inputTokens).toBe(100);
      const otlp = await fetch(`${base}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      });
      expect(otlp.status).toBe(404);
      report('viewer sources (real Jaeger)', [
        `list with a metadata filter through the viewer's HTTP API: ${listMs} ms`,
      ]);
    } finally {
      await viewer.stop();
    }
    // A viewer pointed at a Jaeger that is not there answers 502 naming it.
    const gone = `http://127.0.0.1:${await closedPort()}`;
    const port2 = await closedPort();
    const orphan = startNode([CLI, '--port', String(port2), '--source', `jaeger=${gone}`], {
      cwd: REPO_ROOT,
      env: {},
    });
    try {
      const base = `http://127.0.0.1:${port2}`;
      const deadline = Date.now() + 20_000;
      let response: Response | undefined;
      while (response === undefined) {
        response = await fetch(`${base}/api/traces`).catch(() => undefined);
        if (response === undefined && Date.now() > deadline)
          throw new Error(`the viewer did not start:\n${orphan.stderr()}`);
        if (response === undefined) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(response.status).toBe(502);
      expect(((await response.json()) as { error: string }).error).toMatch(
        new RegExp(`^jaeger query API ${gone.replace(/\./g, '\\.')}/api/v3/traces\\?.*unreachable`),
      );
    } finally {
      await orphan.stop();
    }
  });
});
