// Real agent runs for the remote-source tests: agent-runs.mjs in a child Node process, instrumented
// with `--import @agent-otel/node/register` (the built packages), exporting over the real OTLP/HTTP
// JSON exporter to `${url}/v1/traces`, as an app exports to Jaeger or Tempo.
import { join, resolve } from 'node:path';
import { runNode } from '@agent-otel/testing';

/** One agent run: a workflow with an agent, one model call and one tool call. */
export interface Run {
  readonly service: string;
  readonly workflow: string;
  readonly conversation: string;
  readonly user: string;
  readonly model: string;
  readonly provider: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** The tool throws: the tool span ends with status ERROR. */
  readonly toolFails?: boolean;
  /** Milliseconds the tool takes. */
  readonly toolMs?: number;
}

/** The runs both remote-source tests export: two services, two conversations, one failing tool. */
export const RUNS: readonly Run[] = [
  {
    service: 'svc-a',
    workflow: 'support',
    conversation: 'conv-1',
    user: 'alice',
    model: 'gpt-4o-mini',
    provider: 'openai',
    inputTokens: 100,
    outputTokens: 20,
  },
  {
    service: 'svc-a',
    workflow: 'support',
    conversation: 'conv-1',
    user: 'bob',
    model: 'unpriced-model-x',
    provider: 'anthropic',
    inputTokens: 50,
    outputTokens: 5,
    toolFails: true,
  },
  {
    service: 'svc-b',
    workflow: 'billing',
    conversation: 'conv-2',
    user: 'alice',
    model: 'gpt-4o-mini',
    provider: 'openai',
    inputTokens: 10,
    outputTokens: 1,
    toolMs: 80,
  },
];

const REPO_ROOT = resolve(__dirname, '../../../..');

/**
 * Runs `runs` (one child process per service, in order of first appearance; runs of a service in
 * order) exporting to `url`; returns the trace id of each run, in the order of `runs`.
 */
export async function exportRuns(
  url: string,
  runs: readonly Run[],
  extraEnv: Record<string, string> = {},
): Promise<string[]> {
  const services = [...new Set(runs.map((run) => run.service))];
  const ids = new Map<Run, string>();
  for (const service of services) {
    const mine = runs.filter((run) => run.service === service);
    const result = await runNode(
      ['--import', '@agent-otel/node/register', join(__dirname, 'agent-runs.mjs')],
      {
        cwd: REPO_ROOT,
        env: {
          OTEL_SERVICE_NAME: service,
          OTEL_EXPORTER_OTLP_ENDPOINT: url,
          OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
          OTEL_METRICS_EXPORTER: 'none',
          OTEL_LOGS_EXPORTER: 'none',
          RUNS: JSON.stringify(mine),
          ...extraEnv,
        },
        timeoutMillis: 60_000,
      },
    );
    const line = result.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (result.code !== 0 || line === undefined) {
      throw new Error(`agent-runs.mjs failed (exit ${result.code}):\n${result.stdout}\n${result.stderr}`);
    }
    const { traceIds } = JSON.parse(line.slice('RESULT '.length)) as { traceIds: string[] };
    mine.forEach((run, i) => ids.set(run, traceIds[i]!));
  }
  return runs.map((run) => ids.get(run)!);
}
