import { spawn } from 'node:child_process';

/** How a child Node process ended and what it printed. */
export interface NodeRunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Options of {@link runNode}. */
export interface RunNodeOptions {
  /** Working directory of the child. */
  readonly cwd: string;
  /** The child's whole environment (nothing of this process's is passed unless it is here). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The child is killed (SIGKILL) after this long; default 30 s. */
  readonly timeoutMillis?: number;
}

/**
 * Runs the Node executing this process (`process.execPath`, so a test on Node 24 starts Node 24
 * children) with `args`, and resolves with its exit code and output once it ends. Used by example
 * tests to run a demo the way `npm start` does.
 */
export function runNode(args: readonly string[], options: RunNodeOptions): Promise<NodeRunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...args], {
      cwd: options.cwd,
      env: options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMillis ?? 30_000);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
