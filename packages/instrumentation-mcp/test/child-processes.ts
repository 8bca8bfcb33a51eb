import type { ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { assertBuilt, startNode } from '@agent-otel/testing';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

/** Test fixtures run by the children. */
export const FIXTURES = join(__dirname, 'fixtures');
const PACKAGE_DIR = resolve(__dirname, '..');

/** Children load the built packages; fail with a clear message when they are missing. */
export function assertMcpBuilt(): void {
  assertBuilt({
    root: PACKAGE_DIR,
    files: [
      '../core/dist/cjs/index.js',
      '../node/dist/esm/register.js',
      'dist/cjs/index.js',
      'dist/esm/index.js',
    ],
    build: 'npm run build -w @agent-otel/core -w @agent-otel/instrumentation-mcp',
  });
}

/** How a child MCP server is started. */
export interface ServerOptions {
  /** Preload the OTel SDK + MCP instrumentation (fixtures/bootstrap.cjs). */
  instrumented: boolean;
  /** The ESM server, patched through the import hook (implies instrumented). */
  esm?: boolean;
  /**
   * Instrumented the way users do it: `node --import @agent-otel/node/register` (ESM server), with the
   * spans written by the `jsonl` local exporter. Overrides `esm` / `instrumented`.
   */
  viaRegister?: boolean;
  /** JSONL file the child's spans are written to. */
  jsonl: string;
  service: string;
  /**
   * With `viaRegister`: the OTLP/HTTP endpoint (e.g. a `startOtlpReceiver()` URL) the child exports
   * its metrics to, as OTLP/JSON. Without it the child exports no metrics.
   */
  metricsEndpoint?: string;
}

function childEnv(options: ServerOptions): Record<string, string> {
  const env = {
    PATH: process.env.PATH ?? '',
    MCP_TEST_JSONL: options.jsonl,
    MCP_TEST_SERVICE: options.service,
  };
  if (!options.viaRegister) return env;
  // register() exports traces, metrics and logs over OTLP by default; with no collector that is an
  // error on stderr for each signal. Spans go to the JSONL file, metrics only where a test asks.
  const metrics: Record<string, string> = options.metricsEndpoint
    ? {
        OTEL_METRICS_EXPORTER: 'otlp',
        OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${options.metricsEndpoint}/v1/metrics`,
        OTEL_EXPORTER_OTLP_METRICS_PROTOCOL: 'http/json',
      }
    : { OTEL_METRICS_EXPORTER: 'none' };
  return {
    ...env,
    ...metrics,
    OTEL_SERVICE_NAME: options.service,
    OTEL_TRACES_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
    AGENT_OTEL_EXPORTERS: 'jsonl',
    AGENT_OTEL_JSONL_PATH: options.jsonl,
  };
}

function nodeArgs(options: ServerOptions, mode: 'stdio' | 'http'): string[] {
  if (options.viaRegister)
    return ['--import', '@agent-otel/node/register', join(FIXTURES, 'server-main.mjs')];
  if (options.esm)
    return ['--import', join(FIXTURES, 'bootstrap-esm.mjs'), join(FIXTURES, 'server-main.mjs')];
  const preload = options.instrumented ? ['--require', join(FIXTURES, 'bootstrap.cjs')] : [];
  return [...preload, join(FIXTURES, 'server-main.cjs'), mode];
}

/** A connected MCP client and what its server child wrote to stderr. */
export interface Connection {
  client: Client;
  stderr(): string;
  /** Closes the client and waits until the server process has ended (and flushed its spans). */
  close(): Promise<void>;
}

/** Starts the server as a child process over stdio (the client spawns it) and connects. */
export async function connectStdio(options: ServerOptions): Promise<Connection> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: nodeArgs(options, 'stdio'),
    env: childEnv(options),
    cwd: PACKAGE_DIR,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const client = new Client({ name: 'test-client', version: '1.0.0' });
  await client.connect(transport);
  return { client, stderr: () => stderr, close: () => client.close() };
}

/** A child MCP server listening on 127.0.0.1 over Streamable HTTP. */
export interface HttpServerProcess {
  url: URL;
  child: ChildProcess;
  stderr(): string;
  /** SIGTERM, then waits for the exit (the child flushes its spans first). */
  stop(): Promise<void>;
}

const HTTP_SERVER_START_MILLIS = 15_000;

/**
 * Starts the server as a child process on a free 127.0.0.1 port; rejects unless it listens within
 * 15 s. Like every test child, it is killed if it still runs after 30 s.
 */
export async function startHttpServer(options: ServerOptions): Promise<HttpServerProcess> {
  const running = startNode(nodeArgs(options, 'http'), { cwd: PACKAGE_DIR, env: childEnv(options) });
  let port: string | undefined;
  try {
    [, port] = await running.waitForOutput(/LISTENING (\d+)/, HTTP_SERVER_START_MILLIS);
  } catch (error) {
    await running.stop('SIGKILL');
    throw new Error(`HTTP server did not start: ${running.stderr()}`, { cause: error });
  }
  return {
    url: new URL(`http://127.0.0.1:${port}/mcp`),
    child: running.child,
    stderr: running.stderr,
    async stop() {
      await running.stop();
    },
  };
}
