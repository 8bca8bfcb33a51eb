import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { closedPort } from '@agent-otel/testing';

/** The repository root. */
export const REPO_ROOT = resolve(__dirname, '../..');
const SCRIPTS = join(REPO_ROOT, 'scripts/jaeger');

/** A port on 127.0.0.1 that was free a moment ago: nothing listens there yet. */
export const freePort = closedPort;

async function distinctFreePorts(count: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < count) ports.add(await freePort());
  return [...ports];
}

function runScript(script: string, env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((done, fail) => {
    execFile(
      'bash',
      [join(SCRIPTS, script)],
      { env: { ...process.env, ...env }, timeout: 30 * 60_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error) fail(new Error(`scripts/jaeger/${script} failed (${error.message}):\n${stderr}`));
        else done(stdout);
      },
    );
  });
}

/** A running Jaeger started by scripts/jaeger/start.sh. */
export interface JaegerInstance {
  readonly pid: number;
  /** For OTEL_EXPORTER_OTLP_ENDPOINT. */
  readonly otlpUrl: string;
  readonly otlpPort: number;
  /** Query API base URL. */
  readonly queryUrl: string;
  readonly log: string;
  readonly stateDir: string;
  /** scripts/jaeger/stop.sh: SIGTERM, then SIGKILL. */
  stop(): Promise<void>;
  /** SIGKILL, as a crash would. */
  kill(): void;
}

/** Builds Jaeger when not cached (prints its path) — the slow part, done once. */
export async function buildJaeger(): Promise<string> {
  return (await runScript('build.sh', {})).trim();
}

/**
 * Starts Jaeger on free loopback ports (or `otlpPort`) and waits until it answers. It is stopped
 * when `watchPid` (default: this process) ends, even if nobody calls stop().
 */
export async function startJaeger(
  options: { otlpPort?: number; watchPid?: number } = {},
): Promise<JaegerInstance> {
  const [queryPort, grpcPort, otlpPort] = await distinctFreePorts(3);
  const stateDir = mkdtempSync(join(tmpdir(), 'agent-otel-jaeger-'));
  const output = await runScript('start.sh', {
    JAEGER_OTLP_HTTP_PORT: String(options.otlpPort ?? otlpPort),
    JAEGER_QUERY_HTTP_PORT: String(queryPort),
    JAEGER_QUERY_GRPC_PORT: String(grpcPort),
    AGENT_OTEL_JAEGER_STATE: stateDir,
    AGENT_OTEL_JAEGER_WATCH_PID: String(options.watchPid ?? process.pid),
  });
  const values = Object.fromEntries(
    output
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
  const pid = Number(values.JAEGER_PID);
  return {
    pid,
    otlpUrl: values.JAEGER_OTLP_URL!,
    otlpPort: Number(new URL(values.JAEGER_OTLP_URL!).port),
    queryUrl: values.JAEGER_QUERY_URL!,
    log: values.JAEGER_LOG!,
    stateDir,
    stop: async () => {
      await runScript('stop.sh', { AGENT_OTEL_JAEGER_STATE: stateDir });
    },
    kill: () => {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    },
  };
}
