import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The monorepo root: children run there so `@agent-otel/node` and `@opentelemetry/api` resolve. */
export const REPO_ROOT = resolve(__dirname, '../../..');
export const FIXTURES = join(__dirname, 'fixtures');
export const DIST = resolve(__dirname, '../dist');

/** Fails with a clear message when the built output the children load is missing. */
export function assertBuilt(): void {
  for (const file of ['esm/register.js', 'cjs/register.js']) {
    if (!existsSync(join(DIST, file))) {
      throw new Error(
        `packages/node/dist/${file} is missing: run \`npm run build -w @agent-otel/core -w @agent-otel/node\` first`,
      );
    }
  }
}

/** How a child ended and what it printed. */
export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly elapsedMillis: number;
}

/** A running child Node process. */
export interface RunningChild {
  readonly child: ChildProcess;
  /** Resolves when stdout contains `text`. */
  waitForOutput(text: string): Promise<void>;
  readonly done: Promise<ChildResult>;
}

const CHILD_TIME_LIMIT_MILLIS = 25000;

/**
 * Starts the Node running this test (`process.execPath`, not the system `node`) with `args`, in
 * the repository root, with only `env` and PATH/HOME set, so the test runner's OTEL_* settings
 * cannot leak in.
 */
export function startNode(args: readonly string[], env: Record<string, string>): RunningChild {
  const started = Date.now();
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    for (const waiter of waiters.filter((w) => stdout.includes(w.text))) waiter.resolve();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const limit = setTimeout(() => child.kill('SIGKILL'), CHILD_TIME_LIMIT_MILLIS);
  const done = new Promise<ChildResult>((resolvePromise) => {
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      resolvePromise({ code, signal, stdout, stderr, elapsedMillis: Date.now() - started });
    });
  });
  return {
    child,
    done,
    waitForOutput: (text) =>
      new Promise<void>((resolvePromise, reject) => {
        if (stdout.includes(text)) return resolvePromise();
        waiters.push({ text, resolve: resolvePromise });
        void done.then((result) =>
          reject(new Error(`child ended before printing "${text}": ${JSON.stringify(result)}`)),
        );
      }),
  };
}

/** Runs a child to completion. */
export function runNode(args: readonly string[], env: Record<string, string>): Promise<ChildResult> {
  return startNode(args, env).done;
}
