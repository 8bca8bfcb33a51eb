import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { closedPort, startOtlpReceiver, type NodeRunResult, type OtlpReceiver } from '@agent-otel/testing';
import { assertNodeBuilt, FIXTURES, runNode, startNode } from './helpers.js';
import { decodeLogRecords, decodeMetrics, type DecodedLogRecord, type DecodedMetric } from './otlp-decode.js';

// Real child Node processes registering through `--import` or `-r` (or `register()` in the app),
// recording metrics and emitting a log record through the global @opentelemetry/api, exporting to
// an OTLP/HTTP receiver in this test.

jest.setTimeout(30000);

const ESM_APP = join(FIXTURES, 'metrics-logs-app.mjs');
const CJS_APP = join(FIXTURES, 'metrics-logs-app.cjs');

/** Generous for a loaded machine; without a collector a prompt exit takes a few hundred ms. */
const EXIT_AFTER_APP_LIMIT_MILLIS = 2000;

let receiver: OtlpReceiver;

beforeAll(() => assertNodeBuilt());
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(() => receiver.close());

const paths = () => [...new Set(receiver.requests.map((request) => request.path))].sort();

function expectAppMetrics(metrics: DecodedMetric[], serviceName: string): void {
  const byName = new Map(metrics.map((metric) => [metric.name, metric]));
  expect([...byName.keys()].sort()).toEqual(['app.duration', 'app.requests']);
  expect(byName.get('app.requests')).toMatchObject({
    kind: 'sum',
    unit: '{request}',
    scope: 'fixture-meter',
    points: [{ attributes: { route: 'chat' }, value: 3 }],
  });
  expect(byName.get('app.duration')).toMatchObject({
    kind: 'histogram',
    unit: 's',
    points: [{ attributes: { route: 'chat' }, count: 1, sum: 0.25 }],
  });
  for (const metric of metrics) {
    expect(metric.resource['service.name']).toBe(serviceName);
    expect(metric.resource['telemetry.sdk.language']).toBe('nodejs');
  }
}

function expectAppLogRecord(records: DecodedLogRecord[], serviceName: string): void {
  expect(records).toEqual([
    {
      eventName: 'app.event',
      severityNumber: 9,
      body: { text: 'hello', turns: 2 },
      attributes: { 'app.user': 'u1' },
      scope: 'fixture-logger',
      resource: expect.objectContaining({ 'service.name': serviceName }) as unknown,
    },
  ]);
}

interface AppRun {
  readonly result: NodeRunResult;
  /** From the app printing "app done" to the process having exited. */
  readonly exitAfterAppMillis: number;
  readonly stderrLines: string[];
}

async function runApp(args: readonly string[], env: Record<string, string>): Promise<AppRun> {
  const running = startNode(args, env);
  await running.waitForOutput('app done');
  const appDone = Date.now();
  const result = await running.done;
  const exitAfterAppMillis = Date.now() - appDone;
  return {
    result,
    exitAfterAppMillis,
    stderrLines: result.stderr.split('\n').filter((line) => line.trim() !== ''),
  };
}

describe('metrics and log records of a short script', () => {
  const rows: [flag: string, app: string, protocol: string][] = [];
  for (const [flag, app] of [
    ['--import', 'metrics-logs-app.mjs'],
    ['-r', 'metrics-logs-app.cjs'],
  ] as const)
    for (const protocol of ['http/protobuf', 'http/json']) rows.push([flag, app, protocol]);

  it.each(rows)(
    'node %s @agent-otel/node/register %s over %s: both reach /v1/metrics and /v1/logs at exit, with the resource',
    async (flag, app, protocol) => {
      const result = await runNode([flag, '@agent-otel/node/register', join(FIXTURES, app)], {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_SERVICE_NAME: 'signals-app',
      });

      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(paths()).toEqual(['/v1/logs', '/v1/metrics', '/v1/traces']);
      const contentType = protocol === 'http/json' ? 'application/json' : 'application/x-protobuf';
      for (const request of receiver.requests) expect(request.headers['content-type']).toBe(contentType);
      // The interval is 60 s and the batch delay 1 s; the script ends at once: beforeExit flushed.
      expectAppMetrics(decodeMetrics(receiver.requests), 'signals-app');
      expectAppLogRecord(decodeLogRecords(receiver.requests), 'signals-app');
    },
  );

  it('sends to the signal-specific endpoints as given, with the signal-specific headers, and delta temporality', async () => {
    const result = await runNode(['--import', '@agent-otel/node/register', ESM_APP], {
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `${receiver.url}/custom/metrics`,
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `${receiver.url}/custom/logs`,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-team=generic',
      OTEL_EXPORTER_OTLP_METRICS_HEADERS: 'x-team=metrics',
      OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE: 'delta',
      OTEL_SERVICE_NAME: 'custom-paths',
    });
    expect(result.stderr).toBe('');
    expect(paths()).toEqual(['/custom/logs', '/custom/metrics']);
    const headers = (path: string) => receiver.requests.find((request) => request.path === path)?.headers;
    expect(headers('/custom/metrics')?.['x-team']).toBe('metrics');
    expect(headers('/custom/logs')?.['x-team']).toBe('generic');
    expectAppMetrics(decodeMetrics(receiver.requests, '/custom/metrics'), 'custom-paths');
    expectAppLogRecord(decodeLogRecords(receiver.requests, '/custom/logs'), 'custom-paths');
    // OTLP/JSON aggregationTemporality: 1 delta, 2 cumulative.
    const body = receiver.requests
      .find((request) => request.path === '/custom/metrics')!
      .body.toString('utf8');
    expect(body).toContain('"aggregationTemporality":1');
    expect(body).not.toContain('"aggregationTemporality":2');
  });

  it('sends no metrics for OTEL_METRICS_EXPORTER=none and no log records for OTEL_LOGS_EXPORTER=none', async () => {
    const noMetrics = await runNode(['--import', '@agent-otel/node/register', ESM_APP], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_METRICS_EXPORTER: 'none',
    });
    expect(noMetrics.stderr).toBe('');
    expect(paths()).toEqual(['/v1/logs', '/v1/traces']);

    receiver.requests.length = 0;
    const noLogs = await runNode(['-r', '@agent-otel/node/register', CJS_APP], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_LOGS_EXPORTER: 'none',
    });
    expect(noLogs.stderr).toBe('');
    expect(paths()).toEqual(['/v1/metrics', '/v1/traces']);

    receiver.requests.length = 0;
    const neither = await runNode(['--import', '@agent-otel/node/register', ESM_APP], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
      OTEL_TRACES_EXPORTER: 'none',
    });
    expect(neither.code).toBe(0);
    expect(neither.stderr).toBe('');
    expect(receiver.requests).toEqual([]);
  });

  it('prints metrics and log records for OTEL_METRICS_EXPORTER=console and OTEL_LOGS_EXPORTER=console', async () => {
    const result = await runNode(['--import', '@agent-otel/node/register', ESM_APP], {
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'console',
      OTEL_LOGS_EXPORTER: 'console',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('app.requests');
    expect(result.stdout).toContain('app.event');
    expect(receiver.requests).toEqual([]);
  });
});

describe('shutdown', () => {
  it('shutdown() of the handle exports the metrics and log records of an app that then calls process.exit()', async () => {
    const result = await runNode([ESM_APP], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_SERVICE_NAME: 'shutdown-app',
      SIGNALS_APP_EXIT: 'shutdown',
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expectAppMetrics(decodeMetrics(receiver.requests), 'shutdown-app');
    expectAppLogRecord(decodeLogRecords(receiver.requests), 'shutdown-app');
  });

  it('SIGTERM exports them before the process dies of the signal', async () => {
    const running = startNode(['--import', '@agent-otel/node/register', ESM_APP], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_SERVICE_NAME: 'sigterm-app',
      SIGNALS_APP_EXIT: 'sigterm',
    });
    await running.waitForOutput('app done');
    const result = await running.stop('SIGTERM');
    expect(result.signal).toBe('SIGTERM');
    expect(result.stderr).toBe('');
    expectAppMetrics(decodeMetrics(receiver.requests), 'sigterm-app');
    expectAppLogRecord(decodeLogRecords(receiver.requests), 'sigterm-app');
  });
});

describe('metrics and logs endpoints that cannot take them', () => {
  it('nothing listening: the script exits promptly, and one warning per signal names the endpoint and the fix', async () => {
    const port = await closedPort();
    const { result, exitAfterAppMillis, stderrLines } = await runApp(
      ['--import', '@agent-otel/node/register', ESM_APP],
      {
        OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
        OTEL_TRACES_EXPORTER: 'none',
      },
    );
    process.stdout.write(`metrics and logs refused: exited ${exitAfterAppMillis} ms after the app's work\n`);
    expect(result.code).toBe(0);
    expect(exitAfterAppMillis).toBeLessThan(EXIT_AFTER_APP_LIMIT_MILLIS);
    expect(result.stderr).not.toContain('giving up');
    const metricsWarnings = stderrLines.filter((line) => line.includes('dropping metric data points:'));
    const logsWarnings = stderrLines.filter((line) => line.includes('dropping log records:'));
    expect(metricsWarnings).toHaveLength(1);
    expect(logsWarnings).toHaveLength(1);
    expect(metricsWarnings[0]).toContain(
      `export to http://127.0.0.1:${port}/v1/metrics failed: connect ECONNREFUSED`,
    );
    expect(metricsWarnings[0]).toContain('OTEL_EXPORTER_OTLP_METRICS_ENDPOINT');
    expect(metricsWarnings[0]).toContain('OTEL_METRICS_EXPORTER=none');
    expect(logsWarnings[0]).toContain(
      `export to http://127.0.0.1:${port}/v1/logs failed: connect ECONNREFUSED`,
    );
    expect(logsWarnings[0]).toContain('OTEL_LOGS_EXPORTER=none');
    // Nothing else: the SDK's own per-export errors are not logged as well.
    expect(stderrLines).toHaveLength(2);
  });

  it('nothing listening, with -r and the exporters timeout set high: still prompt', async () => {
    const port = await closedPort();
    const { result, exitAfterAppMillis } = await runApp(['-r', '@agent-otel/node/register', CJS_APP], {
      OTEL_EXPORTER_OTLP_METRICS_ENDPOINT: `http://127.0.0.1:${port}/v1/metrics`,
      OTEL_EXPORTER_OTLP_LOGS_ENDPOINT: `http://127.0.0.1:${port}/v1/logs`,
      OTEL_EXPORTER_OTLP_TIMEOUT: '30000',
      OTEL_TRACES_EXPORTER: 'none',
    });
    process.stdout.write(
      `metrics and logs refused (-r): exited ${exitAfterAppMillis} ms after the app's work\n`,
    );
    expect(result.code).toBe(0);
    expect(exitAfterAppMillis).toBeLessThan(EXIT_AFTER_APP_LIMIT_MILLIS);
  });

  describe('a backend that takes traces only', () => {
    let server: Server | undefined;
    afterEach(
      () =>
        new Promise<void>((resolve) => {
          server?.closeAllConnections();
          if (server === undefined) resolve();
          else server.close(() => resolve());
        }),
    );

    it('answering 404 for metrics and logs: one warning each, saying to turn them off', async () => {
      const traces: string[] = [];
      server = createServer((request, response) => {
        request.resume();
        request.on('end', () => {
          if (request.url === '/v1/traces') traces.push(request.url);
          response.writeHead(request.url === '/v1/traces' ? 200 : 404, { 'content-type': 'text/plain' });
          response.end(request.url === '/v1/traces' ? '' : '404 page not found');
        });
      });
      await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const { result, stderrLines } = await runApp(['--import', '@agent-otel/node/register', ESM_APP], {
        OTEL_EXPORTER_OTLP_ENDPOINT: url,
      });
      expect(result.code).toBe(0);
      expect(traces).toEqual(['/v1/traces']);
      expect(stderrLines).toHaveLength(2);
      const metricsWarning = stderrLines.find((line) => line.includes('dropping metric data points:'));
      const logsWarning = stderrLines.find((line) => line.includes('dropping log records:'));
      expect(metricsWarning).toContain(`export to ${url}/v1/metrics failed: HTTP 404`);
      expect(metricsWarning).toContain('404 page not found');
      expect(metricsWarning).toContain('The endpoint does not take metrics');
      expect(metricsWarning).toContain('OTEL_METRICS_EXPORTER=none');
      expect(logsWarning).toContain(`export to ${url}/v1/logs failed: HTTP 404`);
      expect(logsWarning).toContain('OTEL_LOGS_EXPORTER=none');
    });
  });
});
