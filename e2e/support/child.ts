import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

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
  /** Resolves when stdout contains `text`; rejects if the child ends first. */
  waitForOutput(text: string): Promise<void>;
  /** Resolves when stderr contains `text`; rejects if the child ends first. */
  waitForStderr(text: string): Promise<void>;
  /** Writes a line to the child's stdin. */
  send(line: string): void;
  readonly done: Promise<ChildResult>;
}

export interface StartOptions {
  readonly cwd: string;
  /** The child's whole environment besides PATH and HOME: the runner's OTEL_* never leak in. */
  readonly env: Record<string, string>;
  readonly timeLimitMillis?: number;
}

/** Starts the Node running the tests (`process.execPath`, never the system `node`) with `args`. */
export function startNode(args: readonly string[], options: StartOptions): RunningChild {
  const started = Date.now();
  const child = spawn(process.execPath, args, {
    cwd: options.cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  const waiters: { stream: 'stdout' | 'stderr'; text: string; resolve: () => void }[] = [];
  const wake = () => {
    for (const waiter of waiters) {
      if ((waiter.stream === 'stdout' ? stdout : stderr).includes(waiter.text)) waiter.resolve();
    }
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
    wake();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    wake();
  });
  child.stdin?.on('error', () => undefined);
  const limit = setTimeout(() => child.kill('SIGKILL'), options.timeLimitMillis ?? 60_000);
  const done = new Promise<ChildResult>((resolve) => {
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      resolve({ code, signal, stdout, stderr, elapsedMillis: Date.now() - started });
    });
  });
  const waitFor = (stream: 'stdout' | 'stderr', text: string) =>
    new Promise<void>((resolve, reject) => {
      if ((stream === 'stdout' ? stdout : stderr).includes(text)) return resolve();
      waiters.push({ stream, text, resolve });
      void done.then((result) =>
        reject(
          new Error(
            `child ended before printing "${text}" on ${stream}: ${JSON.stringify(result).slice(0, 4000)}`,
          ),
        ),
      );
    });
  return {
    child,
    done,
    send: (line) => {
      child.stdin?.write(`${line}\n`);
    },
    waitForOutput: (text) => waitFor('stdout', text),
    waitForStderr: (text) => waitFor('stderr', text),
  };
}

/** Runs a child to completion. */
export function runNode(args: readonly string[], options: StartOptions): Promise<ChildResult> {
  const running = startNode(args, options);
  running.child.stdin?.end();
  return running.done;
}

/** The JSON after the last `RESULT ` line a fixture printed. */
export function resultOf<T>(result: ChildResult): T {
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
