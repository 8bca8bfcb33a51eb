// The one child-process runner of the tests: a real Node process, as a user starts it.
import { spawn, type ChildProcess } from 'node:child_process';

/** How a child Node process ended and what it printed. */
export interface NodeRunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly elapsedMillis: number;
}

/** Options of {@link startNode} and {@link runNode}. */
export interface RunNodeOptions {
  /** Working directory of the child. */
  readonly cwd: string;
  /**
   * The child's environment: these variables, plus `PATH` and `HOME` of this process unless set
   * here. Nothing else of this process's environment reaches the child (no `OTEL_*` setting of the
   * test runner leaks in); pass `{ ...process.env, … }` to inherit it all.
   */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The child is killed (SIGKILL) after this long; default 30 s. */
  readonly timeoutMillis?: number;
}

/** A running child Node process. */
export interface RunningNode {
  readonly child: ChildProcess;
  /** Resolves once the child has ended and its output is closed. */
  readonly done: Promise<NodeRunResult>;
  /** What the child has printed to stdout so far. */
  stdout(): string;
  /** What the child has printed to stderr so far. */
  stderr(): string;
  /**
   * Resolves once stdout contains `pattern` (a string) or matches it (a RegExp), with the match
   * (`[whole, ...groups]`); rejects if the child ends first, or after `timeoutMillis` when given.
   */
  waitForOutput(pattern: string | RegExp, timeoutMillis?: number): Promise<string[]>;
  /** The same as `waitForOutput`, on stderr. */
  waitForStderr(pattern: string | RegExp, timeoutMillis?: number): Promise<string[]>;
  /** Writes `line` and a newline to the child's stdin. */
  send(line: string): void;
  /** Sends `signal` (default SIGTERM) unless the child has ended, then waits for the end. */
  stop(signal?: NodeJS.Signals): Promise<NodeRunResult>;
}

const DEFAULT_TIMEOUT_MILLIS = 30_000;

function find(text: string, pattern: string | RegExp): string[] | undefined {
  if (typeof pattern === 'string') return text.includes(pattern) ? [pattern] : undefined;
  const match = pattern.exec(text);
  return match === null ? undefined : [...match];
}

/**
 * Starts the Node executing this process (`process.execPath`, so a test on Node 24 starts Node 24
 * children, never the system `node`) with `args`, e.g. `['--import', '@agent-otel/node/register',
 * 'app.mjs']` or `['-r', …]`, and captures its output.
 */
export function startNode(args: readonly string[], options: RunNodeOptions): RunningNode {
  const started = Date.now();
  const child = spawn(process.execPath, [...args], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const output = { stdout: '', stderr: '' };
  const waiters = new Set<() => void>();
  const wake = () => {
    for (const waiter of waiters) waiter();
  };
  child.stdout?.on('data', (chunk: Buffer) => {
    output.stdout += chunk.toString('utf8');
    wake();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output.stderr += chunk.toString('utf8');
    wake();
  });
  // A child that exits without reading its stdin makes a later write fail with EPIPE.
  child.stdin?.on('error', () => undefined);
  const limit = setTimeout(() => child.kill('SIGKILL'), options.timeoutMillis ?? DEFAULT_TIMEOUT_MILLIS);
  const done = new Promise<NodeRunResult>((resolve, reject) => {
    child.on('error', (error) => {
      clearTimeout(limit);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      resolve({ code, signal, ...output, elapsedMillis: Date.now() - started });
    });
  });
  // A child that fails to spawn rejects `done`; the rejection is reported by whoever awaits it.
  done.catch(() => undefined);

  const waitFor = (stream: 'stdout' | 'stderr', pattern: string | RegExp, timeoutMillis?: number) =>
    new Promise<string[]>((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const settle = (outcome: () => void) => {
        waiters.delete(check);
        clearTimeout(timer);
        outcome();
      };
      const check = () => {
        const match = find(output[stream], pattern);
        if (match !== undefined) settle(() => resolve(match));
      };
      const fail = (why: string) =>
        settle(() =>
          reject(
            new Error(
              `${why} printing ${String(pattern)} on ${stream}: ${JSON.stringify(output).slice(0, 4000)}`,
            ),
          ),
        );
      waiters.add(check);
      check();
      if (timeoutMillis !== undefined) {
        timer = setTimeout(() => fail(`the child ran ${timeoutMillis} ms without`), timeoutMillis);
      }
      void done.then(
        () => fail('the child ended before'),
        () => fail('the child failed before'),
      );
    });

  return {
    child,
    done,
    stdout: () => output.stdout,
    stderr: () => output.stderr,
    waitForOutput: (pattern, timeoutMillis) => waitFor('stdout', pattern, timeoutMillis),
    waitForStderr: (pattern, timeoutMillis) => waitFor('stderr', pattern, timeoutMillis),
    send: (line) => {
      child.stdin?.write(`${line}\n`);
    },
    stop: (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return done;
    },
  };
}

/** Runs a child Node process to its end (its stdin closed at once); see {@link startNode}. */
export function runNode(args: readonly string[], options: RunNodeOptions): Promise<NodeRunResult> {
  const running = startNode(args, options);
  running.child.stdin?.end();
  return running.done;
}
