import { join, resolve } from 'node:path';
import {
  assertBuilt,
  runNode as runSharedNode,
  startNode as startSharedNode,
  type NodeRunResult,
  type RunningNode,
} from '@agent-otel/testing';

/** The monorepo root: children run there so `@agent-otel/node` and `@opentelemetry/api` resolve. */
export const REPO_ROOT = resolve(__dirname, '../../..');
export const FIXTURES = join(__dirname, 'fixtures');
export const DIST = resolve(__dirname, '../dist');

/** Fails with a clear message when the built output the children load is missing. */
export function assertNodeBuilt(): void {
  assertBuilt({
    root: DIST,
    files: ['esm/register.js', 'cjs/register.js'],
    build: 'npm run build -w @agent-otel/core -w @agent-otel/node',
  });
}

const CHILD_TIME_LIMIT_MILLIS = 25_000;

/** Starts a child Node in the repository root with only `env`, PATH and HOME set. */
export function startNode(args: readonly string[], env: Record<string, string>): RunningNode {
  return startSharedNode(args, { cwd: REPO_ROOT, env, timeoutMillis: CHILD_TIME_LIMIT_MILLIS });
}

/** Runs a child Node in the repository root to its end, with only `env`, PATH and HOME set. */
export function runNode(args: readonly string[], env: Record<string, string>): Promise<NodeRunResult> {
  return runSharedNode(args, { cwd: REPO_ROOT, env, timeoutMillis: CHILD_TIME_LIMIT_MILLIS });
}
