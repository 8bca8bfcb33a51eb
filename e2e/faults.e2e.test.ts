import { report, sharedJaeger } from './support/e2e-env';
import { startFaultyCollector } from './support/faulty-collector';
import type { CollectorMode, FaultyCollector } from './support/faulty-collector';
import { freePort, startJaeger } from './support/jaeger-process';
import type { JaegerInstance } from './support/jaeger-process';
import { orphans } from './support/jaeger-query';
import { figuresLine, LOAD_ENV, runLoadScenario } from './support/load-run';
import type { FaultFigures } from './support/load-run';

// The collector misbehaves while an app runs agent after agent (agent-load.mjs: one run every
// 5 ms, 4 spans each, ~800 spans/s): the app's calls must all succeed without waiting on the export,
// memory must stay bounded (the batch queue holds at most OTEL_BSP_MAX_QUEUE_SIZE = 8192 spans by default, plus
// the batch being exported), the spans lost must be counted and reported once through diag (one
// warning when the outage starts, one summary with the count when it ends), and every span ended
// after the recovery must arrive in Jaeger.

const EXPORT_TIMEOUT_MILLIS = Number(LOAD_ENV.OTEL_EXPORTER_OTLP_TIMEOUT);
/** RSS growth allowed during an outage: the queue is bounded, so this is far above what it uses. */
const RSS_GROWTH_LIMIT_MB = 64;
/** A run of the app (4 spans, 1 ms of simulated model time) never waits on the exporter. */
const RUN_P99_LIMIT_MILLIS = 100;

const figures: FaultFigures[] = [];

afterAll(() => {
  report('collector faults (agent-load: 4 spans per run, a run every 5 ms)', figures.map(figuresLine));
});

function expectHealthyOutcome(f: FaultFigures, options: { exactAccounting: boolean }): void {
  figures.push(f);
  expect(f.exitCode).toBe(0);
  // Reported once: one warning when it started, one summary with the count when it ended.
  expect({ warnings: f.outageWarnings, summaries: f.outageSummaries }).toEqual({ warnings: 1, summaries: 1 });
  expect(f.droppedReported).toBeGreaterThan(0);
  // No per-batch or per-span error reports besides ours.
  expect(f.stderr.split('\n').filter((line) => line.trim() !== '')).toHaveLength(2);
  // Every run after the recovery arrived whole, with its parents.
  expect(f.afterRecoveryRuns).toBeGreaterThan(50);
  expect(f.afterRecoveryComplete).toBe(f.afterRecoveryRuns);
  expect(orphans(f.spans)).toEqual([]);
  // Nothing unaccounted for: what is not in Jaeger was counted as dropped.
  if (options.exactAccounting) expect(f.spansInJaeger + f.droppedReported).toBe(f.spansEnded);
  else expect(f.spansInJaeger + f.droppedReported).toBeLessThanOrEqual(f.spansEnded);
  // The app was not held up by the export, and memory stayed bounded.
  expect(f.latencyDuringFault.count).toBeGreaterThan(100);
  expect(f.latencyDuringFault.p99).toBeLessThan(RUN_P99_LIMIT_MILLIS);
  expect(f.latencyDuringFault.max).toBeLessThan(EXPORT_TIMEOUT_MILLIS);
  expect(f.rssGrowthMb).toBeLessThan(RSS_GROWTH_LIMIT_MB);
}

describe('a misbehaving endpoint in front of the shared Jaeger', () => {
  let collector: FaultyCollector;
  afterEach(async () => collector?.close());

  const statusCases: [string, CollectorMode][] = [
    ['answering 500', { kind: 'status', status: 500 }],
    ['answering 503', { kind: 'status', status: 503 }],
    ['answering 429 with Retry-After', { kind: 'status', status: 429, retryAfterSeconds: 1 }],
    [
      'answering after longer than the export timeout',
      { kind: 'slow', delayMillis: 2 * EXPORT_TIMEOUT_MILLIS },
    ],
  ];

  it.each(statusCases)(
    '%s: the app is unaffected, drops are reported once, spans after recovery arrive',
    async (label, mode) => {
      const { otlpUrl, queryUrl } = sharedJaeger();
      collector = await startFaultyCollector(otlpUrl, mode);
      const f = await runLoadScenario({
        scenario: label,
        endpoint: collector.url,
        queryUrl: () => queryUrl,
        faultMillis: 3000,
        recover: async () => collector.setMode({ kind: 'forward' }),
      });
      expect(collector.requests.some((request) => request.mode === mode.kind)).toBe(true);
      expectHealthyOutcome(f, { exactAccounting: true });
    },
  );

  it('refusing connections, then accepting again', async () => {
    const { otlpUrl, queryUrl } = sharedJaeger();
    collector = await startFaultyCollector(otlpUrl, { kind: 'forward' });
    const f = await runLoadScenario({
      scenario: 'refusing connections',
      endpoint: collector.url,
      queryUrl: () => queryUrl,
      healthyMillis: 1000,
      startFault: () => collector.refuse(),
      faultMillis: 3000,
      recover: () => collector.accept(),
    });
    expectHealthyOutcome(f, { exactAccounting: true });
  });
});

describe('a real Jaeger that is not there', () => {
  const instances: JaegerInstance[] = [];
  afterEach(async () => {
    for (const instance of instances.splice(0)) await instance.stop();
  });

  it('absent at start: the app runs, and once Jaeger is up, spans arrive', async () => {
    const port = await freePort();
    let jaeger: JaegerInstance | undefined;
    const f = await runLoadScenario({
      scenario: 'Jaeger absent at start',
      endpoint: `http://127.0.0.1:${port}`,
      queryUrl: () => jaeger!.queryUrl,
      faultMillis: 3000,
      recover: async () => {
        jaeger = await startJaeger({ otlpPort: port });
        instances.push(jaeger);
      },
    });
    expectHealthyOutcome(f, { exactAccounting: true });
  });

  it('killed mid-run (SIGKILL) and restarted: the app runs on, spans after the restart arrive', async () => {
    let jaeger = await startJaeger();
    instances.push(jaeger);
    const port = jaeger.otlpPort;
    const f = await runLoadScenario({
      scenario: 'Jaeger killed mid-run and restarted',
      endpoint: jaeger.otlpUrl,
      queryUrl: () => jaeger.queryUrl,
      keepsEarlierSpans: false,
      healthyMillis: 1500,
      startFault: async () => jaeger.kill(),
      faultMillis: 3000,
      recover: async () => {
        jaeger = await startJaeger({ otlpPort: port });
        instances.push(jaeger);
      },
    });
    // The first Jaeger's spans died with it (in-memory storage): the new one holds only later spans.
    expectHealthyOutcome(f, { exactAccounting: false });
  });
});
