import { join } from 'node:path';
import { resultOf, runNode } from './support/child';
import { report, sharedJaeger, uniqueService } from './support/e2e-env';
import { REPO_ROOT } from './support/jaeger-process';
import { byTrace, orphans, waitForSpans } from './support/jaeger-query';
import type { StoredSpan } from './support/jaeger-query';

// 1000 agent runs in one process, all in flight at once and interleaving at every await: every
// span must land in its own run's trace, under the right parent, with nothing from another run.

const RUNS = 1000;
const SPANS_PER_RUN = 6;

/** The run number a span carries, read from the attribute its kind records. */
function runOf(span: StoredSpan): string | undefined {
  const a = span.attributes;
  const value =
    a['gen_ai.conversation.id'] ??
    a['agent_otel.agent.id'] ??
    a['gen_ai.response.id'] ??
    a['gen_ai.tool.call.id'] ??
    a['agent_otel.handoff.to_agent'] ??
    a['agent_otel.custom.data'];
  const match = /(\d+)/.exec(String(value ?? ''));
  return match?.[1];
}

/** Expected parent (by span name) of each span name. */
const PARENT_OF: Record<string, string | undefined> = {
  'invoke_workflow concurrent-run': undefined,
  'invoke_agent triage': 'invoke_workflow concurrent-run',
  'chat fake-model': 'invoke_agent triage',
  'execute_tool lookup': 'invoke_agent triage',
  step: 'execute_tool lookup',
};

it(`${RUNS} concurrent agent runs in one process: every span in its own trace, under the right parent`, async () => {
  const { otlpUrl, queryUrl } = sharedJaeger();
  const service = uniqueService('concurrency');
  const started = Date.now();
  const result = await runNode(
    ['--import', '@agent-otel/node/register', join(REPO_ROOT, 'e2e/fixtures/concurrent-runs.mjs')],
    {
      cwd: REPO_ROOT,
      env: {
        OTEL_SERVICE_NAME: service,
        OTEL_EXPORTER_OTLP_ENDPOINT: otlpUrl,
        RUNS: String(RUNS),
        // All 6000 spans end within a fraction of a second: a burst near the default queue (8192),
        // given room here as a user with such bursts would.
        OTEL_BSP_MAX_QUEUE_SIZE: '16384',
      },
    },
  );
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(resultOf(result)).toEqual({ runs: RUNS, wrongReturnValues: 0 });
  const elapsed = Date.now() - started;

  const spans = await waitForSpans(queryUrl, service, {
    minSpans: RUNS * SPANS_PER_RUN,
    timeoutMillis: 30_000,
  });
  expect(spans).toHaveLength(RUNS * SPANS_PER_RUN);
  expect(orphans(spans)).toEqual([]);
  const traces = byTrace(spans);
  expect(traces.size).toBe(RUNS);

  const problems: string[] = [];
  const runsSeen = new Set<string>();
  for (const [traceId, traceSpans] of traces) {
    const byId = new Map(traceSpans.map((span) => [span.spanId, span]));
    const root = traceSpans.filter((span) => span.parentSpanId === '');
    if (root.length !== 1) problems.push(`${traceId}: ${root.length} roots`);
    const run = runOf(root[0]!);
    if (run === undefined || runsSeen.has(run)) problems.push(`${traceId}: run ${run} missing or seen twice`);
    runsSeen.add(run!);
    for (const span of traceSpans) {
      if (runOf(span) !== run)
        problems.push(`${traceId}: ${span.name} carries run ${runOf(span)}, trace is run ${run}`);
      const parent = byId.get(span.parentSpanId);
      const expectedParent = span.name.startsWith('handoff ') ? 'invoke_agent triage' : PARENT_OF[span.name];
      if (parent?.name !== expectedParent) problems.push(`${traceId}: ${span.name} under ${parent?.name}`);
    }
    const names = traceSpans.map((span) => span.name.replace(/\d+$/, 'N')).sort();
    if (names.join() !== Object.keys(PARENT_OF).concat('handoff specialist-N').sort().join()) {
      problems.push(`${traceId}: spans ${names.join(', ')}`);
    }
  }
  expect(problems).toEqual([]);
  expect(runsSeen.size).toBe(RUNS);
  report('concurrency', [
    `${RUNS} concurrent runs, ${spans.length} spans, ${traces.size} traces, 0 orphans, 0 cross-run spans (child ran ${elapsed} ms)`,
  ]);
});
