import { join } from 'node:path';
import { closedPort, otlpJsonSpans, startOtlpReceiver, type OtlpReceiver } from '@agent-otel/testing';
import { assertNodeBuilt, DIST, FIXTURES, runNode, startNode } from './helpers.js';

// Real child Node processes loading the built package through its entry points, exporting to an
// OTLP/HTTP receiver in this test.

jest.setTimeout(30000);

const ESM_APP = join(FIXTURES, 'spans-app.mjs');
const CJS_APP = join(FIXTURES, 'spans-app.cjs');
const LONG_RUNNING_APP = join(FIXTURES, 'long-running.mjs');
const IMPORT_REGISTER = ['--import', '@agent-otel/node/register'];
const REQUIRE_REGISTER = ['-r', '@agent-otel/node/register'];

let receiver: OtlpReceiver;

beforeAll(() => assertNodeBuilt());
beforeEach(async () => {
  receiver = await startOtlpReceiver();
});
afterEach(() => receiver.close());

const spanNames = () =>
  otlpJsonSpans(receiver.requests)
    .map((span) => span.name)
    .sort();

describe('node --import @agent-otel/node/register (ESM app)', () => {
  it('exports the spans of a short script over http/json with the resource and headers from the environment', async () => {
    const result = await runNode([...IMPORT_REGISTER, ESM_APP], {
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=s%3Dcret,x-team=agents',
      OTEL_SERVICE_NAME: 'esm-app',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment.name=test,service.name=overridden',
    });

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('app done');
    // The batch delay is 5 s and the script ends at once: the spans arrived thanks to beforeExit.
    expect(receiver.requests.length).toBeGreaterThan(0);
    const [request] = receiver.requests;
    expect(request?.path).toBe('/v1/traces');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.headers['x-api-key']).toBe('s=cret');
    expect(request?.headers['x-team']).toBe('agents');
    const spans = otlpJsonSpans(receiver.requests);
    expect(spans.map((span) => span.name).sort()).toEqual(['agent-run', 'tool-call']);
    const root = spans.find((span) => span.name === 'agent-run');
    const child = spans.find((span) => span.name === 'tool-call');
    expect(root?.parentSpanId ?? '').toBe('');
    expect(child?.parentSpanId).toBe(root?.spanId);
    expect(child?.traceId).toBe(root?.traceId);
    expect(root?.resource['service.name']).toBe('esm-app');
    expect(root?.resource['deployment.environment.name']).toBe('test');
    expect(root?.resource['telemetry.sdk.language']).toBe('nodejs');
  });

  it('prints a trace tree for AGENT_OTEL_EXPORTERS=tree', async () => {
    const result = await runNode([...IMPORT_REGISTER, ESM_APP], {
      OTEL_TRACES_EXPORTER: 'none',
      AGENT_OTEL_EXPORTERS: 'tree',
    });
    expect(result.code).toBe(0);
    const treeLines = result.stdout
      .split('\n')
      .filter((line) => line.includes('agent-run') || line.includes('tool-call'));
    expect(treeLines.some((line) => line.includes('agent-run'))).toBe(true);
    expect(treeLines.some((line) => line.includes('tool-call'))).toBe(true);
    expect(receiver.requests).toEqual([]);
  });

  it('warns once, naming the variable, about a bad endpoint and still runs to completion', async () => {
    const result = await runNode([...IMPORT_REGISTER, ESM_APP], {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'localhost:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`,
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('app done');
    const warnings = result.stderr.split('\n').filter((line) => line.includes('OTEL_EXPORTER_OTLP_ENDPOINT'));
    expect(warnings).toEqual([
      '@agent-otel/node: OTEL_EXPORTER_OTLP_ENDPOINT="localhost:4318" is not a URL; use e.g. http://localhost:4318. Falling back to ' +
        `${receiver.url}/v1/traces for traces, http://localhost:4318/v1/metrics for metrics, ` +
        'http://localhost:4318/v1/logs for logs.',
    ]);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(receiver.requests[0]?.headers['content-type']).toBe('application/x-protobuf');
  });

  it('exits 0 in bounded time when no collector listens', async () => {
    const port = await closedPort();
    const result = await runNode([...IMPORT_REGISTER, ESM_APP], {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_EXPORTER_OTLP_TIMEOUT: '1500',
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('app done');
    expect(result.elapsedMillis).toBeLessThan(8000);
  });
});

describe('node -r @agent-otel/node/register (CommonJS app)', () => {
  it('exports over http/protobuf to the traces endpoint as given, with the traces headers', async () => {
    const result = await runNode([...REQUIRE_REGISTER, CJS_APP], {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/custom/path`,
      OTEL_EXPORTER_OTLP_HEADERS: 'x-team=generic',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-team=traces',
    });

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('app done');
    expect(receiver.requests.length).toBeGreaterThan(0);
    const [request] = receiver.requests;
    expect(request?.path).toBe('/custom/path');
    expect(request?.headers['content-type']).toBe('application/x-protobuf');
    expect(request?.headers['x-team']).toBe('traces');
    const body = Buffer.concat(receiver.requests.map((r) => r.body)).toString('latin1');
    expect(body).toContain('agent-run');
    expect(body).toContain('tool-call');
  });
});

describe('signals', () => {
  const env = () => ({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });

  it('flushes on SIGTERM and still dies of SIGTERM', async () => {
    const running = startNode(['--import', join(DIST, 'esm/register.js'), LONG_RUNNING_APP], env());
    await running.waitForOutput('ready');
    running.child.kill('SIGTERM');
    const result = await running.done;
    expect(result.signal).toBe('SIGTERM');
    expect(result.code).toBeNull();
    expect(spanNames()).toEqual(['long-task', 'step']);
  });

  it('flushes on SIGINT and still dies of SIGINT (CommonJS entry point)', async () => {
    const running = startNode(['-r', join(DIST, 'cjs/register.js'), LONG_RUNNING_APP], env());
    await running.waitForOutput('ready');
    running.child.kill('SIGINT');
    const result = await running.done;
    expect(result.signal).toBe('SIGINT');
    expect(spanNames()).toEqual(['long-task', 'step']);
  });

  it('flushes but leaves the exit to an application that listens for SIGTERM itself', async () => {
    const running = startNode([...IMPORT_REGISTER, LONG_RUNNING_APP], { ...env(), APP_HANDLES_SIGTERM: '1' });
    await running.waitForOutput('ready');
    running.child.kill('SIGTERM');
    const result = await running.done;
    // Once: we did not raise the signal again either.
    expect(result.stdout.split('app handled SIGTERM')).toHaveLength(2);
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    expect(spanNames()).toEqual(['long-task', 'step']);
  });

  it('steps aside for a library that exits only when it is the last SIGTERM listener', async () => {
    const running = startNode([...IMPORT_REGISTER, LONG_RUNNING_APP], {
      ...env(),
      LIBRARY_SIGTERM_LISTENER: '1',
    });
    await running.waitForOutput('ready');
    running.child.kill('SIGTERM');
    const result = await running.done;
    expect(result.signal).toBeNull();
    expect(result.code).toBe(0);
    expect(spanNames()).toEqual(['long-task', 'step']);
  });
});
