// The agent-otel-viewer command as a user runs it (child processes on the built dist/esm/cli.js):
// the start line, options and their environment twins, messages for bad values, the token rule for
// other hosts, a taken port, --import, spans from a real exporter into the real SQLite store (kept
// across a restart), a read-only remote source, and a clean stop on SIGINT / SIGTERM.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { JsonlFileExporter } from '@agent-otel/core';
import { assertBuilt, closedPort, runNode, startNode, type RunningNode } from '@agent-otel/testing';
import { exportFromChild } from '../support/export-child.js';
import { send } from '../support/http-request.js';
import { bySpanId, recordTrace, sdkPipeline } from '../support/sdk-spans.js';

const PACKAGE = resolve(__dirname, '../..');
const CLI = join(PACKAGE, 'dist', 'esm', 'cli.js');
const START_LINE =
  /^agent-otel viewer: (http:\/\/127\.0\.0\.1:(\d+)) \(OTLP\/HTTP traces: http:\/\/127\.0\.0\.1:\d+\/v1\/traces; store: (.+)\)$/m;
const TOKEN = 'cli-test-token-0123456789abcdef';

let dir: string;
const running: RunningNode[] = [];

beforeAll(() =>
  assertBuilt({
    root: PACKAGE,
    files: ['dist/esm/cli.js'],
    build: 'npx turbo run build --filter=@agent-otel/viewer',
  }),
);
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'viewer-cli-'));
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((child) => child.stop('SIGKILL')));
  rmSync(dir, { recursive: true, force: true });
});

/** The child's environment: no OTEL_* or AGENT_OTEL_* of the runner; the cache under `dir`. */
const env = (extra: Record<string, string> = {}) => ({ XDG_CACHE_HOME: join(dir, 'cache'), ...extra });

function start(args: string[], extra: Record<string, string> = {}): RunningNode {
  const child = startNode([CLI, ...args], { cwd: dir, env: env(extra), timeoutMillis: 60_000 });
  running.push(child);
  return child;
}

async function started(child: RunningNode): Promise<{ url: string; store: string }> {
  const [, url, , store] = await child.waitForOutput(START_LINE, 20_000);
  return { url: url!, store: store! };
}

const run = (args: string[], extra: Record<string, string> = {}) =>
  runNode([CLI, ...args], { cwd: dir, env: env(extra), timeoutMillis: 30_000 });

it('prints its URL and store, serves, and stops cleanly on SIGTERM and SIGINT', async () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    const child = start(['--port', '0']);
    const { url, store } = await started(child);
    expect(store).toBe(join(dir, 'cache', 'agent-otel', 'viewer.db'));
    expect((await send(`${url}/api/source`)).json).toEqual({ kind: 'local', receiving: true });
    expect((await send(`${url}/`)).headers['content-type']).toBe('text/html; charset=utf-8');
    const result = await child.stop(signal);
    expect(result.code).toBe(0);
    expect(result.stdout.trim().split('\n').slice(-2)).toEqual([
      `agent-otel viewer: ${signal}: stopping`,
      'agent-otel viewer: stopped',
    ]);
    expect(result.stderr).toBe('');
  }
});

it('reads each option from its environment variable; the command line wins', async () => {
  const child = start(['--db', join(dir, 'flag.db')], {
    AGENT_OTEL_VIEWER_PORT: '0',
    AGENT_OTEL_VIEWER_HOST: '127.0.0.1',
    AGENT_OTEL_VIEWER_DB: join(dir, 'env.db'),
    AGENT_OTEL_VIEWER_SOURCE: 'local',
    AGENT_OTEL_VIEWER_RETENTION_AGE: '30d',
    AGENT_OTEL_VIEWER_RETENTION_SIZE: '10MB',
  });
  expect((await started(child)).store).toBe(join(dir, 'flag.db'));
  await child.stop();
  const fromEnv = start([], { AGENT_OTEL_VIEWER_PORT: '0', AGENT_OTEL_VIEWER_DB: join(dir, 'env.db') });
  expect((await started(fromEnv)).store).toBe(join(dir, 'env.db'));
});

it.each([
  [
    ['--port', 'abc'],
    {},
    '--port "abc" is not valid: expected an integer from 0 to 65535 (0 picks a free port)',
  ],
  [
    [],
    { AGENT_OTEL_VIEWER_PORT: '70000' },
    'AGENT_OTEL_VIEWER_PORT="70000" is not valid: expected an integer from 0 to 65535',
  ],
  [
    ['--retention-age', '5x'],
    {},
    '--retention-age "5x" is not valid: expected a duration such as 7d, 12h, 30m or 2w, or off',
  ],
  [
    [],
    { AGENT_OTEL_VIEWER_RETENTION_SIZE: 'big' },
    'AGENT_OTEL_VIEWER_RETENTION_SIZE="big" is not valid: expected a size such as 1GB',
  ],
  [
    ['--source', 'zipkin=http://x'],
    {},
    '--source "zipkin=http://x" is not valid: expected local, `jaeger=URL`',
  ],
  [['--token', 'short'], {}, '--token is not valid: expected a secret of at least 16 characters'],
  [['--host', '0.0.0.0'], {}, '--host 0.0.0.0 is not a loopback address'],
  [[], { AGENT_OTEL_VIEWER_HOST: '0.0.0.0' }, 'AGENT_OTEL_VIEWER_HOST 0.0.0.0 is not a loopback address'],
  [['--port'], {}, '--port needs a value: an integer from 0 to 65535'],
  [['--verbose'], {}, 'unknown option --verbose (see --help)'],
  [['traces.jsonl'], {}, 'unexpected argument "traces.jsonl" (see --help)'],
  [['--source', 'jaeger=http://127.0.0.1:1', '--import', 'a.jsonl'], {}, '--import needs the local store'],
])('refuses %j %j with a line naming the option and the accepted form', async (args, extra, message) => {
  const result = await run(args, extra as Record<string, string>);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr.trim().split('\n')).toHaveLength(1);
  expect(result.stderr).toContain(`agent-otel viewer: ${message}`);
  expect(result.stderr).not.toContain('short"');
});

it('points at --token for a non-loopback host, and with one requires it on the API', async () => {
  const refused = await run(['--host', '0.0.0.0', '--port', '0']);
  expect(refused.stderr).toContain('set a token with --token <secret> (or AGENT_OTEL_VIEWER_TOKEN)');
  const child = start(['--host', '0.0.0.0', '--port', '0', '--db', join(dir, 'v.db')], {
    AGENT_OTEL_VIEWER_TOKEN: TOKEN,
  });
  const [line, port] = await child.waitForOutput(
    /^agent-otel viewer: http:\/\/0\.0\.0\.0:(\d+) .*$/m,
    20_000,
  );
  expect(line).toContain('token required: open http://0.0.0.0:');
  expect(line).not.toContain(TOKEN);
  const url = `http://127.0.0.1:${port}`;
  expect((await send(`${url}/api/traces`)).status).toBe(401);
  expect((await send(`${url}/api/traces`, { headers: { Authorization: `Bearer ${TOKEN}` } })).status).toBe(
    200,
  );
  const sent = await exportFromChild('protobuf', 'none', `${url}/v1/traces`, 'limits', TOKEN);
  expect(sent.results).toEqual([{ code: 0 }]);
});

it('says the port is in use and what to do', async () => {
  const blocker = createServer();
  await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
  const { port } = blocker.address() as AddressInfo;
  try {
    const result = await run(['--port', String(port), '--db', join(dir, 'v.db')]);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(
      `agent-otel viewer: port ${port} on 127.0.0.1 is in use (another OTLP collector, Jaeger, or a viewer already ` +
        'running?): stop it, or start the viewer on another port with --port (AGENT_OTEL_VIEWER_PORT) and point ' +
        'OTEL_EXPORTER_OTLP_ENDPOINT at it',
    );
  } finally {
    await new Promise<void>((done) => blocker.close(() => done()));
  }
});

it('imports JsonlFileExporter files into the store, then serves them', async () => {
  const file = join(dir, 'spans.jsonl');
  const sdk = sdkPipeline(new JsonlFileExporter({ path: file }), {
    resource: { 'service.name': 'imported-agent' },
  });
  const traceId = recordTrace(sdk.tracer('viewer.test'));
  recordTrace(sdk.tracer('viewer.test'));
  await sdk.shutdown();

  const child = start(['--port', '0', '--db', join(dir, 'v.db'), '--import', file, `--import=${file}`]);
  const { url } = await started(child);
  expect(child.stdout()).toContain(`agent-otel viewer: imported 10 spans from ${file}\n`);
  const page = await send(`${url}/api/traces?service=imported-agent`);
  expect(page.json.total).toBe(2);
  const detail = await send(`${url}/api/traces/${traceId}`);
  expect(detail.json.spans).toHaveLength(5);
  expect(detail.json.summary.serviceName).toBe('imported-agent');

  const missing = await run(['--port', '0', '--db', join(dir, 'w.db'), '--import', join(dir, 'nope.jsonl')]);
  expect(missing.code).toBe(1);
  expect(missing.stderr.trim()).toBe(
    `agent-otel viewer: cannot import ${join(dir, 'nope.jsonl')}: no such file`,
  );
});

it('prunes by age at start (and every minute after)', async () => {
  const file = join(dir, 'old.jsonl');
  const sdk = sdkPipeline(new JsonlFileExporter({ path: file }), {
    resource: { 'service.name': 'old-agent' },
  });
  recordTrace(sdk.tracer('viewer.test'));
  await sdk.shutdown();
  // The same spans, sixty days older.
  const shift = BigInt(60 * 86_400) * 1_000_000_000n;
  const older = (nanos: string) => (BigInt(nanos) - shift).toString();
  const lines = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => {
      const record = JSON.parse(line);
      record.startTimeUnixNano = older(record.startTimeUnixNano);
      record.endTimeUnixNano = older(record.endTimeUnixNano);
      for (const event of record.events) event.timeUnixNano = older(event.timeUnixNano);
      return JSON.stringify(record);
    });
  writeFileSync(file, lines.join('\n') + '\n');

  const child = start(['--port', '0', '--db', join(dir, 'v.db'), '--import', file, '--retention-age', '30d']);
  const { url } = await started(child);
  await child.waitForOutput(/agent-otel viewer: retention: deleted 1 traces \(5 spans\)/, 20_000);
  expect((await send(`${url}/api/traces`)).json.total).toBe(0);
});

it('stores spans from a real exporter in the real store, kept across a restart', async () => {
  const db = join(dir, 'v.db');
  const child = start(['--port', '0', '--db', db]);
  const { url } = await started(child);
  const events = await fetch(`${url}/api/events`);
  const sent = await exportFromChild('protobuf', 'gzip', `${url}/v1/traces`, 'trace');
  expect(sent.results).toEqual([{ code: 0 }]);
  const reader = events.body!.getReader();
  let text = '';
  while (!text.includes('event: traces')) text += Buffer.from((await reader.read()).value!).toString('utf8');
  await reader.cancel();

  const traceIds = [...new Set(sent.spans.map((s) => s.traceId))];
  const check = async (base: string) => {
    const page = await send(`${base}/api/traces?service=checkout-agent&sort=start&order=asc`);
    expect(page.json.total).toBe(2);
    expect(page.json.traces.map((t: { traceId: string }) => t.traceId).sort()).toEqual([...traceIds].sort());
    for (const traceId of traceIds) {
      const detail = await send(`${base}/api/traces/${traceId}`);
      expect(bySpanId(detail.json.spans)).toEqual(bySpanId(sent.spans.filter((s) => s.traceId === traceId)));
    }
  };
  await check(url);
  expect((await child.stop()).code).toBe(0);

  const again = start(['--port', '0', '--db', db]);
  await check((await started(again)).url);
});

it('shows a remote source read-only', async () => {
  const port = await closedPort();
  const child = start(['--port', '0', '--source', `jaeger=http://127.0.0.1:${port}`]);
  const [, url] = await child.waitForOutput(
    new RegExp(
      `^agent-otel viewer: (http://127\\.0\\.0\\.1:\\d+) \\(source: jaeger=http://127\\.0\\.0\\.1:${port}, read-only\\)$`,
      'm',
    ),
    20_000,
  );
  const ingest = await send(`${url}/v1/traces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: '{}',
  });
  expect(ingest.status).toBe(404);
  const list = await send(`${url}/api/traces`);
  expect(list.status).toBe(502);
  expect(list.json.error).toMatch(/127\.0\.0\.1/);
});

it('prints its usage for --help', async () => {
  const result = await run(['--help']);
  expect(result.code).toBe(0);
  for (const option of [
    '--port',
    '--host',
    '--db',
    '--source',
    '--token',
    '--retention-age',
    '--retention-size',
    '--import',
  ]) {
    expect(result.stdout).toContain(option);
  }
  for (const variable of [
    'AGENT_OTEL_VIEWER_PORT',
    'AGENT_OTEL_VIEWER_HOST',
    'AGENT_OTEL_VIEWER_DB',
    'AGENT_OTEL_VIEWER_SOURCE',
    'AGENT_OTEL_VIEWER_TOKEN',
  ]) {
    expect(result.stdout).toContain(variable);
  }
});
