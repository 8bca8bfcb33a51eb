import {
  runNode as runSharedNode,
  startNode as startSharedNode,
  type NodeRunResult,
  type RunNodeOptions,
  type RunningNode,
} from '@agent-otel/testing';

export interface StartOptions {
  readonly cwd: string;
  /** The child's whole environment besides PATH and HOME: the runner's OTEL_* never leak in. */
  readonly env: Record<string, string>;
  /** The child is killed after this long; default 60 s. */
  readonly timeLimitMillis?: number;
}

/** The shared runner's options, with colour off (output is compared as text). */
function runnerOptions(options: StartOptions): RunNodeOptions {
  return {
    cwd: options.cwd,
    env: { NO_COLOR: '1', ...options.env },
    timeoutMillis: options.timeLimitMillis ?? 60_000,
  };
}

/** Starts the Node running the tests (`process.execPath`, never the system `node`) with `args`. */
export function startNode(args: readonly string[], options: StartOptions): RunningNode {
  return startSharedNode(args, runnerOptions(options));
}

/** Runs a child to completion. */
export function runNode(args: readonly string[], options: StartOptions): Promise<NodeRunResult> {
  return runSharedNode(args, runnerOptions(options));
}

/** The JSON after the last `RESULT ` line a fixture printed. */
export function resultOf<T>(result: NodeRunResult): T {
  const line = result.stdout
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('RESULT '));
  if (line === undefined) {
    throw new Error(
      `no RESULT line (exit ${result.code}, signal ${result.signal}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return JSON.parse(line.slice('RESULT '.length)) as T;
}
