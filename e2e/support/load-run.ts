import { join } from 'node:path';
import { resultOf, startNode } from './child';
import { uniqueService } from './e2e-env';
import { REPO_ROOT } from './jaeger-process';
import { byTrace, orphans, waitForSpans } from './jaeger-query';
import type { StoredSpan } from './jaeger-query';

const LOAD_APP = join(REPO_ROOT, 'e2e/fixtures/agent-load.mjs');

/** Settings every load run shares: a short batch delay and export timeout keep the tests short. */
export const LOAD_ENV = {
  OTEL_BSP_SCHEDULE_DELAY: '200',
  OTEL_EXPORTER_OTLP_TIMEOUT: '1000',
  LOAD_INTERVAL_MS: '5',
} as const;

interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** What agent-load.mjs prints. */
export interface LoadResult {
  runsPerPhase: Record<string, number>;
  spansPerRun: number;
  latency: Record<string, LatencySummary>;
  memory: { samples: number; baselineRss: number; maxRss: number };
}

/** What one load run under a fault showed. */
export interface FaultFigures {
  readonly scenario: string;
  readonly spansEnded: number;
  readonly spansInJaeger: number;
  /** Sum of the counts in the processor's outage summaries. */
  readonly droppedReported: number;
  /** `dropping spans:` warnings (one per outage). */
  readonly outageWarnings: number;
  /** Outage summaries (`... spans were dropped ...`). */
  readonly outageSummaries: number;
  readonly afterRecoveryRuns: number;
  readonly afterRecoveryComplete: number;
  readonly latencyDuringFault: LatencySummary;
  readonly latencyAfterRecovery: LatencySummary;
  readonly rssGrowthMb: number;
  readonly stderr: string;
  readonly spans: StoredSpan[];
  readonly exitCode: number | null;
}

export interface LoadScenario {
  readonly scenario: string;
  /** Where the app exports (OTEL_EXPORTER_OTLP_ENDPOINT). */
  readonly endpoint: string;
  /** Jaeger query URL where the spans end up (read after the run). */
  readonly queryUrl: () => string;
  /** Healthy time before the fault (phase `before`); 0: the fault is there from the start. */
  readonly healthyMillis?: number;
  /** Called after the healthy time to start the fault. */
  readonly startFault?: () => Promise<void>;
  readonly faultMillis: number;
  /** Ends the fault. */
  readonly recover: () => Promise<void>;
  /** Time for the `after` phase, once the processor reported the recovery. */
  readonly afterMillis?: number;
  readonly env?: Readonly<Record<string, string>>;
  /**
   * Whether Jaeger should end up with every span not reported as dropped (false when the spans
   * exported before the fault died with a killed Jaeger).
   */
  readonly keepsEarlierSpans?: boolean;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs agent-load.mjs against `endpoint` through a fault: healthy (optional), fault, recovery.
 * After the processor reports the recovery (its one "works again" summary), the runs of the
 * `after` phase are tagged, and each must arrive whole in Jaeger.
 */
export async function runLoadScenario(scenario: LoadScenario): Promise<FaultFigures> {
  const service = uniqueService(scenario.scenario.replace(/\W+/g, '-'));
  const healthy = scenario.healthyMillis ?? 0;
  const child = startNode(['--expose-gc', '--import', '@agent-otel/node/register', LOAD_APP], {
    cwd: REPO_ROOT,
    env: {
      ...LOAD_ENV,
      ...scenario.env,
      OTEL_SERVICE_NAME: service,
      OTEL_EXPORTER_OTLP_ENDPOINT: scenario.endpoint,
      LOAD_PHASE: healthy > 0 ? 'before' : 'fault',
    },
    timeLimitMillis: 90_000,
  });
  await child.waitForOutput('ready');
  if (healthy > 0) {
    await sleep(healthy);
    await scenario.startFault?.();
    child.send('phase fault');
  }
  await sleep(scenario.faultMillis);
  await scenario.recover();
  await child.waitForStderr('works again');
  child.send('phase after');
  await child.waitForOutput('phase after started');
  await sleep(scenario.afterMillis ?? 1000);
  child.send('stop');
  await child.waitForOutput('RESULT ');
  child.child.stdin?.end();
  const result = await child.done;
  const load = resultOf<LoadResult>(result);
  const spansEnded = Object.values(load.runsPerPhase).reduce((sum, runs) => sum + runs, 0) * load.spansPerRun;

  const warnings = result.stderr.split('\n');
  const summaries = warnings.filter((line) => line.includes('spans were dropped'));
  const droppedReported = summaries.reduce(
    (sum, line) => sum + Number(/(\d+) spans were dropped/.exec(line)?.[1] ?? 0),
    0,
  );
  const afterRuns = load.runsPerPhase.after ?? 0;
  const spans = await waitForSpans(scenario.queryUrl(), service, {
    minSpans:
      scenario.keepsEarlierSpans === false
        ? afterRuns * load.spansPerRun
        : Math.max(1, spansEnded - droppedReported),
    timeoutMillis: 15_000,
  });
  const traces = byTrace(spans);
  let afterComplete = 0;
  for (const traceSpans of traces.values()) {
    const root = traceSpans.find((span) => span.parentSpanId === '');
    if (root?.attributes['agent_otel.metadata.phase'] !== 'after') continue;
    if (traceSpans.length === load.spansPerRun && orphans(traceSpans).length === 0) afterComplete++;
  }
  const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;
  return {
    scenario: scenario.scenario,
    spansEnded,
    spansInJaeger: spans.length,
    droppedReported,
    outageWarnings: warnings.filter((line) => line.includes('dropping spans:')).length,
    outageSummaries: summaries.length,
    afterRecoveryRuns: afterRuns,
    afterRecoveryComplete: afterComplete,
    latencyDuringFault: load.latency.fault ?? { count: 0, p50: 0, p99: 0, max: 0 },
    latencyAfterRecovery: load.latency.after ?? { count: 0, p50: 0, p99: 0, max: 0 },
    rssGrowthMb: mb(load.memory.maxRss - load.memory.baselineRss),
    stderr: result.stderr,
    spans,
    exitCode: result.code,
  };
}

/** One line of figures for the closing report. */
export function figuresLine(f: FaultFigures): string {
  return (
    `${f.scenario}: ended ${f.spansEnded}, in Jaeger ${f.spansInJaeger}, dropped (reported) ${f.droppedReported}, ` +
    `outage warnings ${f.outageWarnings}+${f.outageSummaries}, after-recovery runs ${f.afterRecoveryComplete}/${f.afterRecoveryRuns} whole, ` +
    `run latency during fault p50 ${f.latencyDuringFault.p50} ms p99 ${f.latencyDuringFault.p99} ms max ${f.latencyDuringFault.max} ms, ` +
    `RSS growth ${f.rssGrowthMb} MB`
  );
}
